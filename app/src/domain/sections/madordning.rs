//! Section 2, Madordning: lunch scheme, meals, organic share (Det Økologiske
//! Spisemærke), dietary considerations and the parents' monthly payment.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::fields::{format_kroner, parse_kroner};
use super::{checkbox, checked_set, collect, is_checked, join_labels, optional_text, or_not_given, yes_no};
use super::{Section, SectionKind};
use crate::error::FieldErrors;

pub const PRIS_MAX_KRONER: u32 = 5000;
pub const BEMAERKNING_MAX_CHARS: usize = 1000;

choice_enum! {
    /// Who makes the lunch. Radio field `tilberedes`.
    Tilberedning {
        EgetKoekken => "eget_koekken", "Eget køkken";
        EksternLeverandoer => "ekstern_leverandoer", "Ekstern leverandør";
        Madpakker => "madpakker", "Madpakker hjemmefra";
    }
}

choice_enum! {
    /// Meals served. Checkbox fields `maaltid_<key>`.
    Maaltid field_prefix "maaltid_" {
        Morgenmad => "morgenmad", "Morgenmad";
        Formiddagsmad => "formiddagsmad", "Formiddagsmad";
        Frokost => "frokost", "Frokost";
        Eftermiddagsmad => "eftermiddagsmad", "Eftermiddagsmad";
    }
}

choice_enum! {
    /// The organic share as Det Økologiske Spisemærke. Radio field `oekologi`.
    Oekologi {
        Ingen => "ingen", "Ingen";
        Bronze => "bronze", "Bronze (30–60 % økologi)";
        Soelv => "soelv", "Sølv (60–90 % økologi)";
        Guld => "guld", "Guld (90–100 % økologi)";
    }
}

choice_enum! {
    /// Dietary considerations offered. Checkbox fields `hensyn_<key>`.
    Hensyn field_prefix "hensyn_" {
        Vegetarisk => "vegetarisk", "Vegetarisk";
        Halal => "halal", "Halal";
        UdenSvinekoed => "uden_svinekoed", "Uden svinekød";
        Allergier => "allergier", "Allergier";
    }
}

/// Whether there is a lunch scheme, and if so who makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tilbydes", rename_all = "snake_case")]
pub enum Frokostordning {
    Nej,
    Ja { tilberedes: Tilberedning },
}

impl Frokostordning {
    pub fn is_offered(self) -> bool {
        matches!(self, Frokostordning::Ja { .. })
    }

    pub fn tilberedes(self) -> Option<Tilberedning> {
        match self {
            Frokostordning::Ja { tilberedes } => Some(tilberedes),
            Frokostordning::Nej => None,
        }
    }
}

/// What the Madordning form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MadordningForm {
    /// `ja` or `nej`.
    pub frokostordning: String,
    /// A [`Tilberedning`] key; only read when `frokostordning` is `ja`.
    pub tilberedes: String,
    pub maaltid_morgenmad: Option<String>,
    pub maaltid_formiddagsmad: Option<String>,
    pub maaltid_frokost: Option<String>,
    pub maaltid_eftermiddagsmad: Option<String>,
    /// An [`Oekologi`] key or empty.
    pub oekologi: String,
    pub hensyn_vegetarisk: Option<String>,
    pub hensyn_halal: Option<String>,
    pub hensyn_uden_svinekoed: Option<String>,
    pub hensyn_allergier: Option<String>,
    pub pris_pr_maaned: String,
    pub bemaerkning: String,
}

/// A valid Madordning section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Madordning {
    pub frokostordning: Frokostordning,
    pub maaltider: BTreeSet<Maaltid>,
    pub oekologi: Option<Oekologi>,
    pub hensyn: BTreeSet<Hensyn>,
    /// The parents' monthly payment for food in whole kroner, 0–5,000.
    pub pris_pr_maaned: Option<u32>,
    pub bemaerkning: Option<String>,
}

impl MadordningForm {
    fn maaltid_slot(&self, meal: Maaltid) -> &Option<String> {
        match meal {
            Maaltid::Morgenmad => &self.maaltid_morgenmad,
            Maaltid::Formiddagsmad => &self.maaltid_formiddagsmad,
            Maaltid::Frokost => &self.maaltid_frokost,
            Maaltid::Eftermiddagsmad => &self.maaltid_eftermiddagsmad,
        }
    }

