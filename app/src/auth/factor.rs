//! The second factor's steps (server only): the code after the password,
//! the set-up at the first log-in, and its confirmation, which answers with
//! the recovery codes (shown once).
//!
//! Code attempts count in the same throttle as passwords (same keys, counted
//! before the check), so the password step and the code step share one
//! budget of guesses.

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

use super::totp::{self, TotpSecret};
use super::{
    context::{require_session, session},
    login::{count_attempt, record_failed_login, safe_next, throttle_keys},
    session::{
        session_store_error, start_session, ClientIp, CurrentAuth, Pending, SecondFactor, SessionAuth,
    },
};
use super::{throttle, Principal};
use crate::audit::{self, Actor};
use crate::components::form::{errors_from, FormFlash, FORM};
use crate::documents::plain::{self, escape};
use crate::error::AppError;
use crate::ssr::AppState;

/// How long after the password the code may be typed.
const CODE_WINDOW_SECS: i64 = 10 * 60;
/// The form name of the set-up page's flash.
pub const SETUP_FORM: &str = "totrin-opsaet";

const WRONG_CODE: &str =
    "Koden fra godkendelsesappen er forkert eller allerede brugt. Skriv den kode, appen viser nu.";
const WRONG_RECOVERY: &str =
    "Gendannelseskoden er forkert eller allerede brugt. Prøv en anden af dine gendannelseskoder.";

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The administrator of a log-in: (account id, e-mail, kommune).
fn admin_of(principal: &Principal) -> Result<(i64, &str, Option<i16>), AppError> {
    match principal {
        Principal::Kommune {
            admin_id,
            email,
            kommunekode,
        } => Ok((*admin_id, email, Some(*kommunekode))),
        Principal::Support { admin_id, email } => Ok((*admin_id, email, None)),
        Principal::Institution { .. } => Err(AppError::Forbidden),
    }
}

/// Which kind of code was typed at the code step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// Six digits from the authenticator app.
    App,
    /// One of the ten recovery codes.
    Recovery,
}

impl CodeKind {
    fn field(self) -> &'static str {
        match self {
            CodeKind::App => "kode",
            CodeKind::Recovery => "gendannelseskode",
        }
    }
}

/// The message for a code field whose input does not have the form of a code.
pub fn code_format_error(kind: CodeKind, input: &str) -> Option<String> {
    let (empty, malformed) = match kind {
        CodeKind::App => (
            "Skriv koden fra godkendelsesappen.",
            "Koden fra godkendelsesappen er 6 cifre, fx 123456.",
        ),
        CodeKind::Recovery => (
            "Skriv en af dine gendannelseskoder.",
            "En gendannelseskode er 24 tegn, fx ABCD-EFGH-JKLM-NPQR-STUV-WXYZ.",
        ),
    };
    let fits = match kind {
        CodeKind::App => totp::normalize_totp(input).is_some(),
        CodeKind::Recovery => totp::normalize_recovery(input).is_some(),
    };
    if input.trim().is_empty() {
        Some(empty.to_string())
    } else if !fits {
        Some(malformed.to_string())
    } else {
        None
    }
}

