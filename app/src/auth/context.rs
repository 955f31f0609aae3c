//! The calling request, as server functions see it: its session, its
//! caller and the `require_*` checks on their first lines (server only).

use std::net::IpAddr;

use http::request::Parts;
use leptos::prelude::*;
use tower_sessions::Session;

use super::session::{ClientIp, CurrentAuth, SessionAuth};
use super::{Principal, Scope};
use crate::error::AppError;
use crate::ssr::AppState;

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub(super) fn state() -> Result<AppState, AppError> {
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

/// A kommune administrator or support: the principal and the institutions
/// the caller works on.
pub fn require_admin() -> Result<(Principal, Scope), AppError> {
    let principal = require_principal()?;
    let scope = match &principal {
        Principal::Kommune { kommunekode, .. } => Scope::Kommune(*kommunekode),
        Principal::Support { .. } => Scope::National,
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
