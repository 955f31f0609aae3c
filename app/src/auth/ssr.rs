//! Sessions, the request guard, log-in and password choice (server only).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use leptos::prelude::*;
use rand::Rng;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{throttle, Principal, Role, Secret};
use crate::audit::{self, Actor};
use crate::domain::password::{check_new_password, check_repeat};
use crate::domain::InstitutionNumber;
use crate::error::{AppError, FieldErrors};
use crate::ssr::{password, AppState};

/// The session key holding [`SessionAuth`]. Renamed from `auth` with the
/// second factor: a server of the version before would read a session that
/// still waits for its code as logged in (it ignores the unknown field), so
/// during a rolling update the two versions must not understand each
/// other's log-ins. Under the new key they do not: at worst a log-in made on
/// one version counts as logged out on the other.
pub const SESSION_KEY: &str = "login";
/// How often `last_seen` is written back (and with it the store's expiry refreshed).
const TOUCH_INTERVAL_SECS: i64 = 60;

/// What the session stores about a logged-in account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub principal: Principal,
    /// The account's epoch at log-in; a reset bumps it and so ends this session.
    pub epoch: i32,
    pub login_at: i64,
    pub last_seen: i64,
    /// Logged in with a single-use code (or a generated password): must choose a password first.
    pub pending_password: bool,
    /// Administrators: where the log-in stands with the second factor.
    /// (Sessions from before it existed were ended by its migration.)
    #[serde(default)]
    pub second_factor: SecondFactor,
}

/// Where an administrator's log-in stands with the second factor (TOTP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactor {
    /// Passed, or not asked of the role (institutions).
    #[default]
    Done,
    /// The password was right; a code from the app or a recovery code comes next.
    Code,
    /// The account has no second factor yet: it is set up before anything else.
    Setup,
}

/// A step a log-in has not yet done, in the order they come: the code, a
/// new password, the set-up of the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Code,
    Password,
    Setup,
}

/// The pages of the steps; reachable only in their own step.
const STEP_PAGES: [&str; 3] = ["/admin/totrin", "/vaelg-adgangskode", "/admin/totrin/opsaet"];

impl Pending {
    /// The page of the step.
    pub fn page(self) -> &'static str {
        match self {
            Pending::Code => "/admin/totrin",
            Pending::Password => "/vaelg-adgangskode",
            Pending::Setup => "/admin/totrin/opsaet",
        }
    }

    /// What the guard answers a request this step does not allow.
    fn refusal(self) -> &'static str {
        match self {
            Pending::Code => "Skriv koden fra din godkendelsesapp først.",
            Pending::Password => "Vælg en ny adgangskode først.",
            Pending::Setup => "Opsæt totrinsbekræftelse først.",
        }
    }

    /// What a caller in this step may reach: the step's page and server
    /// functions, log-out, and what every page needs.
    fn allows(self, path: &str) -> bool {
        use super::{ChoosePassword, SecondFactorCode, SecondFactorRecovery, SecondFactorSetup};
        use leptos::server_fn::ServerFn;
        // The server functions by their own paths, so a renamed endpoint
        // cannot fall out of the list.
        let own: &[&str] = match self {
            Pending::Code => &[self.page(), SecondFactorCode::PATH, SecondFactorRecovery::PATH],
            Pending::Password => &[self.page(), ChoosePassword::PATH],
            Pending::Setup => &[self.page(), SecondFactorSetup::PATH, super::CONFIRM_PATH],
        };
        own.contains(&path) || allowed_while_pending(path)
    }
}

impl SessionAuth {
    /// The next step this log-in must do before the product opens, if any.
    pub fn pending(&self) -> Option<Pending> {
        if self.second_factor == SecondFactor::Code {
            Some(Pending::Code)
        } else if self.pending_password {
            Some(Pending::Password)
        } else if self.second_factor == SecondFactor::Setup {
            Some(Pending::Setup)
        } else {
            None
        }
    }

    /// Every step done: the caller may use the product.
    pub fn is_complete(&self) -> bool {
        self.pending().is_none()
    }
}

/// The guard's verdict on the request, in its extensions.
#[derive(Debug, Clone)]
pub struct CurrentAuth(pub Option<SessionAuth>);

/// The caller's address (the peer, or the first `X-Forwarded-For` hop behind a trusted proxy).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The caller's session (every request has one, created lazily by tower-sessions).
pub fn session() -> Result<Session, AppError> {
    parts()
        .and_then(|p| p.extensions.get::<Session>().cloned())
        .ok_or_else(|| {
            tracing::error!("session layer missing");
            AppError::Internal
        })
}

/// The validated log-in of this request, if any (pending or not).
pub fn current() -> Option<SessionAuth> {
    parts()?.extensions.get::<CurrentAuth>()?.0.clone()
}

pub fn client_ip() -> Option<IpAddr> {
    parts()?.extensions.get::<ClientIp>()?.0
}

/// Any logged-in caller, including one who still has to choose a password.
pub fn require_session() -> Result<SessionAuth, AppError> {
    current().ok_or(AppError::Unauthenticated)
}

/// A logged-in caller who may use the product (has chosen a password and,
/// as an administrator, passed or set up the second factor).
pub fn require_principal() -> Result<Principal, AppError> {
    let auth = require_session()?;
    if !auth.is_complete() {
        return Err(AppError::Forbidden);
    }
    Ok(auth.principal)
}

/// The calling institution: (institution id, kommunekode).
pub fn require_institution() -> Result<(i64, i16), AppError> {
    match require_principal()? {
        Principal::Institution {
            institution_id,
            kommunekode,
            ..
        } => Ok((institution_id, kommunekode)),
        _ => Err(AppError::Forbidden),
    }
}

/// The calling kommune administrator: (admin id, kommunekode).
pub fn require_kommune() -> Result<(i64, i16), AppError> {
    match require_principal()? {
        Principal::Kommune {
            admin_id,
            kommunekode,
            ..
        } => Ok((admin_id, kommunekode)),
        _ => Err(AppError::Forbidden),
    }
}

/// The calling support user's admin id.
pub fn require_support() -> Result<i64, AppError> {
    match require_principal()? {
        Principal::Support { admin_id, .. } => Ok(admin_id),
        _ => Err(AppError::Forbidden),
    }
}

