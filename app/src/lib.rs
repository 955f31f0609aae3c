//! Dagtilbudsportalen's frivillig indberetning: the Leptos application.
//!
//! One module per area of the product. `domain` holds the types and rules
//! shared by browser and server; `ssr` holds what only the server may run.

#![recursion_limit = "256"]

pub mod admin;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
pub mod components;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod domain;
pub mod error;
pub mod feedback;
pub mod institution;
pub mod kommune;
pub mod pages;
pub mod portal;
pub mod published;
pub mod register;
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod support;
pub mod workspace;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::auth::AuthRoutes;
use crate::components::layout::Layout;
use crate::institution::InstitutionRoutes;
use crate::kommune::KommuneRoutes;
use crate::pages::{Accessibility, Cookies, NotFound};
use crate::portal::PortalRoutes;
use crate::support::SupportRoutes;

/// The service name shown in the header and every page title.
pub const SERVICE_NAME: &str = "Dagtilbudsportalen";

/// The file name (in `pkg/`) of the bundle of the section forms' pages
/// (`frontend-islands`). It holds every island.
pub const ISLANDS_BUNDLE: &str = "islands";

/// The file name of the bundle of the public forms' pages, log-in and "Meld
/// en fejl": the portal's islands and those forms (`frontend-forms`).
pub const FORMS_BUNDLE: &str = "forms";

/// The file name of the smallest bundle, of the portal's other pages: their
/// islands and no form (`frontend-portal`).
pub const PORTAL_BUNDLE: &str = "portal";

/// The islands bundle the page at `path` loads, if it is a document with a
/// few live parts: the public portal, the log-in pages and the section
/// forms. Any other path (`None`), the rest of the signed-in areas and a
/// mistyped address alike, loads the whole application and hydrates all of it.
pub fn islands_bundle(path: &str) -> Option<&'static str> {
    if portal::report::is_report_page(path) || matches!(path, "/log-ind" | "/admin/log-ind") {
        Some(FORMS_BUNDLE)
    } else if portal::is_public_page(path) {
        Some(PORTAL_BUNDLE)
    } else if workspace::routes::is_island_page(path) {
        Some(ISLANDS_BUNDLE)
    } else {
        None
    }
}

#[cfg(test)]
mod bundle_tests {
    use super::*;

    #[test]
    fn each_page_loads_the_bundle_of_its_live_parts() {
        for path in [
            "/",
            "/dagtilbud/G10234",
            "/kommuner/746",
            "/sammenlign",
            "/cookies",
        ] {
            assert_eq!(islands_bundle(path), Some(PORTAL_BUNDLE), "{path}");
        }
        for path in ["/dagtilbud/G10234/meld-fejl", "/log-ind", "/admin/log-ind"] {
            assert_eq!(islands_bundle(path), Some(FORMS_BUNDLE), "{path}");
        }
        for path in ["/indberetning/profil", "/kommune/dagtilbud/G10234/lukkedage"] {
            assert_eq!(islands_bundle(path), Some(ISLANDS_BUNDLE), "{path}");
        }
        for path in ["/indberetning", "/kommune", "/support/konti", "/findes/ikke"] {
            assert_eq!(islands_bundle(path), None, "{path}");
        }
    }
}

#[cfg(all(feature = "ssr", any(feature = "portal-bundle", feature = "forms-bundle")))]
compile_error!("`portal-bundle` and `forms-bundle` are for the wasm builds: with them the server would not mark every island");

/// The HTML document around every page (rendered on the server only).
///
/// The public, log-in and section pages are documents with a few live parts,
/// so they load only an islands bundle, which hydrates their `#[island]`s:
/// the rest of the page stays the server's HTML. The rest of the signed-in
/// areas load the whole application and hydrate all of it (`islands_bundle`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = request_path().and_then(|path| islands_bundle(&path));
    let islands = bundle.is_some();
    let mut scripts = options.clone();
    if let Some(bundle) = bundle {
        scripts.output_name = bundle.into();
    }
    view! {
        <!DOCTYPE html>
        <html lang="da">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=scripts islands />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Hydrate the page's islands: the start of the three islands bundles
/// (`frontend-portal`, `frontend-forms`, `frontend-islands`).
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    use leptos::wasm_bindgen::JsCast;
    // Without the router of the whole app, a server function's redirect
    // (after a log-in) is a page load.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location| {
        let _ = window().location().set_href(location);
    });
    leptos::mount::hydrate_islands();
    // The page's islands hydrate right after this returns (the hydration
    // script walks the page), each in its own microtask; a timeout runs once
    // they all have. Then the comparison tray may show what the browser
    // keeps, and the browser tests may go on.
    let done = leptos::wasm_bindgen::closure::Closure::once_into_js(|| {
        portal::tray::Tray::activate();
        let _ = js_sys::Reflect::set(&window(), &"__dagtilbudHydrated".into(), &true.into());
    });
    let _ = window().set_timeout_with_callback(done.unchecked_ref());
}

/// The path of the request being rendered (server only).
fn request_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Every page's `<title>`: the page's own text and the service name.
///
/// leptos_meta writes the title into the server's HTML as it is, so an
/// institution's name could end the element there; on the server the title
/// is escaped here, in the one place every title passes. The browser sets
/// `document.title` as text, so it gets the title unescaped.
pub fn page_title(text: String) -> String {
    let title = if text.is_empty() {
        SERVICE_NAME.to_string()
    } else {
        format!("{text} – {SERVICE_NAME}")
    };
    #[cfg(feature = "ssr")]
    let title = crate::components::form::escape_text(&title);
    title
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/dagtilbud.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="description" content="Find og sammenlign dagtilbud i hele Danmark." />
        <Title formatter=page_title />
        // Every page renders completely before it is sent: forms and their
        // errors must be in the HTML for browsers without JavaScript, and the
        // status code must be known before the first byte.
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <PortalRoutes />
                    <Route path=path!("tilgaengelighed") view=Accessibility ssr=SsrMode::Async />
                    <Route path=path!("cookies") view=Cookies ssr=SsrMode::Async />
                    <AuthRoutes />
                    <InstitutionRoutes />
                    <KommuneRoutes />
                    <SupportRoutes />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The OpenAPI document of both `/api/v1` surfaces.
#[cfg(feature = "ssr")]
pub fn api_document() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::document([
        portal::api::OpenDataDoc::openapi(),
        kommune::api::KommuneApiDoc::openapi(),
    ])
}

/// GET /api/v1/openapi.json
#[cfg(feature = "ssr")]
pub async fn openapi_json(headers: axum::http::HeaderMap) -> axum::response::Response {
    api::serve_document(&headers, &api_document())
}
