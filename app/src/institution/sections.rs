//! The five sections: which they are, their versions, and (on the server)
//! loading and saving them with history and audit in one transaction.

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
}

impl SectionKind {
    pub const ALL: [SectionKind; 5] = [
        SectionKind::Profil,
        SectionKind::Madordning,
        SectionKind::Lukkedage,
        SectionKind::Aabningstider,
        SectionKind::Kontakt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Profil => "profil",
            SectionKind::Madordning => "madordning",
            SectionKind::Lukkedage => "lukkedage",
            SectionKind::Aabningstider => "aabningstider",
            SectionKind::Kontakt => "kontakt",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Profil => "Profil",
            SectionKind::Madordning => "Madordning",
            SectionKind::Lukkedage => "Lukkedage",
            SectionKind::Aabningstider => "Åbningstider",
            SectionKind::Kontakt => "Kontaktoplysninger",
        }
    }

    /// The last part of the section's page address.
    pub fn slug(self) -> &'static str {
        match self {
            SectionKind::Profil => "profil",
            SectionKind::Madordning => "madordning",
            SectionKind::Lukkedage => "lukkedage",
            SectionKind::Aabningstider => "aabningstider",
            SectionKind::Kontakt => "kontakt",
        }
    }

    /// The section's page under the institution's own area.
    pub fn path(self) -> &'static str {
        match self {
            SectionKind::Profil => "/indberetning/profil",
            SectionKind::Madordning => "/indberetning/madordning",
            SectionKind::Lukkedage => "/indberetning/lukkedage",
            SectionKind::Aabningstider => "/indberetning/aabningstider",
            SectionKind::Kontakt => "/indberetning/kontakt",
        }
    }
}

/// A section's value type.
pub trait Section: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static {
    const KIND: SectionKind;
    /// (Danish label, display value) per field, in display order.
    fn describe(&self) -> Vec<(&'static str, String)>;
    fn is_filled(&self) -> bool;
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

/// Danish local time (CET/CEST) for display: the EU rule, last Sunday of March
/// and of October at 01:00 UTC.
pub fn danish_time(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let at = at.to_offset(time::UtcOffset::UTC);
    let year = at.year();
    let last_sunday = |month: time::Month| {
        let mut day = time::Date::from_calendar_date(year, month, month.length(year)).unwrap_or(at.date());
        while day.weekday() != time::Weekday::Sunday {
            day = day.previous_day().unwrap_or(day);
        }
        day.with_hms(1, 0, 0).map(|d| d.assume_utc()).unwrap_or(at)
    };
    let summer = at >= last_sunday(time::Month::March) && at < last_sunday(time::Month::October);
    let offset = time::UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(time::UtcOffset::UTC);
    at.to_offset(offset)
}

/// "24.12.2026 kl. 14:05" in Danish time.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    let local = danish_time(at);
    format!(
        "{}.{}.{} kl. {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn danish_time_follows_summer_time() {
        assert_eq!(
            format_timestamp(datetime!(2026-01-15 12:00 UTC)),
            "15.1.2026 kl. 13:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-07-01 12:00 UTC)),
            "1.7.2026 kl. 14:00"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            format_timestamp(datetime!(2026-03-29 00:59 UTC)),
            "29.3.2026 kl. 01:59"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-03-29 01:00 UTC)),
            "29.3.2026 kl. 03:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-10-25 00:59 UTC)),
            "25.10.2026 kl. 02:59"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-10-25 01:00 UTC)),
            "25.10.2026 kl. 02:00"
        );
    }

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
