//! Open data: `/api/v1/dagtilbud` (JSON, paged, the search's filters),
//! `/api/v1/dagtilbud/{nummer}`, `/api/v1/dagtilbud.csv`, described by the
//! OpenAPI document at `/api/v1/openapi.json`. Only active institutions and
//! what they saved; answers carry an ETag and may be cached for a minute.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::search::{self, SearchFilter, SearchHit};
use crate::api::{tagged, ApiError, Failure, Wording};
use crate::error::AppError;
use crate::ssr::AppState;

/// The search's filters as query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ApiFilter {
    /// Name, institution number, postnummer, town or kommune.
    q: Option<String>,
    /// vuggestue, boernehave, integreret, fritidshjem, fritidsklub, landsbyordning
    #[serde(rename = "type")]
    #[param(rename = "type")]
    institution_type: Option<String>,
    /// 0_2, 3_5, 6_9, 10_plus
    alder: Option<String>,
    /// kommunal, selvejende, privat, udliciteret
    ejerform: Option<String>,
    /// A profile tag: natur, idraet, sprog, musik, kunst, science, skov, flersproget
    profil: Option<String>,
    /// The lowest Spisemærke level: bronze, soelv, guld
    oekologi: Option<String>,
    /// vegetarisk, halal, uden_svinekoed, allergier
    hensyn: Option<String>,
    /// Opens at this time or earlier on some weekday, hh:mm
    aabner: Option<String>,
    /// Closes at this time or later on some weekday, hh:mm
    lukker: Option<String>,
    /// Starting point for distances: a postnummer (four digits)
    fra: Option<String>,
    /// Starting point for distances: latitude in degrees (with `laengdegrad`)
    breddegrad: Option<String>,
    /// Starting point for distances: longitude in degrees (with `breddegrad`)
    laengdegrad: Option<String>,
    /// Only institutions within this many kilometres of the starting point: 1, 2, 5, 10, 25
    maks_km: Option<String>,
    /// navn (default) or afstand (nearest first; needs a starting point)
    sortering: Option<String>,
    /// Page, from 1
    side: Option<usize>,
}

impl From<ApiFilter> for SearchFilter {
    fn from(f: ApiFilter) -> Self {
        SearchFilter {
            q: f.q.unwrap_or_default(),
            institution_type: f.institution_type.unwrap_or_default(),
            alder: f.alder.unwrap_or_default(),
            ejerform: f.ejerform.unwrap_or_default(),
            profil: f.profil.unwrap_or_default(),
            oekologi: f.oekologi.unwrap_or_default(),
            hensyn: f.hensyn.unwrap_or_default(),
            aabner: f.aabner.unwrap_or_default(),
            lukker: f.lukker.unwrap_or_default(),
            fra: f.fra.unwrap_or_default(),
            breddegrad: f.breddegrad.unwrap_or_default(),
            laengdegrad: f.laengdegrad.unwrap_or_default(),
            maks_km: f.maks_km.unwrap_or_default(),
            sortering: f.sortering.unwrap_or_default(),
            side: f.side.unwrap_or(1),
        }
    }
}

/// One institution in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiListItem {
    nummer: String,
    navn: String,
    #[serde(rename = "type")]
    institution_type: String,
    ejerform: String,
    adresse: String,
    kommune: String,
    kommunekode: i16,
    aldersgrupper: Vec<String>,
    /// Degrees (WGS 84); null when the register has no position.
    breddegrad: Option<f64>,
    laengdegrad: Option<f64>,
    /// Straight-line distance in metres from the search's starting point
    /// (`fra` or `breddegrad`/`laengdegrad`), when one was given.
    afstand_m: Option<u32>,
    /// The page for people.
    url: String,
    /// This API's record of the institution.
    api: String,
}

