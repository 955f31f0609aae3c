//! Single-use codes for letters and generated passwords (server only).

use std::net::IpAddr;

use rand::Rng;
use secrecy::SecretString;

use crate::audit::Actor;
use crate::error::AppError;
use crate::ssr::{password, AppState};

/// Letters and digits that cannot be mistaken for each other when read from paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

/// A new single-use code: 12 characters (about 60 bits) from the unambiguous alphabet.
pub fn generate_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// How a code is printed in a letter: `ABCD-EFGH-JKLM`.
pub fn format_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What the user typed, as a code: uppercase, without spaces and dashes.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The last day (Danish time) a code issued now works, as printed in letters.
pub fn code_valid_until(state: &AppState) -> String {
    let until =
        state.now() + time::Duration::try_from(state.settings.code_valid_for).unwrap_or(time::Duration::ZERO);
    crate::domain::calendar::format_date(crate::domain::calendar::danish_time(until).date())
}

/// Issue a new single-use code for an institution's account: the old code and
/// password stop working and every session of the account ends. A dagpleje
/// has no log-in (its kommune reports for it): that is a conflict. Returns the code,
/// which exists nowhere else (only its hash is stored).
pub async fn issue_institution_code(
    pool: &sqlx::PgPool,
    institution_id: i64,
    actor: &Actor,
    ip: Option<IpAddr>,
) -> Result<String, AppError> {
    let found = sqlx::query!(
        r#"SELECT institution_type = 'dagpleje' AS "dagpleje!" FROM institutions WHERE id = $1 AND status = 'aktiv'"#,
        institution_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if found.dagpleje {
        return Err(AppError::Conflict(
            "En kommunal dagpleje har intet log-in: kommunen indberetter for den.".into(),
        ));
    }
    let code = generate_code();
    let hash = password::hash(SecretString::from(code.clone())).await?;
    store_codes(pool, &[institution_id], &[hash], actor, ip, serde_json::json!({})).await?;
    Ok(code)
}

/// Store new code hashes for institutions, in one transaction: each account's
/// earlier code and password stop working, its epoch moves on (so its
/// sessions end), and each institution gets a `kode_udstedt` audit row.
pub async fn store_codes(
    pool: &sqlx::PgPool,
    institution_ids: &[i64],
    hashes: &[String],
    actor: &Actor,
    ip: Option<IpAddr>,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"INSERT INTO institution_accounts (institution_id, code_hash, code_issued_at)
           SELECT *, now() FROM UNNEST($1::bigint[], $2::text[])
           ON CONFLICT (institution_id) DO UPDATE
             SET code_hash = EXCLUDED.code_hash, code_issued_at = now(), password_hash = NULL,
                 epoch = institution_accounts.epoch + 1"#,
        institution_ids,
        hashes
    )
    .execute(&mut *tx)
    .await?;
    // The audit columns are those of `audit::record`.
    sqlx::query!(
        r#"INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
           SELECT $1, $2, $3, 'kode_udstedt', i.id, i.kommunekode, $4::text::inet, $5
           FROM institutions i WHERE i.id = ANY($6)"#,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
        details,
        institution_ids
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A generated password for an administrator: 24 characters from the letter
/// codes' unambiguous alphabet (about 120 bits). It works once: the account
/// must choose its own at the next log-in.
pub fn generate_password() -> SecretString {
    SecretString::from(format!("{}{}", generate_code(), generate_code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous_and_normalise() {
        let code = generate_code();
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let printed = format_code(&code);
        assert_eq!(printed.len(), 14);
        assert_eq!(normalize_code(&printed.to_lowercase()), code);
        assert_eq!(normalize_code(" abcd efgh-jkmn "), "ABCDEFGHJKMN");
        assert_ne!(generate_code(), generate_code());
    }
}
