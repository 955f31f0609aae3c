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

/// How long clients and proxies may reuse an answer.
const MAX_AGE: &str = "public, max-age=60";

/// An error answer: a Danish message, and per field what to fix.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    fejl: String,
    #[schema(value_type = Object)]
    felter: std::collections::BTreeMap<String, String>,
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
