//! Throttling of failed log-ins, per account and per client address, with
//! growing delays capped at 20 minutes. Stored in PostgreSQL so that every
//! server process sees the same counts.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::AppError;

pub struct Policy {
    /// Failures allowed before the first delay.
    pub free: i32,
    /// The first delay; each further failure doubles it.
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

/// The delay after `failures` failures.
pub fn delay(policy: &Policy, failures: i32) -> Option<Duration> {
    if failures < policy.free {
        return None;
    }
    let doublings = (failures - policy.free).min(16) as u32;
    Some(policy.base.saturating_mul(1 << doublings).min(policy.cap))
}

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

/// Refuse the attempt if any of the keys is blocked right now.
pub async fn check(
    pool: &PgPool,
    now: OffsetDateTime,
    keys: &(String, Option<String>),
) -> Result<(), AppError> {
    let all: Vec<String> = std::iter::once(keys.0.clone()).chain(keys.1.clone()).collect();
    let blocked_until: Option<OffsetDateTime> = sqlx::query_scalar!(
        "SELECT MAX(blocked_until) FROM login_throttle WHERE key = ANY($1) AND blocked_until > $2",
        &all,
        now
    )
    .fetch_one(pool)
    .await?;
    match blocked_until {
        Some(until) => {
            let wait = (until - now).try_into().unwrap_or(Duration::from_secs(1));
            Err(AppError::TooManyRequests(wait_message(wait)))
        }
        None => Ok(()),
    }
}

/// Count a failure for `key` and block it for the policy's delay when due.
pub async fn fail(pool: &PgPool, now: OffsetDateTime, key: &str, policy: &Policy) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let previous = sqlx::query!(
        "SELECT failures, last_failure_at FROM login_throttle WHERE key = $1 FOR UPDATE",
        key
    )
    .fetch_optional(&mut *tx)
    .await?;
    let forget = time::Duration::try_from(policy.forget_after).unwrap_or(time::Duration::DAY);
    let failures = match previous {
        Some(row) if now - row.last_failure_at < forget => row.failures + 1,
        _ => 1,
    };
    let blocked_until = delay(policy, failures)
        .map(|wait| now + time::Duration::try_from(wait).unwrap_or(time::Duration::MINUTE));
    sqlx::query!(
        r#"INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO UPDATE
             SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at,
                 blocked_until = EXCLUDED.blocked_until"#,
        key,
        failures,
        now,
        blocked_until
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forget the failures of a key (after a successful log-in).
pub async fn clear(pool: &PgPool, key: &str) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM login_throttle WHERE key = $1", key)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        assert_eq!(delay(&ACCOUNT, 4), None);
        assert_eq!(delay(&ACCOUNT, 5), Some(Duration::from_secs(30)));
        assert_eq!(delay(&ACCOUNT, 6), Some(Duration::from_secs(60)));
        assert_eq!(delay(&ACCOUNT, 8), Some(Duration::from_secs(240)));
        assert_eq!(delay(&ACCOUNT, 100), Some(Duration::from_secs(1200)));
        assert_eq!(delay(&ADDRESS, 29), None);
    }

    #[test]
    fn messages_say_when_in_danish() {
        assert!(wait_message(Duration::from_secs(30)).ends_with("om 30 sekunder."));
        assert!(wait_message(Duration::from_secs(60)).ends_with("om 1 minut."));
        assert!(wait_message(Duration::from_secs(61)).ends_with("om 2 minutter."));
    }
}
