//! Server side of support's pages: account changes, the audit log query, and
//! the plain endpoints that answer with a document: an institution's new
//! code as a letter, an account's single-use password (shown once), and the
//! audit log as CSV.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;

use super::accounts::NewAccountForm;
use super::audit_log::{action_label, AuditEntry, AuditFilter, CheckedAuditFilter};
use crate::audit::Actor;
use crate::auth::Principal;
use crate::auth::{
    codes::{format_code, generate_code},
    session::{ClientIp, CurrentAuth},
};
use crate::components::form::FORM;
use crate::documents::letters::{letters_html, Letter};
use crate::documents::plain::{self, escape};
use crate::documents::{danish_csv, no_store_document};
use crate::error::{AppError, FieldErrors};
use crate::register::db::existing_kommune;
use crate::ssr::AppState;

/// Rows in one CSV export of the audit log at most.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// A generated password for an administrator: 24 characters from the letter
/// codes' unambiguous alphabet (about 120 bits). It works once: the account
/// must choose its own at the next log-in.
pub fn generate_password() -> SecretString {
    SecretString::from(format!("{}{}", generate_code(), generate_code()))
}

/// The calling support user; `None` for anyone else (or one who must first
/// choose a password).
fn support_caller(auth: &CurrentAuth) -> Option<Principal> {
    match auth.0.as_ref() {
        Some(auth) if auth.is_complete() && matches!(auth.principal, Principal::Support { .. }) => {
            Some(auth.principal.clone())
        }
        _ => None,
    }
}

fn forbidden() -> Response {
    plain::page(
        StatusCode::FORBIDDEN,
        "Ingen adgang",
        "Kun STIL's support kan gøre dette.",
    )
}

fn caller() -> Result<(Principal, PgPool), AppError> {
    crate::auth::context::require_support()?;
    Ok((crate::auth::context::require_principal()?, crate::ssr::pool()?))
}

// ---------------------------------------------------------------------------
// Accounts

/// Which administrator accounts to list.
#[derive(Debug, Default)]
pub struct AccountQuery<'a> {
    /// Part of the e-mail or name.
    pub text: &'a str,
    pub kommune: Option<i16>,
    /// `kommune`, `support`, or empty for both.
    pub role: &'a str,
    pub id: Option<i64>,
}

/// One page of the accounts `query` selects, and how many there are in all;
/// `own_id` is the calling support user's.
pub async fn account_rows(
    pool: &PgPool,
    own_id: i64,
    query: AccountQuery<'_>,
    offset: i64,
) -> Result<(Vec<super::accounts::AccountFacts>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.email, a.navn, a.role, a.kommunekode, k.navn AS "kommune?", a.disabled,
                  a.must_change_password, a.password_hash IS NOT NULL AS "has_password!",
                  a.totp_confirmed_at IS NOT NULL AS "has_second_factor!",
                  a.created_at, a.last_login_at, count(*) OVER () AS "matching!"
           FROM admin_accounts a LEFT JOIN kommuner k ON k.kode = a.kommunekode
           WHERE ($1 = '' OR strpos(a.email, lower($1)) > 0 OR strpos(lower(a.navn), lower($1)) > 0)
             AND ($2::smallint IS NULL OR a.kommunekode = $2)
             AND ($3 = '' OR a.role = $3)
             AND ($4::bigint IS NULL OR a.id = $4)
           ORDER BY a.role, k.navn NULLS FIRST, a.email
           LIMIT $5 OFFSET $6"#,
        query.text,
        query.kommune,
        query.role,
        query.id,
        super::PAGE_SIZE,
        offset
    )
    .fetch_all(pool)
    .await?;
    let matching = rows.first().map(|r| r.matching).unwrap_or(0);
    let when = crate::domain::calendar::format_timestamp;
    let accounts = rows
        .into_iter()
        .map(|r| super::accounts::AccountFacts {
            role_label: super::accounts::role_label(&r.role).to_string(),
            is_self: r.id == own_id,
            id: r.id,
            email: r.email,
            navn: r.navn,
            role: r.role,
            kommunekode: r.kommunekode,
            kommune: r.kommune,
            disabled: r.disabled,
            must_change_password: r.must_change_password,
            has_password: r.has_password,
            has_second_factor: r.has_second_factor,
            created: when(r.created_at),
            last_login: r.last_login_at.map(when),
        })
        .collect();
    Ok((accounts, matching))
}

