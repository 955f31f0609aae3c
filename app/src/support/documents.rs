//! Support's documents over plain HTTP (server only): an institution's new
//! code as the kommune's letter, an account's single-use password and a new
//! API key (each shown once), and the audit log as CSV. Each checks that the
//! caller is support on its first lines.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use secrecy::ExposeSecret;

use super::audit_log::AuditFilter;
use super::db::audit_entries;
use crate::audit::{Actor, AuditContext};
use crate::auth::codes::format_code;
use crate::auth::extract::SupportUser;
use crate::auth::session::ClientIp;
use crate::documents::letters::{letters_html, Letter};
use crate::documents::plain::{self, escape, ErrorPage};
use crate::documents::{danish_csv, no_store_document};
use crate::error::{AppError, FieldErrors};
use crate::register::db::existing_kommune;
use crate::ssr::AppState;

/// Rows in one CSV export of the audit log at most.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// POST /support/konti/{id}/adgangskode: a new single-use password for an
/// administrator account, shown once on the page this answers with. The old
/// password stops working and every session of the account ends.
pub async fn account_password(
    State(state): State<AppState>,
    SupportUser { principal }: SupportUser,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(id): Path<String>,
) -> Response {
    let not_found = || {
        plain::page(
            StatusCode::NOT_FOUND,
            "Kontoen findes ikke",
            "Kontoen findes ikke. Gå tilbage til listen over konti og prøv igen.",
        )
    };
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let password = crate::auth::codes::generate_password();
    let hash = match crate::ssr::password::hash(password.clone()).await {
        Ok(hash) => hash,
        Err(_) => return plain::internal_error(),
    };
    let audit = AuditContext::of(&principal, ip);
    let changed = match super::db::set_one_time_password(&state.pool, &audit, id, &hash).await {
        Ok(changed) => changed,
        Err(AppError::NotFound) => return not_found(),
        Err(AppError::Conflict(message)) => {
            return plain::page(StatusCode::CONFLICT, "Kontoen er spærret", &message)
        }
        Err(error) => return ErrorPage::new(error).into_response(),
    };
    let content = format!(
        "<p>{intro}</p>\
         <p class=\"one-time-secret\" aria-label=\"Engangsadgangskode\"><strong>{password}</strong></p>\
         <p>Giv koden til personen ad en sikker vej, fx pr. telefon. Den vises kun her: når du forlader siden, \
         kan den ikke findes frem igen. Personen logger ind på {login} med sin e-mail og koden og vælger \
         derefter sin egen adgangskode. Koden virker til én log-ind og i {hours} timer.</p>\
         <p><a href=\"/support/konti/{id}\">Tilbage til kontoen</a></p>",
        intro = escape(&format!(
            "{} til {}:",
            if changed.first { "Engangsadgangskode" } else { "Ny engangsadgangskode" },
            changed.email
        )),
        password = escape(password.expose_secret()),
        login = escape(&format!("{}/admin/log-ind", state.settings.public_url)),
        hours = crate::auth::login::ONE_TIME_PASSWORD_HOURS,
    );
    plain::document(StatusCode::OK, "Engangsadgangskode", &content)
}

/// POST /support/dagtilbud/{nummer}/kode: a new single-use code for one
/// active institution in any kommune, answered with the same letter the
/// kommune prints. The old code and password stop working and the
/// institution's sessions end.
pub async fn institution_code(
    State(state): State<AppState>,
    SupportUser { principal }: SupportUser,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(nummer): Path<String>,
) -> Response {
    let not_found = || {
        plain::page(
            StatusCode::NOT_FOUND,
            "Dagtilbud ikke fundet",
            "Dagtilbuddet findes ikke blandt de aktive dagtilbud. Søg efter det igen.",
        )
    };
    let Ok(nummer) = crate::domain::InstitutionNumber::parse(&nummer) else {
        return not_found();
    };
    let institution = match super::db::active_institution(&state.pool, &nummer).await {
        Ok(Some(institution)) => institution,
        Ok(None) => return not_found(),
        Err(error) => return ErrorPage::new(error).into_response(),
    };
    let actor = Actor::from_principal(&principal);
    let code = match crate::auth::codes::issue_institution_code(&state.pool, institution.id, &actor, ip).await
    {
        Ok(code) => code,
        Err(AppError::NotFound) => return not_found(),
        Err(error) => return ErrorPage::new(error).into_response(),
    };
    let letter = Letter {
        nummer: nummer.to_string(),
        navn: institution.navn,
        street: format!("{} {}", institution.vejnavn, institution.husnummer),
        city: format!("{} {}", institution.postnummer, institution.postby),
        code: format_code(&code),
        valid_until: crate::auth::codes::code_valid_until(&state),
    };
    let html = letters_html(
        &format!("{} Kommune", institution.kommune),
        &format!("{}/log-ind", state.settings.public_url),
        &[letter],
        None,
    );
    no_store_document("text/html; charset=utf-8", None, html.into_bytes())
}

