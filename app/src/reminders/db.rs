//! Reminder jobs and messages in PostgreSQL (server only).

use sqlx::PgPool;
use time::OffsetDateTime;

use super::{Audience, Facts, JobRow, LastReminder, MessageRow, Template};
use crate::audit::Actor;
use crate::domain::calendar::{danish_time, format_date, format_timestamp};
use crate::domain::sections::SectionKind;
use crate::error::AppError;

/// An institution a reminder may go to, and what its reminder says.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub institution_id: i64,
    pub nummer: String,
    pub navn: String,
    /// The e-mail of its Kontakt section, if it has one.
    pub email: Option<String>,
    pub facts: Facts,
}

/// The kommune's name and the active institutions of `audience`, by name.
/// A section last changed or confirmed before `stale_before` is stale.
pub async fn candidates(
    pool: &PgPool,
    kommunekode: i16,
    audience: Audience,
    stale_before: OffsetDateTime,
    login_address: &str,
) -> Result<(String, Vec<Candidate>), AppError> {
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT i.id, i.nummer, i.navn, a.last_login_at IS NOT NULL AS "logged_in!",
                  COALESCE(array_agg(s.section ORDER BY s.section) FILTER (WHERE s.section IS NOT NULL), '{}') AS "sections!",
                  COALESCE(array_agg(GREATEST(s.updated_at, s.confirmed_at) ORDER BY s.section)
                           FILTER (WHERE s.section IS NOT NULL), '{}') AS "checked!: Vec<OffsetDateTime>",
                  (SELECT k.data ->> 'email' FROM institution_sections k
                   WHERE k.institution_id = i.id AND k.section = 'kontakt') AS email
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           LEFT JOIN institution_sections s ON s.institution_id = i.id
           WHERE i.kommunekode = $1 AND i.status = 'aktiv' AND i.institution_type <> 'dagpleje'
           GROUP BY i.id, a.last_login_at
           ORDER BY i.navn, i.nummer"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;
    let mut found = Vec::new();
    for row in rows {
        let mut missing = Vec::new();
        let mut stale = Vec::new();
        for kind in SectionKind::ALL {
            match row.sections.iter().position(|s| s == kind.as_str()) {
                None => missing.push(format!("{} er ikke udfyldt.", kind.label())),
                Some(at) => {
                    if let Some(checked) = row.checked.get(at).filter(|c| **c < stale_before) {
                        stale.push(format!(
                            "{} er hverken ændret eller bekræftet siden {}.",
                            kind.label(),
                            format_date(danish_time(*checked).date())
                        ));
                    }
                }
            }
        }
        let chosen = match audience {
            Audience::Missing => !missing.is_empty(),
            Audience::Stale => !stale.is_empty(),
            Audience::NeverLoggedIn => !row.logged_in,
        };
        if !chosen {
            continue;
        }
        let mut todo = Vec::new();
        if !row.logged_in {
            todo.push("I har endnu ikke logget ind.".to_string());
        }
        todo.extend(missing);
        todo.extend(stale);
        found.push(Candidate {
            institution_id: row.id,
            email: row.email.filter(|e| !e.trim().is_empty()),
            facts: Facts {
                navn: row.navn.clone(),
                kommune: kommune.clone(),
                todo,
                address: login_address.to_string(),
            },
            nummer: row.nummer,
            navn: row.navn,
        });
    }
    Ok((kommune, found))
}

/// The kommune's own wording from its last reminder, or the default.
pub async fn template(pool: &PgPool, kommunekode: i16) -> Result<Template, AppError> {
    let saved = sqlx::query!(
        "SELECT subject, body FROM kommune_reminder_templates WHERE kommunekode = $1",
        kommunekode
    )
    .fetch_optional(pool)
    .await?;
    Ok(saved
        .map(|row| Template {
            subject: row.subject,
            body: row.body,
        })
        .unwrap_or_default())
}