impl From<SearchHit> for ApiListItem {
    fn from(hit: SearchHit) -> Self {
        ApiListItem {
            url: format!("/dagtilbud/{}", hit.nummer),
            api: format!("/api/v1/dagtilbud/{}", hit.nummer),
            nummer: hit.nummer,
            navn: hit.navn,
            institution_type: hit.type_label,
            ejerform: hit.ejerform_label,
            adresse: hit.adresse,
            kommune: hit.kommune,
            kommunekode: hit.kommunekode,
            aldersgrupper: hit.aldersgrupper,
            breddegrad: hit.position.map(|p| p.breddegrad),
            laengdegrad: hit.position.map(|p| p.laengdegrad),
            afstand_m: hit.distance_m.map(|m| m.round() as u32),
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPage {
    total: i64,
    side: usize,
    sider: usize,
    per_side: i64,
    dagtilbud: Vec<ApiListItem>,
}

/// A reported section: the saved data and when it was saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSection {
    /// The section as saved by the institution (or its kommune).
    #[schema(value_type = Object)]
    data: serde_json::Value,
    /// "23.11.2026 kl. 14:05", Danish time.
    opdateret: Option<String>,
}

/// Everything public about one institution. A section never reported is null.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiInstitution {
    nummer: String,
    navn: String,
    #[serde(rename = "type")]
    institution_type: String,
    ejerform: String,
    adresse: String,
    kommune: String,
    /// Where it lies (degrees, WGS 84); null when the register has no position.
    breddegrad: Option<f64>,
    laengdegrad: Option<f64>,
    profil: Option<ApiSection>,
    madordning: Option<ApiSection>,
    lukkedage: Option<ApiSection>,
    aabningstider: Option<ApiSection>,
    kontakt: Option<ApiSection>,
    /// Only a kommunal dagpleje has it: how children are cared for when
    /// their dagplejer is ill or on holiday.
    gaestedagpleje: Option<ApiSection>,
    /// A dagpleje's area: the postnumre it covers (null for an institution).
    omraade_postnumre: Option<Vec<i16>>,
    /// A dagpleje's rough number of dagplejere (never who they are).
    dagplejere: Option<i32>,
    /// Weekdays closed this year and next, holidays not counted.
    lukkedage_i_aar: Option<u32>,
    lukkedage_naeste_aar: Option<u32>,
}

/// The open-data part of the OpenAPI document (merged in [`crate::api_document`]).
#[derive(OpenApi)]
#[openapi(
    paths(list, one, csv, super::changes::changes),
    components(schemas(
        ApiPage,
        ApiListItem,
        ApiInstitution,
        ApiSection,
        ApiError,
        super::changes::ApiChanges,
        super::changes::ApiChange
    ))
)]
pub struct OpenDataDoc;

/// What this API's generic errors mean.
const WORDING: Wording = Wording {
    not_found: "Der er intet aktivt dagtilbud med det nummer.",
    invalid: "Et eller flere filtre kan ikke læses.",
    forbidden: "Du har ikke adgang til dette.",
};

/// An error of this API as JSON with its status.
fn failed(error: AppError) -> Response {
    Failure {
        error,
        wording: &WORDING,
    }
    .into_response()
}

/// Active institutions matching the filters, 20 per page.
#[utoipa::path(
    get,
    path = "/api/v1/dagtilbud",
    params(ApiFilter),
    responses(
        (status = 200, description = "En side med dagtilbud", body = ApiPage),
        (status = 422, description = "Et filter kan ikke læses", body = ApiError)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    axum::Extension(index): axum::Extension<std::sync::Arc<super::index::SearchIndex>>,
    headers: HeaderMap,
    Query(filter): Query<ApiFilter>,
) -> Response {
    let checked = match SearchFilter::from(filter).check() {
        Ok(checked) => checked,
        Err(fields) => return failed(AppError::Validation(fields)),
    };
    match search::search(&state, &index, &checked).await {
        Ok((page, answered)) => {
            let body = ApiPage {
                total: page.total,
                side: page.page,
                sider: page.pages,
                per_side: search::PAGE_SIZE,
                dagtilbud: page.hits.into_iter().map(ApiListItem::from).collect(),
            };
            let mut response = crate::api::cached_json(&headers, &body, failed);
            response.headers_mut().insert(
                search::ANSWERED_HEADER,
                HeaderValue::from_static(answered.as_str()),
            );
            response
        }
        Err(e) => failed(e),
    }
}

/// One active institution with every section it reported.
#[utoipa::path(
    get,
    path = "/api/v1/dagtilbud/{nummer}",
    params(("nummer" = String, Path, description = "Institutionsnummeret, fx G10234")),
    responses(
        (status = 200, description = "Dagtilbuddet", body = ApiInstitution),
        (status = 404, description = "Intet aktivt dagtilbud med det nummer", body = ApiError)
    )
)]
pub async fn one(State(state): State<AppState>, headers: HeaderMap, Path(nummer): Path<String>) -> Response {
    let year = crate::domain::calendar::danish_time(state.now()).year();
    let data = match crate::published::load_active(&state.pool, &nummer, year).await {
        Ok(data) => data,
        Err(e) => return failed(e),
    };
    fn section<T: Serialize>(s: &Option<(T, crate::domain::sections::SectionMeta)>) -> Option<ApiSection> {
        s.as_ref().map(|(value, meta)| ApiSection {
            data: serde_json::to_value(value).unwrap_or_default(),
            opdateret: meta.updated.clone(),
        })
    }
    let body = ApiInstitution {
        nummer: data.master.nummer.clone(),
        navn: data.master.navn.clone(),
        institution_type: data.master.type_label().to_string(),
        ejerform: data.master.ejerform_label().to_string(),
        adresse: data.master.adresse.clone(),
        kommune: data.master.kommune.clone(),
        breddegrad: data.master.breddegrad,
        laengdegrad: data.master.laengdegrad,
        profil: section(&data.profil),
        madordning: section(&data.madordning),
        lukkedage: section(&data.lukkedage),
        aabningstider: section(&data.aabningstider),
        kontakt: section(&data.kontakt),
        gaestedagpleje: section(&data.gaestedagpleje),
        omraade_postnumre: data.master.omraade_postnumre.clone(),
        dagplejere: data.master.dagplejere,
        lukkedage_i_aar: data.lukkedage.as_ref().map(|(l, _)| l.closing_days(year)),
        lukkedage_naeste_aar: data.lukkedage.as_ref().map(|(l, _)| l.closing_days(year + 1)),
    };
    crate::api::cached_json(&headers, &body, failed)
}