/// A kommune administrator or support: the principal and the kommune the
/// caller is limited to (`None` for support, who works on every kommune).
pub fn require_admin() -> Result<(Principal, Option<i16>), AppError> {
    let principal = require_principal()?;
    let scope = match &principal {
        Principal::Kommune { kommunekode, .. } => Some(*kommunekode),
        Principal::Support { .. } => None,
        Principal::Institution { .. } => return Err(AppError::Forbidden),
    };
    Ok((principal, scope))
}

/// A human name for the header.
pub async fn display_name(principal: &Principal) -> Result<String, AppError> {
    let pool = crate::ssr::pool()?;
    Ok(match principal {
        Principal::Institution {
            institution_id,
            nummer,
            ..
        } => {
            let navn = sqlx::query_scalar!("SELECT navn FROM institutions WHERE id = $1", institution_id)
                .fetch_optional(&pool)
                .await?
                .unwrap_or_default();
            format!("{navn} ({nummer})")
        }
        Principal::Kommune {
            kommunekode, email, ..
        } => {
            let navn = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
                .fetch_optional(&pool)
                .await?
                .unwrap_or_default();
            format!("{email}, {navn} Kommune")
        }
        Principal::Support { email, .. } => format!("{email}, Support"),
    })
}

// ---------------------------------------------------------------------------
// Single-use codes

/// Letters and digits that cannot be mistaken for each other when read from paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

/// A new single-use code: 12 characters (about 60 bits) from the unambiguous alphabet.
pub fn generate_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// How a code is printed in a letter: `ABCD-EFGH-JKLM`.
pub fn format_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What the user typed, as a code: uppercase, without spaces and dashes.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The last day (Danish time) a code issued now works, as printed in letters.
pub fn code_valid_until(state: &AppState) -> String {
    let until =
        state.now() + time::Duration::try_from(state.settings.code_valid_for).unwrap_or(time::Duration::ZERO);
    crate::domain::calendar::format_date(crate::institution::sections::danish_time(until).date())
}

/// Issue a new single-use code for an institution's account: the old code and
/// password stop working and every session of the account ends. Returns the code,
/// which exists nowhere else (only its hash is stored).
pub async fn issue_institution_code(
    pool: &sqlx::PgPool,
    institution_id: i64,
    actor: &Actor,
    ip: Option<IpAddr>,
) -> Result<String, AppError> {
    let active = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM institutions WHERE id = $1 AND status = 'aktiv') AS "active!""#,
        institution_id
    )
    .fetch_one(pool)
    .await?;
    if !active {
        return Err(AppError::NotFound);
    }
    let code = generate_code();
    let hash = password::hash(SecretString::from(code.clone())).await?;
    store_codes(pool, &[institution_id], &[hash], actor, ip, serde_json::json!({})).await?;
    Ok(code)
}

/// Store new code hashes for institutions, in one transaction: each account's
/// earlier code and password stop working, its epoch moves on (so its
/// sessions end), and each institution gets a `kode_udstedt` audit row.
pub async fn store_codes(
    pool: &sqlx::PgPool,
    institution_ids: &[i64],
    hashes: &[String],
    actor: &Actor,
    ip: Option<IpAddr>,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"INSERT INTO institution_accounts (institution_id, code_hash, code_issued_at)
           SELECT *, now() FROM UNNEST($1::bigint[], $2::text[])
           ON CONFLICT (institution_id) DO UPDATE
             SET code_hash = EXCLUDED.code_hash, code_issued_at = now(), password_hash = NULL,
                 epoch = institution_accounts.epoch + 1"#,
        institution_ids,
        hashes
    )
    .execute(&mut *tx)
    .await?;
    // The audit columns are those of `audit::record`.
    sqlx::query!(
        r#"INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
           SELECT $1, $2, $3, 'kode_udstedt', i.id, i.kommunekode, $4::text::inet, $5
           FROM institutions i WHERE i.id = ANY($6)"#,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
        details,
        institution_ids
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Log-in

const WRONG_INSTITUTION: &str = "Institutionsnummer eller kodeord er forkert.";
const WRONG_ADMIN: &str = "E-mail eller adgangskode er forkert.";
const CODE_EXPIRED: &str =
    "Koden i brevet er udløbet. Bed kommunen om et nyt brev med en ny kode; brevet siger, hvor længe koden virker.";
const ONE_TIME_USED: &str = "Adgangskoden, du fik udleveret, er udløbet eller allerede brugt. \
     Bed support om en ny; den virker i 72 timer og kun én gang.";
/// How long a generated administrator password works (and only once).
pub const ONE_TIME_PASSWORD_HOURS: i64 = 72;

/// Only a local path inside the role's own area is followed after log-in.
pub fn safe_next(next: Option<&str>, role: Role) -> String {
    let start = role.start_page();
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && (path == start
                    || path.starts_with(&format!("{start}/"))
                    || path.starts_with(&format!("{start}?"))) =>
        {
            path.to_string()
        }
        _ => start.to_string(),
    }
}

pub(crate) async fn start_session(session: &Session, auth: &SessionAuth) -> Result<(), AppError> {
    // A new id at every log-in: a session id planted before log-in is worth nothing after it.
    session.cycle_id().await.map_err(session_store_error)?;
    session
        .insert(SESSION_KEY, auth)
        .await
        .map_err(session_store_error)?;
    Ok(())
}

pub(crate) fn throttle_keys(user: &str, ip: Option<IpAddr>) -> (String, Option<String>) {
    (
        format!("konto:{}", user.trim().to_lowercase()),
        ip.map(|ip| format!("ip:{}", crate::ssr::client_ip::address_key(ip))),
    )
}

/// Count a log-in attempt (see [`throttle::attempt`]); one refused because
/// its keys are blocked is audited like any other refused log-in.
pub(crate) async fn count_attempt(
    state: &AppState,
    keys: &(String, Option<String>),
    user: &str,
    ip: Option<IpAddr>,
) -> Result<(), AppError> {
    let counted = throttle::attempt(&state.pool, state.now(), keys).await;
    if let Err(AppError::TooManyRequests(_)) = &counted {
        record_failed_login(state, user, "for mange forsøg", ip).await?;
    }
    counted
}

