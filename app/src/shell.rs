//! The HTML document around every page, the routes, and the bundle each
//! page loads: what the server renders (`ssr` only).

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
use crate::{api, auth, kommune, portal, workspace};

/// The service name shown in the header and every page title.
pub const SERVICE_NAME: &str = "Dagtilbudsportalen";

/// The WASM bundle a page loads for its live parts. Every page is the
/// server's HTML and works without JavaScript; no page has an island. A
/// bundle works on the page's HTML where the server marks it: the portal's
/// (`portal::live`) and the forms' (`components::enhance`: plain posts sent
/// in place, instant checks). A page with no live parts loads no script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `frontend-portal`: the portal's live parts (search, tray, location).
    Portal,
    /// `frontend`: the forms with instant checks or live parts: the log-in,
    /// before and after the password, "Meld en fejl", the section forms and
    /// the reminders.
    Forms,
}

impl Bundle {
    /// The bundle's file name in `pkg/`. The forms' is named as the site
    /// (`LEPTOS_OUTPUT_NAME`), so `cargo leptos watch` builds it.
    pub fn file_name(self, site: &str) -> &str {
        match self {
            Bundle::Portal => "portal",
            Bundle::Forms => site,
        }
    }
}

/// The bundle the page at `path` loads, if it has live parts: the public
/// portal, and the forms with instant checks or live parts (the log-in's,
/// "Meld en fejl", the section forms, the reminders). The other signed-in
/// pages (lists, plain forms) and a mistyped address load no WASM: their
/// forms are plain form posts.
pub fn page_bundle(path: &str) -> Option<Bundle> {
    if portal::report::is_report_page(path)
        || matches!(path, "/log-ind" | "/admin/log-ind")
        || auth::is_signed_in_form_page(path)
        || workspace::routes::is_live_page(path)
        || kommune::reminders::is_live_page(path)
    {
        Some(Bundle::Forms)
    } else if portal::is_public_page(path) {
        Some(Bundle::Portal)
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
            assert_eq!(page_bundle(path), Some(Bundle::Portal), "{path}");
        }
        for path in [
            "/dagtilbud/G10234/meld-fejl",
            "/log-ind",
            "/admin/log-ind",
            "/vaelg-adgangskode",
            "/skift-adgangskode",
            "/admin/totrin",
            "/admin/totrin/opsaet",
            "/indberetning/profil",
            "/kommune/dagtilbud/G10234/lukkedage",
            "/kommune/paamindelser",
            "/kommune/paamindelser/12",
        ] {
            assert_eq!(page_bundle(path), Some(Bundle::Forms), "{path}");
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
            assert_eq!(page_bundle(path), None, "{path}");
        }
        assert_eq!(Bundle::Forms.file_name("dagtilbud"), "dagtilbud");
        assert_eq!(Bundle::Portal.file_name("dagtilbud"), "portal");
    }
}

/// The HTML document around every page (rendered on the server only).
///
/// Every page is a document with at most a few live parts: it loads only the
/// bundle of those (`page_bundle`); the rest of the page stays the
/// server's HTML. A page without live parts loads no script.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = request_path().and_then(|path| page_bundle(&path));
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

/// The path of the request being rendered.
fn request_path() -> Option<String> {
    use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string())
}

/// Every page's `<title>`: the page's own text and the service name.
///
/// leptos_meta writes the title into the server's HTML as it is, so an
/// institution's name could end the element there: the title is escaped
/// here, in the one place every title passes.
pub fn page_title(text: String) -> String {
    let title = if text.is_empty() {
        SERVICE_NAME.to_string()
    } else {
        format!("{text} – {SERVICE_NAME}")
    };
    crate::components::form::escape_text(&title)
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
pub fn api_document() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::document([
        portal::api::OpenDataDoc::openapi(),
        kommune::api::KommuneApiDoc::openapi(),
    ])
}

/// GET /api/v1/openapi.json
pub async fn openapi_json(headers: axum::http::HeaderMap) -> axum::response::Response {
    api::serve_document(&headers, &api_document())
}
