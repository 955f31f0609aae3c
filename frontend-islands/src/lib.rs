//! The entry point of the public, log-in and section pages: hydrate their
//! islands only.
//!
//! These pages (search, institution, kommune, comparison, the log-in forms,
//! each section's form) are the server's HTML with a few live parts, each an
//! `#[island]`. Only the islands' code and what it uses is linked into this
//! bundle; the rest of the signed-in areas hydrate from `frontend`.

use wasm_bindgen::{prelude::wasm_bindgen, JsCast};

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Without the router of the whole app, a server function's redirect
    // (after a log-in) is a page load.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    leptos::mount::hydrate_islands();
    // The page's islands hydrate right after this returns (the hydration
    // script walks the page), each in its own microtask; a timeout runs once
    // they all have. Then the comparison tray may show what the browser
    // keeps, and the browser tests may go on.
    let done = wasm_bindgen::closure::Closure::once_into_js(|| {
        app::portal::tray::Tray::activate();
        let _ = js_sys::Reflect::set(
            &leptos::prelude::window(),
            &"__dagtilbudHydrated".into(),
            &true.into(),
        );
    });
    let _ = leptos::prelude::window().set_timeout_with_callback(done.unchecked_ref());
}
