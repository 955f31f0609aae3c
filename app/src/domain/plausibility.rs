//! Plausibility warnings ("Er det rigtigt?"): beside the hard rules that
//! refuse a save, checks that only ask. Each names the number it compared
//! with, so the institution can see why it is asked. They never block a save;
//! the kommune sees them all in its review list.

use serde::{Deserialize, Serialize};
use time::Time;

use super::sections::aabningstider::{DAY_FIELDS, DAY_LABELS};
use super::sections::{Lukkedage, Madordning, OpeningHours, Profil};

/// One warning on one field (or on the section, with the section's name as field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The form field it is about (its element id), e.g. `mandag_fra`.
    pub field: String,
    /// The question, with the figure it was compared with.
    pub message: String,
}

impl Warning {
    fn new(field: &str, message: String) -> Self {
        Warning {
            field: field.to_string(),
            message,
        }
    }
}

/// What a section is compared with: figures from the other institutions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Norms {
    /// The institution type in the plural ("børnehaver").
    pub type_plural: String,
    /// The median length in characters of the type's pædagogiske profiler,
    /// when at least [`MIN_PEERS`] have one.
    pub profile_chars: Option<u32>,
    /// The median number of closing days this year among the kommune's
    /// institutions that report lukkedage, when at least [`MIN_PEERS`] do.
    pub closing_days: Option<u32>,
    /// How many of the type's institutions that report madordning chose each
    /// økologi level (its key), and how many report it in all.
    pub oekologi: Vec<(String, u32)>,
    pub oekologi_total: u32,
}

/// Fewer peers than this give no median to compare with.
pub const MIN_PEERS: u32 = 5;
/// An økologi level is compared only when this many of the type report madordning.
pub const MIN_OEKOLOGI_PEERS: u32 = 20;
/// A level chosen by fewer than this share of the type is asked about.
pub const RARE_SHARE_PERCENT: u32 = 5;
pub const EARLIEST_OPENING: Time = time::macros::time!(05:30);
pub const LATEST_CLOSING: Time = time::macros::time!(19:00);
pub const MAX_WEEKLY_HOURS: u32 = 60;

const ASK: &str = "Er det rigtigt?";

/// Opening before 05:30 or closing after 19:00 on a day, or more than 60 hours a week.
pub fn opening_hours(hours: &OpeningHours) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for ((day, [_, from, to]), label) in hours.days.iter().zip(DAY_FIELDS).zip(DAY_LABELS) {
        let Some(day) = day else { continue };
        let weekday = label.to_lowercase();
        if day.opens < EARLIEST_OPENING {
            warnings.push(Warning::new(
                from,
                format!(
                    "{ASK} I åbner kl. {} om {weekday}en. Det er før kl. {}, hvor meget få dagtilbud åbner.",
                    clock(day.opens),
                    clock(EARLIEST_OPENING)
                ),
            ));
        }
        if day.closes > LATEST_CLOSING {
            warnings.push(Warning::new(
                to,
                format!(
                    "{ASK} I lukker kl. {} om {weekday}en. Det er efter kl. {}, hvor meget få dagtilbud har åbent.",
                    clock(day.closes),
                    clock(LATEST_CLOSING)
                ),
            ));
        }
    }
    let minutes = hours.weekly_minutes();
    if minutes > MAX_WEEKLY_HOURS * 60 {
        warnings.push(Warning::new(
            "aabningstider",
            format!(
                "{ASK} I har åbent {} om ugen. Det er mere end {MAX_WEEKLY_HOURS} timer.",
                hours.weekly_hours_text()
            ),
        ));
    }
    warnings
}

/// A pædagogisk profil under a quarter of the type's usual length.
pub fn profil(profil: &Profil, norms: &Norms) -> Vec<Warning> {
    let chars = profil.paedagogisk_profil.trim().chars().count() as u32;
    match norms.profile_chars {
        Some(median) if median >= 200 && chars * 4 < median => vec![Warning::new(
            "paedagogisk_profil",
            format!(
                "{ASK} Jeres pædagogiske profil er på {chars} tegn. {} skriver typisk {median} tegn (medianen). Forældrene lægger vægt på den.",
                capitalised(&norms.type_plural)
            ),
        )],
        _ => Vec::new(),
    }
}

