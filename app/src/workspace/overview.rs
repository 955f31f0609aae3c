//! The institution's start page figures and its change history.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::Workspace;
use crate::domain::sections::{FieldChange, SectionKind};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionStatus {
    pub kind: SectionKind,
    pub filled: bool,
    pub updated: Option<String>,
    pub updated_by: Option<String>,
    /// Confirmed as still correct after the last change, when.
    pub confirmed: Option<String>,
    /// Neither changed nor confirmed for `Settings::stale_after`.
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub when: String,
    pub who: String,
    pub section: String,
    pub changes: Vec<FieldChange>,
}

/// The sections of the calling institution (or, for an administrator, of
/// `nummer`: a dagpleje has six) with their status.
#[server(prefix = "/api/fn", endpoint = "afsnit_status")]
pub async fn section_statuses(nummer: Option<String>) -> Result<Vec<SectionStatus>, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let pool = crate::ssr::pool()?;
    let target = super::db::readable_target(
        &pool,
        principal,
        nummer.as_deref(),
        crate::auth::context::client_ip(),
    )
    .await?;
    let rows = sqlx::query!(
        "SELECT section, updated_at, updated_by_role, confirmed_at FROM institution_sections WHERE institution_id = $1",
        target.institution_id
    )
    .fetch_all(&pool)
    .await?;
    let state = crate::ssr::state()?;
    let stale_before = state.now() - state.settings.stale_after;
    Ok(target
        .sections()
        .iter()
        .copied()
        .map(|kind| {
            let row = rows.iter().find(|r| r.section == kind.as_str());
            SectionStatus {
                kind,
                filled: row.is_some(),
                updated: row.map(|r| crate::domain::calendar::format_timestamp(r.updated_at)),
                updated_by: row.map(|r| {
                    crate::auth::Role::of_stored(&r.updated_by_role)
                        .label()
                        .to_string()
                }),
                confirmed: row.and_then(|r| {
                    r.confirmed_at
                        .filter(|c| *c > r.updated_at)
                        .map(crate::domain::calendar::format_timestamp)
                }),
                stale: row
                    .is_some_and(|r| r.confirmed_at.unwrap_or(r.updated_at).max(r.updated_at) < stale_before),
            }
        })
        .collect())
}

/// Every change to the calling institution's sections (or, for an
/// administrator, to `nummer`'s), newest first.
#[server(prefix = "/api/fn", endpoint = "historik")]
pub async fn history(nummer: Option<String>) -> Result<Vec<HistoryEntry>, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let pool = crate::ssr::pool()?;
    let institution_id = super::db::readable_target(
        &pool,
        principal,
        nummer.as_deref(),
        crate::auth::context::client_ip(),
    )
    .await?
    .institution_id;
    let rows = sqlx::query!(
        r#"SELECT section, changed_at, actor_role, changes FROM section_history
           WHERE institution_id = $1 ORDER BY changed_at DESC, id DESC LIMIT 500"#,
        institution_id
    )
    .fetch_all(&pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            let changes: Vec<FieldChange> =
                serde_json::from_value(row.changes).map_err(|e| AppError::internal("history decode", &e))?;
            Ok(HistoryEntry {
                when: crate::domain::calendar::format_timestamp(row.changed_at),
                who: crate::auth::Role::of_stored(&row.actor_role).label().to_string(),
                section: SectionKind::parse(&row.section)
                    .map(|k| k.label())
                    .unwrap_or("Ukendt")
                    .to_string(),
                changes,
            })
        })
        .collect()
}

/// The sections on a start page, each linking to its form when `editable`.
/// The page loads `statuses` with its own data: a resource nested in the
/// page's suspense did not always hydrate.
#[component]
pub fn SectionTable(
    workspace: Workspace,
    statuses: Result<Vec<SectionStatus>, AppError>,
    #[prop(default = true)] editable: bool,
) -> impl IntoView {
    match statuses {
            // A fixed structure (an optional notice stopped hydration): the
            // caption says when a section should be looked at.
            Ok(statuses) => view! {
                <div class="section-table">
                <table class="table">
                    <caption>{if statuses.iter().any(|s| s.stale) {
                        "Det, I fortæller forældrene. Nogle afsnit er hverken ændret eller bekræftet i over et halvt år: \
                         se dem igennem, og ret dem eller bekræft, at de stadig er rigtige."
                    } else {
                        "Det, I fortæller forældrene"
                    }}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Afsnit"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Sidst opdateret"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {statuses.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">
                                    {if editable {
                                        view! { <a href=workspace.section(s.kind)>{s.kind.label()}</a> }.into_any()
                                    } else {
                                        s.kind.label().into_any()
                                    }}
                                </th>
                                <td>
                                    {match (s.filled, s.stale) {
                                        (true, false) => view! { <span class="status status-ok">"Udfyldt"</span> }.into_any(),
                                        (true, true) => view! { <span class="status status-missing">"Bør ses efter"</span> }.into_any(),
                                        _ => view! { <span class="status status-missing">"Mangler"</span> }.into_any(),
                                    }}
                                </td>
                                <td>
                                    {match (s.updated, s.updated_by, s.confirmed) {
                                        (Some(when), Some(who), None) => format!("{when} af {}", who.to_lowercase()),
                                        (Some(when), Some(who), Some(confirmed)) => {
                                            format!("{when} af {}, bekræftet {confirmed}", who.to_lowercase())
                                        }
                                        _ => "Aldrig".to_string(),
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }
            .into_any(),
            Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
    }
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let workspace = Workspace::current();
    let nummer = workspace.nummer.clone();
    let entries = Resource::new(|| (), move |_| history(nummer.clone()));
    view! {
        <Title text="Historik" />
        <p><a href=workspace.base()>"Tilbage til oversigten"</a></p>
        <h1>"Historik"</h1>
        <p class="lead">
            {if workspace.is_own() {
                "Alle ændringer af jeres oplysninger, nyeste først.".to_string()
            } else {
                format!("Alle ændringer af oplysningerne for {}, nyeste først.", workspace.nummer.clone().unwrap_or_default())
            }}
        </p>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => view! { <p>"Der er ingen ændringer endnu."</p> }.into_any(),
                    Ok(entries) => view! {
                        <ol class="history">
                            {entries.into_iter().map(|e| view! {
                                <li>
                                    <h2 class="history-heading">{format!("{}: {}", e.section, e.when)}</h2>
                                    <p class="muted">{format!("Gemt af {}", e.who.to_lowercase())}</p>
                                    <div class="table-wrap">
                                        <table class="table">
                                            <thead>
                                                <tr><th scope="col">"Felt"</th><th scope="col">"Før"</th><th scope="col">"Efter"</th></tr>
                                            </thead>
                                            <tbody>
                                                {e.changes.into_iter().map(|c| view! {
                                                    <tr><th scope="row">{c.felt}</th><td class="pre">{c.foer}</td><td class="pre">{c.efter}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                </li>
                            }).collect_view()}
                        </ol>
                    }
                    .into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
