//! The instant checks of the section forms: the form as posted, parsed by
//! the server's own rules, run in the browser by the forms' bundle
//! (`components::enhance`) when a field is left.

use serde::de::DeserializeOwned;

use crate::domain::sections::{
    ClosingPeriodForm, GaestedagplejeForm, KontaktForm, MadordningForm, OpeningHoursForm, ProfilForm,
    SectionKind,
};
use crate::error::FieldErrors;

/// The instant check of a section's form (its `data-check`): the form as
/// posted, parsed by the server's own rules. `None` for a form without one.
pub fn instant_check(
    check: &str,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Option<FieldErrors> {
    fn run<F: DeserializeOwned, T>(
        values: &serde_json::Map<String, serde_json::Value>,
        parse: fn(&F, time::Date) -> Result<T, FieldErrors>,
    ) -> FieldErrors {
        serde_json::from_value::<F>(serde_json::Value::Object(values.clone()))
            .ok()
            .and_then(|form| parse(&form, today()).err())
            .unwrap_or_default()
    }
    Some(match SectionKind::parse(check)? {
        SectionKind::Profil => run(values, ProfilForm::parse),
        SectionKind::Madordning => run(values, MadordningForm::parse),
        SectionKind::Aabningstider => run(values, OpeningHoursForm::parse),
        SectionKind::Kontakt => run(values, KontaktForm::parse),
        SectionKind::Gaestedagpleje => run(values, GaestedagplejeForm::parse),
        SectionKind::Lukkedage => run(values, ClosingPeriodForm::parse),
    })
}

/// Today's Danish date where this runs: the browser's for instant checks,
/// the server's where it draws a form (the server's own decides on a save).
pub fn today() -> time::Date {
    crate::domain::calendar::danish_time(time::OffsetDateTime::now_utc()).date()
}