/// Audit a refused log-in. The attempt itself was already counted by
/// [`throttle::attempt`] before the secret was checked.
pub(crate) async fn record_failed_login(
    state: &AppState,
    user: &str,
    reason: &str,
    ip: Option<IpAddr>,
) -> Result<(), AppError> {
    audit::record(
        &state.pool,
        &Actor::anonymous(user),
        "log_ind_afvist",
        None,
        None,
        ip,
        serde_json::json!({ "aarsag": reason }),
    )
    .await
}

pub async fn login_institution(input: &str, kodeord: Secret, next: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let session = session()?;
    let ip = client_ip();
    let now = state.now();

    let mut errors = FieldErrors::new();
    let nummer = InstitutionNumber::parse(input)
        .map_err(|m| errors.insert("institutionsnummer".into(), m))
        .ok();
    if kodeord.expose().is_empty() {
        errors.insert(
            "kodeord".into(),
            "Skriv kodeordet. Står det ikke i brevet fra kommunen, så kontakt kommunen.".into(),
        );
    }
    let Some(nummer) = nummer.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    let keys = throttle_keys(nummer.as_str(), ip);
    count_attempt(&state, &keys, nummer.as_str(), ip).await?;

    let account = sqlx::query!(
        r#"SELECT i.id, i.kommunekode, i.status, a.password_hash AS "password_hash?", a.code_hash AS "code_hash?",
                  a.code_issued_at AS "code_issued_at?", a.disabled AS "disabled?", a.epoch AS "epoch?"
           FROM institutions i LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.nummer = $1"#,
        nummer.as_str()
    )
    .fetch_optional(&state.pool)
    .await?;

    // Exactly one hash verification per attempt, whether or not the account exists.
    let (stored, is_code) = match &account {
        Some(a) if a.password_hash.is_some() => (a.password_hash.clone(), false),
        Some(a) if a.code_hash.is_some() => (a.code_hash.clone(), true),
        _ => (None, false),
    };
    let typed = if is_code {
        normalize_code(kodeord.expose())
    } else {
        kodeord.expose().to_string()
    };
    let matched = password::verify(SecretString::from(typed), stored.clone()).await?;

    let account = match account {
        Some(a) if matched && a.status == "aktiv" && a.disabled == Some(false) => a,
        other => {
            let reason = match other {
                None => "ukendt institutionsnummer",
                Some(a) if a.status != "aktiv" => "institutionen er nedlagt",
                Some(a) if a.disabled == Some(true) => "kontoen er spærret",
                Some(_) if stored.is_none() => "ingen kode udstedt",
                Some(_) => "forkert kodeord",
            };
            record_failed_login(&state, nummer.as_str(), reason, ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_INSTITUTION));
        }
    };

    if is_code {
        let valid_for =
            time::Duration::try_from(state.settings.code_valid_for).unwrap_or(time::Duration::ZERO);
        if account
            .code_issued_at
            .is_none_or(|issued| now - issued > valid_for)
        {
            record_failed_login(&state, nummer.as_str(), "koden er udløbet", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, CODE_EXPIRED));
        }
    }

    let mut tx = state.pool.begin().await?;
    if is_code {
        // Single use: consume exactly the code that matched; a parallel log-in
        // with it gets nothing. Its hash is kept until a password is chosen,
        // which may not be the code.
        let consumed = sqlx::query!(
            "UPDATE institution_accounts SET code_hash = NULL, used_code_hash = code_hash
             WHERE institution_id = $1 AND code_hash = $2",
            account.id,
            stored
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if consumed != 1 {
            drop(tx);
            record_failed_login(&state, nummer.as_str(), "koden er allerede brugt", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_INSTITUTION));
        }
    }
    sqlx::query!(
        "UPDATE institution_accounts SET last_login_at = now() WHERE institution_id = $1",
        account.id
    )
    .execute(&mut *tx)
    .await?;
    let principal = Principal::Institution {
        institution_id: account.id,
        kommunekode: account.kommunekode,
        nummer: nummer.to_string(),
    };
    audit::record(
        &mut *tx,
        &Actor::from_principal(&principal),
        "log_ind",
        Some(account.id),
        Some(account.kommunekode),
        ip,
        serde_json::json!({ "med_engangskode": is_code }),
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;

    let stamp = now.unix_timestamp();
    let auth = SessionAuth {
        principal,
        epoch: account.epoch.unwrap_or(0),
        login_at: stamp,
        last_seen: stamp,
        pending_password: is_code,
        second_factor: SecondFactor::Done,
    };
    start_session(&session, &auth).await?;
    let target = if is_code {
        "/vaelg-adgangskode".to_string()
    } else {
        safe_next(next, Role::Institution)
    };
    leptos_axum::redirect(&target);
    Ok(())
}

