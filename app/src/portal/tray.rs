//! The comparison tray: with JavaScript, institutions chosen on search pages
//! and institution pages are collected here (kept in the browser's
//! localStorage, so the choice survives paging and new searches) until the
//! parent opens the comparison. Without JavaScript nothing of this is shown:
//! the results' checkboxes and the pages' links reach `/sammenlign` by
//! themselves.

#[cfg(feature = "ssr")]
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Most institutions compared at once.
pub const MAX_COMPARED: usize = 4;

/// One chosen institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub nummer: String,
    pub navn: String,
}

/// The link to the comparison of `chosen`.
pub fn compare_href(chosen: &[Chosen]) -> String {
    let numbers: Vec<String> = chosen.iter().map(|c| format!("nr={}", c.nummer)).collect();
    format!("/sammenlign?{}", numbers.join("&"))
}

/// Where the tray goes at the bottom of the page: its live region, which
/// says what was added or removed, and the tray itself, which only the
/// portal's bundle draws (`start`), when something is chosen.
#[cfg(feature = "ssr")]
#[component]
pub fn CompareTray() -> impl IntoView {
    view! {
        <p id=MESSAGE class="visually-hidden" aria-live="polite"></p>
        <div id=TRAY></div>
    }
}

const MESSAGE: &str = "bakke-besked";
const TRAY: &str = "bakke";

/// The result's checkbox: a plain field of the results form, which
/// [`ChoiceTracker`] binds to the tray when JavaScript runs.
#[cfg(feature = "ssr")]
#[component]
pub fn ChooseBox(nummer: String, navn: String) -> impl IntoView {
    let id = format!("nr-{nummer}");
    let label = format!("Vælg {navn} til sammenligning");
    view! {
        <div class="form-check">
            <input type="checkbox" id=id.clone() name="nr" value=nummer data-navn=navn />
            <label for=id>{label}</label>
        </div>
    }
}

/// Where "Vælg til sammenligning" goes on an institution page: only the
/// portal's bundle draws the button, which works only with it.
#[cfg(feature = "ssr")]
#[component]
pub fn AddToTray(nummer: String, navn: String) -> impl IntoView {
    view! { <span data-bakke-nummer=nummer data-bakke-navn=navn></span> }
}

#[cfg(feature = "hydrate")]
pub use live::{on_change, start};

