//! Log-in and log-out for all three roles (server only).

use std::net::IpAddr;

use secrecy::SecretString;

use super::codes::normalize_code;
use super::context::{client_ip, current, session, state};
use super::guard::urlencoding_path;
use super::session::{session_store_error, start_session, Pending, SecondFactor, SessionAuth};
use super::{throttle, Principal, Role, Secret};
use crate::audit::{self, Actor};
use crate::domain::InstitutionNumber;
use crate::error::{AppError, FieldErrors};
use crate::ssr::{password, AppState};

const WRONG_INSTITUTION: &str = "Institutionsnummer eller kodeord er forkert.";
const WRONG_ADMIN: &str = "E-mail eller adgangskode er forkert.";
const CODE_EXPIRED: &str =
    "Koden i brevet er udløbet. Bed kommunen om et nyt brev med en ny kode; brevet siger, hvor længe koden virker.";
const ONE_TIME_USED: &str = "Adgangskoden, du fik udleveret, er udløbet eller allerede brugt. \
     Bed support om en ny; den virker i 72 timer og kun én gang.";
/// How long a generated administrator password works (and only once).
pub const ONE_TIME_PASSWORD_HOURS: i64 = 72;

/// Only a local path inside the role's own area is followed after log-in.
pub fn safe_next(next: Option<&str>, role: Role) -> String {
    let start = role.start_page();
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && (path == start
                    || path.starts_with(&format!("{start}/"))
                    || path.starts_with(&format!("{start}?"))) =>
        {
            path.to_string()
        }
        _ => start.to_string(),
    }
}

pub(crate) fn throttle_keys(user: &str, ip: Option<IpAddr>) -> (String, Option<String>) {
    (
        format!("konto:{}", user.trim().to_lowercase()),
        ip.map(|ip| format!("ip:{}", crate::ssr::client_ip::address_key(ip))),
    )
}

/// Count a log-in attempt (see [`throttle::attempt`]); one refused because
/// its keys are blocked is audited like any other refused log-in.
pub(crate) async fn count_attempt(
    state: &AppState,
    keys: &(String, Option<String>),
    user: &str,
    ip: Option<IpAddr>,
) -> Result<(), AppError> {
    let counted = throttle::attempt(&state.pool, state.now(), keys).await;
    if let Err(AppError::TooManyRequests(_)) = &counted {
        record_failed_login(state, user, "for mange forsøg", ip).await?;
    }
    counted
}

/// Audit a refused log-in. The attempt itself was already counted by
/// [`throttle::attempt`] before the secret was checked.
pub(crate) async fn record_failed_login(
    state: &AppState,
    user: &str,
    reason: &str,
    ip: Option<IpAddr>,
) -> Result<(), AppError> {
    audit::record(
        &state.pool,
        &Actor::anonymous(user),
        "log_ind_afvist",
        None,
        None,
        ip,
        serde_json::json!({ "aarsag": reason }),
    )
    .await
}

