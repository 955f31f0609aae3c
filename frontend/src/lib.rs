//! The entry point of the section forms' pages: hydrate their islands.
//!
//! Every page is the server's HTML with at most a few live parts, each an
//! `#[island]`. This bundle holds every island, the section forms' among
//! them, and is named as the site (`dagtilbud`), so `cargo leptos watch`
//! builds it. The portal's pages load the smaller `frontend-portal`, the
//! public forms' `frontend-forms`, and pages without islands none
//! (`app::islands_bundle`).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
