//! The instant checks of the log-in's forms, before and after the password:
//! the server's rules for each field, run in the browser by the forms'
//! bundle (`components::enhance`) when a field is left.

use crate::domain::password::{check_new_password, check_repeat};
use crate::domain::InstitutionNumber;

/// The instant checks of the log-in's forms, before and after the password
/// (their `data-check`): the server's rules for each field, the form as
/// posted. `None` for a form that is not one of them.
pub fn instant_check(
    check: &str,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Option<crate::error::FieldErrors> {
    let value = |name: &str| values.get(name).and_then(|v| v.as_str()).unwrap_or_default();
    let required = |name: &str, message: &str| value(name).trim().is_empty().then(|| message.to_string());
    let found: Vec<(&str, Option<String>)> = match check {
        "log-ind" => vec![
            (
                "institutionsnummer",
                InstitutionNumber::parse(value("institutionsnummer")).err(),
            ),
            ("kodeord", required("kodeord", "Skriv kodeordet.")),
        ],
        "admin-log-ind" => {
            let email = value("email").trim();
            let email_error = if email.is_empty() {
                Some("Skriv din e-mailadresse.".to_string())
            } else if crate::domain::Email::parse(email).is_err() {
                // The browser's check; the server's (validator's WHATWG rule) decides.
                Some("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.".to_string())
            } else {
                None
            };
            vec![
                ("email", email_error),
                ("adgangskode", required("adgangskode", "Skriv din adgangskode.")),
            ]
        }
        "ny-adgangskode" => vec![
            (
                "ny_adgangskode",
                check_new_password(value("ny_adgangskode"), value("brugernavn")).err(),
            ),
            (
                "gentag_adgangskode",
                check_repeat(value("ny_adgangskode"), value("gentag_adgangskode")).err(),
            ),
        ],
        "totp-kode" => vec![("kode", app_code_check(value("kode")).err())],
        "gendannelseskode" => vec![(
            "gendannelseskode",
            required("gendannelseskode", "Skriv en af dine gendannelseskoder."),
        )],
        _ => return None,
    };
    Some(
        found
            .into_iter()
            .filter_map(|(field, error)| Some((field.to_string(), error?)))
            .collect(),
    )
}

/// The check of a code from the authenticator app (the server's is the same rule).
fn app_code_check(value: &str) -> Result<(), String> {
    let code: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.is_empty() {
        Err("Skriv koden fra godkendelsesappen.".to_string())
    } else if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        Err("Koden fra godkendelsesappen er 6 cifre, fx 123456.".to_string())
    } else {
        Ok(())
    }
}
