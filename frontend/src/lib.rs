//! The browser entry point: hydrate the server-rendered page.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Public pages reached from here render their comparison tray in the
    // browser; none is on the page just hydrated.
    app::portal::tray::Tray::activate();
    // Lets the browser tests wait for interactivity instead of sleeping.
    let _ = js_sys::Reflect::set(
        &leptos::prelude::window(),
        &"__dagtilbudHydrated".into(),
        &true.into(),
    );
}
