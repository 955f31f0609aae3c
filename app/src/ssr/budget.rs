//! A request budget per client address for the public requests that cost
//! the most (search and the full CSV), so that a flood from one address
//! cannot starve everyone else. Log-ins have their own limit: attempts are
//! counted per account and address (`auth::throttle`) and password hashing
//! has a bounded queue (`ssr::password`).

use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// Requests per address key (see `client_ip::address_key`), per process.
pub type AddressLimiter = governor::DefaultKeyedRateLimiter<String>;

/// A limiter that lets each address make `per_minute` costly requests a
/// minute, all at once if it likes.
pub fn limiter(per_minute: u32) -> AddressLimiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
}

/// A limiter that lets each address make `per_hour` requests an hour.
pub fn limiter_per_hour(per_hour: u32) -> AddressLimiter {
    let per_hour = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_hour(per_hour))
}

/// Whether a request is one of the costly public ones: a search (the landing
/// page or its server function with a query, the open data list), the CSV of
/// every institution, or a comparison.
pub fn is_costly(method: &Method, path: &str, query: Option<&str>) -> bool {
    let searching = query.is_some_and(|q| !q.is_empty());
    match (method, path) {
        (&Method::GET, "/api/v1/dagtilbud.csv" | "/api/v1/dagtilbud" | "/sammenlign") => true,
        (&Method::GET, "/") => searching,
        (&Method::POST, "/api/fn/soeg" | "/api/fn/sammenlign") => true,
        _ => false,
    }
}

/// Take one request from `key`'s budget, or the 429 answer saying when to come back.
pub fn take(limiter: &AddressLimiter, key: &str, path: &str) -> Result<(), Box<Response>> {
    let Err(not_until) = limiter.check_key(&key.to_owned()) else {
        return Ok(());
    };
    let wait = not_until.wait_time_from(governor::clock::Clock::now(
        &governor::clock::DefaultClock::default(),
    ));
    tracing::warn!(%path, address = key, "anonymous request budget spent: answering 429");
    Err(Box::new(too_many(path, wait)))
}

fn too_many(path: &str, wait: Duration) -> Response {
    let seconds = wait.as_secs() + 1;
    let message = format!(
        "Der er kommet for mange forespørgsler fra din adresse på kort tid. Prøv igen om {seconds} sekunder."
    );
    let mut response = if path.starts_with("/api/fn/") {
        // Server functions answer with their error type, as the page expects.
        (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(crate::error::AppError::TooManyRequests(message)),
        )
            .into_response()
    } else if path.starts_with("/api/") {
        crate::api::error(StatusCode::TOO_MANY_REQUESTS, &message, Default::default())
    } else {
        let mut page =
            crate::documents::plain::page(StatusCode::TOO_MANY_REQUESTS, "For mange forespørgsler", &message);
        *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        page.into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_searches_the_csv_and_comparisons_cost() {
        assert!(is_costly(&Method::GET, "/api/v1/dagtilbud.csv", None));
        assert!(is_costly(&Method::GET, "/", Some("q=Skanderborg")));
        assert!(!is_costly(&Method::GET, "/", None));
        assert!(!is_costly(&Method::GET, "/dagtilbud/G10234", None));
        assert!(is_costly(&Method::POST, "/api/fn/soeg", None));
        assert!(!is_costly(&Method::GET, "/pkg/dagtilbud.wasm", None));
    }

    #[test]
    fn a_spent_budget_answers_429_with_retry_after_for_that_address_only() {
        let limiter = limiter(2);
        assert!(take(&limiter, "203.0.113.9", "/").is_ok());
        assert!(take(&limiter, "203.0.113.9", "/").is_ok());
        let refused = take(&limiter, "203.0.113.9", "/api/v1/dagtilbud.csv").unwrap_err();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = refused.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=31).contains(&retry), "{retry}");
        assert!(
            take(&limiter, "203.0.113.10", "/").is_ok(),
            "another address has its own budget"
        );
    }
}
