//! Support's timeline of one institution's log-in: letters and codes issued
//! (by whom), codes used, passwords chosen, log-ins, refused attempts and
//! lockouts, reminders by e-mail, and the last change of each section, so a support call is
//! answered without reading the raw audit log. Nothing secret is in it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The newest events the timeline shows; the full log has the rest.
pub const TIMELINE_LIMIT: usize = 100;

/// One event, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// "24.12.2026 kl. 14:05".
    pub when: String,
    /// The kind of event in Danish ("Engangskode udstedt").
    pub what: String,
    /// Who did it: "Dagtilbuddet", an administrator's e-mail, or "Ikke logget ind".
    pub who: String,
    /// What the event adds ("med engangskoden", "Åbningstider", a refusal's reason).
    pub detail: String,
}

/// The log-in as it stands, and what led there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The log-in's state in a sentence.
    pub login: String,
    pub code_issued: String,
    pub last_login: String,
    /// Refused log-ins with this number in the last 24 hours.
    pub refused_today: i64,
    pub events: Vec<TimelineEvent>,
    /// More events than shown: the full log has them.
    pub more: bool,
}

/// The timeline of `nummer`'s log-in. Support only: it names administrators
/// of every kommune, which a kommune's own administrator does not see.
#[server(prefix = "/api/fn", endpoint = "support_tidslinje")]
pub async fn login_timeline(nummer: String) -> Result<Timeline, AppError> {
    crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    let nummer = crate::domain::InstitutionNumber::parse(&nummer)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    db::timeline(&pool, &nummer).await
}

mod db {
    use super::{Timeline, TimelineEvent, TIMELINE_LIMIT};
    use crate::domain::calendar::format_timestamp;
    use crate::domain::sections::SectionKind;
    use crate::error::AppError;

