//! Small complete HTML pages the request guard answers with before the Leptos
//! app runs (403, 503, 500). Same header, footer and stylesheet; no script.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Text made safe to put into HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page with a heading and one paragraph.
pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    document(
        status,
        title,
        &format!(
            "<p>{}</p><p><a href=\"/\">Gå til forsiden</a></p>",
            escape(message)
        ),
    )
}

/// A page with a heading and `content`, which must be HTML built with
/// [`escape`] around everything not written here. Never stored by a cache.
pub fn document(status: StatusCode, title: &str, content: &str) -> Response {
    let title = escape(title);
    let body = format!(
        r##"<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {service}</title><link rel="stylesheet" href="/pkg/dagtilbud.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><a class="skip-link" href="#indhold">Gå til indholdet</a>
<header class="site-header"><div class="container header-inner"><a class="brand" href="/"><span class="brand-name">{service}</span><span class="brand-sub">Frivillig indberetning og information om dagtilbud</span></a></div></header>
<main id="indhold" class="container" tabindex="-1"><article class="prose"><h1>{title}</h1>{content}</article></main>
<footer class="site-footer"><div class="container footer-inner"><p>Ansvarlig myndighed: Styrelsen for It og Læring (STIL) på vegne af Børne- og Undervisningsministeriet.</p><ul class="footer-links"><li><a href="/tilgaengelighed">Tilgængelighedserklæring</a></li><li><a href="/cookies">Cookies</a></li></ul></div></footer>
</body></html>"##,
        service = crate::SERVICE_NAME
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

pub fn unavailable() -> Response {
    let mut response = page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Prøv igen om lidt",
        "Dagtilbudsportalen kan ikke hente oplysninger lige nu. Det er ikke din fejl. Prøv igen om lidt.",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("10"));
    response
}

/// An error as a server function answers it: the `AppError` as JSON with its
/// status, for the WASM (and API clients) to read.
pub fn server_fn_error(error: &crate::error::AppError, status: StatusCode) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// A request that failed before reaching its handler: server functions get
/// the error as JSON with its status, pages the Danish "prøv igen om lidt"
/// page while the database is away and the generic error page otherwise.
pub fn failed_request(path: &str, error: &crate::error::AppError) -> Response {
    if path.starts_with("/api/fn/") {
        let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return server_fn_error(error, status);
    }
    match error {
        crate::error::AppError::Unavailable => unavailable(),
        _ => internal_error(),
    }
}

pub fn internal_error() -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Der skete en fejl",
        "Der skete en fejl hos os. Fejlen er registreret. Prøv igen om lidt.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("</p><script>"), "&lt;/p&gt;&lt;script&gt;");
    }
}
