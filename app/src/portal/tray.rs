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

/// The tray's state, shared by the page's controls and the tray itself.
#[derive(Clone, Copy)]
pub struct Tray {
    chosen: RwSignal<Vec<Chosen>>,
    /// The latest thing to announce (added, removed, full).
    message: RwSignal<String>,
    /// True once the WASM runs; nothing interactive renders before.
    active: RwSignal<bool>,
}

#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "dagtilbud-sammenlign";

impl Tray {
    /// Provide the page's tray; its contents come from localStorage once the
    /// WASM runs.
    pub fn provide() -> Tray {
        let tray = Tray {
            chosen: RwSignal::new(Vec::new()),
            message: RwSignal::new(String::new()),
            active: RwSignal::new(false),
        };
        // Effects run only in the browser, after hydration.
        Effect::new(move |_| {
            tray.chosen.set(load());
            tray.active.set(true);
        });
        provide_context(tray);
        tray
    }

    pub fn current() -> Option<Tray> {
        use_context::<Tray>()
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
#[component]
pub fn CompareTray() -> impl IntoView {
    let Some(tray) = Tray::current() else {
        return ().into_any();
    };
    view! {
        <p class="visually-hidden" aria-live="polite">{move || tray.message.get()}</p>
        {move || {
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
                            <button type="button" class="button-link" on:click=move |_| tray.clear()>"Ryd"</button>
                        </div>
                    </aside>
                }
            })
        }}
    }
    .into_any()
}

/// The result's checkbox, bound to the tray when JavaScript runs; a plain
/// form field of the results form without.
#[component]
pub fn ChooseBox(nummer: String, navn: String) -> impl IntoView {
    let id = format!("nr-{nummer}");
    let label = format!("Vælg {navn} til sammenligning");
    let tray = Tray::current();
    let checked_nummer = nummer.clone();
    let chosen = Chosen {
        nummer: nummer.clone(),
        navn,
    };
    view! {
        <div class="form-check">
            <input
                type="checkbox"
                id=id.clone()
                name="nr"
                value=nummer
                prop:checked=move || tray.is_some_and(|t| t.contains(&checked_nummer))
                on:change=move |ev| {
                    if let Some(tray) = tray {
                        let on = event_target_checked(&ev);
                        if !tray.set(chosen.clone(), on) {
                            // Refused (the tray is full): show it unchecked again.
                            tray.chosen.update(|_| ());
                        }
                    }
                }
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// "Tilføj til sammenligning" on an institution page (only with JavaScript).
#[component]
pub fn AddToTray(nummer: String, navn: String) -> impl IntoView {
    let Some(tray) = Tray::current() else {
        return ().into_any();
    };
    let chosen = Chosen { nummer, navn };
    view! {
        {move || {
            let chosen = chosen.clone();
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
    .into_any()
}
