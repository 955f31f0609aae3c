//! What every server function's request must be before it reaches one.

use app::error::AppError;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions read url-encoded forms (the WASM and plain form posts
/// both send them). Any other body is refused with 415 and a message before
/// it reaches one, rather than being read as a form with unknown fields.
pub async fn form_bodies_only(request: Request, next: Next) -> Response {
    let is_form = |request: &Request| {
        request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    };
    if request.method() == axum::http::Method::POST
        && request.uri().path().starts_with("/api/fn/")
        && !is_form(&request)
    {
        let error = AppError::field(
            "form",
            "Forespørgslen skal sendes som en formular (application/x-www-form-urlencoded).",
        );
        let mut response = error.into_response();
        *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        return response;
    }
    next.run(request).await
}