pub async fn login_admin(email_input: &str, adgangskode: Secret, next: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let session = session()?;
    let ip = client_ip();
    let now = state.now();

    let email = email_input.trim().to_lowercase();
    let mut errors = FieldErrors::new();
    if email.is_empty() {
        errors.insert("email".into(), "Skriv din e-mailadresse.".into());
    } else if !validator::ValidateEmail::validate_email(&email) {
        errors.insert(
            "email".into(),
            "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.".into(),
        );
    }
    if adgangskode.expose().is_empty() {
        errors.insert("adgangskode".into(), "Skriv din adgangskode.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let keys = throttle_keys(&email, ip);
    count_attempt(&state, &keys, &email, ip).await?;

    let account = sqlx::query!(
        r#"SELECT id, role, kommunekode, password_hash, must_change_password, disabled, epoch,
                  totp_confirmed_at IS NOT NULL AS "has_factor!"
           FROM admin_accounts WHERE email = $1"#,
        email
    )
    .fetch_optional(&state.pool)
    .await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matched = password::verify(adgangskode.into_secret(), stored).await?;
    let account = match account {
        Some(a) if matched && !a.disabled => a,
        other => {
            let reason = match other {
                None => "ukendt e-mail",
                Some(a) if a.disabled => "kontoen er spærret",
                Some(_) => "forkert adgangskode",
            };
            record_failed_login(&state, &email, reason, ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_ADMIN));
        }
    };

    let principal = match (account.role.as_str(), account.kommunekode) {
        ("kommune", Some(kommunekode)) => Principal::Kommune {
            admin_id: account.id,
            kommunekode,
            email: email.clone(),
        },
        ("support", _) => Principal::Support {
            admin_id: account.id,
            email: email.clone(),
        },
        (role, _) => {
            tracing::error!(
                admin_id = account.id,
                role,
                "admin account with an impossible role"
            );
            return Err(AppError::Internal);
        }
    };
    // A generated password works once, and only until it expires: the first
    // log-in with it marks it used (before any code step), so a second
    // log-in with it, or a parallel one, fails.
    if account.must_change_password {
        let consumed = sqlx::query!(
            "UPDATE admin_accounts SET one_time_until = $2
             WHERE id = $1 AND must_change_password AND one_time_until > $2",
            account.id,
            now
        )
        .execute(&state.pool)
        .await?
        .rows_affected();
        if consumed != 1 {
            record_failed_login(&state, &email, "udleveret adgangskode udløbet eller brugt", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, ONE_TIME_USED));
        }
    }
    let stamp = now.unix_timestamp();
    let auth = SessionAuth {
        principal,
        epoch: account.epoch,
        login_at: stamp,
        last_seen: stamp,
        pending_password: account.must_change_password,
        // With a factor the code comes next; without, it is set up (after
        // the new password, if one is due) before anything else opens.
        second_factor: if account.has_factor {
            SecondFactor::Code
        } else {
            SecondFactor::Setup
        },
    };
    if account.has_factor {
        // Not logged in yet: the code comes next. The log-in is audited and
        // the throttle forgets this account's count only after the code, so
        // that a known password does not reset the count of wrong codes; this
        // attempt is taken back, since the password was right.
        throttle::refund(&state.pool, &keys).await?;
        start_session(&session, &auth).await?;
        let target = match next.filter(|n| !n.is_empty()) {
            Some(next) => format!("/admin/totrin?naeste={}", urlencoding_path(next)),
            None => "/admin/totrin".to_string(),
        };
        leptos_axum::redirect(&target);
        return Ok(());
    }

    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE admin_accounts SET last_login_at = now() WHERE id = $1",
        account.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        "log_ind",
        None,
        account.kommunekode,
        ip,
        serde_json::json!({
            "skal_vaelge_adgangskode": account.must_change_password,
            "totrin": "skal_opsaettes",
        }),
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;

    start_session(&session, &auth).await?;
    leptos_axum::redirect(auth.pending().map_or("/admin/totrin/opsaet", Pending::page));
    Ok(())
}

/// The secrets stored for the caller's account: the password hash, and the
/// hash of the one-time secret it logged in with (an institution's used letter
/// code; for an administrator who must choose, the generated password itself).
async fn stored_secrets(
    state: &AppState,
    principal: &Principal,
) -> Result<(Option<String>, Option<String>), AppError> {
    match principal {
        Principal::Institution { institution_id, .. } => {
            let row = sqlx::query!(
                "SELECT password_hash, used_code_hash FROM institution_accounts WHERE institution_id = $1",
                institution_id
            )
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
            Ok((row.password_hash, row.used_code_hash))
        }
        Principal::Kommune { admin_id, .. } | Principal::Support { admin_id, .. } => {
            let row = sqlx::query!(
                "SELECT password_hash, must_change_password FROM admin_accounts WHERE id = $1",
                admin_id
            )
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
            let one_time = row
                .must_change_password
                .then(|| row.password_hash.clone())
                .flatten();
            Ok((row.password_hash, one_time))
        }
    }
}

/// The rules every new password follows, as field errors.
fn check_new_and_repeat(principal: &Principal, new: &Secret, repeat: &Secret) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(message) = check_new_password(new.expose(), principal.user_name()) {
        errors.insert("ny_adgangskode".into(), message);
    }
    if let Err(message) = check_repeat(new.expose(), repeat.expose()) {
        errors.insert("gentag_adgangskode".into(), message);
    }
    errors
}

/// Set the caller's first own password, after logging in with a one-time
/// secret (a letter code, or a password support generated). Only such a
/// session may: anyone else changes a password with the current one
/// ([`change_password`]). The new password may not be the one-time secret,
/// which someone else has seen. Ends every other session of the account.
pub async fn choose_password(auth: SessionAuth, new: Secret, repeat: Secret) -> Result<(), AppError> {
    // The code comes before anything else, a new password too.
    if !auth.pending_password || auth.second_factor == SecondFactor::Code {
        return Err(AppError::Forbidden);
    }
    let state = state()?;
    let mut errors = check_new_and_repeat(&auth.principal, &new, &repeat);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (_, one_time) = stored_secrets(&state, &auth.principal).await?;
    let typed = match auth.principal {
        Principal::Institution { .. } => normalize_code(new.expose()),
        _ => new.expose().to_string(),
    };
    if one_time.is_some() && password::verify(SecretString::from(typed), one_time).await? {
        let what = match auth.principal {
            Principal::Institution { .. } => "engangskoden fra brevet",
            _ => "den adgangskode, du fik udleveret",
        };
        errors.insert(
            "ny_adgangskode".into(),
            format!("Den nye adgangskode må ikke være {what}: den har andre set. Vælg jeres egen."),
        );
        return Err(AppError::Validation(errors));
    }
    let hash = password::hash(new.into_secret()).await?;
    store_new_password(&state, auth, hash, "adgangskode_valgt").await?;
    Ok(())
}

