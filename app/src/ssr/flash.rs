//! Forms without JavaScript: a plain form post that fails stores what the user
//! typed and the errors in the session and returns to its page (303), which
//! shows them. With JavaScript the same server function answers the error directly.

use axum::http::{header, HeaderValue, StatusCode};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::components::form::{errors_from, FormFlash};
use crate::error::AppError;

const FLASH_KEY: &str = "formular";

/// A browser's own form submission (not the WASM's fetch): it asks for HTML.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// The local page the form was posted from (its path and query), if it is ours.
fn referring_page(parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.split_once("://")?.1;
    let (referer_host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    (referer_host == host && is_local_path(&path)).then_some(path)
}

/// A path on this site: one `/` first, never `//` or `/\` (which browsers
/// follow to another host), and nothing a header could not carry.
fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

/// What a form struct holds, as field → text, for refilling the form.
pub fn form_values<T: serde::Serialize>(form: &T) -> Vec<(String, String)> {
    match serde_json::to_value(form) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Finish a form's server function: on an error from a plain form post, keep the
/// input and errors for the page and send the browser back to it; on success
/// of a plain post, send it to `success` (if given).
pub async fn finish<T>(
    form: &str,
    page: &str,
    values: Vec<(String, String)>,
    success: Option<&str>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let Err(error) = &result else {
        if let (Some(target), true) = (success, is_plain_form_post()) {
            leptos_axum::redirect(target);
        }
        return result;
    };
    let Some(parts) = use_context::<Parts>().filter(|_| is_plain_form_post()) else {
        return result;
    };
    let flash = FormFlash {
        form: form.to_string(),
        values: values.into_iter().collect(),
        errors: errors_from(error),
    };
    if let Some(session) = parts.extensions.get::<tower_sessions::Session>() {
        keep(session, &flash).await?;
    }
    let target = referring_page(&parts).unwrap_or_else(|| page.to_string());
    if let (Some(response), Ok(location)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&target))
    {
        response.set_status(StatusCode::SEE_OTHER);
        response.insert_header(header::LOCATION, location);
    }
    result
}

/// Keep what a plain form post typed, and its errors, for its page to show.
pub async fn keep(session: &tower_sessions::Session, flash: &FormFlash) -> Result<(), AppError> {
    session
        .insert(FLASH_KEY, flash)
        .await
        .map_err(|e| AppError::internal("flash insert", &e))
}

/// Take the flash for `form`, if the last plain post left one.
pub async fn take(form: &str) -> Result<Option<FormFlash>, AppError> {
    let Some(session) =
        use_context::<Parts>().and_then(|p| p.extensions.get::<tower_sessions::Session>().cloned())
    else {
        return Ok(None);
    };
    let flash: Option<FormFlash> = session
        .get(FLASH_KEY)
        .await
        .map_err(|e| AppError::internal("flash load", &e))?;
    match flash {
        Some(flash) if flash.form == form => {
            let _ = session
                .remove_value(FLASH_KEY)
                .await
                .map_err(|e| AppError::internal("flash remove", &e))?;
            Ok(Some(flash))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(referer: &str) -> Parts {
        let (parts, ()) = axum::http::Request::builder()
            .header(header::HOST, "dagtilbud.example")
            .header(header::REFERER, referer)
            .body(())
            .unwrap()
            .into_parts();
        parts
    }

    #[test]
    fn only_a_path_on_this_site_is_taken_from_the_referer() {
        let back = |r: &str| referring_page(&parts(r));
        assert_eq!(
            back("https://dagtilbud.example/kommune?x=1").as_deref(),
            Some("/kommune?x=1")
        );
        assert_eq!(back("https://dagtilbud.example").as_deref(), Some("/"));
        assert_eq!(back("https://evil.example/kommune"), None);
        assert_eq!(back("https://dagtilbud.example//evil.example/x"), None);
        assert_eq!(back("https://dagtilbud.example/\\evil.example"), None);
        assert_eq!(back("https://dagtilbud.example/a\\b"), None);
    }
}
