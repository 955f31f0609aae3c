//! Open data: `/api/v1/dagtilbud` (JSON, paged, the search's filters),
//! `/api/v1/dagtilbud/{nummer}`, `/api/v1/dagtilbud.csv`, described by the
//! OpenAPI document at `/api/v1/openapi.json`. Only active institutions and
//! what they saved; answers carry an ETag and may be cached for a minute.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::search::{self, SearchFilter, SearchHit};
use crate::error::AppError;
use crate::ssr::AppState;

/// How long clients and proxies may reuse an answer.
const MAX_AGE: &str = "public, max-age=60";

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
    profil: Option<ApiSection>,
    madordning: Option<ApiSection>,
    lukkedage: Option<ApiSection>,
    aabningstider: Option<ApiSection>,
    kontakt: Option<ApiSection>,
    /// Weekdays closed this year and next, holidays not counted.
    lukkedage_i_aar: Option<u32>,
    lukkedage_naeste_aar: Option<u32>,
}

/// An error answer: a Danish message, and per field what to fix.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    fejl: String,
    #[schema(value_type = Object)]
    felter: std::collections::BTreeMap<String, String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dagtilbudsportalen – åbne data og kommunesystemer",
        version = "1",
        description = "Åbne data: aktive dagtilbud og det, de selv har indberettet; svarene har ETag og må caches i 60 sekunder. \
                       Kommunesystemer (/api/v1/kommune/…): opret, ret og luk kommunens dagtilbud og læs deres indberetning \
                       med kommunens API-nøgle; fejl er JSON med en besked og, for hvert felt, hvad der skal rettes."
    ),
    paths(
        list,
        one,
        csv,
        crate::kommune::api::kommune_list,
        crate::kommune::api::kommune_one,
        crate::kommune::api::kommune_create,
        crate::kommune::api::kommune_update,
        crate::kommune::api::kommune_close
    ),
    components(schemas(
        ApiPage,
        ApiListItem,
        ApiInstitution,
        ApiSection,
        ApiError,
        crate::kommune::api::ApiMasterData,
        crate::kommune::api::ApiUpdate,
        crate::kommune::api::ApiClose,
        crate::kommune::api::ApiKommuneInstitution,
        crate::kommune::api::ApiKommuneList
    )),
    modifiers(&KommuneKeyScheme),
    tags(
        (name = "kommune", description = "Kommunesystemers vedligeholdelse af kommunens dagtilbud. Kræver kommunens API-nøgle fra STIL's support.")
    )
)]
pub struct ApiDoc;

/// The kommune API's authentication in the document: `Authorization: Bearer dtk_…`.
struct KommuneKeyScheme;

impl utoipa::Modify for KommuneKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "kommune_api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Kommunens API-nøgle (dtk_…), udstedt af STIL's support."))
                    .build(),
            ),
        );
    }
}

/// GET /api/v1/openapi.json
pub async fn openapi(headers: HeaderMap) -> Response {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(json) => cached(&headers, "application/json", json.into_bytes()),
        Err(error) => {
            tracing::error!(%error, "openapi document");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An error answer of the API: the Danish message and the fields' messages, never cached.
pub fn error(
    status: StatusCode,
    message: &str,
    fields: std::collections::BTreeMap<String, String>,
) -> Response {
    let mut response = (
        status,
        Json(ApiError {
            fejl: message.to_string(),
            felter: fields,
        }),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn failed(app_error: AppError) -> Response {
    match app_error {
        AppError::NotFound => error(
            StatusCode::NOT_FOUND,
            "Der er intet aktivt dagtilbud med det nummer.",
            Default::default(),
        ),
        AppError::Validation(fields) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Et eller flere filtre kan ikke læses.",
            fields,
        ),
        AppError::Unavailable => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.",
            Default::default(),
        ),
        _ => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Der skete en fejl hos os. Prøv igen senere.",
            Default::default(),
        ),
    }
}

/// An answer with an ETag of its body, or 304 when the client has it already.
pub fn cached(request: &HeaderMap, content_type: &'static str, body: Vec<u8>) -> Response {
    let tag = etag_of(&body);
    tagged(request, content_type, &tag, body.into())
}

/// The strong ETag of a body: the first 96 bits of its SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// A cacheable answer whose ETag is known: 304 when the client has it.
pub fn tagged(
    request: &HeaderMap,
    content_type: &'static str,
    tag: &str,
    body: axum::body::Bytes,
) -> Response {
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let headers = response.headers_mut();
    if !matches {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE));
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    response
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
    headers: HeaderMap,
    Query(filter): Query<ApiFilter>,
) -> Response {
    let checked = match SearchFilter::from(filter).check() {
        Ok(checked) => checked,
        Err(fields) => return failed(AppError::Validation(fields)),
    };
    match search::search(&state.pool, &checked).await {
        Ok(page) => {
            let body = ApiPage {
                total: page.total,
                side: page.page,
                sider: page.pages,
                per_side: search::PAGE_SIZE,
                dagtilbud: page.hits.into_iter().map(ApiListItem::from).collect(),
            };
            match serde_json::to_vec(&body) {
                Ok(json) => cached(&headers, "application/json", json),
                Err(e) => failed(AppError::internal("api encode", &e)),
            }
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
    let data = match super::institution_view::load_active(&state.pool, &nummer, year).await {
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
        profil: section(&data.profil),
        madordning: section(&data.madordning),
        lukkedage: section(&data.lukkedage),
        aabningstider: section(&data.aabningstider),
        kontakt: section(&data.kontakt),
        lukkedage_i_aar: data.lukkedage.as_ref().map(|(l, _)| l.closing_days(year)),
        lukkedage_naeste_aar: data.lukkedage.as_ref().map(|(l, _)| l.closing_days(year + 1)),
    };
    match serde_json::to_vec(&body) {
        Ok(json) => cached(&headers, "application/json", json),
        Err(e) => failed(AppError::internal("api encode", &e)),
    }
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
            crate::portal::cache::CACHE_HEADER,
            HeaderValue::from_static("hit"),
        );
        return response;
    }
    let generation = state.page_cache.generation();
    let rows = match sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.vejnavn, i.husnummer, i.postnummer, i.postby,
                  k.kode, k.navn AS kommune,
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
    use crate::kommune::ssr::csv_safe;
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
            r.afsnit.to_string(),
        ]
    });
    match crate::kommune::ssr::danish_csv(std::iter::once(header).chain(records)) {
        Ok(body) => {
            let kept = state.page_cache.keep_csv(generation, body.into());
            tagged(&headers, CSV, &kept.tag, kept.body)
        }
        Err(e) => failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_names_every_endpoint() {
        let json = ApiDoc::openapi().to_json().unwrap();
        for path in [
            "/api/v1/dagtilbud",
            "/api/v1/dagtilbud/{nummer}",
            "/api/v1/dagtilbud.csv",
        ] {
            assert!(json.contains(&format!("\"{path}\"")), "{path}");
        }
        assert!(json.contains("\"aabner\"") && json.contains("\"type\""));
    }

    #[test]
    fn an_etag_that_matches_gives_304() {
        let first = cached(&HeaderMap::new(), "application/json", b"{}".to_vec());
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()[header::ETAG].clone();
        let mut request = HeaderMap::new();
        request.insert(header::IF_NONE_MATCH, tag.clone());
        let again = cached(&request, "application/json", b"{}".to_vec());
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag);
        let changed = cached(&request, "application/json", b"[]".to_vec());
        assert_eq!(changed.status(), StatusCode::OK);
    }
}