/// Change the caller's password with the current one. Throttled like a
/// log-in, since it tells whether a password is right. Ends every other
/// session of the account; this one continues.
pub async fn change_password(
    auth: SessionAuth,
    current: Secret,
    new: Secret,
    repeat: Secret,
) -> Result<(), AppError> {
    if !auth.is_complete() {
        return Err(AppError::Forbidden);
    }
    let state = state()?;
    let ip = client_ip();
    let mut errors = check_new_and_repeat(&auth.principal, &new, &repeat);
    if current.expose().is_empty() {
        errors.insert(
            "nuvaerende_adgangskode".into(),
            "Skriv den adgangskode, du bruger nu.".into(),
        );
    } else if current.expose() == new.expose() && !errors.contains_key("ny_adgangskode") {
        errors.insert(
            "ny_adgangskode".into(),
            "Den nye adgangskode skal være en anden end den, du bruger nu.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let keys = throttle_keys(auth.principal.user_name(), ip);
    count_attempt(&state, &keys, auth.principal.user_name(), ip).await?;
    let (stored, _) = stored_secrets(&state, &auth.principal).await?;
    if !password::verify(current.into_secret(), stored).await? {
        record_failed_login(
            &state,
            auth.principal.user_name(),
            "forkert nuværende adgangskode",
            ip,
        )
        .await?;
        return Err(AppError::field(
            "nuvaerende_adgangskode",
            "Den nuværende adgangskode er forkert. Skriv den, du loggede ind med.",
        ));
    }
    throttle::succeeded(&state.pool, &keys).await?;
    let hash = password::hash(new.into_secret()).await?;
    store_new_password(&state, auth, hash, "adgangskode_skiftet").await?;
    Ok(())
}

/// Store the caller's new password hash: every earlier secret of the account
/// stops working, its epoch moves on (every other session ends), and this
/// session continues with a new id and the new epoch.
async fn store_new_password(
    state: &AppState,
    mut auth: SessionAuth,
    hash: String,
    action: &str,
) -> Result<(), AppError> {
    let session = session()?;
    let mut tx = state.pool.begin().await?;
    let (epoch, institution_id, kommunekode) = match &auth.principal {
        Principal::Institution {
            institution_id,
            kommunekode,
            ..
        } => {
            let epoch = sqlx::query_scalar!(
                r#"UPDATE institution_accounts
                   SET password_hash = $2, code_hash = NULL, used_code_hash = NULL, epoch = epoch + 1
                   WHERE institution_id = $1 AND epoch = $3 RETURNING epoch"#,
                institution_id,
                hash,
                auth.epoch
            )
            .fetch_optional(&mut *tx)
            .await?;
            (epoch, Some(*institution_id), Some(*kommunekode))
        }
        Principal::Kommune { admin_id, .. } | Principal::Support { admin_id, .. } => {
            let epoch = sqlx::query_scalar!(
                r#"UPDATE admin_accounts
                   SET password_hash = $2, must_change_password = false, one_time_until = NULL, epoch = epoch + 1
                   WHERE id = $1 AND epoch = $3 RETURNING epoch"#,
                admin_id,
                hash,
                auth.epoch
            )
            .fetch_optional(&mut *tx)
            .await?;
            let kommunekode = match &auth.principal {
                Principal::Kommune { kommunekode, .. } => Some(*kommunekode),
                _ => None,
            };
            (epoch, None, kommunekode)
        }
    };
    // The account was reset while this session chose: the session is no longer valid.
    let epoch = epoch.ok_or(AppError::Unauthenticated)?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        action,
        institution_id,
        kommunekode,
        client_ip(),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;

    let changed = !auth.pending_password;
    auth.epoch = epoch;
    auth.pending_password = false;
    start_session(&session, &auth).await?;
    let target = match auth.pending() {
        _ if changed => "/skift-adgangskode?skiftet=1",
        Some(step) => step.page(),
        None => auth.principal.role().start_page(),
    };
    leptos_axum::redirect(target);
    Ok(())
}

pub async fn logout() -> Result<(), AppError> {
    let session = session()?;
    if let Some(auth) = current() {
        let state = state()?;
        let (institution_id, kommunekode) = match &auth.principal {
            Principal::Institution {
                institution_id,
                kommunekode,
                ..
            } => (Some(*institution_id), Some(*kommunekode)),
            Principal::Kommune { kommunekode, .. } => (None, Some(*kommunekode)),
            Principal::Support { .. } => (None, None),
        };
        audit::record(
            &state.pool,
            &Actor::from_principal(&auth.principal),
            "log_ud",
            institution_id,
            kommunekode,
            client_ip(),
            serde_json::json!({}),
        )
        .await?;
    }
    // Deletes the session server-side and expires the cookie.
    session.flush().await.map_err(session_store_error)?;
    leptos_axum::redirect("/?logget-ud=1");
    Ok(())
}

// ---------------------------------------------------------------------------
// The request guard

/// The session store is PostgreSQL: when it cannot be reached, the answer is
/// "prøv igen om lidt" (503) like any request without the database.
pub fn session_store_error(error: tower_sessions::session::Error) -> AppError {
    match error {
        tower_sessions::session::Error::Store(store) => {
            tracing::warn!(error = %store, "session store unavailable");
            AppError::Unavailable
        }
        other => AppError::internal("session", &other),
    }
}

/// Check the session of a request: timeouts, and that the account still has the
/// epoch it had at log-in and may still log in. Invalid sessions are flushed.
///
/// A log-in this process has seen before is confirmed with one statement (see
/// [`KnownLogins`]); anything that statement does not confirm takes the full
/// path below, which alone decides to end a session.
pub async fn resolve(state: &AppState, session: &Session) -> Result<Option<SessionAuth>, AppError> {
    let id = session.id();
    if let Some(id) = id {
        if let Some(auth) = state.known_logins.confirm(state, id).await? {
            return Ok(Some(auth));
        }
    }
    let auth = resolve_from_store(state, session).await?;
    // The id is read again: it is the one the session has after the checks.
    match (session.id(), &auth) {
        (Some(now), Some(auth)) if Some(now) == id => state.known_logins.remember(now, auth.clone()),
        _ => {
            if let Some(id) = id {
                state.known_logins.forget(id);
            }
        }
    }
    Ok(auth)
}

async fn resolve_from_store(state: &AppState, session: &Session) -> Result<Option<SessionAuth>, AppError> {
    let Some(mut auth) = session
        .get::<SessionAuth>(SESSION_KEY)
        .await
        .map_err(session_store_error)?
    else {
        return Ok(None);
    };
    let now = state.now().unix_timestamp();
    let idle = state.settings.idle_timeout.as_secs() as i64;
    let absolute = state.settings.absolute_timeout.as_secs() as i64;
    let expired = now - auth.last_seen > idle || now - auth.login_at > absolute;

    let still_valid = !expired && account_epoch(state, &auth.principal).await? == Some(auth.epoch);
    if !still_valid {
        session.flush().await.map_err(session_store_error)?;
        return Ok(None);
    }
    if now - auth.last_seen >= TOUCH_INTERVAL_SECS {
        auth.last_seen = now;
        session
            .insert(SESSION_KEY, &auth)
            .await
            .map_err(session_store_error)?;
    }
    Ok(Some(auth))
}

/// The epoch of an account that may log in, or `None` (disabled, closed, gone).
async fn account_epoch(state: &AppState, principal: &Principal) -> Result<Option<i32>, AppError> {
    Ok(match principal {
        Principal::Institution { institution_id, .. } => {
            sqlx::query_scalar!(
                r#"SELECT a.epoch FROM institution_accounts a JOIN institutions i ON i.id = a.institution_id
                   WHERE a.institution_id = $1 AND NOT a.disabled AND i.status = 'aktiv'"#,
                institution_id
            )
            .fetch_optional(&state.pool)
            .await?
        }
        Principal::Kommune {
            admin_id,
            kommunekode,
            ..
        } => {
            sqlx::query_scalar!(
                r#"SELECT epoch FROM admin_accounts
                   WHERE id = $1 AND NOT disabled AND role = 'kommune' AND kommunekode = $2"#,
                admin_id,
                kommunekode
            )
            .fetch_optional(&state.pool)
            .await?
        }
        Principal::Support { admin_id, .. } => {
            sqlx::query_scalar!(
                r#"SELECT epoch FROM admin_accounts WHERE id = $1 AND NOT disabled AND role = 'support'"#,
                admin_id
            )
            .fetch_optional(&state.pool)
            .await?
        }
    })
}

/// A remembered log-in to confirm: its session is still stored and
/// unexpired, and its account may still log in and has the log-in's epoch.
#[derive(Debug)]
pub struct LoginCheck {
    session_id: SessionIdText,
    role: Role,
    account_id: i64,
    /// A kommune administrator's kommune.
    kommunekode: Option<i16>,
    epoch: i32,
}

/// A session id as the store keeps it. Never printed: it is the key to a
/// log-in.
struct SessionIdText(String);

impl std::fmt::Debug for SessionIdText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[session id]")
    }
}

