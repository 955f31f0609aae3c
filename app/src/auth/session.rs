//! What a session holds about a log-in, the steps a log-in still owes,
//! and checking a stored session against its account (server only).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::guard::allowed_while_pending;
use super::Principal;
use crate::error::AppError;
use crate::ssr::AppState;

/// The session key holding [`SessionAuth`]. Renamed from `auth` with the
/// second factor: a server of the version before would read a session that
/// still waits for its code as logged in (it ignores the unknown field), so
/// during a rolling update the two versions must not understand each
/// other's log-ins. Under the new key they do not: at worst a log-in made on
/// one version counts as logged out on the other.
pub const SESSION_KEY: &str = "login";
/// How often `last_seen` is written back (and with it the store's expiry refreshed).
pub(super) const TOUCH_INTERVAL_SECS: i64 = 60;

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
pub(super) const STEP_PAGES: [&str; 3] = ["/admin/totrin", "/vaelg-adgangskode", "/admin/totrin/opsaet"];

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
    pub(super) fn refusal(self) -> &'static str {
        match self {
            Pending::Code => "Skriv koden fra din godkendelsesapp først.",
            Pending::Password => "Vælg en ny adgangskode først.",
            Pending::Setup => "Opsæt totrinsbekræftelse først.",
        }
    }

    /// What a caller in this step may reach: the step's page and server
    /// functions, log-out, and what every page needs.
    pub(super) fn allows(self, path: &str) -> bool {
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

pub(crate) async fn start_session(session: &Session, auth: &SessionAuth) -> Result<(), AppError> {
    // A new id at every log-in: a session id planted before log-in is worth nothing after it.
    session.cycle_id().await.map_err(session_store_error)?;
    session
        .insert(SESSION_KEY, auth)
        .await
        .map_err(session_store_error)?;
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
