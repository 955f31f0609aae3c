//! The comparison tray: with JavaScript, institutions chosen on search pages
//! and institution pages are collected here (kept in the browser's
//! localStorage, so the choice survives paging and new searches) until the
//! parent opens the comparison. Without JavaScript nothing of this is shown:
//! the results' checkboxes and the pages' links reach `/sammenlign` by
//! themselves.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::compare::MAX_COMPARED;

/// One chosen institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub nummer: String,
    pub navn: String,
}

/// The tray's state, shared by the page's islands (the result boxes, the
/// institution page's button and the tray itself). Each is its own island,
/// so the state is one per browser page rather than a context.
#[derive(Clone)]
pub struct Tray {
    chosen: ArcRwSignal<Vec<Chosen>>,
    /// The latest thing to announce (added, removed, full).
    message: ArcRwSignal<String>,
    /// True once the page is hydrated; nothing interactive renders before,
    /// so the islands hydrate against the server's HTML.
    active: ArcRwSignal<bool>,
}

#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "dagtilbud-sammenlign";

#[cfg(feature = "hydrate")]
thread_local! {
    static SHARED: Tray = Tray::empty();
}

impl Tray {
    fn empty() -> Tray {
        Tray {
            chosen: ArcRwSignal::new(Vec::new()),
            message: ArcRwSignal::new(String::new()),
            active: ArcRwSignal::new(false),
        }
    }

    /// The page's tray. On the server every render gets an empty, inactive
    /// one; in the browser all islands of the page share one.
    pub fn current() -> Tray {
        #[cfg(feature = "hydrate")]
        {
            SHARED.with(Tray::clone)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Tray::empty()
        }
    }

    /// Fill the tray from localStorage and show it. Called by the bundle once
    /// every island of the page has hydrated.
    pub fn activate() {
        let tray = Tray::current();
        if !tray.active.get_untracked() {
            tray.chosen.set(load());
            tray.active.set(true);
        }
    }

    pub fn active(&self) -> bool {
        self.active.get()
    }

    pub fn contains(&self, nummer: &str) -> bool {
        self.chosen.with(|c| c.iter().any(|x| x.nummer == nummer))
    }

    /// Add or remove one institution; refuses a fifth with a message.
    pub fn set(&self, chosen: Chosen, on: bool) -> bool {
        let mut accepted = true;
        self.chosen.update(|list| {
            let present = list.iter().any(|x| x.nummer == chosen.nummer);
            if on && !present {
                if list.len() >= MAX_COMPARED {
                    accepted = false;
                    self.message.set(format!(
                        "Du kan højst sammenligne {MAX_COMPARED} dagtilbud. Fjern et, før du vælger {}.",
                        chosen.navn
                    ));
                } else {
                    self.message
                        .set(format!("{} er valgt til sammenligning.", chosen.navn));
                    list.push(chosen);
                }
            } else if !on && present {
                list.retain(|x| x.nummer != chosen.nummer);
                self.message
                    .set(format!("{} er fjernet fra sammenligningen.", chosen.navn));
            }
        });
        save(&self.chosen.get_untracked());
        accepted
    }