impl LoginCheck {
    fn new(id: tower_sessions::session::Id, auth: &SessionAuth) -> Self {
        let (account_id, kommunekode) = match &auth.principal {
            Principal::Institution { institution_id, .. } => (*institution_id, None),
            Principal::Kommune {
                admin_id,
                kommunekode,
                ..
            } => (*admin_id, Some(*kommunekode)),
            Principal::Support { admin_id, .. } => (*admin_id, None),
        };
        LoginCheck {
            session_id: SessionIdText(id.to_string()),
            role: auth.principal.role(),
            account_id,
            kommunekode,
            epoch: auth.epoch,
        }
    }
}

/// Log-in confirmations, many in one statement (see [`crate::ssr::batch`]):
/// every logged-in request asks one, so under load they are most of the
/// statements the server sends. The conditions are those of
/// [`account_epoch`] plus the session store's own (`expiry_date > now()`).
pub struct LoginChecks;

impl crate::ssr::batch::BatchKind for LoginChecks {
    type Item = LoginCheck;
    type Output = bool;
    const NAME: &'static str = "log-in checks";

    fn key(check: &LoginCheck) -> u64 {
        use std::hash::{BuildHasher, RandomState};
        static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
        KEYS.get_or_init(RandomState::new).hash_one(&check.session_id.0)
    }

    async fn run(pool: &sqlx::PgPool, checks: &[LoginCheck]) -> Result<Vec<bool>, sqlx::Error> {
        let sessions: Vec<&str> = checks.iter().map(|c| c.session_id.0.as_str()).collect();
        let roles: Vec<&str> = checks.iter().map(|c| c.role.as_str()).collect();
        let accounts: Vec<i64> = checks.iter().map(|c| c.account_id).collect();
        let kommuner: Vec<Option<i16>> = checks.iter().map(|c| c.kommunekode).collect();
        let epochs: Vec<i32> = checks.iter().map(|c| c.epoch).collect();
        let confirmed = sqlx::query_scalar!(
            // Each item is looked up by its keys (LATERAL with LIMIT 1): left
            // to itself, the planner answered a few items by hashing every
            // active account and every live session.
            r#"SELECT c.n AS "n!"
               FROM unnest($1::text[], $2::text[], $3::bigint[], $4::smallint[], $5::integer[])
                 WITH ORDINALITY AS c(session_id, role, account_id, kommunekode, epoch, n)
               CROSS JOIN LATERAL (
                 SELECT 1 FROM tower_sessions.session s
                 WHERE s.id = c.session_id AND s.expiry_date > now() LIMIT 1) live
               CROSS JOIN LATERAL (
                 SELECT 1 FROM institution_accounts a JOIN institutions i ON i.id = a.institution_id
                 WHERE c.role = 'institution' AND a.institution_id = c.account_id AND NOT a.disabled
                   AND i.status = 'aktiv' AND a.epoch = c.epoch
                 UNION ALL
                 SELECT 1 FROM admin_accounts a
                 WHERE c.role <> 'institution' AND a.id = c.account_id AND NOT a.disabled
                   AND a.role = c.role AND a.epoch = c.epoch
                   AND (c.role = 'support' OR a.kommunekode = c.kommunekode)
                 LIMIT 1) account"#,
            &sessions as &[&str],
            &roles as &[&str],
            &accounts,
            &kommuner as &[Option<i16>],
            &epochs,
        )
        .fetch_all(pool)
        .await?;
        Ok(crate::ssr::batch::by_ordinality(
            checks.len(),
            false,
            confirmed.into_iter().map(|n| (n, true)),
        ))
    }
}

