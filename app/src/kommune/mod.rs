//! The kommune administrator's pages.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneFigures {
    pub kommune: String,
    pub active: i64,
    pub logged_in: i64,
}

/// Figures for the administrator's own kommune.
#[server(prefix = "/api/fn", endpoint = "kommune_oversigt")]
pub async fn kommune_summary() -> Result<KommuneFigures, AppError> {
    let (_, kommunekode) = crate::auth::ssr::require_kommune()?;
    let pool = crate::ssr::pool()?;
    let row = sqlx::query!(
        r#"SELECT k.navn,
                  COUNT(i.id) FILTER (WHERE i.status = 'aktiv') AS "active!",
                  COUNT(a.last_login_at) FILTER (WHERE i.status = 'aktiv') AS "logged_in!"
           FROM kommuner k
           LEFT JOIN institutions i ON i.kommunekode = k.kode
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE k.kode = $1
           GROUP BY k.navn"#,
        kommunekode
    )
    .fetch_one(&pool)
    .await?;
    Ok(KommuneFigures {
        kommune: row.navn,
        active: row.active,
        logged_in: row.logged_in,
    })
}

#[component]
pub fn KommuneStart() -> impl IntoView {
    let summary = Resource::new(|| (), |_| kommune_summary());
    view! {
        <Title text="Kommunens oversigt" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! {
                        <h1>{format!("{} Kommune", summary.kommune)}</h1>
                        <p class="stats">
                            {format!("{} aktive dagtilbud, heraf {} der har logget ind.", summary.active, summary.logged_in)}
                        </p>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
