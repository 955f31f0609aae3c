//! Server side of the kommune pages: the overview query, log-in letters
//! (print view, PDF, CSV) and the CSV export. Letters and the export are plain
//! HTTP endpoints because they answer with documents, not data.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use secrecy::SecretString;
use sqlx::PgPool;

use super::jobs::{JobState, KEEP_FOR};
use super::overview::OverviewRow;
use crate::audit::Actor;
use crate::auth::Principal;
use crate::auth::{
    codes::{format_code, generate_code},
    session::{ClientIp, CurrentAuth},
};
use crate::domain::calendar::format_timestamp;
use crate::domain::sections::SectionKind;
use crate::domain::{Ejerform, InstitutionType};
use crate::error::AppError;
use crate::ssr::documents::{csv_safe, danish_csv, no_store_document};
use crate::ssr::{plain, AppState};

/// Letters for more institutions than this in one go are refused.
pub const MAX_LETTERS: usize = 2_000;

/// The kommune's name and every one of its institutions with reporting status.
pub async fn overview_rows(pool: &PgPool, kommunekode: i16) -> Result<(String, Vec<OverviewRow>), AppError> {
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.status = 'aktiv' AS "active!",
                  a.last_login_at IS NOT NULL AS "logged_in!",
                  COALESCE(array_agg(s.section) FILTER (WHERE s.section IS NOT NULL), '{}') AS "filled!",
                  max(s.updated_at) AS updated
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           LEFT JOIN institution_sections s ON s.institution_id = i.id
           WHERE i.kommunekode = $1
           GROUP BY i.id, a.last_login_at"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| OverviewRow {
            institution_type: InstitutionType::parse(&r.institution_type)
                .unwrap_or(InstitutionType::Boernehave),
            ejerform: Ejerform::parse(&r.ejerform).unwrap_or(Ejerform::Kommunal),
            active: r.active,
            logged_in: r.logged_in,
            filled: SectionKind::ALL.map(|k| r.filled.iter().any(|s| s == k.as_str())),
            updated: r.updated.map(format_timestamp),
            updated_key: r.updated.map(|t| t.unix_timestamp()),
            nummer: r.nummer,
            navn: r.navn,
        })
        .collect();
    Ok((kommune, rows))
}

/// The calling administrator and their kommune; `None` for anyone else.
fn kommune_admin(auth: &CurrentAuth) -> Option<(Principal, i16)> {
    match auth.0.as_ref().map(|a| (&a.principal, a.is_complete())) {
        Some((principal @ Principal::Kommune { kommunekode, .. }, true)) => {
            Some((principal.clone(), *kommunekode))
        }
        _ => None,
    }
}

fn forbidden() -> Response {
    plain::page(
        StatusCode::FORBIDDEN,
        "Ingen adgang",
        "Kun kommunens administratorer kan hente log-in-breve og udtræk.",
    )
}

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

/// One institution's letter.
#[derive(Debug, Clone)]
pub struct Letter {
    pub nummer: String,
    pub navn: String,
    pub street: String,
    pub city: String,
    pub code: String,
    /// The last day the code works, as printed ("4.3.2027").
    pub valid_until: String,
}

