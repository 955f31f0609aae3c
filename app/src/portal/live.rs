//! The portal's live parts, written straight against the DOM (the portal's
//! bundle, `frontend-portal`). The pages are the server's HTML and work
//! without JavaScript; this adds, where the server marks a place for it:
//! - the search form (`form.search-form`) searches as soon as a choice
//!   changes, and a page the browser shows again on "back" resets it to the
//!   search its address names;
//! - "Find en kommune" (`#kommune-filter`) narrows the list of kommuner;
//! - "Brug min placering" (`#placering-knap`) searches from where the
//!   parent is;
//! - the comparison tray (`tray`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlFormElement};

use super::search::SearchFilter;
use crate::components::enhance::{all, by_id, document, element, listen, ready, target_element};

/// Start the portal page's live parts, then say so.
pub fn start() {
    let Some(page) = document() else { return };
    listen(&page, "change", on_change);
    listen(&page, "input", on_input);
    if let Some(window) = web_sys::window() {
        let on_show =
            Closure::<dyn FnMut(web_sys::PageTransitionEvent)>::new(|event: web_sys::PageTransitionEvent| {
                if event.persisted() {
                    for form in all::<HtmlFormElement>("form.search-form") {
                        form.reset();
                    }
                }
            });
        let _ = window.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
        on_show.forget();
    }
    locate_button();
    super::tray::start();
    ready();
}

fn on_change(event: web_sys::Event) {
    let Some(target) = target_element(&event) else {
        return;
    };
    if super::tray::on_change(&target) {
        return;
    }
    if let Some(form) = target
        .closest("form.search-form")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    {
        let _ = form.request_submit();
    }
}

/// "Find en kommune": hide the kommuner whose name does not hold what is
/// typed, and say how many are shown.
fn on_input(event: web_sys::Event) {
    let Some(field) = target_element(&event)
        .filter(|e| e.id() == "kommune-filter")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let needle = field.value().trim().to_lowercase();
    let mut shown = 0;
    for item in all::<HtmlElement>(".kommune-list li[data-navn]") {
        let matches = item
            .get_attribute("data-navn")
            .is_some_and(|navn| navn.contains(&needle));
        item.set_hidden(!matches);
        shown += usize::from(matches);
    }
    if let Some(count) = by_id(super::places::KOMMUNER_SHOWN) {
        count.set_text_content(Some(&format!("{shown} kommuner vises")));
    }
}

fn locate_button() {
    let (Some(place), Some(button)) = (
        by_id(super::places::LOCATE_BUTTON),
        element("button", "button button-secondary"),
    ) else {
        return;
    };
    let _ = button.set_attribute("type", "button");
    button.set_text_content(Some("Brug min placering"));
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(use_location);
    let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let _ = place.append_child(&button);
    place.set_class_name("form-group form-group-button");
}

/// Say how asking for the location goes, in the fields' live region.
fn say(text: Option<&str>) {
    if let Some(status) = by_id(super::places::LOCATE_STATUS) {
        status.set_text_content(Some(text.unwrap_or_default()));
    }
}

fn use_location(event: web_sys::Event) {
    let Some(form) = target_element(&event)
        .and_then(|e| e.closest("form").ok().flatten())
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let unable = "Din browser kan ikke give din placering. Skriv i stedet dit postnummer.";
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        say(Some(unable));
        return;
    };
    say(Some("Finder din placering …"));
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        let mut filter = web_sys::FormData::new_with_form(&form)
            .map(|data| SearchFilter::from_query(|key| data.get(key).as_string()))
            .unwrap_or_default();
        // About 100 m is precise enough for "1,2 km" and tells less.
        filter.breddegrad = format!("{:.3}", coords.latitude());
        filter.laengdegrad = format!("{:.3}", coords.longitude());
        filter.fra.clear();
        filter.sortering.clear();
        say(None);
        // A page load, as the plain form's own search would be.
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(&format!("/{}", filter.query(1)));
        }
    });
    let failed = Closure::once_into_js(move |_error: wasm_bindgen::JsValue| {
        say(Some(
            "Vi fik ikke din placering (måske sagde browseren nej). Skriv i stedet dit postnummer.",
        ));
    });
    if geolocation
        .get_current_position_with_error_callback(found.unchecked_ref(), Some(failed.unchecked_ref()))
        .is_err()
    {
        say(Some(unable));
    }
}
