//! Reports in PostgreSQL (server only).

use sqlx::PgPool;
use time::OffsetDateTime;

use super::{topic_label, OpenReport, Report};
use crate::domain::calendar::format_timestamp;
use crate::error::AppError;

/// Store a report about the active institution `nummer`.
pub async fn create(pool: &PgPool, nummer: &str, report: &Report) -> Result<(), AppError> {
    let stored = sqlx::query!(
        r#"INSERT INTO error_reports (institution_id, section, message, email)
           SELECT id, $2, $3, $4 FROM institutions WHERE nummer = $1 AND status = 'aktiv'"#,
        nummer,
        report.section,
        report.message,
        report.email
    )
    .execute(pool)
    .await?;
    if stored.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

struct Row {
    id: i64,
    nummer: String,
    navn: String,
    section: String,
    message: String,
    email: Option<String>,
    created_at: OffsetDateTime,
}

fn open_report(row: Row, now: OffsetDateTime) -> OpenReport {
    OpenReport {
        id: row.id,
        nummer: row.nummer,
        navn: row.navn,
        topic: topic_label(&row.section).to_string(),
        message: row.message,
        email: row.email,
        when: format_timestamp(row.created_at),
        days_open: (now - row.created_at).whole_days(),
    }
}

/// Whose open reports to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// The institution's own, however new.
    Institution(i64),
    /// The kommune's, left open since before the time; not those of private
    /// institutions, whose pages STIL support keeps (as with their sections,
    /// the kommune could not act on them).
    Kommune(i16, OffsetDateTime),
    /// Private institutions' in all of Denmark, left open since before the
    /// time: support keeps those pages.
    Private(OffsetDateTime),
}

/// The open reports of `scope`, oldest first.
pub async fn open(pool: &PgPool, scope: Scope, now: OffsetDateTime) -> Result<Vec<OpenReport>, AppError> {
    let (institution, kommune, private, before) = match scope {
        Scope::Institution(id) => (Some(id), None, None, None),
        Scope::Kommune(kode, before) => (None, Some(kode), Some(false), Some(before)),
        Scope::Private(before) => (None, None, Some(true), Some(before)),
    };
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT r.id, i.nummer, i.navn, r.section, r.message, r.email, r.created_at
           FROM error_reports r JOIN institutions i ON i.id = r.institution_id
           WHERE r.handled_at IS NULL
             AND ($1::bigint IS NULL OR r.institution_id = $1)
             AND ($2::smallint IS NULL OR i.kommunekode = $2)
             AND ($3::boolean IS NULL OR (i.ejerform = 'privat') = $3)
             AND ($4::timestamptz IS NULL OR r.created_at < $4)
           ORDER BY r.created_at, r.id"#,
        institution,
        kommune,
        private,
        before
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| open_report(r, now)).collect())
}

/// The institution a report is about, if it is open.
pub async fn institution_of(pool: &PgPool, id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT i.nummer FROM error_reports r JOIN institutions i ON i.id = r.institution_id
           WHERE r.id = $1 AND r.handled_at IS NULL"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

/// Mark an open report of `institution_id` handled, with an optional answer.
/// `false` when it was handled already (or is not that institution's).
pub async fn handle(
    pool: &PgPool,
    id: i64,
    institution_id: i64,
    answer: Option<&str>,
    by: &str,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"UPDATE error_reports SET handled_at = now(), answer = $3, handled_by_label = $4
           WHERE id = $1 AND institution_id = $2 AND handled_at IS NULL"#,
        id,
        institution_id,
        answer,
        by
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
