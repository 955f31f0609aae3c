//! The kommune administrator's pages: the overview of the kommune's
//! institutions and the log-in letters.

pub mod api;
pub mod closing;
pub mod dagpleje;
pub mod db;
pub mod documents;
pub mod overview;
pub mod reminders;
pub mod review;

/// The kommune's plain endpoints: log-in letters, the CSV export and the
/// kommune API (`/api/v1/kommune/…`).
pub fn router() -> axum::Router<crate::ssr::AppState> {
    use axum::routing::{get, post};
    let api = axum::Router::new()
        .route(
            "/api/v1/kommune/dagtilbud",
            get(api::kommune_list).post(api::kommune_create),
        )
        .route(
            "/api/v1/kommune/dagtilbud/{nummer}",
            get(api::kommune_one).put(api::kommune_update),
        )
        .route("/api/v1/kommune/dagtilbud/{nummer}/luk", post(api::kommune_close))
        .layer(axum::middleware::map_response(crate::api::with_schema_version));
    axum::Router::new()
        .route("/kommune/breve", post(documents::letters))
        .route("/kommune/breve/{id}", get(documents::letter_job))
        .route("/kommune/eksport.csv", get(documents::export))
        .merge(api)
}

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::sections::SectionKind;
use crate::domain::{Ejerform, InstitutionType};
use crate::error::AppError;
use overview::{OverviewFilter, OverviewPage, OverviewSummary};

/// One page of the administrator's own kommune's institutions.
#[server(prefix = "/api/fn", endpoint = "kommune_oversigt")]
pub async fn kommune_overview(#[server(default)] filter: OverviewFilter) -> Result<OverviewPage, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let state = crate::ssr::state()?;
    let stale_after = state.settings.stale_after;
    let year = crate::ssr::today()?.year();
    let (kommune, rows, common_total) =
        db::overview_rows(&state.pool, kommunekode, state.now() - stale_after, year).await?;
    let mut page = overview::build_page(kommune, rows, &filter, stale_after.as_secs() / 86_400);
    page.common_total = common_total;
    Ok(page)
}

/// One table cell per section kind: ✓ for reported, – for missing, and the
/// same in words for screen readers.
pub(crate) fn section_cells(filled: &[bool], kinds: &[SectionKind]) -> impl IntoView {
    filled
        .iter()
        .zip(kinds)
        .map(|(filled, kind)| {
            let text = if *filled { "udfyldt" } else { "mangler" };
            view! {
                <td class=if *filled { "cell-ok" } else { "cell-missing" }>
                    <span aria-hidden="true">{if *filled { "✓" } else { "–" }}</span>
                    <span class="visually-hidden">{format!("{}: {text}", kind.label())}</span>
                </td>
            }
        })
        .collect_view()
}

/// The kommune administrator's area: `/kommune`, the institution pages and
/// their section pages.
#[component(transparent)]
pub fn KommuneRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::{Outlet, ParentRoute, Route};
    use leptos_router::{path, SsrMode};
    view! {
        <ParentRoute path=path!("kommune") view=Outlet ssr=SsrMode::Async>
            <Route path=path!("") view=KommuneStart ssr=SsrMode::Async />
            <Route path=path!("lukkedage") view=closing::CommonClosingPage ssr=SsrMode::Async />
            <Route path=path!("paamindelser") view=reminders::RemindersPage ssr=SsrMode::Async />
            <Route path=path!("paamindelser/:id") view=reminders::ReminderJobPage ssr=SsrMode::Async />
            <Route path=path!("udbakke") view=reminders::OutboxPage ssr=SsrMode::Async />
            <Route path=path!("tjek") view=review::ReviewListPage ssr=SsrMode::Async />
            <crate::admin::AdminInstitutionRoutes />
        </ParentRoute>
    }
    .into_inner()
}

#[component]
pub fn KommuneStart() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| OverviewFilter::from_query(|key| query.read().get(key)));
    let data = Resource::new_blocking(move || filter.get(), kommune_overview);
    view! {
        <Title text="Kommunens oversigt" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Overview page filter=filter.get_untracked() /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <crate::feedback::list::ReportsSection reader=crate::feedback::list::Reader::Kommune />
        <dagpleje::DagplejeOverview />
    }
}

