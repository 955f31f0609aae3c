//! Domain types shared by the browser and the server. Parse, don't validate:
//! each type can only hold a valid value and says in Danish what is wrong.

mod institution;
mod kommune;

pub use institution::{Ejerform, InstitutionNumber, InstitutionType, Postnummer};
pub use kommune::Kommunekode;
pub mod audit_actions;
pub mod calendar;
pub mod password;
pub mod plausibility;
pub mod position;
pub mod register;
pub mod sections;

#[cfg(test)]
mod properties;

pub use sections::{Email, HttpsUrl, PhoneNumber};
