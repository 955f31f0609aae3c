//! The kommune's review list (`/kommune/tjek`): every plausibility warning
//! ("Er det rigtigt?") of the kommune's institutions in one place, each
//! linked to the section page where the kommune or the institution can fix it.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::sections::SectionKind;
use crate::error::AppError;

/// One warning of one institution's section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub nummer: String,
    pub navn: String,
    pub section: SectionKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub kommune: String,
    pub rows: Vec<ReviewRow>,
}

#[server(prefix = "/api/fn", endpoint = "kommune_tjek")]
pub async fn kommune_tjek() -> Result<ReviewPage, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let pool = crate::ssr::pool()?;
    let year = crate::ssr::today()?.year();
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(&pool)
        .await?;
    Ok(ReviewPage {
        kommune,
        rows: db::review(&pool, kommunekode, year).await?,
    })
}

mod db {
    use std::collections::HashMap;

    use super::ReviewRow;
    use crate::domain::plausibility::Norms;
    use crate::domain::sections::{Lukkedage, Madordning, OpeningHours, Profil, Section, SectionKind};
    use crate::error::AppError;

    /// The warnings of the kommune's active, non-private institutions, by name.
    pub async fn review(
        pool: &sqlx::PgPool,
        kommunekode: i16,
        year: i32,
    ) -> Result<Vec<ReviewRow>, AppError> {
        let sections = sqlx::query!(
            r#"SELECT i.nummer, i.navn, i.institution_type, s.section, s.data
               FROM institutions i JOIN institution_sections s ON s.institution_id = i.id
               WHERE i.kommunekode = $1 AND i.status = 'aktiv' AND i.ejerform <> 'privat'
                 AND s.section IN ('profil', 'madordning', 'aabningstider', 'lukkedage')
               ORDER BY i.navn, i.nummer"#,
            kommunekode
        )
        .fetch_all(pool)
        .await?;
        let mut norms: HashMap<String, Norms> = HashMap::new();
        let mut rows = Vec::new();
        for row in sections {
            if !norms.contains_key(&row.institution_type) {
                let found =
                    crate::workspace::norms::peers(pool, kommunekode, &row.institution_type, year).await?;
                norms.insert(row.institution_type.clone(), found);
            }
            let norms = &norms[&row.institution_type];
            let Some(kind) = SectionKind::parse(&row.section) else {
                continue;
            };
            let warnings = match kind {
                SectionKind::Profil => warnings_of::<Profil>(row.data, norms, year),
                SectionKind::Madordning => warnings_of::<Madordning>(row.data, norms, year),
                SectionKind::Aabningstider => warnings_of::<OpeningHours>(row.data, norms, year),
                SectionKind::Lukkedage => warnings_of::<Lukkedage>(row.data, norms, year),
                _ => Vec::new(),
            };
            rows.extend(warnings.into_iter().map(|w| ReviewRow {
                nummer: row.nummer.clone(),
                navn: row.navn.clone(),
                section: kind,
                message: w.message,
            }));
        }
        // In the order of the sections on an institution's page.
        rows.sort_by_key(|r| {
            (
                r.navn.clone(),
                r.nummer.clone(),
                SectionKind::ALL.iter().position(|k| *k == r.section),
            )
        });
        Ok(rows)
    }

    fn warnings_of<T: Section>(
        data: serde_json::Value,
        norms: &Norms,
        year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        match serde_json::from_value::<T>(data) {
            Ok(value) => value.warnings(norms, year),
            Err(error) => {
                tracing::warn!(%error, section = T::KIND.as_str(), "stored section could not be read for review");
                Vec::new()
            }
        }
    }
}

#[component]
pub fn ReviewListPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| kommune_tjek());
    view! {
        <Title text="Er det rigtigt?" />
        <p><a href="/kommune">"Til kommunens oversigt"</a></p>
        <h1>"Er det rigtigt?"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let page = match data.await {
                    Ok(page) => page,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let institutions = {
                    let mut numbers: Vec<&str> = page.rows.iter().map(|r| r.nummer.as_str()).collect();
                    numbers.dedup();
                    numbers.len()
                };
                let count = page.rows.len();
                let rows = page.rows.into_iter().map(|row| {
                    let base = format!("/kommune/dagtilbud/{}", row.nummer);
                    view! {
                        <tr>
                            <td><a href=base.clone()>{format!("{} ({})", row.navn, row.nummer)}</a></td>
                            <td><a href=format!("{base}/{}", row.section.as_str())>{row.section.label()}</a></td>
                            <td>{row.message}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <p>{format!(
                        "Oplysninger fra {} Kommunes dagtilbud, der skiller sig ud: åbent før kl. 05.30 eller efter kl. 19.00, mere end 60 timer om ugen, langt flere lukkedage end kommunens øvrige dagtilbud, et økologiniveau, som få af samme type har valgt, eller en pædagogisk profil, der er meget kortere end de fleste. Advarslerne forhindrer ikke, at oplysningerne gemmes; de er spørgsmål, som dagtilbuddet eller kommunen kan se efter.",
                        page.kommune
                    )}</p>
                    <p role="status">{format!("{count} advarsler hos {institutions} dagtilbud.")}</p>
                    {(count > 0).then(|| view! {
                        <div class="table-wrap">
                            <table class="table table-compact">
                                <caption>"Advarsler, ordnet efter dagtilbud"</caption>
                                <thead><tr>
                                    <th scope="col">"Dagtilbud"</th><th scope="col">"Afsnit"</th><th scope="col">"Er det rigtigt?"</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}
