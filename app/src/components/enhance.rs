//! The signed-in pages' live parts, written straight against the DOM.
//!
//! These pages are the server's HTML and stay it: every form is a plain form
//! post that works without JavaScript. This code only adds to what the
//! server marks, so the bundle holds no view code and no framework runtime:
//! - `[data-swap]` (with an `id`): its forms post by `fetch`, as the plain
//!   post they are (`Accept: text/html`), and the region is replaced by the
//!   same region of the page the server redirects to. (A form whose post
//!   answers with a page of its own, not a redirect, stays outside such a
//!   region, as a single-use answer cannot be asked for twice.) The elements with
//!   `aria-live` and an `id` stay in place and take the new content, so a
//!   screen reader announces "Gemt."; focus goes to the error summary after
//!   a refused submit (DKFDS, GOV.UK), else back to the button pressed. The
//!   button is `aria-disabled` while the post runs and ignores more clicks,
//!   but keeps focus.
//! - `form[data-check]`: when the user leaves a field, the whole form is read
//!   and checked by the server's own rules (`Check`); the messages of the
//!   fields the user has visited are shown inline, in DKFDS' pattern, and
//!   focus goes on to the next field.
//! - `textarea[data-max-chars]`: the character count under it, and the
//!   message once the text is too long.
//! - `[data-poll]` (with an `id`, the value in milliseconds): the region is
//!   fetched again at that interval for as long as the server keeps the
//!   attribute on it.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use js_sys::Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement};

use crate::error::too_long;
use crate::error::FieldErrors;

/// A form's instant check: its `data-check` name and its fields as posted
/// (name → text; unticked boxes absent; and the form's `data-field-NAME`
/// attributes, such as the user name a new password may not be) to the
/// errors the server's rules find, or `None` for a form it does not know.
pub type Check = fn(&str, &serde_json::Map<String, serde_json::Value>) -> Option<FieldErrors>;

thread_local! {
    /// The fields the user has left since the form was (re)drawn.
    static TOUCHED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    /// A region's post or poll is running: further clicks are ignored.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Start the page's live parts, then say so (`ready`).
pub fn start(check: Check) {
    let Some(document) = document() else { return };
    listen(&document, "focusout", move |event: web_sys::Event| {
        on_leave(event, check)
    });
    listen(&document, "input", move |event: web_sys::Event| {
        on_input(event, check)
    });
    listen(&document, "submit", on_submit);
    for region in all::<Element>("[data-poll][id]") {
        schedule_poll(region.id());
    }
    ready();
}

/// Say that the page's live parts run (`window.__dagtilbudHydrated`, which
/// the browser tests wait for).
pub fn ready() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__dagtilbudHydrated".into(), &true.into());
    }
}

/// Call `handler` on every `kind` event that reaches `document`, for as long
/// as the page lives.
pub fn listen(document: &Document, kind: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let _ = document.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    handler.forget();
}

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

pub fn by_id(id: &str) -> Option<Element> {
    document()?.get_element_by_id(id)
}

/// The page's elements that match `selector` and are of type `T`.
pub fn all<T: JsCast>(selector: &str) -> Vec<T> {
    document()
        .and_then(|d| d.document_element())
        .map(|root| within(&root, selector))
        .unwrap_or_default()
}

/// The elements under `root` that match `selector` and are of type `T`.
pub fn within<T: JsCast>(root: &Element, selector: &str) -> Vec<T> {
    let Ok(found) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index)?.dyn_into::<T>().ok())
        .collect()
}

/// A new element `tag` with the classes `class` (none if empty).
pub fn element(tag: &str, class: &str) -> Option<Element> {
    let element = document()?.create_element(tag).ok()?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    Some(element)
}

pub fn target_element(event: &web_sys::Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

// --- instant checks -----------------------------------------------------------

/// The form with an instant check that `field` belongs to, and its check's name.
fn checked_form(field: &Element) -> Option<(HtmlFormElement, String)> {
    let form = field.closest("form[data-check]").ok()??;
    let kind = form.get_attribute("data-check")?;
    Some((form.dyn_into().ok()?, kind))
}

fn on_leave(event: web_sys::Event, check: Check) {
    let Some(field) = target_element(&event) else {
        return;
    };
    let Some(name) = field.get_attribute("name") else {
        return;
    };
    let Some((form, kind)) = checked_form(&field) else {
        return;
    };
    TOUCHED.with(|t| t.borrow_mut().insert(name));
    // Leaving a field for the form's own submit button: the submit answers.
    // A message drawn now would move the button away under the pointer
    // between its press and its release, and the click would be lost.
    let to_submit = event
        .dyn_ref::<web_sys::FocusEvent>()
        .and_then(|e| e.related_target())
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|next| next.matches("[type=submit]").unwrap_or(false))
        .and_then(|next| next.closest("form").ok().flatten())
        .is_some_and(|next_form| next_form == **form);
    if to_submit {
        return;
    }
    let Some(found) = check(&kind, &form_values(&form)) else {
        return;
    };
    let touched = TOUCHED.with(|t| t.borrow().clone());
    for field in touched {
        show_error(&field, found.get(&field).map(String::as_str));
    }
}

