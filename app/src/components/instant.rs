//! Instant checks in the browser with the server's own rules: when the user
//! leaves a field, the whole form is read and parsed by the same Rust code the
//! server runs, and the errors of the fields the user has visited are shown.

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::components::form::FormErrors;
use crate::error::FieldErrors;

/// Read the posted fields of `form` (as named by `F`'s fields) into an `F`.
#[cfg(feature = "hydrate")]
fn read_form<F: Serialize + DeserializeOwned + Default>(form: &web_sys::HtmlFormElement) -> Option<F> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let serde_json::Value::Object(fields) = serde_json::to_value(F::default()).ok()? else {
        return None;
    };
    let mut map = serde_json::Map::new();
    for (name, default) in fields {
        match data.get(&name).as_string() {
            Some(value) => {
                map.insert(name, serde_json::Value::String(value));
            }
            None => {
                map.insert(name, default);
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(map)).ok()
}

/// Event handlers for a `<form>`: call on `focusout` and `input`. `parse` is the
/// form type's own `parse` (the server's rules).
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct InstantCheck {
    touched: RwSignal<BTreeSet<String>>,
}

impl InstantCheck {
    pub fn new() -> Self {
        InstantCheck {
            touched: RwSignal::new(BTreeSet::new()),
        }
    }

    /// Check after the user leaves a field (`focusout` bubbles to the form).
    pub fn on_leave<F, T>(
        self,
        errors: FormErrors,
        parse: impl Fn(&F) -> Result<T, FieldErrors> + Copy + 'static,
    ) -> impl Fn(leptos::ev::FocusEvent) + Copy + 'static
    where
        F: Serialize + DeserializeOwned + Default + 'static,
    {
        move |_ev: leptos::ev::FocusEvent| {
            #[cfg(feature = "hydrate")]
            {
                use leptos::wasm_bindgen::JsCast;
                let Some(name) = _ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.get_attribute("name"))
                else {
                    return;
                };
                self.touched.update(|t| {
                    t.insert(name);
                });
                let Some(form) = _ev
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                else {
                    return;
                };
                if let Some(values) = read_form::<F>(&form) {
                    self.apply(errors, parse(&values).err().unwrap_or_default());
                }
            }
            #[cfg(not(feature = "hydrate"))]
            {
                let _ = (errors, parse);
            }
        }
    }

    /// Show the errors of visited fields, clear the rest of theirs.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn apply(self, errors: FormErrors, found: FieldErrors) {
        let touched = self.touched.get_untracked();
        errors.0.update(|shown| {
            for field in &touched {
                match found.get(field) {
                    Some(message) => {
                        shown.insert(field.clone(), message.clone());
                    }
                    None => {
                        shown.remove(field);
                    }
                }
            }
            // A form-level message (conflict, server error) stays until the next submit.
        });
    }
}

impl Default for InstantCheck {
    fn default() -> Self {
        Self::new()
    }
}
