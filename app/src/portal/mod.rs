//! The public portal for parents.

pub mod api;
pub mod calendar;
pub mod changes;
pub mod compare;
pub mod dictionary;
pub mod distance;
pub mod index;
pub mod kommune;
#[cfg(feature = "hydrate")]
pub mod live;
pub mod places;
pub mod report;
pub mod search;
pub mod tray;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use places::KOMMUNER_SHOWN;
use search::{SearchFilter, SearchPage};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneCount {
    pub kode: i16,
    pub navn: String,
    pub institutions: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalSummary {
    pub institutions: i64,
    pub kommuner: Vec<KommuneCount>,
}

/// Figures for the front page: active institutions per kommune.
#[server(prefix = "/api/fn", endpoint = "landing_stats")]
pub async fn landing_stats() -> Result<PortalSummary, AppError> {
    // Public data: no principal needed, only active institutions are counted.
    stats(&crate::ssr::pool()?).await
}

async fn stats(pool: &sqlx::PgPool) -> Result<PortalSummary, AppError> {
    let kommuner = sqlx::query_as!(
        KommuneCount,
        r#"SELECT k.kode, k.navn, COUNT(i.id) AS "institutions!"
           FROM kommuner k
           LEFT JOIN institutions i ON i.kommunekode = k.kode AND i.status = 'aktiv'
           GROUP BY k.kode, k.navn
           ORDER BY k.navn"#
    )
    .fetch_all(pool)
    .await?;
    let institutions = kommuner.iter().map(|k| k.institutions).sum();
    Ok(PortalSummary {
        institutions,
        kommuner,
    })
}

/// What `/` shows: the search its address names, and the search's page
/// or, without a search, the kommuner. Kept in the request's extensions
/// behind an `Arc`, as every copy of the request's parts copies them.
#[derive(Debug)]
pub struct LandingData {
    pub filter: SearchFilter,
    pub content: LandingContent,
}

#[derive(Debug)]
pub enum LandingContent {
    Search(Result<search::SearchPage, AppError>),
    Stats(Result<PortalSummary, AppError>),
}

/// Loads what `/` shows before the page renders, into the request's
/// extensions, where [`Landing`] reads it: the page then renders in one
/// synchronous pass, without a resource and a suspense boundary to wait
/// on. The search page is the page every parent starts on, and the async
/// machinery was a fifth of its render (`bench/portal`). Runs inside the
/// guard, so the address budget counts the search first.
pub async fn preload_landing(
    axum::extract::State(state): axum::extract::State<crate::ssr::AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == http::Method::GET && request.uri().path() == "/" {
        let filter = SearchFilter::from_query_string(request.uri().query().unwrap_or(""));
        let content = if filter.is_empty() {
            LandingContent::Stats(stats(&state.pool).await)
        } else {
            let index = request
                .extensions()
                .get::<std::sync::Arc<index::SearchIndex>>()
                .cloned();
            LandingContent::Search(match index {
                Some(index) => run_search(&state, &index, &filter).await,
                None => {
                    tracing::error!("the search index is missing from the request's extensions");
                    Err(AppError::Internal)
                }
            })
        };
        request
            .extensions_mut()
            .insert(std::sync::Arc::new(LandingData { filter, content }));
    }
    next.run(request).await
}

async fn run_search(
    state: &crate::ssr::AppState,
    index: &std::sync::Arc<index::SearchIndex>,
    filter: &SearchFilter,
) -> Result<search::SearchPage, AppError> {
    let checked = filter.check().map_err(AppError::Validation)?;
    Ok(search::search(state, index, &checked).await?.0)
}

/// Search the active institutions (public; answers 422 for a malformed time).
#[server(prefix = "/api/fn", endpoint = "soeg")]
pub async fn search(#[server(default)] filter: SearchFilter) -> Result<SearchPage, AppError> {
    // Public data: no principal needed; only active institutions and saved sections.
    let state = crate::ssr::state()?;
    let index = use_context::<std::sync::Arc<index::SearchIndex>>().ok_or_else(|| {
        tracing::error!("the search index is missing from the Leptos context");
        AppError::Internal
    })?;
    run_search(&state, &index, &filter).await
}

/// Whether `path` is one of the portal's pages, which load the portal's
/// bundle for their few live parts (see `crate::page_bundle`).
pub fn is_public_page(path: &str) -> bool {
    matches!(path, "/" | "/sammenlign" | "/tilgaengelighed" | "/cookies")
        || ["/dagtilbud/", "/kommuner/"]
            .iter()
            .any(|prefix| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty()))
}