/// POST /kommune/breve: check the request, then issue new single-use codes
/// for the chosen institutions of the caller's kommune as a background job and
/// send the browser to the job's page. The codes exist in plain text only in
/// that job's letters; the database keeps their hashes.
pub async fn letters(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    body: Bytes,
) -> Response {
    let Some((principal, kommunekode)) = kommune_admin(&auth) else {
        return forbidden();
    };
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
        return AppError::NotFound.into_plain();
    }
    let (kommune_name, targets) = match find_targets(&state.pool, kommunekode, &request).await {
        Ok(found) => found,
        Err(error) => return error.into_plain(),
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
    let Principal::Kommune { admin_id, .. } = &principal else {
        return forbidden();
    };
    let actor = Actor::from_principal(&principal);
    let pool = state.pool.clone();
    let valid_until = crate::auth::codes::code_valid_until(&state);
    let id = state.letter_jobs.start(
        *admin_id,
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
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some((principal, kommunekode)) = kommune_admin(&auth) else {
        return forbidden();
    };
    let Principal::Kommune { admin_id, .. } = principal else {
        return forbidden();
    };
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
        JobState::Failed(error) => return error.into_plain(),
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
        return error.into_plain();
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
            Err(error) => return error.into_plain(),
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

impl AppError {
    /// The plain page for an error of a document endpoint.
    fn into_plain(self) -> Response {
        match self {
            AppError::NotFound => plain::page(
                StatusCode::NOT_FOUND,
                "Dagtilbud ikke fundet",
                "Et eller flere af de valgte dagtilbud findes ikke blandt kommunens aktive dagtilbud. Gå tilbage til oversigten, genindlæs den og prøv igen.",
            ),
            AppError::Unavailable => plain::unavailable(),
            AppError::Validation(errors) => plain::page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Forespørgslen kan ikke bruges",
                &errors.into_values().collect::<Vec<_>>().join(" "),
            ),
            _ => plain::internal_error(),
        }
    }
}

/// An institution a letter goes to.
pub struct LetterTarget {
    id: i64,
    nummer: String,
    navn: String,
    street: String,
    city: String,
}

/// The kommune's name and the institutions the request names: the chosen
/// numbers and/or every active one that never logged in. A number outside the
/// kommune's active institutions fails the whole request with "not found".
pub async fn find_targets(
    pool: &PgPool,
    kommunekode: i16,
    request: &LetterRequest,
) -> Result<(String, Vec<LetterTarget>), AppError> {
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(pool)
        .await?;
    let targets = sqlx::query!(
        r#"SELECT i.id, i.nummer, i.navn, i.vejnavn, i.husnummer, i.postnummer, i.postby
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.kommunekode = $1 AND i.status = 'aktiv'
             AND (i.nummer = ANY($2) OR ($3 AND a.last_login_at IS NULL))
           ORDER BY i.postnummer, i.navn"#,
        kommunekode,
        &request.numbers,
        request.all_never_logged_in
    )
    .fetch_all(pool)
    .await?;
    let found = |n: &String| targets.iter().any(|t| &t.nummer == n);
    if !request.numbers.iter().all(found) {
        return Err(AppError::NotFound);
    }
    let targets = targets
        .into_iter()
        .map(|t| LetterTarget {
            id: t.id,
            nummer: t.nummer,
            navn: t.navn,
            street: format!("{} {}", t.vejnavn, t.husnummer),
            city: format!("{} {}", t.postnummer, t.postby),
        })
        .collect();
    Ok((kommune, targets))
}

/// Issue codes for `targets` in one transaction: every earlier code and
/// password of theirs stops working, their sessions end, and each gets an
/// audit row. `done` counts the codes hashed so far.
pub async fn issue_codes(
    pool: &PgPool,
    targets: Vec<LetterTarget>,
    actor: &Actor,
    ip: Option<std::net::IpAddr>,
    valid_until: &str,
    done: Arc<AtomicUsize>,
) -> Result<Vec<Letter>, AppError> {
    let codes: Vec<String> = targets.iter().map(|_| generate_code()).collect();
    let hashes = crate::ssr::password::hash_many(
        codes.iter().map(|c| SecretString::from(c.clone())).collect(),
        done,
    )
    .await?;
    let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
    crate::auth::codes::store_codes(
        pool,
        &ids,
        &hashes,
        actor,
        ip,
        serde_json::json!({ "brev": true, "antal": ids.len() }),
    )
    .await?;

    Ok(targets
        .into_iter()
        .zip(codes)
        .map(|(t, code)| Letter {
            nummer: t.nummer,
            navn: t.navn,
            street: t.street,
            city: t.city,
            code: format_code(&code),
            valid_until: valid_until.to_string(),
        })
        .collect())
}

/// The letter's paragraphs after the address and heading, shared by the print view and the PDF.
fn letter_body(kommune: &str, login_url: &str, letter: &Letter) -> Vec<String> {
    vec![
        format!(
            "{kommune} beder jer indberette oplysninger om {} til Dagtilbudsportalen, hvor forældre finder og sammenligner dagtilbud.",
            letter.navn
        ),
        "Sådan logger I ind:".to_string(),
        format!("1. Gå til {login_url}"),
        format!("2. Skriv institutionsnummeret: {}", letter.nummer),
        format!("3. Skriv engangskoden: {}", letter.code),
        "4. Vælg en ny adgangskode, som I bruger fremover.".to_string(),
        format!(
            "Koden kan kun bruges én gang og virker frem til den {}. Den erstatter tidligere breve, koder og adgangskoder.",
            letter.valid_until
        ),
        format!("Har I spørgsmål, så kontakt {kommune}."),
    ]
}

const LETTER_HEADING: &str = "Log ind og indberet til Dagtilbudsportalen";

/// One printable letter per page.
/// `downloads` is the job's address, for links to the same letters as PDF and CSV.
pub fn letters_html(kommune: &str, login_url: &str, letters: &[Letter], downloads: Option<&str>) -> String {
    use crate::components::form::escape_text as e;
    let mut html = String::with_capacity(1_500 * letters.len() + 1_000);
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Log-in-breve – {}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"{LETTER_CSS_PATH}\"></head><body>\
         <p class=\"no-print\"><strong>{} breve.</strong> Udskriv dem med browserens udskriftsfunktion (Ctrl+P). \
         Koderne vises kun her; luk siden, når brevene er udskrevet.</p>",
        e(kommune),
        letters.len()
    ));
    if let Some(base) = downloads {
        html.push_str(&format!(
            "<p class=\"no-print\"><a href=\"{0}?format=pdf\">Hent brevene som PDF</a> · \
             <a href=\"{0}?format=csv\">Hent brevene som CSV til brevfletning</a></p>",
            e(base)
        ));
    }
    for letter in letters {
        html.push_str("<article class=\"letter\">");
        html.push_str(&format!(
            "<p class=\"sender\">{}</p><address>Til ledelsen i<br>{}<br>{}<br>{}</address><h1>{LETTER_HEADING}</h1>",
            e(kommune),
            e(&letter.navn),
            e(&letter.street),
            e(&letter.city)
        ));
        for paragraph in letter_body(kommune, login_url, letter) {
            html.push_str(&format!("<p>{}</p>", e(&paragraph)));
        }
        html.push_str("</article>");
    }
    html.push_str("</body></html>");
    html
}

