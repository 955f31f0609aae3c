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

/// The instant checks of every form the forms' bundle works on (their
/// `data-check`, `components::enhance`): the section forms and the log-in's.
pub fn instant_check(
    check: &str,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Option<error::FieldErrors> {
    workspace::forms::instant_check(check, values).or_else(|| auth::instant_check(check, values))
}

#[cfg(test)]
mod instant_check_tests {
    use super::instant_check;

    fn values(pairs: &[(&str, &str)]) -> serde_json::Map<String, serde_json::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect()
    }

    #[test]
    fn a_section_form_is_checked_by_the_servers_rules() {
        let errors = instant_check(
            "kontakt",
            &values(&[("email", "ikke-en-mail"), ("postnummer", "86"), ("version", "3")]),
        )
        .expect("kontakt has a check");
        assert!(errors["email"].contains("@"), "{errors:?}");
        assert!(errors.contains_key("postnummer"), "{errors:?}");
        let profil = instant_check("profil", &values(&[("pladser", "mange")])).unwrap();
        assert!(profil["pladser"].contains("tal"), "{profil:?}");
        // Unticked boxes are absent; a right value gives no message for its field.
        let profil = instant_check("profil", &values(&[("pladser", "45"), ("alder_3_5", "on")])).unwrap();
        assert!(!profil.contains_key("pladser"), "{profil:?}");
        let hours = instant_check(
            "aabningstider",
            &values(&[
                ("fredag_aaben", "on"),
                ("fredag_fra", "06:30"),
                ("fredag_til", "05:00"),
            ]),
        )
        .unwrap();
        assert!(
            hours.values().any(|m| m.contains("efter åbningstiden")),
            "{hours:?}"
        );
    }

    #[test]
    fn the_log_ins_forms_are_checked_field_by_field() {
        let login = instant_check(
            "log-ind",
            &values(&[("institutionsnummer", "G1"), ("kodeord", "")]),
        )
        .unwrap();
        assert!(login.contains_key("institutionsnummer") && login["kodeord"] == "Skriv kodeordet.");
        let fine = instant_check(
            "log-ind",
            &values(&[("institutionsnummer", "G10234"), ("kodeord", "x")]),
        )
        .unwrap();
        assert!(fine.is_empty(), "{fine:?}");
        let admin =
            instant_check("admin-log-ind", &values(&[("email", "a@"), ("adgangskode", "x")])).unwrap();
        assert!(admin["email"].contains("gyldig"), "{admin:?}");
        // The new password may not hold the user name the form names.
        let password = instant_check(
            "ny-adgangskode",
            &values(&[
                ("ny_adgangskode", "g10234-er-min-kode"),
                ("gentag_adgangskode", "noget andet"),
                ("brugernavn", "G10234"),
            ]),
        )
        .unwrap();
        assert!(
            password["ny_adgangskode"].contains("institutionsnummer"),
            "{password:?}"
        );
        assert!(password.contains_key("gentag_adgangskode"), "{password:?}");
        let code = instant_check("totp-kode", &values(&[("kode", "12 34")])).unwrap();
        assert!(code["kode"].contains("6 cifre"), "{code:?}");
        assert!(instant_check("totp-kode", &values(&[("kode", "123 456")]))
            .unwrap()
            .is_empty());
        assert_eq!(instant_check("findes-ikke", &values(&[])), None);
    }
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
