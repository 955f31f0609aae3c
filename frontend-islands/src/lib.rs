//! The entry point of the pages with forms (log-in, "Meld en fejl", each
//! section's form): hydrate their islands only.
//!
//! These pages are the server's HTML with a few live parts, each an
//! `#[island]`. Only the islands' code and what it uses is linked into this
//! bundle; the portal's pages load the smaller `frontend-portal`, and the
//! rest of the signed-in areas hydrate from `frontend`.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
