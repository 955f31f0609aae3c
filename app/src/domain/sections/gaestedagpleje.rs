//! The sixth section, only for a kommune's dagpleje: gæstedagpleje, how a
//! child is cared for when its dagplejer is ill or on holiday, and where.
//! It describes the arrangement, never a person: no dagplejer's name or
//! home address belongs here.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{collect, optional_line, or_not_given, required_text};
use super::{Section, SectionKind};
use crate::error::FieldErrors;

pub const STED_MAX_CHARS: usize = 200;
pub const BESKRIVELSE_MAX_CHARS: usize = 1_000;

choice_enum! {
    /// Where the child goes when its own dagplejer is away.
    Gaesteordning {
        Gaestehus => "gaestehus", "I kommunens gæstehus";
        Legegruppe => "legegruppe", "Hos en anden dagplejer i legegruppen";
        Begge => "begge", "I gæstehuset eller hos en anden dagplejer, efter behov";
    }
}

impl Gaesteordning {
    /// Whether the arrangement has a place parents must be told about.
    pub fn has_gaestehus(self) -> bool {
        matches!(self, Gaesteordning::Gaestehus | Gaesteordning::Begge)
    }
}

/// What the Gæstedagpleje form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GaestedagplejeForm {
    pub ordning: String,
    pub sted: String,
    pub beskrivelse: String,
}

/// A valid Gæstedagpleje section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gaestedagpleje {
    pub ordning: Gaesteordning,
    /// The gæstehus: its name and address, when there is one.
    pub sted: Option<String>,
    pub beskrivelse: String,
}

impl GaestedagplejeForm {
    /// Every field error at once, keyed by field name.
    pub fn parse(&self, _today: Date) -> Result<Gaestedagpleje, FieldErrors> {
        let mut errors = FieldErrors::new();
        let ordning = collect(
            &mut errors,
            "ordning",
            Gaesteordning::parse(self.ordning.trim()).ok_or_else(|| {
                "Vælg, hvor barnet passes, når dagplejeren er syg eller holder fri.".to_string()
            }),
        );
        let sted = collect(
            &mut errors,
            "sted",
            optional_line(&self.sted, STED_MAX_CHARS, "Gæstehuset").and_then(|sted| match (sted, ordning) {
                (None, Some(o)) if o.has_gaestehus() => Err(
                    "Skriv gæstehusets navn og adresse, fx Gæstehuset Mejsen, Skolevej 4, 8680 Ry."
                        .to_string(),
                ),
                (sted, _) => Ok(sted),
            }),
        );
        let beskrivelse = collect(
            &mut errors,
            "beskrivelse",
            required_text(
                &self.beskrivelse,
                BESKRIVELSE_MAX_CHARS,
                "Beskrivelsen",
                "Beskriv kort, hvordan gæstedagplejen foregår: hvornår forældrene får besked, og om barnet kan besøge stedet på forhånd.",
            ),
        );
        match (ordning, sted, beskrivelse) {
            (Some(ordning), Some(sted), Some(beskrivelse)) if errors.is_empty() => Ok(Gaestedagpleje {
                ordning,
                sted,
                beskrivelse,
            }),
            _ => Err(errors),
        }
    }
}

impl Gaestedagpleje {
    pub fn to_form(&self) -> GaestedagplejeForm {
        GaestedagplejeForm {
            ordning: self.ordning.as_str().to_string(),
            sted: self.sted.clone().unwrap_or_default(),
            beskrivelse: self.beskrivelse.clone(),
        }
    }
}

impl Section for Gaestedagpleje {
    const KIND: SectionKind = SectionKind::Gaestedagpleje;

    fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Ordning", self.ordning.label().to_string()),
            ("Gæstehus", or_not_given(self.sted.as_deref())),
            ("Sådan foregår det", self.beskrivelse.clone()),
        ]
    }

    fn is_filled(&self) -> bool {
        !self.beskrivelse.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    #[test]
    fn a_gaestehus_needs_its_place_and_every_problem_is_named() {
        let good = GaestedagplejeForm {
            ordning: "begge".into(),
            sted: " Gæstehuset Mejsen, Skolevej 4, 8680 Ry ".into(),
            beskrivelse: "Forældrene får besked dagen før.\nBørnene besøger gæstehuset en gang om måneden."
                .into(),
        };
        let value = good.parse(TODAY).unwrap();
        assert_eq!(
            value.sted.as_deref(),
            Some("Gæstehuset Mejsen, Skolevej 4, 8680 Ry")
        );
        assert_eq!(value.to_form().parse(TODAY).unwrap(), value, "round trip");
        let no_place = GaestedagplejeForm {
            ordning: "gaestehus".into(),
            sted: "".into(),
            ..good.clone()
        };
        assert!(no_place.parse(TODAY).unwrap_err()["sted"].contains("gæstehusets navn og adresse"));
        let in_group = GaestedagplejeForm {
            ordning: "legegruppe".into(),
            sted: "".into(),
            ..good.clone()
        };
        assert_eq!(in_group.parse(TODAY).unwrap().sted, None);
        let empty = GaestedagplejeForm::default().parse(TODAY).unwrap_err();
        assert!(empty["ordning"].contains("Vælg"));
        assert!(empty["beskrivelse"].contains("Beskriv kort"));
        let markup = GaestedagplejeForm {
            sted: "<b>Huset</b>".into(),
            ..good
        };
        assert!(markup.parse(TODAY).unwrap_err().contains_key("sted"));
    }
}
