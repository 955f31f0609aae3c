//! Choosing and changing a password (server only).

use secrecy::SecretString;

use super::codes::normalize_code;
use super::context::{client_ip, session, state};
use super::login::{count_attempt, record_failed_login, throttle_keys};
use super::session::{start_session, SecondFactor, SessionAuth};
use super::{throttle, Principal, Secret};
use crate::audit::{self, Actor};
use crate::domain::password::{check_new_password, check_repeat};
use crate::error::{AppError, FieldErrors};
use crate::ssr::{password, AppState};

/// The secrets stored for the caller's account: the password hash, and the
/// hash of the one-time secret it logged in with (an institution's used letter
/// code; for an administrator who must choose, the generated password itself).
async fn stored_secrets(
    state: &AppState,
    principal: &Principal,
) -> Result<(Option<String>, Option<String>), AppError> {
    match principal {
        Principal::Institution { institution_id, .. } => {
            let row = sqlx::query!(
                "SELECT password_hash, used_code_hash FROM institution_accounts WHERE institution_id = $1",
                institution_id
            )
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
            Ok((row.password_hash, row.used_code_hash))
        }
        Principal::Kommune { admin_id, .. } | Principal::Support { admin_id, .. } => {
            let row = sqlx::query!(
                "SELECT password_hash, must_change_password FROM admin_accounts WHERE id = $1",
                admin_id
            )
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
            let one_time = row
                .must_change_password
                .then(|| row.password_hash.clone())
                .flatten();
            Ok((row.password_hash, one_time))
        }
    }
}

/// The rules every new password follows, as field errors.
fn check_new_and_repeat(principal: &Principal, new: &Secret, repeat: &Secret) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(message) = check_new_password(new.expose(), principal.user_name()) {
        errors.insert("ny_adgangskode".into(), message);
    }
    if let Err(message) = check_repeat(new.expose(), repeat.expose()) {
        errors.insert("gentag_adgangskode".into(), message);
    }
    errors
}

/// Set the caller's first own password, after logging in with a one-time
/// secret (a letter code, or a password support generated). Only such a
/// session may: anyone else changes a password with the current one
/// ([`change_password`]). The new password may not be the one-time secret,
/// which someone else has seen. Ends every other session of the account.
pub async fn choose_password(auth: SessionAuth, new: Secret, repeat: Secret) -> Result<(), AppError> {
    // The code comes before anything else, a new password too.
    if !auth.pending_password || auth.second_factor == SecondFactor::Code {
        return Err(AppError::Forbidden);
    }
    let state = state()?;
    let mut errors = check_new_and_repeat(&auth.principal, &new, &repeat);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (_, one_time) = stored_secrets(&state, &auth.principal).await?;
    let typed = match auth.principal {
        Principal::Institution { .. } => normalize_code(new.expose()),
        _ => new.expose().to_string(),
    };
    if one_time.is_some() && password::verify(SecretString::from(typed), one_time).await? {
        let what = match auth.principal {
            Principal::Institution { .. } => "engangskoden fra brevet",
            _ => "den adgangskode, du fik udleveret",
        };
        errors.insert(
            "ny_adgangskode".into(),
            format!("Den nye adgangskode må ikke være {what}: den har andre set. Vælg jeres egen."),
        );
        return Err(AppError::Validation(errors));
    }
    let hash = password::hash(new.into_secret()).await?;
    store_new_password(&state, auth, hash, "adgangskode_valgt").await?;
    Ok(())
}

/// Change the caller's password with the current one. Throttled like a
/// log-in, since it tells whether a password is right. Ends every other
/// session of the account; this one continues.
pub async fn change_password(
    auth: SessionAuth,
    current: Secret,
    new: Secret,
    repeat: Secret,
) -> Result<(), AppError> {
    if !auth.is_complete() {
        return Err(AppError::Forbidden);
    }
    let state = state()?;
    let ip = client_ip();
    let mut errors = check_new_and_repeat(&auth.principal, &new, &repeat);
    if current.expose().is_empty() {
        errors.insert(
            "nuvaerende_adgangskode".into(),
            "Skriv den adgangskode, du bruger nu.".into(),
        );
    } else if current.expose() == new.expose() && !errors.contains_key("ny_adgangskode") {
        errors.insert(
            "ny_adgangskode".into(),
            "Den nye adgangskode skal være en anden end den, du bruger nu.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let keys = throttle_keys(auth.principal.user_name(), ip);
    count_attempt(&state, &keys, auth.principal.user_name(), ip).await?;
    let (stored, _) = stored_secrets(&state, &auth.principal).await?;
    if !password::verify(current.into_secret(), stored).await? {
        record_failed_login(
            &state,
            auth.principal.user_name(),
            "forkert nuværende adgangskode",
            ip,
        )
        .await?;
        return Err(AppError::field(
            "nuvaerende_adgangskode",
            "Den nuværende adgangskode er forkert. Skriv den, du loggede ind med.",
        ));
    }
    throttle::succeeded(&state.pool, &keys).await?;
    let hash = password::hash(new.into_secret()).await?;
    store_new_password(&state, auth, hash, "adgangskode_skiftet").await?;
    Ok(())
}

/// Store the caller's new password hash: every earlier secret of the account
/// stops working, its epoch moves on (every other session ends), and this
/// session continues with a new id and the new epoch.
async fn store_new_password(
    state: &AppState,
    mut auth: SessionAuth,
    hash: String,
    action: &str,
) -> Result<(), AppError> {
    let session = session()?;
    let mut tx = state.pool.begin().await?;
    let (epoch, institution_id, kommunekode) = match &auth.principal {
        Principal::Institution {
            institution_id,
            kommunekode,
            ..
        } => {
            let epoch = sqlx::query_scalar!(
                r#"UPDATE institution_accounts
                   SET password_hash = $2, code_hash = NULL, used_code_hash = NULL, epoch = epoch + 1
                   WHERE institution_id = $1 AND epoch = $3 RETURNING epoch"#,
                institution_id,
                hash,
                auth.epoch
            )
            .fetch_optional(&mut *tx)
            .await?;
            (epoch, Some(*institution_id), Some(*kommunekode))
        }
        Principal::Kommune { admin_id, .. } | Principal::Support { admin_id, .. } => {
            let epoch = sqlx::query_scalar!(
                r#"UPDATE admin_accounts
                   SET password_hash = $2, must_change_password = false, one_time_until = NULL, epoch = epoch + 1
                   WHERE id = $1 AND epoch = $3 RETURNING epoch"#,
                admin_id,
                hash,
                auth.epoch
            )
            .fetch_optional(&mut *tx)
            .await?;
            let kommunekode = match &auth.principal {
                Principal::Kommune { kommunekode, .. } => Some(*kommunekode),
                _ => None,
            };
            (epoch, None, kommunekode)
        }
    };
    // The account was reset while this session chose: the session is no longer valid.
    let epoch = epoch.ok_or(AppError::Unauthenticated)?;
    audit::record(
        &mut *tx,
        &Actor::from_principal(&auth.principal),
        action,
        institution_id,
        kommunekode,
        client_ip(),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;

    let changed = !auth.pending_password;
    auth.epoch = epoch;
    auth.pending_password = false;
    start_session(&session, &auth).await?;
    let target = match auth.pending() {
        _ if changed => "/skift-adgangskode?skiftet=1",
        Some(step) => step.page(),
        None => auth.principal.role().start_page(),
    };
    leptos_axum::redirect(target);
    Ok(())
}