/// Every active institution's master data, as CSV (semicolons, UTF-8 with BOM).
#[utoipa::path(
    get,
    path = "/api/v1/dagtilbud.csv",
    responses((status = 200, description = "Alle aktive dagtilbud", content_type = "text/csv"))
)]
pub async fn csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    const CSV: &str = "text/csv; charset=utf-8";
    // Answered from the kept file while no institution has changed: a
    // repeated download, or a client that has it (304), costs no query.
    if let Some(kept) = state.page_cache.kept_csv() {
        let mut response = tagged(&headers, CSV, &kept.tag, kept.body);
        response.headers_mut().insert(
            crate::published::cache::CACHE_HEADER,
            HeaderValue::from_static("hit"),
        );
        return response;
    }
    let generation = state.page_cache.generation();
    let rows = match sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.vejnavn, i.husnummer, i.postnummer, i.postby,
                  k.kode, k.navn AS kommune, i.breddegrad, i.laengdegrad, i.omraade_postnumre, i.dagplejere,
                  (SELECT COUNT(*) FROM institution_sections s WHERE s.institution_id = i.id) AS "afsnit!"
           FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
           WHERE i.status = 'aktiv' ORDER BY i.nummer"#
    )
    .fetch_all(&state.pool)
    .await
    {
        Ok(rows) => rows,
        Err(e) => return failed(e.into()),
    };
    use crate::documents::csv_safe;
    use crate::domain::position::danish_decimal;
    let header = [
        "institutionsnummer",
        "navn",
        "type",
        "ejerform",
        "adresse",
        "postnummer",
        "by",
        "kommunekode",
        "kommune",
        "breddegrad",
        "laengdegrad",
        "dagplejens postnumre",
        "dagplejere",
        "indberettede afsnit",
    ]
    .map(String::from)
    .to_vec();
    let records = rows.into_iter().map(|r| {
        vec![
            r.nummer,
            csv_safe(&r.navn),
            r.institution_type,
            r.ejerform,
            csv_safe(&format!("{} {}", r.vejnavn, r.husnummer)),
            r.postnummer.to_string(),
            csv_safe(&r.postby),
            r.kode.to_string(),
            r.kommune,
            r.breddegrad.map(|v| danish_decimal(v, 6)).unwrap_or_default(),
            r.laengdegrad.map(|v| danish_decimal(v, 6)).unwrap_or_default(),
            r.omraade_postnumre
                .iter()
                .flatten()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            r.dagplejere.map(|n| n.to_string()).unwrap_or_default(),
            r.afsnit.to_string(),
        ]
    });
    match crate::documents::danish_csv(std::iter::once(header).chain(records)) {
        Ok(body) => {
            let kept = state.page_cache.keep_csv(generation, body.into());
            tagged(&headers, CSV, &kept.tag, kept.body)
        }
        Err(e) => failed(e),
    }
}

/// The open-data API's routes (`/api/v1/dagtilbud…`).
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/dagtilbud", get(list))
        .route("/api/v1/dagtilbud.csv", get(csv))
        .route("/api/v1/dagtilbud/{nummer}", get(one))
        .route("/api/v1/dagtilbud/aendringer", get(super::changes::changes))
        .route(
            "/api/v1/dagtilbud/aendringer.atom",
            get(super::changes::changes_atom),
        )
        .route("/api/v1/dokumentation", get(super::dictionary::page))
        .layer(axum::middleware::map_response(crate::api::with_schema_version))
        .route(
            "/dagtilbud/{nummer}/lukkedage.ics",
            get(super::calendar::closing_days),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_names_every_endpoint() {
        let json = OpenDataDoc::openapi().to_json().unwrap();
        for path in [
            "/api/v1/dagtilbud",
            "/api/v1/dagtilbud/{nummer}",
            "/api/v1/dagtilbud.csv",
        ] {
            assert!(json.contains(&format!("\"{path}\"")), "{path}");
        }
        assert!(json.contains("\"aabner\"") && json.contains("\"type\""));
    }
}
