//! Log-in, log-out, the forced password choice, and who is calling.
//!
//! The session holds a typed [`Principal`]. Every server function asks for it
//! on its first lines (`context::require_*`); a middleware guards the protected page
//! areas, rejects cross-site posts and ends sessions that timed out or whose
//! account was reset.

pub mod checks;
pub mod codes;
pub mod context;
pub mod extract;
pub mod factor;
pub mod guard;
pub mod known_logins;
pub mod login;
mod pages;
pub mod passwords;
pub mod session;
pub mod throttle;
pub mod totp;

use std::fmt;

use leptos::prelude::*;

/// Where the second factor's set-up form posts its first code: a plain
/// handler (`factor::confirm_setup`) that answers with the recovery codes.
pub const CONFIRM_PATH: &str = "/admin/totrin/bekraeft";
use serde::{Deserialize, Serialize};

use crate::components::form::FormFlash;
use crate::error::AppError;

pub use pages::{
    is_signed_in_form_page, AdminLoginPage, AuthRoutes, ChangePasswordPage, ChoosePasswordPage,
    InstitutionLoginPage, LogoutForm, SecondFactorPage, SecondFactorSetupPage,
};

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    Institution {
        institution_id: i64,
        kommunekode: i16,
        nummer: String,
    },
    Kommune {
        admin_id: i64,
        kommunekode: i16,
        email: String,
    },
    Support {
        admin_id: i64,
        email: String,
    },
}

/// Which institutions an administrator works on: one kommune's, or
/// (support) those of every kommune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Kommune(i16),
    National,
}

impl Scope {
    /// The kommune to bind in SQL, where `NULL` means every kommune.
    pub fn kommunekode(self) -> Option<i16> {
        match self {
            Scope::Kommune(kode) => Some(kode),
            Scope::National => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Institution,
    Kommune,
    Support,
}

impl Role {
    /// The role a history or audit row names (`actor_role`, `updated_by_role`);
    /// any other actor (a kommune system, the register import) counts as support's side.
    pub fn of_stored(role: &str) -> Role {
        match role {
            "institution" => Role::Institution,
            "kommune" => Role::Kommune,
            _ => Role::Support,
        }
    }

    /// As stored in the audit log and change history.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Institution => "institution",
            Role::Kommune => "kommune",
            Role::Support => "support",
        }
    }

    /// The Danish label shown in history and the header.
    pub fn label(self) -> &'static str {
        match self {
            Role::Institution => "Institutionen",
            Role::Kommune => "Kommunen",
            Role::Support => "Support (STIL)",
        }
    }

    /// Where this role lands after logging in.
    pub fn start_page(self) -> &'static str {
        match self {
            Role::Institution => "/indberetning",
            Role::Kommune => "/kommune",
            Role::Support => "/support",
        }
    }

    /// The log-in page for this role.
    pub fn login_page(self) -> &'static str {
        match self {
            Role::Institution => "/log-ind",
            Role::Kommune | Role::Support => "/admin/log-ind",
        }
    }
}

impl Principal {
    pub fn role(&self) -> Role {
        match self {
            Principal::Institution { .. } => Role::Institution,
            Principal::Kommune { .. } => Role::Kommune,
            Principal::Support { .. } => Role::Support,
        }
    }

    /// The account's user name: institution number or e-mail.
    pub fn user_name(&self) -> &str {
        match self {
            Principal::Institution { nummer, .. } => nummer,
            Principal::Kommune { email, .. } | Principal::Support { email, .. } => email,
        }
    }

    /// May this principal read and change the reported data of an institution?
    /// The institution itself; its own kommune's administrators; support.
    pub fn can_edit_institution(&self, institution_id: i64, kommunekode: i16) -> bool {
        match self {
            Principal::Institution {
                institution_id: own, ..
            } => *own == institution_id,
            Principal::Kommune { kommunekode: own, .. } => *own == kommunekode,
            Principal::Support { .. } => true,
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.role().as_str(), self.user_name())
    }
}

/// A secret typed by the user (password or code). Never printed: `Debug` is
/// redacted, and on the server it becomes a `SecretString` at once.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_secret(self) -> secrecy::SecretString {
        secrecy::SecretString::from(self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([skjult])")
    }
}

/// What the header needs to know about the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub role: Role,
    pub user_name: String,
    pub display_name: String,
    pub must_choose_password: bool,
}

/// Who is logged in, for the header. Public: answers `None` for anonymous callers.
#[server(prefix = "/api/fn", endpoint = "current_viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let Some(auth) = context::current() else {
        return Ok(None);
    };
    let display_name = context::display_name(&auth.principal).await?;
    Ok(Some(Viewer {
        role: auth.principal.role(),
        user_name: auth.principal.user_name().to_string(),
        display_name,
        must_choose_password: auth.pending_password,
    }))
}

