//! Fælles lukkedage: the closing periods a kommune keeps for all its
//! institutions (`/kommune/lukkedage`). An institution takes them over from
//! its own Lukkedage page; a change here is carried into every copy that the
//! institution has not changed itself, with history on both sides.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::form::{errors_from, ErrorSummary, FormErrors, SubmitButton};
use crate::domain::sections::lukkedage::ClosingPeriod;
use crate::domain::sections::ClosingPeriodForm;
use crate::error::{AppError, FieldErrors};
use crate::workspace::closing::PeriodFields;

const PAGE: &str = "/kommune/lukkedage";
const FORM: &str = "faelles_lukkedage";

/// One fælles lukkedag and how many institutions have taken it over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonRow {
    pub id: i64,
    pub version: i32,
    pub period: ClosingPeriod,
    pub taken_over: i64,
}

/// One change in the kommune's fælles lukkedage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonChange {
    /// `4.12.2026 kl. 14.05`.
    pub when: String,
    /// "Oprettet", "Rettet", "Slettet".
    pub what: String,
    pub summary: String,
    pub by: String,
    pub institutions: i32,
}

/// The page's data: the current periods, the number of active institutions
/// that report lukkedage, and the latest changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonClosing {
    pub kommune: String,
    pub periods: Vec<CommonRow>,
    pub institutions: i64,
    pub history: Vec<CommonChange>,
}

