//! The kommune's dagpleje on its start page: each dagplejeområde with the
//! sections reported for it. The kommune reports them itself (a dagpleje has
//! no log-in), from the område's page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::sections::SectionKind;
use crate::error::AppError;

/// One active dagplejeområde and what is reported for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DagplejeStatus {
    pub nummer: String,
    pub navn: String,
    /// `8660, 8680`.
    pub postnumre: String,
    /// Reported or not, in the order of `SectionKind::DAGPLEJE`.
    pub filled: Vec<bool>,
}

/// The administrator's own kommune's active dagplejeområder.
#[server(prefix = "/api/fn", endpoint = "kommune_dagpleje")]
pub async fn kommune_dagpleje() -> Result<Vec<DagplejeStatus>, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let pool = crate::ssr::pool()?;
    let rows = sqlx::query!(
        r#"SELECT i.nummer, i.navn, COALESCE(i.omraade_postnumre, '{}') AS "postnumre!",
                  COALESCE(array_agg(s.section) FILTER (WHERE s.section IS NOT NULL), '{}') AS "filled!"
           FROM institutions i
           LEFT JOIN institution_sections s ON s.institution_id = i.id
           WHERE i.kommunekode = $1 AND i.status = 'aktiv' AND i.institution_type = 'dagpleje'
           GROUP BY i.id
           ORDER BY i.navn"#,
        kommunekode
    )
    .fetch_all(&pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DagplejeStatus {
            filled: SectionKind::DAGPLEJE
                .iter()
                .map(|k| r.filled.iter().any(|s| s == k.as_str()))
                .collect(),
            postnumre: r
                .postnumre
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            nummer: r.nummer,
            navn: r.navn,
        })
        .collect())
}

/// "Dagpleje": the kommune's dagplejeområder and how far their reporting is.
#[component]
pub fn DagplejeOverview() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| kommune_dagpleje());
    view! {
        <section aria-labelledby="dagpleje-overskrift">
            <h2 id="dagpleje-overskrift">"Dagpleje"</h2>
            <p>
                "Kommunen indberetter selv for sin dagpleje, ét dagplejeområde ad gangen. "
                <a href="/kommune/nyt-dagtilbud">"Nyt dagplejeområde"</a>
                ": opret det som et dagtilbud med typen Kommunal dagpleje."
            </p>
            <Suspense fallback=|| view! { <p>"Henter …"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(areas) if areas.is_empty() => view! {
                            <p data-testid="dagpleje-tom">"Kommunen har ingen dagplejeområder endnu."</p>
                        }.into_any(),
                        Ok(areas) => view! { <DagplejeTable areas /> }.into_any(),
                        Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DagplejeTable(areas: Vec<DagplejeStatus>) -> impl IntoView {
    view! {
        <table class="table table-compact" data-testid="dagpleje">
            <caption class="visually-hidden">"Kommunens dagplejeområder og deres indberetning"</caption>
            <thead>
                <tr>
                    <th scope="col">"Område"</th>
                    <th scope="col">"Postnumre"</th>
                    {SectionKind::DAGPLEJE.iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {areas.into_iter().map(|area| {
                    let cells = super::section_cells(&area.filled, &SectionKind::DAGPLEJE);
                    view! {
                        <tr>
                            <td><a href=format!("/kommune/dagtilbud/{}", area.nummer)>{area.navn}</a></td>
                            <td>{area.postnumre}</td>
                            {cells}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