/// The code step: a code from the app or a recovery code, after the
/// password. Each code works once; wrong ones are throttled and audited.
pub async fn enter_code(kind: CodeKind, input: &str, next: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let session = session()?;
    let ip = super::context::client_ip();
    let now = state.now();
    let mut auth = require_session()?;
    if auth.second_factor != SecondFactor::Code {
        return Err(AppError::Forbidden);
    }
    let (admin_id, email, kommunekode) = admin_of(&auth.principal)?;
    let email = email.to_string();
    if now.unix_timestamp() - auth.login_at > CODE_WINDOW_SECS {
        session.flush().await.map_err(session_store_error)?;
        return Err(AppError::field(
            FORM,
            "Der er gået mere end 10 minutter, siden du skrev din adgangskode. Log ind igen.",
        ));
    }
    if let Some(message) = code_format_error(kind, input) {
        return Err(AppError::field(kind.field(), message));
    }

    let keys = throttle_keys(&email, ip);
    count_attempt(&state, &keys, &email, ip).await?;

    let secret = sqlx::query_scalar!(
        r#"SELECT totp_secret AS "totp_secret!" FROM admin_accounts
           WHERE id = $1 AND epoch = $2 AND NOT disabled AND totp_confirmed_at IS NOT NULL"#,
        admin_id,
        auth.epoch
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(secret) = secret.map(TotpSecret::from_bytes) else {
        // Reset, disabled or its factor reset since the password: start over.
        session.flush().await.map_err(session_store_error)?;
        return Err(AppError::Unauthenticated);
    };

    let mut tx = state.pool.begin().await?;
    let outcome: Result<serde_json::Value, &str> = match kind {
        CodeKind::App => {
            let code = totp::normalize_totp(input).unwrap_or_default();
            match secret.matching_step(&code, now.unix_timestamp()) {
                None => Err("forkert kode fra godkendelsesappen"),
                Some(step) => {
                    // The replay guard: only a step after the last accepted one counts.
                    let fresh = sqlx::query!(
                        r#"UPDATE admin_accounts SET totp_last_step = $2
                           WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)"#,
                        admin_id,
                        step
                    )
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    if fresh {
                        Ok(serde_json::json!({ "totrin": "app" }))
                    } else {
                        Err("koden fra godkendelsesappen er allerede brugt")
                    }
                }
            }
        }
        CodeKind::Recovery => {
            let code = totp::normalize_recovery(input).unwrap_or_default();
            let used = sqlx::query!(
                "DELETE FROM admin_recovery_codes WHERE admin_id = $1 AND code_hash = $2",
                admin_id,
                &totp::recovery_hash(&code)
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if used {
                let left = sqlx::query_scalar!(
                    r#"SELECT count(*) AS "left!" FROM admin_recovery_codes WHERE admin_id = $1"#,
                    admin_id
                )
                .fetch_one(&mut *tx)
                .await?;
                Ok(serde_json::json!({ "totrin": "gendannelseskode", "gendannelseskoder_tilbage": left }))
            } else {
                Err("forkert eller brugt gendannelseskode")
            }
        }
    };
    let mut details = match outcome {
        Ok(details) => details,
        Err(reason) => {
            drop(tx);
            record_failed_login(&state, &email, reason, ip).await?;
            let message = match kind {
                CodeKind::App => WRONG_CODE,
                CodeKind::Recovery => WRONG_RECOVERY,
            };
            return Err(AppError::field(kind.field(), message));
        }
    };
    details["skal_vaelge_adgangskode"] = serde_json::Value::Bool(auth.pending_password);
    sqlx::query!(
        "UPDATE admin_accounts SET last_login_at = now() WHERE id = $1",
        admin_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        "log_ind",
        None,
        kommunekode,
        ip,
        details,
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;

    auth.second_factor = SecondFactor::Done;
    start_session(&session, &auth).await?;
    let target = match auth.pending() {
        Some(step) => step.page().to_string(),
        None => safe_next(next, auth.principal.role()),
    };
    leptos_axum::redirect(&target);
    Ok(())
}

/// The secret to set up, made at the first visit and shown again on later
/// visits until a code confirms it.
pub async fn setup_info() -> Result<super::SetupDetails, AppError> {
    let auth = require_session()?;
    if auth.pending() != Some(Pending::Setup) {
        return Err(AppError::Forbidden);
    }
    let (admin_id, email, _) = admin_of(&auth.principal)?;
    let pool = crate::ssr::pool()?;
    let fresh = TotpSecret::generate();
    let stored = sqlx::query_scalar!(
        r#"UPDATE admin_accounts SET totp_secret = COALESCE(totp_secret, $3)
           WHERE id = $1 AND epoch = $2 AND totp_confirmed_at IS NULL AND NOT disabled
           RETURNING totp_secret AS "totp_secret!""#,
        admin_id,
        auth.epoch,
        fresh.as_bytes()
    )
    .fetch_optional(&pool)
    .await?;
    let secret = TotpSecret::from_bytes(stored.ok_or(AppError::Unauthenticated)?);
    let qr_svg = secret
        .uri(email)
        .and_then(|uri| totp::qr_svg(&uri))
        .ok_or(AppError::Internal)?;
    // The page holds the secret: no cache may keep it.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    Ok(super::SetupDetails {
        email: email.to_string(),
        qr_svg,
        secret: secret.grouped_base32(),
    })
}

/// The confirmation form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    kode: String,
}

