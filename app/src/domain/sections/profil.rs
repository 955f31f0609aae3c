//! Section 1, Profil: the pedagogical profile, tags, age groups, places,
//! outdoor area and the institution's own website.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::fields::{format_thousands, parse_whole_number, HttpsUrl, NumberProblem};
use super::{checkbox, checked_set, collect, is_checked, join_labels, or_not_given, required_text};
use super::{Section, SectionKind};
use crate::error::FieldErrors;

pub const PROFIL_MAX_CHARS: usize = 4000;
pub const PLADSER_MAX: u32 = 1000;
pub const UDEAREAL_MAX_M2: u32 = 100_000;

choice_enum! {
    /// What characterises the institution. Checkbox fields `tag_<key>`.
    ProfilTag field_prefix "tag_" {
        Natur => "natur", "Natur og udeliv";
        Idraet => "idraet", "Idræt og bevægelse";
        Sprog => "sprog", "Sprog";
        Musik => "musik", "Musik";
        Kunst => "kunst", "Kunst og kultur";
        Science => "science", "Science";
        Skov => "skov", "Skovbørnehave/udeinstitution";
        Flersproget => "flersproget", "Flersproget";
    }
}

choice_enum! {
    /// The ages of the children the institution serves. Checkbox fields `alder_<key>`.
    Aldersgruppe field_prefix "alder_" {
        Aar0Til2 => "0_2", "0–2 år";
        Aar3Til5 => "3_5", "3–5 år";
        Aar6Til9 => "6_9", "Skolebørn 6–9 år";
        Aar10Plus => "10_plus", "10 år og ældre";
    }
}

/// What the Profil form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfilForm {
    pub paedagogisk_profil: String,
    pub tag_natur: Option<String>,
    pub tag_idraet: Option<String>,
    pub tag_sprog: Option<String>,
    pub tag_musik: Option<String>,
    pub tag_kunst: Option<String>,
    pub tag_science: Option<String>,
    pub tag_skov: Option<String>,
    pub tag_flersproget: Option<String>,
    pub alder_0_2: Option<String>,
    pub alder_3_5: Option<String>,
    pub alder_6_9: Option<String>,
    pub alder_10_plus: Option<String>,
    pub pladser: String,
    pub udeareal_m2: String,
    pub hjemmeside: String,
}

/// A valid Profil section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profil {
    /// Plain text with line breaks, at most 4,000 characters. Never HTML.
    pub paedagogisk_profil: String,
    pub tags: BTreeSet<ProfilTag>,
    pub aldersgrupper: BTreeSet<Aldersgruppe>,
    /// Number of places, 1–1,000.
    pub pladser: u32,
    /// Outdoor area in square metres, 0–100,000.
    pub udeareal_m2: Option<u32>,
    pub hjemmeside: Option<HttpsUrl>,
}

impl ProfilForm {
    fn tag_slot(&self, tag: ProfilTag) -> &Option<String> {
        match tag {
            ProfilTag::Natur => &self.tag_natur,
            ProfilTag::Idraet => &self.tag_idraet,
            ProfilTag::Sprog => &self.tag_sprog,
            ProfilTag::Musik => &self.tag_musik,
            ProfilTag::Kunst => &self.tag_kunst,
            ProfilTag::Science => &self.tag_science,
            ProfilTag::Skov => &self.tag_skov,
            ProfilTag::Flersproget => &self.tag_flersproget,
        }
    }

    fn tag_slot_mut(&mut self, tag: ProfilTag) -> &mut Option<String> {
        match tag {
            ProfilTag::Natur => &mut self.tag_natur,
            ProfilTag::Idraet => &mut self.tag_idraet,
            ProfilTag::Sprog => &mut self.tag_sprog,
            ProfilTag::Musik => &mut self.tag_musik,
            ProfilTag::Kunst => &mut self.tag_kunst,
            ProfilTag::Science => &mut self.tag_science,
            ProfilTag::Skov => &mut self.tag_skov,
            ProfilTag::Flersproget => &mut self.tag_flersproget,
        }
    }

    fn alder_slot(&self, group: Aldersgruppe) -> &Option<String> {
        match group {
            Aldersgruppe::Aar0Til2 => &self.alder_0_2,
            Aldersgruppe::Aar3Til5 => &self.alder_3_5,
            Aldersgruppe::Aar6Til9 => &self.alder_6_9,
            Aldersgruppe::Aar10Plus => &self.alder_10_plus,
        }
    }