#[component]
fn Overview(page: OverviewPage, filter: OverviewFilter) -> impl IntoView {
    let OverviewPage {
        kommune,
        summary,
        rows,
        matching,
        page: current,
        pages,
        never_logged_in,
        stale_after_days,
        common_total,
    } = page;
    let period = stale_period(stale_after_days);
    let sort_link = {
        let filter = filter.clone();
        move |key: &'static str, label: &'static str| {
            let active = filter.sorter == key || (filter.sorter.is_empty() && key == "navn");
            view! {
                <a href=format!("/kommune{}", filter.query(1, Some(key))) aria-current=active.then_some("true")>
                    {label}
                </a>
            }
        }
    };
    let row_views = rows
        .into_iter()
        .map(|row| {
            let select_label = format!("Vælg {} ({})", row.navn, row.nummer);
            let cells = section_cells(&row.filled, &SectionKind::ALL);
            view! {
                <tr>
                    <td>
                        {row.active.then(|| view! {
                            <input type="checkbox" name="nummer" value=row.nummer.clone() aria-label=select_label />
                        })}
                    </td>
                    <td>{row.nummer.clone()}</td>
                    <td>
                        <a href=format!("/kommune/dagtilbud/{}", row.nummer)>{row.navn.clone()}</a>
                        {(!row.active).then_some(" (nedlagt)")}
                    </td>
                    <td>{row.institution_type.label()}</td>
                    <td>{row.ejerform.label()}</td>
                    <td>{if row.logged_in { "Ja" } else { "Nej" }}</td>
                    {cells}
                    <td>{row.updated.clone().unwrap_or_else(|| "Aldrig".into())}</td>
                    <td>{match row.stale {
                        0 => "–".to_string(),
                        1 => "1 afsnit".to_string(),
                        n => format!("{n} afsnit"),
                    }}</td>
                    <td>{match (common_total, row.common_taken) {
                        (0, _) => "–".to_string(),
                        (total, taken) if taken >= total => "Alle tilføjet".to_string(),
                        (total, taken) => format!("{taken} af {total}"),
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    let prev = (current > 1).then(|| format!("/kommune{}", filter.query(current - 1, None)));
    let next = (current < pages).then(|| format!("/kommune{}", filter.query(current + 1, None)));

    view! {
        <h1>{format!("{kommune} Kommune")}</h1>
        <p class="button-row">
            <a class="button button-secondary" href="/kommune/nyt-dagtilbud">"Opret dagtilbud"</a>
            <a class="button button-secondary" href="/kommune/lukkedage">"Fælles lukkedage"</a>
            <a class="button button-secondary" href="/kommune/paamindelser">"Påmindelser"</a>
            <a class="button button-secondary" href="/kommune/tjek">"Er det rigtigt?"</a>
        </p>
        <Summary summary=summary.clone() period=period.clone() />
        <FilterForm filter=filter.clone() period />
        <h2 id="institutioner">"Dagtilbud"</h2>
        <p role="status">{format!("{matching} dagtilbud matcher. Side {current} af {pages}.")}</p>
        <form method="post" action="/kommune/breve" class="form" target="_blank">
            <div class="table-wrap">
                <table class="table table-compact">
                    <caption class="visually-hidden">"Kommunens dagtilbud og deres indberetning"</caption>
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">"Vælg"</span></th>
                            <th scope="col">{sort_link("nummer", "Nummer")}</th>
                            <th scope="col">{sort_link("navn", "Navn")}</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Ejerform"</th>
                            <th scope="col">"Logget ind"</th>
                            {SectionKind::ALL.iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}
                            <th scope="col">{sort_link("opdateret", "Senest opdateret")}</th>
                            <th scope="col">{sort_link("bekraeftet", "Bør ses efter")}</th>
                            <th scope="col">"Fælles lukkedage i år"</th>
                        </tr>
                    </thead>
                    <tbody>{row_views}</tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Sider">
                {prev.map(|href| view! { <a href=href rel="prev">"Forrige side"</a> })}
                {next.map(|href| view! { <a href=href rel="next">"Næste side"</a> })}
                <a href=format!("/kommune{}", filter.query(1, Some("udfyldt")))>"Sortér efter færrest udfyldte afsnit"</a>
            </nav>
            <fieldset class="fieldset">
                <legend>"Log-in-breve til de valgte"</legend>
                <p class="form-hint">
                    "Hvert brev får en ny engangskode. Den gælder i stedet for tidligere koder og adgangskoder, "
                    "og koden vises kun i de breve, du henter nu."
                </p>
                <div class="button-row">
                    <button type="submit" name="format" value="html" class="button">"Vis breve til udskrift"</button>
                    <button type="submit" name="format" value="pdf" class="button button-secondary">"Hent breve som PDF"</button>
                    <button type="submit" name="format" value="csv" class="button button-secondary">"Hent CSV til brevfletning"</button>
                </div>
            </fieldset>
        </form>
        <form method="post" action="/kommune/breve" class="form" target="_blank">
            <input type="hidden" name="alle_aldrig" value="1" />
            <fieldset class="fieldset">
                <legend>{format!("Breve til alle {} aktive dagtilbud, der aldrig har logget ind", summary.active - summary.logged_in)}</legend>
                <div class="button-row">
                    <button type="submit" name="format" value="html" class="button button-secondary">"Vis breve til udskrift"</button>
                    <button type="submit" name="format" value="pdf" class="button button-secondary">"Hent breve som PDF"</button>
                </div>
            </fieldset>
        </form>
        <p class="form-hint">{format!("{never_logged_in} af de viste dagtilbud har aldrig logget ind.")}</p>
        <p><a href="/kommune/eksport.csv" download>"Hent kommunens dagtilbud og indberetninger som CSV"</a></p>
    }
}

/// "6 måneder" for `Settings::stale_after` in days.
fn stale_period(days: u64) -> String {
    if days >= 60 {
        format!("{} måneder", (days + 15) / 30)
    } else {
        format!("{days} dage")
    }
}

/// Progress in figures, bars and an SVG chart of each section.
#[component]
fn Summary(summary: OverviewSummary, period: String) -> impl IntoView {
    let active = summary.active.max(1);
    let percent = |n: usize| (n * 100 + active / 2) / active;
    let bar_width = |n: usize| n as f64 / active as f64 * 300.0;
    let described: Vec<String> = SectionKind::ALL
        .iter()
        .zip(summary.per_section)
        .map(|(k, n)| format!("{}: {n}", k.label()))
        .collect();
    let chart_title = format!(
        "Udfyldte afsnit blandt {} aktive dagtilbud. {}.",
        summary.active,
        described.join(", ")
    );
    view! {
        <section aria-labelledby="fremdrift">
            <h2 id="fremdrift">"Fremdrift"</h2>
            <p class="stats">
                {format!(
                    "{} aktive dagtilbud ({} nedlagte). {} har logget ind, og {} har udfyldt alle fem afsnit.",
                    summary.active, summary.closed, summary.logged_in, summary.all_filled
                )}
            </p>
            <p>
                {format!(
                    "{} dagtilbud har afsnit, der bør ses efter: de er hverken ændret eller bekræftet i {period}. ",
                    summary.stale
                )}
                <a href="/kommune?foraeldet=1&sorter=bekraeftet">"Vis dem, der har ventet længst, først"</a>
                " · "
                <a href="/kommune/paamindelser?hvem=foraeldet">"Send dem en påmindelse"</a>
            </p>
            <div class="progress-list">
                <label for="fremdrift-login">{format!("Har logget ind: {} %", percent(summary.logged_in))}</label>
                <progress id="fremdrift-login" max=summary.active value=summary.logged_in>{format!("{} %", percent(summary.logged_in))}</progress>
                <label for="fremdrift-alle">{format!("Alle fem afsnit udfyldt: {} %", percent(summary.all_filled))}</label>
                <progress id="fremdrift-alle" max=summary.active value=summary.all_filled>{format!("{} %", percent(summary.all_filled))}</progress>
            </div>
            <svg class="chart" role="img" aria-labelledby="graf-titel" viewBox="0 0 480 170" width="480" height="170">
                <title id="graf-titel">{chart_title}</title>
                {SectionKind::ALL.iter().zip(summary.per_section).enumerate().map(|(i, (kind, n))| {
                    let y = 10 + i * 32;
                    view! {
                        <text x="0" y=y + 17 class="chart-label">{kind.label()}</text>
                        <rect x="140" y=y width="300" height="22" class="chart-track" />
                        <rect x="140" y=y width=format!("{:.1}", bar_width(n)) height="22" class="chart-bar" />
                        <text x="446" y=y + 17 class="chart-value">{format!("{} %", percent(n))}</text>
                    }
                }).collect_view()}
            </svg>
        </section>
    }
}

/// The GET form behind every view of the overview.
#[component]
fn FilterForm(filter: OverviewFilter, period: String) -> impl IntoView {
    let option = |value: &'static str, label: &'static str, current: &str| {
        view! { <option value=value selected=current == value>{label}</option> }
    };
    let types = InstitutionType::ALL
        .iter()
        .map(|t| option(t.as_str(), t.label(), &filter.institution_type))
        .collect_view();
    let ejerformer = Ejerform::ALL
        .iter()
        .map(|e| option(e.as_str(), e.label(), &filter.ejerform))
        .collect_view();
    let sections = SectionKind::ALL
        .iter()
        .map(|k| option(k.as_str(), k.label(), &filter.mangler))
        .collect_view();
    view! {
        <form method="get" action="/kommune" class="form filter-form" role="search" aria-label="Find dagtilbud">
            <div class="form-group">
                <label class="form-label" for="soeg">"Søg efter navn eller nummer"</label>
                <input type="search" id="soeg" name="soeg" class="input" value=filter.soeg.clone() />
            </div>
            <div class="filter-row">
                <div class="form-group">
                    <label class="form-label" for="type">"Type"</label>
                    <select id="type" name="type" class="form-select">
                        <option value="">"Alle typer"</option>
                        {types}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="ejerform">"Ejerform"</label>
                    <select id="ejerform" name="ejerform" class="form-select">
                        <option value="">"Alle ejerformer"</option>
                        {ejerformer}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="mangler">"Mangler afsnit"</label>
                    <select id="mangler" name="mangler" class="form-select">
                        <option value="">"Vis alle"</option>
                        {sections}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="status">"Status"</label>
                    <select id="status" name="status" class="form-select">
                        {option("aktiv", "Aktive", &filter.status)}
                        {option("nedlagt", "Nedlagte", &filter.status)}
                        {option("alle", "Alle", &filter.status)}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="sorter">"Sortér efter"</label>
                    <select id="sorter" name="sorter" class="form-select">
                        {option("navn", "Navn", &filter.sorter)}
                        {option("nummer", "Nummer", &filter.sorter)}
                        {option("udfyldt", "Færrest udfyldte afsnit", &filter.sorter)}
                        {option("opdateret", "Ældste opdatering", &filter.sorter)}
                        {option("bekraeftet", "Længst siden set efter", &filter.sorter)}
                    </select>
                </div>
            </div>
            <div class="form-group form-check">
                <input type="checkbox" id="aldrig" name="aldrig" value="1" checked=filter.aldrig />
                <label for="aldrig">"Kun dagtilbud, der aldrig har logget ind"</label>
            </div>
            <div class="form-group form-check">
                <input type="checkbox" id="foraeldet" name="foraeldet" value="1" checked=filter.foraeldet />
                <label for="foraeldet">{format!("Kun dagtilbud med afsnit, der bør ses efter (hverken ændret eller bekræftet i {period})")}</label>
            </div>
            <div class="button-row">
                <button type="submit" class="button">"Vis"</button>
                <a href="/kommune">"Nulstil"</a>
            </div>
        </form>
    }
}
