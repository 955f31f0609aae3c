//! The entry point of the pages with forms: the log-in, before and after
//! the password, "Meld en fejl", the section forms and the reminders.
//!
//! These pages are the server's HTML with plain form posts and no islands.
//! `components::enhance` adds what JavaScript can: forms sent in place,
//! instant checks with the server's rules (`app::instant_check`), character
//! counts and the reminder's progress. So this bundle holds no view code and
//! no framework runtime. It is named as the site (`dagtilbud`), so
//! `cargo leptos watch` builds it. The portal's pages load
//! `frontend-portal`, and pages without live parts none
//! (`app::page_bundle`).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::components::enhance::start(app::instant_check);
}
