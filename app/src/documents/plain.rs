//! Small complete HTML pages for answers outside the Leptos app: the request
//! guard's refusals, the document endpoints' own pages and their errors
//! ([`ErrorPage`]). Same header, footer and stylesheet; no script.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

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

/// An error of a document endpoint (or of a page request refused before the
/// app runs) as its page, with the error's status. The message says what to
/// do next and never more than the error's own Danish text.
#[derive(Debug)]
pub struct ErrorPage {
    pub error: AppError,
    /// What "not found" means for this endpoint, if the generic text is too vague.
    pub not_found: Option<&'static str>,
}

impl ErrorPage {
    pub fn new(error: AppError) -> Self {
        ErrorPage {
            error,
            not_found: None,
        }
    }

    pub fn not_found(mut self, message: &'static str) -> Self {
        self.not_found = Some(message);
        self
    }
}

impl From<AppError> for ErrorPage {
    fn from(error: AppError) -> Self {
        ErrorPage::new(error)
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let status = self.error.status();
        match self.error {
            AppError::Unavailable => unavailable(),
            AppError::Internal => internal_error(),
            AppError::NotFound => page(
                status,
                "Ikke fundet",
                self.not_found
                    .unwrap_or("Det, du leder efter, findes ikke. Gå tilbage, genindlæs siden og prøv igen."),
            ),
            AppError::Validation(errors) => page(
                status,
                "Forespørgslen kan ikke bruges",
                &errors.into_values().collect::<Vec<_>>().join(" "),
            ),
            AppError::Unauthenticated => page(status, "Log ind", "Du skal logge ind for at se denne side."),
            AppError::Forbidden => page(status, "Ingen adgang", "Du har ikke adgang til dette."),
            AppError::Conflict(message)
            | AppError::StaleVersion { message, .. }
            | AppError::TooManyRequests(message) => {
                page(status, "Det kan ikke lade sig gøre lige nu", &message)
            }
        }
    }
}

/// A request that failed before reaching its handler: server functions get
/// the error as JSON with its status, everything else the error's page.
pub fn failed_request(path: &str, error: &AppError) -> Response {
    if path.starts_with("/api/fn/") {
        error.clone().into_response()
    } else {
        ErrorPage::new(error.clone()).into_response()
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