    fn alder_slot_mut(&mut self, group: Aldersgruppe) -> &mut Option<String> {
        match group {
            Aldersgruppe::Aar0Til2 => &mut self.alder_0_2,
            Aldersgruppe::Aar3Til5 => &mut self.alder_3_5,
            Aldersgruppe::Aar6Til9 => &mut self.alder_6_9,
            Aldersgruppe::Aar10Plus => &mut self.alder_10_plus,
        }
    }

    /// Whether the tag's checkbox is ticked.
    pub fn tag_checked(&self, tag: ProfilTag) -> bool {
        is_checked(self.tag_slot(tag))
    }

    pub fn set_tag(&mut self, tag: ProfilTag, checked: bool) {
        *self.tag_slot_mut(tag) = checkbox(checked);
    }

    /// Whether the age group's checkbox is ticked.
    pub fn alder_checked(&self, group: Aldersgruppe) -> bool {
        is_checked(self.alder_slot(group))
    }

    pub fn set_alder(&mut self, group: Aldersgruppe, checked: bool) {
        *self.alder_slot_mut(group) = checkbox(checked);
    }

    /// Every field error at once, keyed by field name. `today` is unused here
    /// but kept so that every section parses the same way.
    pub fn parse(&self, _today: Date) -> Result<Profil, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = collect(
            &mut errors,
            "paedagogisk_profil",
            required_text(
                &self.paedagogisk_profil,
                PROFIL_MAX_CHARS,
                "Den pædagogiske profil",
                "Skriv institutionens pædagogiske profil: hvad I lægger vægt på, og hvordan en dag ser ud.",
            ),
        );
        let pladser = collect(&mut errors, "pladser", parse_pladser(&self.pladser));
        let udeareal = collect(&mut errors, "udeareal_m2", parse_udeareal(&self.udeareal_m2));
        let hjemmeside = collect(&mut errors, "hjemmeside", parse_optional_url(&self.hjemmeside));
        match (text, pladser, udeareal, hjemmeside) {
            (Some(paedagogisk_profil), Some(pladser), Some(udeareal_m2), Some(hjemmeside))
                if errors.is_empty() =>
            {
                Ok(Profil {
                    paedagogisk_profil,
                    tags: checked_set(ProfilTag::ALL, |t| self.tag_checked(t)),
                    aldersgrupper: checked_set(Aldersgruppe::ALL, |g| self.alder_checked(g)),
                    pladser,
                    udeareal_m2,
                    hjemmeside,
                })
            }
            _ => Err(errors),
        }
    }
}

/// An optional https address: empty is `None`.
pub(crate) fn parse_optional_url(input: &str) -> Result<Option<HttpsUrl>, String> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        HttpsUrl::parse(input).map(Some)
    }
}

fn parse_pladser(input: &str) -> Result<u32, String> {
    let range = format!(
        "Antallet af pladser skal være mellem 1 og {}.",
        format_thousands(u64::from(PLADSER_MAX))
    );
    match parse_whole_number(input) {
        Ok(n) if (1..=u64::from(PLADSER_MAX)).contains(&n) => Ok(n as u32),
        Ok(_) | Err(NumberProblem::TooLarge) => Err(range),
        Err(NumberProblem::Empty) => Err("Skriv, hvor mange pladser institutionen har, fx 60.".into()),
        Err(NumberProblem::Negative) => Err(range),
        Err(NumberProblem::Fraction | NumberProblem::NotANumber) => {
            Err("Skriv antallet af pladser som et helt tal, fx 60.".into())
        }
    }
}

fn parse_udeareal(input: &str) -> Result<Option<u32>, String> {
    let lowered = input.trim().to_lowercase();
    let mut text = lowered.as_str();
    for unit in ["kvadratmeter", "kvm.", "kvm", "m²", "m2"] {
        if let Some(rest) = text.strip_suffix(unit) {
            text = rest.trim_end();
            break;
        }
    }
    if lowered.is_empty() {
        return Ok(None);
    }
    let range = format!(
        "Udearealet skal være mellem 0 og {} m².",
        format_thousands(u64::from(UDEAREAL_MAX_M2))
    );
    match parse_whole_number(text) {
        Ok(n) if n <= u64::from(UDEAREAL_MAX_M2) => Ok(Some(n as u32)),
        Ok(_) | Err(NumberProblem::TooLarge) | Err(NumberProblem::Negative) => Err(range),
        Err(NumberProblem::Empty | NumberProblem::Fraction | NumberProblem::NotANumber) => Err(
            "Skriv udearealet i hele kvadratmeter, fx 1.200. Lad feltet stå tomt, hvis I ikke kender det."
                .into(),
        ),
    }
}