    fn maaltid_slot_mut(&mut self, meal: Maaltid) -> &mut Option<String> {
        match meal {
            Maaltid::Morgenmad => &mut self.maaltid_morgenmad,
            Maaltid::Formiddagsmad => &mut self.maaltid_formiddagsmad,
            Maaltid::Frokost => &mut self.maaltid_frokost,
            Maaltid::Eftermiddagsmad => &mut self.maaltid_eftermiddagsmad,
        }
    }

    fn hensyn_slot(&self, hensyn: Hensyn) -> &Option<String> {
        match hensyn {
            Hensyn::Vegetarisk => &self.hensyn_vegetarisk,
            Hensyn::Halal => &self.hensyn_halal,
            Hensyn::UdenSvinekoed => &self.hensyn_uden_svinekoed,
            Hensyn::Allergier => &self.hensyn_allergier,
        }
    }

    fn hensyn_slot_mut(&mut self, hensyn: Hensyn) -> &mut Option<String> {
        match hensyn {
            Hensyn::Vegetarisk => &mut self.hensyn_vegetarisk,
            Hensyn::Halal => &mut self.hensyn_halal,
            Hensyn::UdenSvinekoed => &mut self.hensyn_uden_svinekoed,
            Hensyn::Allergier => &mut self.hensyn_allergier,
        }
    }

    pub fn maaltid_checked(&self, meal: Maaltid) -> bool {
        is_checked(self.maaltid_slot(meal))
    }

    pub fn set_maaltid(&mut self, meal: Maaltid, checked: bool) {
        *self.maaltid_slot_mut(meal) = checkbox(checked);
    }

    pub fn hensyn_checked(&self, hensyn: Hensyn) -> bool {
        is_checked(self.hensyn_slot(hensyn))
    }

    pub fn set_hensyn(&mut self, hensyn: Hensyn, checked: bool) {
        *self.hensyn_slot_mut(hensyn) = checkbox(checked);
    }

    /// Every field error at once, keyed by field name.
    pub fn parse(&self, _today: Date) -> Result<Madordning, FieldErrors> {
        let mut errors = FieldErrors::new();
        let offered = collect(
            &mut errors,
            "frokostordning",
            match self.frokostordning.trim().to_lowercase().as_str() {
                "ja" => Ok(true),
                "nej" => Ok(false),
                _ => Err("Vælg, om institutionen har en frokostordning: ja eller nej.".to_string()),
            },
        );
        let frokostordning = match offered {
            Some(true) => collect(
                &mut errors,
                "tilberedes",
                Tilberedning::parse(self.tilberedes.trim())
                    .map(|tilberedes| Frokostordning::Ja { tilberedes })
                    .ok_or_else(|| {
                        "Vælg, hvem der laver frokosten: eget køkken, ekstern leverandør eller madpakker hjemmefra."
                            .to_string()
                    }),
            ),
            Some(false) => Some(Frokostordning::Nej),
            None => None,
        };
        let oekologi = collect(&mut errors, "oekologi", {
            let key = self.oekologi.trim();
            if key.is_empty() {
                Ok(None)
            } else {
                Oekologi::parse(key).map(Some).ok_or_else(|| {
                    "Vælg institutionens økologiske spisemærke: ingen, bronze, sølv eller guld.".to_string()
                })
            }
        });
        let pris = collect(&mut errors, "pris_pr_maaned", {
            if self.pris_pr_maaned.trim().is_empty() {
                Ok(None)
            } else {
                parse_kroner(&self.pris_pr_maaned, PRIS_MAX_KRONER, "Prisen for maden").map(Some)
            }
        });
        let bemaerkning = collect(
            &mut errors,
            "bemaerkning",
            optional_text(&self.bemaerkning, BEMAERKNING_MAX_CHARS, "Bemærkningen"),
        );
        match (frokostordning, oekologi, pris, bemaerkning) {
            (Some(frokostordning), Some(oekologi), Some(pris_pr_maaned), Some(bemaerkning))
                if errors.is_empty() =>
            {
                Ok(Madordning {
                    frokostordning,
                    maaltider: checked_set(Maaltid::ALL, |m| self.maaltid_checked(m)),
                    oekologi,
                    hensyn: checked_set(Hensyn::ALL, |h| self.hensyn_checked(h)),
                    pris_pr_maaned,
                    bemaerkning,
                })
            }
            _ => Err(errors),
        }
    }
}

