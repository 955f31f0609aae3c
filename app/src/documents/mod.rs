//! Documents served by plain endpoints rather than pages (server only):
//! the plain page shell with the one HTML escaper (`plain.rs`), log-in
//! letters (`letters.rs`), CSV the way Danish Excel opens it, and answers
//! that must never be kept in a cache.

pub mod jobs;
pub mod letters;
pub mod pdf;
pub mod plain;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// A document that holds secrets (codes) or personal data: never kept in a cache.
pub fn no_store_document(
    content_type: &'static str,
    disposition: Option<&'static str>,
    body: Vec<u8>,
) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(disposition) = disposition {
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
    }
    response
}

/// Records as CSV the way Danish Excel opens it: a byte-order mark and semicolons.
pub fn danish_csv(records: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::internal("csv", &e);
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
    for record in records {
        writer.write_record(&record).map_err(fail)?;
    }
    writer.flush().map_err(|e| AppError::internal("csv", &e))?;
    drop(writer);
    Ok(out)
}

/// Text that a spreadsheet would read as a formula gets a leading apostrophe.
pub fn csv_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}