    pub async fn timeline(pool: &sqlx::PgPool, nummer: &str) -> Result<Timeline, AppError> {
        let account = sqlx::query!(
            r#"SELECT i.id, i.institution_type, a.code_hash IS NOT NULL AS "code_pending!",
                      a.password_hash IS NOT NULL AS "has_password!", a.code_issued_at,
                      a.last_login_at, COALESCE(a.disabled, false) AS "disabled!",
                      a.institution_id IS NOT NULL AS "has_account!",
                      (SELECT count(*) FROM audit_log r
                       WHERE r.action = 'log_ind_afvist' AND r.actor_label = i.nummer
                         AND r.at > now() - interval '24 hours') AS "refused_today!"
               FROM institutions i
               LEFT JOIN institution_accounts a ON a.institution_id = i.id
               WHERE i.nummer = $1"#,
            nummer
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
        // Its own events, and the refused log-ins typed with its number
        // (those carry no institution id: nobody was logged in).
        let rows = sqlx::query!(
            r#"SELECT at AS "at!", actor_role AS "actor_role!", actor_label AS "actor_label!",
                      action AS "action!", details AS "details!"
               FROM (
                 (SELECT id, at, actor_role, actor_label, action, details FROM audit_log
                  WHERE institution_id = $1 ORDER BY at DESC, id DESC LIMIT $3)
                 UNION ALL
                 (SELECT id, at, actor_role, actor_label, action, details FROM audit_log
                  WHERE action = 'log_ind_afvist' AND actor_label = $2 AND institution_id IS NULL
                  ORDER BY at DESC, id DESC LIMIT $3)
               ) e
               ORDER BY at DESC, id DESC LIMIT $3"#,
            account.id,
            nummer,
            TIMELINE_LIMIT as i64 + 1
        )
        .fetch_all(pool)
        .await?;
        let login = match (
            account.has_account,
            account.disabled,
            account.has_password,
            account.code_pending,
        ) {
            _ if account.institution_type == "dagpleje" => {
                "Intet log-in: en kommunal dagpleje indberettes af kommunen."
            }
            (false, ..) => "Intet log-in endnu: kommunen har ikke udstedt en engangskode.",
            (true, true, ..) => "Spærret: dagtilbuddet kan ikke logge ind.",
            (true, false, _, true) => "Venter på, at dagtilbuddet logger ind med sin nye engangskode.",
            (true, false, true, false) => "I brug: dagtilbuddet har valgt sin egen adgangskode.",
            (true, false, false, false) => "Koden er brugt, men der er ikke valgt en adgangskode endnu.",
        };
        let more = rows.len() > TIMELINE_LIMIT;
        let events = rows
            .into_iter()
            .take(TIMELINE_LIMIT)
            .map(|r| TimelineEvent {
                when: format_timestamp(r.at),
                what: crate::domain::audit_actions::action_label(&r.action),
                who: match r.actor_role.as_str() {
                    "institution" => "Dagtilbuddet".to_string(),
                    "anonym" => "Ikke logget ind".to_string(),
                    _ => r.actor_label,
                },
                detail: describe(&r.action, &r.details),
            })
            .collect();
        Ok(Timeline {
            login: login.to_string(),
            code_issued: account
                .code_issued_at
                .map(format_timestamp)
                .unwrap_or_else(|| "Aldrig".into()),
            last_login: account
                .last_login_at
                .map(format_timestamp)
                .unwrap_or_else(|| "Aldrig".into()),
            refused_today: account.refused_today,
            events,
            more,
        })
    }

    /// What an event's details add, in Danish (never a secret: the log holds none).
    fn describe(action: &str, details: &serde_json::Value) -> String {
        let text = |key: &str| details.get(key).and_then(|v| v.as_str()).unwrap_or_default();
        let section = || {
            SectionKind::parse(text("afsnit"))
                .map(|k| k.label().to_string())
                .unwrap_or_default()
        };
        match action {
            "log_ind" if details.get("med_engangskode").and_then(|v| v.as_bool()) == Some(true) => {
                "med engangskoden".to_string()
            }
            "log_ind_afvist" => match text("aarsag") {
                "for mange forsøg" => "for mange forsøg: midlertidigt spærret".to_string(),
                reason => reason.to_string(),
            },
            "afsnit_gemt" | "afsnit_bekraeftet" => section(),
            "paamindelse" => format!("til {}", text("til")),
            _ => String::new(),
        }
    }
}

/// The timeline on support's institution page (loaded with the page's own
/// data: a second resource nested in the page did not always hydrate).
#[component]
pub fn SupportTimeline(nummer: String, timeline: Result<Timeline, AppError>) -> impl IntoView {
    let log_link = format!("/support/log?dagtilbud={nummer}");
    view! {
        <section aria-labelledby="tidslinje">
            <h2 id="tidslinje">"Log-in og hændelser"</h2>
            {match timeline {
                Ok(timeline) => view! { <TimelineView timeline log_link /> }.into_any(),
                Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TimelineView(timeline: Timeline, log_link: String) -> impl IntoView {
    let events = timeline
        .events
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{e.when}</td>
                    <td>{e.what}</td>
                    // Never an empty text node: the browser drops it and hydration stops.
                    <td>{if e.detail.is_empty() { "–".to_string() } else { e.detail }}</td>
                    <td>{e.who}</td>
                </tr>
            }
        })
        .collect_view();
    let shown = if timeline.more {
        format!("De {TIMELINE_LIMIT} nyeste hændelser. Loggen har resten.")
    } else {
        "Alle hændelser, nyeste først.".to_string()
    };
    view! {
        <dl class="facts">
            <dt>"Log-in"</dt><dd>{timeline.login}</dd>
            <dt>"Seneste engangskode"</dt><dd>{timeline.code_issued}</dd>
            <dt>"Sidst logget ind"</dt><dd>{timeline.last_login}</dd>
            <dt>"Afviste log-ins det seneste døgn"</dt><dd>{timeline.refused_today}</dd>
        </dl>
        <div class="table-wrap">
            <table class="table table-compact">
                <caption>{shown}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Tidspunkt"</th>
                        <th scope="col">"Hændelse"</th>
                        <th scope="col">"Detaljer"</th>
                        <th scope="col">"Hvem"</th>
                    </tr>
                </thead>
                <tbody>{events}</tbody>
            </table>
        </div>
        <p><a href=log_link>"Se dagtilbuddets hændelser i loggen"</a></p>
    }
}
