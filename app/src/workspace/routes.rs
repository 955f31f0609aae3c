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
use crate::domain::sections::SectionKind;

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

/// The section pages, the signed-in pages with live parts (their forms are
/// sent in place, with instant checks: `components::enhance`):
/// `/indberetning/{afsnit}` and an administrator's
/// `/kommune|support/dagtilbud/{nummer}/{afsnit}`.
pub fn is_live_page(path: &str) -> bool {
    let section = match path.strip_prefix("/indberetning/") {
        Some(section) => section,
        None => {
            let Some(rest) = ["/kommune/dagtilbud/", "/support/dagtilbud/"]
                .iter()
                .find_map(|area| path.strip_prefix(area))
            else {
                return false;
            };
            match rest.split_once('/') {
                Some((nummer, section)) if !nummer.is_empty() => section,
                _ => return false,
            }
        }
    };
    SectionKind::parse(section).is_some()
}

#[cfg(test)]
mod tests {
    use super::is_live_page;

    #[test]
    fn the_section_forms_are_island_pages_and_nothing_else_is() {
        for path in [
            "/indberetning/profil",
            "/indberetning/lukkedage",
            "/kommune/dagtilbud/G10234/kontakt",
            "/support/dagtilbud/G10234/aabningstider",
            "/kommune/dagtilbud/D00001/gaestedagpleje",
            "/indberetning/madordning",
        ] {
            assert!(is_live_page(path), "{path}");
        }
        for path in [
            "/indberetning",
            "/indberetning/",
            "/indberetning/historik",
            "/indberetning/profil/x",
            "/kommune",
            "/kommune/dagtilbud/G10234",
            "/kommune/dagtilbud//profil",
            "/kommune/dagtilbud/G10234/historik",
            "/support/konti",
            "/kommune/profil",
        ] {
            assert!(!is_live_page(path), "{path}");
        }
    }
}
