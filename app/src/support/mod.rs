//! STIL support's pages.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalFigures {
    pub institutions: i64,
    pub private: i64,
    pub kommune_admins: i64,
}

/// National figures for support.
#[server(prefix = "/api/fn", endpoint = "support_oversigt")]
pub async fn national_summary() -> Result<NationalFigures, AppError> {
    crate::auth::ssr::require_support()?;
    let pool = crate::ssr::pool()?;
    let row = sqlx::query!(
        r#"SELECT (SELECT COUNT(*) FROM institutions WHERE status = 'aktiv') AS "institutions!",
                  (SELECT COUNT(*) FROM institutions WHERE status = 'aktiv' AND ejerform = 'privat') AS "private!",
                  (SELECT COUNT(*) FROM admin_accounts WHERE role = 'kommune' AND NOT disabled) AS "kommune_admins!""#
    )
    .fetch_one(&pool)
    .await?;
    Ok(NationalFigures {
        institutions: row.institutions,
        private: row.private,
        kommune_admins: row.kommune_admins,
    })
}

#[component]
pub fn SupportStart() -> impl IntoView {
    let summary = Resource::new(|| (), |_| national_summary());
    view! {
        <Title text="Support" />
        <h1>"Support"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! {
                        <p class="stats">
                            {format!(
                                "{} aktive dagtilbud i hele landet, heraf {} private. {} aktive kommuneadministratorer.",
                                summary.institutions, summary.private, summary.kommune_admins
                            )}
                        </p>
                    }
                    .into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
