//! The institution's own area: its start page under `/indberetning`. The
//! section pages it shares with the administrators live in `workspace`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::register::MasterData;
use crate::workspace::overview::{section_statuses, SectionTable};
use crate::workspace::Workspace;

/// The calling institution's own master data.
#[server(prefix = "/api/fn", endpoint = "institution_stamdata")]
pub async fn own_master_data() -> Result<MasterData, AppError> {
    let (institution_id, _) = crate::auth::context::require_institution()?;
    let pool = crate::ssr::pool()?;
    crate::register::db::master_data(&pool, institution_id).await
}

/// The last reminder the kommune sent the calling institution, if any.
#[server(prefix = "/api/fn", endpoint = "institution_paamindelse")]
pub async fn own_last_reminder() -> Result<Option<crate::reminders::LastReminder>, AppError> {
    let (institution_id, _) = crate::auth::context::require_institution()?;
    let pool = crate::ssr::pool()?;
    crate::reminders::db::last_for(&pool, institution_id).await
}

/// The institution's area: `/indberetning` and its section pages.
#[component(transparent)]
pub fn InstitutionRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::{Outlet, ParentRoute, Route};
    use leptos_router::{path, SsrMode};
    view! {
        <ParentRoute path=path!("indberetning") view=Outlet ssr=SsrMode::Async>
            <Route path=path!("") view=InstitutionStart ssr=SsrMode::Async />
            <crate::workspace::routes::SectionRoutes />
        </ParentRoute>
    }
    .into_inner()
}

#[component]
pub fn InstitutionStart() -> impl IntoView {
    // One resource for the page: its master data, its sections' status and
    // the kommune's last reminder.
    let data = Resource::new(
        || (),
        |_| async {
            (
                own_master_data().await,
                section_statuses(None).await,
                own_last_reminder().await,
            )
        },
    );
    view! {
        <Title text="Indberetning" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (data, statuses, reminder) = data.await;
                let reminder = reminder.ok().flatten().map(|r| view! {
                    <div class="alert alert-info">
                        <p>{format!(
                            "Kommunen sendte jer en påmindelse om at se oplysningerne efter {} (til {}).",
                            r.when, r.to
                        )}</p>
                    </div>
                });
                match data {
                    Ok(data) => view! {
                        <h1>{data.navn.clone()}</h1>
                        {reminder}
                        <crate::feedback::list::ReportsSection reader=crate::feedback::list::Reader::Institution />
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
                            <SectionTable workspace=Workspace::default() statuses />
                            <p class="button-row">
                                <a class="button" href="/indberetning/forhaandsvisning">"Se siden som forældre ser den"</a>
                                <a href="/indberetning/historik">"Se alle ændringer (historik)"</a>
                                <a href="/indberetning/kvittering">"Kvittering for det offentliggjorte"</a>
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
