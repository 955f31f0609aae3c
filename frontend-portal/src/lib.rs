//! The entry point of the public portal's pages (search, institution,
//! kommune, comparison): `portal::live` works on the server's HTML (the
//! search that follows each choice, the kommune filter, the comparison tray
//! and "Brug min placering"). No islands: this bundle holds only that code,
//! no view code and no framework runtime.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::portal::live::start();
}
