//! The web service for kommune systems (pladsanvisningssystemer):
//! `/api/v1/kommune/dagtilbud…`, authenticated with the kommune's API key
//! (`Authorization: Bearer dtk_…`), which support creates and revokes. A key
//! reaches its own kommune's institutions only; it creates, changes the master
//! data of and closes the kommunale, selvejende and udliciterede ones (private
//! ones are support's) with the same rules and audit rows as the pages, and
//! reads every one's reporting status. Errors are JSON with a Danish message
//! and, per field, what to fix. Each key has a request budget per minute.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::keys::KommuneKey;
use crate::api::{ApiError, Failure, JsonBody, Wording};
use crate::auth::session::ClientIp;
use crate::auth::Scope;
use crate::domain::register::{CloseForm, NewInstitutionForm};
use crate::domain::Ejerform;
use crate::error::AppError;
use crate::register::KOMMUNE_EJERFORMER;
use crate::ssr::AppState;

/// The kommune API's part of the OpenAPI document (merged in [`crate::api_document`]).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(kommune_list, kommune_one, kommune_create, kommune_update, kommune_close),
    components(schemas(ApiMasterData, ApiUpdate, ApiClose, ApiKommuneInstitution, ApiKommuneList, ApiError)),
    modifiers(&KommuneKeyScheme),
    tags(
        (name = "kommune", description = "Kommunesystemers vedligeholdelse af kommunens dagtilbud. Kræver kommunens API-nøgle fra STIL's support.")
    )
)]
pub struct KommuneApiDoc;

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

/// What this API's generic errors mean.
const WORDING: Wording = Wording {
    not_found: "Kommunen har intet dagtilbud med det nummer.",
    invalid: "Der er fejl i et eller flere felter. Ret dem og send igen.",
    forbidden: "Private dagtilbud vedligeholdes af STIL's support, ikke af kommunen.",
};

/// An error of this API as JSON with its status.
fn failed(error: AppError) -> Response {
    Failure {
        error,
        wording: &WORDING,
    }
    .into_response()
}

/// Master data as a kommune system sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiMasterData {
    /// Højst 132 tegn.
    navn: String,
    /// vuggestue, boernehave, integreret, fritidshjem, fritidsklub, landsbyordning
    #[serde(rename = "type")]
    institution_type: String,
    /// kommunal, selvejende eller udliciteret
    ejerform: String,
    vejnavn: String,
    /// Fx "12" eller "12B".
    husnummer: String,
    /// Fire cifre, fx "8660". Byen findes ud fra postnummeret.
    postnummer: String,
    /// Ti cifre.
    #[serde(default)]
    p_nummer: Option<String>,
    /// Otte cifre.
    #[serde(default)]
    cvr: Option<String>,
    /// Breddegrad i grader (WGS 84), fx 56.0392; inden for Danmark (54,5–57,8).
    /// Udelades begge, har dagtilbuddet ingen placering.
    #[serde(default)]
    breddegrad: Option<f64>,
    /// Længdegrad i grader (WGS 84), fx 9.9285; inden for Danmark (8,0–15,3).
    #[serde(default)]
    laengdegrad: Option<f64>,
    /// Kun for type "dagpleje": de postnumre, dagplejeområdet dækker, fx [8660, 8680].
    #[serde(default)]
    omraade_postnumre: Option<Vec<u16>>,
    /// Kun for type "dagpleje": cirka hvor mange dagplejere området har.
    #[serde(default)]
    dagplejere: Option<u32>,
}

impl ApiMasterData {
    fn into_form(self) -> NewInstitutionForm {
        NewInstitutionForm {
            navn: self.navn,
            institution_type: self.institution_type,
            ejerform: self.ejerform,
            vejnavn: self.vejnavn,
            husnummer: self.husnummer,
            postnummer: self.postnummer,
            p_nummer: self.p_nummer.unwrap_or_default(),
            cvr: self.cvr.unwrap_or_default(),
            breddegrad: self.breddegrad.map(|v| v.to_string()).unwrap_or_default(),
            laengdegrad: self.laengdegrad.map(|v| v.to_string()).unwrap_or_default(),
            omraade_postnumre: self
                .omraade_postnumre
                .unwrap_or_default()
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            dagplejere: self.dagplejere.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// New master data for an institution loaded at `version`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiUpdate {
    /// The version the system last read; a newer one on the server gives 409.
    version: i32,
    #[serde(flatten)]
    data: ApiMasterData,
}

/// Closing an institution loaded at `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClose {
    version: i32,
    /// The day it closed: "2026-11-24" or "24.11.2026"; not in the future.
    lukket_den: String,
}

/// One of the kommune's institutions with its reporting status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKommuneInstitution {
    nummer: String,
    navn: String,
    #[serde(rename = "type")]
    institution_type: String,
    ejerform: String,
    vejnavn: String,
    husnummer: String,
    postnummer: i16,
    postby: String,
    p_nummer: Option<String>,
    cvr: Option<String>,
    /// Degrees (WGS 84); null when the register has no position.
    breddegrad: Option<f64>,
    laengdegrad: Option<f64>,
    /// A dagpleje's area: the postnumre it covers and roughly how many dagplejere.
    omraade_postnumre: Option<Vec<i16>>,
    dagplejere: Option<i32>,
    /// aktiv eller nedlagt
    status: String,
    /// ISO date, when closed.
    lukket_den: Option<String>,
    /// Send it back when changing or closing the institution.
    version: i32,
    har_logget_ind: bool,
    /// The sections it has filled in: profil, madordning, lukkedage, aabningstider, kontakt.
    udfyldte_afsnit: Vec<String>,
    /// When a section was last saved (RFC 3339).
    senest_opdateret: Option<String>,
}