pub async fn create_account(form: &NewAccountForm) -> Result<i64, AppError> {
    let (principal, pool) = caller()?;
    let mut errors = FieldErrors::new();
    let email = crate::domain::Email::parse(&form.email)
        .map_err(|m| errors.insert("email".into(), m))
        .ok();
    let navn = form.navn.trim();
    match navn.chars().count() {
        0 => {
            errors.insert("navn".into(), "Skriv personens navn, fx Ida Hansen.".into());
        }
        n if n > 100 => {
            errors.insert(
                "navn".into(),
                format!("Navnet må højst være 100 tegn. Du har skrevet {n}."),
            );
        }
        _ => {}
    }
    let kommunekode = match form.rolle.as_str() {
        "kommune" => existing_kommune(
            &pool,
            &form.kommunekode,
            "Vælg den kommune, kommuneadministratoren arbejder for.",
        )
        .await?
        .map_err(|e| errors.extend(e))
        .ok(),
        "support" => {
            if !form.kommunekode.trim().is_empty() {
                errors.insert(
                    "kommunekode".into(),
                    "En supportkonto hører ikke til en kommune. Vælg Ingen kommune.".into(),
                );
            }
            None
        }
        "" => {
            errors.insert("rolle".into(), "Vælg kontoens rolle.".into());
            None
        }
        _ => {
            errors.insert(
                "rolle".into(),
                "Vælg Kommuneadministrator eller Support (STIL) som rolle.".into(),
            );
            None
        }
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let actor = Actor::from_principal(&principal);
    let created = sqlx::query_scalar!(
        r#"WITH created AS (
             INSERT INTO admin_accounts (email, navn, role, kommunekode, must_change_password)
             VALUES ($1, $2, $3, $4, true)
             ON CONFLICT (email) DO NOTHING
             RETURNING id
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $5, $6, $7, 'konto_oprettet', $4, $8::text::inet,
                    jsonb_build_object('konto', id, 'email', $1::text, 'rolle', $3::text)
             FROM created
           )
           SELECT id FROM created"#,
        email.as_str(),
        navn,
        form.rolle,
        kommunekode,
        actor.role,
        actor.id,
        actor.label,
        crate::auth::context::client_ip().map(|ip| ip.to_string()),
    )
    .fetch_optional(&pool)
    .await?;
    created.ok_or_else(|| {
        AppError::field(
            "email",
            format!(
                "Der findes allerede en konto med e-mailadressen {}. Find den i listen over konti.",
                email.as_str()
            ),
        )
    })
}

pub async fn move_account(id: i64, from: i16, kommunekode: &str) -> Result<(), AppError> {
    let (principal, pool) = caller()?;
    let to = existing_kommune(&pool, kommunekode, "Vælg den kommune, kontoen skal flyttes til.")
        .await?
        .map_err(AppError::Validation)?;
    if to == from {
        return Err(AppError::field(
            "kommunekode",
            "Kontoen hører allerede til den kommune. Vælg en anden kommune.",
        ));
    }
    let actor = Actor::from_principal(&principal);
    let moved = sqlx::query_scalar!(
        r#"WITH moved AS (
             UPDATE admin_accounts SET kommunekode = $2, epoch = epoch + 1
             WHERE id = $1 AND role = 'kommune' AND kommunekode = $3 AND NOT disabled
             RETURNING id, email
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $4, $5, $6, 'konto_flyttet', $2, $7::text::inet,
                    jsonb_build_object('konto', id, 'email', email, 'fra', $3::smallint, 'til', $2::smallint)
             FROM moved
           )
           SELECT id FROM moved"#,
        id,
        to,
        from,
        actor.role,
        actor.id,
        actor.label,
        crate::auth::context::client_ip().map(|ip| ip.to_string()),
    )
    .fetch_optional(&pool)
    .await?;
    match moved {
        Some(_) => Ok(()),
        None => Err(missed(
            &pool,
            id,
            Some("kommune"),
            "Kontoen er ændret, efter du åbnede siden (flyttet eller spærret). Genindlæs siden og prøv igen.",
        )
        .await),
    }
}

