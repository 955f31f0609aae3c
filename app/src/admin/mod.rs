//! An administrator's institutions, shared by the kommune's and support's
//! areas: create one (the system gives it a number
//! that is never reused), look at one, reset its code, work on its sections on
//! its behalf, and close it (its data and history are kept; it leaves the
//! public portal and can no longer log in).
//!
//! The same pages serve a kommune administrator (their kommune's kommunale,
//! selvejende and udliciterede institutions, under `/kommune`) and support
//! (any institution, and creating and closing the private ones, under
//! `/support`). The server functions are here, the pages in `pages.rs`.

pub mod pages;
pub mod timeline;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::AuditContext;
use crate::auth::Scope;
use crate::domain::register::{CloseForm, NewInstitutionForm};
use crate::domain::{Ejerform, InstitutionType};
use crate::error::AppError;
use crate::register::maintained_ejerformer;
use crate::workspace::Workspace;

/// The institution pages under an administrator's area (`/kommune` or
/// `/support`): a new institution, and one institution with its sections.
#[component(transparent)]
pub fn AdminInstitutionRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::{Outlet, ParentRoute, Route};
    use leptos_router::{path, SsrMode};
    view! {
        <Route path=path!("nyt-dagtilbud") view=pages::NewInstitutionPage ssr=SsrMode::Async />
        <ParentRoute path=path!("dagtilbud/:nummer") view=Outlet ssr=SsrMode::Async>
            <Route path=path!("") view=pages::AdminInstitutionPage ssr=SsrMode::Async />
            <crate::workspace::routes::SectionRoutes />
        </ParentRoute>
    }
    .into_inner()
}

/// One of the kommune's institutions as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionFacts {
    pub nummer: String,
    pub navn: String,
    pub type_label: String,
    pub ejerform_label: String,
    pub adresse: String,
    pub kommune: String,
    pub p_nummer: Option<String>,
    pub cvr: Option<String>,
    pub active: bool,
    /// "23.11.2026" when closed.
    pub closed_on: Option<String>,
    pub created: String,
    pub logged_in: bool,
    /// Whether the caller maintains it: a kommune its non-private
    /// institutions, support the private ones.
    pub maintained_by_caller: bool,
    /// Seen by support (rather than by the kommune).
    pub support: bool,
    pub version: i32,
    /// The master data as the edit form shows it.
    pub form: NewInstitutionForm,
}

/// One institution (active or closed) of the administrator's own kommune, or
/// any institution for support.
#[server(prefix = "/api/fn", endpoint = "kommune_dagtilbud")]
pub async fn institution_detail(nummer: String) -> Result<InstitutionFacts, AppError> {
    let (principal, scope) = crate::auth::context::require_admin()?;
    let pool = crate::ssr::pool()?;
    let row = sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.status = 'aktiv' AS "active!",
                  i.closed_on, i.created_at, i.p_nummer, i.cvr, i.version, k.navn AS kommune,
                  i.vejnavn, i.husnummer, i.postnummer, i.breddegrad, i.laengdegrad,
                  i.omraade_postnumre, i.dagplejere,
                  i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                  a.last_login_at IS NOT NULL AS "logged_in!"
           FROM institutions i
           JOIN kommuner k ON k.kode = i.kommunekode
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.nummer = $1 AND ($2::smallint IS NULL OR i.kommunekode = $2)"#,
        nummer.trim().to_uppercase(),
        scope.kommunekode()
    )
    .fetch_optional(&pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let ejerform = Ejerform::parse(&row.ejerform);
    use crate::domain::position::Position;
    let position = Position::form_values(
        row.breddegrad
            .zip(row.laengdegrad)
            .and_then(|(lat, lon)| Position::new(lat, lon)),
    );
    let form = NewInstitutionForm {
        navn: row.navn.clone(),
        institution_type: row.institution_type.clone(),
        ejerform: row.ejerform.clone(),
        vejnavn: row.vejnavn,
        husnummer: row.husnummer,
        postnummer: row.postnummer.to_string(),
        p_nummer: row.p_nummer.clone().unwrap_or_default(),
        cvr: row.cvr.clone().unwrap_or_default(),
        breddegrad: position.0,
        laengdegrad: position.1,
        omraade_postnumre: row
            .omraade_postnumre
            .iter()
            .flatten()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        dagplejere: row.dagplejere.map(|n| n.to_string()).unwrap_or_default(),
    };
    Ok(InstitutionFacts {
        form,
        nummer: row.nummer,
        navn: row.navn,
        type_label: InstitutionType::parse(&row.institution_type)
            .map(|t| t.label())
            .unwrap_or("Ukendt")
            .to_string(),
        ejerform_label: ejerform.map(|e| e.label()).unwrap_or("Ukendt").to_string(),
        adresse: row.adresse,
        kommune: row.kommune,
        p_nummer: row.p_nummer,
        cvr: row.cvr,
        active: row.active,
        closed_on: row.closed_on.map(crate::domain::calendar::format_date),
        created: crate::domain::calendar::format_date(
            crate::domain::calendar::danish_time(row.created_at).date(),
        ),
        logged_in: row.logged_in,
        maintained_by_caller: ejerform.is_some_and(|e| maintained_ejerformer(principal.role()).contains(&e)),
        support: scope == Scope::National,
        version: row.version,
    })
}

