//! The institution's own pages: start page (and, next, the five sections).

pub mod closing;
#[cfg(feature = "ssr")]
pub mod db;
pub mod forms;
pub mod overview;
pub mod workspace;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::register::MasterData;

/// The calling institution's own master data.
#[server(prefix = "/api/fn", endpoint = "institution_stamdata")]
pub async fn own_master_data() -> Result<MasterData, AppError> {
    let (institution_id, _) = crate::auth::context::require_institution()?;
    let pool = crate::ssr::pool()?;
    crate::register::db::master_data(&pool, institution_id).await
}

/// The calling institution's page (or, for an administrator, `nummer`'s)
/// exactly as parents will see it.
#[server(prefix = "/api/fn", endpoint = "forhaandsvisning")]
pub async fn preview(
    nummer: Option<String>,
) -> Result<crate::portal::institution_view::PublicInstitution, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let pool = crate::ssr::pool()?;
    // Reading only: the kommune may preview a private institution it cannot edit.
    let target = db::readable_target(&pool, principal, nummer.as_deref()).await?;
    crate::portal::institution_view::load_public(&pool, target.institution_id, crate::ssr::today()?.year())
        .await
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let workspace = workspace::Workspace::current();
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
                    Ok(data) => view! { <crate::portal::institution_view::PublicInstitutionView data /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn InstitutionStart() -> impl IntoView {
    let data = Resource::new(|| (), |_| own_master_data());
    view! {
        <Title text="Indberetning" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! {
                        <h1>{data.navn.clone()}</h1>
                        <section aria-labelledby="stamdata">
                            <h2 id="stamdata">"Stamdata fra Dagtilbudsregisteret"</h2>
                            <p class="muted">"Stamdata vedligeholdes af kommunen. Kontakt kommunen, hvis noget er forkert."</p>
                            <dl class="facts">
                                <dt>"Institutionsnummer"</dt><dd>{data.nummer.clone()}</dd>
                                <dt>"Type"</dt><dd>{data.type_label()}</dd>
                                <dt>"Ejerform"</dt><dd>{data.ejerform_label()}</dd>
                                <dt>"Kommune"</dt><dd>{data.kommune.clone()}</dd>
                                <dt>"Adresse"</dt><dd>{data.adresse.clone()}</dd>
                            </dl>
                        </section>
                        <section aria-labelledby="afsnit">
                            <h2 id="afsnit">"Jeres indberetning"</h2>
                            <overview::SectionTable workspace=workspace::Workspace::default() />
                            <p class="button-row">
                                <a class="button" href="/indberetning/forhaandsvisning">"Se siden som forældre ser den"</a>
                                <a href="/indberetning/historik">"Se alle ændringer (historik)"</a>
                            </p>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
