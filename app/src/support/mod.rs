//! STIL support's pages: find any institution in any kommune, open it (the
//! same page the kommune has, with support's rights), manage the
//! administrator accounts, and read the audit log.

pub mod accounts;
pub mod api_keys;
pub mod audit_log;
pub mod db;
pub mod documents;

/// Support's plain endpoints: new codes and passwords as documents, the audit
/// log as CSV and new API keys.
pub fn router() -> axum::Router<crate::ssr::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/support/dagtilbud/{nummer}/kode",
            post(documents::institution_code),
        )
        .route(
            "/support/konti/{id}/adgangskode",
            post(documents::account_password),
        )
        .route("/support/log.csv", get(documents::audit_csv))
        .route("/support/api-noegler/ny", post(documents::create_api_key))
}

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::register::{kommune_choices, kommune_options, KommuneChoice};

/// Rows per page of support's lists.
pub const PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalFigures {
    pub institutions: i64,
    pub private: i64,
    pub kommune_admins: i64,
}

/// National figures for support.
#[server(prefix = "/api/fn", endpoint = "support_oversigt")]
pub async fn national_summary() -> Result<NationalFigures, AppError> {
    crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    let row = sqlx::query!(
        r#"SELECT (SELECT COUNT(*) FROM institutions WHERE status = 'aktiv') AS "institutions!",
                  (SELECT COUNT(*) FROM institutions WHERE status = 'aktiv' AND ejerform = 'privat') AS "private!",
                  (SELECT COUNT(*) FROM admin_accounts WHERE role = 'kommune' AND NOT disabled) AS "kommune_admins!""#
    )
    .fetch_one(&pool)
    .await?;
    Ok(NationalFigures {
        institutions: row.institutions,
        private: row.private,
        kommune_admins: row.kommune_admins,
    })
}

/// What support searches for: the fields of the search form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SupportFilter {
    /// Part of the name, or the institution number.
    #[serde(default)]
    pub soeg: String,
    #[serde(default)]
    pub kommune: String,
    #[serde(default)]
    pub postnummer: String,
    /// `aktiv` (default), `nedlagt` or `alle`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub side: String,
}

/// A checked [`SupportFilter`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSupportFilter {
    pub soeg: String,
    pub kommune: Option<i16>,
    pub postnummer: Option<i16>,
    pub status: &'static str,
    pub page: i64,
}

impl SupportFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |key: &str| get(key).unwrap_or_default();
        SupportFilter {
            soeg: field("soeg"),
            kommune: field("kommune"),
            postnummer: field("postnummer"),
            status: field("status"),
            side: field("side"),
        }
    }

    /// Whether support has asked for anything yet.
    pub fn is_empty(&self) -> bool {
        self.soeg.trim().is_empty() && self.kommune.is_empty() && self.postnummer.trim().is_empty()
    }

    /// The query string of this search on page `side`.
    pub fn query(&self, side: i64) -> String {
        crate::components::paging::query_string(
            &[
                ("soeg", self.soeg.trim()),
                ("kommune", self.kommune.as_str()),
                ("postnummer", self.postnummer.trim()),
                ("status", self.status.as_str()),
            ],
            side,
        )
    }

    pub fn check(&self) -> Result<CheckedSupportFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kommune = match self.kommune.trim() {
            "" => None,
            kode => crate::domain::Kommunekode::parse(kode)
                .map(|k| k.get())
                .map_err(|m| errors.insert("kommune".into(), m))
                .ok(),
        };
        let postnummer = match self.postnummer.trim() {
            "" => None,
            nummer => crate::domain::Postnummer::parse(nummer)
                .map(|p| p.get())
                .map_err(|m| errors.insert("postnummer".into(), m))
                .ok(),
        };
        let status = match self.status.as_str() {
            "" | "aktiv" => "aktiv",
            "nedlagt" => "nedlagt",
            "alle" => "alle",
            _ => {
                errors.insert(
                    "status".into(),
                    "Vælg Aktive, Lukkede eller Alle som status.".into(),
                );
                "aktiv"
            }
        };
        if self.soeg.chars().count() > 200 {
            errors.insert(
                "soeg".into(),
                "Søgeteksten må højst være 200 tegn. Skriv en kortere tekst.".into(),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedSupportFilter {
            soeg: self.soeg.trim().to_string(),
            kommune,
            postnummer,
            status,
            page: crate::components::paging::page_number(&self.side, 10_000),
        })
    }
}

/// One institution in support's search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportHit {
    pub nummer: String,
    pub navn: String,
    pub kommune: String,
    pub adresse: String,
    pub type_label: String,
    pub ejerform_label: String,
    pub active: bool,
    pub logged_in: bool,
    /// How many of the five sections are filled in.
    pub filled: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportSearchPage {
    pub hits: Vec<SupportHit>,
    pub matching: i64,
    pub page: i64,
    pub pages: i64,
}

