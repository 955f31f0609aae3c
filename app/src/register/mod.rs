//! The register of institutions and kommuner, shared by the areas that
//! maintain it (kommune pages, support pages, the kommune API) and those that
//! show it: master data as read, the kommuner to choose from, and (server
//! only, in `db.rs`) the writes that create, change and close institutions.

pub mod db;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::domain::{Ejerform, InstitutionType};
use crate::error::AppError;

/// The ejerformer a kommune creates and maintains; private ones are support's.
pub const KOMMUNE_EJERFORMER: [Ejerform; 3] =
    [Ejerform::Kommunal, Ejerform::Selvejende, Ejerform::Udliciteret];
/// The ejerformer support creates and maintains.
pub const SUPPORT_EJERFORMER: [Ejerform; 1] = [Ejerform::Privat];

/// The ejerformer the caller of `role` creates, closes and maintains.
pub fn maintained_ejerformer(role: Role) -> &'static [Ejerform] {
    match role {
        Role::Support => &SUPPORT_EJERFORMER,
        _ => &KOMMUNE_EJERFORMER,
    }
}

/// An institution's master data from the register (read-only for the institution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MasterData {
    pub nummer: String,
    pub navn: String,
    pub institution_type: String,
    pub ejerform: String,
    pub kommune: String,
    pub kommunekode: i16,
    pub adresse: String,
    /// Where it lies, if the register knows (degrees, WGS 84).
    pub breddegrad: Option<f64>,
    pub laengdegrad: Option<f64>,
    /// A dagpleje's area: the postnumre it covers and roughly how many dagplejere.
    pub omraade_postnumre: Option<Vec<i16>>,
    pub dagplejere: Option<i32>,
}

impl MasterData {
    pub fn is_dagpleje(&self) -> bool {
        self.institution_type == InstitutionType::Dagpleje.as_str()
    }

    /// `8660, 8680`.
    pub fn omraade_postnumre_text(&self) -> String {
        self.omraade_postnumre
            .iter()
            .flatten()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn position(&self) -> Option<crate::domain::position::Position> {
        crate::domain::position::Position::new(self.breddegrad?, self.laengdegrad?)
    }
    pub fn type_label(&self) -> &'static str {
        InstitutionType::parse(&self.institution_type)
            .map(|t| t.label())
            .unwrap_or("Ukendt")
    }
    pub fn ejerform_label(&self) -> &'static str {
        Ejerform::parse(&self.ejerform)
            .map(|e| e.label())
            .unwrap_or("Ukendt")
    }
}

/// A kommune to choose in a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneChoice {
    pub kode: i16,
    pub navn: String,
}

/// The kommune choices of a `<select>`: value `101`, label `København (101)`.
pub fn kommune_options(kommuner: &[KommuneChoice]) -> Vec<(String, String)> {
    kommuner
        .iter()
        .map(|k| (format!("{:03}", k.kode), format!("{} ({:03})", k.navn, k.kode)))
        .collect()
}

/// The 98 kommuner, by name (for support's forms and its institution pages).
#[server(prefix = "/api/fn", endpoint = "support_kommuner")]
pub async fn kommune_choices() -> Result<Vec<KommuneChoice>, AppError> {
    crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    Ok(
        sqlx::query_as!(KommuneChoice, "SELECT kode, navn FROM kommuner ORDER BY navn")
            .fetch_all(&pool)
            .await?,
    )
}
