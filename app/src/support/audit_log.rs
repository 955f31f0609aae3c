//! The audit log for support: filter by account, institution, kind of event
//! and time span; page through it; export the same selection as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub use crate::domain::audit_actions::{action_label, ACTIONS};
use crate::domain::sections::format_thousands;
use crate::error::{AppError, FieldErrors};

/// The log's filter as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Part of the name of the account that acted or was acted on: an
    /// e-mail or an institution number.
    #[serde(default)]
    pub konto: String,
    /// The institution's number.
    #[serde(default)]
    pub dagtilbud: String,
    #[serde(default)]
    pub handling: String,
    /// First day, inclusive.
    #[serde(default)]
    pub fra: String,
    /// Last day, inclusive.
    #[serde(default)]
    pub til: String,
    #[serde(default)]
    pub side: String,
}

/// A checked [`AuditFilter`]; the days are Danish calendar days.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAuditFilter {
    pub konto: String,
    pub dagtilbud: Option<String>,
    pub handling: Option<String>,
    pub fra: Option<time::Date>,
    pub til: Option<time::Date>,
    pub page: i64,
}

impl AuditFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |key: &str| get(key).unwrap_or_default();
        AuditFilter {
            konto: field("konto"),
            dagtilbud: field("dagtilbud"),
            handling: field("handling"),
            fra: field("fra"),
            til: field("til"),
            side: field("side"),
        }
    }

    /// The filter's query string (without the page when `side` is `None`).
    pub fn query(&self, side: Option<i64>) -> String {
        crate::components::paging::query_string(
            &[
                ("konto", self.konto.trim()),
                ("dagtilbud", self.dagtilbud.trim()),
                ("handling", self.handling.as_str()),
                ("fra", self.fra.trim()),
                ("til", self.til.trim()),
            ],
            side.unwrap_or(1),
        )
    }

    pub fn check(&self) -> Result<CheckedAuditFilter, FieldErrors> {
        use crate::domain::calendar::parse_date;
        let mut errors = FieldErrors::new();
        let dagtilbud = match self.dagtilbud.trim() {
            "" => None,
            nummer => crate::domain::InstitutionNumber::parse(nummer)
                .map(|n| n.to_string())
                .map_err(|m| errors.insert("dagtilbud".into(), m))
                .ok(),
        };
        let handling = match self.handling.as_str() {
            "" => None,
            known if ACTIONS.iter().any(|(key, _)| *key == known) => Some(known.to_string()),
            _ => {
                errors.insert(
                    "handling".into(),
                    "Vælg en hændelse på listen, eller Alle.".into(),
                );
                None
            }
        };
        let mut day = |field: &str, label: &str, input: &str| match input.trim() {
            "" => None,
            text => {
                let date = parse_date(text);
                if date.is_none() {
                    errors.insert(
                        field.into(),
                        format!("{label} skal være en dato, der findes, fx 24.11.2026."),
                    );
                }
                date
            }
        };
        let fra = day("fra", "Fra-datoen", &self.fra);
        let til = day("til", "Til-datoen", &self.til);
        if let (Some(fra), Some(til)) = (fra, til) {
            if til < fra {
                errors.insert(
                    "til".into(),
                    "Til-datoen skal være samme dag som eller efter fra-datoen.".into(),
                );
            }
        }
        if self.konto.chars().count() > 254 {
            errors.insert(
                "konto".into(),
                "Kontoen må højst være 254 tegn. Skriv en kortere tekst.".into(),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedAuditFilter {
            konto: self.konto.trim().to_lowercase(),
            dagtilbud,
            handling,
            fra,
            til,
            page: crate::components::paging::page_number(&self.side, 100_000),
        })
    }
}

/// One row of the log as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub role: String,
    pub account: String,
    pub action: String,
    pub institution: Option<String>,
    pub kommune: Option<String>,
    pub ip: Option<String>,
    /// The details as `key: value` pairs.
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Exact unless `more`: then at least this many match.
    pub matching: i64,
    pub more: bool,
    pub page: i64,
    pub pages: i64,
}

/// One page of the audit log, newest first (support only).
#[server(prefix = "/api/fn", endpoint = "support_log")]
pub async fn audit_entries_page(#[server(default)] filter: AuditFilter) -> Result<AuditPage, AppError> {
    crate::auth::context::require_support()?;
    let checked = filter.check().map_err(AppError::Validation)?;
    let pool = crate::ssr::pool()?;
    // The log's rows are short: twice the other lists' page.
    let per_page = super::PAGE_SIZE * 2;
    let (entries, matching, more) =
        super::db::audit_entries(&pool, &checked, per_page, (checked.page - 1) * per_page).await?;
    Ok(AuditPage {
        entries,
        matching,
        more,
        page: checked.page,
        pages: crate::components::paging::page_count(matching, per_page),
    })
}