impl Profil {
    pub fn to_form(&self) -> ProfilForm {
        let mut form = ProfilForm {
            paedagogisk_profil: self.paedagogisk_profil.clone(),
            pladser: self.pladser.to_string(),
            udeareal_m2: self.udeareal_m2.map(|n| n.to_string()).unwrap_or_default(),
            hjemmeside: self
                .hjemmeside
                .as_ref()
                .map(|u| u.as_str().to_string())
                .unwrap_or_default(),
            ..ProfilForm::default()
        };
        for tag in ProfilTag::ALL {
            form.set_tag(*tag, self.tags.contains(tag));
        }
        for group in Aldersgruppe::ALL {
            form.set_alder(*group, self.aldersgrupper.contains(group));
        }
        form
    }
}

impl Section for Profil {
    const KIND: SectionKind = SectionKind::Profil;

    fn warnings(
        &self,
        norms: &crate::domain::plausibility::Norms,
        _year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        crate::domain::plausibility::profil(self, norms)
    }

    /// Label and display value per field, in display order.
    fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Pædagogisk profil", self.paedagogisk_profil.clone()),
            ("Kendetegn", join_labels(self.tags.iter().map(|t| t.label()))),
            (
                "Aldersgrupper",
                join_labels(self.aldersgrupper.iter().map(|g| g.label())),
            ),
            ("Antal pladser", format_thousands(u64::from(self.pladser))),
            (
                "Udeareal",
                or_not_given(
                    self.udeareal_m2
                        .map(|m2| format!("{} m²", format_thousands(u64::from(m2))))
                        .as_deref(),
                ),
            ),
            (
                "Hjemmeside",
                or_not_given(self.hjemmeside.as_ref().map(HttpsUrl::as_str)),
            ),
        ]
    }

    /// Whether the profile text has been written.
    fn is_filled(&self) -> bool {
        !self.paedagogisk_profil.trim().is_empty() && self.pladser > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn form() -> ProfilForm {
        ProfilForm {
            paedagogisk_profil: "Vi er ude hver dag.\r\nVi synger meget.".into(),
            tag_natur: Some("on".into()),
            tag_musik: Some("on".into()),
            alder_3_5: Some("on".into()),
            pladser: "60".into(),
            udeareal_m2: "1.200 m²".into(),
            hjemmeside: "www.solsikken.dk".into(),
            ..ProfilForm::default()
        }
    }

    #[test]
    fn parses_a_filled_form() {
        let profil = form().parse(TODAY).unwrap();
        assert_eq!(profil.paedagogisk_profil, "Vi er ude hver dag.\nVi synger meget.");
        assert_eq!(
            profil.tags.iter().copied().collect::<Vec<_>>(),
            vec![ProfilTag::Natur, ProfilTag::Musik]
        );
        assert_eq!(
            profil.aldersgrupper.iter().copied().collect::<Vec<_>>(),
            vec![Aldersgruppe::Aar3Til5]
        );
        assert_eq!(profil.pladser, 60);
        assert_eq!(profil.udeareal_m2, Some(1200));
        assert_eq!(
            profil.hjemmeside.as_ref().map(HttpsUrl::as_str),
            Some("https://www.solsikken.dk")
        );
        assert!(profil.is_filled());
        assert_eq!(profil.to_form().parse(TODAY), Ok(profil));
    }

    #[test]
    fn empty_optional_fields_are_none_and_unticked_boxes_are_ignored() {
        let profil = ProfilForm {
            paedagogisk_profil: "Tekst".into(),
            pladser: "1".into(),
            tag_sprog: Some(String::new()),
            ..ProfilForm::default()
        }
        .parse(TODAY)
        .unwrap();
        assert!(profil.tags.is_empty());
        assert_eq!(profil.udeareal_m2, None);
        assert_eq!(profil.hjemmeside, None);
        assert_eq!(profil.to_form().parse(TODAY), Ok(profil));
    }

    #[test]
    fn collects_every_error() {
        let errors = ProfilForm {
            paedagogisk_profil: "  \r\n ".into(),
            pladser: "0".into(),
            udeareal_m2: "-3".into(),
            hjemmeside: "http://solsikken.dk".into(),
            ..ProfilForm::default()
        }
        .parse(TODAY)
        .unwrap_err();
        assert_eq!(errors.len(), 4);
        assert!(errors["paedagogisk_profil"].starts_with("Skriv"));
        assert!(errors["pladser"].contains("mellem 1 og 1.000"));
        assert!(errors["udeareal_m2"].contains("mellem 0 og 100.000 m²"));
        assert!(errors["hjemmeside"].contains("https://"));
    }

    #[test]
    fn profile_text_limit_counts_characters_and_keeps_html_as_text() {
        let mut f = form();
        f.paedagogisk_profil = "ø".repeat(PROFIL_MAX_CHARS);
        assert!(f.parse(TODAY).is_ok());
        f.paedagogisk_profil = "ø".repeat(PROFIL_MAX_CHARS + 1);
        let errors = f.parse(TODAY).unwrap_err();
        assert!(errors["paedagogisk_profil"].contains("højst være 4.000 tegn"));
        assert!(errors["paedagogisk_profil"].contains("4.001"));
        // A CRLF line break counts as one character.
        f.paedagogisk_profil = "a\r\n".repeat(PROFIL_MAX_CHARS / 2);
        assert!(f.parse(TODAY).is_ok());

        let html = "<b>Vi</b> & </textarea><script>alert(1)</script>";
        f.paedagogisk_profil = html.into();
        assert_eq!(f.parse(TODAY).unwrap().paedagogisk_profil, html);
    }

    #[test]
    fn places_and_area_edges() {
        let parse = |pladser: &str, areal: &str| {
            let mut f = form();
            f.pladser = pladser.into();
            f.udeareal_m2 = areal.into();
            f.parse(TODAY)
        };
        assert_eq!(parse("1.000", "").unwrap().pladser, 1000);
        assert!(parse("1001", "").unwrap_err()["pladser"].contains("mellem 1 og 1.000"));
        assert!(parse("", "").unwrap_err()["pladser"].contains("Skriv, hvor mange"));
        assert!(parse("60,5", "").unwrap_err()["pladser"].contains("helt tal"));
        assert!(parse("tres", "").unwrap_err()["pladser"].contains("helt tal"));
        assert_eq!(parse("60", "0").unwrap().udeareal_m2, Some(0));
        assert_eq!(parse("60", "100.000 m2").unwrap().udeareal_m2, Some(100_000));
        assert_eq!(parse("60", "850 kvm").unwrap().udeareal_m2, Some(850));
        assert!(parse("60", "100.001").unwrap_err()["udeareal_m2"].contains("100.000"));
        assert!(parse("60", "m²").unwrap_err()["udeareal_m2"].contains("hele kvadratmeter"));
        assert!(parse("60", "12,5").unwrap_err()["udeareal_m2"].contains("hele kvadratmeter"));
    }

    #[test]
    fn describe_in_display_order() {
        let described = form().parse(TODAY).unwrap().describe();
        let labels: Vec<_> = described.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels,
            [
                "Pædagogisk profil",
                "Kendetegn",
                "Aldersgrupper",
                "Antal pladser",
                "Udeareal",
                "Hjemmeside"
            ]
        );
        assert_eq!(described[1].1, "Natur og udeliv, musik");
        assert_eq!(described[2].1, "3–5 år");
        assert_eq!(described[4].1, "1.200 m²");
        assert_eq!(described[5].1, "https://www.solsikken.dk");

        let bare = ProfilForm {
            paedagogisk_profil: "Tekst".into(),
            pladser: "1000".into(),
            ..ProfilForm::default()
        }
        .parse(TODAY)
        .unwrap()
        .describe();
        assert_eq!(bare[1].1, "Ingen");
        assert_eq!(bare[3].1, "1.000");
        assert_eq!(bare[4].1, "Ikke oplyst");
        assert_eq!(bare[5].1, "Ikke oplyst");
    }

    #[test]
    fn choices_have_field_names_and_round_trip() {
        assert_eq!(ProfilTag::Natur.field(), "tag_natur");
        assert_eq!(ProfilTag::Skov.field(), "tag_skov");
        assert_eq!(Aldersgruppe::Aar10Plus.field(), "alder_10_plus");
        assert_eq!(ProfilTag::ALL.len(), 8);
        for tag in ProfilTag::ALL {
            assert_eq!(ProfilTag::parse(tag.as_str()), Some(*tag));
            assert!(tag.as_str().is_ascii());
        }
        for group in Aldersgruppe::ALL {
            assert_eq!(Aldersgruppe::parse(group.as_str()), Some(*group));
        }
        assert_eq!(serde_json::to_string(&Aldersgruppe::Aar0Til2).unwrap(), "\"0_2\"");
        // Every checkbox name matches a field of the form.
        let json = serde_json::to_value(ProfilForm::default()).unwrap();
        for tag in ProfilTag::ALL {
            assert!(json.get(tag.field()).is_some(), "{}", tag.field());
        }
        for group in Aldersgruppe::ALL {
            assert!(json.get(group.field()).is_some(), "{}", group.field());
        }
    }
}
