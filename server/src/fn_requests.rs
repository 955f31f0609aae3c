//! Server functions answer errors with 500 unless told otherwise. This layer
//! gives each error its real status (401, 403, 404, 409, 422, 429, 503), read
//! from the serialised `AppError`, so API clients and the browser see the truth.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

const MAX_ERROR_BODY: usize = 64 * 1024;

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
        return app::documents::plain::server_fn_error(&error, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    next.run(request).await
}

pub async fn error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