/// The tray in the browser: the chosen institutions, kept in localStorage so
/// that the choice survives paging and new searches, drawn into the page's
/// places for it. Ticking a result's box adds it and unticking removes it;
/// the boxes and the institution page's button follow the tray.
#[cfg(feature = "hydrate")]
mod live {
    use std::cell::RefCell;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Element, HtmlElement, HtmlInputElement};

    use super::{compare_href, Chosen, MAX_COMPARED, MESSAGE, TRAY};
    use crate::components::enhance::{all, by_id, document, element, target_element};

    const STORAGE_KEY: &str = "dagtilbud-sammenlign";
    const BOXES: &str = "input[type=checkbox][name=nr][data-navn]";

    thread_local! {
        static CHOSEN: RefCell<Vec<Chosen>> = const { RefCell::new(Vec::new()) };
    }

    /// Fill the tray from what the browser keeps, draw it, and follow clicks
    /// on its buttons and the institution page's.
    pub fn start() {
        let chosen = load();
        CHOSEN.with(|c| *c.borrow_mut() = chosen);
        if let Some(page) = document() {
            let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(on_click);
            let _ = page.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
            on_click.forget();
        }
        draw();
    }

    /// A result's box changed: add or remove it. True if it was one.
    pub fn on_change(target: &Element) -> bool {
        let Some(input) = target
            .clone()
            .dyn_into::<HtmlInputElement>()
            .ok()
            .filter(|input| input.matches(BOXES).unwrap_or(false))
        else {
            return false;
        };
        let Some(navn) = input.get_attribute("data-navn") else {
            return true;
        };
        let chosen = Chosen {
            nummer: input.value(),
            navn,
        };
        if !set(chosen, input.checked()) {
            // Refused (the tray is full): show it unchecked again.
            input.set_checked(false);
        }
        true
    }

    fn on_click(event: web_sys::Event) {
        let Some(button) = target_element(&event).and_then(|e| e.closest("button").ok().flatten()) else {
            return;
        };
        if let Some(nummer) = button.get_attribute("data-bakke-fjern") {
            let navn = chosen().into_iter().find(|c| c.nummer == nummer).map(|c| c.navn);
            if let Some(navn) = navn {
                set(Chosen { nummer, navn }, false);
            }
        } else if button.has_attribute("data-bakke-ryd") {
            CHOSEN.with(|c| c.borrow_mut().clear());
            announce("Sammenligningen er tømt.");
            save();
            draw();
        } else if let Some(place) = button.closest("[data-bakke-nummer]").ok().flatten() {
            let (Some(nummer), Some(navn)) = (
                place.get_attribute("data-bakke-nummer"),
                place.get_attribute("data-bakke-navn"),
            ) else {
                return;
            };
            let present = chosen().iter().any(|c| c.nummer == nummer);
            set(Chosen { nummer, navn }, !present);
        }
    }

    fn chosen() -> Vec<Chosen> {
        CHOSEN.with(|c| c.borrow().clone())
    }

    /// Add or remove one institution; refuses a fifth with a message.
    fn set(chosen: Chosen, on: bool) -> bool {
        let mut accepted = true;
        let message = CHOSEN.with(|list| {
            let mut list = list.borrow_mut();
            let present = list.iter().any(|x| x.nummer == chosen.nummer);
            if on && !present {
                if list.len() >= MAX_COMPARED {
                    accepted = false;
                    Some(format!(
                        "Du kan højst sammenligne {MAX_COMPARED} dagtilbud. Fjern et, før du vælger {}.",
                        chosen.navn
                    ))
                } else {
                    let message = format!("{} er valgt til sammenligning.", chosen.navn);
                    list.push(chosen);
                    Some(message)
                }
            } else if !on && present {
                list.retain(|x| x.nummer != chosen.nummer);
                Some(format!("{} er fjernet fra sammenligningen.", chosen.navn))
            } else {
                None
            }
        });
        if let Some(message) = message {
            announce(&message);
        }
        save();
        draw();
        accepted
    }

    fn announce(message: &str) {
        if let Some(region) = by_id(MESSAGE) {
            region.set_text_content(Some(message));
        }
    }

    /// Draw the tray, the boxes and the institution page's button as the
    /// tray is now.
    fn draw() {
        let chosen = chosen();
        for input in all::<HtmlInputElement>(BOXES) {
            input.set_checked(chosen.iter().any(|c| c.nummer == input.value()));
        }
        for place in all::<Element>("[data-bakke-nummer]") {
            let present = place
                .get_attribute("data-bakke-nummer")
                .is_some_and(|nummer| chosen.iter().any(|c| c.nummer == nummer));
            let button = match place.query_selector("button").ok().flatten() {
                Some(button) => button,
                None => {
                    let Some(button) = element("button", "button button-secondary") else {
                        continue;
                    };
                    let _ = button.set_attribute("type", "button");
                    button.set_text_content(Some("Vælg til sammenligning"));
                    let _ = place.append_child(&button);
                    button
                }
            };
            let _ = button.set_attribute("aria-pressed", if present { "true" } else { "false" });
        }
        let Some(tray) = by_id(TRAY) else { return };
        // Focus on a button the redraw removes goes to the tray's heading.
        let had_focus = document()
            .and_then(|d| d.active_element())
            .is_some_and(|active| tray.contains(Some(&active)));
        tray.set_text_content(None);
        if chosen.is_empty() {
            return;
        }
        if let Some(aside) = tray_view(&chosen) {
            let _ = tray.append_child(&aside);
        }
        if had_focus {
            if let Some(heading) = by_id("sammenlign-bakke").and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
                let _ = heading.focus();
            }
        }
    }

    fn tray_view(chosen: &[Chosen]) -> Option<Element> {
        let count = chosen.len();
        let aside = element("aside", "compare-tray")?;
        let _ = aside.set_attribute("aria-labelledby", "sammenlign-bakke");
        let heading = element("h2", "compare-tray-title")?;
        heading.set_id("sammenlign-bakke");
        let _ = heading.set_attribute("tabindex", "-1");
        heading.set_text_content(Some(&format!(
            "Valgt til sammenligning ({count} af {MAX_COMPARED})"
        )));
        let list = element("ul", "compare-tray-list")?;
        for c in chosen {
            let item = element("li", "")?;
            let name = element("span", "")?;
            name.set_text_content(Some(&c.navn));
            let remove = element("button", "button-link")?;
            let _ = remove.set_attribute("type", "button");
            let _ = remove.set_attribute("aria-label", &format!("Fjern {} fra sammenligningen", c.navn));
            let _ = remove.set_attribute("data-bakke-fjern", &c.nummer);
            remove.set_text_content(Some("Fjern"));
            append(&item, &[&name, &remove]);
            append(&list, &[&item]);
        }
        let row = element("div", "button-row")?;
        let go = if count >= 2 {
            let link = element("a", "button")?;
            let _ = link.set_attribute("href", &compare_href(chosen));
            let _ = link.set_attribute("data-testid", "tray-compare");
            link.set_text_content(Some("Sammenlign"));
            link
        } else {
            let hint = element("span", "muted")?;
            hint.set_text_content(Some("Vælg mindst ét dagtilbud mere."));
            hint
        };
        let clear = element("button", "button-link")?;
        let _ = clear.set_attribute("type", "button");
        let _ = clear.set_attribute("data-bakke-ryd", "");
        clear.set_text_content(Some("Ryd"));
        append(&row, &[&go, &clear]);
        append(&aside, &[&heading, &list, &row]);
        Some(aside)
    }

    fn append(parent: &Element, children: &[&Element]) {
        for child in children {
            let _ = parent.append_child(child);
        }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// What the browser keeps: `[{"nummer": …, "navn": …}, …]`.
    fn load() -> Vec<Chosen> {
        let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
            return Vec::new();
        };
        let Ok(list) = js_sys::JSON::parse(&text) else {
            return Vec::new();
        };
        let field = |item: &JsValue, name: &str| js_sys::Reflect::get(item, &name.into()).ok()?.as_string();
        let mut chosen: Vec<Chosen> = js_sys::Array::from(&list)
            .iter()
            .filter_map(|item| {
                Some(Chosen {
                    nummer: field(&item, "nummer")?,
                    navn: field(&item, "navn")?,
                })
            })
            .collect();
        chosen.truncate(MAX_COMPARED);
        chosen
    }

    fn save() {
        let list: js_sys::Array = chosen()
            .iter()
            .map(|c| {
                let item = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&item, &"nummer".into(), &c.nummer.as_str().into());
                let _ = js_sys::Reflect::set(&item, &"navn".into(), &c.navn.as_str().into());
                JsValue::from(item)
            })
            .collect();
        if let (Some(storage), Ok(text)) = (storage(), js_sys::JSON::stringify(&list)) {
            // A full or disabled storage only means the choice is not remembered.
            let _ = storage.set_item(STORAGE_KEY, &String::from(text));
        }
    }
}
