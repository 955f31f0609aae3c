//! Creating and closing an institution in the register: the forms a kommune
//! administrator (or support) fills in, and their checked values.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use super::calendar::{format_date, parse_date};
use super::position::Position;
use super::sections::kontakt::{parse_husnummer, parse_required_postnummer};
use super::sections::{collect, optional_line, required_line};
use super::{Ejerform, InstitutionType, Postnummer};
use crate::error::FieldErrors;

pub const NAVN_MAX_CHARS: usize = 132;
pub const VEJNAVN_MAX_CHARS: usize = 100;
pub const HUSNUMMER_MAX_CHARS: usize = 10;

/// `input` without spaces, if that is exactly `len` digits.
fn digits(input: &str, len: usize) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A CVR number: eight digits passing the modulus-11 check (weights 2 7 6 5 4 3 2 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cvr(String);

impl Cvr {
    pub fn parse(input: &str) -> Result<Self, String> {
        let digits = digits(input, 8).ok_or("CVR-nummeret skal være otte cifre, fx 29190925.")?;
        const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = digits
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if !sum.is_multiple_of(11) {
            return Err("CVR-nummeret findes ikke: kontrolcifferet passer ikke. Tjek, at alle otte cifre er skrevet rigtigt.".into());
        }
        Ok(Cvr(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A P-number (production unit): ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PNummer(String);

impl PNummer {
    pub fn parse(input: &str) -> Result<Self, String> {
        digits(input, 10)
            .map(PNummer)
            .ok_or_else(|| "P-nummeret skal være ti cifre, fx 1012345678.".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PNummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the "Opret dagtilbud" form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewInstitutionForm {
    pub navn: String,
    pub institution_type: String,
    pub ejerform: String,
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: String,
    pub p_nummer: String,
    pub cvr: String,
    /// Optional position, degrees with a decimal comma (or point).
    pub breddegrad: String,
    pub laengdegrad: String,
    /// Only for a dagpleje: the postnumre its area covers, and roughly how
    /// many dagplejere work there.
    pub omraade_postnumre: String,
    pub dagplejere: String,
}

/// What a kommune's dagplejeområde covers (never who: dagplejere are persons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DagplejeOmraade {
    pub postnumre: Vec<Postnummer>,
    pub dagplejere: i32,
}

/// The most postnumre one dagplejeområde lists.
pub const OMRAADE_MAX_POSTNUMRE: usize = 40;
/// The most dagplejere one area counts.
pub const DAGPLEJERE_MAX: i32 = 1_000;

impl DagplejeOmraade {
    /// `8660, 8680`, as shown and typed.
    pub fn postnumre_text(&self) -> String {
        self.postnumre
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Postnumre typed with commas, spaces or semicolons between them: each
/// four digits, in the order typed, without repeats.
fn parse_postnumre(input: &str) -> Result<Vec<Postnummer>, String> {
    let mut postnumre: Vec<Postnummer> = Vec::new();
    for part in input
        .split([',', ';', ' ', '\n', '\t'])
        .filter(|p| !p.trim().is_empty())
    {
        let postnummer = Postnummer::parse(part.trim())
            .map_err(|_| format!("«{}» er ikke et postnummer. Skriv postnumrene med fire cifre, adskilt af komma, fx 8660, 8680.", part.trim()))?;
        if !postnumre.contains(&postnummer) {
            postnumre.push(postnummer);
        }
    }
    if postnumre.is_empty() {
        return Err("Skriv de postnumre, dagplejeområdet dækker, adskilt af komma, fx 8660, 8680.".into());
    }
    if postnumre.len() > OMRAADE_MAX_POSTNUMRE {
        return Err(format!("Et dagplejeområde kan højst dække {OMRAADE_MAX_POSTNUMRE} postnumre. Del det op i flere områder."));
    }
    Ok(postnumre)
}

/// Roughly how many dagplejere an area has: a whole number, 1 or more.
fn parse_dagplejere(input: &str) -> Result<i32, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("Skriv cirka hvor mange dagplejere, området har, fx 25.".into());
    }
    match text.parse::<i32>() {
        Ok(n) if (1..=DAGPLEJERE_MAX).contains(&n) => Ok(n),
        Ok(_) => Err(format!(
            "Antallet af dagplejere skal være mellem 1 og {DAGPLEJERE_MAX}."
        )),
        Err(_) => Err("Skriv antallet af dagplejere som et helt tal, fx 25.".into()),
    }
}

/// A checked new institution. The number is given by the system when it is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInstitution {
    pub navn: String,
    pub institution_type: InstitutionType,
    pub ejerform: Ejerform,
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: Postnummer,
    pub p_nummer: Option<PNummer>,
    pub cvr: Option<Cvr>,
    pub position: Option<Position>,
    /// Set exactly when the type is dagpleje.
    pub dagpleje: Option<DagplejeOmraade>,
}

impl NewInstitutionForm {
    /// Field name → value, for filling the form in.
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("navn", &self.navn),
            ("institution_type", &self.institution_type),
            ("ejerform", &self.ejerform),
            ("vejnavn", &self.vejnavn),
            ("husnummer", &self.husnummer),
            ("postnummer", &self.postnummer),
            ("p_nummer", &self.p_nummer),
            ("cvr", &self.cvr),
            ("breddegrad", &self.breddegrad),
            ("laengdegrad", &self.laengdegrad),
            ("omraade_postnumre", &self.omraade_postnumre),
            ("dagplejere", &self.dagplejere),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }

    /// The form's field names in the order they appear (for the error summary).
    pub const FIELDS: [&'static str; 12] = [
        "navn",
        "institution_type",
        "ejerform",
        "vejnavn",
        "husnummer",
        "postnummer",
        "p_nummer",
        "cvr",
        "breddegrad",
        "laengdegrad",
        "omraade_postnumre",
        "dagplejere",
    ];

    /// The dagpleje's area fields: required for a dagpleje (which is always
    /// kommunal), and empty for every other type. `None` on an error.
    fn dagpleje_fields(
        &self,
        errors: &mut FieldErrors,
        institution_type: Option<InstitutionType>,
        ejerform: Option<Ejerform>,
    ) -> Option<Option<DagplejeOmraade>> {
        if institution_type != Some(InstitutionType::Dagpleje) {
            for field in ["omraade_postnumre", "dagplejere"] {
                let value = if field == "dagplejere" {
                    &self.dagplejere
                } else {
                    &self.omraade_postnumre
                };
                if !value.trim().is_empty() {
                    errors.insert(
                        field.to_string(),
                        "Udfyldes kun for en kommunal dagpleje. Tøm feltet, eller vælg typen Kommunal dagpleje.".into(),
                    );
                }
            }
            return Some(None);
        }
        if ejerform.is_some_and(|e| e != Ejerform::Kommunal) {
            errors.insert(
                "ejerform".into(),
                "En kommunal dagpleje er altid kommunal. Vælg ejerformen Kommunal.".into(),
            );
        }
        let postnumre = collect(
            errors,
            "omraade_postnumre",
            parse_postnumre(&self.omraade_postnumre),
        );
        let dagplejere = collect(errors, "dagplejere", parse_dagplejere(&self.dagplejere));
        Some(Some(DagplejeOmraade {
            postnumre: postnumre?,
            dagplejere: dagplejere?,
        }))
    }

    /// Every field error at once. `ejerformer` are the ones the caller may
    /// create (a kommune: kommunal, selvejende, udliciteret).
    pub fn parse(&self, ejerformer: &[Ejerform]) -> Result<NewInstitution, FieldErrors> {
        let mut errors = FieldErrors::new();
        let navn = collect(
            &mut errors,
            "navn",
            required_line(
                &self.navn,
                NAVN_MAX_CHARS,
                "Navnet",
                "Skriv dagtilbuddets navn, fx Børnehuset Solsikken.",
            ),
        );
        let institution_type = collect(
            &mut errors,
            "institution_type",
            InstitutionType::parse(&self.institution_type)
                .ok_or_else(|| "Vælg dagtilbuddets type.".to_string()),
        );
        let allowed: Vec<&str> = ejerformer.iter().map(|e| e.label()).collect();
        let ejerform = collect(
            &mut errors,
            "ejerform",
            Ejerform::parse(&self.ejerform)
                .filter(|e| ejerformer.contains(e))
                .ok_or_else(|| format!("Vælg ejerformen: {}.", allowed.join(", ").to_lowercase())),
        );
        let vejnavn = collect(
            &mut errors,
            "vejnavn",
            required_line(
                &self.vejnavn,
                VEJNAVN_MAX_CHARS,
                "Vejnavnet",
                "Skriv vejnavnet i adressen, fx Skolevej.",
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
        let p_nummer = collect(
            &mut errors,
            "p_nummer",
            optional_line(&self.p_nummer, 20, "P-nummeret")
                .and_then(|p| p.as_deref().map(PNummer::parse).transpose()),
        );
        let cvr = collect(
            &mut errors,
            "cvr",
            optional_line(&self.cvr, 20, "CVR-nummeret")
                .and_then(|c| c.as_deref().map(Cvr::parse).transpose()),
        );
        let position =
            Position::parse_optional(&self.breddegrad, &self.laengdegrad, ("breddegrad", "laengdegrad"))
                .map_err(|e| errors.extend(e))
                .ok();
        let dagpleje = self.dagpleje_fields(&mut errors, institution_type, ejerform);
        match (
            navn,
            institution_type,
            ejerform,
            vejnavn,
            husnummer,
            postnummer,
            p_nummer,
            cvr,
            position,
            dagpleje,
        ) {
            (
                Some(navn),
                Some(institution_type),
                Some(ejerform),
                Some(vejnavn),
                Some(husnummer),
                Some(postnummer),
                Some(p_nummer),
                Some(cvr),
                Some(position),
                Some(dagpleje),
            ) if errors.is_empty() => Ok(NewInstitution {
                navn,
                institution_type,
                ejerform,
                vejnavn,
                husnummer,
                postnummer,
                p_nummer,
                cvr,
                position,
                dagpleje,
            }),
            _ => Err(errors),
        }
    }
}

/// What the "Luk dagtilbuddet" form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CloseForm {
    pub lukket_den: String,
    /// The confirmation checkbox ("on" when ticked).
    pub bekraeft: String,
}

impl CloseForm {
    /// The closing date: today or earlier, and not before the institution was created.
    pub fn parse(&self, today: Date, created: Date) -> Result<Date, FieldErrors> {
        let mut errors = FieldErrors::new();
        let example = format!("fx {}", format_date(today));
        let date = collect(
            &mut errors,
            "lukket_den",
            if self.lukket_den.trim().is_empty() {
                Err(format!(
                    "Skriv datoen, dagtilbuddet lukkede, som dd.mm.åååå, {example}."
                ))
            } else {
                match parse_date(&self.lukket_den) {
                    None => Err(format!(
                        "Lukkedatoen kan ikke læses, eller datoen findes ikke. Skriv den som dd.mm.åååå, {example}."
                    )),
                    Some(date) if date > today => Err(format!(
                        "Lukkedatoen må ikke ligge efter i dag ({}). Luk dagtilbuddet den dag, det lukker.",
                        format_date(today)
                    )),
                    Some(date) if date < created => Err(format!(
                        "Lukkedatoen må ikke ligge før dagtilbuddet blev oprettet ({}).",
                        format_date(created)
                    )),
                    Some(date) => Ok(date),
                }
            },
        );
        if self.bekraeft.trim().is_empty() {
            // Keyed by the checkbox's fieldset (the checkbox itself is `bekraeft`).
            errors.insert(
                "bekraeftelse".into(),
                "Sæt kryds for at bekræfte, at dagtilbuddet skal lukkes. Det kan ikke fortrydes her.".into(),
            );
        }
        match date {
            Some(date) if errors.is_empty() => Ok(date),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const KOMMUNE: [Ejerform; 3] = [Ejerform::Kommunal, Ejerform::Selvejende, Ejerform::Udliciteret];

    fn valid() -> NewInstitutionForm {
        NewInstitutionForm {
            navn: " Børnehuset Åen ".into(),
            institution_type: "integreret".into(),
            ejerform: "selvejende".into(),
            vejnavn: "Åvej".into(),
            husnummer: "12B".into(),
            postnummer: "8660".into(),
            p_nummer: "".into(),
            cvr: "29 19 09 25".into(),
            breddegrad: "56,0392".into(),
            laengdegrad: "9.9285".into(),
            omraade_postnumre: "".into(),
            dagplejere: "".into(),
        }
    }

    #[test]
    fn cvr_needs_eight_digits_and_the_modulus_11_check() {
        assert_eq!(Cvr::parse("29190925").unwrap().as_str(), "29190925");
        assert!(Cvr::parse("29190926").unwrap_err().contains("kontrolcifferet"));
        assert!(Cvr::parse("2919092").unwrap_err().contains("otte cifre"));
        assert!(Cvr::parse("2919092A").is_err());
    }

    #[test]
    fn p_nummer_is_ten_digits() {
        assert!(PNummer::parse("1012345678").is_ok());
        assert!(PNummer::parse("101234567").is_err());
    }

    #[test]
    fn a_valid_form_is_trimmed_and_typed() {
        let new = valid().parse(&KOMMUNE).unwrap();
        assert_eq!(new.navn, "Børnehuset Åen");
        assert_eq!(new.institution_type, InstitutionType::Integreret);
        assert_eq!(new.cvr.unwrap().as_str(), "29190925");
        assert_eq!(new.p_nummer, None);
        assert_eq!(new.position.map(|p| p.laengdegrad), Some(9.9285));
        let without = NewInstitutionForm {
            breddegrad: String::new(),
            laengdegrad: " ".into(),
            ..valid()
        };
        assert_eq!(without.parse(&KOMMUNE).unwrap().position, None);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let form = NewInstitutionForm {
            navn: "".into(),
            institution_type: "skole".into(),
            ejerform: "privat".into(),
            vejnavn: "".into(),
            husnummer: "B".into(),
            postnummer: "86600".into(),
            p_nummer: "12".into(),
            cvr: "12345678".into(),
            breddegrad: "60".into(),
            laengdegrad: "øst".into(),
            omraade_postnumre: "8660".into(),
            dagplejere: "12".into(),
        };
        let errors = form.parse(&KOMMUNE).unwrap_err();
        for field in NewInstitutionForm::FIELDS {
            assert!(
                errors.contains_key(field),
                "{field} must have an error: {errors:?}"
            );
        }
        assert!(errors["ejerform"].contains("kommunal, selvejende, udliciteret"));
    }

    #[test]
    fn a_dagpleje_is_kommunal_and_names_its_area_never_its_people() {
        let dagpleje = NewInstitutionForm {
            institution_type: "dagpleje".into(),
            ejerform: "kommunal".into(),
            cvr: "".into(),
            omraade_postnumre: "8660, 8680 8680;8670".into(),
            dagplejere: " 24 ".into(),
            ..valid()
        };
        let new = dagpleje.parse(&KOMMUNE).unwrap();
        let area = new.dagpleje.unwrap();
        assert_eq!(area.postnumre_text(), "8660, 8680, 8670");
        assert_eq!(area.dagplejere, 24);

        let wrong = NewInstitutionForm {
            ejerform: "selvejende".into(),
            omraade_postnumre: "8660, 86".into(),
            dagplejere: "mange".into(),
            ..dagpleje.clone()
        };
        let errors = wrong.parse(&KOMMUNE).unwrap_err();
        assert!(errors["ejerform"].contains("altid kommunal"));
        assert!(errors["omraade_postnumre"].contains("«86» er ikke et postnummer"));
        assert!(errors["dagplejere"].contains("helt tal"));
        let missing = NewInstitutionForm {
            omraade_postnumre: " ".into(),
            dagplejere: "0".into(),
            ..dagpleje
        };
        let errors = missing.parse(&KOMMUNE).unwrap_err();
        assert!(errors["omraade_postnumre"].contains("Skriv de postnumre"));
        assert!(errors["dagplejere"].contains("mellem 1 og"));

        // Other types leave the area fields empty.
        let institution = NewInstitutionForm {
            dagplejere: "3".into(),
            ..valid()
        };
        assert!(
            institution.parse(&KOMMUNE).unwrap_err()["dagplejere"].contains("kun for en kommunal dagpleje")
        );
        assert_eq!(valid().parse(&KOMMUNE).unwrap().dagpleje, None);
    }

    #[test]
    fn a_kommune_cannot_create_a_private_institution() {
        let form = NewInstitutionForm {
            ejerform: "privat".into(),
            ..valid()
        };
        assert!(form.parse(&KOMMUNE).unwrap_err().contains_key("ejerform"));
        assert!(form.parse(&[Ejerform::Privat]).is_ok());
    }

    #[test]
    fn closing_needs_a_past_date_and_a_confirmation() {
        let today = date!(2026 - 11 - 23);
        let created = date!(2020 - 01 - 01);
        let ok = CloseForm {
            lukket_den: "23.11.2026".into(),
            bekraeft: "on".into(),
        };
        assert_eq!(ok.parse(today, created).unwrap(), today);
        let future = CloseForm {
            lukket_den: "24.11.2026".into(),
            ..ok.clone()
        };
        assert!(future.parse(today, created).unwrap_err()["lukket_den"].contains("efter i dag"));
        let before = CloseForm {
            lukket_den: "31.12.2019".into(),
            ..ok.clone()
        };
        assert!(before.parse(today, created).unwrap_err()["lukket_den"].contains("oprettet"));
        let unconfirmed = CloseForm {
            bekraeft: "".into(),
            ..ok.clone()
        };
        assert!(unconfirmed
            .parse(today, created)
            .unwrap_err()
            .contains_key("bekraeftelse"));
        let nonsense = CloseForm {
            lukket_den: "30.2.2026".into(),
            ..ok
        };
        assert!(nonsense.parse(today, created).unwrap_err()["lukket_den"].contains("findes ikke"));
    }
}
