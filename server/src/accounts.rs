//! Accounts made from the command line (the first support user of a new
//! installation, and more when needed).

use app::domain::Email;
use secrecy::SecretString;
use sqlx::PgPool;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("an account with the e-mail address {0} exists already")]
    Exists(String),
    #[error("hashing the password failed")]
    Hash,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Create a support account with a generated single-use password, which must
/// be replaced at the first log-in; returns the password (to be shown once).
pub async fn create_support_user(
    pool: &PgPool,
    email: &str,
    navn: &str,
) -> Result<SecretString, AccountError> {
    let email = Email::parse(email).map_err(AccountError::Invalid)?;
    let navn = navn.trim();
    if navn.is_empty() || navn.chars().count() > 100 {
        return Err(AccountError::Invalid(
            "the name must have 1–100 characters".into(),
        ));
    }
    let password = app::auth::codes::generate_password();
    let hash = app::ssr::password::hash(password.clone())
        .await
        .map_err(|_| AccountError::Hash)?;
    let created = sqlx::query_scalar!(
        r#"WITH created AS (
             INSERT INTO admin_accounts (email, navn, role, password_hash, must_change_password, one_time_until)
             VALUES ($1, $2, 'support', $3, true, now() + make_interval(hours => $4))
             ON CONFLICT (email) DO NOTHING
             RETURNING id
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_label, action, details)
             SELECT 'system', 'kommandolinje', 'support_oprettet', jsonb_build_object('konto', id, 'email', $1::text)
             FROM created
           )
           SELECT id FROM created"#,
        email.as_str(),
        navn,
        hash,
        app::auth::login::ONE_TIME_PASSWORD_HOURS as i32,
    )
    .fetch_optional(pool)
    .await?;
    match created {
        Some(_) => Ok(password),
        None => Err(AccountError::Exists(email.as_str().to_string())),
    }
}
