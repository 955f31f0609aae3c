//! The kommune's documents over plain HTTP (server only): log-in letters as
//! print view, PDF or CSV, made by a background job with a progress page,
//! and the CSV export. They answer with documents, not data, and are never
//! kept in a cache.

use axum::body::Bytes;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use super::db::{export_csv, find_targets, issue_codes};
use crate::audit::Actor;
use crate::auth::extract::KommuneAdmin;
use crate::auth::session::ClientIp;
use crate::documents::jobs::{JobState, KEEP_FOR};
use crate::documents::letters::{letters_csv, letters_html, letters_pdf, LETTER_CSS_PATH};
use crate::documents::no_store_document;
use crate::documents::plain::{self, ErrorPage};
use crate::error::AppError;
use crate::ssr::AppState;

/// Letters for more institutions than this in one go are refused.
pub const MAX_LETTERS: usize = 2_000;

/// What the letter form sent.
#[derive(Debug, Default, PartialEq)]
pub struct LetterRequest {
    pub numbers: Vec<String>,
    pub all_never_logged_in: bool,
    pub format: LetterFormat,
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub enum LetterFormat {
    #[default]
    Html,
    Pdf,
    Csv,
}

impl LetterRequest {
    pub fn parse(body: &[u8]) -> LetterRequest {
        let mut request = LetterRequest::default();
        for (key, value) in form_urlencoded::parse(body) {
            match &*key {
                "nummer" => request.numbers.push(value.trim().to_uppercase()),
                "alle_aldrig" => request.all_never_logged_in = value == "1",
                "format" => {
                    request.format = match &*value {
                        "pdf" => LetterFormat::Pdf,
                        "csv" => LetterFormat::Csv,
                        _ => LetterFormat::Html,
                    }
                }
                _ => {}
            }
        }
        request.numbers.sort();
        request.numbers.dedup();
        request
    }
}

/// POST /kommune/breve: check the request, then issue new single-use codes
/// for the chosen institutions of the caller's kommune as a background job and
/// send the browser to the job's page. The codes exist in plain text only in
/// that job's letters; the database keeps their hashes.
pub async fn letters(
    State(state): State<AppState>,
    admin: KommuneAdmin,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    body: Bytes,
) -> Response {
    let KommuneAdmin {
        principal,
        admin_id,
        kommunekode,
    } = admin;
    let request = LetterRequest::parse(&body);
    if request.numbers.is_empty() && !request.all_never_logged_in {
        return plain::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Vælg dagtilbud",
            "Vælg mindst ét dagtilbud i oversigten, eller vælg breve til alle, der aldrig har logget ind. Gå tilbage til oversigten og prøv igen.",
        );
    }
    let too_many = || {
        plain::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "For mange dagtilbud",
            &format!(
                "Der kan laves breve til højst {MAX_LETTERS} dagtilbud ad gangen. Vælg færre og prøv igen."
            ),
        )
    };
    if request.numbers.len() > MAX_LETTERS {
        return too_many();
    }
    // A malformed number is not one of the kommune's institutions either.
    if request
        .numbers
        .iter()
        .any(|n| crate::domain::InstitutionNumber::parse(n).is_err())
    {
        return failed(AppError::NotFound);
    }
    let (kommune_name, targets) = match find_targets(
        &state.pool,
        kommunekode,
        &request.numbers,
        request.all_never_logged_in,
    )
    .await
    {
        Ok(found) => found,
        Err(error) => return failed(error),
    };
    if targets.is_empty() {
        return plain::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ingen breve",
            "Alle kommunens aktive dagtilbud har allerede logget ind, så der er ingen breve at lave.",
        );
    }
    if targets.len() > MAX_LETTERS {
        return too_many();
    }
    let actor = Actor::from_principal(&principal);
    let pool = state.pool.clone();
    let valid_until = crate::auth::codes::code_valid_until(&state);
    let id = state.letter_jobs.start(
        admin_id,
        kommunekode,
        format!("{kommune_name} Kommune"),
        targets.len(),
        move |done| {
            Box::pin(async move { issue_codes(&pool, targets, &actor, ip, &valid_until, done).await })
        },
    );
    let format = match request.format {
        LetterFormat::Html => "html",
        LetterFormat::Pdf => "pdf",
        LetterFormat::Csv => "csv",
    };
    Redirect::to(&format!("/kommune/breve/{id}?format={format}")).into_response()
}

/// How long a job's page waits for the job before it shows progress instead.
const WAIT_FOR_JOB: std::time::Duration = std::time::Duration::from_secs(3);