/// Where the letters' stylesheet is served: the content security policy
/// allows no inline `<style>`.
pub const LETTER_CSS_PATH: &str = "/brev.css";

/// The letters' and progress page's stylesheet, at [`LETTER_CSS_PATH`].
pub async fn letter_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300, must-revalidate"),
        ],
        LETTER_CSS,
    )
        .into_response()
}

const LETTER_CSS: &str = "body{font-family:system-ui,sans-serif;font-size:12pt;line-height:1.5;margin:2rem;color:#1a1a1a}\
.letter{max-width:40rem;margin:0 auto 3rem;padding-bottom:2rem;border-bottom:1px dashed #999}\
.sender{text-align:right}address{font-style:normal;margin:2rem 0}h1{font-size:16pt}\
@media print{.no-print{display:none}body{margin:0}.letter{border:0;page-break-after:always;break-after:page;margin:0;padding:2cm}}";

/// The same letters for mail merge: number, name, address and code.
pub fn letters_csv(letters: &[Letter]) -> Result<Vec<u8>, AppError> {
    let header = [
        "institutionsnummer",
        "navn",
        "adresse",
        "postnummer og by",
        "engangskode",
        "koden virker frem til",
    ]
    .map(String::from);
    let rows = letters.iter().map(|l| {
        vec![
            l.nummer.clone(),
            csv_safe(&l.navn),
            csv_safe(&l.street),
            csv_safe(&l.city),
            l.code.clone(),
            l.valid_until.clone(),
        ]
    });
    danish_csv(std::iter::once(header.to_vec()).chain(rows))
}