/// Why a change to account `id` (of `role`, if given) touched no row: the
/// account does not exist (as that role), or it changed since the page was read.
async fn missed(pool: &PgPool, id: i64, role: Option<&str>, conflict: &str) -> AppError {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM admin_accounts WHERE id = $1 AND ($2::text IS NULL OR role = $2)) AS "exists!""#,
        id,
        role
    )
    .fetch_one(pool)
    .await;
    match exists {
        Ok(true) => AppError::Conflict(conflict.into()),
        Ok(false) => AppError::NotFound,
        Err(e) => e.into(),
    }
}

pub async fn set_disabled(id: i64, disable: bool) -> Result<(), AppError> {
    let (principal, pool) = caller()?;
    let actor = Actor::from_principal(&principal);
    if disable && actor.id == Some(id) {
        return Err(AppError::field(FORM, "Du kan ikke spærre din egen konto."));
    }
    let changed = sqlx::query_scalar!(
        r#"WITH changed AS (
             UPDATE admin_accounts SET disabled = $2, epoch = epoch + 1
             WHERE id = $1 AND disabled <> $2
             RETURNING id, email, kommunekode
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $3, $4, $5, CASE WHEN $2 THEN 'konto_spaerret' ELSE 'konto_genaabnet' END, kommunekode,
                    $6::text::inet, jsonb_build_object('konto', id, 'email', email)
             FROM changed
           )
           SELECT id FROM changed"#,
        id,
        disable,
        actor.role,
        actor.id,
        actor.label,
        crate::auth::context::client_ip().map(|ip| ip.to_string()),
    )
    .fetch_optional(&pool)
    .await?;
    let conflict = if disable {
        "Kontoen er allerede spærret. Genindlæs siden."
    } else {
        "Kontoen er allerede åben. Genindlæs siden."
    };
    match changed {
        Some(_) => Ok(()),
        None => Err(missed(&pool, id, None, conflict).await),
    }
}

/// Reset another administrator's second factor (lost phone and recovery
/// codes): the secret and the recovery codes are deleted, every session of
/// the account ends (its epoch moves on), and the next log-in sets up a new
/// factor. Audited as `totrin_nulstillet`.
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    let (principal, pool) = caller()?;
    let actor = Actor::from_principal(&principal);
    if actor.id == Some(id) {
        return Err(AppError::field(
            FORM,
            "Du kan ikke nulstille din egen totrinsbekræftelse. Bed en anden fra support om at gøre det.",
        ));
    }
    let reset = sqlx::query_scalar!(
        r#"WITH changed AS (
             UPDATE admin_accounts
             SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL, epoch = epoch + 1
             WHERE id = $1
             RETURNING id, email, kommunekode
           ), codes AS (
             DELETE FROM admin_recovery_codes WHERE admin_id IN (SELECT id FROM changed)
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $2, $3, $4, 'totrin_nulstillet', kommunekode, $5::text::inet,
                    jsonb_build_object('konto', id, 'email', email)
             FROM changed
           )
           SELECT id FROM changed"#,
        id,
        actor.role,
        actor.id,
        actor.label,
        crate::auth::context::client_ip().map(|ip| ip.to_string()),
    )
    .fetch_optional(&pool)
    .await?;
    reset.map(|_| ()).ok_or(AppError::NotFound)
}

