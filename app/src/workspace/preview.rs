//! `…/forhaandsvisning`: the institution's page exactly as parents see it,
//! for the institution and for an administrator working on its behalf.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// The calling institution's page (or, for an administrator, `nummer`'s)
/// exactly as parents will see it.
#[server(prefix = "/api/fn", endpoint = "forhaandsvisning")]
pub async fn preview(nummer: Option<String>) -> Result<crate::published::PublicInstitution, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let pool = crate::ssr::pool()?;
    // Reading only: the kommune may preview a private institution it cannot edit.
    let target = super::db::readable_target(
        &pool,
        principal,
        nummer.as_deref(),
        crate::auth::context::client_ip(),
    )
    .await?;
    crate::published::load_public(&pool, target.institution_id, crate::ssr::today()?.year()).await
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let workspace = super::Workspace::current();
    let nummer = workspace.nummer.clone();
    let data = Resource::new_blocking(|| (), move |_| preview(nummer.clone()));
    view! {
        <Title text="Forhåndsvisning" />
        <div class="alert no-print">
            <p>"Sådan ser forældrene siden på Dagtilbudsportalen. "<a href=workspace.base()>"Tilbage til oversigten"</a></p>
        </div>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <crate::published::PublicInstitutionView data /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
