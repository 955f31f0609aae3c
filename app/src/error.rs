//! The one error type of every server function.
//!
//! Internal causes are logged on the server where they happen and reach the
//! browser only as a generic Danish message (see `AppError::internal`).

use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use leptos::server_fn::codec::JsonEncoding;
#[cfg(feature = "ssr")]
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Field name → Danish message telling what is wrong and how to fix it.
pub type FieldErrors = BTreeMap<String, String>;

/// The message of a text of `chars` characters over its limit `max`.
pub fn too_long(max: usize, chars: usize) -> String {
    format!(
        "Teksten må højst være {max} tegn. Forkort den med {} tegn.",
        chars - max
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Du skal logge ind for at se denne side.")]
    Unauthenticated,
    #[error("Du har ikke adgang til dette.")]
    Forbidden,
    #[error("Det, du leder efter, findes ikke.")]
    NotFound,
    #[error("Der er fejl i formularen.")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    /// Someone saved the same section after this form was opened.
    #[error("{message}")]
    StaleVersion { message: String, current_version: i32 },
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.")]
    Unavailable,
    #[error("Der skete en fejl hos os. Prøv igen om lidt.")]
    Internal,
}

impl AppError {
    /// One field error.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(name.to_string(), message.into());
        AppError::Validation(errors)
    }

    /// The HTTP status a plain (non-JavaScript) request gets for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::StaleVersion { .. } => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }
}

#[cfg(feature = "ssr")]
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed input from the client is its own fault, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => AppError::field(
                "form",
                "Formularen kunne ikke læses. Genindlæs siden og prøv igen.",
            ),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }

    /// The error as a server function answers it. On the server this is also
    /// where the answer gets the error's status (server functions answer
    /// errors with 500 unless told otherwise), unless a plain form post is
    /// being sent back to its page.
    fn ser(&self) -> leptos::server_fn::Bytes {
        self.set_answer_status();
        serde_json::to_vec(self)
            .map(Into::into)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#""Internal""#))
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The status as an HTTP type.
    pub fn status(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Give the server function's answer this error's status, unless the
    /// answer already has one (a plain form post sent back with 303, see
    /// `ssr::flash::finish`) or will be a redirect to the form's page.
    fn set_answer_status(&self) {
        use leptos::prelude::use_context;
        let Some(options) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        // leptos_axum sends a plain form post with a Referer back there (302).
        let sent_back = crate::ssr::flash::is_plain_form_post()
            && use_context::<axum::http::request::Parts>()
                .is_some_and(|request| request.headers.contains_key(axum::http::header::REFERER));
        let mut parts = options.0.write().unwrap_or_else(|e| e.into_inner());
        if parts.status.is_none() && !sent_back {
            parts.status = Some(self.status());
        }
    }
}

/// The error as JSON with its status: how a server function answers, and how
/// a request to one that fails before reaching it is answered.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = self.status();
        (status, axum::Json(self)).into_response()
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Log an internal failure with its whole cause chain and hide it from the user.
    pub fn internal(context: &str, error: &(dyn std::error::Error + 'static)) -> Self {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(context, error = %chain, "internal error");
        AppError::Internal
    }
}

/// The database cannot be reached or is shutting down, restarting or out of
/// connections (57P01-57P03, class 08, 53300): it is away for now, and the
/// user is told to try again in a moment.
#[cfg(feature = "ssr")]
pub fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("57P") || c.starts_with("08") || c == "53300"),
        _ => false,
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if database_unavailable(&error) {
            tracing::warn!(error = %error, "database unavailable");
            return AppError::Unavailable;
        }
        match error {
            // Text PostgreSQL cannot store (a NUL character, an unpaired
            // surrogate in JSON) came from the client: say so, not 500.
            sqlx::Error::Database(ref db) if matches!(db.code().as_deref(), Some("22021" | "22P05")) => {
                tracing::warn!(error = %error, "refused text the database cannot store");
                AppError::field(
                    "form",
                    "Teksten indeholder tegn, der ikke kan gemmes (fx et nul-tegn). Fjern dem og prøv igen.",
                )
            }
            other => AppError::internal("database", &other),
        }
    }
}