pub async fn login_institution(input: &str, kodeord: Secret, next: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let session = session()?;
    let ip = client_ip();
    let now = state.now();

    let mut errors = FieldErrors::new();
    let nummer = InstitutionNumber::parse(input)
        .map_err(|m| errors.insert("institutionsnummer".into(), m))
        .ok();
    if kodeord.expose().is_empty() {
        errors.insert(
            "kodeord".into(),
            "Skriv kodeordet. Står det ikke i brevet fra kommunen, så kontakt kommunen.".into(),
        );
    }
    let Some(nummer) = nummer.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    let keys = throttle_keys(nummer.as_str(), ip);
    count_attempt(&state, &keys, nummer.as_str(), ip).await?;

    let account = sqlx::query!(
        r#"SELECT i.id, i.kommunekode, i.status, a.password_hash AS "password_hash?", a.code_hash AS "code_hash?",
                  a.code_issued_at AS "code_issued_at?", a.disabled AS "disabled?", a.epoch AS "epoch?"
           FROM institutions i LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.nummer = $1"#,
        nummer.as_str()
    )
    .fetch_optional(&state.pool)
    .await?;

    // Exactly one hash verification per attempt, whether or not the account exists.
    let (stored, is_code) = match &account {
        Some(a) if a.password_hash.is_some() => (a.password_hash.clone(), false),
        Some(a) if a.code_hash.is_some() => (a.code_hash.clone(), true),
        _ => (None, false),
    };
    let typed = if is_code {
        normalize_code(kodeord.expose())
    } else {
        kodeord.expose().to_string()
    };
    let matched = password::verify(SecretString::from(typed), stored.clone()).await?;

    let account = match account {
        Some(a) if matched && a.status == "aktiv" && a.disabled == Some(false) => a,
        other => {
            let reason = match other {
                None => "ukendt institutionsnummer",
                Some(a) if a.status != "aktiv" => "institutionen er nedlagt",
                Some(a) if a.disabled == Some(true) => "kontoen er spærret",
                Some(_) if stored.is_none() => "ingen kode udstedt",
                Some(_) => "forkert kodeord",
            };
            record_failed_login(&state, nummer.as_str(), reason, ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_INSTITUTION));
        }
    };

    if is_code {
        let valid_for =
            time::Duration::try_from(state.settings.code_valid_for).unwrap_or(time::Duration::ZERO);
        if account
            .code_issued_at
            .is_none_or(|issued| now - issued > valid_for)
        {
            record_failed_login(&state, nummer.as_str(), "koden er udløbet", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, CODE_EXPIRED));
        }
    }

    let mut tx = state.pool.begin().await?;
    if is_code {
        // Single use: consume exactly the code that matched; a parallel log-in
        // with it gets nothing. Its hash is kept until a password is chosen,
        // which may not be the code.
        let consumed = sqlx::query!(
            "UPDATE institution_accounts SET code_hash = NULL, used_code_hash = code_hash
             WHERE institution_id = $1 AND code_hash = $2",
            account.id,
            stored
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if consumed != 1 {
            drop(tx);
            record_failed_login(&state, nummer.as_str(), "koden er allerede brugt", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_INSTITUTION));
        }
    }
    sqlx::query!(
        "UPDATE institution_accounts SET last_login_at = now() WHERE institution_id = $1",
        account.id
    )
    .execute(&mut *tx)
    .await?;
    let principal = Principal::Institution {
        institution_id: account.id,
        kommunekode: account.kommunekode,
        nummer: nummer.to_string(),
    };
    audit::record(
        &mut *tx,
        &Actor::from_principal(&principal),
        "log_ind",
        Some(account.id),
        Some(account.kommunekode),
        ip,
        serde_json::json!({ "med_engangskode": is_code }),
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;

    let stamp = now.unix_timestamp();
    let auth = SessionAuth {
        principal,
        epoch: account.epoch.unwrap_or(0),
        login_at: stamp,
        last_seen: stamp,
        pending_password: is_code,
        second_factor: SecondFactor::Done,
    };
    start_session(&session, &auth).await?;
    let target = if is_code {
        "/vaelg-adgangskode".to_string()
    } else {
        safe_next(next, Role::Institution)
    };
    leptos_axum::redirect(&target);
    Ok(())
}

