//! The section pages of one institution as a route group, used under
//! `/indberetning` (the institution), `/kommune/dagtilbud/{nummer}` and
//! `/support/dagtilbud/{nummer}` (an administrator on its behalf).

use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::{path, MatchNestedRoutes, SsrMode};

use super::closing::LukkedagePage;
use super::forms::{AabningstiderPage, KontaktPage, MadordningPage, ProfilPage};
use super::gaestedagpleje::GaestedagplejePage;
use super::overview::HistoryPage;
use super::preview::PreviewPage;
use super::receipt::ReceiptPage;

/// The sections (gæstedagpleje only answers for a dagpleje), the history, the preview and the receipt, relative to the
/// institution's base path. Every page renders completely before it is sent
/// (`SsrMode::Async`, see `App`).
#[component(transparent)]
pub fn SectionRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("profil") view=ProfilPage ssr=SsrMode::Async />
        <Route path=path!("madordning") view=MadordningPage ssr=SsrMode::Async />
        <Route path=path!("lukkedage") view=LukkedagePage ssr=SsrMode::Async />
        <Route path=path!("aabningstider") view=AabningstiderPage ssr=SsrMode::Async />
        <Route path=path!("kontakt") view=KontaktPage ssr=SsrMode::Async />
        <Route path=path!("gaestedagpleje") view=GaestedagplejePage ssr=SsrMode::Async />
        <Route path=path!("historik") view=HistoryPage ssr=SsrMode::Async />
        <Route path=path!("forhaandsvisning") view=PreviewPage ssr=SsrMode::Async />
        <Route path=path!("kvittering") view=ReceiptPage ssr=SsrMode::Async />
    }
    .into_inner()
}