/// `/support/log`.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| AuditFilter::from_query(|key| query.read().get(key)));
    let data = Resource::new_blocking(move || filter.get(), audit_entries_page);
    view! {
        <Title text="Hændelseslog" />
        <p><a href="/support">"Tilbage til support"</a></p>
        <h1>"Hændelseslog"</h1>
        <p class="lead">"Alt, der er sket med konti og dagtilbud: hvem, hvad, hvornår og hvorfra. Loggen kan ikke ændres. Den indeholder aldrig koder eller adgangskoder."</p>
        <FilterForm filter=filter.get_untracked() />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let filter = filter.get_untracked();
                match data.await {
                    Ok(page) => view! { <Entries page filter /> }.into_any(),
                    Err(AppError::Validation(errors)) => view! {
                        <crate::pages::QueryErrors errors heading="Loggen kan ikke vises" />
                    }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(filter: AuditFilter) -> impl IntoView {
    let handling = filter.handling.clone();
    view! {
        <form method="get" action="/support/log" class="form filter-form" role="search" aria-label="Filtrér loggen">
            <div class="filter-row">
                <div class="form-group">
                    <label class="form-label" for="konto">"Konto"</label>
                    <span class="form-hint" id="konto-hjaelp">"Hvem der gjorde det, eller hvis konto det gjaldt: e-mail eller institutionsnummer, eller en del af det."</span>
                    <input type="search" id="konto" name="konto" class="input" value=filter.konto.clone() aria-describedby="konto-hjaelp" />
                </div>
                <div class="form-group">
                    <label class="form-label" for="dagtilbud">"Dagtilbud"</label>
                    <span class="form-hint" id="dagtilbud-hjaelp">"Institutionsnummer, fx G10234."</span>
                    <input type="text" id="dagtilbud" name="dagtilbud" class="input input-char-8" value=filter.dagtilbud.clone() aria-describedby="dagtilbud-hjaelp" />
                </div>
                <div class="form-group">
                    <label class="form-label" for="handling">"Hændelse"</label>
                    <select id="handling" name="handling" class="form-select">
                        <option value="">"Alle"</option>
                        {ACTIONS.iter().map(|(key, label)| view! { <option value=*key selected=handling == *key>{*label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="fra">"Fra og med"</label>
                    <input type="date" id="fra" name="fra" class="input input-medium" value=filter.fra.clone() />
                </div>
                <div class="form-group">
                    <label class="form-label" for="til">"Til og med"</label>
                    <input type="date" id="til" name="til" class="input input-medium" value=filter.til.clone() />
                </div>
            </div>
            <div class="button-row">
                <button type="submit" class="button">"Vis"</button>
                <a href="/support/log">"Nulstil"</a>
            </div>
        </form>
    }
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let prev = (page.page > 1).then(|| format!("/support/log{}", filter.query(Some(page.page - 1))));
    let next = (page.page < page.pages).then(|| format!("/support/log{}", filter.query(Some(page.page + 1))));
    let csv = format!("/support/log.csv{}", filter.query(None));
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{e.at}</td>
                    <td>{format!("{} ({})", e.account, e.role)}</td>
                    <td>{e.action}</td>
                    <td>{e.institution.map(|n| view! { <a href=format!("/support/dagtilbud/{n}")>{n.clone()}</a> })}</td>
                    <td>{e.kommune.unwrap_or_default()}</td>
                    <td>{e.ip.unwrap_or_default()}</td>
                    <td>{e.details}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p role="status">
            {
                let counted = format_thousands(page.matching.max(0) as u64);
                let matching = if page.more {
                    format!("Mere end {counted} hændelser matcher; afgræns med datoer, konto eller hændelse for at se ældre.")
                } else {
                    format!("{counted} hændelser matcher.")
                };
                format!("{matching} Side {} af {}.", page.page, page.pages)
            }
        </p>
        <p><a href=csv download>"Hent de valgte hændelser som CSV"</a></p>
        <super::PagedTable
            caption="Hændelser, nyeste først"
            headings=&["Tidspunkt", "Konto", "Hændelse", "Dagtilbud", "Kommune", "IP-adresse", "Detaljer"]
            prev=prev
            next=next
        >
            {rows}
        </super::PagedTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_names_each_bad_field() {
        let filter = AuditFilter {
            dagtilbud: "x".into(),
            handling: "drop table".into(),
            fra: "31.2.2026".into(),
            ..Default::default()
        };
        let errors = filter.check().unwrap_err();
        assert!(errors["dagtilbud"].contains("Institutionsnummeret"));
        assert!(errors["handling"].contains("Vælg en hændelse"));
        assert!(errors["fra"].contains("Fra-datoen"));

        let backwards = AuditFilter {
            fra: "2026-11-24".into(),
            til: "23.11.2026".into(),
            ..Default::default()
        };
        assert!(backwards.check().unwrap_err()["til"].contains("efter fra-datoen"));
    }

    #[test]
    fn the_query_keeps_the_filter() {
        let filter = AuditFilter {
            konto: "ida@kommune.dk".into(),
            handling: "log_ind".into(),
            side: "3".into(),
            ..Default::default()
        };
        assert_eq!(
            filter.query(Some(2)),
            "?konto=ida%40kommune.dk&handling=log_ind&side=2"
        );
        assert_eq!(filter.query(None), "?konto=ida%40kommune.dk&handling=log_ind");
        let back = AuditFilter::from_query(|key| match key {
            "konto" => Some("ida@kommune.dk".into()),
            "handling" => Some("log_ind".into()),
            _ => None,
        });
        assert_eq!(back.check().unwrap().handling.as_deref(), Some("log_ind"));
    }
}