/// What the form would post, as name → text, and its `data-field-` values.
fn form_values(form: &HtmlFormElement) -> serde_json::Map<String, serde_json::Value> {
    let mut values = serde_json::Map::new();
    if let Ok(data) = web_sys::FormData::new_with_form(form) {
        if let Ok(Some(entries)) = js_sys::try_iter(&data) {
            for entry in entries.flatten() {
                let pair = Array::from(&entry);
                if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    values.insert(name, serde_json::Value::String(value));
                }
            }
        }
    }
    for attribute in form.get_attribute_names().iter().filter_map(|a| a.as_string()) {
        if let (Some(field), Some(value)) = (
            attribute.strip_prefix("data-field-"),
            form.get_attribute(&attribute),
        ) {
            values
                .entry(field.to_string())
                .or_insert(serde_json::Value::String(value));
        }
    }
    values
}

fn on_input(event: web_sys::Event, check: Check) {
    let Some(field) = target_element(&event) else {
        return;
    };
    if let Ok(area) = field.clone().dyn_into::<web_sys::HtmlTextAreaElement>() {
        count_chars(&area);
    }
    // Once a field shows a message, check it again as the user types, so
    // the message goes as soon as the field is right.
    let Some(name) = field.get_attribute("name") else {
        return;
    };
    if by_id(&format!("{name}-fejl")).is_none() {
        return;
    }
    let Some((form, kind)) = checked_form(&field) else {
        return;
    };
    if let Some(found) = check(&kind, &form_values(&form)) {
        if !found.contains_key(&name) {
            show_error(&name, None);
        }
    }
}

/// The count under a textarea with `data-max-chars`, and its message once
/// the text is too long.
fn count_chars(area: &web_sys::HtmlTextAreaElement) {
    let Some(max) = area
        .get_attribute("data-max-chars")
        .and_then(|m| m.parse::<usize>().ok())
    else {
        return;
    };
    let name = area.name();
    let chars = area.value().chars().count();
    if let Some(counter) = by_id(&format!("{name}-antal")) {
        counter.set_text_content(Some(&format!("{chars} af {max} tegn")));
    }
    let message = (chars > max).then(|| too_long(max, chars));
    show_error(&name, message.as_deref());
}

/// Show or clear the message of field `name` the way the server draws it:
/// `form-error` on its group, the message after its label and hint with a
/// hidden "Fejl: ", `aria-invalid`, and `aria-describedby` naming it. A
/// summary from the last submit loses the fields whose message goes.
fn show_error(name: &str, message: Option<&str>) {
    let Some(document) = document() else { return };
    let Some(control) = document.get_element_by_id(name) else {
        return;
    };
    let Some(group) = control.closest(".form-group").ok().flatten() else {
        return;
    };
    let error_id = format!("{name}-fejl");
    let existing = document.get_element_by_id(&error_id);
    match message {
        Some(message) => {
            let shown = match existing {
                Some(shown) => shown,
                None => {
                    let Some(shown) = element("span", "form-error-message") else {
                        return;
                    };
                    shown.set_id(&error_id);
                    let Some(anchor) = error_anchor(&group, name) else {
                        return;
                    };
                    let _ = anchor.after_with_node_1(&shown);
                    shown
                }
            };
            let Some(hidden) = element("span", "visually-hidden") else {
                return;
            };
            hidden.set_text_content(Some("Fejl: "));
            shown.set_text_content(None);
            let _ = shown.append_child(&hidden);
            let _ = shown.append_child(&document.create_text_node(message));
            let _ = group.class_list().add_1("form-error");
            if is_control(&control) {
                let _ = control.set_attribute("aria-invalid", "true");
            }
        }
        None => {
            if let Some(shown) = existing {
                shown.remove();
                // Only a message that was drawn: a form-level one (a
                // conflict) links to the first field too, and stays.
                forget_in_summary(&document, name);
            }
            let _ = group.class_list().remove_1("form-error");
            let _ = control.remove_attribute("aria-invalid");
        }
    }
    describe(&document, &group, &control, name);
}

