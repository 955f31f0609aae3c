//! Typed callers for the plain axum handlers: the first-line check that
//! server functions make with `context::require_*`, as an extractor. A
//! handler that takes a [`KommuneAdmin`] or a [`SupportUser`] runs only for
//! such a caller whose log-in is complete; anyone else gets the Danish 403
//! page (server only).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;

use super::session::{CurrentAuth, SessionAuth};
use super::Principal;
use crate::documents::plain;

/// A kommune administrator whose log-in is complete.
#[derive(Debug, Clone)]
pub struct KommuneAdmin {
    pub principal: Principal,
    pub admin_id: i64,
    pub kommunekode: i16,
}

/// A STIL support user whose log-in is complete.
#[derive(Debug, Clone)]
pub struct SupportUser {
    pub principal: Principal,
}

/// Anyone whose log-in is complete: an institution or an administrator. The
/// handler decides what this caller may touch.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
}

/// The guard's verdict on the request, if the log-in is complete.
fn complete(parts: &Parts) -> Option<&SessionAuth> {
    parts
        .extensions
        .get::<CurrentAuth>()
        .and_then(|auth| auth.0.as_ref())
        .filter(|auth| auth.is_complete())
}

fn forbidden(who: &str) -> Response {
    plain::page(StatusCode::FORBIDDEN, "Ingen adgang", who)
}

impl<S: Send + Sync> FromRequestParts<S> for KommuneAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match complete(parts).map(|auth| &auth.principal) {
            Some(
                principal @ Principal::Kommune {
                    admin_id,
                    kommunekode,
                    ..
                },
            ) => Ok(KommuneAdmin {
                admin_id: *admin_id,
                kommunekode: *kommunekode,
                principal: principal.clone(),
            }),
            _ => Err(forbidden(
                "Kun kommunens administratorer kan hente log-in-breve og udtræk.",
            )),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SupportUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match complete(parts).map(|auth| &auth.principal) {
            Some(principal @ Principal::Support { .. }) => Ok(SupportUser {
                principal: principal.clone(),
            }),
            _ => Err(forbidden("Kun STIL's support kan gøre dette.")),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match complete(parts) {
            Some(auth) => Ok(Caller {
                principal: auth.principal.clone(),
            }),
            None => Err(plain::page(
                StatusCode::UNAUTHORIZED,
                "Log ind først",
                "Log ind for at hente dagtilbuddets kvittering.",
            )),
        }
    }
}