/// The public portal's pages.
#[component(transparent)]
pub fn PortalRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::Route;
    use leptos_router::{path, SsrMode};
    view! {
        <Route path=path!("") view=Landing ssr=SsrMode::Async />
        <Route path=path!("dagtilbud/:nummer") view=InstitutionPage ssr=SsrMode::Async />
        <Route path=path!("dagtilbud/:nummer/meld-fejl") view=report::ReportPage ssr=SsrMode::Async />
        <Route path=path!("sammenlign") view=compare::ComparePage ssr=SsrMode::Async />
        <Route path=path!("kommuner/:kode") view=kommune::KommunePortalPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// `/`: search with filters; without a search, the kommuner to browse.
/// Rendered by the server only, from what [`preload_landing`] loaded.
#[component]
pub fn Landing() -> impl IntoView {
    let data = preloaded();
    let filter = data.as_ref().map(|data| data.filter.clone()).unwrap_or_default();
    let content = match data.as_ref().map(|data| &data.content) {
        Some(LandingContent::Search(Ok(page))) => {
            view! { <Results page=page.clone() filter=filter.clone() /> }.into_any()
        }
        Some(LandingContent::Search(Err(AppError::Validation(errors)))) => view! {
            <crate::pages::QueryErrors errors=errors.clone() heading="Søgningen kan ikke udføres" />
        }
        .into_any(),
        Some(LandingContent::Stats(Ok(stats))) => view! { <KommuneList stats=stats.clone() /> }.into_any(),
        Some(LandingContent::Search(Err(error)) | LandingContent::Stats(Err(error))) => {
            view! { <crate::pages::ErrorAlert error=error.clone() /> }.into_any()
        }
        None => view! { <crate::pages::ErrorAlert error=AppError::Internal /> }.into_any(),
    };
    view! {
        <Title text="Find og sammenlign dagtilbud" />
        <leptos_meta::Meta
            name="description"
            content="Find vuggestuer, børnehaver og fritidstilbud i hele Danmark, og læs hvad de selv fortæller om profil, mad, åbningstider og lukkedage."
        />
        <section class="hero">
            <h1>"Find og sammenlign dagtilbud"</h1>
            <p class="lead">
                "Her kan du som forælder læse, hvad vuggestuer, børnehaver og fritidstilbud selv fortæller om "
                "deres pædagogiske profil, madordning, åbningstider og lukkedage."
            </p>
        </section>
        <SearchForm filter />
        {content}
        <tray::CompareTray />
    }
}

/// What [`preload_landing`] loaded for this request.
fn preloaded() -> Option<std::sync::Arc<LandingData>> {
    let data = use_context::<http::request::Parts>()?
        .extensions
        .get::<std::sync::Arc<LandingData>>()
        .cloned();
    if data.is_none() {
        tracing::error!("/ rendered without its preloaded data");
    }
    data
}

/// The search form: a GET form to `/`, so every search is a link. With the
/// portal's bundle a changed choice searches at once (`live`).
#[component]
fn SearchForm(filter: SearchFilter) -> impl IntoView {
    use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
    use crate::domain::{Ejerform, InstitutionType};
    fn options(
        choices: Vec<(&'static str, &'static str)>,
        current: &str,
        all: &'static str,
    ) -> impl IntoView {
        let current = current.to_string();
        view! {
            <option value="">{all}</option>
            {choices.into_iter().map(|(value, label)| view! { <option value=value selected=current == value>{label}</option> }).collect_view()}
        }
    }
    let types = InstitutionType::ALL
        .iter()
        .map(|t| (t.as_str(), t.label()))
        .collect();
    let ages = Aldersgruppe::ALL
        .iter()
        .map(|a| (a.as_str(), a.label()))
        .collect();
    let ejerformer = Ejerform::ALL.iter().map(|e| (e.as_str(), e.label())).collect();
    let tags = ProfilTag::ALL.iter().map(|t| (t.as_str(), t.label())).collect();
    let levels = Oekologi::ALL
        .iter()
        .filter(|o| **o != Oekologi::Ingen)
        .map(|o| (o.as_str(), o.label()))
        .collect();
    let hensyn = Hensyn::ALL.iter().map(|h| (h.as_str(), h.label())).collect();
    view! {
        <form method="get" action="/" class="form search-form" role="search" aria-label="Søg efter dagtilbud" autocomplete="off">
            <div class="form-group">
                <label class="form-label" for="q">"Navn, institutionsnummer, postnummer, by eller kommune"</label>
                <input type="search" id="q" name="q" class="input" value=filter.q.clone() autocomplete="off" />
            </div>
            <details class="filters" open=!filter.is_empty()>
                <summary>"Flere valg"</summary>
                <div class="filter-row">
                    <div class="form-group">
                        <label class="form-label" for="type">"Type"</label>
                        <select id="type" name="type" class="form-select">{options(types, &filter.institution_type, "Alle typer")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="alder">"Alder"</label>
                        <select id="alder" name="alder" class="form-select">{options(ages, &filter.alder, "Alle aldre")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="ejerform">"Ejerform"</label>
                        <select id="ejerform" name="ejerform" class="form-select">{options(ejerformer, &filter.ejerform, "Alle ejerformer")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="profil">"Profil"</label>
                        <select id="profil" name="profil" class="form-select">{options(tags, &filter.profil, "Alle profiler")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="oekologi">"Økologi mindst"</label>
                        <select id="oekologi" name="oekologi" class="form-select">{options(levels, &filter.oekologi, "Ligegyldigt")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="hensyn">"Madhensyn"</label>
                        <select id="hensyn" name="hensyn" class="form-select">{options(hensyn, &filter.hensyn, "Ligegyldigt")}</select>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="aabner">"Åbner senest"</label>
                        <span class="form-hint" id="aabner-hjaelp">"tt:mm, fx 06:30"</span>
                        <input type="text" id="aabner" name="aabner" class="input input-char-5" inputmode="numeric" value=filter.aabner.clone() aria-describedby="aabner-hjaelp" />
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="lukker">"Lukker tidligst"</label>
                        <span class="form-hint" id="lukker-hjaelp">"tt:mm, fx 17:00"</span>
                        <input type="text" id="lukker" name="lukker" class="input input-char-5" inputmode="numeric" value=filter.lukker.clone() aria-describedby="lukker-hjaelp" />
                    </div>
                </div>
            </details>
            <distance::DistanceFields filter=filter.clone() />
            <div class="button-row">
                <button type="submit" class="button">"Søg"</button>
                <a href="/" rel="external">"Nulstil"</a>
            </div>
        </form>
    }
}
/// One page of results, each with a box to choose it for comparison.
#[component]
fn Results(page: SearchPage, filter: SearchFilter) -> impl IntoView {
    let SearchPage {
        hits,
        total,
        page: current,
        pages,
        origin,
        origin_note,
    } = page;
    let prev = (current > 1).then(|| format!("/{}", filter.query(current - 1)));
    let next = (current < pages).then(|| format!("/{}", filter.query(current + 1)));
    let heading = match total {
        0 => "Ingen dagtilbud matcher søgningen. Prøv med færre valg.".to_string(),
        1 => "1 dagtilbud matcher søgningen.".to_string(),
        n => format!("{n} dagtilbud matcher søgningen. Side {current} af {pages}."),
    };
    view! {
        <h2 id="resultater">"Resultater"</h2>
        <p role="status">{heading}</p>
        {origin.map(|origin| view! { <p class="muted">{format!("Afstand i lige linje fra {origin}.")}</p> })}
        {origin_note.map(|note| view! { <div class="alert"><p>{note}</p></div> })}
        <form method="get" action="/sammenlign" class="results-form">
            <ul class="results">
                {hits.into_iter().map(|hit| {
                    view! {
                        <li class="result">
                            <h3><a href=format!("/dagtilbud/{}", hit.nummer)>{hit.navn.clone()}</a></h3>
                            <p class="muted">{format!("{} · {} · {}", hit.type_label, hit.ejerform_label, hit.adresse)}</p>
                            <dl class="facts facts-inline">
                                {hit.distance_m.map(|m| view! { <dt>"Afstand"</dt><dd class="distance">{crate::domain::position::format_distance(m)}</dd> })}
                                <dt>"Kommune"</dt><dd><a href=format!("/kommuner/{}", hit.kommunekode)>{hit.kommune.clone()}</a></dd>
                                <dt>"Alder"</dt><dd>{if hit.aldersgrupper.is_empty() { "Ikke oplyst".to_string() } else { hit.aldersgrupper.join(", ") }}</dd>
                                <dt>"Mandag"</dt><dd>{hit.mandag.clone().unwrap_or_else(|| "Ikke oplyst".into())}</dd>
                                <dt>"Økologi"</dt><dd>{hit.oekologi.clone().unwrap_or_else(|| "Ikke oplyst".into())}</dd>
                            </dl>
                            <tray::ChooseBox nummer=hit.nummer.clone() navn=hit.navn.clone() />
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(total > 1).then(|| view! {
                <button type="submit" class="button button-secondary">"Sammenlign de valgte (2–4)"</button>
            })}
        </form>
        <nav class="pager" aria-label="Sider">
            {prev.map(|href| view! { <a href=href rel="prev">"Forrige side"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Næste side"</a> })}
        </nav>
    }
}

/// The kommuner with their number of institutions: the server's list, which
/// the kommune filter narrows as you type (`live`).
#[component]
fn KommuneList(stats: PortalSummary) -> impl IntoView {
    let total = stats.institutions;
    let count = stats.kommuner.len();
    view! {
        <p class="stats" data-testid="stats">{format!("{total} dagtilbud i {count} kommuner")}</p>
        <section aria-labelledby="kommuner-overskrift">
            <h2 id="kommuner-overskrift">"Dagtilbud pr. kommune"</h2>
            <KommuneFilter count />
                <ul class="kommune-list" data-testid="kommune-list">
                    {stats.kommuner.into_iter().map(|kommune| {
                        let key = kommune.navn.to_lowercase();
                        view! {
                            <li data-navn=key>
                                <a class="kommune-navn" href=format!("/kommuner/{}", kommune.kode)>{kommune.navn}</a>
                                " "
                                <span class="kommune-antal">{format!("{} dagtilbud", kommune.institutions)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
        </section>
    }
}

/// "Find en kommune": with the portal's bundle, the list below hides the
/// kommuner whose name does not hold what is typed, and the live region
/// says how many it shows (`live`).
#[component]
fn KommuneFilter(count: usize) -> impl IntoView {
    view! {
        <div class="field">
            <label for="kommune-filter">"Find en kommune"</label>
            <input
                id="kommune-filter"
                name="kommune"
                type="search"
                class="input input-medium"
                autocomplete="off"
            />
        </div>
        <p id=KOMMUNER_SHOWN class="visually-hidden" aria-live="polite">
            {format!("{count} kommuner vises")}
        </p>
    }
}

/// One active institution's public page data; closed and unknown numbers are
/// "not found" alike.
#[server(prefix = "/api/fn", endpoint = "dagtilbud")]
pub async fn public_institution(nummer: String) -> Result<crate::published::PublicInstitution, AppError> {
    // Public data: no principal needed; only what institutions saved is shown.
    let pool = crate::ssr::pool()?;
    let year = crate::ssr::today()?.year();
    crate::published::load_active(&pool, &nummer, year).await
}

/// `/dagtilbud/{nummer}`: the page parents read.
#[component]
pub fn InstitutionPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let nummer = move || params.read().get("nummer").unwrap_or_default();
    let data = Resource::new_blocking(nummer, public_institution);
    view! {
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let title = data.master.navn.clone();
                        let description = format!(
                            "{}: {} i {} Kommune. Profil, madordning, åbningstider, lukkedage og kontakt.",
                            data.master.navn,
                            data.master.type_label(),
                            data.master.kommune
                        );
                        let compare = format!("/sammenlign?nr={}", data.master.nummer);
                        let report = format!("/dagtilbud/{}/meld-fejl", data.master.nummer);
                        let (nummer, navn) = (data.master.nummer.clone(), data.master.navn.clone());
                        view! {
                            <Title text=title />
                            <leptos_meta::Meta name="description" content=description />
                            <p class="button-row">
                                <a href="/">"Søg efter dagtilbud"</a>
                                <a href=compare>"Sammenlign med andre dagtilbud"</a>
                                <tray::AddToTray nummer navn />
                            </p>
                            <crate::published::PublicInstitutionView data />
                            <p><a href=report>"Står der noget forkert? Meld en fejl"</a></p>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <crate::pages::NotFound /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <tray::CompareTray />
    }
}

#[cfg(test)]
mod page_tests {
    use super::is_public_page;

    #[test]
    fn the_public_pages_are_the_portal_and_nothing_signed_in() {
        for path in [
            "/",
            "/dagtilbud/G10234",
            "/dagtilbud/G10234/meld-fejl",
            "/kommuner/746",
            "/sammenlign",
            "/cookies",
            "/tilgaengelighed",
        ] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/log-ind",
            "/admin/log-ind",
            "/indberetning",
            "/indberetning/profil",
            "/kommune",
            "/kommune/dagtilbud/G10234",
            "/support",
            "/dagtilbud/",
            "/kommuner",
            "/sammenlignx",
            "/findes/ikke",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }
}