/// Take (and remove) what a plain form post left for `form`. Only the caller's own session is read.
#[server(prefix = "/api/fn", endpoint = "take_form_flash")]
pub async fn take_form_flash(form: String) -> Result<Option<FormFlash>, AppError> {
    crate::ssr::flash::take(&form).await
}

/// Log in as an institution with its number and its password or letter code.
#[server(prefix = "/api/fn", endpoint = "log_ind")]
pub async fn login_institution(
    institutionsnummer: String,
    kodeord: Secret,
    naeste: Option<String>,
) -> Result<(), AppError> {
    // Anonymous by design; throttled and audited inside.
    let values = vec![("institutionsnummer".to_string(), institutionsnummer.clone())];
    let result = login::login_institution(&institutionsnummer, kodeord, naeste.as_deref()).await;
    crate::ssr::flash::finish("log-ind", "/log-ind", values, None, result).await
}

/// Log in as a kommune administrator or support user.
#[server(prefix = "/api/fn", endpoint = "admin_log_ind")]
pub async fn login_admin(email: String, adgangskode: Secret, naeste: Option<String>) -> Result<(), AppError> {
    // Anonymous by design; throttled and audited inside.
    let values = vec![("email".to_string(), email.clone())];
    let result = login::login_admin(&email, adgangskode, naeste.as_deref()).await;
    crate::ssr::flash::finish("admin-log-ind", "/admin/log-ind", values, None, result).await
}

/// Choose the first own password: only for a session that logged in with a
/// one-time secret (a letter code, or a password support generated).
#[server(prefix = "/api/fn", endpoint = "vaelg_adgangskode")]
pub async fn choose_password(ny_adgangskode: Secret, gentag_adgangskode: Secret) -> Result<(), AppError> {
    let auth = context::require_session()?;
    let result = passwords::choose_password(auth, ny_adgangskode, gentag_adgangskode).await;
    crate::ssr::flash::finish(
        "vaelg-adgangskode",
        "/vaelg-adgangskode",
        Vec::new(),
        None,
        result,
    )
    .await
}

/// Change one's password with the current one (any role, any time after
/// the first password is chosen). Ends the account's other sessions.
#[server(prefix = "/api/fn", endpoint = "skift_adgangskode")]
pub async fn change_password(
    nuvaerende_adgangskode: Secret,
    ny_adgangskode: Secret,
    gentag_adgangskode: Secret,
) -> Result<(), AppError> {
    let auth = context::require_session()?;
    let result =
        passwords::change_password(auth, nuvaerende_adgangskode, ny_adgangskode, gentag_adgangskode).await;
    crate::ssr::flash::finish(
        "skift-adgangskode",
        "/skift-adgangskode",
        Vec::new(),
        None,
        result,
    )
    .await
}

/// The code step after the password: a code from the authenticator app.
#[server(prefix = "/api/fn", endpoint = "admin_totrin")]
pub async fn second_factor_code(kode: Secret, naeste: Option<String>) -> Result<(), AppError> {
    // Only a session whose password was right and whose code is due (checked inside).
    let result = factor::enter_code(factor::CodeKind::App, kode.expose(), naeste.as_deref()).await;
    crate::ssr::flash::finish("totrin", "/admin/totrin", Vec::new(), None, result).await
}

/// The code step with one of the recovery codes instead (each works once).
#[server(prefix = "/api/fn", endpoint = "admin_gendannelseskode")]
pub async fn second_factor_recovery(
    gendannelseskode: Secret,
    naeste: Option<String>,
) -> Result<(), AppError> {
    // Only a session whose password was right and whose code is due (checked inside).
    let result = factor::enter_code(
        factor::CodeKind::Recovery,
        gendannelseskode.expose(),
        naeste.as_deref(),
    )
    .await;
    crate::ssr::flash::finish("totrin-gendannelse", "/admin/totrin", Vec::new(), None, result).await
}

/// What the set-up page shows (the QR code and the secret as text).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupDetails {
    pub email: String,
    pub qr_svg: String,
    pub secret: String,
}

/// The QR code and the text both hold the secret: never printed.
impl fmt::Debug for SetupDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetupDetails")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The secret to set up; only for an administrator whose set-up is due.
#[server(prefix = "/api/fn", endpoint = "totrin_opsaetning")]
pub async fn second_factor_setup() -> Result<SetupDetails, AppError> {
    // Only a session in the set-up step (checked inside).
    factor::setup_info().await
}

/// Log out: the session ends on the server.
#[server(prefix = "/api/fn", endpoint = "log_ud")]
pub async fn logout() -> Result<(), AppError> {
    // Anyone may end their own session; an anonymous call just lands on the front page.
    login::logout().await
}