impl Madordning {
    pub fn to_form(&self) -> MadordningForm {
        let mut form = MadordningForm {
            frokostordning: if self.frokostordning.is_offered() {
                "ja"
            } else {
                "nej"
            }
            .to_string(),
            tilberedes: self
                .frokostordning
                .tilberedes()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            oekologi: self.oekologi.map(|o| o.as_str().to_string()).unwrap_or_default(),
            pris_pr_maaned: self.pris_pr_maaned.map(|p| p.to_string()).unwrap_or_default(),
            bemaerkning: self.bemaerkning.clone().unwrap_or_default(),
            ..MadordningForm::default()
        };
        for meal in Maaltid::ALL {
            form.set_maaltid(*meal, self.maaltider.contains(meal));
        }
        for hensyn in Hensyn::ALL {
            form.set_hensyn(*hensyn, self.hensyn.contains(hensyn));
        }
        form
    }
}

impl Section for Madordning {
    const KIND: SectionKind = SectionKind::Madordning;

    fn warnings(
        &self,
        norms: &crate::domain::plausibility::Norms,
        _year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        crate::domain::plausibility::madordning(self, norms)
    }

    /// Label and display value per field, in display order.
    fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Frokostordning", yes_no(self.frokostordning.is_offered())),
            (
                "Frokosten laves af",
                match self.frokostordning.tilberedes() {
                    Some(t) => t.label().to_string(),
                    None => "Ingen frokostordning".to_string(),
                },
            ),
            ("Måltider", join_labels(self.maaltider.iter().map(|m| m.label()))),
            (
                "Økologisk spisemærke",
                or_not_given(self.oekologi.map(Oekologi::label)),
            ),
            ("Hensyn", join_labels(self.hensyn.iter().map(|h| h.label()))),
            (
                "Pris pr. måned",
                or_not_given(self.pris_pr_maaned.map(format_kroner).as_deref()),
            ),
            ("Bemærkning", or_not_given(self.bemaerkning.as_deref())),
        ]
    }

    /// Always true: a valid Madordning has answered whether there is a lunch scheme.
    fn is_filled(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn form() -> MadordningForm {
        MadordningForm {
            frokostordning: "ja".into(),
            tilberedes: "eget_koekken".into(),
            maaltid_frokost: Some("on".into()),
            maaltid_eftermiddagsmad: Some("on".into()),
            oekologi: "soelv".into(),
            hensyn_halal: Some("on".into()),
            hensyn_allergier: Some("on".into()),
            pris_pr_maaned: "1.250 kr.".into(),
            bemaerkning: "Vi bager selv rugbrød.".into(),
            ..MadordningForm::default()
        }
    }

    #[test]
    fn parses_a_filled_form_and_round_trips() {
        let mad = form().parse(TODAY).unwrap();
        assert_eq!(
            mad.frokostordning,
            Frokostordning::Ja {
                tilberedes: Tilberedning::EgetKoekken
            }
        );
        assert_eq!(
            mad.maaltider.iter().copied().collect::<Vec<_>>(),
            vec![Maaltid::Frokost, Maaltid::Eftermiddagsmad]
        );
        assert_eq!(mad.oekologi, Some(Oekologi::Soelv));
        assert_eq!(
            mad.hensyn.iter().copied().collect::<Vec<_>>(),
            vec![Hensyn::Halal, Hensyn::Allergier]
        );
        assert_eq!(mad.pris_pr_maaned, Some(1250));
        assert!(mad.is_filled());
        assert_eq!(mad.to_form().parse(TODAY), Ok(mad));
    }

    #[test]
    fn without_lunch_scheme_the_maker_is_ignored() {
        let mut f = form();
        f.frokostordning = " Nej ".into();
        f.tilberedes = "noget andet".into();
        let mad = f.parse(TODAY).unwrap();
        assert_eq!(mad.frokostordning, Frokostordning::Nej);
        assert_eq!(mad.to_form().tilberedes, "");
        assert_eq!(mad.to_form().parse(TODAY), Ok(mad.clone()));
        assert_eq!(mad.describe()[1].1, "Ingen frokostordning");
    }

    #[test]
    fn required_choices() {
        let errors = MadordningForm::default().parse(TODAY).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors["frokostordning"].contains("ja eller nej"));

        let mut f = form();
        f.tilberedes = String::new();
        let errors = f.parse(TODAY).unwrap_err();
        assert!(errors["tilberedes"].contains("hvem der laver frokosten"));

        let mut f = form();
        f.frokostordning = "måske".into();
        f.oekologi = "platin".into();
        f.pris_pr_maaned = "-5".into();
        f.bemaerkning = "x".repeat(BEMAERKNING_MAX_CHARS + 1);
        let errors = f.parse(TODAY).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["bemaerkning", "frokostordning", "oekologi", "pris_pr_maaned"]
        );
        assert!(errors["oekologi"].contains("spisemærke"));
        assert!(errors["pris_pr_maaned"].contains("negativ"));
        assert!(errors["bemaerkning"].contains("højst være 1.000 tegn"));
    }

    #[test]
    fn price_forms() {
        let price = |input: &str| {
            let mut f = form();
            f.pris_pr_maaned = input.into();
            f.parse(TODAY).map(|m| m.pris_pr_maaned)
        };
        assert_eq!(price("850"), Ok(Some(850)));
        assert_eq!(price("850 kr."), Ok(Some(850)));
        assert_eq!(price("1.250"), Ok(Some(1250)));
        assert_eq!(price("850,00"), Ok(Some(850)));
        assert_eq!(price("0"), Ok(Some(0)));
        assert_eq!(price("5000"), Ok(Some(5000)));
        assert_eq!(price("  "), Ok(None));
        assert!(price("5001").unwrap_err()["pris_pr_maaned"].contains("5.000"));
        assert!(price("850,50").unwrap_err()["pris_pr_maaned"].contains("øre"));
        assert!(price("12.5").unwrap_err()["pris_pr_maaned"].contains("decimaltegn"));
        assert!(price("gratis").unwrap_err()["pris_pr_maaned"].contains("tal"));
    }

    #[test]
    fn describe_in_display_order() {
        let described = form().parse(TODAY).unwrap().describe();
        assert_eq!(
            described,
            vec![
                ("Frokostordning", "Ja".to_string()),
                ("Frokosten laves af", "Eget køkken".to_string()),
                ("Måltider", "Frokost, eftermiddagsmad".to_string()),
                ("Økologisk spisemærke", "Sølv (60–90 % økologi)".to_string()),
                ("Hensyn", "Halal, allergier".to_string()),
                ("Pris pr. måned", "1.250 kr.".to_string()),
                ("Bemærkning", "Vi bager selv rugbrød.".to_string()),
            ]
        );
        let bare = MadordningForm {
            frokostordning: "nej".into(),
            ..MadordningForm::default()
        }
        .parse(TODAY)
        .unwrap()
        .describe();
        assert_eq!(bare[0].1, "Nej");
        assert_eq!(bare[2].1, "Ingen");
        assert_eq!(bare[3].1, "Ikke oplyst");
        assert_eq!(bare[5].1, "Ikke oplyst");
    }

    #[test]
    fn choices_and_serde() {
        assert_eq!(Maaltid::Morgenmad.field(), "maaltid_morgenmad");
        assert_eq!(Hensyn::UdenSvinekoed.field(), "hensyn_uden_svinekoed");
        for o in Oekologi::ALL {
            assert_eq!(Oekologi::parse(o.as_str()), Some(*o));
        }
        for t in Tilberedning::ALL {
            assert_eq!(Tilberedning::parse(t.as_str()), Some(*t));
        }
        let json = serde_json::to_value(MadordningForm::default()).unwrap();
        for m in Maaltid::ALL {
            assert!(json.get(m.field()).is_some());
        }
        for h in Hensyn::ALL {
            assert!(json.get(h.field()).is_some());
        }
        let mad = form().parse(TODAY).unwrap();
        let stored = serde_json::to_string(&mad).unwrap();
        assert!(stored.contains("\"tilbydes\":\"ja\""), "{stored}");
        assert!(stored.contains("\"tilberedes\":\"eget_koekken\""), "{stored}");
        assert_eq!(serde_json::from_str::<Madordning>(&stored).unwrap(), mad);
    }
}
