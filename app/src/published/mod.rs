//! What parents see of one institution: its published sections loaded from
//! the saved data and rendered as the public page. Shared by the portal
//! (`/dagtilbud/{nummer}`, comparisons, the open-data API) and the workspace's
//! preview, which shows exactly this. The kommune key figures shown beside
//! the sections and the cache of rendered public pages live here too.

pub mod cache;
pub mod key_figures;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::sections::{
    Gaestedagpleje, Kontakt, Lukkedage, Madordning, OpeningHours, Profil, Section, SectionMeta,
};
use crate::register::MasterData;

/// Everything the public page shows about an institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicInstitution {
    pub master: MasterData,
    pub year: i32,
    pub profil: Option<(Profil, SectionMeta)>,
    pub madordning: Option<(Madordning, SectionMeta)>,
    pub lukkedage: Option<(Lukkedage, SectionMeta)>,
    pub aabningstider: Option<(OpeningHours, SectionMeta)>,
    pub kontakt: Option<(Kontakt, SectionMeta)>,
    /// Only a dagpleje has it.
    pub gaestedagpleje: Option<(Gaestedagpleje, SectionMeta)>,
    /// The kommune's newest imported key figures.
    pub key_figures: Option<crate::published::key_figures::KommuneKeyFigures>,
    /// The median number of closing days in `year` among the kommune's
    /// institutions that report lukkedage (when enough do).
    #[serde(default)]
    pub closing_median: Option<u32>,
}

/// The median number of closing days in `year` among kommune `kommunekode`'s
/// active institutions that report lukkedage, when at least
/// `plausibility::MIN_PEERS` do.
pub async fn closing_median(
    pool: &sqlx::PgPool,
    kommunekode: i16,
    year: i32,
) -> Result<Option<u32>, crate::error::AppError> {
    let rows = sqlx::query_scalar!(
        r#"SELECT s.data FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
           WHERE s.section = 'lukkedage' AND i.kommunekode = $1 AND i.status = 'aktiv'"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;
    Ok(crate::domain::plausibility::median(
        rows.into_iter()
            .filter_map(|data| serde_json::from_value::<Lukkedage>(data).ok())
            .map(|l| l.closing_days(year))
            .collect(),
    ))
}

/// The public data of the active institution `nummer` (any case); closed and
/// unknown numbers are "not found" alike.
pub async fn load_active(
    pool: &sqlx::PgPool,
    nummer: &str,
    year: i32,
) -> Result<PublicInstitution, crate::error::AppError> {
    let id = sqlx::query_scalar!(
        "SELECT id FROM institutions WHERE nummer = $1 AND status = 'aktiv'",
        nummer.trim().to_uppercase()
    )
    .fetch_optional(pool)
    .await?
    .ok_or(crate::error::AppError::NotFound)?;
    load_public(pool, id, year).await
}

/// Everything parents see about one institution: its master data and the
/// five sections as saved (two queries, whatever is reported).
pub async fn load_public(
    pool: &sqlx::PgPool,
    institution_id: i64,
    year: i32,
) -> Result<PublicInstitution, crate::error::AppError> {
    use crate::error::AppError;

    let master = crate::register::db::master_data(pool, institution_id).await?;
    let rows = sqlx::query!(
        r#"SELECT section, data, version, updated_at, updated_by_role, confirmed_at
           FROM institution_sections WHERE institution_id = $1"#,
        institution_id
    )
    .fetch_all(pool)
    .await?;
    fn pick<T: Section>(
        rows: &[(String, serde_json::Value, SectionMeta)],
    ) -> Result<Option<(T, SectionMeta)>, AppError> {
        rows.iter()
            .find(|(section, _, _)| section == T::KIND.as_str())
            .map(|(_, data, meta)| {
                serde_json::from_value::<T>(data.clone())
                    .map(|value| (value, meta.clone()))
                    .map_err(|e| AppError::internal("section data", &e))
            })
            .transpose()
    }
    let rows: Vec<(String, serde_json::Value, SectionMeta)> = rows
        .into_iter()
        .map(|r| {
            let by = crate::auth::Role::of_stored(&r.updated_by_role).label();
            let meta =
                SectionMeta::saved(r.version, r.updated_at, by).confirmed_at(r.confirmed_at, r.updated_at);
            (r.section, r.data, meta)
        })
        .collect();
    let key_figures = crate::published::key_figures::for_kommune(pool, master.kommunekode).await?;
    let closing_median = closing_median(pool, master.kommunekode, year).await?;
    Ok(PublicInstitution {
        closing_median,
        master,
        year,
        profil: pick(&rows)?,
        madordning: pick(&rows)?,
        lukkedage: pick(&rows)?,
        aabningstider: pick(&rows)?,
        kontakt: pick(&rows)?,
        gaestedagpleje: pick(&rows)?,
        key_figures,
    })
}

#[component]
fn Facts(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd class="pre">{value}</dd> }).collect_view()}
        </dl>
    }
}

