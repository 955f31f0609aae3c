//! API keys of kommune systems: made, shown once, stored as a hash, and
//! limited to a request budget per key.

use std::num::NonZeroU32;

use sha2::{Digest, Sha256};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{error, Failure};
use crate::audit::{Actor, AuditContext};
use crate::auth::codes::generate_code;
use crate::error::AppError;
use crate::ssr::AppState;

/// Requests per key and process, counted per minute.
pub type KeyLimiter = governor::DefaultKeyedRateLimiter<i64>;

/// A limiter that lets each key make `per_minute` requests a minute, all at once if it likes.
pub fn limiter(per_minute: u32) -> KeyLimiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
}

/// A new API key: `dtk_` and 36 characters of the codes' unambiguous
/// alphabet (180 bits). Returned once; only [`key_hash`] is stored.
pub fn generate_key() -> String {
    format!("dtk_{}{}{}", generate_code(), generate_code(), generate_code())
}

/// What is stored of a key: its SHA-256 in hex.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a key is shown in lists: its first characters.
pub fn key_prefix(key: &str) -> String {
    format!("{}…", key.chars().take(12).collect::<String>())
}

/// The kommune system calling, from its key: an extractor that admits a
/// request only with a known, unrevoked key within its budget.
pub struct KommuneKey {
    pub kommunekode: i16,
    pub actor: Actor,
}

fn unauthorized(message: &str) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, message, Default::default());
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The caller's key, checked: known, not revoked, within its budget.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<KommuneKey, Box<Response>> {
    let Some(key) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
    else {
        return Err(Box::new(unauthorized(
            "Send kommunens API-nøgle i headeren Authorization: Bearer <nøgle>. STIL's support udsteder nøgler.",
        )));
    };
    let found = sqlx::query!(
        "SELECT id, kommunekode, label, prefix FROM kommune_api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        key_hash(key)
    )
    .fetch_optional(&state.pool)
    .await
    .map_err(|e| {
        Box::new(
            Failure {
                error: AppError::from(e),
                wording: &super::GENERIC,
            }
            .into_response(),
        )
    })?;
    let Some(found) = found else {
        return Err(Box::new(unauthorized(
            "API-nøglen er ukendt eller spærret. Bed STIL's support om en ny nøgle.",
        )));
    };
    if let Err(not_until) = state.api_limiter.check_key(&found.id) {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ));
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            "For mange forespørgsler med denne nøgle. Vent lidt og prøv igen.",
            Default::default(),
        );
        if let Ok(value) = HeaderValue::from_str(&(wait.as_secs() + 1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Err(Box::new(response));
    }
    // Written at most once a minute per key.
    if let Err(e) = sqlx::query!(
        "UPDATE kommune_api_keys SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        found.id
    )
    .execute(&state.pool)
    .await
    {
        tracing::warn!(error = %e, "api key last use not recorded");
    }
    Ok(KommuneKey {
        kommunekode: found.kommunekode,
        actor: Actor {
            role: "kommunesystem",
            id: Some(found.id),
            label: format!("{} ({})", found.label, found.prefix),
        },
    })
}

impl KommuneKey {
    /// The audit context of a change this key makes from `ip`.
    pub fn audit(&self, ip: Option<std::net::IpAddr>) -> AuditContext {
        AuditContext {
            actor: self.actor.clone(),
            ip,
        }
    }
}

impl FromRequestParts<AppState> for KommuneKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.headers)
            .await
            .map_err(|response| *response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_stored_only_as_their_hash() {
        let key = generate_key();
        assert!(key.starts_with("dtk_") && key.len() == 40, "{key}");
        assert_ne!(key, generate_key());
        let hash = key_hash(&key);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&key[4..]));
        assert_eq!(key_prefix(&key), format!("{}…", &key[..12]));
    }

    #[test]
    fn the_budget_is_per_key() {
        let limiter = limiter(2);
        assert!(limiter.check_key(&1).is_ok());
        assert!(limiter.check_key(&1).is_ok());
        assert!(limiter.check_key(&1).is_err());
        assert!(limiter.check_key(&2).is_ok(), "another key has its own budget");
    }
}