/// Search every institution in every kommune (support only).
#[server(prefix = "/api/fn", endpoint = "support_soeg")]
pub async fn search(#[server(default)] filter: SupportFilter) -> Result<SupportSearchPage, AppError> {
    crate::auth::context::require_support()?;
    let checked = filter.check().map_err(AppError::Validation)?;
    let pool = crate::ssr::pool()?;
    let rows = sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, k.navn AS kommune,
                  i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                  i.status = 'aktiv' AS "active!", a.last_login_at IS NOT NULL AS "logged_in!",
                  (SELECT count(*) FROM institution_sections s WHERE s.institution_id = i.id) AS "filled!",
                  count(*) OVER () AS "matching!"
           FROM institutions i
           JOIN kommuner k ON k.kode = i.kommunekode
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE ($1 = '' OR i.nummer = upper($1)
                  OR strpos(lower(i.navn), lower($1)) > 0
                  OR strpos(lower(i.vejnavn || ' ' || i.husnummer), lower($1)) > 0)
             AND ($2::smallint IS NULL OR i.kommunekode = $2)
             AND ($3::smallint IS NULL OR i.postnummer = $3)
             AND ($4 = 'alle' OR i.status = $4)
           ORDER BY lower(i.navn), i.nummer
           LIMIT $5 OFFSET $6"#,
        checked.soeg,
        checked.kommune,
        checked.postnummer,
        checked.status,
        PAGE_SIZE,
        (checked.page - 1) * PAGE_SIZE,
    )
    .fetch_all(&pool)
    .await?;
    let matching = rows.first().map(|r| r.matching).unwrap_or(0);
    let hits = rows
        .into_iter()
        .map(|r| SupportHit {
            type_label: crate::domain::InstitutionType::parse(&r.institution_type)
                .map(|t| t.label())
                .unwrap_or("Ukendt")
                .to_string(),
            ejerform_label: crate::domain::Ejerform::parse(&r.ejerform)
                .map(|e| e.label())
                .unwrap_or("Ukendt")
                .to_string(),
            nummer: r.nummer,
            navn: r.navn,
            kommune: r.kommune,
            adresse: r.adresse,
            active: r.active,
            logged_in: r.logged_in,
            filled: r.filled,
        })
        .collect();
    Ok(SupportSearchPage {
        hits,
        matching,
        page: checked.page,
        pages: crate::components::paging::page_count(matching, PAGE_SIZE),
    })
}

/// Support's area: `/support`, the institution pages, accounts, the audit
/// log and the API keys.
#[component(transparent)]
pub fn SupportRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::{Outlet, ParentRoute, Route};
    use leptos_router::{path, SsrMode};
    view! {
        <ParentRoute path=path!("support") view=Outlet ssr=SsrMode::Async>
            <Route path=path!("") view=SupportStart ssr=SsrMode::Async />
            <crate::admin::AdminInstitutionRoutes />
            <Route path=path!("konti") view=accounts::AccountsPage ssr=SsrMode::Async />
            <Route path=path!("konti/:id") view=accounts::AccountPage ssr=SsrMode::Async />
            <Route path=path!("log") view=audit_log::AuditLogPage ssr=SsrMode::Async />
            <Route path=path!("api-noegler") view=api_keys::ApiKeysPage ssr=SsrMode::Async />
        </ParentRoute>
    }
    .into_inner()
}

