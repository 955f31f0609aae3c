//! Retention: what anyone can cause to be written is kept for a set period
//! only, so that a flood of refused log-ins cannot fill the database.
//!
//! - `login_throttle`: a key's row goes once it is not blocked and has had no
//!   attempt for a day (the longest period a count is remembered).
//! - `audit_log`: rows of anonymous actors (refused log-ins and refused
//!   requests) go after [`ANONYMOUS_AUDIT_DAYS`] days. Rows of logged-in users
//!   and of the system are kept for good.
//! - `error_reports`: a parent's report, with the e-mail it may carry, goes
//!   [`HANDLED_REPORT_DAYS`] days after it was handled, and after
//!   [`REPORT_DAYS`] days in any case.

use std::time::Duration;

use sqlx::PgPool;

/// How long the audit log keeps what anonymous callers caused.
pub const ANONYMOUS_AUDIT_DAYS: i32 = 90;
/// How often the retention runs.
pub const EVERY: Duration = Duration::from_secs(3600);

/// How long a handled error report ("Meld en fejl"), with the e-mail a
/// parent may have given, is kept after it was handled.
pub const HANDLED_REPORT_DAYS: i32 = 90;
/// How long any error report is kept, handled or not.
pub const REPORT_DAYS: i32 = 365;

/// What one run removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub throttle_keys: u64,
    pub anonymous_audit_rows: i64,
    pub error_reports: u64,
}

/// Remove what is past its retention period.
pub async fn run(pool: &PgPool) -> Result<Pruned, sqlx::Error> {
    let throttle_keys = sqlx::query!(
        "DELETE FROM login_throttle
         WHERE last_failure_at < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())"
    )
    .execute(pool)
    .await?
    .rows_affected();
    let anonymous_audit_rows = sqlx::query_scalar!(
        r#"SELECT prune_anonymous_audit(make_interval(days => $1)) AS "pruned!""#,
        ANONYMOUS_AUDIT_DAYS
    )
    .fetch_one(pool)
    .await?;
    let error_reports = sqlx::query!(
        "DELETE FROM error_reports
         WHERE handled_at < now() - make_interval(days => $1) OR created_at < now() - make_interval(days => $2)",
        HANDLED_REPORT_DAYS,
        REPORT_DAYS
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(Pruned {
        throttle_keys,
        anonymous_audit_rows,
        error_reports,
    })
}

/// Run the retention every [`EVERY`] until the task is aborted.
pub async fn continuously(pool: PgPool) {
    let mut ticks = tokio::time::interval(EVERY);
    loop {
        ticks.tick().await;
        match run(&pool).await {
            Ok(pruned) => tracing::info!(?pruned, "retention ran"),
            Err(error) => tracing::warn!(%error, "retention failed; it runs again in an hour"),
        }
    }
}