fn is_control(element: &Element) -> bool {
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

/// Where a field's message goes: after its hint, else after its label (or
/// its group's legend).
fn error_anchor(group: &Element, name: &str) -> Option<Element> {
    let selectors = [
        format!("[id='{name}-hjaelp']"),
        format!("label[for='{name}']"),
        "legend".to_string(),
    ];
    selectors
        .iter()
        .find_map(|selector| group.query_selector(selector).ok().flatten())
}

/// `aria-describedby` of a field: its hint, message and warning, those present.
fn describe(document: &Document, group: &Element, control: &Element, name: &str) {
    let holder = if is_control(control) {
        Some(control.clone())
    } else {
        group.query_selector("fieldset").ok().flatten()
    };
    let Some(holder) = holder else { return };
    let ids: Vec<String> = ["hjaelp", "fejl", "advarsel"]
        .iter()
        .map(|suffix| format!("{name}-{suffix}"))
        .filter(|id| document.get_element_by_id(id).is_some())
        .collect();
    if ids.is_empty() {
        let _ = holder.remove_attribute("aria-describedby");
    } else {
        let _ = holder.set_attribute("aria-describedby", &ids.join(" "));
    }
}

/// Take a fixed field out of the error summary; the summary goes when empty.
fn forget_in_summary(document: &Document, name: &str) {
    let Ok(Some(summary)) = document.query_selector(".error-summary") else {
        return;
    };
    if let Ok(Some(link)) = summary.query_selector(&format!("a[href='#{name}']")) {
        if let Some(item) = link.parent_element() {
            item.remove();
        }
    }
    if summary.query_selector("li").ok().flatten().is_none() {
        summary.remove();
    }
}

// --- posts and polls that redraw a region ---------------------------------------

fn on_submit(event: web_sys::Event) {
    let Some(form) = target_element(&event).and_then(|e| e.dyn_into::<HtmlFormElement>().ok()) else {
        return;
    };
    if !form.method().eq_ignore_ascii_case("post") {
        return;
    }
    let Some(region) = form.closest("[data-swap][id]").ok().flatten() else {
        return;
    };
    event.prevent_default();
    if BUSY.with(Cell::get) {
        return;
    }
    BUSY.with(|b| b.set(true));
    let button = event
        .dyn_ref::<web_sys::SubmitEvent>()
        .and_then(|e| e.submitter())
        .filter(|b| b.tag_name() == "BUTTON");
    if let Some(button) = &button {
        let _ = button.set_attribute("aria-disabled", "true");
    }
    wasm_bindgen_futures::spawn_local(async move {
        let answer = post(&form).await;
        BUSY.with(|b| b.set(false));
        if let Some(button) = &button {
            let _ = button.set_attribute("aria-disabled", "false");
        }
        match answer {
            Ok(Answer::Page(page, url, redirected)) => {
                let Some(new_region) = page.get_element_by_id(&region.id()) else {
                    if redirected {
                        // The post led to another page (a log-in that
                        // succeeded, the log-in after the session ended).
                        go_to(&url);
                    } else {
                        // The post's own answer is another page: let the
                        // browser post it and show that.
                        let _ = form.submit();
                    }
                    return;
                };
                let key = button.as_ref().map(FocusKey::of);
                swap(&region, &new_region);
                replace_url(&url);
                refocus(&region, key);
            }
            Ok(Answer::Other) => {
                // Not a page: let the browser post it and show the answer.
                let _ = form.submit();
            }
            Err(_) => {
                let said = say(
                    &region,
                    "Der er ingen forbindelse til Dagtilbudsportalen lige nu. Intet er gemt. Prøv igen om lidt.",
                );
                if !said {
                    // No place to say it: the browser's own post says it.
                    let _ = form.submit();
                }
            }
        }
    });
}

enum Answer {
    /// The page the server answered with, its address, and whether a
    /// redirect led there.
    Page(Document, String, bool),
    Other,
}

/// Send `form` as its plain post, following the server's redirect to a page.
async fn post(form: &HtmlFormElement) -> Result<Answer, JsValue> {
    let data = web_sys::FormData::new_with_form(form)?;
    let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    fetch_page(&form.action(), &init).await
}

async fn fetch_page(url: &str, init: &web_sys::RequestInit) -> Result<Answer, JsValue> {
    let headers = web_sys::Headers::new()?;
    headers.set("Accept", "text/html")?;
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await?
        .dyn_into()?;
    let is_html = response
        .headers()
        .get("content-type")?
        .is_some_and(|t| t.starts_with("text/html"));
    if !response.ok() || !is_html {
        return Ok(Answer::Other);
    }
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let page = web_sys::DomParser::new()?.parse_from_string(&text, web_sys::SupportedType::TextHtml)?;
    Ok(Answer::Page(page, response.url(), response.redirected()))
}

/// Replace `region`'s content by `new`'s. The live regions stay the same
/// elements and take their new content, so it is announced.
fn swap(region: &Element, new: &Element) {
    let mut kept = Vec::new();
    for old in within::<Element>(region, "[aria-live][id]") {
        let Some(fresh) = new.query_selector(&format!("[id='{}']", old.id())).ok().flatten() else {
            continue;
        };
        let content = children(&fresh);
        let _ = fresh.replace_with_with_node_1(&old);
        kept.push((old, content));
    }
    // The server never sends a password back (it keeps no secret for the
    // page it answers with); what the user typed stays in the browser.
    let typed: Vec<(String, String)> = within::<web_sys::HtmlInputElement>(region, "input[type=password]")
        .iter()
        .map(|f| (f.name(), f.value()))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    region.replace_children_with_node(&children(new));
    for (old, content) in kept {
        old.replace_children_with_node(&content);
    }
    for field in within::<web_sys::HtmlInputElement>(region, "input[type=password]") {
        if let Some((_, value)) = typed.iter().find(|(name, _)| *name == field.name()) {
            if field.value().is_empty() {
                field.set_value(value);
            }
        }
    }
    TOUCHED.with(|t| t.borrow_mut().clear());
}

fn children(element: &Element) -> Array {
    let nodes = element.child_nodes();
    (0..nodes.length()).filter_map(|i| nodes.get(i)).collect()
}

/// Which button was pressed, to find it again in the redrawn region.
struct FocusKey {
    id: String,
    action: Option<String>,
    label: String,
}

impl FocusKey {
    fn of(button: &HtmlElement) -> Self {
        FocusKey {
            id: button.id(),
            action: button
                .closest("form")
                .ok()
                .flatten()
                .and_then(|f| f.get_attribute("action")),
            label: label_of(button),
        }
    }
}

fn label_of(element: &Element) -> String {
    element
        .get_attribute("aria-label")
        .or_else(|| element.text_content())
        .unwrap_or_default()
}

/// After a redraw: the error summary if the server refused the submit,
/// else the button pressed, else the region's main button.
fn refocus(region: &Element, key: Option<FocusKey>) {
    let summary = region.query_selector(".error-summary").ok().flatten();
    let pressed = || {
        let key = key.as_ref()?;
        if !key.id.is_empty() {
            if let Ok(Some(button)) = region.query_selector(&format!("[id='{}']", key.id)) {
                return Some(button);
            }
        }
        within::<Element>(region, "button[type=submit]")
            .into_iter()
            .find(|b| {
                label_of(b) == key.label
                    && b.closest("form")
                        .ok()
                        .flatten()
                        .and_then(|f| f.get_attribute("action"))
                        == key.action
            })
    };
    let target = summary
        .or_else(pressed)
        .or_else(|| region.query_selector("[data-primary]").ok().flatten());
    if let Some(target) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

/// Put the page's address where the answer came from, without the
/// one-time notices (`gemt`, `bekraeftet`) a reload should not repeat.
fn replace_url(url: &str) {
    let Ok(address) = web_sys::Url::new(url) else {
        return;
    };
    address.search_params().delete("gemt");
    address.search_params().delete("bekraeftet");
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address.href()));
    }
}

