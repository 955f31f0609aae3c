//! The entry point of the public forms' pages, the log-in pages and "Meld en
//! fejl": hydrate their islands only.
//!
//! Built with `app/forms-bundle`, in which the section forms' islands are
//! plain components that nothing here reaches: this bundle holds the log-in
//! and report forms and the portal's islands, and what they use.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