/// One A4 page per letter, in Helvetica with WinAnsi encoding (æ, ø, å and the
/// rest of Latin-1 print as themselves; anything else becomes "?").
pub fn letters_pdf(kommune: &str, login_url: &str, letters: &[Letter]) -> Vec<u8> {
    use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};
    let mut pdf = Pdf::new();
    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let font_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let page_ids: Vec<(Ref, Ref)> = (0..letters.len() as i32)
        .map(|i| (Ref::new(10 + 2 * i), Ref::new(11 + 2 * i)))
        .collect();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(letters.len() as i32);
    pdf.type1_font(font_id)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    for (letter, (page_id, content_id)) in letters.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(pages_id)
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), font_id)
            .pair(Name(b"F2"), bold_id);
        drop(page);

        let mut content = Content::new();
        let mut y = 770.0;
        let line = |content: &mut Content, text: &str, font: &[u8], size: f32, y: &mut f32| {
            content.begin_text();
            content.set_font(Name(font), size);
            content.next_line(70.0, *y);
            content.show(Str(&win_ansi(text)));
            content.end_text();
            *y -= size * 1.5;
        };
        line(&mut content, kommune, b"F1", 11.0, &mut y);
        y -= 30.0;
        for address_line in ["Til ledelsen i", &letter.navn, &letter.street, &letter.city] {
            line(&mut content, address_line, b"F1", 11.0, &mut y);
        }
        y -= 30.0;
        line(&mut content, LETTER_HEADING, b"F2", 16.0, &mut y);
        y -= 8.0;
        for paragraph in letter_body(kommune, login_url, letter) {
            for wrapped in wrap(&paragraph, 85) {
                line(&mut content, &wrapped, b"F1", 11.0, &mut y);
            }
            y -= 6.0;
        }
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

/// Latin-1 characters are their own WinAnsi code; the rest print as "?".
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// GET /kommune/eksport.csv: every institution of the caller's kommune with
/// its master data, reporting status and each reported field.
pub async fn export(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
) -> Response {
    let Some((principal, kommunekode)) = kommune_admin(&auth) else {
        return forbidden();
    };
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
        Err(error) => error.into_plain(),
    }
}

