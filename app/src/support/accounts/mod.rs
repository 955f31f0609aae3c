//! The administrator accounts support maintains: kommune administrators
//! (create, move between kommuner, disable, re-enable) and support accounts.
//! A new account gets no password of support's choosing: support makes a
//! single-use password, shown once, that must be replaced at the first log-in.
//!
//! The server functions are here; `/support/konti` is in `list.rs`, one
//! account's page in `one.rs`.

mod list;
mod one;

pub use list::AccountsPage;
pub use one::AccountPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The two kinds of administrator account.
pub const ROLES: [(&str, &str); 2] = [("kommune", "Kommuneadministrator"), ("support", "Support (STIL)")];

pub(crate) fn role_label(role: &str) -> &'static str {
    ROLES
        .iter()
        .find(|(value, _)| *value == role)
        .map(|(_, label)| *label)
        .unwrap_or("Ukendt")
}

/// One administrator account as support sees it. Never its password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountFacts {
    pub id: i64,
    pub email: String,
    pub navn: String,
    pub role: String,
    pub role_label: String,
    pub kommunekode: Option<i16>,
    pub kommune: Option<String>,
    pub disabled: bool,
    /// A single-use password was made and not yet replaced.
    pub must_change_password: bool,
    pub has_password: bool,
    /// A second factor (TOTP) is set up and confirmed.
    pub has_second_factor: bool,
    pub created: String,
    pub last_login: Option<String>,
    /// The calling support user's own account.
    pub is_self: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountFilter {
    #[serde(default)]
    pub soeg: String,
    #[serde(default)]
    pub kommune: String,
    #[serde(default)]
    pub rolle: String,
    #[serde(default)]
    pub side: String,
}

impl AccountFilter {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |key: &str| get(key).unwrap_or_default();
        AccountFilter {
            soeg: field("soeg"),
            kommune: field("kommune"),
            rolle: field("rolle"),
            side: field("side"),
        }
    }

    fn query(&self, side: i64) -> String {
        crate::components::paging::query_string(
            &[
                ("soeg", self.soeg.trim()),
                ("kommune", &self.kommune),
                ("rolle", &self.rolle),
            ],
            side,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<AccountFacts>,
    pub matching: i64,
    pub page: i64,
    pub pages: i64,
}

/// Every administrator account matching the filter (support only).
#[server(prefix = "/api/fn", endpoint = "support_konti")]
pub async fn accounts(#[server(default)] filter: AccountFilter) -> Result<AccountList, AppError> {
    let own_id = crate::auth::context::require_support()?;
    let mut errors = crate::error::FieldErrors::new();
    let kommune = match filter.kommune.trim() {
        "" => None,
        kode => crate::domain::Kommunekode::parse(kode)
            .map(|k| k.get())
            .map_err(|m| errors.insert("kommune".into(), m))
            .ok(),
    };
    if !matches!(filter.rolle.as_str(), "" | "kommune" | "support") {
        errors.insert(
            "rolle".into(),
            "Vælg Kommuneadministrator, Support eller Alle som rolle.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let page = crate::components::paging::page_number(&filter.side, 10_000);
    let pool = crate::ssr::pool()?;
    let (accounts, matching) = super::db::account_rows(
        &pool,
        own_id,
        super::db::AccountQuery {
            text: filter.soeg.trim(),
            kommune,
            role: &filter.rolle,
            id: None,
        },
        (page - 1) * super::PAGE_SIZE,
    )
    .await?;
    Ok(AccountList {
        accounts,
        matching,
        page,
        pages: crate::components::paging::page_count(matching, super::PAGE_SIZE),
    })
}

/// One administrator account (support only).
#[server(prefix = "/api/fn", endpoint = "support_konto")]
pub async fn account(id: i64) -> Result<AccountFacts, AppError> {
    let own_id = crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    let query = super::db::AccountQuery {
        id: Some(id),
        ..Default::default()
    };
    let (mut found, _) = super::db::account_rows(&pool, own_id, query, 0).await?;
    found.pop().ok_or(AppError::NotFound)
}

/// The new-account form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub navn: String,
    #[serde(default)]
    pub rolle: String,
    #[serde(default)]
    pub kommunekode: String,
}

impl NewAccountForm {
    pub const FIELDS: [&'static str; 4] = ["email", "navn", "rolle", "kommunekode"];
}

/// Create an administrator account without a password; support then makes its
/// single-use first password on the account's page.
#[server(prefix = "/api/fn", endpoint = "support_opret_konto")]
pub async fn create_account(#[server(flatten)] form: NewAccountForm) -> Result<i64, AppError> {
    crate::auth::context::require_support()?;
    let values = crate::ssr::flash::form_values(&form);
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::create_account(&pool, &principal, crate::auth::context::client_ip(), &form).await;
    if let Ok(id) = &result {
        leptos_axum::redirect(&format!("/support/konti/{id}?oprettet=1"));
    }
    crate::ssr::flash::finish("konto-opret", "/support/konti", values, None, result).await
}

/// Move a kommune administrator to another kommune. `fra` is the kommune the
/// page showed; if the account has moved since, nothing changes (conflict).
#[server(prefix = "/api/fn", endpoint = "support_flyt_konto")]
pub async fn move_account(id: i64, fra: i16, kommunekode: String) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let values = vec![("kommunekode".to_string(), kommunekode.clone())];
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::move_account(
        &pool,
        &principal,
        crate::auth::context::client_ip(),
        id,
        fra,
        &kommunekode,
    )
    .await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?flyttet=1"));
    }
    crate::ssr::flash::finish("konto-flyt", &page, values, None, result).await
}

/// Disable (`spaer` = "1") or re-enable (`spaer` = "0") an account. Disabling
/// ends its sessions at once; support cannot disable its own account.
#[server(prefix = "/api/fn", endpoint = "support_spaer_konto")]
pub async fn set_disabled(id: i64, spaer: String) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::set_disabled(
        &pool,
        &principal,
        crate::auth::context::client_ip(),
        id,
        spaer == "1",
    )
    .await;
    if result.is_ok() {
        let done = if spaer == "1" { "spaerret" } else { "genaabnet" };
        leptos_axum::redirect(&format!("{page}?{done}=1"));
    }
    crate::ssr::flash::finish("konto-spaer", &page, Vec::new(), None, result).await
}

/// Reset another administrator's second factor: their sessions end and the
/// next log-in sets up a new one. Support cannot reset its own.
#[server(prefix = "/api/fn", endpoint = "support_nulstil_totrin")]
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result =
        super::db::reset_second_factor(&pool, &principal, crate::auth::context::client_ip(), id).await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?totrin-nulstillet=1"));
    }
    crate::ssr::flash::finish("konto-totrin", &page, Vec::new(), None, result).await
}

fn account_state(disabled: bool, has_password: bool, must_change: bool) -> &'static str {
    match (disabled, has_password, must_change) {
        (true, _, _) => "Spærret",
        (false, false, _) => "Mangler engangsadgangskode",
        (false, true, true) => "Venter på første log-ind",
        (false, true, false) => "Aktiv",
    }
}
