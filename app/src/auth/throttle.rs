//! Throttling of log-in attempts, per account and per client address, with
//! growing delays capped at 20 minutes. Stored in PostgreSQL so that every
//! server process sees the same counts.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::AppError;

pub struct Policy {
    /// Attempts allowed before the first delay.
    pub free: i32,
    /// The first delay; each further attempt doubles it.
    pub base: Duration,
    /// The longest delay: never lock the real user out for long.
    pub cap: Duration,
    /// A quiet period after which the count starts over.
    pub forget_after: Duration,
}

/// Guessing one account's password.
pub const ACCOUNT: Policy = Policy {
    free: 5,
    base: Duration::from_secs(30),
    cap: Duration::from_secs(20 * 60),
    forget_after: Duration::from_secs(24 * 3600),
};

/// Credential stuffing from one address across many accounts.
pub const ADDRESS: Policy = Policy {
    free: 30,
    base: Duration::from_secs(30),
    cap: Duration::from_secs(20 * 60),
    forget_after: Duration::from_secs(3600),
};

/// "Prøv igen om 2 minutter." for a wait.
pub fn wait_message(wait: Duration) -> String {
    // Rounded up: never tell the user to come back before the block lifts.
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let when = if seconds < 60 {
        format!("{seconds} sekunder")
    } else {
        let minutes = seconds.div_ceil(60);
        if minutes == 1 {
            "1 minut".to_string()
        } else {
            format!("{minutes} minutter")
        }
    };
    format!("Der har været for mange forkerte forsøg på at logge ind. Af hensyn til sikkerheden skal du vente lidt. Prøv igen om {when}.")
}

/// Count a log-in attempt against its keys (the account, and the client's
/// address when known) before the secret is checked, and refuse it while any
/// key is blocked.
///
/// Each key is counted in one statement that also sets the block when the
/// count reaches the policy's limit, so attempts sent in parallel are counted
/// one after another and no more than the free ones get through. An attempt
/// that is refused is not counted: waiting out the block is always enough.
/// After a successful log-in, [`succeeded`] takes the attempt back.
pub async fn attempt(
    pool: &PgPool,
    now: OffsetDateTime,
    keys: &(String, Option<String>),
) -> Result<(), AppError> {
    let keyed = std::iter::once((&keys.0, &ACCOUNT)).chain(keys.1.as_ref().map(|ip| (ip, &ADDRESS)));
    for (key, policy) in keyed {
        let counted = sqlx::query_scalar!(
            r#"INSERT INTO login_throttle AS t (key, failures, last_failure_at, blocked_until)
               VALUES ($1, 1, $2::timestamptz, $2::timestamptz + login_throttle_delay(1, $3::int, $4::float8, $5::float8))
               ON CONFLICT (key) DO UPDATE SET
                 failures = CASE WHEN $2::timestamptz - t.last_failure_at >= make_interval(secs => $6::float8) THEN 1
                                 ELSE t.failures + 1 END,
                 last_failure_at = $2::timestamptz,
                 blocked_until = $2::timestamptz + login_throttle_delay(
                     CASE WHEN $2::timestamptz - t.last_failure_at >= make_interval(secs => $6::float8) THEN 1
                          ELSE t.failures + 1 END, $3::int, $4::float8, $5::float8)
               WHERE t.blocked_until IS NULL OR t.blocked_until <= $2::timestamptz
               RETURNING failures"#,
            key,
            now,
            policy.free,
            policy.base.as_secs_f64(),
            policy.cap.as_secs_f64(),
            policy.forget_after.as_secs_f64(),
        )
        .fetch_optional(pool)
        .await?;
        if counted.is_none() {
            let until = sqlx::query_scalar!("SELECT blocked_until FROM login_throttle WHERE key = $1", key)
                .fetch_optional(pool)
                .await?
                .flatten()
                .unwrap_or(now);
            let wait = (until - now).try_into().unwrap_or(Duration::from_secs(1));
            return Err(AppError::TooManyRequests(wait_message(wait)));
        }
    }
    Ok(())
}

/// A log-in with `keys` succeeded: the account's count starts over, and the
/// attempt is taken back from the address's count (many people behind one
/// office address log in all day), lifting a block that this attempt set.
pub async fn succeeded(pool: &PgPool, keys: &(String, Option<String>)) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM login_throttle WHERE key = $1", keys.0)
        .execute(pool)
        .await?;
    refund_address(pool, keys).await
}

/// Take the attempt back from every key's count, lifting a block it set,
/// without forgetting earlier ones: a right password whose second step (the
/// code) is still to come, so that wrong codes keep counting.
pub async fn refund(pool: &PgPool, keys: &(String, Option<String>)) -> Result<(), AppError> {
    refund_key(pool, &keys.0, &ACCOUNT).await?;
    refund_address(pool, keys).await
}

async fn refund_address(pool: &PgPool, keys: &(String, Option<String>)) -> Result<(), AppError> {
    match &keys.1 {
        Some(ip) => refund_key(pool, ip, &ADDRESS).await,
        None => Ok(()),
    }
}

async fn refund_key(pool: &PgPool, key: &str, policy: &Policy) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE login_throttle
           SET failures = failures - 1,
               blocked_until = last_failure_at + login_throttle_delay(failures - 1, $2, $3, $4)
           WHERE key = $1 AND failures > 0"#,
        key,
        policy.free,
        policy.base.as_secs_f64(),
        policy.cap.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_when_in_danish() {
        assert!(wait_message(Duration::from_secs(30)).ends_with("om 30 sekunder."));
        assert!(wait_message(Duration::from_secs(60)).ends_with("om 1 minut."));
        assert!(wait_message(Duration::from_secs(61)).ends_with("om 2 minutter."));
    }
}
