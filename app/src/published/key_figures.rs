//! Kommune key figures of the kind Danmarks Statistik publishes (normering,
//! trained staff, children), imported from CSV with their year and source.
//! Invented figures (demo data, example files) carry `opdigtet` and every page
//! that shows them says so.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::figure::{Figure, FigureChart};

/// The kommune's newest key figures beside the median of all kommuner the same year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneKeyFigures {
    pub aar: i16,
    /// Some of the figures shown (the kommune's or the national median's) are invented.
    pub opdigtet: bool,
    pub kilde: String,
    pub figures: Vec<Figure>,
}

/// The newest key figures of kommune `kode`, if any were imported.
pub async fn for_kommune(
    pool: &sqlx::PgPool,
    kode: i16,
) -> Result<Option<KommuneKeyFigures>, crate::error::AppError> {
    let row = sqlx::query!(
        r#"WITH own AS (
             SELECT * FROM kommune_key_figures WHERE kommunekode = $1 ORDER BY aar DESC LIMIT 1
           ), year AS (
             SELECT bool_or(k.opdigtet) AS opdigtet,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.normering_0_2) AS n02,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.normering_3_5) AS n35,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.normering_dagpleje) AS ndp,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.andel_paedagoger) AS paed,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.boern) AS boern,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.andel_ikke_dansk) AS ikke_dansk
             FROM kommune_key_figures k WHERE k.aar = (SELECT aar FROM own)
           )
           SELECT o.aar, o.kilde, (o.opdigtet OR coalesce(y.opdigtet, false)) AS "opdigtet!",
                  o.normering_0_2::float8 AS own_n02, y.n02,
                  o.normering_3_5::float8 AS own_n35, y.n35,
                  o.normering_dagpleje::float8 AS own_ndp, y.ndp,
                  o.andel_paedagoger::float8 AS own_paed, y.paed,
                  o.boern::float8 AS own_boern, y.boern,
                  o.andel_ikke_dansk::float8 AS own_ikke_dansk, y.ikke_dansk
           FROM own o CROSS JOIN year y"#,
        kode
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let figure = |label: &str, unit: &str, kommune: Option<f64>, national: Option<f64>| Figure {
            label: label.to_string(),
            kommune,
            national,
            unit: unit.to_string(),
        };
        KommuneKeyFigures {
            aar: r.aar,
            opdigtet: r.opdigtet,
            kilde: r.kilde,
            figures: vec![
                figure("Normering, 0–2 år", "børn pr. voksen", r.own_n02, r.n02),
                figure("Normering, 3–5 år", "børn pr. voksen", r.own_n35, r.n35),
                figure("Normering, dagpleje", "børn pr. voksen", r.own_ndp, r.ndp),
                figure("Pædagogisk uddannet personale", "%", r.own_paed, r.paed),
                figure("Børn i dagtilbud", "børn", r.own_boern, r.boern),
                figure(
                    "Børn med anden herkomst end dansk",
                    "%",
                    r.own_ikke_dansk,
                    r.ikke_dansk,
                ),
            ],
        }
    }))
}

/// The kommune's key figures as charts, with their year and source, and the
/// label when they are invented.
#[component]
pub fn KeyFiguresSection(figures: Option<KommuneKeyFigures>, kommune: String) -> impl IntoView {
    view! {
        <section aria-labelledby="kommunens-noegletal" class="key-figures">
            <h2 id="kommunens-noegletal">{format!("Nøgletal for {kommune} Kommune")}</h2>
            {match figures {
                None => view! { <p class="muted">"Der er endnu ingen nøgletal for kommunen."</p> }.into_any(),
                Some(figures) => view! {
                    {figures.opdigtet.then(|| view! {
                        <p class="demo-label" data-testid="opdigtede-tal">
                            <strong>"Opdigtede tal. "</strong>
                            "Tallene er lavet til demonstration og beskriver ikke virkeligheden."
                        </p>
                    })}
                    <p class="muted">
                        {format!("Tal fra {}. Kilde: {}. ", figures.aar, figures.kilde)}
                        "Normering er antal børn pr. pædagogisk medarbejder i kommunale og selvejende institutioner. "
                        "Hele landet er medianen af kommunerne samme år."
                    </p>
                    {figures.figures.into_iter().map(|figure| view! { <FigureChart figure /> }).collect_view()}
                }.into_any(),
            }}
        </section>
    }
}