#[server(prefix = "/api/fn", endpoint = "kommune_lukkedage")]
pub async fn kommune_lukkedage() -> Result<CommonClosing, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let pool = crate::ssr::pool()?;
    let today = crate::ssr::today()?;
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(&pool)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT p.id, p.version, p.data,
                  (SELECT COUNT(*) FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
                   WHERE i.kommunekode = p.kommunekode AND i.status = 'aktiv' AND s.section = 'lukkedage'
                     AND s.data -> 'periods' @> jsonb_build_array(jsonb_build_object('kommune_period', p.id))
                  ) AS "taken_over!"
           FROM kommune_closing_periods p
           WHERE p.kommunekode = $1 AND p.removed_at IS NULL AND p.til >= $2
           ORDER BY p.fra, p.til, p.id"#,
        kommunekode,
        today
    )
    .fetch_all(&pool)
    .await?;
    let periods = rows
        .into_iter()
        .map(|row| {
            Ok(CommonRow {
                id: row.id,
                version: row.version,
                period: serde_json::from_value(row.data)
                    .map_err(|e| AppError::internal("kommune closing period", &e))?,
                taken_over: row.taken_over,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let institutions = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!" FROM institutions
           WHERE kommunekode = $1 AND status = 'aktiv' AND ejerform <> 'privat'"#,
        kommunekode
    )
    .fetch_one(&pool)
    .await?;
    let history = sqlx::query!(
        r#"SELECT h.changed_at, h.action, h.summary, h.actor_label, h.institutions
           FROM kommune_closing_history h JOIN kommune_closing_periods p ON p.id = h.period_id
           WHERE p.kommunekode = $1
           ORDER BY h.changed_at DESC, h.id DESC LIMIT 50"#,
        kommunekode
    )
    .fetch_all(&pool)
    .await?
    .into_iter()
    .map(|row| CommonChange {
        when: crate::domain::calendar::format_timestamp(row.changed_at),
        what: match row.action.as_str() {
            "oprettet" => "Oprettet",
            "rettet" => "Rettet",
            _ => "Slettet",
        }
        .to_string(),
        summary: row.summary,
        by: row.actor_label,
        institutions: row.institutions,
    })
    .collect();
    Ok(CommonClosing {
        kommune,
        periods,
        institutions,
        history,
    })
}

/// What to do to one of the kommune's periods.
enum CommonChangeKind {
    Add(ClosingPeriodForm),
    Edit(i64, i32, ClosingPeriodForm),
    Remove(i64, i32),
}

/// Apply one change: the period row, its history row and the audit row in
/// one transaction, then carry the change into the institutions' copies.
/// Answers how many copies were changed.
async fn apply(change: CommonChangeKind) -> Result<i32, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let principal = crate::auth::context::require_principal()?;
    let state = crate::ssr::state()?;
    let ip = crate::auth::context::client_ip();
    let today = crate::ssr::today()?;
    let actor = crate::audit::Actor::from_principal(&principal);
    let mut tx = state.pool.begin().await?;
    // `period` is the period after the change (none once removed); `summary`
    // is what the history row says of it.
    let (id, version, action, period, summary) = match change {
        CommonChangeKind::Add(form) => {
            let period = form.parse(today).map_err(AppError::Validation)?;
            let data = serde_json::to_value(&period).map_err(|e| AppError::internal("period encode", &e))?;
            let id = sqlx::query_scalar!(
                r#"INSERT INTO kommune_closing_periods (kommunekode, data, fra, til, updated_by_label)
                   VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
                kommunekode,
                data,
                period.from,
                period.to,
                actor.label
            )
            .fetch_one(&mut *tx)
            .await?;
            let summary = period.summary();
            (id, 1, "oprettet", Some(period), summary)
        }
        CommonChangeKind::Edit(id, version, form) => {
            let period = form.parse(today).map_err(AppError::Validation)?;
            let data = serde_json::to_value(&period).map_err(|e| AppError::internal("period encode", &e))?;
            let updated = sqlx::query_scalar!(
                r#"UPDATE kommune_closing_periods
                   SET data = $4, fra = $5, til = $6, version = version + 1, updated_at = now(), updated_by_label = $7
                   WHERE id = $1 AND kommunekode = $2 AND version = $3 AND removed_at IS NULL
                   RETURNING version"#,
                id,
                kommunekode,
                version,
                data,
                period.from,
                period.to,
                actor.label
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(version) = updated else {
                return Err(stale(&state.pool, kommunekode, id).await);
            };
            let summary = period.summary();
            (id, version, "rettet", Some(period), summary)
        }
        CommonChangeKind::Remove(id, version) => {
            let removed = sqlx::query!(
                r#"UPDATE kommune_closing_periods
                   SET removed_at = now(), version = version + 1, updated_at = now(), updated_by_label = $4
                   WHERE id = $1 AND kommunekode = $2 AND version = $3 AND removed_at IS NULL
                   RETURNING version, data"#,
                id,
                kommunekode,
                version,
                actor.label
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = removed else {
                return Err(stale(&state.pool, kommunekode, id).await);
            };
            let old: ClosingPeriod = serde_json::from_value(row.data)
                .map_err(|e| AppError::internal("kommune closing period", &e))?;
            (id, row.version, "slettet", None, old.summary())
        }
    };
    sqlx::query!(
        r#"INSERT INTO kommune_closing_history (period_id, version, action, summary, actor_label)
           VALUES ($1, $2, $3, $4, $5)"#,
        id,
        version,
        action,
        summary,
        actor.label
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        &actor,
        &format!("faelles_lukkedag_{action}"),
        None,
        Some(kommunekode),
        ip,
        serde_json::json!({ "periode": id, "version": version }),
    )
    .await?;
    tx.commit().await?;
    if action == "oprettet" {
        return Ok(0);
    }
    let followed = crate::workspace::common_closing::follow(
        crate::workspace::db::Sections::of(&state),
        &principal,
        kommunekode,
        id,
        period.as_ref(),
        ip,
    )
    .await?;
    sqlx::query!(
        "UPDATE kommune_closing_history SET institutions = $3 WHERE period_id = $1 AND version = $2",
        id,
        version,
        followed.changed
    )
    .execute(&state.pool)
    .await?;
    if followed.overlapping > 0 {
        tracing::info!(
            period = id,
            overlapping = followed.overlapping,
            "kommune closing period not carried into copies that would overlap"
        );
    }
    Ok(followed.changed)
}

/// Why an edit or removal found nothing to change: another administrator
/// changed or removed the period first, or it is not this kommune's.
async fn stale(pool: &sqlx::PgPool, kommunekode: i16, id: i64) -> AppError {
    match sqlx::query_scalar!(
        "SELECT removed_at IS NULL AS \"current!\" FROM kommune_closing_periods WHERE id = $1 AND kommunekode = $2",
        id,
        kommunekode
    )
    .fetch_optional(pool)
    .await
    {
        Ok(Some(true)) => AppError::Conflict(
            "En anden har rettet den fælles lukkedag, efter du åbnede siden. Genindlæs siden og ret den igen.".into(),
        ),
        Ok(Some(false)) => AppError::Conflict("Den fælles lukkedag er allerede slettet. Genindlæs siden.".into()),
        Ok(None) => AppError::NotFound,
        Err(error) => AppError::from(error),
    }
}

/// Add a fælles lukkedag.
#[server(prefix = "/api/fn", endpoint = "kommune_lukkedag_tilfoej")]
pub async fn add_common_period(#[server(flatten)] form: ClosingPeriodForm) -> Result<i32, AppError> {
    crate::auth::context::require_kommune()?;
    let values = crate::ssr::flash::form_values(&form);
    let result = apply(CommonChangeKind::Add(form)).await;
    crate::ssr::flash::finish(FORM, PAGE, values, Some(&format!("{PAGE}?gemt=1")), result).await
}

/// Change fælles lukkedag `id` from `version`, and every copy not changed by its institution.
#[server(prefix = "/api/fn", endpoint = "kommune_lukkedag_ret")]
pub async fn edit_common_period(
    id: i64,
    version: i32,
    #[server(flatten)] form: ClosingPeriodForm,
) -> Result<i32, AppError> {
    crate::auth::context::require_kommune()?;
    let values = crate::ssr::flash::form_values(&form);
    let result = apply(CommonChangeKind::Edit(id, version, form)).await;
    crate::ssr::flash::finish(
        FORM,
        &format!("{PAGE}?ret={id}"),
        values,
        Some(&format!("{PAGE}?gemt=1")),
        result,
    )
    .await
}

/// Remove fælles lukkedag `id`, and every copy not changed by its institution.
#[server(prefix = "/api/fn", endpoint = "kommune_lukkedag_slet")]
pub async fn remove_common_period(id: i64, version: i32) -> Result<i32, AppError> {
    crate::auth::context::require_kommune()?;
    let result = apply(CommonChangeKind::Remove(id, version)).await;
    crate::ssr::flash::finish(FORM, PAGE, Vec::new(), Some(&format!("{PAGE}?gemt=1")), result).await
}

#[component]
pub fn CommonClosingPage() -> impl IntoView {
    let add = ServerAction::<AddCommonPeriod>::new();
    let edit = ServerAction::<EditCommonPeriod>::new();
    let remove = ServerAction::<RemoveCommonPeriod>::new();
    let query = use_query_map();
    let changes = [
        crate::components::form::successes(add),
        crate::components::form::successes(edit),
        crate::components::form::successes(remove),
    ];
    let data = Resource::new_blocking(
        move || changes.iter().map(|c| c.get()).sum::<u32>(),
        move |changed| async move {
            let flash = if changed == 0 {
                crate::auth::take_form_flash(FORM.to_string())
                    .await
                    .ok()
                    .flatten()
            } else {
                None
            };
            (kommune_lukkedage().await, flash)
        },
    );
    let editing = move || query.read().get("ret").and_then(|i| i.parse::<i64>().ok());
    let saved_query = move || query.read().get("gemt").is_some();
    view! {
        <Title text="Fælles lukkedage" />
        <p><a href="/kommune">"Til kommunens oversigt"</a></p>
        <h1>"Fælles lukkedage"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (data, flash) = data.await;
                let data = match data {
                    Ok(data) => data,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let errors = FormErrors::new(flash.as_ref().map(|f| f.errors.clone()).unwrap_or_default());
                let saved = RwSignal::new(saved_query());
                for action_value in [add.value(), edit.value(), remove.value()] {
                    Effect::new(move |_| match action_value.get() {
                        Some(Err(error)) => { saved.set(false); errors.replace(errors_from(&error)) }
                        Some(Ok(_)) => { errors.replace(FieldErrors::new()); saved.set(true) }
                        None => {}
                    });
                }
                let edit_row = editing().and_then(|id| data.periods.iter().find(|p| p.id == id).cloned());
                let form: ClosingPeriodForm = match (&flash, &edit_row) {
                    (Some(flash), _) => serde_json::from_value(serde_json::to_value(&flash.values).unwrap_or_default()).unwrap_or_default(),
                    (None, Some(row)) => row.period.to_form(),
                    (None, None) => ClosingPeriodForm::default(),
                };
                let institutions = data.institutions;
                let rows = data.periods.iter().cloned().map(|row| {
                    let p = row.period.clone();
                    view! {
                        <tr>
                            <td>{p.dates()}</td>
                            <td class="pre">{p.reason.clone()}</td>
                            <td>{p.care_text()}</td>
                            <td>{format!("{} af {institutions}", row.taken_over)}</td>
                            <td>
                                <div class="button-row">
                                    <a href=format!("{PAGE}?ret={}", row.id) aria-label=format!("Ret {}", p.dates())>"Ret"</a>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=row.id />
                                        <input type="hidden" name="version" value=row.version />
                                        <button type="submit" class="button-link" aria-label=format!("Slet {}", p.dates())>"Slet"</button>
                                    </ActionForm>
                                </div>
                            </td>
                        </tr>
                    }
                }).collect_view();
                let empty = data.periods.is_empty();
                let history = data.history.iter().map(|h| view! {
                    <tr>
                        <td>{h.when.clone()}</td>
                        <td>{h.what.clone()}</td>
                        <td class="pre">{h.summary.clone()}</td>
                        <td>{h.by.clone()}</td>
                        <td>{h.institutions}</td>
                    </tr>
                }).collect_view();
                let fields = view! { <PeriodFields form errors kommune=true /> };
                view! {
                    <p>{format!(
                        "{}s fælles lukkedage. Hvert dagtilbud ser dem på sin side om lukkedage og kan tilføje dem med ét klik. Retter eller sletter I en fælles lukkedag her, følger den med hos de dagtilbud, der har tilføjet den og ikke selv har rettet den.",
                        data.kommune
                    )}</p>
                    // Always in the page, so that screen readers announce "Gemt." when it appears.
                    <div role="status" aria-live="polite">
                        <Show when=move || saved.get()>
                            <div class="alert alert-success">
                                <p>"Gemt. Dagtilbuddene ser ændringen på deres side om lukkedage."</p>
                            </div>
                        </Show>
                    </div>
                    <ErrorSummary errors fields=vec!["fra".into(), "til".into(), "aarsag".into(), "alternativ_sted".into()] />
                    {if empty {
                        view! { <p>"Kommunen har ingen fælles lukkedage endnu."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <caption>"Kommunens fælles lukkedage"</caption>
                                    <thead><tr>
                                        <th scope="col">"Periode"</th><th scope="col">"Årsag"</th>
                                        <th scope="col">"Alternativ pasning"</th><th scope="col">"Tilføjet af dagtilbud"</th>
                                        <th scope="col">"Handlinger"</th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    {match edit_row {
                        Some(row) => view! {
                            <h2>"Ret fælles lukkedag"</h2>
                            <ActionForm action=edit attr:novalidate=true attr:class="form">
                                <input type="hidden" name="id" value=row.id />
                                <input type="hidden" name="version" value=row.version />
                                {fields}
                                <div class="button-row">
                                    <SubmitButton pending=edit.pending() label="Gem og ret hos dagtilbuddene" />
                                    <a href=PAGE>"Fortryd"</a>
                                </div>
                            </ActionForm>
                        }.into_any(),
                        None => view! {
                            <h2>"Tilføj fælles lukkedag"</h2>
                            <ActionForm action=add attr:novalidate=true attr:class="form">
                                {fields}
                                <SubmitButton pending=add.pending() label="Tilføj fælles lukkedag" />
                            </ActionForm>
                        }.into_any(),
                    }}
                    <h2>"Ændringer"</h2>
                    <div class="table-wrap">
                        <table class="table">
                            <caption>"De seneste ændringer af kommunens fælles lukkedage"</caption>
                            <thead><tr>
                                <th scope="col">"Tidspunkt"</th><th scope="col">"Ændring"</th><th scope="col">"Lukkedag"</th>
                                <th scope="col">"Af"</th><th scope="col">"Rettet hos dagtilbud"</th>
                            </tr></thead>
                            <tbody>{history}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}