/// Create an institution; answers with its new number. A kommune
/// administrator creates one of their own kommune (`kommunekode` is ignored);
/// support creates a private one in the kommune `kommunekode` names.
#[server(prefix = "/api/fn", endpoint = "kommune_opret_dagtilbud")]
pub async fn create_institution(
    #[server(default)] kommunekode: String,
    #[server(flatten)] form: NewInstitutionForm,
) -> Result<String, AppError> {
    let (principal, scope) = crate::auth::context::require_admin()?;
    let home = principal.role().start_page();
    let mut values = crate::ssr::flash::form_values(&form);
    values.push(("kommunekode".into(), kommunekode.clone()));
    let result = async {
        let pool = crate::ssr::pool()?;
        let chosen = match scope {
            Scope::Kommune(own) => Ok(own),
            Scope::National => {
                crate::register::db::existing_kommune(
                    &pool,
                    &kommunekode,
                    "Vælg den kommune, dagtilbuddet ligger i.",
                )
                .await?
            }
        };
        let new = form.parse(maintained_ejerformer(principal.role()));
        let (kommunekode, new) = match (chosen, new) {
            (Ok(kode), Ok(new)) => (kode, new),
            (chosen, new) => {
                let mut errors = chosen.err().unwrap_or_default();
                errors.extend(new.err().unwrap_or_default());
                return Err(AppError::Validation(errors));
            }
        };
        let audit = AuditContext::of(&principal, crate::auth::context::client_ip());
        crate::register::db::create_institution(&pool, kommunekode, &new, &audit).await
    }
    .await;
    if let Ok(nummer) = &result {
        leptos_axum::redirect(&format!("{home}/dagtilbud/{nummer}?oprettet=1"));
    }
    crate::ssr::flash::finish(
        "dagtilbud-opret",
        &format!("{home}/nyt-dagtilbud"),
        values,
        None,
        result,
    )
    .await
}

/// Change the master data of an institution the caller maintains (see
/// [`maintained_ejerformer`]) that was loaded at `version`.
#[server(prefix = "/api/fn", endpoint = "kommune_ret_dagtilbud")]
pub async fn update_institution(
    nummer: String,
    version: i32,
    #[server(flatten)] form: NewInstitutionForm,
) -> Result<(), AppError> {
    let (principal, scope) = crate::auth::context::require_admin()?;
    let nummer = nummer.trim().to_uppercase();
    let page = Workspace::for_admin(principal.role(), &nummer).base();
    let values = crate::ssr::flash::form_values(&form);
    let result = async {
        let new = form
            .parse(maintained_ejerformer(principal.role()))
            .map_err(AppError::Validation)?;
        let pool = crate::ssr::pool()?;
        let audit = AuditContext::of(&principal, crate::auth::context::client_ip());
        crate::register::db::update_institution(&pool, scope, &nummer, version, &new, &audit)
            .await
            .map(|_| ())
    }
    .await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?rettet=1"));
    }
    crate::ssr::flash::finish("dagtilbud-ret", &page, values, None, result).await
}

/// Close an institution the caller maintains (see [`maintained_ejerformer`])
/// that was loaded at `version`.
#[server(prefix = "/api/fn", endpoint = "kommune_luk_dagtilbud")]
pub async fn close_institution(
    nummer: String,
    version: i32,
    #[server(flatten)] form: CloseForm,
) -> Result<(), AppError> {
    let (principal, scope) = crate::auth::context::require_admin()?;
    let nummer = nummer.trim().to_uppercase();
    let page = Workspace::for_admin(principal.role(), &nummer).base();
    let values = crate::ssr::flash::form_values(&form);
    let result = async {
        let pool = crate::ssr::pool()?;
        let audit = AuditContext::of(&principal, crate::auth::context::client_ip());
        let today = crate::ssr::today()?;
        crate::register::db::close_institution(
            &pool,
            scope,
            &nummer,
            version,
            |created| form.parse(today, created),
            &audit,
        )
        .await
    }
    .await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?lukket=1"));
    }
    crate::ssr::flash::finish("dagtilbud-luk", &page, values, None, result).await
}
