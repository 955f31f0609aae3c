//! Section 5, Kontaktoplysninger: visiting address, phone, e-mail, website,
//! the leader and a contact person.

use serde::{Deserialize, Serialize};
use time::Date;

use super::fields::{Email, HttpsUrl, PhoneNumber};
use super::profil::parse_optional_url;
use super::{collect, optional_line, or_not_given, required_line};
use super::{Section, SectionKind};
use crate::domain::Postnummer;
use crate::error::FieldErrors;

pub const VEJNAVN_MAX_CHARS: usize = 100;
pub const HUSNUMMER_MAX_CHARS: usize = 20;
pub const BY_MAX_CHARS: usize = 100;
pub const NAVN_MAX_CHARS: usize = 100;

/// What the Kontaktoplysninger form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KontaktForm {
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: String,
    pub by: String,
    pub telefon: String,
    pub email: String,
    pub hjemmeside: String,
    pub leder: String,
    pub kontaktperson: String,
}

/// A valid Kontaktoplysninger section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kontakt {
    pub vejnavn: String,
    /// A number, optionally with a letter and more (`12`, `12B`, `12, st.`).
    pub husnummer: String,
    pub postnummer: Postnummer,
    pub by: String,
    pub telefon: PhoneNumber,
    pub email: Email,
    pub hjemmeside: Option<HttpsUrl>,
    pub leder: String,
    pub kontaktperson: Option<String>,
}

/// A house number: a number, optionally with a letter and more (`12`, `12B`, `12, st.`).
pub(crate) fn parse_husnummer(input: &str, max: usize) -> Result<String, String> {
    let number = required_line(input, max, "Husnummeret", "Skriv husnummeret, fx 12 eller 12B.")?;
    if !number.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("Husnummeret skal begynde med et tal, fx 12 eller 12B.".into());
    }
    Ok(number)
}

/// A postnummer that must be given.
pub(crate) fn parse_required_postnummer(input: &str) -> Result<Postnummer, String> {
    if input.trim().is_empty() {
        Err("Skriv postnummeret, fx 8660.".to_string())
    } else {
        Postnummer::parse(input)
    }
}

impl KontaktForm {
    /// Every field error at once, keyed by field name.
    pub fn parse(&self, _today: Date) -> Result<Kontakt, FieldErrors> {
        let mut errors = FieldErrors::new();
        let vejnavn = collect(
            &mut errors,
            "vejnavn",
            required_line(
                &self.vejnavn,
                VEJNAVN_MAX_CHARS,
                "Vejnavnet",
                "Skriv vejnavnet i besøgsadressen, fx Skolevej.",
            ),
        );
        let husnummer = collect(
            &mut errors,
            "husnummer",
            parse_husnummer(&self.husnummer, HUSNUMMER_MAX_CHARS),
        );
        let postnummer = collect(
            &mut errors,
            "postnummer",
            parse_required_postnummer(&self.postnummer),
        );
        let by = collect(
            &mut errors,
            "by",
            required_line(
                &self.by,
                BY_MAX_CHARS,
                "Bynavnet",
                "Skriv bynavnet, fx Skanderborg.",
            ),
        );
        let telefon = collect(&mut errors, "telefon", PhoneNumber::parse(&self.telefon));
        let email = collect(&mut errors, "email", Email::parse(&self.email));
        let hjemmeside = collect(&mut errors, "hjemmeside", parse_optional_url(&self.hjemmeside));
        let leder = collect(
            &mut errors,
            "leder",
            required_line(
                &self.leder,
                NAVN_MAX_CHARS,
                "Lederens navn",
                "Skriv lederens fulde navn.",
            ),
        );
        let kontaktperson = collect(
            &mut errors,
            "kontaktperson",
            optional_line(&self.kontaktperson, NAVN_MAX_CHARS, "Kontaktpersonens navn"),
        );
        match (
            vejnavn,
            husnummer,
            postnummer,
            by,
            telefon,
            email,
            hjemmeside,
            leder,
            kontaktperson,
        ) {
            (
                Some(vejnavn),
                Some(husnummer),
                Some(postnummer),
                Some(by),
                Some(telefon),
                Some(email),
                Some(hjemmeside),
                Some(leder),
                Some(kontaktperson),
            ) if errors.is_empty() => Ok(Kontakt {
                vejnavn,
                husnummer,
                postnummer,
                by,
                telefon,
                email,
                hjemmeside,
                leder,
                kontaktperson,
            }),
            _ => Err(errors),
        }
    }
}

impl Kontakt {
    pub fn to_form(&self) -> KontaktForm {
        KontaktForm {
            vejnavn: self.vejnavn.clone(),
            husnummer: self.husnummer.clone(),
            postnummer: self.postnummer.to_string(),
            by: self.by.clone(),
            telefon: self.telefon.to_string(),
            email: self.email.as_str().to_string(),
            hjemmeside: self
                .hjemmeside
                .as_ref()
                .map(|u| u.as_str().to_string())
                .unwrap_or_default(),
            leder: self.leder.clone(),
            kontaktperson: self.kontaktperson.clone().unwrap_or_default(),
        }
    }