pub async fn export_csv(pool: &PgPool, kommunekode: i16) -> Result<Vec<u8>, AppError> {
    use crate::domain::sections::Section;
    use crate::domain::sections::{Kontakt, Lukkedage, Madordning, OpeningHours, Profil};

    let institutions = sqlx::query!(
        r#"SELECT i.id, i.nummer, i.navn, i.institution_type, i.ejerform, i.status, i.closed_on,
                  i.vejnavn, i.husnummer, i.postnummer, i.postby, a.last_login_at
           FROM institutions i LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.kommunekode = $1 ORDER BY i.nummer"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;
    let sections = sqlx::query!(
        r#"SELECT s.institution_id, s.section, s.data FROM institution_sections s
           JOIN institutions i ON i.id = s.institution_id WHERE i.kommunekode = $1"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;

    fn described<T: Section>(data: &serde_json::Value) -> Vec<(&'static str, String)> {
        serde_json::from_value::<T>(data.clone())
            .map(|v| v.describe())
            .unwrap_or_default()
    }
    // Every section field as "<Afsnit>: <felt>", in the order first seen.
    let mut columns: Vec<String> = Vec::new();
    let mut values: std::collections::HashMap<(i64, String), String> = std::collections::HashMap::new();
    for row in &sections {
        let Some(kind) = SectionKind::parse(&row.section) else {
            continue;
        };
        let fields = match kind {
            SectionKind::Profil => described::<Profil>(&row.data),
            SectionKind::Madordning => described::<Madordning>(&row.data),
            SectionKind::Lukkedage => described::<Lukkedage>(&row.data),
            SectionKind::Aabningstider => described::<OpeningHours>(&row.data),
            SectionKind::Kontakt => described::<Kontakt>(&row.data),
        };
        for (label, value) in fields {
            let column = format!("{}: {label}", kind.label());
            if !columns.contains(&column) {
                columns.push(column.clone());
            }
            values.insert((row.institution_id, column), value);
        }
    }
    columns.sort_by_key(|c| {
        SectionKind::ALL
            .iter()
            .position(|k| c.starts_with(&format!("{}:", k.label())))
            .unwrap_or(5)
    });

    {
        let mut header = vec![
            "institutionsnummer".to_string(),
            "navn".into(),
            "type".into(),
            "ejerform".into(),
            "status".into(),
            "nedlagt den".into(),
            "adresse".into(),
            "postnummer".into(),
            "by".into(),
            "har logget ind".into(),
        ];
        header.extend(columns.iter().cloned());
        let rows = institutions.iter().map(|i| {
            let mut record = vec![
                i.nummer.clone(),
                csv_safe(&i.navn),
                InstitutionType::parse(&i.institution_type)
                    .map(|t| t.label().to_string())
                    .unwrap_or_default(),
                Ejerform::parse(&i.ejerform)
                    .map(|e| e.label().to_string())
                    .unwrap_or_default(),
                if i.status == "aktiv" {
                    "aktiv".into()
                } else {
                    "nedlagt".into()
                },
                i.closed_on
                    .map(crate::domain::calendar::format_date)
                    .unwrap_or_default(),
                csv_safe(&format!("{} {}", i.vejnavn, i.husnummer)),
                i.postnummer.to_string(),
                csv_safe(&i.postby),
                if i.last_login_at.is_some() {
                    "ja".into()
                } else {
                    "nej".into()
                },
            ];
            record.extend(
                columns
                    .iter()
                    .map(|c| csv_safe(values.get(&(i.id, c.clone())).map(String::as_str).unwrap_or(""))),
            );
            record
        });
        danish_csv(std::iter::once(header).chain(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(n: usize) -> Letter {
        Letter {
            nummer: format!("K{n:05}"),
            navn: format!("Børnehuset Ærø <b>{n}</b>"),
            street: "Åvej 1".into(),
            city: "8660 Skanderborg".into(),
            code: "ABCD-EFGH-JKMN".into(),
            valid_until: "4.3.2027".into(),
        }
    }

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

    #[test]
    fn print_view_escapes_names_and_breaks_pages() {
        let html = letters_html(
            "Skanderborg Kommune",
            "https://x.dk/log-ind",
            &[letter(1), letter(2)],
            Some("/kommune/breve/abc"),
        );
        assert_eq!(html.matches("<article class=\"letter\">").count(), 2);
        assert!(html.contains("href=\"/kommune/breve/abc?format=pdf\""));
        assert!(html.contains("&lt;b&gt;1&lt;/b&gt;") && !html.contains("<b>1</b>"));
        assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{LETTER_CSS_PATH}\">")));
        assert!(
            LETTER_CSS.contains("break-after:page"),
            "one letter per printed page"
        );
        assert!(html.contains("ABCD-EFGH-JKMN") && html.contains("https://x.dk/log-ind"));
        assert!(
            html.contains("virker frem til den 4.3.2027"),
            "the letter says until when the code works"
        );
    }

    #[test]
    fn csv_has_a_header_a_row_per_letter_and_defuses_formulas() {
        let mut evil = letter(3);
        evil.navn = "=HYPERLINK(\"x\")".into();
        let csv = String::from_utf8(letters_csv(&[letter(1), evil]).unwrap()).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("institutionsnummer;navn"));
        assert!(lines[2].contains("'=HYPERLINK"));
    }

    #[test]
    fn pdf_text_is_latin1_and_wrapped() {
        assert_eq!(
            win_ansi("æøå – €"),
            vec![0xE6, 0xF8, 0xE5, b' ', 0x96, b' ', b'?']
        );
        let lines = wrap("en to tre fire fem seks", 9);
        assert_eq!(lines, ["en to tre", "fire fem", "seks"]);
        assert!(lines.iter().all(|l| l.len() <= 9));
        let pdf = letters_pdf("K", "https://x", &[letter(1), letter(2), letter(3)]);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    }
}