/// The kommune's institutions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKommuneList {
    kommunekode: i16,
    kommune: String,
    dagtilbud: Vec<ApiKommuneInstitution>,
}

async fn institutions(
    pool: &sqlx::PgPool,
    kommunekode: i16,
    nummer: Option<&str>,
) -> Result<Vec<ApiKommuneInstitution>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.vejnavn, i.husnummer, i.postnummer,
                  i.postby, i.p_nummer, i.cvr, i.status, i.closed_on, i.version, i.breddegrad, i.laengdegrad,
                  i.omraade_postnumre, i.dagplejere,
                  a.last_login_at IS NOT NULL AS "logged_in!",
                  COALESCE(array_agg(s.section ORDER BY s.section) FILTER (WHERE s.section IS NOT NULL), '{}') AS "filled!",
                  max(s.updated_at) AS updated
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           LEFT JOIN institution_sections s ON s.institution_id = i.id
           WHERE i.kommunekode = $1 AND ($2::text IS NULL OR i.nummer = $2)
           GROUP BY i.id, a.last_login_at
           ORDER BY i.nummer"#,
        kommunekode,
        nummer
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiKommuneInstitution {
            nummer: r.nummer,
            navn: r.navn,
            institution_type: r.institution_type,
            ejerform: r.ejerform,
            vejnavn: r.vejnavn,
            husnummer: r.husnummer,
            postnummer: r.postnummer,
            postby: r.postby,
            p_nummer: r.p_nummer,
            cvr: r.cvr,
            breddegrad: r.breddegrad,
            laengdegrad: r.laengdegrad,
            omraade_postnumre: r.omraade_postnumre,
            dagplejere: r.dagplejere,
            status: r.status,
            lukket_den: r.closed_on.map(crate::domain::calendar::format_iso_date),
            version: r.version,
            har_logget_ind: r.logged_in,
            udfyldte_afsnit: r.filled,
            senest_opdateret: r
                .updated
                .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
        })
        .collect())
}

/// One of the kommune's institutions, or 404.
async fn one_of(state: &AppState, kommunekode: i16, nummer: &str) -> Result<ApiKommuneInstitution, AppError> {
    let nummer = crate::domain::InstitutionNumber::parse(nummer).map_err(|_| AppError::NotFound)?;
    institutions(&state.pool, kommunekode, Some(nummer.as_str()))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// An institution the kommune maintains (not a private one), or why not.
async fn maintained(
    state: &AppState,
    kommunekode: i16,
    nummer: &str,
) -> Result<ApiKommuneInstitution, AppError> {
    let found = one_of(state, kommunekode, nummer).await?;
    if found.ejerform == Ejerform::Privat.as_str() {
        return Err(AppError::Forbidden);
    }
    Ok(found)
}

/// `result` as this API answers it: the body with `status`, or the error.
fn answer<T: Serialize>(status: StatusCode, result: Result<T, AppError>) -> Response {
    match result {
        Ok(body) => json(status, &body),
        Err(e) => failed(e),
    }
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Every institution of the key's kommune, active and closed, with reporting status.
#[utoipa::path(
    get,
    path = "/api/v1/kommune/dagtilbud",
    tag = "kommune",
    security(("kommune_api_key" = [])),
    responses(
        (status = 200, body = ApiKommuneList),
        (status = 401, body = ApiError, description = "Ingen, ukendt eller spærret nøgle"),
        (status = 429, body = ApiError, description = "For mange forespørgsler")
    )
)]
pub async fn kommune_list(State(state): State<AppState>, caller: KommuneKey) -> Response {
    let result = async {
        let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", caller.kommunekode)
            .fetch_one(&state.pool)
            .await?;
        Ok::<_, AppError>(ApiKommuneList {
            kommunekode: caller.kommunekode,
            kommune,
            dagtilbud: institutions(&state.pool, caller.kommunekode, None).await?,
        })
    }
    .await;
    answer(StatusCode::OK, result)
}

