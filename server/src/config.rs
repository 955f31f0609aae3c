//! Configuration from environment variables (and a `.env` file if present).
//!
//! | variable | default | meaning |
//! | --- | --- | --- |
//! | `DATABASE_URL` | (required) | PostgreSQL connection string |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | listen address |
//! | `LEPTOS_SITE_ROOT` | `target/site` | folder with the built wasm, js and css |
//! | `DATABASE_MAX_CONNECTIONS` | `10` | pool size |
//! | `DATABASE_ACQUIRE_TIMEOUT_SECS` | `2` | how long a request waits for a connection before "prøv igen" (a request may wait twice: session, then data) |
//! | `DEMO` | `false` | seed demo data and the demo accounts with their known passwords |
//! | `PUBLIC_URL` | `http://<LEPTOS_SITE_ADDR>` | the address users reach; `https://…` makes the session cookie `Secure` and `__Host-` |
//! | `SESSION_IDLE_MINUTES` | `30` | a session ends after this long without a request |
//! | `SESSION_ABSOLUTE_HOURS` | `12` | a session ends this long after log-in |
//! | `TRUST_PROXY` | `false` | `true` or a number N: the server is behind N proxies that append to `X-Forwarded-For`, and the client is the N-th address from the right (see docs/deployment.md) |
//! | `CODE_VALID_DAYS` | `90` | how long a letter's single-use code works after it was issued (the letter says until when) |
//! | `ANONYMOUS_REQUESTS_PER_MINUTE` | `120` | searches, comparisons and CSV downloads one client address may make per minute, per server process (then 429 with `Retry-After`) |
//! | `REQUEST_TIMEOUT_SECS` | `30` | a response not started by then is a logged 503 |
//! | `STALE_AFTER_DAYS` | `182` | a section neither changed nor confirmed for this long should be looked at again |
//! | `SMTP_HOST` | (unset) | the mail server reminders go through; unset, they go to the outbox table the kommune reads at `/kommune/udbakke` |
//! | `SMTP_PORT` | `587` (`465` with `SMTP_TLS=tls`, `25` with `none`) | its port |
//! | `SMTP_TLS` | `starttls` | `starttls`, `tls` (TLS from the start) or `none` (only for a relay on the same network) |
//! | `SMTP_USER`, `SMTP_PASSWORD` | (unset) | log-in at the mail server, if it needs one; the password is never logged |
//! | `MAIL_FROM` | (required with `SMTP_HOST`) | the sender, e.g. `Dagtilbudsportalen <noreply@kommune.dk>` |
//! | `MAIL_RETRY_SECS` | `60` | the first retry of a reminder the mail server did not take; each next waits twice as long (4 attempts in all) |
//! | `REPORT_OVERDUE_DAYS` | `14` | a parent's error report ("Meld en fejl") the institution has not handled in this long is shown to the kommune |
//! | `REPORTS_PER_HOUR` | `5` | error reports one address may send per hour, per server process |
//! | `LOG_FORMAT` | `text` | `text` or `json` |
//! | `RUST_LOG` | `info` | log filter |

use std::time::Duration;

use leptos::config::LeptosOptions;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    pub demo: bool,
    pub leptos: LeptosOptions,
    pub settings: app::ssr::Settings,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name} has an invalid value: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("Leptos configuration: {0}")]
    Leptos(String),
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => {
            value.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
                name,
                reason: e.to_string(),
            })
        }
        _ => Ok(default),
    }
}

fn flag(name: &'static str) -> bool {
    matches!(
        std::env::var(name)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "1" | "true" | "yes" | "on"
    )
}

/// `TRUST_PROXY`: `false` (or unset, `0`) ignores `X-Forwarded-For`; `true`
/// means one proxy; a number is how many proxies append to the header.
fn trusted_proxies() -> Result<u8, ConfigError> {
    let value = std::env::var("TRUST_PROXY")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match value.as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(0),
        "true" | "yes" | "on" => Ok(1),
        _ => value.parse().map_err(|_| ConfigError::Invalid {
            name: "TRUST_PROXY",
            reason: format!("«{value}» is neither true, false nor a number of proxies (0–255)"),
        }),
    }
}

