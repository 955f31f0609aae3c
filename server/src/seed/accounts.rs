//! The three demo log-ins (institution, kommune, support) with their known
//! passwords and second factor, set only in demo mode.

use secrecy::SecretString;
use sqlx::PgPool;

use super::{SeedError, DEMO_INSTITUTION};

/// A demo log-in, printed at start and listed in the README.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub login_page: &'static str,
    pub username: &'static str,
    pub password: &'static str,
}

/// The three demo log-ins. These passwords exist only in demo mode.
pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin {
        role: "Institution (Børnehuset Solsikken, Skanderborg)",
        login_page: "/log-ind",
        username: DEMO_INSTITUTION,
        password: "solsikke-demo-2026",
    },
    DemoLogin {
        role: "Kommuneadministrator (Skanderborg Kommune)",
        login_page: "/admin/log-ind",
        username: "admin@skanderborg.example",
        password: "kommune-demo-2026",
    },
    DemoLogin {
        role: "Support (STIL)",
        login_page: "/admin/log-ind",
        username: "support@stil.example",
        password: "support-demo-2026",
    },
];

pub(super) const DEMO_KOMMUNE: i16 = 746;

/// The second factor (TOTP secret, base32) of both demo administrators:
/// published like their passwords, and set only in demo mode, so that
/// anyone trying the demo can add it to an authenticator app (or compute
/// the codes, as the browser tests do).
pub const DEMO_TOTP_SECRET: &str = "MRQWO5DJNRRHKZBNMRSW23ZNGJTGCIJB";

/// Create (or restore) the demo institution and the three demo accounts with their known passwords.
pub async fn demo_accounts(pool: &PgPool) -> Result<(), SeedError> {
    let hash = |secret: &'static str| async move {
        app::ssr::password::hash(SecretString::from(secret))
            .await
            .map_err(|_| SeedError::Hash)
    };
    let [institution, kommune, support] = &DEMO_LOGINS;
    let institution_hash = hash(institution.password).await?;
    let kommune_hash = hash(kommune.password).await?;
    let support_hash = hash(support.password).await?;
    let totp_secret = app::auth::totp::TotpSecret::from_base32(DEMO_TOTP_SECRET).ok_or(SeedError::Data {
        file: "seed.rs",
        reason: "the demo TOTP secret is not base32".into(),
    })?;

    let mut tx = pool.begin().await?;
    let institution_id = sqlx::query_scalar!(
        r#"INSERT INTO institutions
             (nummer, navn, institution_type, ejerform, kommunekode, vejnavn, husnummer, postnummer, postby,
              breddegrad, laengdegrad)
           VALUES ($1, 'Børnehuset Solsikken', 'integreret', 'kommunal', $2, 'Adelgade', '12', 8660, 'Skanderborg',
                   56.0392, 9.9285)
           ON CONFLICT (nummer) DO UPDATE SET status = 'aktiv', closed_on = NULL
           RETURNING id"#,
        DEMO_INSTITUTION,
        DEMO_KOMMUNE,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO institution_accounts (institution_id, password_hash, demo)
           VALUES ($1, $2, true)
           ON CONFLICT (institution_id) DO UPDATE
             SET password_hash = EXCLUDED.password_hash, code_hash = NULL, disabled = false, demo = true"#,
        institution_id,
        institution_hash,
    )
    .execute(&mut *tx)
    .await?;
    for (login, role, kommunekode, navn, hash) in [
        (
            kommune,
            "kommune",
            Some(DEMO_KOMMUNE),
            "Demo Kommuneadministrator",
            kommune_hash,
        ),
        (support, "support", None, "Demo Supporter", support_hash),
    ] {
        sqlx::query!(
            r#"INSERT INTO admin_accounts (email, navn, role, kommunekode, password_hash, must_change_password, demo,
                                          totp_secret, totp_confirmed_at)
               VALUES ($1, $2, $3, $4, $5, false, true, $6, now())
               ON CONFLICT (email) DO UPDATE
                 SET password_hash = EXCLUDED.password_hash, must_change_password = false,
                     disabled = false, role = EXCLUDED.role, kommunekode = EXCLUDED.kommunekode, demo = true,
                     totp_secret = EXCLUDED.totp_secret,
                     totp_confirmed_at = COALESCE(admin_accounts.totp_confirmed_at, now())"#,
            login.username,
            navn,
            role,
            kommunekode,
            hash,
            totp_secret.as_bytes(),
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Outside demo mode the demo passwords must not work: disable every demo
/// account and forget its hashes. The demo passwords are published, so a
/// hash of one must not survive for a later re-enabling to bring back.
pub async fn disable_demo_accounts(pool: &PgPool) -> Result<u64, SeedError> {
    let mut tx = pool.begin().await?;
    let institutions = sqlx::query!(
        "UPDATE institution_accounts
         SET disabled = true, epoch = epoch + 1, password_hash = NULL, code_hash = NULL, used_code_hash = NULL
         WHERE demo AND (NOT disabled OR password_hash IS NOT NULL OR code_hash IS NOT NULL)"
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let admins = sqlx::query!(
        "UPDATE admin_accounts SET disabled = true, epoch = epoch + 1, password_hash = NULL, one_time_until = NULL
         WHERE demo AND (NOT disabled OR password_hash IS NOT NULL)"
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(institutions + admins)
}