/// One institution of the key's kommune.
#[utoipa::path(
    get,
    path = "/api/v1/kommune/dagtilbud/{nummer}",
    tag = "kommune",
    security(("kommune_api_key" = [])),
    params(("nummer" = String, Path, description = "Institutionsnummer")),
    responses(
        (status = 200, body = ApiKommuneInstitution),
        (status = 404, body = ApiError, description = "Ikke et af kommunens dagtilbud")
    )
)]
pub async fn kommune_one(
    State(state): State<AppState>,
    caller: KommuneKey,
    Path(nummer): Path<String>,
) -> Response {
    answer(StatusCode::OK, one_of(&state, caller.kommunekode, &nummer).await)
}

/// Create an institution of the key's kommune; the system gives it its number.
#[utoipa::path(
    post,
    path = "/api/v1/kommune/dagtilbud",
    tag = "kommune",
    security(("kommune_api_key" = [])),
    request_body = ApiMasterData,
    responses(
        (status = 201, body = ApiKommuneInstitution, description = "Oprettet; Location peger på det"),
        (status = 422, body = ApiError, description = "Fejl i felterne")
    )
)]
pub async fn kommune_create(
    State(state): State<AppState>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    caller: KommuneKey,
    JsonBody(data): JsonBody<ApiMasterData>,
) -> Response {
    let result = async {
        let new = data
            .into_form()
            .parse(&KOMMUNE_EJERFORMER)
            .map_err(AppError::Validation)?;
        let nummer =
            crate::register::db::create_institution(&state.pool, caller.kommunekode, &new, &caller.audit(ip))
                .await?;
        one_of(&state, caller.kommunekode, &nummer).await
    }
    .await;
    match result {
        Ok(created) => {
            let mut response = json(StatusCode::CREATED, &created);
            if let Ok(location) =
                HeaderValue::from_str(&format!("/api/v1/kommune/dagtilbud/{}", created.nummer))
            {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(e) => failed(e),
    }
}

/// Change the master data of one of the kommune's institutions.
#[utoipa::path(
    put,
    path = "/api/v1/kommune/dagtilbud/{nummer}",
    tag = "kommune",
    security(("kommune_api_key" = [])),
    params(("nummer" = String, Path, description = "Institutionsnummer")),
    request_body = ApiUpdate,
    responses(
        (status = 200, body = ApiKommuneInstitution),
        (status = 403, body = ApiError, description = "Et privat dagtilbud"),
        (status = 409, body = ApiError, description = "Ændret siden den sendte version"),
        (status = 422, body = ApiError, description = "Fejl i felterne")
    )
)]
pub async fn kommune_update(
    State(state): State<AppState>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    caller: KommuneKey,
    Path(nummer): Path<String>,
    JsonBody(update): JsonBody<ApiUpdate>,
) -> Response {
    let result = async {
        let current = maintained(&state, caller.kommunekode, &nummer).await?;
        if current.status != "aktiv" {
            return Err(AppError::Conflict(
                "Dagtilbuddet er lukket og kan ikke ændres.".into(),
            ));
        }
        let new = update
            .data
            .into_form()
            .parse(&KOMMUNE_EJERFORMER)
            .map_err(AppError::Validation)?;
        crate::register::db::update_institution(
            &state.pool,
            Scope::Kommune(caller.kommunekode),
            &current.nummer,
            update.version,
            &new,
            &caller.audit(ip),
        )
        .await?;
        state.page_cache.invalidate(&current.nummer);
        one_of(&state, caller.kommunekode, &current.nummer).await
    }
    .await;
    answer(StatusCode::OK, result)
}

/// Close one of the kommune's institutions: it leaves the portal and can no
/// longer log in; its data and history are kept.
#[utoipa::path(
    post,
    path = "/api/v1/kommune/dagtilbud/{nummer}/luk",
    tag = "kommune",
    security(("kommune_api_key" = [])),
    params(("nummer" = String, Path, description = "Institutionsnummer")),
    request_body = ApiClose,
    responses(
        (status = 200, body = ApiKommuneInstitution),
        (status = 409, body = ApiError, description = "Allerede lukket, eller ændret siden den sendte version"),
        (status = 422, body = ApiError, description = "Fejl i datoen")
    )
)]
pub async fn kommune_close(
    State(state): State<AppState>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    caller: KommuneKey,
    Path(nummer): Path<String>,
    JsonBody(close): JsonBody<ApiClose>,
) -> Response {
    let result = async {
        let current = maintained(&state, caller.kommunekode, &nummer).await?;
        let today = crate::domain::calendar::danish_time(state.now()).date();
        let form = CloseForm {
            lukket_den: close.lukket_den,
            bekraeft: "on".into(),
        };
        crate::register::db::close_institution(
            &state.pool,
            Scope::Kommune(caller.kommunekode),
            &current.nummer,
            close.version,
            |created| form.parse(today, created),
            &caller.audit(ip),
        )
        .await?;
        state.page_cache.invalidate(&current.nummer);
        one_of(&state, caller.kommunekode, &current.nummer).await
    }
    .await;
    answer(StatusCode::OK, result)
}