/// POST /admin/totrin/bekraeft: a first code confirms the set-up; the answer
/// is a page with the ten recovery codes, shown this once. A plain form post
/// with or without JavaScript; errors go back to the set-up page.
pub async fn confirm_setup(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAuth>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Extension(session): Extension<Session>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let Some(mut auth) = current.0.filter(|a| a.pending() == Some(Pending::Setup)) else {
        return plain::page(
            StatusCode::FORBIDDEN,
            "Ingen adgang",
            "Totrinsbekræftelse opsættes, når du logger ind første gang. Log ind og prøv igen.",
        );
    };
    match confirm(&state, &auth, &form.kode, ip).await {
        Ok(codes) => {
            auth.second_factor = SecondFactor::Done;
            if let Err(error) = start_session(&session, &auth).await {
                return plain::failed_request(super::CONFIRM_PATH, &error);
            }
            recovery_codes_page(&auth, &codes)
        }
        Err(error) => {
            let flash = FormFlash {
                form: SETUP_FORM.to_string(),
                values: Default::default(),
                errors: errors_from(&error),
            };
            if let Err(error) = crate::ssr::flash::keep(&session, &flash).await {
                return plain::failed_request(super::CONFIRM_PATH, &error);
            }
            Redirect::to(Pending::Setup.page()).into_response()
        }
    }
}

/// Check the first code and turn the factor on, with new recovery codes.
async fn confirm(
    state: &AppState,
    auth: &SessionAuth,
    input: &str,
    ip: Option<IpAddr>,
) -> Result<Vec<String>, AppError> {
    let (admin_id, email, kommunekode) = admin_of(&auth.principal)?;
    if let Some(message) = code_format_error(CodeKind::App, input) {
        return Err(AppError::field("kode", message));
    }
    let now = state.now();
    let keys = throttle_keys(email, ip);
    count_attempt(state, &keys, email, ip).await?;
    let secret = sqlx::query_scalar!(
        r#"SELECT totp_secret AS "totp_secret!" FROM admin_accounts
           WHERE id = $1 AND epoch = $2 AND NOT disabled AND totp_confirmed_at IS NULL
             AND totp_secret IS NOT NULL"#,
        admin_id,
        auth.epoch
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(secret) = secret.map(TotpSecret::from_bytes) else {
        return Err(AppError::field(
            FORM,
            "Opsætningen er ændret, efter du åbnede siden. Genindlæs siden og scan den nye kode.",
        ));
    };
    let code = totp::normalize_totp(input).unwrap_or_default();
    let Some(step) = secret.matching_step(&code, now.unix_timestamp()) else {
        record_failed_login(state, email, "forkert kode ved opsætning af totrin", ip).await?;
        return Err(AppError::field(
            "kode",
            "Koden passer ikke. Tjek at du har scannet QR-koden (eller skrevet nøglen) og skriv den kode, appen viser nu.",
        ));
    };
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let mut tx = state.pool.begin().await?;
    let confirmed = sqlx::query!(
        r#"UPDATE admin_accounts SET totp_confirmed_at = now(), totp_last_step = $3
           WHERE id = $1 AND epoch = $2 AND totp_confirmed_at IS NULL AND totp_secret = $4"#,
        admin_id,
        auth.epoch,
        step,
        secret.as_bytes()
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if confirmed != 1 {
        return Err(AppError::field(
            FORM,
            "Opsætningen er ændret, efter du åbnede siden. Genindlæs siden og scan den nye kode.",
        ));
    }
    sqlx::query!("DELETE FROM admin_recovery_codes WHERE admin_id = $1", admin_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        r#"INSERT INTO admin_recovery_codes (admin_id, code_hash)
           SELECT $1, hash FROM UNNEST($2::bytea[]) AS h(hash)"#,
        admin_id,
        &hashes
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        "totrin_oprettet",
        None,
        kommunekode,
        ip,
        serde_json::json!({ "gendannelseskoder": codes.len() }),
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;
    Ok(codes)
}

fn recovery_codes_page(auth: &SessionAuth, codes: &[String]) -> Response {
    let items: String = codes
        .iter()
        .map(|code| format!("<li><code>{}</code></li>", escape(code)))
        .collect();
    let content = format!(
        "<div class=\"alert alert-success\" role=\"status\"><p>Totrinsbekræftelse er slået til for {email}.</p></div>\
         <h2>Dine gendannelseskoder</h2>\
         <p>Mister du telefonen med godkendelsesappen, kan du logge ind med en af disse koder i stedet. \
         Hver kode virker én gang. Skriv dem ned eller gem dem et sikkert sted, fx i en adgangskodeboks. \
         De vises kun her: når du forlader siden, kan de ikke findes frem igen.</p>\
         <ul class=\"recovery-codes\" aria-label=\"Gendannelseskoder\">{items}</ul>\
         <p>Har du brugt dem alle eller mistet dem, så kontakt STIL's support, som kan nulstille din totrinsbekræftelse.</p>\
         <p><a class=\"button\" href=\"{start}\">Fortsæt</a></p>",
        email = escape(auth.principal.user_name()),
        start = auth.principal.role().start_page(),
    );
    plain::document(StatusCode::OK, "Totrinsbekræftelse er slået til", &content)
}