fn go_to(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(url);
    }
}

/// Say `message` in the region's status (its live region that says
/// "Gemt."); false if it has none.
fn say(region: &Element, message: &str) -> bool {
    let Ok(Some(status)) = region.query_selector("[role=status]") else {
        return false;
    };
    let (Some(alert), Some(text)) = (element("div", "alert alert-error"), element("p", "")) else {
        return false;
    };
    text.set_text_content(Some(message));
    let _ = alert.append_child(&text);
    status.replace_children_with_node_1(&alert);
    true
}

fn schedule_poll(id: String) {
    let Some(window) = web_sys::window() else { return };
    let Some(every) = by_id(&id)
        .and_then(|r| r.get_attribute("data-poll"))
        .and_then(|ms| ms.parse::<i32>().ok())
    else {
        return;
    };
    let tick = Closure::once_into_js(move || {
        wasm_bindgen_futures::spawn_local(async move {
            if !BUSY.with(Cell::get) {
                BUSY.with(|b| b.set(true));
                let here = web_sys::window().and_then(|w| w.location().href().ok());
                let answer = match &here {
                    Some(url) => fetch_page(url, &web_sys::RequestInit::new()).await,
                    None => Ok(Answer::Other),
                };
                BUSY.with(|b| b.set(false));
                if let (Ok(Answer::Page(page, _, _)), Some(region)) = (answer, by_id(&id)) {
                    if let Some(new) = page.get_element_by_id(&id) {
                        swap(&region, &new);
                        if new.get_attribute("data-poll").is_none() {
                            let _ = region.remove_attribute("data-poll");
                        }
                    }
                }
            }
            schedule_poll(id);
        });
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(tick.unchecked_ref(), every);
}
