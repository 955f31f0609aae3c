//! Afstand til dagtilbud on the search: where distances are measured from
//! (a postnummer, or the browser's location asked for on a click), how a
//! postnummer becomes a point, and the search form's distance fields.

#[cfg(feature = "ssr")]
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::places::{LOCATE_BUTTON, LOCATE_STATUS};
#[cfg(feature = "ssr")]
use super::search::SearchFilter;
use crate::domain::position::Position;
use crate::domain::Postnummer;

/// The distances a search can be limited to, in kilometres.
pub const MAX_KM: [u32; 5] = [1, 2, 5, 10, 25];

/// Where distances are measured from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// The middle of a postal district's institutions.
    Postnummer(Postnummer),
    /// A point the browser gave.
    Point(Position),
}

/// A starting point resolved to a place: where it is and how it is named.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct Resolved {
    pub position: Position,
    pub label: String,
    pub note: Option<String>,
}

/// A postal district as the search places it: the middle of its
/// institutions that have a position (closed ones too), and of its kommune's.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct District {
    pub navn: String,
    pub kommune: String,
    pub own: Option<Position>,
    pub wide: Option<Position>,
}

/// Where a postal district lies: the middle of its institutions that have a
/// position, or, with none, the middle of its kommune's. An unknown postnummer
/// is an error on the field `fra`.
#[cfg(feature = "ssr")]
pub async fn resolve(pool: &sqlx::PgPool, origin: Origin) -> Result<Resolved, crate::error::AppError> {
    let postnummer = match origin {
        Origin::Point(position) => return Ok(point(position)),
        Origin::Postnummer(postnummer) => postnummer,
    };
    let row = sqlx::query!(
        r#"SELECT p.navn, k.navn AS kommune,
                  own.lat AS own_lat, own.lon AS own_lon, wide.lat AS wide_lat, wide.lon AS wide_lon
           FROM postnumre p
           JOIN kommuner k ON k.kode = p.kommunekode
           CROSS JOIN LATERAL (SELECT avg(breddegrad) AS lat, avg(laengdegrad) AS lon FROM institutions
                               WHERE postnummer = p.postnummer AND breddegrad IS NOT NULL) own
           CROSS JOIN LATERAL (SELECT avg(breddegrad) AS lat, avg(laengdegrad) AS lon FROM institutions
                               WHERE kommunekode = p.kommunekode AND breddegrad IS NOT NULL) wide
           WHERE p.postnummer = $1"#,
        postnummer.get()
    )
    .fetch_optional(pool)
    .await?;
    let district = row.map(|row| District {
        navn: row.navn,
        kommune: row.kommune,
        own: position(row.own_lat, row.own_lon),
        wide: position(row.wide_lat, row.wide_lon),
    });
    place(postnummer, district.as_ref())
}

/// A position from two optional degrees.
#[cfg(feature = "ssr")]
pub fn position(breddegrad: Option<f64>, laengdegrad: Option<f64>) -> Option<Position> {
    breddegrad
        .zip(laengdegrad)
        .and_then(|(lat, lon)| Position::new(lat, lon))
}

/// The browser's point as a starting point.
#[cfg(feature = "ssr")]
pub fn point(position: Position) -> Resolved {
    Resolved {
        position,
        label: "din placering".into(),
        note: None,
    }
}

/// Where `postnummer` (the district, if it exists) places a search.
#[cfg(feature = "ssr")]
pub fn place(
    postnummer: Postnummer,
    district: Option<&District>,
) -> Result<Resolved, crate::error::AppError> {
    use crate::error::AppError;
    let field_error =
        |message: String| AppError::Validation([("fra".to_string(), message)].into_iter().collect());
    let district = district.ok_or_else(|| {
        field_error(format!(
            "Postnummeret {postnummer} findes ikke. Skriv et dansk postnummer, fx 8660."
        ))
    })?;
    let label = format!("{postnummer} {}", district.navn);
    match (district.own, district.wide) {
        (Some(position), _) => Ok(Resolved {
            position,
            label,
            note: None,
        }),
        (None, Some(position)) => Ok(Resolved {
            position,
            note: Some(format!(
                "Vi kender ikke placeringen af dagtilbud i {label}, så afstanden regnes fra midten af {} Kommunes dagtilbud.",
                district.kommune
            )),
            label,
        }),
        (None, None) => Err(field_error(format!(
            "Vi kender endnu ikke placeringen af dagtilbud i {label}. Skriv et nabopostnummer, eller brug din placering."
        ))),
    }
}

/// Where distances are measured from (a postnummer, or with the portal's
/// bundle the browser's location, asked for only on a click: "Brug min
/// placering", `live`), how far, and the order.
#[cfg(feature = "ssr")]
#[component]
pub fn DistanceFields(filter: SearchFilter) -> impl IntoView {
    let max_choices = MAX_KM
        .iter()
        .map(|km| (km.to_string(), format!("{km} km")))
        .collect::<Vec<_>>();
    view! {
        <fieldset class="distance">
            <legend>"Afstand"</legend>
            <div class="filter-row">
                <div class="form-group">
                    <label class="form-label" for="fra">"Fra postnummer"</label>
                    <span class="form-hint" id="fra-hjaelp">"Fire cifre, fx 8660"</span>
                    <input type="text" id="fra" name="fra" class="input input-char-4" inputmode="numeric" autocomplete="postal-code" value=filter.fra.clone() aria-describedby="fra-hjaelp" />
                </div>
                <input type="hidden" name="breddegrad" value=filter.breddegrad.clone() disabled=filter.breddegrad.is_empty() />
                <input type="hidden" name="laengdegrad" value=filter.laengdegrad.clone() disabled=filter.laengdegrad.is_empty() />
                // "Brug min placering" goes here, drawn by the portal's bundle: it
                // exists only where it works.
                <div id=LOCATE_BUTTON></div>
                <div class="form-group">
                    <label class="form-label" for="maks_km">"Højst"</label>
                    <select id="maks_km" name="maks_km" class="form-select">
                        <option value="">"Ligegyldigt"</option>
                        {max_choices.into_iter().map(|(value, label)| {
                            let selected = filter.maks_km == value;
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="sortering">"Sortér efter"</label>
                    <span class="form-hint" id="sortering-hjaelp">"Afstand kræver et postnummer eller din placering"</span>
                    <select id="sortering" name="sortering" class="form-select" aria-describedby="sortering-hjaelp">
                        <option value="" selected=filter.sortering != "navn">"Nærmeste først"</option>
                        <option value="navn" selected=filter.sortering == "navn">"Navn"</option>
                    </select>
                </div>
            </div>
            <p class="form-hint" id=LOCATE_STATUS aria-live="polite"></p>
            <p class="form-hint">"Afstanden måles i lige linje. Din placering bruges kun til denne søgning og gemmes ikke."</p>
        </fieldset>
    }
}
