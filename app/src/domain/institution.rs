use std::fmt;

use serde::{Deserialize, Serialize};

/// The dagtilbudsnummer: six letters or digits, case-insensitive, shown uppercase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InstitutionNumber(String);

impl InstitutionNumber {
    pub const LEN: usize = 6;

    pub fn parse(input: &str) -> Result<Self, String> {
        let normalised: String = input.trim().to_uppercase();
        if normalised.is_empty() {
            return Err("Skriv institutionsnummeret. Det står i brevet fra kommunen.".into());
        }
        if !normalised.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("Institutionsnummeret må kun indeholde bogstaverne A–Z og tal, fx G10234.".into());
        }
        if normalised.len() != Self::LEN {
            return Err(format!(
                "Institutionsnummeret skal være {} tegn, fx G10234. Du har skrevet {}.",
                Self::LEN,
                normalised.len()
            ));
        }
        Ok(InstitutionNumber(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for InstitutionNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<InstitutionNumber> for String {
    fn from(number: InstitutionNumber) -> String {
        number.0
    }
}

impl fmt::Display for InstitutionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Danish postal code: four digits, 1000–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i16", into = "i16")]
pub struct Postnummer(i16);

impl Postnummer {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.len() != 4 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Postnummeret skal være fire cifre, fx 8660.".into());
        }
        let value: i16 = trimmed
            .parse()
            .map_err(|_| "Postnummeret skal være fire cifre, fx 8660.".to_string())?;
        Self::try_from(value)
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

impl TryFrom<i16> for Postnummer {
    type Error = String;
    fn try_from(value: i16) -> Result<Self, Self::Error> {
        if (1000..=9999).contains(&value) {
            Ok(Postnummer(value))
        } else {
            Err("Postnummeret skal være fire cifre mellem 1000 og 9999.".into())
        }
    }
}

impl From<Postnummer> for i16 {
    fn from(value: Postnummer) -> i16 {
        value.0
    }
}

impl fmt::Display for Postnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

macro_rules! db_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $db:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the database and used in URLs and the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $db),+ }
            }

            /// The Danish label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value { $($db => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

db_enum! {
    /// The kinds of dagtilbud in scope. Dagplejere are persons and not
    /// registered one by one: a dagpleje is a kommune's dagplejeområde,
    /// reported by the kommune.
    InstitutionType {
        Vuggestue => "vuggestue", "Vuggestue (0–2 år)";
        Boernehave => "boernehave", "Børnehave (3–5 år)";
        Integreret => "integreret", "Integreret institution (0–5 år)";
        Fritidshjem => "fritidshjem", "Fritidshjem (0.–3. klasse)";
        Fritidsklub => "fritidsklub", "Fritidsklub (fra 5. klasse)";
        Landsbyordning => "landsbyordning", "Landsbyordning";
        Dagpleje => "dagpleje", "Kommunal dagpleje (0–2 år)";
    }
}

db_enum! {
    /// Who owns the institution. Private ones are maintained by STIL support, the rest by their kommune.
    Ejerform {
        Kommunal => "kommunal", "Kommunal";
        Selvejende => "selvejende", "Selvejende";
        Privat => "privat", "Privat";
        Udliciteret => "udliciteret", "Udliciteret";
    }
}

impl InstitutionType {
    /// The type in the plural, for sentences ("børnehaver").
    pub fn plural(self) -> &'static str {
        match self {
            InstitutionType::Vuggestue => "vuggestuer",
            InstitutionType::Boernehave => "børnehaver",
            InstitutionType::Integreret => "integrerede institutioner",
            InstitutionType::Fritidshjem => "fritidshjem",
            InstitutionType::Fritidsklub => "fritidsklubber",
            InstitutionType::Landsbyordning => "landsbyordninger",
            InstitutionType::Dagpleje => "kommunale dagplejer",
        }
    }

    /// The legal basis in Dagtilbudsloven for this type and ownership.
    pub fn lovgrundlag(self, ejerform: Ejerform) -> &'static str {
        match (self, ejerform) {
            (InstitutionType::Dagpleje, _) => "Dagtilbudsloven § 21",
            (InstitutionType::Fritidshjem, _) => "Dagtilbudsloven § 52",
            (InstitutionType::Fritidsklub, _) => "Dagtilbudsloven § 66",
            (InstitutionType::Landsbyordning, _) => {
                "Dagtilbudsloven § 19, stk. 2, og folkeskolelovens § 24 a"
            }
            (_, Ejerform::Selvejende) => "Dagtilbudsloven § 19, stk. 3",
            (_, Ejerform::Privat) => "Dagtilbudsloven § 19, stk. 5",
            (_, Ejerform::Kommunal | Ejerform::Udliciteret) => "Dagtilbudsloven § 19, stk. 2",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn institution_number_is_case_insensitive_and_shown_uppercase() {
        let number = InstitutionNumber::parse(" g10234 ").unwrap();
        assert_eq!(number.as_str(), "G10234");
        assert_eq!(number, InstitutionNumber::parse("G10234").unwrap());
    }

    #[test]
    fn institution_number_rejects_wrong_length_and_characters() {
        assert!(InstitutionNumber::parse("").unwrap_err().contains("Skriv"));
        assert!(InstitutionNumber::parse("G1023").unwrap_err().contains("6 tegn"));
        assert!(InstitutionNumber::parse("G102345")
            .unwrap_err()
            .contains("6 tegn"));
        assert!(InstitutionNumber::parse("G1023Ø").unwrap_err().contains("A–Z"));
        assert!(InstitutionNumber::parse("G10-34").is_err());
    }

    #[test]
    fn postnummer_edges() {
        assert_eq!(Postnummer::parse("8660").unwrap().get(), 8660);
        assert_eq!(Postnummer::parse("1000").unwrap().get(), 1000);
        assert!(Postnummer::parse("0999").is_err());
        assert!(Postnummer::parse("866").is_err());
        assert!(Postnummer::parse("86600").is_err());
        assert!(Postnummer::parse("86a0").is_err());
    }

    #[test]
    fn enums_round_trip_through_their_database_value() {
        for kind in InstitutionType::ALL {
            assert_eq!(InstitutionType::parse(kind.as_str()), Some(*kind));
        }
        for owner in Ejerform::ALL {
            assert_eq!(Ejerform::parse(owner.as_str()), Some(*owner));
        }
        assert_eq!(InstitutionType::parse("dagplejer"), None);
    }

    #[test]
    fn lovgrundlag_follows_type_and_ownership() {
        assert_eq!(
            InstitutionType::Boernehave.lovgrundlag(Ejerform::Privat),
            "Dagtilbudsloven § 19, stk. 5"
        );
        assert_eq!(
            InstitutionType::Vuggestue.lovgrundlag(Ejerform::Selvejende),
            "Dagtilbudsloven § 19, stk. 3"
        );
        assert_eq!(
            InstitutionType::Fritidsklub.lovgrundlag(Ejerform::Kommunal),
            "Dagtilbudsloven § 66"
        );
    }
}