/// POST /support/konti/{id}/adgangskode: a new single-use password for an
/// administrator account, shown once on the page this answers with. The old
/// password stops working and every session of the account ends.
pub async fn account_password(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(id): Path<String>,
) -> Response {
    let Some(principal) = support_caller(&auth) else {
        return forbidden();
    };
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
    let password = generate_password();
    let hash = match crate::ssr::password::hash(password.clone()).await {
        Ok(hash) => hash,
        Err(_) => return plain::internal_error(),
    };
    let actor = Actor::from_principal(&principal);
    let changed = sqlx::query!(
        r#"WITH account AS (
             SELECT id, password_hash IS NULL AS first FROM admin_accounts WHERE id = $1 AND NOT disabled
           ), changed AS (
             UPDATE admin_accounts a SET password_hash = $2, must_change_password = true, epoch = a.epoch + 1,
                    one_time_until = now() + make_interval(hours => $7)
             FROM account WHERE a.id = account.id
             RETURNING a.id, a.email, a.kommunekode, account.first
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $3, $4, $5, 'adgangskode_nulstillet', kommunekode, $6::text::inet,
                    jsonb_build_object('konto', id, 'email', email, 'foerste', first)
             FROM changed
           )
           SELECT email, first AS "first!" FROM changed"#,
        id,
        hash,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
        crate::auth::login::ONE_TIME_PASSWORD_HOURS as i32,
    )
    .fetch_optional(&state.pool)
    .await;
    let changed = match changed {
        Ok(Some(changed)) => changed,
        Ok(None) => {
            let disabled = sqlx::query_scalar!("SELECT disabled FROM admin_accounts WHERE id = $1", id)
                .fetch_optional(&state.pool)
                .await;
            return match disabled {
                Ok(Some(true)) => plain::page(
                    StatusCode::CONFLICT,
                    "Kontoen er spærret",
                    "Kontoen er spærret, så der kan ikke laves en adgangskode til den. Åbn kontoen igen først.",
                ),
                Ok(_) => not_found(),
                Err(error) => plain::failed_request("/support/konti", &AppError::from(error)),
            };
        }
        Err(error) => return plain::failed_request("/support/konti", &AppError::from(error)),
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

// ---------------------------------------------------------------------------
// Institutions

/// POST /support/dagtilbud/{nummer}/kode: a new single-use code for one
/// active institution in any kommune, answered with the same letter the
/// kommune prints. The old code and password stop working and the
/// institution's sessions end.
pub async fn institution_code(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Path(nummer): Path<String>,
) -> Response {
    let Some(principal) = support_caller(&auth) else {
        return forbidden();
    };
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
    let found = sqlx::query!(
        r#"SELECT i.id, i.navn, i.vejnavn, i.husnummer, i.postnummer, i.postby, k.navn AS kommune
           FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
           WHERE i.nummer = $1 AND i.status = 'aktiv'"#,
        nummer.as_str()
    )
    .fetch_optional(&state.pool)
    .await;
    let institution = match found {
        Ok(Some(institution)) => institution,
        Ok(None) => return not_found(),
        Err(error) => return plain::failed_request("/support", &AppError::from(error)),
    };
    let actor = Actor::from_principal(&principal);
    let code = match crate::auth::codes::issue_institution_code(&state.pool, institution.id, &actor, ip).await
    {
        Ok(code) => code,
        Err(AppError::NotFound) => return not_found(),
        Err(error) => return plain::failed_request("/support", &error),
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

// ---------------------------------------------------------------------------
// Audit log

/// The start of a Danish calendar day.
fn danish_midnight(day: time::Date) -> time::OffsetDateTime {
    let offset = crate::domain::calendar::danish_time(day.midnight().assume_utc()).offset();
    day.midnight().assume_offset(offset)
}

/// `key: value` pairs of an audit row's details, in one line.
fn details_text(details: &serde_json::Value) -> String {
    match details {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How many matching audit rows are counted at most: the log grows with every
/// save and log-in, and counting millions of rows on each page view would make
/// the page slower every year. Past this the page says "more than".
pub const AUDIT_COUNT_LIMIT: i64 = 10_000;

/// The audit rows the filter selects, newest first, and how many there are:
/// exact up to [`AUDIT_COUNT_LIMIT`] (or the rows asked for, if more), and
/// `true` when there are at least that many.
pub async fn audit_entries(
    pool: &PgPool,
    filter: &CheckedAuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64, bool), AppError> {
    let from = filter.fra.map(danish_midnight);
    let until = filter.til.and_then(|d| d.next_day()).map(danish_midnight);
    let counted_at_most = (AUDIT_COUNT_LIMIT + 1).max(offset + limit);
    let rows = sqlx::query!(
        r#"WITH matched AS (
             SELECT l.id, l.at FROM audit_log l
             WHERE ($1 = '' OR strpos(lower(l.actor_label), $1) > 0 OR strpos(lower(l.details->>'email'), $1) > 0)
               AND ($2::text IS NULL OR l.institution_id = (SELECT id FROM institutions WHERE nummer = $2))
               AND ($3::text IS NULL OR l.action = $3)
               AND ($4::timestamptz IS NULL OR l.at >= $4)
               AND ($5::timestamptz IS NULL OR l.at < $5)
             ORDER BY l.at DESC, l.id DESC
             LIMIT $8
           )
           SELECT l.at, l.actor_role, l.actor_label, l.action, i.nummer AS "nummer?", k.navn AS "kommune?",
                  host(l.client_ip) AS ip, l.details, (SELECT count(*) FROM matched) AS "matching!"
           FROM (SELECT id FROM matched ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7) AS page
           JOIN audit_log l ON l.id = page.id
           LEFT JOIN institutions i ON i.id = l.institution_id
           LEFT JOIN kommuner k ON k.kode = l.kommunekode
           ORDER BY l.at DESC, l.id DESC"#,
        filter.konto,
        filter.dagtilbud,
        filter.handling,
        from,
        until,
        limit,
        offset,
        counted_at_most
    )
    .fetch_all(pool)
    .await?;
    let matching = rows.first().map(|r| r.matching).unwrap_or(0);
    let more = matching >= counted_at_most;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::domain::calendar::format_timestamp(r.at),
            role: r.actor_role,
            account: r.actor_label,
            action: action_label(&r.action),
            institution: r.nummer,
            kommune: r.kommune,
            ip: r.ip,
            details: details_text(&r.details),
        })
        .collect();
    Ok((entries, matching.min(counted_at_most - 1), more))
}

/// GET /support/log.csv?…: the audit rows the log page's filter selects, as CSV.
pub async fn audit_csv(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(principal) = support_caller(&auth) else {
        return forbidden();
    };
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
        Err(error) => return plain::failed_request("/support/log.csv", &error),
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
        return plain::failed_request("/support/log.csv", &error);
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
        Err(error) => plain::failed_request("/support/log.csv", &error),
    }
}

// ---------------------------------------------------------------------------
// API keys

/// POST /support/api-noegler/ny (kommunekode, navn): a new API key for a
/// kommune's system, shown once on the page this answers with; only its hash
/// is stored. Bad input goes back to the form, filled in, with its errors.
pub async fn create_api_key(
    State(state): State<AppState>,
    Extension(auth): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Extension(session): Extension<tower_sessions::Session>,
    body: axum::body::Bytes,
) -> Response {
    let Some(principal) = support_caller(&auth) else {
        return forbidden();
    };
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
                return plain::failed_request("/support/api-noegler", &error);
            }
            return axum::response::Redirect::to("/support/api-noegler").into_response();
        }
        Err(error) => return plain::failed_request("/support/api-noegler", &error),
    };
    let key = crate::api::keys::generate_key();
    let prefix = crate::api::keys::key_prefix(&key);
    let actor = Actor::from_principal(&principal);
    let created = sqlx::query_scalar!(
        r#"WITH created AS (
             INSERT INTO kommune_api_keys (kommunekode, label, prefix, key_hash, created_by)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING id
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $6, $5, $7, 'api_noegle_oprettet', $1, $8::text::inet,
                    jsonb_build_object('noegle', id, 'navn', $2::text, 'begynder_med', $3::text)
             FROM created
           )
           SELECT id FROM created"#,
        kode,
        label,
        prefix,
        crate::api::keys::key_hash(&key),
        actor.id,
        actor.role,
        actor.label,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_one(&state.pool)
    .await;
    if let Err(error) = created {
        return plain::failed_request("/support/api-noegler", &AppError::from(error));
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