/// `/support`: national figures, the search over every institution, and the
/// ways to support's other tasks.
#[component]
pub fn SupportStart() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| SupportFilter::from_query(|key| query.read().get(key)));
    let data = Resource::new_blocking(
        move || filter.get(),
        |filter| async move {
            let kommuner = kommune_choices().await;
            let summary = national_summary().await;
            let results = if filter.is_empty() {
                None
            } else {
                Some(search(filter).await)
            };
            (kommuner, summary, results)
        },
    );
    view! {
        <Title text="Support" />
        <h1>"Support"</h1>
        <nav aria-label="Support" class="button-row">
            <a class="button button-secondary" href="/support/nyt-dagtilbud">"Opret privat dagtilbud"</a>
            <a class="button button-secondary" href="/support/konti">"Administratorkonti"</a>
            <a class="button button-secondary" href="/support/api-noegler">"API-nøgler"</a>
            <a class="button button-secondary" href="/support/log">"Hændelseslog"</a>
        </nav>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (kommuner, summary, results) = data.await;
                let (kommuner, summary) = match (kommuner, summary) {
                    (Ok(kommuner), Ok(summary)) => (kommuner, summary),
                    (Err(error), _) | (_, Err(error)) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let filter = filter.get_untracked();
                view! {
                    <p class="stats">
                        {format!(
                            "{} aktive dagtilbud i hele landet, heraf {} private. {} aktive kommuneadministratorer.",
                            summary.institutions, summary.private, summary.kommune_admins
                        )}
                    </p>
                    <SearchForm filter=filter.clone() kommuner />
                    {match results {
                        None => ().into_any(),
                        Some(Ok(page)) => view! { <Results page filter /> }.into_any(),
                        Some(Err(AppError::Validation(errors))) => view! {
                            <crate::pages::QueryErrors errors heading="Søgningen kan ikke udføres" />
                        }.into_any(),
                        Some(Err(error)) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
        <crate::feedback::list::ReportsSection reader=crate::feedback::list::Reader::Support />
    }
}

#[component]
fn SearchForm(filter: SupportFilter, kommuner: Vec<KommuneChoice>) -> impl IntoView {
    let status_option = |value: &'static str, label: &'static str| {
        let selected = filter.status == value || (filter.status.is_empty() && value == "aktiv");
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form method="get" action="/support" class="form filter-form" role="search" aria-label="Find dagtilbud i hele landet">
            <h2>"Find dagtilbud"</h2>
            <div class="form-group">
                <label class="form-label" for="soeg">"Navn, vejnavn eller institutionsnummer"</label>
                <input type="search" id="soeg" name="soeg" class="input" value=filter.soeg.clone() />
            </div>
            <div class="filter-row">
                <div class="form-group">
                    <label class="form-label" for="kommune">"Kommune"</label>
                    <select id="kommune" name="kommune" class="form-select">
                        <option value="">"Alle kommuner"</option>
                        {kommune_options(&kommuner)
                            .into_iter()
                            .map(|(value, label)| {
                                let selected = value == filter.kommune;
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="postnummer">"Postnummer"</label>
                    <input type="text" id="postnummer" name="postnummer" class="input input-char-4" inputmode="numeric" value=filter.postnummer.clone() />
                </div>
                <div class="form-group">
                    <label class="form-label" for="status">"Status"</label>
                    <select id="status" name="status" class="form-select">
                        {status_option("aktiv", "Aktive")}
                        {status_option("nedlagt", "Lukkede")}
                        {status_option("alle", "Alle")}
                    </select>
                </div>
            </div>
            <div class="button-row">
                <button type="submit" class="button">"Søg"</button>
                <a href="/support">"Nulstil"</a>
            </div>
        </form>
    }
}

#[component]
fn Results(page: SupportSearchPage, filter: SupportFilter) -> impl IntoView {
    let prev = (page.page > 1).then(|| format!("/support{}", filter.query(page.page - 1)));
    let next = (page.page < page.pages).then(|| format!("/support{}", filter.query(page.page + 1)));
    let rows = page
        .hits
        .into_iter()
        .map(|hit| {
            view! {
                <tr>
                    <td>{hit.nummer.clone()}</td>
                    <td>
                        <a href=format!("/support/dagtilbud/{}", hit.nummer)>{hit.navn}</a>
                        {(!hit.active).then_some(" (lukket)")}
                    </td>
                    <td>{hit.kommune}</td>
                    <td>{hit.adresse}</td>
                    <td>{hit.type_label}</td>
                    <td>{hit.ejerform_label}</td>
                    <td>{if hit.logged_in { "Ja" } else { "Nej" }}</td>
                    <td>{format!("{} af 5", hit.filled)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="resultater">"Resultater"</h2>
        <p role="status">{format!("{} dagtilbud matcher. Side {} af {}.", page.matching, page.page, page.pages)}</p>
        <PagedTable
            caption="Dagtilbud, der matcher søgningen"
            headings=&["Nummer", "Navn", "Kommune", "Adresse", "Type", "Ejerform", "Logget ind", "Udfyldte afsnit"]
            prev=prev
            next=next
        >
            {rows}
        </PagedTable>
    }
}

/// A table of one of support's lists: its caption for screen readers, column
/// headings, the rows as children, and links to the pages before and after.
#[component]
pub fn PagedTable(
    caption: &'static str,
    headings: &'static [&'static str],
    #[prop(default = None)] prev: Option<String>,
    #[prop(default = None)] next: Option<String>,
    children: Children,
) -> impl IntoView {
    let paged = prev.is_some() || next.is_some();
    view! {
        <div class="table-wrap">
            <table class="table table-compact">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
        {paged.then(|| view! {
            <nav class="pager" aria-label="Sider">
                {prev.map(|href| view! { <a href=href rel="prev">"Forrige side"</a> })}
                {next.map(|href| view! { <a href=href rel="next">"Næste side"</a> })}
            </nav>
        })}
    }
}