    fn clear(&self) {
        self.chosen.set(Vec::new());
        self.message.set("Sammenligningen er tømt.".into());
        save(&[]);
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(feature = "hydrate")]
fn load() -> Vec<Chosen> {
    let mut list: Vec<Chosen> = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    list.truncate(MAX_COMPARED);
    list
}

#[cfg(not(feature = "hydrate"))]
fn load() -> Vec<Chosen> {
    Vec::new()
}

#[cfg(feature = "hydrate")]
fn save(list: &[Chosen]) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(list)) {
        // A full or disabled storage only means the choice is not remembered.
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

#[cfg(not(feature = "hydrate"))]
fn save(_: &[Chosen]) {}

/// The link to the comparison of `chosen`.
pub fn compare_href(chosen: &[Chosen]) -> String {
    let numbers: Vec<String> = chosen.iter().map(|c| format!("nr={}", c.nummer)).collect();
    format!("/sammenlign?{}", numbers.join("&"))
}

/// The tray at the bottom of the page (only with JavaScript, and only when
/// something is chosen or was just announced).
#[cfg_attr(any(feature = "ssr", feature = "portal-bundle"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "portal-bundle")), component)]
pub fn CompareTray() -> impl IntoView {
    let tray = Tray::current();
    let message = tray.message.clone();
    view! {
        <p class="visually-hidden" aria-live="polite">{move || message.get()}</p>
        {move || {
            let tray = tray.clone();
            let chosen = tray.chosen.get();
            (tray.active() && !chosen.is_empty()).then(|| {
                let count = chosen.len();
                let href = compare_href(&chosen);
                view! {
                    <aside class="compare-tray" aria-labelledby="sammenlign-bakke">
                        <h2 id="sammenlign-bakke" class="compare-tray-title">
                            {format!("Valgt til sammenligning ({count} af {MAX_COMPARED})")}
                        </h2>
                        <ul class="compare-tray-list">
                            {chosen.into_iter().map(|c| {
                                let tray = tray.clone();
                                let label = format!("Fjern {} fra sammenligningen", c.navn);
                                let name = c.navn.clone();
                                view! {
                                    <li>
                                        <span>{name}</span>
                                        <button type="button" class="button-link" aria-label=label on:click=move |_| { tray.set(c.clone(), false); }>"Fjern"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <div class="button-row">
                            {if count >= 2 {
                                view! { <a class="button" href=href data-testid="tray-compare">"Sammenlign"</a> }.into_any()
                            } else {
                                view! { <span class="muted">"Vælg mindst ét dagtilbud mere."</span> }.into_any()
                            }}
                            <button type="button" class="button-link" on:click={
                                let tray = tray.clone();
                                move |_| tray.clear()
                            }>"Ryd"</button>
                        </div>
                    </aside>
                }
            })
        }}
    }
}

/// The result's checkbox: a plain field of the results form, which
/// [`ChoiceTracker`] binds to the tray when JavaScript runs.
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

/// Beside the results (the server's HTML): ticking a result's box adds it
/// to the tray and unticking removes it; the boxes follow the tray (what
/// the browser kept, removals in the tray). One island for the whole list,
/// so each hit costs no island of its own; it listens on the window rather
/// than wrapping the list, so the list is plain server HTML (island
/// children cost every render a copy of their view).
#[cfg_attr(any(feature = "ssr", feature = "portal-bundle"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "portal-bundle")), component)]
pub fn ChoiceTracker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        const BOXES: &str = "input[type=checkbox][name=nr][data-navn]";
        let tray = Tray::current();
        {
            let tray = tray.clone();
            Effect::new(move |_| {
                let chosen = tray.chosen.get();
                for input in super::elements::<web_sys::HtmlInputElement>(BOXES) {
                    input.set_checked(chosen.iter().any(|c| c.nummer == input.value()));
                }
            });
        }
        let _ = window_event_listener(leptos::ev::change, move |ev| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .filter(|input| input.matches(BOXES).unwrap_or(false))
            else {
                return;
            };
            let Some(navn) = input.get_attribute("data-navn") else {
                return;
            };
            let chosen = Chosen {
                nummer: input.value(),
                navn,
            };
            if !tray.set(chosen, input.checked()) {
                // Refused (the tray is full): show it unchecked again.
                input.set_checked(false);
            }
        });
    }
}

/// "Tilføj til sammenligning" on an institution page (only with JavaScript).
#[cfg_attr(any(feature = "ssr", feature = "portal-bundle"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "portal-bundle")), component)]
pub fn AddToTray(nummer: String, navn: String) -> impl IntoView {
    let tray = Tray::current();
    let chosen = Chosen { nummer, navn };
    view! {
        {move || {
            let chosen = chosen.clone();
            let tray = tray.clone();
            tray.active().then(|| {
                let present = tray.contains(&chosen.nummer);
                view! {
                    <button
                        type="button"
                        class="button button-secondary"
                        aria-pressed=if present { "true" } else { "false" }
                        on:click=move |_| { tray.set(chosen.clone(), !present); }
                    >
                        "Vælg til sammenligning"
                    </button>
                }
            })
        }}
    }
}
