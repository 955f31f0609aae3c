//! `/kommuner/{kode}`: a kommune's figures beside the national median, and
//! its active institutions. Every figure is computed from what the
//! institutions themselves reported, and says so.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::components::figure::{Figure, FigureChart};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneInstitution {
    pub nummer: String,
    pub navn: String,
    pub type_label: String,
    pub postby: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommunePage {
    pub kode: i16,
    pub navn: String,
    pub region: String,
    pub figures: Vec<Figure>,
    /// Demo mode: the institutions, and so the figures computed from them, are invented.
    pub demo: bool,
    pub key_figures: Option<crate::published::key_figures::KommuneKeyFigures>,
    pub institutions: Vec<KommuneInstitution>,
}

/// The kommune's page data; an unknown code is "not found".
#[server(prefix = "/api/fn", endpoint = "kommune_side")]
pub async fn kommune_figures(kode: i16) -> Result<KommunePage, AppError> {
    // Public data: no principal needed; only active institutions.
    let pool = crate::ssr::pool()?;
    let kommune = sqlx::query!("SELECT navn, region FROM kommuner WHERE kode = $1", kode)
        .fetch_optional(&pool)
        .await?
        .ok_or(AppError::NotFound)?;
    // Per active institution (not dagpleje, which has a sixth section and
    // places in homes): weekly opening hours, places, sections reported.
    let figures = sqlx::query!(
        r#"WITH per AS (
             SELECT i.kommunekode,
                    (SELECT sum(extract(epoch FROM (d->>'closes')::time - (d->>'opens')::time)) / 3600
                     FROM jsonb_array_elements(a.data->'days') d WHERE jsonb_typeof(d) = 'object') AS hours,
                    (p.data->>'pladser')::float8 AS places,
                    (SELECT COUNT(*) FROM institution_sections s WHERE s.institution_id = i.id) AS sections
             FROM institutions i
             LEFT JOIN institution_sections a ON a.institution_id = i.id AND a.section = 'aabningstider'
             LEFT JOIN institution_sections p ON p.institution_id = i.id AND p.section = 'profil'
             WHERE i.status = 'aktiv' AND i.institution_type <> 'dagpleje'
           ), medians AS (
             SELECT kommunekode = $1 AS own,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS hours,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY places) AS places,
                    100.0 * avg((sections = 5)::int) AS all_reported
             FROM per GROUP BY GROUPING SETS ((kommunekode = $1), ())
           )
           SELECT own, hours, places, all_reported::float8 AS all_reported FROM medians"#,
        kode
    )
    .fetch_all(&pool)
    .await?;
    // The grouping set () has own = NULL: the national figure.
    let kommune_row = figures.iter().find(|r| r.own == Some(true));
    let national_row = figures.iter().find(|r| r.own.is_none());
    let take = |row: Option<&(Option<f64>, Option<f64>, Option<f64>)>, i: usize| {
        row.and_then(|(h, p, a)| [*h, *p, *a][i])
    };
    let kommune_values = kommune_row.map(|r| (r.hours, r.places, r.all_reported));
    let national_values = national_row.map(|r| (r.hours, r.places, r.all_reported));
    let figures = [
        ("Åbent pr. uge (median)", "timer"),
        ("Pladser pr. dagtilbud (median)", "pladser"),
        ("Har indberettet alle fem afsnit", "%"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (label, unit))| Figure {
        label: label.to_string(),
        kommune: take(kommune_values.as_ref(), i),
        national: take(national_values.as_ref(), i),
        unit: unit.to_string(),
    })
    .collect();
    let institutions = sqlx::query!(
        r#"SELECT nummer, navn, institution_type, postby FROM institutions
           WHERE kommunekode = $1 AND status = 'aktiv' ORDER BY navn, nummer"#,
        kode
    )
    .fetch_all(&pool)
    .await?
    .into_iter()
    .map(|r| KommuneInstitution {
        type_label: crate::domain::InstitutionType::parse(&r.institution_type)
            .map(|t| t.label())
            .unwrap_or("Ukendt")
            .to_string(),
        nummer: r.nummer,
        navn: r.navn,
        postby: r.postby,
    })
    .collect();
    let key_figures = crate::published::key_figures::for_kommune(&pool, kode).await?;
    let demo = use_context::<crate::ssr::AppState>().is_some_and(|state| state.settings.demo);
    Ok(KommunePage {
        kode,
        navn: kommune.navn,
        region: kommune.region,
        figures,
        demo,
        key_figures,
        institutions,
    })
}

#[component]
pub fn KommunePortalPage() -> impl IntoView {
    let params = use_params_map();
    let kode = move || params.read().get("kode").and_then(|k| k.parse::<i16>().ok());
    let data = Resource::new_blocking(kode, |kode| async move {
        match kode {
            Some(kode) => kommune_figures(kode).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <KommuneView page /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::pages::NotFound /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn KommuneView(page: KommunePage) -> impl IntoView {
    let title = format!("Dagtilbud i {} Kommune", page.navn);
    let description = format!(
        "{} aktive dagtilbud i {} Kommune med nøgletal ud fra dagtilbuddenes egne indberetninger.",
        page.institutions.len(),
        page.navn
    );
    view! {
        <Title text=title.clone() />
        <leptos_meta::Meta name="description" content=description />
        <p><a href="/">"Søg efter dagtilbud"</a></p>
        <h1>{title}</h1>
        <p class="lead">{format!("{} · {} aktive dagtilbud", page.region, page.institutions.len())}</p>
        <crate::published::key_figures::KeyFiguresSection figures=page.key_figures kommune=page.navn.clone() />
        <section aria-labelledby="indberettede-tal">
            <h2 id="indberettede-tal">"Tal fra dagtilbuddenes indberetninger"</h2>
            {page.demo.then(|| view! {
                <p class="demo-label">
                    <strong>"Opdigtede tal. "</strong>
                    "Dette er en demonstration: dagtilbuddene og det, de har indberettet, er opdigtede."
                </p>
            })}
            <p class="muted">
                "Beregnet i dag ud fra det, dagtilbuddene selv har indberettet, sammenlignet med hele landet. "
                "Dagtilbud, der ikke har indberettet et afsnit, tæller ikke med i det tal."
            </p>
            {page.figures.into_iter().map(|figure| view! { <FigureChart figure /> }).collect_view()}
        </section>
        <section aria-labelledby="kommunens-dagtilbud">
            <h2 id="kommunens-dagtilbud">"Kommunens dagtilbud"</h2>
            <ul class="kommune-institutions">
                {page.institutions.into_iter().map(|i| view! {
                    <li>
                        <a href=format!("/dagtilbud/{}", i.nummer)>{i.navn}</a>
                        <span class="muted">{format!(" · {} · {}", i.type_label, i.postby)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
