//! The entry point of the public portal's pages (search, institution,
//! kommune, comparison): hydrate their islands only.
//!
//! Built with `app/portal-bundle`, in which the other pages' islands are
//! plain components that nothing here reaches: this bundle holds
//! the search form, the kommune filter, the comparison tray and "Brug min
//! placering", and what they use.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
