//! Retention: what anyone can cause to be written is kept for a set period
//! only, so that a flood of refused log-ins cannot fill the database.
//!
//! - `login_throttle`: a key's row goes once it is not blocked and has had no
//!   attempt for a day (the longest period a count is remembered).
//! - `audit_log`: rows of anonymous actors (refused log-ins and refused
//!   requests) go after [`ANONYMOUS_AUDIT_DAYS`] days. Rows of logged-in users
//!   and of the system are kept for good.

use std::time::Duration;

use sqlx::PgPool;

/// How long the audit log keeps what anonymous callers caused.
pub const ANONYMOUS_AUDIT_DAYS: i32 = 90;
/// How often the retention runs.
pub const EVERY: Duration = Duration::from_secs(3600);

/// What one run removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub throttle_keys: u64,
    pub anonymous_audit_rows: i64,
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
    Ok(Pruned {
        throttle_keys,
        anonymous_audit_rows,
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
