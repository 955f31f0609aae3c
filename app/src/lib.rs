//! Dagtilbudsportalen's frivillig indberetning: the Leptos application.
//!
//! One module per area of the product. `domain` holds the types and rules
//! shared by browser and server; `ssr` holds what only the server may run.

#![recursion_limit = "256"]

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
pub mod institution;
pub mod kommune;
pub mod pages;
pub mod portal;
pub mod register;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod support;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::auth::{
    AdminLoginPage, ChangePasswordPage, ChoosePasswordPage, InstitutionLoginPage, SecondFactorPage,
    SecondFactorSetupPage,
};
use crate::components::layout::Layout;
use crate::institution::closing::LukkedagePage;
use crate::institution::forms::{AabningstiderPage, KontaktPage, MadordningPage, ProfilPage};
use crate::institution::overview::HistoryPage;
use crate::institution::{InstitutionStart, PreviewPage};
use crate::kommune::institutions::{AdminInstitutionPage, NewInstitutionPage};
use crate::kommune::KommuneStart;
use crate::pages::{Accessibility, Cookies, NotFound};
use crate::portal::compare::ComparePage;
use crate::portal::kommune::KommunePortalPage;
use crate::portal::{InstitutionPage, Landing};
use crate::support::accounts::{AccountPage, AccountsPage};
use crate::support::api_keys::ApiKeysPage;
use crate::support::audit_log::AuditLogPage;
use crate::support::SupportStart;

/// The service name shown in the header and every page title.
pub const SERVICE_NAME: &str = "Dagtilbudsportalen";

/// The HTML document around every page (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="da">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
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
                    <Route path=path!("") view=Landing ssr=SsrMode::Async />
                    <Route path=path!("dagtilbud/:nummer") view=InstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("sammenlign") view=ComparePage ssr=SsrMode::Async />
                    <Route path=path!("kommuner/:kode") view=KommunePortalPage ssr=SsrMode::Async />
                    <Route path=path!("tilgaengelighed") view=Accessibility ssr=SsrMode::Async />
                    <Route path=path!("cookies") view=Cookies ssr=SsrMode::Async />
                    <Route path=path!("log-ind") view=InstitutionLoginPage ssr=SsrMode::Async />
                    <Route path=path!("admin/log-ind") view=AdminLoginPage ssr=SsrMode::Async />
                    <Route path=path!("vaelg-adgangskode") view=ChoosePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("skift-adgangskode") view=ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("admin/totrin") view=SecondFactorPage ssr=SsrMode::Async />
                    <Route path=path!("admin/totrin/opsaet") view=SecondFactorSetupPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning") view=InstitutionStart ssr=SsrMode::Async />
                    <Route path=path!("indberetning/profil") view=ProfilPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/madordning") view=MadordningPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/lukkedage") view=LukkedagePage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/aabningstider") view=AabningstiderPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/kontakt") view=KontaktPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/historik") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("indberetning/forhaandsvisning") view=PreviewPage ssr=SsrMode::Async />
                    <Route path=path!("kommune") view=KommuneStart ssr=SsrMode::Async />
                    <Route path=path!("kommune/nyt-dagtilbud") view=NewInstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer") view=AdminInstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/profil") view=ProfilPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/madordning") view=MadordningPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/lukkedage") view=LukkedagePage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/aabningstider") view=AabningstiderPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/kontakt") view=KontaktPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/historik") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("kommune/dagtilbud/:nummer/forhaandsvisning") view=PreviewPage ssr=SsrMode::Async />
                    <Route path=path!("support") view=SupportStart ssr=SsrMode::Async />
                    <Route path=path!("support/nyt-dagtilbud") view=NewInstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer") view=AdminInstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/profil") view=ProfilPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/madordning") view=MadordningPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/lukkedage") view=LukkedagePage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/aabningstider") view=AabningstiderPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/kontakt") view=KontaktPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/historik") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("support/dagtilbud/:nummer/forhaandsvisning") view=PreviewPage ssr=SsrMode::Async />
                    <Route path=path!("support/konti") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("support/konti/:id") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("support/log") view=AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("support/api-noegler") view=ApiKeysPage ssr=SsrMode::Async />
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