#[component]
fn PublicSection<T: Clone + Send + Sync + 'static>(
    title: &'static str,
    section: Option<(T, SectionMeta)>,
    render: fn(&T) -> AnyView,
    /// Who reports it: a dagpleje's kommune, or the institution.
    #[prop(default = false)]
    by_kommune: bool,
) -> impl IntoView {
    view! {
        <section class="public-section">
            <h2>{title}</h2>
            {match section {
                Some((value, meta)) => view! {
                    {render(&value)}
                    <p class="section-meta">{meta.freshness()}</p>
                }.into_any(),
                None if by_kommune => view! { <p class="muted">"Kommunen har ikke indberettet dette endnu."</p> }.into_any(),
                None => view! { <p class="muted">"Institutionen har ikke indberettet dette endnu."</p> }.into_any(),
            }}
        </section>
    }
}

/// The parent-facing page body.
#[component]
pub fn PublicInstitutionView(data: PublicInstitution) -> impl IntoView {
    let year = data.year;
    let master = data.master.clone();
    let dagpleje = master.is_dagpleje();
    view! {
        <article class="public-institution">
            <h1>{master.navn.clone()}</h1>
            <p class="lead">
                {format!("{} · {} · ", master.type_label(), master.ejerform_label())}
                <a href=format!("/kommuner/{}", master.kommunekode)>{format!("{} Kommune", master.kommune)}</a>
            </p>
            <p>{if dagpleje { format!("Dagplejekontoret: {}", master.adresse) } else { master.adresse.clone() }}</p>
            {dagpleje.then(|| view! {
                <dl class="facts" data-testid="dagpleje-omraade">
                    <dt>"Området dækker postnumrene"</dt><dd>{master.omraade_postnumre_text()}</dd>
                    <dt>"Dagplejere"</dt><dd>{format!("Cirka {}", master.dagplejere.unwrap_or_default())}</dd>
                </dl>
                <p class="muted">"Dagplejen passer børnene i dagplejernes egne hjem. Kommunen anviser pladsen og fortæller her om området som helhed."</p>
            })}
            <PublicSection title="Pædagogisk profil" by_kommune=dagpleje section=data.profil render=|p: &Profil| view! {
                <p class="pre profile-text">{p.paedagogisk_profil.clone()}</p>
                <Facts rows=p.describe().into_iter().skip(1).collect() />
            }.into_any() />
            <PublicSection title="Åbningstider" by_kommune=dagpleje section=data.aabningstider render=|h: &OpeningHours| view! {
                <Facts rows=h.describe() />
                <p>{format!("Åbent {} om ugen.", h.weekly_hours_text())}</p>
            }.into_any() />
            <PublicSection title="Lukkedage" by_kommune=dagpleje section=data.lukkedage.clone() render=|l: &Lukkedage| view! {
                <Facts rows=l.describe() />
            }.into_any() />
            {data.lukkedage.as_ref().map(|(l, _)| {
                let median = data.closing_median.map(|m| format!(
                    " Kommunens dagtilbud holder typisk lukket {m} hverdage i {year} (medianen)."
                ));
                view! {
                    <p data-testid="public-lukkedage">
                        {format!("{} lukkedage i {year} og {} i {}.", l.closing_days(year), l.closing_days(year + 1), year + 1)}
                        {median}
                    </p>
                    <p>
                        <a href=format!("/dagtilbud/{}/lukkedage.ics", master.nummer) type="text/calendar">
                            "Abonnér på lukkedage i din kalender"
                        </a>
                        <span class="form-hint">" Kalenderen henter selv ændringer, når dagtilbuddet retter sine lukkedage."</span>
                    </p>
                }
            })}
            {dagpleje.then(|| view! {
                <PublicSection title="Gæstedagpleje" by_kommune=true section=data.gaestedagpleje.clone() render=|g: &Gaestedagpleje| view! { <Facts rows=g.describe() /> }.into_any() />
            })}
            <PublicSection title="Madordning" by_kommune=dagpleje section=data.madordning render=|m: &Madordning| view! { <Facts rows=m.describe() /> }.into_any() />
            <PublicSection title="Kontakt" by_kommune=dagpleje section=data.kontakt render=|k: &Kontakt| view! { <Facts rows=k.describe() /> }.into_any() />
            <crate::published::key_figures::KeyFiguresSection figures=data.key_figures kommune=master.kommune.clone() />
        </article>
    }
}