/// An økologi level that fewer than 5 % of the type report.
pub fn madordning(madordning: &Madordning, norms: &Norms) -> Vec<Warning> {
    let Some(level) = madordning.oekologi else {
        return Vec::new();
    };
    if norms.oekologi_total < MIN_OEKOLOGI_PEERS {
        return Vec::new();
    }
    let same = norms
        .oekologi
        .iter()
        .find(|(key, _)| key == level.as_str())
        .map(|(_, n)| *n)
        .unwrap_or(0);
    let percent = (same * 100 + norms.oekologi_total / 2) / norms.oekologi_total;
    if percent >= RARE_SHARE_PERCENT {
        return Vec::new();
    }
    vec![Warning::new(
        "oekologi",
        format!(
            "{ASK} I har valgt {}. Kun {percent} % af de {} {}, der har udfyldt madordning, har valgt det.",
            level.label(),
            norms.oekologi_total,
            norms.type_plural
        ),
    )]
}

/// Far more closing days this year than the kommune's median: more than
/// twice it and at least ten days more.
pub fn lukkedage(lukkedage: &Lukkedage, year: i32, norms: &Norms) -> Vec<Warning> {
    let days = lukkedage.closing_days(year);
    match norms.closing_days {
        Some(median) if days > (median * 2).max(median + 10) => vec![Warning::new(
            "lukkedage",
            format!(
                "{ASK} I holder lukket {days} hverdage i {year}. Kommunens dagtilbud holder typisk lukket {median} hverdage (medianen)."
            ),
        )],
        _ => Vec::new(),
    }
}

/// The median of `values` when there are at least [`MIN_PEERS`] (the lower of the middle two).
pub fn median(mut values: Vec<u32>) -> Option<u32> {
    if (values.len() as u32) < MIN_PEERS {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

fn clock(time: Time) -> String {
    format!("{:02}.{:02}", time.hour(), time.minute())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sections::aabningstider::DayHours;
    use crate::domain::sections::Oekologi;

    fn at(h: u8, m: u8) -> Time {
        Time::from_hms(h, m, 0).unwrap()
    }

    #[test]
    fn early_late_and_long_weeks_are_asked_about_with_the_limit() {
        let mut hours = OpeningHours {
            days: [None; 7],
            note: None,
        };
        for day in 0..5 {
            hours.days[day] = DayHours::new(at(6, 30), at(17, 0));
        }
        assert!(opening_hours(&hours).is_empty(), "52.5 hours, 06:30–17:00");
        hours.days[0] = DayHours::new(at(5, 0), at(17, 0));
        hours.days[4] = DayHours::new(at(6, 30), at(19, 30));
        hours.days[5] = DayHours::new(at(7, 0), at(17, 0));
        let warnings = opening_hours(&hours);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert_eq!(warnings[0].field, "mandag_fra");
        assert!(
            warnings[0].message.contains("kl. 05.00 om mandagen") && warnings[0].message.contains("05.30")
        );
        assert_eq!(warnings[1].field, "fredag_til");
        assert_eq!(warnings[2].field, "aabningstider");
        assert!(
            warnings[2].message.contains("mere end 60 timer"),
            "{}",
            warnings[2].message
        );
    }

    #[test]
    fn short_profiles_rare_levels_and_many_closing_days_name_the_comparison() {
        let norms = Norms {
            type_plural: "børnehaver".into(),
            profile_chars: Some(800),
            closing_days: Some(10),
            oekologi: vec![("ingen".into(), 30), ("bronze".into(), 15), ("guld".into(), 1)],
            oekologi_total: 46,
        };
        let text = |n: usize| Profil {
            paedagogisk_profil: "x".repeat(n),
            tags: Default::default(),
            aldersgrupper: Default::default(),
            pladser: 40,
            udeareal_m2: None,
            hjemmeside: None,
        };
        assert!(profil(&text(200), &norms).is_empty());
        let short = profil(&text(199), &norms);
        assert!(
            short[0].message.contains("199 tegn")
                && short[0].message.contains("Børnehaver skriver typisk 800 tegn")
        );

        let food = |level| Madordning {
            frokostordning: crate::domain::sections::madordning::Frokostordning::Nej,
            maaltider: Default::default(),
            oekologi: Some(level),
            hensyn: Default::default(),
            pris_pr_maaned: None,
            bemaerkning: None,
        };
        assert!(madordning(&food(Oekologi::Bronze), &norms).is_empty());
        let rare = madordning(&food(Oekologi::Guld), &norms);
        assert!(
            rare[0].message.contains("Kun 2 % af de 46 børnehaver"),
            "{}",
            rare[0].message
        );
        assert!(madordning(
            &food(Oekologi::Soelv),
            &Norms {
                oekologi_total: 19,
                ..norms.clone()
            }
        )
        .is_empty());

        assert_eq!(median(vec![3, 1, 2, 10]), None, "too few to compare");
        assert_eq!(median(vec![9, 1, 5, 7, 3, 11]), Some(5));
    }
}
