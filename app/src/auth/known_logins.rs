//! Log-ins this process has confirmed before, checked again in one
//! batched statement per request wave (server only).

use super::session::{SessionAuth, TOUCH_INTERVAL_SECS};
use super::{Principal, Role};
use crate::error::AppError;
use crate::ssr::AppState;

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

    pub(super) fn remember(&self, id: tower_sessions::session::Id, auth: SessionAuth) {
        self.logins.insert(id, auth);
    }

    pub(super) fn forget(&self, id: tower_sessions::session::Id) {
        self.logins.invalidate(&id);
    }

    /// The remembered log-in of session `id`, if the database confirms it now.
    pub(super) async fn confirm(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::session::SecondFactor;

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
}