/// Make a job with one written-out message per candidate that has an
/// e-mail, keep the wording as the kommune's template, and audit it: all in
/// one transaction. Answers the job's id and how many messages it holds.
#[allow(clippy::too_many_arguments)]
pub async fn create_job(
    pool: &PgPool,
    kommunekode: i16,
    admin_id: i64,
    actor: &Actor,
    audience: Audience,
    template: &Template,
    candidates: &[Candidate],
    ip: Option<std::net::IpAddr>,
) -> Result<(i64, usize), AppError> {
    let mut tx = pool.begin().await?;
    let job = sqlx::query_scalar!(
        r#"INSERT INTO reminder_jobs (kommunekode, created_by, actor_label, chosen_by, subject, body)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
        kommunekode,
        admin_id,
        actor.label,
        audience.as_str(),
        template.subject,
        template.body
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut count = 0;
    for candidate in candidates {
        let Some(to) = &candidate.email else { continue };
        let (subject, body) = template.render(&candidate.facts);
        sqlx::query!(
            r#"INSERT INTO reminder_messages (job_id, institution_id, to_address, subject, body)
               VALUES ($1, $2, $3, $4, $5)"#,
            job,
            candidate.institution_id,
            to,
            subject,
            body
        )
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            &mut *tx,
            actor,
            "paamindelse",
            Some(candidate.institution_id),
            Some(kommunekode),
            ip,
            serde_json::json!({ "job": job, "til": to }),
        )
        .await?;
        count += 1;
    }
    sqlx::query!(
        r#"INSERT INTO kommune_reminder_templates (kommunekode, subject, body) VALUES ($1, $2, $3)
           ON CONFLICT (kommunekode) DO UPDATE SET subject = $2, body = $3, updated_at = now()"#,
        kommunekode,
        template.subject,
        template.body
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        actor,
        "paamindelser_sendt",
        None,
        Some(kommunekode),
        ip,
        serde_json::json!({ "job": job, "modtagere": count, "hvem": audience.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok((job, count))
}

/// The kommune's reminder jobs, newest first, with their messages counted by state.
pub async fn jobs(pool: &PgPool, kommunekode: i16) -> Result<Vec<JobRow>, AppError> {
    job_rows(pool, kommunekode, None).await
}

/// The kommune's newest 100 jobs, or only job `id` (however old).
async fn job_rows(pool: &PgPool, kommunekode: i16, id: Option<i64>) -> Result<Vec<JobRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT j.id, j.created_at, j.actor_label, j.chosen_by, j.subject,
                  count(m.id) AS "total!",
                  count(m.id) FILTER (WHERE m.status = 'sent') AS "sent!",
                  count(m.id) FILTER (WHERE m.status IN ('failed', 'uncertain')) AS "failed!"
           FROM reminder_jobs j LEFT JOIN reminder_messages m ON m.job_id = j.id
           WHERE j.kommunekode = $1 AND ($2::bigint IS NULL OR j.id = $2)
           GROUP BY j.id ORDER BY j.created_at DESC, j.id DESC LIMIT 100"#,
        kommunekode,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| JobRow {
            id: r.id,
            when: format_timestamp(r.created_at),
            by: r.actor_label,
            audience: Audience::parse(&r.chosen_by)
                .map(|a| a.label().to_string())
                .unwrap_or(r.chosen_by),
            subject: r.subject,
            total: r.total,
            sent: r.sent,
            failed: r.failed,
        })
        .collect())
}

/// One of the kommune's jobs and its messages (`None`: not the kommune's).
pub async fn job(
    pool: &PgPool,
    kommunekode: i16,
    id: i64,
) -> Result<Option<(JobRow, Vec<MessageRow>)>, AppError> {
    let Some(row) = job_rows(pool, kommunekode, Some(id)).await?.pop() else {
        return Ok(None);
    };
    let messages = messages(pool, kommunekode, Some(id), i64::MAX, 0).await?;
    Ok(Some((row, messages)))
}

/// Messages of the kommune (of one job, or all), newest first.
pub async fn messages(
    pool: &PgPool,
    kommunekode: i16,
    job: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<MessageRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT m.id, m.job_id, i.nummer, i.navn, m.to_address, m.subject, m.body, m.status, m.transport,
                  m.attempts, m.last_error, m.sent_at, j.created_at
           FROM reminder_messages m
           JOIN reminder_jobs j ON j.id = m.job_id
           JOIN institutions i ON i.id = m.institution_id
           WHERE j.kommunekode = $1 AND ($2::bigint IS NULL OR m.job_id = $2)
           ORDER BY j.created_at DESC, m.id
           LIMIT $3 OFFSET $4"#,
        kommunekode,
        job,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MessageRow {
            id: r.id,
            job: r.job_id,
            nummer: r.nummer,
            navn: r.navn,
            to: r.to_address,
            subject: r.subject,
            body: r.body,
            status: r.status,
            outbox: r.transport.as_deref() == Some("outbox"),
            attempts: r.attempts,
            error: r.last_error,
            when: format_timestamp(r.sent_at.unwrap_or(r.created_at)),
        })
        .collect())
}

/// How many messages the kommune has in the outbox.
pub async fn outbox_count(pool: &PgPool, kommunekode: i16) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM reminder_messages m JOIN reminder_jobs j ON j.id = m.job_id
           WHERE j.kommunekode = $1"#,
        kommunekode
    )
    .fetch_one(pool)
    .await?)
}

/// The last reminder made for an institution, whatever became of it.
pub async fn last_for(pool: &PgPool, institution_id: i64) -> Result<Option<LastReminder>, AppError> {
    let row = sqlx::query!(
        r#"SELECT m.to_address, m.status, m.sent_at, j.created_at, j.actor_label
           FROM reminder_messages m JOIN reminder_jobs j ON j.id = m.job_id
           WHERE m.institution_id = $1
           ORDER BY j.created_at DESC, m.id DESC LIMIT 1"#,
        institution_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LastReminder {
        when: format_timestamp(r.sent_at.unwrap_or(r.created_at)),
        to: r.to_address,
        status: super::status_label(&r.status).to_string(),
        by: r.actor_label,
    }))
}
