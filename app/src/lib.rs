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
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
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

/// The WASM bundle a page loads to hydrate its islands. Every page is the
/// server's HTML; only its `#[island]`s come alive in the browser. Each
/// bundle holds the islands of some pages and no others (app's features
/// `portal-bundle`, `forms-bundle`, `signed-in-bundle`); a page without
/// islands loads none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `frontend-portal`: the portal's islands (search, tray, location).
    Portal,
    /// `frontend-forms`: the log-in's forms, before and after the password
    /// (choosing or changing it, the second factor), and "Meld en fejl".
    Forms,
    /// `frontend`: the signed-in areas' islands: the section forms, the
    /// reminder's form and progress.
    SignedIn,
}

impl Bundle {
    /// The bundle's file name in `pkg/`. The signed-in areas' is named as
    /// the site (`LEPTOS_OUTPUT_NAME`), so `cargo leptos watch` builds it.
    pub fn file_name(self, site: &str) -> &str {
        match self {
            Bundle::Portal => "portal",
            Bundle::Forms => "forms",
            Bundle::SignedIn => site,
        }
    }
}

/// The bundle the page at `path` loads, if it has islands: the public
/// portal, the log-in's and the public forms, and the signed-in pages with
/// instant checks or live parts (the section forms, the reminders). The
/// other signed-in pages (lists, plain forms) and a mistyped address load no
/// WASM: their forms are plain form posts.
pub fn islands_bundle(path: &str) -> Option<Bundle> {
    if portal::report::is_report_page(path)
        || matches!(path, "/log-ind" | "/admin/log-ind")
        || auth::is_signed_in_island_page(path)
    {
        Some(Bundle::Forms)
    } else if portal::is_public_page(path) {
        Some(Bundle::Portal)
    } else if workspace::routes::is_island_page(path) || kommune::reminders::is_island_page(path) {
        Some(Bundle::SignedIn)
    } else {
        None
    }
}

#[cfg(test)]
mod bundle_tests {
    use super::*;

    #[test]
    fn each_page_loads_the_bundle_of_its_islands() {
        for path in [
            "/",
            "/dagtilbud/G10234",
            "/kommuner/746",
            "/sammenlign",
            "/cookies",
        ] {
            assert_eq!(islands_bundle(path), Some(Bundle::Portal), "{path}");
        }
        for path in [
            "/dagtilbud/G10234/meld-fejl",
            "/log-ind",
            "/admin/log-ind",
            "/vaelg-adgangskode",
            "/skift-adgangskode",
            "/admin/totrin",
            "/admin/totrin/opsaet",
        ] {
            assert_eq!(islands_bundle(path), Some(Bundle::Forms), "{path}");
        }
        for path in [
            "/indberetning/profil",
            "/kommune/dagtilbud/G10234/lukkedage",
            "/kommune/paamindelser",
            "/kommune/paamindelser/12",
        ] {
            assert_eq!(islands_bundle(path), Some(Bundle::SignedIn), "{path}");
        }
        for path in [
            "/indberetning",
            "/indberetning/historik",
            "/kommune",
            "/kommune/udbakke",
            "/kommune/paamindelser/12/x",
            "/support/konti",
            "/findes/ikke",
        ] {
            assert_eq!(islands_bundle(path), None, "{path}");
        }
        assert_eq!(Bundle::SignedIn.file_name("dagtilbud"), "dagtilbud");
        assert_eq!(Bundle::Forms.file_name("dagtilbud"), "forms");
    }
}

/// The HTML document around every page (rendered on the server only).
///
/// Every page is a document with at most a few live parts: it loads only the
/// bundle of its `#[island]`s (`islands_bundle`), which hydrates them; the
/// rest of the page stays the server's HTML. A page without islands loads no
/// script.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = request_path().and_then(|path| islands_bundle(&path));
    let scripts = bundle.map(|bundle| {
        let mut scripts = options.clone();
        scripts.output_name = bundle.file_name(&options.output_name).into();
        view! { <HydrationScripts options=scripts islands=true /> }
    });
    view! {
        <!DOCTYPE html>
        <html lang="da">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Hydrate the page's islands: the start of the three bundles (`frontend`,
/// `frontend-portal`, `frontend-forms`).
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
        #[cfg(feature = "portal-bundle")]
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