/// GET /support/log.csv?…: the audit rows the log page's filter selects, as CSV.
pub async fn audit_csv(
    State(state): State<AppState>,
    SupportUser { principal }: SupportUser,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let filter = AuditFilter::from_query(|key| query.get(key).cloned());
    let checked = match filter.check() {
        Ok(checked) => checked,
        Err(errors) => {
            return plain::page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Udtrækket kan ikke laves",
                &errors.into_values().collect::<Vec<_>>().join(" "),
            )
        }
    };
    let (entries, ..) = match audit_entries(&state.pool, &checked, MAX_EXPORT_ROWS, 0).await {
        Ok(found) => found,
        Err(error) => return ErrorPage::new(error).into_response(),
    };
    // The log holds e-mail and IP addresses: who took an extract of it is kept.
    let exported = crate::audit::record(
        &state.pool,
        &Actor::from_principal(&principal),
        "eksport_hentet",
        None,
        None,
        ip,
        serde_json::json!({ "udtraek": "haendelseslog.csv", "raekker": entries.len() }),
    )
    .await;
    if let Err(error) = exported {
        return ErrorPage::new(error).into_response();
    }
    let header = [
        "tidspunkt",
        "rolle",
        "konto",
        "hændelse",
        "dagtilbud",
        "kommune",
        "ip-adresse",
        "detaljer",
    ]
    .map(String::from)
    .to_vec();
    let safe = crate::documents::csv_safe;
    let rows = entries.into_iter().map(|e| {
        vec![
            e.at,
            e.role,
            safe(&e.account),
            e.action,
            e.institution.unwrap_or_default(),
            e.kommune.unwrap_or_default(),
            e.ip.unwrap_or_default(),
            safe(&e.details),
        ]
    });
    match danish_csv(std::iter::once(header).chain(rows)) {
        Ok(csv) => no_store_document(
            "text/csv; charset=utf-8",
            Some("attachment; filename=\"haendelseslog.csv\""),
            csv,
        ),
        Err(error) => ErrorPage::new(error).into_response(),
    }
}

/// POST /support/api-noegler/ny (kommunekode, navn): a new API key for a
/// kommune's system, shown once on the page this answers with; only its hash
/// is stored. Bad input goes back to the form, filled in, with its errors.
pub async fn create_api_key(
    State(state): State<AppState>,
    SupportUser { principal }: SupportUser,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Extension(session): Extension<tower_sessions::Session>,
    body: axum::body::Bytes,
) -> Response {
    let fields: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let (kommunekode, navn) = (field("kommunekode"), field("navn"));
    let checked = async {
        let mut errors = FieldErrors::new();
        let kode = existing_kommune(
            &state.pool,
            &kommunekode,
            "Vælg den kommune, hvis system skal bruge nøglen.",
        )
        .await?
        .map_err(|e| errors.extend(e))
        .ok();
        let label = navn.trim();
        match label.chars().count() {
            0 => {
                errors.insert(
                    "navn".into(),
                    "Skriv, hvad nøglen bruges til, fx Pladsanvisningen.".into(),
                );
            }
            n if n > 100 => {
                errors.insert(
                    "navn".into(),
                    format!("Beskrivelsen må højst være 100 tegn. Du har skrevet {n}."),
                );
            }
            _ => {}
        }
        match kode {
            Some(kode) if errors.is_empty() => Ok((kode, label.to_string())),
            _ => Err(AppError::Validation(errors)),
        }
    }
    .await;
    let (kode, label) = match checked {
        Ok(checked) => checked,
        Err(AppError::Validation(errors)) => {
            let flash = crate::components::form::FormFlash {
                form: "api-noegle".into(),
                values: [
                    ("kommunekode".to_string(), kommunekode),
                    ("navn".to_string(), navn),
                ]
                .into_iter()
                .collect(),
                errors,
            };
            if let Err(error) = crate::ssr::flash::keep(&session, &flash).await {
                return ErrorPage::new(error).into_response();
            }
            return axum::response::Redirect::to("/support/api-noegler").into_response();
        }
        Err(error) => return ErrorPage::new(error).into_response(),
    };
    let key = crate::api::keys::generate_key();
    let prefix = crate::api::keys::key_prefix(&key);
    let audit = AuditContext::of(&principal, ip);
    let hash = crate::api::keys::key_hash(&key);
    if let Err(error) = super::db::create_api_key(&state.pool, &audit, kode, &label, &prefix, &hash).await {
        return ErrorPage::new(error).into_response();
    }
    let content = format!(
        "<p>{intro}</p>\
         <p class=\"one-time-secret\" aria-label=\"API-nøgle\"><strong>{key}</strong></p>\
         <p>Giv nøglen til kommunen ad en sikker vej. Den vises kun her: når du forlader siden, kan den ikke findes frem \
         igen, og mistes den, laver du en ny og spærrer den gamle. Systemet sender den i headeren \
         <code>Authorization: Bearer &lt;nøgle&gt;</code>; API'et er beskrevet på {docs}.</p>\
         <p><a href=\"/support/api-noegler\">Tilbage til API-nøglerne</a></p>",
        intro = escape(&format!("API-nøgle til {label}:")),
        key = escape(&key),
        docs = escape(&format!("{}/api/v1/openapi.json", state.settings.public_url)),
    );
    plain::document(StatusCode::OK, "API-nøgle", &content)
}