    /// `Skolevej 12, 8660 Skanderborg`.
    pub fn besoegsadresse(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.vejnavn, self.husnummer, self.postnummer, self.by
        )
    }
}

impl Section for Kontakt {
    const KIND: SectionKind = SectionKind::Kontakt;

    /// Label and display value per field, in display order. The address is
    /// one line.
    fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Besøgsadresse", self.besoegsadresse()),
            ("Telefon", self.telefon.to_string()),
            ("E-mail", self.email.to_string()),
            (
                "Hjemmeside",
                or_not_given(self.hjemmeside.as_ref().map(HttpsUrl::as_str)),
            ),
            ("Leder", self.leder.clone()),
            ("Kontaktperson", or_not_given(self.kontaktperson.as_deref())),
        ]
    }

    /// Always true for a valid value: the address, phone, e-mail and leader are required.
    fn is_filled(&self) -> bool {
        !self.vejnavn.is_empty() && !self.leder.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn form() -> KontaktForm {
        KontaktForm {
            vejnavn: " Skolevej ".into(),
            husnummer: "12B".into(),
            postnummer: "8660".into(),
            by: "Skanderborg".into(),
            telefon: "+45 23456789".into(),
            email: "Kontakt@Solsikken.DK".into(),
            hjemmeside: "solsikken.dk".into(),
            leder: "Mette Hansen".into(),
            kontaktperson: String::new(),
        }
    }

    #[test]
    fn parses_and_round_trips() {
        let kontakt = form().parse(TODAY).unwrap();
        assert_eq!(kontakt.vejnavn, "Skolevej");
        assert_eq!(kontakt.postnummer.get(), 8660);
        assert_eq!(kontakt.telefon.to_string(), "23 45 67 89");
        assert_eq!(kontakt.email.as_str(), "kontakt@solsikken.dk");
        assert_eq!(
            kontakt.hjemmeside.as_ref().map(HttpsUrl::as_str),
            Some("https://solsikken.dk")
        );
        assert_eq!(kontakt.kontaktperson, None);
        assert!(kontakt.is_filled());
        assert_eq!(kontakt.to_form().parse(TODAY), Ok(kontakt.clone()));
        assert_eq!(kontakt.to_form().telefon, "23 45 67 89");
    }

    #[test]
    fn every_required_field_is_reported() {
        let errors = KontaktForm::default().parse(TODAY).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "by",
                "email",
                "husnummer",
                "leder",
                "postnummer",
                "telefon",
                "vejnavn"
            ]
        );
        assert!(errors["postnummer"].contains("fx 8660"));
        assert!(errors["telefon"].starts_with("Skriv telefonnummeret"));
        assert!(errors["email"].starts_with("Skriv e-mailadressen"));
    }

    #[test]
    fn field_rules() {
        let mut f = form();
        f.husnummer = "B12".into();
        f.postnummer = "866".into();
        f.telefon = "1234567".into();
        f.email = "kontakt@solsikken".into();
        f.hjemmeside = "http://solsikken.dk".into();
        f.leder = "x".repeat(NAVN_MAX_CHARS + 1);
        f.kontaktperson = "y".repeat(NAVN_MAX_CHARS + 1);
        let errors = f.parse(TODAY).unwrap_err();
        assert!(errors["husnummer"].contains("begynde med et tal"));
        assert!(errors["postnummer"].contains("fire cifre"));
        assert!(errors["telefon"].contains("8 cifre"));
        assert!(errors["email"].contains("efter @"));
        assert!(errors["hjemmeside"].contains("https://"));
        assert!(errors["leder"].contains("højst være 100 tegn"));
        assert!(errors["kontaktperson"].contains("højst være 100 tegn"));
        assert_eq!(errors.len(), 7);
    }

    #[test]
    fn describe_in_display_order() {
        let mut f = form();
        f.kontaktperson = "Ali Jensen".into();
        assert_eq!(
            f.parse(TODAY).unwrap().describe(),
            vec![
                ("Besøgsadresse", "Skolevej 12B, 8660 Skanderborg".to_string()),
                ("Telefon", "23 45 67 89".to_string()),
                ("E-mail", "kontakt@solsikken.dk".to_string()),
                ("Hjemmeside", "https://solsikken.dk".to_string()),
                ("Leder", "Mette Hansen".to_string()),
                ("Kontaktperson", "Ali Jensen".to_string()),
            ]
        );
        let mut f = form();
        f.hjemmeside = String::new();
        let described = f.parse(TODAY).unwrap().describe();
        assert_eq!(described[3].1, "Ikke oplyst");
        assert_eq!(described[5].1, "Ikke oplyst");
    }

    #[test]
    fn serde_validates_the_typed_fields() {
        let kontakt = form().parse(TODAY).unwrap();
        let json = serde_json::to_string(&kontakt).unwrap();
        assert!(json.contains("\"telefon\":\"23456789\""), "{json}");
        assert_eq!(serde_json::from_str::<Kontakt>(&json).unwrap(), kontakt);
        let broken = json.replace("23456789", "0123");
        assert!(serde_json::from_str::<Kontakt>(&broken).is_err());
    }
}
