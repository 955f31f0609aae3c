//! The append-only audit log: who did what, when, from where. Never a secret.

use std::net::IpAddr;

use crate::auth::Principal;
use crate::error::AppError;

/// Who did something and from which address: what every audited change
/// writes beside what it did.
#[derive(Debug, Clone)]
pub struct AuditContext {
    pub actor: Actor,
    pub ip: Option<IpAddr>,
}

impl AuditContext {
    pub fn of(principal: &Principal, ip: Option<IpAddr>) -> Self {
        AuditContext {
            actor: Actor::from_principal(principal),
            ip,
        }
    }
}

/// Who did it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub role: &'static str,
    pub id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn from_principal(principal: &Principal) -> Self {
        let (id, label) = match principal {
            Principal::Institution {
                institution_id,
                nummer,
                ..
            } => (*institution_id, nummer.clone()),
            Principal::Kommune { admin_id, email, .. } | Principal::Support { admin_id, email } => {
                (*admin_id, email.clone())
            }
        };
        Actor {
            role: principal.role().as_str(),
            id: Some(id),
            label,
        }
    }

    /// Someone not logged in; `label` is what they claimed to be (a number or an e-mail).
    pub fn anonymous(label: &str) -> Self {
        Actor {
            role: "anonym",
            id: None,
            label: label.chars().take(200).collect(),
        }
    }

    /// The server itself or an operator at its command line.
    pub fn system(label: &str) -> Self {
        Actor {
            role: "system",
            id: None,
            label: label.to_string(),
        }
    }
}

/// Append one audit row. Pass a transaction to make it part of the change it records.
pub async fn record<'e, E>(
    executor: E,
    actor: &Actor,
    action: &str,
    institution_id: Option<i64>,
    kommunekode: Option<i16>,
    ip: Option<IpAddr>,
    details: serde_json::Value,
) -> Result<(), AppError>
where
    E: sqlx::PgExecutor<'e>,
{
    sqlx::query!(
        r#"INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7::text::inet, $8)"#,
        actor.role,
        actor.id,
        actor.label,
        action,
        institution_id,
        kommunekode,
        ip.map(|ip| ip.to_string()),
        details
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Record a refused request (another kommune's institution, another role's
/// page, a cross-site post) as `adgang_afvist`. Best effort: the refusal is
/// answered whether or not the row could be written, and a failure is logged.
pub async fn refused(
    pool: &sqlx::PgPool,
    principal: Option<&Principal>,
    ip: Option<IpAddr>,
    reason: &str,
    details: serde_json::Value,
) {
    let actor = match principal {
        Some(principal) => Actor::from_principal(principal),
        None => Actor::anonymous("ukendt"),
    };
    let kommunekode = match principal {
        Some(Principal::Kommune { kommunekode, .. } | Principal::Institution { kommunekode, .. }) => {
            Some(*kommunekode)
        }
        _ => None,
    };
    let mut details = details;
    if let Some(map) = details.as_object_mut() {
        map.insert("aarsag".into(), reason.into());
    }
    if let Err(error) = record(pool, &actor, "adgang_afvist", None, kommunekode, ip, details).await {
        tracing::warn!(?error, reason, "a refused request could not be audited");
    }
}