/// GET /kommune/breve/{id}?format=html|pdf|csv: the job's letters once they
/// are ready, until then a page with its progress that reloads itself.
pub async fn letter_job(
    State(state): State<AppState>,
    admin: KommuneAdmin,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let KommuneAdmin {
        principal,
        admin_id,
        kommunekode,
    } = admin;
    let Some(job) = state.letter_jobs.get(&id, admin_id, kommunekode) else {
        return plain::page(
            StatusCode::NOT_FOUND,
            "Brevene findes ikke længere",
            &format!(
                "Breve kan hentes i {} minutter efter, at de er lavet, og kun af den, der bad om dem. Koderne i dem virker stadig. Har I mistet brevene, så lav nye breve fra oversigten; så holder de gamle koder op med at virke.",
                KEEP_FOR.as_secs() / 60
            ),
        );
    };
    let letters = match job.state_within(WAIT_FOR_JOB).await {
        JobState::Running { done, total } => return progress_page(done, total),
        JobState::Failed(error) => return failed(error),
        JobState::Finished(letters) => letters,
    };
    // Every fetch of the finished letters (which hold the codes) is audited.
    let fetched = crate::audit::record(
        &state.pool,
        &Actor::from_principal(&principal),
        "breve_hentet",
        None,
        Some(kommunekode),
        ip,
        serde_json::json!({
            "job": id,
            "format": query.get("format").map(String::as_str).unwrap_or("html"),
            "antal": letters.len(),
        }),
    )
    .await;
    if let Err(error) = fetched {
        return failed(error);
    }
    let login_url = format!("{}/log-ind", state.settings.public_url);
    let (content_type, disposition, body) = match query.get("format").map(String::as_str) {
        Some("pdf") => (
            "application/pdf",
            Some("attachment; filename=\"log-in-breve.pdf\""),
            letters_pdf(&job.kommune, &login_url, &letters),
        ),
        Some("csv") => match letters_csv(&letters) {
            Ok(csv) => (
                "text/csv; charset=utf-8",
                Some("attachment; filename=\"log-in-breve.csv\""),
                csv,
            ),
            Err(error) => return failed(error),
        },
        _ => (
            "text/html; charset=utf-8",
            None,
            letters_html(
                &job.kommune,
                &login_url,
                &letters,
                Some(&format!("/kommune/breve/{id}")),
            )
            .into_bytes(),
        ),
    };
    no_store_document(content_type, disposition, body)
}

/// The page shown while codes are being issued; it reloads itself every two seconds.
pub fn progress_page(done: usize, total: usize) -> Response {
    let percent = (done * 100) / total.max(1);
    let body = format!(
        "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"2\"><title>Brevene laves – {percent} %</title>\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{LETTER_CSS_PATH}\"></head><body><main class=\"letter\"><h1>Brevene laves</h1>\
         <p role=\"status\">Der er udstedt koder til {done} af {total} dagtilbud.</p>\
         <label for=\"fremdrift\">Fremdrift: {percent} %</label><br>\
         <progress id=\"fremdrift\" max=\"{total}\" value=\"{done}\">{percent} %</progress>\
         <p>Siden opdaterer sig selv og viser brevene, når de er klar. Du kan lukke den og arbejde videre; \
         brevene kan hentes på denne adresse i {} minutter.</p></main></body></html>",
        KEEP_FOR.as_secs() / 60
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An error of the kommune's document endpoints as its page.
fn failed(error: AppError) -> Response {
    ErrorPage::new(error)
        .not_found(
            "Et eller flere af de valgte dagtilbud findes ikke blandt kommunens aktive dagtilbud. \
             Gå tilbage til oversigten, genindlæs den og prøv igen.",
        )
        .into_response()
}

/// GET /kommune/eksport.csv: every institution of the caller's kommune with
/// its master data, reporting status and each reported field.
pub async fn export(
    State(state): State<AppState>,
    admin: KommuneAdmin,
    Extension(ClientIp(ip)): Extension<ClientIp>,
) -> Response {
    let KommuneAdmin {
        principal,
        kommunekode,
        ..
    } = admin;
    let exported = async {
        let body = export_csv(&state.pool, kommunekode).await?;
        // The export holds contact persons' names and numbers: who took it is kept.
        crate::audit::record(
            &state.pool,
            &Actor::from_principal(&principal),
            "eksport_hentet",
            None,
            Some(kommunekode),
            ip,
            serde_json::json!({ "udtraek": "dagtilbud.csv" }),
        )
        .await?;
        Ok::<_, AppError>(body)
    };
    match exported.await {
        Ok(body) => {
            let mut response = (StatusCode::OK, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"dagtilbud.csv\""),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(error) => failed(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_parse_with_repeated_numbers() {
        let request = LetterRequest::parse(b"nummer=k00002&nummer=K00001&nummer=K00002&format=pdf");
        assert_eq!(request.numbers, ["K00001", "K00002"]);
        assert_eq!(request.format, LetterFormat::Pdf);
        assert!(!request.all_never_logged_in);
        let all = LetterRequest::parse(b"alle_aldrig=1");
        assert!(all.all_never_logged_in && all.numbers.is_empty());
        assert_eq!(all.format, LetterFormat::Html);
    }
}
