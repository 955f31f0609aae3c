//! The background sender. Every server runs one; they share the work through
//! PostgreSQL: a message is claimed with `FOR UPDATE SKIP LOCKED`, so two
//! servers never take the same one, and its state is written after each
//! attempt, so a restarted server goes on where the last one stopped.
//!
//! A message claimed by a server that then stopped (a crash, kill -9) may or
//! may not have reached the mail server. It is never sent again: after the
//! lease it is marked `uncertain`, and the kommune sees that.

use std::time::Duration;

use sqlx::PgPool;

use super::mailer::{Mailer, SendError};
use crate::ssr::AppState;

/// A claim older than this belongs to a server that stopped mid-send.
pub const LEASE: Duration = Duration::from_secs(10 * 60);

/// Attempts per message before it is given up on.
pub const MAX_ATTEMPTS: i32 = 4;

/// Send reminders until the process ends: whenever a job is made in this
/// process, and every `mail_poll` for jobs made elsewhere and retries.
pub async fn run(state: AppState) {
    let mailer = match Mailer::new(state.settings.mail.as_ref()) {
        Ok(mailer) => mailer,
        Err(error) => {
            // Config checks the settings at start; this cannot happen there.
            tracing::error!(%error, "reminders cannot be sent: the mail settings are invalid");
            return;
        }
    };
    loop {
        // Take the permit first, so a job made while sending wakes the next round.
        let woken = state.reminder_wake.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        if let Err(error) = work(&state.pool, &mailer, state.settings.mail_retry_after).await {
            tracing::warn!(%error, "reminder sending stopped for now; trying again");
        }
        tokio::select! {
            _ = woken => {}
            _ = tokio::time::sleep(state.settings.mail_poll) => {}
        }
    }
}

/// One round: give up stale claims, then send every due message. Answers how many were attempted.
pub async fn work(pool: &PgPool, mailer: &Mailer, retry_after: Duration) -> Result<usize, sqlx::Error> {
    let lease = LEASE.as_secs_f64();
    let abandoned = sqlx::query!(
        r#"UPDATE reminder_messages
           SET status = 'uncertain',
               last_error = 'Serveren stoppede under afsendelsen, så det vides ikke, om mailen nåede frem. Den sendes ikke igen af sig selv.'
           WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1)"#,
        lease
    )
    .execute(pool)
    .await?
    .rows_affected();
    if abandoned > 0 {
        tracing::warn!(
            abandoned,
            "reminders claimed by a stopped server are marked uncertain"
        );
    }
    let mut attempted = 0;
    while let Some(message) = claim(pool).await? {
        attempted += 1;
        let result = mailer
            .send(&message.to_address, &message.subject, &message.body)
            .await;
        match result {
            Ok(()) => {
                sqlx::query!(
                    r#"UPDATE reminder_messages SET status = 'sent', transport = $2, sent_at = now(), last_error = NULL
                       WHERE id = $1"#,
                    message.id,
                    mailer.transport()
                )
                .execute(pool)
                .await?;
            }
            Err(SendError::Transient(error)) if message.attempts < MAX_ATTEMPTS => {
                let wait = retry_after.as_secs_f64() * f64::from(1 << (message.attempts - 1).clamp(0, 10));
                tracing::info!(message = message.id, attempt = message.attempts, %error, "reminder not sent; trying again later");
                sqlx::query!(
                    r#"UPDATE reminder_messages
                       SET status = 'pending', last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
                       WHERE id = $1"#,
                    message.id,
                    error,
                    wait
                )
                .execute(pool)
                .await?;
            }
            Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                tracing::warn!(message = message.id, attempt = message.attempts, %error, "reminder given up on");
                sqlx::query!(
                    "UPDATE reminder_messages SET status = 'failed', last_error = $2 WHERE id = $1",
                    message.id,
                    error
                )
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(attempted)
}

struct Claimed {
    id: i64,
    to_address: String,
    subject: String,
    body: String,
    attempts: i32,
}

/// Take the oldest due message, if any, for this server.
async fn claim(pool: &PgPool) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        r#"UPDATE reminder_messages
           SET status = 'sending', claimed_at = now(), attempts = attempts + 1
           WHERE id = (SELECT id FROM reminder_messages
                       WHERE status = 'pending' AND next_attempt_at <= now()
                       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING id, to_address, subject, body, attempts"#
    )
    .fetch_optional(pool)
    .await
}