/// Log-ins this process has checked, by session id, so that the guard can
/// confirm a known one with one statement (the session is still stored and
/// unexpired, and the account still has the log-in's epoch) instead of loading
/// and decoding the session and then reading the epoch: one round trip to
/// PostgreSQL fewer on every logged-in request, and the confirmations of
/// requests that arrive together share one statement ([`LoginChecks`]).
///
/// Never trusted on its own. An entry is used only when the database confirms
/// it in the same request, and what it holds cannot change under the same
/// session id except `last_seen`: every log-in and password choice takes a new
/// id ([`start_session`]), and everything that ends a log-in deletes the
/// session (log-out, expiry) or moves the account's epoch (reset, disabling,
/// closing, moving an administrator), on any server. An entry whose
/// `last_seen` is due to be written back, or whose session is near a limit,
/// is passed to the full path, which decides and writes.
pub struct KnownLogins {
    logins: moka::sync::Cache<tower_sessions::session::Id, SessionAuth>,
}

/// Only the count: the keys are session ids, which must never reach a log
/// (moka's own `Debug` lists every entry).
impl std::fmt::Debug for KnownLogins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnownLogins")
            .field("entries", &self.logins.entry_count())
            .finish()
    }
}

impl KnownLogins {
    pub fn new(idle_timeout: std::time::Duration) -> Self {
        KnownLogins {
            logins: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(idle_timeout)
                .build(),
        }
    }

    fn remember(&self, id: tower_sessions::session::Id, auth: SessionAuth) {
        self.logins.insert(id, auth);
    }

    fn forget(&self, id: tower_sessions::session::Id) {
        self.logins.invalidate(&id);
    }

    /// The remembered log-in of session `id`, if the database confirms it now.
    async fn confirm(
        &self,
        state: &AppState,
        id: tower_sessions::session::Id,
    ) -> Result<Option<SessionAuth>, AppError> {
        let Some(auth) = self.logins.get(&id) else {
            return Ok(None);
        };
        let now = state.now().unix_timestamp();
        let absolute = state.settings.absolute_timeout.as_secs() as i64;
        // The touch interval is far below the idle timeout, so a remembered
        // `last_seen` that is not yet due cannot be idle-expired.
        if now - auth.last_seen >= TOUCH_INTERVAL_SECS || now - auth.login_at > absolute {
            return Ok(None);
        }
        if state.login_checks.call(LoginCheck::new(id, &auth)).await? {
            Ok(Some(auth))
        } else {
            self.forget(id);
            Ok(None)
        }
    }
}

/// Which role a protected page area belongs to.
fn area_of(path: &str) -> Option<Role> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/indberetning") {
        Some(Role::Institution)
    } else if under("/kommune") {
        Some(Role::Kommune)
    } else if under("/support") {
        Some(Role::Support)
    } else {
        None
    }
}

/// What a caller with a step still to do may reach besides the step's own pages.
fn allowed_while_pending(path: &str) -> bool {
    use super::{CurrentViewer, Logout, TakeFormFlash};
    use leptos::server_fn::ServerFn;
    [Logout::PATH, CurrentViewer::PATH, TakeFormFlash::PATH].contains(&path)
        || matches!(
            path,
            "/healthz" | "/readyz" | "/favicon.svg" | "/tilgaengelighed" | "/cookies"
        )
        || path.starts_with("/pkg/")
}

fn client_address(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
    crate::ssr::client_ip::client_address(state.settings.trusted_proxies, headers, peer)
}

/// A state-changing request from another site (CSRF) is refused. Browsers send
/// `Sec-Fetch-Site` and `Origin` on every POST; clients without them are not
/// browsers and carry no ambient cookies of a victim.
fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split("://").nth(1).unwrap_or_default();
        return origin == "null" || origin_host != host;
    }
    false
}

