//! The public portal for parents.

pub mod institution_view;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneCount {
    pub kode: i16,
    pub navn: String,
    pub institutions: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalSummary {
    pub institutions: i64,
    pub kommuner: Vec<KommuneCount>,
}

/// Figures for the front page: active institutions per kommune.
#[server(prefix = "/api/fn", endpoint = "landing_stats")]
pub async fn landing_stats() -> Result<PortalSummary, AppError> {
    // Public data: no principal needed, only active institutions are counted.
    let pool = crate::ssr::pool()?;
    let kommuner = sqlx::query_as!(
        KommuneCount,
        r#"SELECT k.kode, k.navn, COUNT(i.id) AS "institutions!"
           FROM kommuner k
           LEFT JOIN institutions i ON i.kommunekode = k.kode AND i.status = 'aktiv'
           GROUP BY k.kode, k.navn
           ORDER BY k.navn"#
    )
    .fetch_all(&pool)
    .await?;
    let institutions = kommuner.iter().map(|k| k.institutions).sum();
    Ok(PortalSummary {
        institutions,
        kommuner,
    })
}

#[component]
pub fn Landing() -> impl IntoView {
    let stats = Resource::new(|| (), |_| landing_stats());
    let (filter, set_filter) = signal(String::new());

    view! {
        <Title text="Find og sammenlign dagtilbud" />
        <section class="hero">
            <h1>"Find og sammenlign dagtilbud"</h1>
            <p class="lead">
                "Her kan du som forælder læse, hvad vuggestuer, børnehaver og fritidstilbud selv fortæller om "
                "deres pædagogiske profil, madordning, åbningstider og lukkedage."
            </p>
        </section>
        <Suspense fallback=|| view! { <p>"Henter oplysninger …"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(stats) => {
                        let total = stats.institutions;
                        let count = stats.kommuner.len();
                        let kommuner = stats.kommuner.clone();
                        let visible = Memo::new(move |_| {
                            let needle = filter.get().trim().to_lowercase();
                            kommuner
                                .iter()
                                .filter(|k| needle.is_empty() || k.navn.to_lowercase().contains(&needle))
                                .cloned()
                                .collect::<Vec<_>>()
                        });
                        view! {
                            <p class="stats" data-testid="stats">
                                {format!("{total} dagtilbud i {count} kommuner")}
                            </p>
                            <section aria-labelledby="kommuner-overskrift">
                                <h2 id="kommuner-overskrift">"Dagtilbud pr. kommune"</h2>
                                <div class="field">
                                    <label for="kommune-filter">"Find en kommune"</label>
                                    <input
                                        id="kommune-filter"
                                        name="kommune"
                                        type="search"
                                        class="input input-medium"
                                        autocomplete="off"
                                        on:input=move |ev| set_filter.set(event_target_value(&ev))
                                        prop:value=filter
                                    />
                                </div>
                                <p class="visually-hidden" aria-live="polite">
                                    {move || format!("{} kommuner vises", visible.with(Vec::len))}
                                </p>
                                <ul class="kommune-list" data-testid="kommune-list">
                                    <For each=move || visible.get() key=|k| k.kode let:kommune>
                                        <li>
                                            <span class="kommune-navn">{kommune.navn}</span>
                                            " "
                                            <span class="kommune-antal">{format!("{} dagtilbud", kommune.institutions)}</span>
                                        </li>
                                    </For>
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One active institution's public page data; closed and unknown numbers are
/// "not found" alike.
#[server(prefix = "/api/fn", endpoint = "dagtilbud")]
pub async fn public_institution(nummer: String) -> Result<institution_view::PublicInstitution, AppError> {
    // Public data: no principal needed; only what institutions saved is shown.
    let pool = crate::ssr::pool()?;
    let id = sqlx::query_scalar!(
        "SELECT id FROM institutions WHERE nummer = $1 AND status = 'aktiv'",
        nummer.trim().to_uppercase()
    )
    .fetch_optional(&pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let year = crate::institution::forms::today()?.year();
    institution_view::load_public(&pool, id, year).await
}

/// `/dagtilbud/{nummer}`: the page parents read.
#[component]
pub fn InstitutionPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let nummer = move || params.read().get("nummer").unwrap_or_default();
    let data = Resource::new_blocking(nummer, public_institution);
    view! {
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let title = data.master.navn.clone();
                        let description = format!(
                            "{}: {} i {} Kommune. Profil, madordning, åbningstider, lukkedage og kontakt.",
                            data.master.navn,
                            data.master.type_label(),
                            data.master.kommune
                        );
                        view! {
                            <Title text=title />
                            <leptos_meta::Meta name="description" content=description />
                            <p><a href="/">"Søg efter dagtilbud"</a></p>
                            <institution_view::PublicInstitutionView data />
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <crate::pages::NotFound /> }.into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