pub async fn login_admin(email_input: &str, adgangskode: Secret, next: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let session = session()?;
    let ip = client_ip();
    let now = state.now();

    let email = email_input.trim().to_lowercase();
    let mut errors = FieldErrors::new();
    if email.is_empty() {
        errors.insert("email".into(), "Skriv din e-mailadresse.".into());
    } else if !validator::ValidateEmail::validate_email(&email) {
        errors.insert(
            "email".into(),
            "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.".into(),
        );
    }
    if adgangskode.expose().is_empty() {
        errors.insert("adgangskode".into(), "Skriv din adgangskode.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let keys = throttle_keys(&email, ip);
    count_attempt(&state, &keys, &email, ip).await?;

    let account = sqlx::query!(
        r#"SELECT id, role, kommunekode, password_hash, must_change_password, disabled, epoch,
                  totp_confirmed_at IS NOT NULL AS "has_factor!"
           FROM admin_accounts WHERE email = $1"#,
        email
    )
    .fetch_optional(&state.pool)
    .await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matched = password::verify(adgangskode.into_secret(), stored).await?;
    let account = match account {
        Some(a) if matched && !a.disabled => a,
        other => {
            let reason = match other {
                None => "ukendt e-mail",
                Some(a) if a.disabled => "kontoen er spærret",
                Some(_) => "forkert adgangskode",
            };
            record_failed_login(&state, &email, reason, ip).await?;
            return Err(AppError::field(crate::components::form::FORM, WRONG_ADMIN));
        }
    };

    let principal = match (account.role.as_str(), account.kommunekode) {
        ("kommune", Some(kommunekode)) => Principal::Kommune {
            admin_id: account.id,
            kommunekode,
            email: email.clone(),
        },
        ("support", _) => Principal::Support {
            admin_id: account.id,
            email: email.clone(),
        },
        (role, _) => {
            tracing::error!(
                admin_id = account.id,
                role,
                "admin account with an impossible role"
            );
            return Err(AppError::Internal);
        }
    };
    // A generated password works once, and only until it expires: the first
    // log-in with it marks it used (before any code step), so a second
    // log-in with it, or a parallel one, fails.
    if account.must_change_password {
        let consumed = sqlx::query!(
            "UPDATE admin_accounts SET one_time_until = $2
             WHERE id = $1 AND must_change_password AND one_time_until > $2",
            account.id,
            now
        )
        .execute(&state.pool)
        .await?
        .rows_affected();
        if consumed != 1 {
            record_failed_login(&state, &email, "udleveret adgangskode udløbet eller brugt", ip).await?;
            return Err(AppError::field(crate::components::form::FORM, ONE_TIME_USED));
        }
    }
    let stamp = now.unix_timestamp();
    let auth = SessionAuth {
        principal,
        epoch: account.epoch,
        login_at: stamp,
        last_seen: stamp,
        pending_password: account.must_change_password,
        // With a factor the code comes next; without, it is set up (after
        // the new password, if one is due) before anything else opens.
        second_factor: if account.has_factor {
            SecondFactor::Code
        } else {
            SecondFactor::Setup
        },
    };
    if account.has_factor {
        // Not logged in yet: the code comes next. The log-in is audited and
        // the throttle forgets this account's count only after the code, so
        // that a known password does not reset the count of wrong codes; this
        // attempt is taken back, since the password was right.
        throttle::refund(&state.pool, &keys).await?;
        start_session(&session, &auth).await?;
        let target = match next.filter(|n| !n.is_empty()) {
            Some(next) => format!("/admin/totrin?naeste={}", urlencoding_path(next)),
            None => "/admin/totrin".to_string(),
        };
        leptos_axum::redirect(&target);
        return Ok(());
    }

    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE admin_accounts SET last_login_at = now() WHERE id = $1",
        account.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        "log_ind",
        None,
        account.kommunekode,
        ip,
        serde_json::json!({
            "skal_vaelge_adgangskode": account.must_change_password,
            "totrin": "skal_opsaettes",
        }),
    )
    .await?;
    tx.commit().await?;
    throttle::succeeded(&state.pool, &keys).await?;

    start_session(&session, &auth).await?;
    leptos_axum::redirect(auth.pending().map_or("/admin/totrin/opsaet", Pending::page));
    Ok(())
}

pub async fn logout() -> Result<(), AppError> {
    let session = session()?;
    if let Some(auth) = current() {
        let state = state()?;
        let (institution_id, kommunekode) = match &auth.principal {
            Principal::Institution {
                institution_id,
                kommunekode,
                ..
            } => (Some(*institution_id), Some(*kommunekode)),
            Principal::Kommune { kommunekode, .. } => (None, Some(*kommunekode)),
            Principal::Support { .. } => (None, None),
        };
        audit::record(
            &state.pool,
            &Actor::from_principal(&auth.principal),
            "log_ud",
            institution_id,
            kommunekode,
            client_ip(),
            serde_json::json!({}),
        )
        .await?;
    }
    // Deletes the session server-side and expires the cookie.
    session.flush().await.map_err(session_store_error)?;
    leptos_axum::redirect("/?logget-ud=1");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_stays_inside_the_role_area() {
        assert_eq!(
            safe_next(Some("/indberetning/profil"), Role::Institution),
            "/indberetning/profil"
        );
        assert_eq!(
            safe_next(Some("//evil.example/"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(
            safe_next(Some("https://evil.example/"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(safe_next(Some("/kommune"), Role::Institution), "/indberetning");
        assert_eq!(
            safe_next(Some("/indberetningfoo"), Role::Institution),
            "/indberetning"
        );
        assert_eq!(safe_next(Some("/support/konti"), Role::Support), "/support/konti");
        assert_eq!(safe_next(None, Role::Kommune), "/kommune");
    }
}
