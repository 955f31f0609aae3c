//! Server-only code: shared state, database access, plain pages and form flashes.

pub mod batch;
pub mod budget;
pub mod client_ip;
pub mod csp;
pub mod flash;
pub mod password;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::AppError;

/// Session and request settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A session ends this long after log-in, however active.
    pub absolute_timeout: Duration,
    /// How many proxies in front of the server append to `X-Forwarded-For`
    /// (0: the header is ignored). See [`client_ip::client_address`].
    pub trusted_proxies: u8,
    /// Served over https: the cookie gets `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Where people reach the service, as printed in log-in letters.
    pub public_url: String,
    /// A request that has not produced its response by then is answered with
    /// 503 and logged, so that nothing waits forever on a stuck render or query.
    pub request_timeout: Duration,
    /// Demo mode: the register, the reports and every figure are invented,
    /// and every page says so (`components::layout`). The kommune page also
    /// labels the figures computed from the demo institutions; imported key
    /// figures carry their own `opdigtet` label.
    pub demo: bool,
    /// Requests a kommune system may make per minute with one API key (per server process).
    pub api_requests_per_minute: u32,
    /// How long a letter's single-use code works after it was issued.
    pub code_valid_for: Duration,
    /// Costly public requests (search, the CSV) one address may make per
    /// minute (per server process); see [`budget`].
    pub anonymous_requests_per_minute: u32,
    /// A section neither changed nor confirmed for this long counts as
    /// stale: its institution and kommune are asked to look at it again.
    pub stale_after: Duration,
    /// The mail server reminders go through; `None` puts them in the outbox table.
    pub mail: Option<crate::reminders::mailer::SmtpSettings>,
    /// How long the first retry of a reminder waits; each next one waits twice as long.
    pub mail_retry_after: Duration,
    /// How often a server looks for reminders made by another server, and retries.
    pub mail_poll: Duration,
    /// An error report ("Meld en fejl") left open this long is shown to the kommune.
    pub report_overdue_after: Duration,
    /// Error reports one address may send per hour (per server process).
    pub reports_per_hour: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            trusted_proxies: 0,
            secure_cookies: false,
            public_url: "http://localhost:3000".into(),
            request_timeout: Duration::from_secs(30),
            demo: false,
            api_requests_per_minute: 600,
            code_valid_for: Duration::from_secs(90 * 24 * 3600),
            anonymous_requests_per_minute: 120,
            stale_after: Duration::from_secs(182 * 24 * 3600),
            mail: None,
            mail_retry_after: Duration::from_secs(60),
            mail_poll: Duration::from_secs(5),
            report_overdue_after: Duration::from_secs(14 * 24 * 3600),
            reports_per_hour: 5,
        }
    }
}

/// The time, with an offset that tests can move forward (idle and absolute expiry, throttling).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Move this clock (and every state sharing it) forward.
    pub fn advance(&self, by: Duration) {
        self.offset_secs.fetch_add(by.as_secs() as i64, Ordering::Relaxed);
    }
}

/// What every request handler and server function can reach. Cloned for every
/// request by each layer that takes it (the guard, the Leptos handlers, the
/// context), so a clone is one shared count, not one per field.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`]; reached through it (`state.pool`).
#[derive(Debug)]
pub struct Shared {
    pub pool: PgPool,
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    /// Log-in letter jobs of this process (see `documents::jobs`).
    pub letter_jobs: Arc<crate::documents::jobs::LetterJobs>,
    /// Rendered public institution pages (see `published::cache`).
    pub page_cache: Arc<crate::published::cache::PageCache>,
    /// Section rows this process last saw (see `workspace::db`).
    pub known_sections: Arc<crate::workspace::db::KnownSections>,
    /// The kommune API's request budget per key (see `kommune::api`).
    pub api_limiter: Arc<crate::api::keys::KeyLimiter>,
    /// The costly public requests' budget per address (see [`budget`]).
    pub address_limiter: Arc<budget::AddressLimiter>,
    /// Log-ins this process has checked (see `auth::ssr`).
    pub known_logins: crate::auth::known_logins::KnownLogins,
    /// Confirmations of remembered log-ins, batched (see `auth::ssr`).
    pub login_checks: batch::Batcher<crate::auth::known_logins::LoginChecks>,
    /// Section saves, batched (see `workspace::db`).
    pub section_writes: Arc<batch::Batcher<crate::workspace::db::SectionWrites>>,
    /// Wakes this process's reminder sender when a job is made (see `reminders::worker`).
    pub reminder_wake: Arc<tokio::sync::Notify>,
    /// The figures plausibility warnings compare with (see `workspace::norms`).
    pub norms: crate::workspace::norms::NormsCache,
    /// Error reports' budget per address (see `feedback`).
    pub report_limiter: budget::AddressLimiter,
}

impl AppState {
    pub fn new(pool: PgPool, leptos_options: LeptosOptions, settings: Settings) -> Self {
        AppState(Arc::new(Shared {
            login_checks: batch::Batcher::new(pool.clone()),
            section_writes: Arc::new(batch::Batcher::new(pool.clone())),
            pool,
            leptos_options,
            api_limiter: Arc::new(crate::api::keys::limiter(settings.api_requests_per_minute)),
            address_limiter: Arc::new(budget::limiter(settings.anonymous_requests_per_minute)),
            report_limiter: budget::limiter_per_hour(settings.reports_per_hour),
            known_logins: crate::auth::known_logins::KnownLogins::new(settings.idle_timeout),
            settings: Arc::new(settings),
            clock: Clock::default(),
            letter_jobs: Arc::default(),
            page_cache: Arc::default(),
            known_sections: Arc::default(),
            reminder_wake: Arc::default(),
            norms: Default::default(),
        }))
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Drop the public page of institution `nummer` in this process at once (other
/// processes hear of the change from PostgreSQL's trigger on institutions).
pub fn public_page_changed(nummer: &str) {
    with_context(|state: &AppState| state.page_cache.invalidate(nummer));
}

/// The running server's state (from the Leptos context).
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Today's date in Denmark (the server's clock; tests can move it).
pub fn today() -> Result<time::Date, AppError> {
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    Ok(crate::domain::calendar::danish_time(state.now()).date())
}

/// The database pool of the running server.
pub fn pool() -> Result<PgPool, AppError> {
    with_context(|state: &AppState| state.pool.clone()).ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
