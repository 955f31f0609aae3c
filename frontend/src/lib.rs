//! The entry point of the signed-in pages with islands: hydrate them.
//!
//! Every page is the server's HTML with at most a few live parts, each an
//! `#[island]`. Built with `app/signed-in-bundle`: this bundle holds the
//! signed-in areas' islands (the section forms, the reminder's form and
//! progress) and what they use. It is named as the site (`dagtilbud`), so
//! `cargo leptos watch` builds it. The portal's pages load
//! `frontend-portal`, the log-in's and the public forms `frontend-forms`,
//! and pages without islands none (`app::islands_bundle`).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
