//! Property tests for every domain parser: whatever text arrives, a parser
//! never panics; whatever it accepts comes back the same when written out and
//! read again (the form round trip, and the JSON the database stores).

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use time::macros::date;

use super::calendar::{format_date, format_time, parse_date, parse_time};
use super::password::check_new_password;
use super::register::{CloseForm, Cvr, NewInstitutionForm, PNummer};
use super::sections::{ClosingPeriodForm, KontaktForm, MadordningForm, OpeningHoursForm, ProfilForm};
use super::{Email, HttpsUrl, InstitutionNumber, Kommunekode, PhoneNumber, Postnummer};

/// Text as people and attackers type it: digits, letters, Danish letters,
/// punctuation, whitespace, control characters and anything else.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9 .:-]{0,14}",
        "[a-zA-ZæøåÆØÅ0-9 @._:/-]{0,40}",
        any::<String>(),
        "(https?://)?[a-z0-9.-]{0,20}(/[a-z]{0,5})?",
        "\\PC{0,300}",
    ]
}

/// A form of type `F` with each of its text fields (and optional text fields)
/// filled from `values`.
fn form<F: Serialize + DeserializeOwned + Default>(values: &[String], on: &[bool]) -> F {
    let serde_json::Value::Object(fields) = serde_json::to_value(F::default()).unwrap() else {
        panic!("a form is a struct");
    };
    let mut filled = serde_json::Map::new();
    for (i, (name, default)) in fields.into_iter().enumerate() {
        let value = values.get(i % values.len().max(1)).cloned().unwrap_or_default();
        let present = on.get(i % on.len().max(1)).copied().unwrap_or(true);
        let new = match default {
            serde_json::Value::String(_) => serde_json::Value::String(value),
            serde_json::Value::Null if present => serde_json::Value::String(value),
            other => other,
        };
        filled.insert(name, new);
    }
    serde_json::from_value(serde_json::Value::Object(filled)).unwrap()
}

/// Parse `input`; if accepted, the written-out value must parse to the same.
macro_rules! round_trips {
    ($parse:expr, $input:expr) => {
        if let Ok(value) = $parse(&$input) {
            let again = $parse(&value.to_string());
            prop_assert_eq!(again.as_ref().ok(), Some(&value), "written out: {}", value);
        }
    };
}

/// A section form: parse never panics, and what it accepts survives the
/// JSON the database stores.
macro_rules! section_round_trips {
    ($form:ty, $values:expr, $on:expr) => {{
        let form: $form = form(&$values, &$on);
        if let Ok(section) = form.parse(date!(2026 - 06 - 15)) {
            let json = serde_json::to_value(&section).unwrap();
            let back = serde_json::from_value(json).unwrap();
            prop_assert_eq!(section, back);
        }
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn value_types_never_panic_and_round_trip(input in text()) {
        round_trips!(InstitutionNumber::parse, input);
        round_trips!(Postnummer::parse, input);
        round_trips!(Kommunekode::parse, input);
        round_trips!(Cvr::parse, input);
        round_trips!(PNummer::parse, input);
        round_trips!(Email::parse, input);
        round_trips!(PhoneNumber::parse, input);
        round_trips!(HttpsUrl::parse, input);
        let _ = check_new_password(&input, "G10234");
    }

    #[test]
    fn dates_and_times_never_panic_and_round_trip(input in text()) {
        if let Some(date) = parse_date(&input) {
            prop_assert_eq!(parse_date(&format_date(date)), Some(date));
        }
        if let Some(time) = parse_time(&input) {
            prop_assert_eq!(parse_time(&format_time(time)), Some(time));
        }
    }

    #[test]
    fn valid_dates_and_times_are_read_back(year in 2000i32..2100, ordinal in 1u16..=365, hour in 0u8..24, minute in 0u8..60) {
        let date = time::Date::from_ordinal_date(year, ordinal).unwrap();
        prop_assert_eq!(parse_date(&format_date(date)), Some(date));
        let time = time::Time::from_hms(hour, minute, 0).unwrap();
        prop_assert_eq!(parse_time(&format_time(time)), Some(time));
    }

    #[test]
    fn section_forms_never_panic_and_survive_storage(
        values in prop::collection::vec(text(), 1..12),
        on in prop::collection::vec(any::<bool>(), 1..12),
    ) {
        section_round_trips!(ProfilForm, values, on);
        section_round_trips!(MadordningForm, values, on);
        section_round_trips!(OpeningHoursForm, values, on);
        section_round_trips!(KontaktForm, values, on);
        section_round_trips!(ClosingPeriodForm, values, on);
    }

    #[test]
    fn register_forms_never_panic(
        values in prop::collection::vec(text(), 1..12),
        on in prop::collection::vec(any::<bool>(), 1..12),
    ) {
        let new: NewInstitutionForm = form(&values, &on);
        let _ = new.parse(&[super::Ejerform::Kommunal, super::Ejerform::Privat]);
        let close: CloseForm = form(&values, &on);
        let _ = close.parse(date!(2026 - 06 - 15), date!(2020 - 01 - 01));
    }
}

/// Accepted opening hours come back from the same text, so a form redisplayed
/// after a save shows what was saved.
#[test]
fn an_accepted_form_value_is_stable() {
    for input in ["6.30", "0630", "06:30", " 6:30 "] {
        let time = parse_time(input).unwrap();
        assert_eq!(format_time(time), "06:30");
    }
}
