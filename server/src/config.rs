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
