//! The append-only audit log: who did what, when, from where. Never a secret.

use std::net::IpAddr;

use crate::auth::Principal;
use crate::error::AppError;

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