/// Runs before every route: client address, CSRF, session validity, and the
/// role of the protected page areas.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let ip = client_address(&state, request.headers(), peer);
    request.extensions_mut().insert(ClientIp(ip));

    let method = request.method().clone();
    let path = request.uri().path().to_string();
    if crate::ssr::budget::is_costly(&method, &path, request.uri().query()) {
        let key = ip.map_or_else(|| "ukendt".to_string(), crate::ssr::client_ip::address_key);
        if let Err(refused) = crate::ssr::budget::take(&state.address_limiter, &key, &path) {
            return *refused;
        }
    }
    if cross_site(&method, request.headers()) {
        tracing::warn!(%path, ?ip, "cross-site request refused");
        audit::refused(
            &state.pool,
            None,
            ip,
            "anmodning fra et andet websted",
            serde_json::json!({ "sti": path }),
        )
        .await;
        return crate::ssr::plain::page(
            StatusCode::FORBIDDEN,
            "Handlingen blev afvist",
            "Formularen blev sendt fra et andet websted, så vi har afvist den for at beskytte dig. Gå til siden og prøv igen.",
        );
    }

    let auth = match request.extensions().get::<Session>().cloned() {
        Some(session) => match resolve(&state, &session).await {
            Ok(auth) => auth,
            Err(error) => return crate::ssr::plain::failed_request(&path, &error),
        },
        None => None,
    };
    request.extensions_mut().insert(CurrentAuth(auth.clone()));

    let full_path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or(path.clone());

    if let Some(auth) = &auth {
        match auth.pending() {
            Some(step) if !step.allows(&path) => {
                return if method == Method::GET && !path.starts_with("/api/") {
                    Redirect::to(step.page()).into_response()
                } else {
                    (StatusCode::FORBIDDEN, step.refusal()).into_response()
                };
            }
            None if STEP_PAGES.contains(&path.as_str()) => {
                return Redirect::to(auth.principal.role().start_page()).into_response();
            }
            _ => {}
        }
    } else if path == "/vaelg-adgangskode" {
        return Redirect::to("/log-ind").into_response();
    } else if STEP_PAGES.contains(&path.as_str()) {
        return Redirect::to("/admin/log-ind").into_response();
    }

    if let Some(area) = area_of(&path) {
        match &auth {
            None => {
                let target = format!("{}?naeste={}", area.login_page(), urlencoding_path(&full_path));
                return Redirect::to(&target).into_response();
            }
            Some(auth) if auth.principal.role() != area => {
                audit::refused(
                    &state.pool,
                    Some(&auth.principal),
                    ip,
                    "en anden rolles side",
                    serde_json::json!({ "sti": path }),
                )
                .await;
                return crate::ssr::plain::page(
                    StatusCode::FORBIDDEN,
                    "Ingen adgang",
                    "Du er logget ind med en konto, der ikke har adgang til denne side.",
                );
            }
            Some(_) => {}
        }
    }
    // Pages and data for a logged-in user (often on a shared institution
    // computer) are never kept by the browser or anything between; the
    // build's scripts, styles and images are the same for everyone.
    let personal =
        auth.is_some() && !path.starts_with("/pkg/") && !path.ends_with(".css") && !path.ends_with(".svg");
    let mut response = next.run(request).await;
    if personal {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Percent-encode a local path for a query parameter.
fn urlencoding_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_log_ins_never_show_their_session_ids() {
        let known = KnownLogins::new(std::time::Duration::from_secs(60));
        let id = tower_sessions::session::Id::default();
        known.remember(
            id,
            SessionAuth {
                principal: Principal::Institution {
                    institution_id: 1,
                    kommunekode: 746,
                    nummer: "T10001".into(),
                },
                epoch: 0,
                login_at: 0,
                last_seen: 0,
                pending_password: false,
                second_factor: SecondFactor::Done,
            },
        );
        assert!(known.logins.get(&id).is_some());
        let shown = format!("{known:?}");
        assert!(!shown.contains(&id.to_string()), "{shown}");
        assert!(!shown.contains(&id.0.to_string()), "{shown}");
        assert!(!shown.contains("T10001"), "{shown}");
    }

    #[test]
    fn each_pending_step_reaches_only_its_own_pages() {
        assert!(Pending::Code.allows("/admin/totrin"));
        assert!(Pending::Code.allows("/api/fn/admin_totrin"));
        assert!(Pending::Code.allows("/api/fn/admin_gendannelseskode"));
        assert!(!Pending::Code.allows("/admin/totrin/opsaet"));
        assert!(!Pending::Code.allows("/admin/totrin/bekraeft"));
        assert!(!Pending::Code.allows("/vaelg-adgangskode"));
        assert!(!Pending::Code.allows("/api/fn/vaelg_adgangskode"));
        assert!(Pending::Password.allows("/api/fn/vaelg_adgangskode"));
        assert!(!Pending::Password.allows("/admin/totrin/opsaet"));
        assert!(!Pending::Password.allows("/api/fn/admin_totrin"));
        assert!(Pending::Setup.allows("/admin/totrin/opsaet"));
        assert!(Pending::Setup.allows("/api/fn/totrin_opsaetning"));
        assert!(Pending::Setup.allows("/admin/totrin/bekraeft"));
        assert!(!Pending::Setup.allows("/api/fn/admin_totrin"));
        for step in [Pending::Code, Pending::Password, Pending::Setup] {
            assert!(step.allows("/api/fn/log_ud"));
            assert!(step.allows("/pkg/dagtilbud.js"));
            for closed in [
                "/kommune",
                "/support",
                "/indberetning",
                "/api/fn/kommune_oversigt",
                "/support/konti/1/adgangskode",
            ] {
                assert!(!step.allows(closed), "{step:?} {closed}");
            }
        }
    }

    #[test]
    fn the_code_comes_first_and_the_set_up_last() {
        let auth = |pending_password, second_factor| SessionAuth {
            principal: Principal::Support {
                admin_id: 1,
                email: "s@stil.example".into(),
            },
            epoch: 0,
            login_at: 0,
            last_seen: 0,
            pending_password,
            second_factor,
        };
        assert_eq!(auth(true, SecondFactor::Code).pending(), Some(Pending::Code));
        assert_eq!(auth(true, SecondFactor::Done).pending(), Some(Pending::Password));
        assert_eq!(auth(true, SecondFactor::Setup).pending(), Some(Pending::Password));
        assert_eq!(auth(false, SecondFactor::Setup).pending(), Some(Pending::Setup));
        assert_eq!(auth(false, SecondFactor::Done).pending(), None);
        assert!(auth(false, SecondFactor::Done).is_complete());
        assert!(!auth(false, SecondFactor::Code).is_complete());
    }

    #[test]
    fn codes_are_unambiguous_and_normalise() {
        let code = generate_code();
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let printed = format_code(&code);
        assert_eq!(printed.len(), 14);
        assert_eq!(normalize_code(&printed.to_lowercase()), code);
        assert_eq!(normalize_code(" abcd efgh-jkmn "), "ABCDEFGHJKMN");
        assert_ne!(generate_code(), generate_code());
    }

    #[test]
    fn next_page_stays_inside_the_role_area() {
        assert_eq!(
            safe_next(Some("/indberetning/profil"), Role::Institution),
            "/indberetning/profil"
        );
        assert_eq!(
            safe_next(Some("//evil.example/"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(
            safe_next(Some("https://evil.example/"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(safe_next(Some("/kommune"), Role::Institution), "/indberetning");
        assert_eq!(
            safe_next(Some("/indberetningfoo"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(safe_next(Some("/support/konti"), Role::Support), "/support/konti");
        assert_eq!(safe_next(None, Role::Kommune), "/kommune");
    }

    #[test]
    fn cross_site_posts_are_detected() {
        let mut headers = HeaderMap::new();
        assert!(
            !cross_site(&Method::POST, &headers),
            "no browser headers: not a browser"
        );
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(!cross_site(&Method::POST, &headers));
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&Method::POST, &headers));
        assert!(
            !cross_site(&Method::GET, &headers),
            "links from other sites are fine"
        );
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        headers.insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
        assert!(!cross_site(&Method::POST, &headers));
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(cross_site(&Method::POST, &headers));
    }

    #[test]
    fn areas() {
        assert_eq!(area_of("/indberetning"), Some(Role::Institution));
        assert_eq!(area_of("/indberetning/profil"), Some(Role::Institution));
        assert_eq!(area_of("/kommune/breve"), Some(Role::Kommune));
        assert_eq!(area_of("/kommuner/101"), None);
        assert_eq!(area_of("/support"), Some(Role::Support));
        assert_eq!(area_of("/"), None);
    }
}
