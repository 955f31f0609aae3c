//! What both `/api/v1` surfaces share: the JSON error answer, ETags and
//! caching, API keys, and the OpenAPI document's frame. The surfaces
//! themselves live with their areas (`portal::api` for open data,
//! `kommune::api` for kommune systems); `lib.rs` merges their documents.

pub mod keys;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::{AppError, FieldErrors};

/// How long clients and proxies may reuse an answer.
const MAX_AGE: &str = "public, max-age=60";

/// An error answer: a Danish message, and per field what to fix.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    fejl: String,
    #[schema(value_type = Object)]
    felter: std::collections::BTreeMap<String, String>,
}

/// What an API's generic errors mean for the endpoints of one surface.
#[derive(Debug)]
pub struct Wording {
    pub not_found: &'static str,
    pub invalid: &'static str,
    pub forbidden: &'static str,
}

/// An error of an `/api/v1` endpoint: [`ApiError`] as JSON with the error's
/// status, never cached. Internal causes were logged where they happened.
#[derive(Debug)]
pub struct Failure {
    pub error: AppError,
    pub wording: &'static Wording,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.error.status();
        let none = Default::default;
        match self.error {
            AppError::NotFound => error(status, self.wording.not_found, none()),
            AppError::Validation(fields) => error(status, self.wording.invalid, fields),
            AppError::Forbidden => error(status, self.wording.forbidden, none()),
            AppError::StaleVersion {
                message,
                current_version,
            } => error(
                status,
                &message,
                FieldErrors::from([(
                    "version".to_string(),
                    format!("Dagtilbuddets nuværende version er {current_version}."),
                )]),
            ),
            AppError::Conflict(message) | AppError::TooManyRequests(message) => {
                error(status, &message, none())
            }
            AppError::Unauthenticated => error(status, "Angiv en gyldig API-nøgle.", none()),
            AppError::Unavailable => error(
                status,
                "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.",
                none(),
            ),
            AppError::Internal => error(status, "Der skete en fejl hos os. Prøv igen senere.", none()),
        }
    }
}

/// The version of the APIs' schemas (`/api/v1/dokumentation`): raised when
/// a field is removed or changes meaning; new fields do not raise it.
pub const SCHEMA_VERSION: u32 = 1;
/// The header every `/api/v1` answer carries it in.
pub const SCHEMA_HEADER: &str = "dagtilbud-schemaversion";

/// Middleware (`axum::middleware::map_response`): the schema version on an answer.
pub async fn with_schema_version(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::HeaderName::from_static(SCHEMA_HEADER),
        axum::http::HeaderValue::from(SCHEMA_VERSION),
    );
    response
}

/// Words for errors no endpoint explains further.
pub const GENERIC: Wording = Wording {
    not_found: "Det, du leder efter, findes ikke.",
    invalid: "Forespørgslen kan ikke bruges.",
    forbidden: "Du har ikke adgang til dette.",
};

/// A JSON body, or the answer that says what is wrong with it.
fn json_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Box<Response>> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(Box::new(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send kroppen som JSON med Content-Type: application/json.",
            Default::default(),
        )));
    }
    serde_json::from_slice(body).map_err(|e| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            &format!("Kroppen kan ikke læses som JSON: {e}."),
            Default::default(),
        ))
    })
}

/// A JSON request body, refused with a Danish message (415 or 400) when it
/// is not JSON or cannot be read as `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let body = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&headers, &body)
            .map(JsonBody)
            .map_err(|response| *response)
    }
}

/// The document's frame: title, version and what the API is for. The areas'
/// documents are merged into it.
pub fn document(parts: impl IntoIterator<Item = utoipa::openapi::OpenApi>) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{InfoBuilder, OpenApiBuilder};
    let mut document = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Dagtilbudsportalen – åbne data og kommunesystemer")
                .version("1")
                .description(Some(
                    "Åbne data: aktive dagtilbud og det, de selv har indberettet; svarene har ETag og må caches i 60 sekunder. \
                     Kommunesystemer (/api/v1/kommune/…): opret, ret og luk kommunens dagtilbud og læs deres indberetning \
                     med kommunens API-nøgle; fejl er JSON med en besked og, for hvert felt, hvad der skal rettes.",
                ))
                .build(),
        )
        .build();
    for part in parts {
        document.merge(part);
    }
    document
}

/// GET /api/v1/openapi.json: the document, with an ETag.
pub fn serve_document(headers: &HeaderMap, document: &utoipa::openapi::OpenApi) -> Response {
    match document.to_pretty_json() {
        Ok(json) => cached(headers, "application/json", json.into_bytes()),
        Err(error) => {
            tracing::error!(%error, "openapi document");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An error answer of the API: the Danish message and the fields' messages, never cached.
pub fn error(
    status: StatusCode,
    message: &str,
    fields: std::collections::BTreeMap<String, String>,
) -> Response {
    let mut response = (
        status,
        Json(ApiError {
            fejl: message.to_string(),
            felter: fields,
        }),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An answer with an ETag of its body, or 304 when the client has it already.
pub fn cached(request: &HeaderMap, content_type: &'static str, body: Vec<u8>) -> Response {
    let tag = etag_of(&body);
    tagged(request, content_type, &tag, body.into())
}

/// `body` as cacheable JSON, or `failed`'s answer if it cannot be written.
pub fn cached_json<T: serde::Serialize>(
    request: &HeaderMap,
    body: &T,
    failed: fn(crate::error::AppError) -> Response,
) -> Response {
    match serde_json::to_vec(body) {
        Ok(json) => cached(request, "application/json", json),
        Err(e) => failed(crate::error::AppError::internal("api encode", &e)),
    }
}

/// The strong ETag of a body: the first 96 bits of its SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// A cacheable answer whose ETag is known: 304 when the client has it.
pub fn tagged(
    request: &HeaderMap,
    content_type: &'static str,
    tag: &str,
    body: axum::body::Bytes,
) -> Response {
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let headers = response.headers_mut();
    if !matches {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE));
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_that_matches_gives_304() {
        let first = cached(&HeaderMap::new(), "application/json", b"{}".to_vec());
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()[header::ETAG].clone();
        let mut request = HeaderMap::new();
        request.insert(header::IF_NONE_MATCH, tag.clone());
        let again = cached(&request, "application/json", b"{}".to_vec());
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag);
        let changed = cached(&request, "application/json", b"[]".to_vec());
        assert_eq!(changed.status(), StatusCode::OK);
    }
}
