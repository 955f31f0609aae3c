//! The entry point of the log-in's pages, before and after the password
//! (choosing or changing it, the second factor), and "Meld en fejl":
//! hydrate their islands only.
//!
//! Built with `app/forms-bundle`, in which the other pages' islands are
//! plain components that nothing here reaches: this bundle holds those
//! forms and what they use.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