/// `SMTP_*` and `MAIL_FROM`: the mail server, or `None` for the outbox.
fn smtp_settings() -> Result<Option<app::reminders::mailer::SmtpSettings>, ConfigError> {
    use app::reminders::mailer::{Mailer, SmtpSettings, SmtpTls};
    let Some(host) = std::env::var("SMTP_HOST").ok().filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let tls: SmtpTls = parsed("SMTP_TLS", SmtpTls::StartTls)?;
    let default_port = match tls {
        SmtpTls::None => 25,
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
    };
    let settings = SmtpSettings {
        host: host.trim().to_string(),
        port: parsed("SMTP_PORT", default_port)?,
        tls,
        user: std::env::var("SMTP_USER").ok().filter(|u| !u.is_empty()),
        password: std::env::var("SMTP_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(Into::into),
        from: std::env::var("MAIL_FROM")
            .ok()
            .filter(|f| !f.trim().is_empty())
            .ok_or(ConfigError::Missing("MAIL_FROM"))?,
    };
    // The same checks the sender makes, at start rather than at the first reminder.
    Mailer::new(Some(&settings)).map_err(|reason| ConfigError::Invalid {
        name: "SMTP_HOST/MAIL_FROM",
        reason,
    })?;
    Ok(Some(settings))
}

impl Config {
    /// Read the configuration; a `.env` file in the working directory is loaded first.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env file is the normal case.
        let _ = dotenvy::dotenv();
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let leptos = leptos_options()?;
        let public_url =
            std::env::var("PUBLIC_URL").unwrap_or_else(|_| format!("http://{}", leptos.site_addr));
        let settings = app::ssr::Settings {
            idle_timeout: Duration::from_secs(60 * parsed("SESSION_IDLE_MINUTES", 30u64)?),
            absolute_timeout: Duration::from_secs(3600 * parsed("SESSION_ABSOLUTE_HOURS", 12u64)?),
            trusted_proxies: trusted_proxies()?,
            secure_cookies: public_url.starts_with("https://"),
            public_url: public_url.trim_end_matches('/').to_string(),
            request_timeout: Duration::from_secs(parsed("REQUEST_TIMEOUT_SECS", 30u64)?),
            demo: flag("DEMO"),
            api_requests_per_minute: parsed("API_REQUESTS_PER_MINUTE", 600u32)?,
            code_valid_for: Duration::from_secs(24 * 3600 * parsed("CODE_VALID_DAYS", 90u64)?),
            anonymous_requests_per_minute: parsed("ANONYMOUS_REQUESTS_PER_MINUTE", 120u32)?,
            stale_after: Duration::from_secs(24 * 3600 * parsed("STALE_AFTER_DAYS", 182u64)?),
            mail: smtp_settings()?,
            mail_retry_after: Duration::from_secs(parsed("MAIL_RETRY_SECS", 60u64)?),
            mail_poll: Duration::from_secs(5),
            report_overdue_after: Duration::from_secs(24 * 3600 * parsed("REPORT_OVERDUE_DAYS", 14u64)?),
            reports_per_hour: parsed("REPORTS_PER_HOUR", 5u32)?,
        };
        Ok(Config {
            settings,
            database_url,
            max_connections: parsed("DATABASE_MAX_CONNECTIONS", 10)?,
            acquire_timeout: Duration::from_secs(parsed("DATABASE_ACQUIRE_TIMEOUT_SECS", 2)?),
            demo: flag("DEMO"),
            leptos,
        })
    }
}

/// Leptos' own settings (`LEPTOS_*`), with this project's output name when run outside cargo-leptos.
pub fn leptos_options() -> Result<LeptosOptions, ConfigError> {
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_none() && option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // Start-up is single-threaded here, so setting the variable races with nothing.
        std::env::set_var("LEPTOS_OUTPUT_NAME", "dagtilbud");
    }
    let options = leptos::config::get_configuration(None)
        .map_err(|e| ConfigError::Leptos(e.to_string()))?
        .leptos_options;
    Ok(options)
}
