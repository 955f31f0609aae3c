//! The sections as kinds (five for every institution, a sixth for dagpleje), the trait every section's value implements,
//! and what a form loads with a section: its version and last change.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Profil,
    Madordning,
    Lukkedage,
    Aabningstider,
    Kontakt,
    /// Only for a kommune's dagpleje.
    Gaestedagpleje,
}

impl SectionKind {
    /// The five sections every institution reports.
    pub const ALL: [SectionKind; 5] = [
        SectionKind::Profil,
        SectionKind::Madordning,
        SectionKind::Lukkedage,
        SectionKind::Aabningstider,
        SectionKind::Kontakt,
    ];

    /// The sections of a kommune's dagpleje: the five, with gæstedagpleje
    /// before the contact details.
    pub const DAGPLEJE: [SectionKind; 6] = [
        SectionKind::Profil,
        SectionKind::Madordning,
        SectionKind::Lukkedage,
        SectionKind::Aabningstider,
        SectionKind::Gaestedagpleje,
        SectionKind::Kontakt,
    ];

    /// The sections reported for a dagtilbud (a dagpleje or not).
    pub fn offered(dagpleje: bool) -> &'static [SectionKind] {
        if dagpleje {
            &Self::DAGPLEJE
        } else {
            &Self::ALL
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Profil => "profil",
            SectionKind::Madordning => "madordning",
            SectionKind::Lukkedage => "lukkedage",
            SectionKind::Aabningstider => "aabningstider",
            SectionKind::Kontakt => "kontakt",
            SectionKind::Gaestedagpleje => "gaestedagpleje",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::DAGPLEJE.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Profil => "Profil",
            SectionKind::Madordning => "Madordning",
            SectionKind::Lukkedage => "Lukkedage",
            SectionKind::Aabningstider => "Åbningstider",
            SectionKind::Kontakt => "Kontaktoplysninger",
            SectionKind::Gaestedagpleje => "Gæstedagpleje",
        }
    }
}

/// A section's value type.
pub trait Section: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static {
    const KIND: SectionKind;
    /// (Danish label, display value) per field, in display order.
    fn describe(&self) -> Vec<(&'static str, String)>;
    fn is_filled(&self) -> bool;
    /// Plausibility warnings ("Er det rigtigt?") for this value, compared
    /// with `norms`; none by default. They never block a save.
    fn warnings(
        &self,
        _norms: &crate::domain::plausibility::Norms,
        _year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        Vec::new()
    }
}

/// When and by whom a section was last saved, and the version a save must name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SectionMeta {
    /// 0 when never saved.
    pub version: i32,
    /// "d.m.åååå kl. hh:mm" in Danish time.
    pub updated: Option<String>,
    /// The role that saved it ("Institutionen", "Kommunen", …).
    pub updated_by: Option<String>,
    /// When it was last confirmed as still correct without a change, if
    /// that is later than the last save ("d.m.åååå kl. hh:mm").
    #[serde(default)]
    pub confirmed: Option<String>,
    /// The saved value's plausibility warnings (see `domain::plausibility`).
    #[serde(default)]
    pub warnings: Vec<crate::domain::plausibility::Warning>,
}

impl SectionMeta {
    /// A saved section's version, and when and by whom (a role's label) it was saved.
    pub fn saved(version: i32, at: time::OffsetDateTime, by: &str) -> SectionMeta {
        SectionMeta {
            version,
            updated: Some(crate::domain::calendar::format_timestamp(at)),
            updated_by: Some(by.to_string()),
            confirmed: None,
            warnings: Vec::new(),
        }
    }

    /// With the newest confirmation, when it is later than the save.
    pub fn confirmed_at(
        mut self,
        confirmed: Option<time::OffsetDateTime>,
        saved: time::OffsetDateTime,
    ) -> SectionMeta {
        self.confirmed = confirmed
            .filter(|c| *c > saved)
            .map(crate::domain::calendar::format_timestamp);
        self
    }

    /// "Sidst opdateret 3.2.2026 kl. 10:15" or, after a confirmation,
    /// "Sidst opdateret 3.2.2026 kl. 10:15, bekræftet rigtig 1.9.2026 kl. 09:00".
    pub fn freshness(&self) -> String {
        let updated = self.updated.clone().unwrap_or_default();
        match &self.confirmed {
            Some(confirmed) => format!("Sidst opdateret {updated}, bekræftet rigtig {confirmed}"),
            None => format!("Sidst opdateret {updated}"),
        }
    }
}

/// A section as loaded for a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded<T> {
    pub value: Option<T>,
    pub meta: SectionMeta,
}

/// One changed field in the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub felt: String,
    pub foer: String,
    pub efter: String,
}

/// The fields whose displayed value differs between two versions.
pub fn diff(old: &[(&'static str, String)], new: &[(&'static str, String)]) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (label, after) in new {
        let before = old
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if &before != after {
            changes.push(FieldChange {
                felt: label.to_string(),
                foer: before,
                efter: after.clone(),
            });
        }
    }
    for (label, before) in old {
        if !new.iter().any(|(l, _)| l == label) {
            changes.push(FieldChange {
                felt: label.to_string(),
                foer: before.clone(),
                efter: String::new(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_fields_only() {
        let old = vec![
            ("Pladser", "40".to_string()),
            ("Hjemmeside", "Ikke oplyst".to_string()),
        ];
        let new = vec![
            ("Pladser", "44".to_string()),
            ("Hjemmeside", "Ikke oplyst".to_string()),
        ];
        assert_eq!(
            diff(&old, &new),
            vec![FieldChange {
                felt: "Pladser".into(),
                foer: "40".into(),
                efter: "44".into()
            }]
        );
        assert!(diff(&new, &new).is_empty());
    }
}
