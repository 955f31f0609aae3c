//! Section 4, Åbningstider: per weekday (Monday first) open or closed, with
//! opening and closing time in 24-hour form, and the weekly opening hours.

use serde::{Deserialize, Serialize};
use time::{Date, Time, Weekday};

use super::{checkbox, collect, is_checked, optional_text, or_not_given};
use super::{Section, SectionKind};
use crate::domain::calendar::{format_time, parse_time, WEEKDAYS};
use crate::error::FieldErrors;

pub const BEMAERKNING_MAX_CHARS: usize = 500;

/// The ASCII day names used in field names (`mandag_aaben`, `mandag_fra`, `mandag_til`), Monday first.
pub const DAY_KEYS: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "loerdag", "soendag",
];

/// The day names as labels, Monday first.
pub const DAY_LABELS: [&str; 7] = [
    "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag",
];

/// The form field names of each day: `[open checkbox, from, to]`, Monday first.
pub const DAY_FIELDS: [[&str; 3]; 7] = [
    ["mandag_aaben", "mandag_fra", "mandag_til"],
    ["tirsdag_aaben", "tirsdag_fra", "tirsdag_til"],
    ["onsdag_aaben", "onsdag_fra", "onsdag_til"],
    ["torsdag_aaben", "torsdag_fra", "torsdag_til"],
    ["fredag_aaben", "fredag_fra", "fredag_til"],
    ["loerdag_aaben", "loerdag_fra", "loerdag_til"],
    ["soendag_aaben", "soendag_fra", "soendag_til"],
];

// Times are stored as `06:30`, readable in the database and the API.
time::serde::format_description!(hh_mm, Time, "[hour]:[minute]");

/// What the Åbningstider form posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpeningHoursForm {
    pub mandag_aaben: Option<String>,
    pub mandag_fra: String,
    pub mandag_til: String,
    pub tirsdag_aaben: Option<String>,
    pub tirsdag_fra: String,
    pub tirsdag_til: String,
    pub onsdag_aaben: Option<String>,
    pub onsdag_fra: String,
    pub onsdag_til: String,
    pub torsdag_aaben: Option<String>,
    pub torsdag_fra: String,
    pub torsdag_til: String,
    pub fredag_aaben: Option<String>,
    pub fredag_fra: String,
    pub fredag_til: String,
    pub loerdag_aaben: Option<String>,
    pub loerdag_fra: String,
    pub loerdag_til: String,
    pub soendag_aaben: Option<String>,
    pub soendag_fra: String,
    pub soendag_til: String,
    pub bemaerkning: String,
}

/// The hours of one open day; closing is after opening on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    #[serde(with = "hh_mm")]
    pub opens: Time,
    #[serde(with = "hh_mm")]
    pub closes: Time,
}

impl DayHours {
    /// `None` unless `closes` is after `opens`.
    pub fn new(opens: Time, closes: Time) -> Option<Self> {
        (closes > opens).then_some(DayHours { opens, closes })
    }

    pub fn minutes(self) -> u32 {
        u32::try_from((self.closes - self.opens).whole_minutes()).unwrap_or(0)
    }

    /// `06:30–17:00`.
    pub fn format(self) -> String {
        format!("{}–{}", format_time(self.opens), format_time(self.closes))
    }
}

/// A valid Åbningstider section. `days[0]` is Monday; `None` is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    pub days: [Option<DayHours>; 7],
    pub note: Option<String>,
}

/// The index of a weekday in `days`, Monday = 0.
pub fn day_index(weekday: Weekday) -> usize {
    usize::from(weekday.number_days_from_monday())
}

impl OpeningHoursForm {
    /// The posted values of day `index` (Monday = 0): open, from, to.
    pub fn day(&self, index: usize) -> (bool, &str, &str) {
        let (open, from, to) = match index {
            0 => (&self.mandag_aaben, &self.mandag_fra, &self.mandag_til),
            1 => (&self.tirsdag_aaben, &self.tirsdag_fra, &self.tirsdag_til),
            2 => (&self.onsdag_aaben, &self.onsdag_fra, &self.onsdag_til),
            3 => (&self.torsdag_aaben, &self.torsdag_fra, &self.torsdag_til),
            4 => (&self.fredag_aaben, &self.fredag_fra, &self.fredag_til),
            5 => (&self.loerdag_aaben, &self.loerdag_fra, &self.loerdag_til),
            _ => (&self.soendag_aaben, &self.soendag_fra, &self.soendag_til),
        };
        (is_checked(open), from, to)
    }

    /// Set the values of day `index` (Monday = 0).
    pub fn set_day(&mut self, index: usize, open: bool, from: &str, to: &str) {
        let (open_slot, from_slot, to_slot) = match index {
            0 => (&mut self.mandag_aaben, &mut self.mandag_fra, &mut self.mandag_til),
            1 => (
                &mut self.tirsdag_aaben,
                &mut self.tirsdag_fra,
                &mut self.tirsdag_til,
            ),
            2 => (&mut self.onsdag_aaben, &mut self.onsdag_fra, &mut self.onsdag_til),
            3 => (
                &mut self.torsdag_aaben,
                &mut self.torsdag_fra,
                &mut self.torsdag_til,
            ),
            4 => (&mut self.fredag_aaben, &mut self.fredag_fra, &mut self.fredag_til),
            5 => (
                &mut self.loerdag_aaben,
                &mut self.loerdag_fra,
                &mut self.loerdag_til,
            ),
            _ => (
                &mut self.soendag_aaben,
                &mut self.soendag_fra,
                &mut self.soendag_til,
            ),
        };
        *open_slot = checkbox(open);
        *from_slot = from.to_string();
        *to_slot = to.to_string();
    }

    /// Every field error at once, keyed by field name. The times of a day
    /// that is not ticked as open are ignored.
    pub fn parse(&self, _today: Date) -> Result<OpeningHours, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut days: [Option<DayHours>; 7] = Default::default();
        for (index, weekday) in WEEKDAYS.iter().enumerate() {
            let (open, from, to) = self.day(index);
            if !open {
                continue;
            }
            let name = crate::domain::calendar::weekday_name(*weekday);
            let [_, from_field, to_field] = DAY_FIELDS[index];
            let opens = collect(
                &mut errors,
                from_field,
                parse_day_time(from, "åbningstiden", name, "06:30"),
            );
            let closes = collect(
                &mut errors,
                to_field,
                parse_day_time(to, "lukketiden", name, "17:00"),
            );
            if let (Some(opens), Some(closes)) = (opens, closes) {
                match DayHours::new(opens, closes) {
                    Some(hours) => days[index] = Some(hours),
                    None => {
                        errors.insert(
                            to_field.to_string(),
                            format!("Lukketiden skal være efter åbningstiden. Ret tiderne for {name}."),
                        );
                    }
                }
            }
        }
        let note = collect(
            &mut errors,
            "bemaerkning",
            optional_text(&self.bemaerkning, BEMAERKNING_MAX_CHARS, "Bemærkningen"),
        );
        match note {
            Some(note) if errors.is_empty() => Ok(OpeningHours { days, note }),
            _ => Err(errors),
        }
    }
}

fn parse_day_time(input: &str, what: &str, day: &str, example: &str) -> Result<Time, String> {
    if input.trim().is_empty() {
        return Err(format!(
            "Skriv {what} for {day}, fx {example}. Eller fjern krydset ved åben, hvis der er lukket."
        ));
    }
    parse_time(input)
        .ok_or_else(|| format!("Skriv {what} for {day} som tt:mm med 24-timers ur, fx {example}."))
}

/// Weekly opening time in words: `51 timer og 30 minutter`, `50 timer`, `1 time og 1 minut`.
pub fn format_weekly_hours(minutes: u32) -> String {
    let hours = minutes / 60;
    let rest = minutes % 60;
    let hours_text = format!("{hours} {}", if hours == 1 { "time" } else { "timer" });
    let minutes_text = format!("{rest} {}", if rest == 1 { "minut" } else { "minutter" });
    match (hours, rest) {
        (_, 0) => hours_text,
        (0, _) => minutes_text,
        _ => format!("{hours_text} og {minutes_text}"),
    }
}

impl OpeningHours {
    pub fn day(&self, weekday: Weekday) -> Option<DayHours> {
        self.days[day_index(weekday)]
    }

    /// Minutes open in a week.
    pub fn weekly_minutes(&self) -> u32 {
        self.days.iter().flatten().map(|d| d.minutes()).sum()
    }

    fn weekdays_mon_fri(&self) -> impl Iterator<Item = &DayHours> {
        self.days[..5].iter().flatten()
    }

    /// Whether it opens at or before `time` on some day Monday–Friday.
    pub fn opens_before(&self, time: Time) -> bool {
        self.weekdays_mon_fri().any(|d| d.opens <= time)
    }

    /// Whether it closes at or after `time` on some day Monday–Friday.
    pub fn closes_after(&self, time: Time) -> bool {
        self.weekdays_mon_fri().any(|d| d.closes >= time)
    }

    /// The weekly opening time in words (see [`format_weekly_hours`]).
    pub fn weekly_hours_text(&self) -> String {
        format_weekly_hours(self.weekly_minutes())
    }

    pub fn to_form(&self) -> OpeningHoursForm {
        let mut form = OpeningHoursForm {
            bemaerkning: self.note.clone().unwrap_or_default(),
            ..OpeningHoursForm::default()
        };
        for (index, day) in self.days.iter().enumerate() {
            match day {
                Some(hours) => {
                    form.set_day(index, true, &format_time(hours.opens), &format_time(hours.closes))
                }
                None => form.set_day(index, false, "", ""),
            }
        }
        form
    }
}

impl Section for OpeningHours {
    const KIND: SectionKind = SectionKind::Aabningstider;

    fn warnings(
        &self,
        _norms: &crate::domain::plausibility::Norms,
        _year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        crate::domain::plausibility::opening_hours(self)
    }

    /// Label and display value per field, in display order: each day
    /// (`06:30–17:00` or `Lukket`), the weekly hours and the note.
    fn describe(&self) -> Vec<(&'static str, String)> {
        let mut lines: Vec<(&'static str, String)> = DAY_LABELS
            .iter()
            .zip(self.days.iter())
            .map(|(label, day)| (*label, day.map_or_else(|| "Lukket".to_string(), DayHours::format)))
            .collect();
        lines.push(("Åbent i alt pr. uge", format_weekly_hours(self.weekly_minutes())));
        lines.push(("Bemærkning", or_not_given(self.note.as_deref())));
        lines
    }

    /// Whether at least one day is open.
    fn is_filled(&self) -> bool {
        self.days.iter().any(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    const TODAY: Date = date!(2026 - 03 - 15);

    fn weekday_form() -> OpeningHoursForm {
        let mut form = OpeningHoursForm::default();
        for index in 0..4 {
            form.set_day(index, true, "6:30", "17.00");
        }
        form.set_day(4, true, "0630", "16:00");
        form
    }

    #[test]
    fn parses_and_round_trips() {
        let hours = weekday_form().parse(TODAY).unwrap();
        assert_eq!(
            hours.day(Weekday::Monday),
            Some(DayHours {
                opens: time!(6:30),
                closes: time!(17:00)
            })
        );
        assert_eq!(hours.day(Weekday::Saturday), None);
        assert_eq!(hours.note, None);
        assert_eq!(hours.to_form().mandag_fra, "06:30");
        assert_eq!(hours.to_form().parse(TODAY), Ok(hours.clone()));
        // 4 × 10½ hours + 9½ hours.
        assert_eq!(hours.weekly_minutes(), 4 * 630 + 570);
        assert_eq!(
            format_weekly_hours(hours.weekly_minutes()),
            "51 timer og 30 minutter"
        );
        assert!(hours.is_filled());
    }

    #[test]
    fn closed_days_ignore_their_times() {
        let mut form = weekday_form();
        form.loerdag_fra = "9:00".into();
        form.loerdag_til = "noget".into();
        let hours = form.parse(TODAY).unwrap();
        assert_eq!(hours.day(Weekday::Saturday), None);
        let empty = OpeningHoursForm::default().parse(TODAY).unwrap();
        assert_eq!(empty, OpeningHours::default());
        assert!(!empty.is_filled());
        assert_eq!(empty.weekly_minutes(), 0);
    }

    #[test]
    fn open_days_need_both_times_in_order() {
        let mut form = weekday_form();
        form.set_day(0, true, "", "");
        form.set_day(1, true, "25:00", "6.30 pm");
        form.set_day(2, true, "17:00", "06:30");
        form.set_day(3, true, "08:00", "08:00");
        form.bemaerkning = "x".repeat(BEMAERKNING_MAX_CHARS + 1);
        let errors = form.parse(TODAY).unwrap_err();
        assert!(errors["mandag_fra"].contains("Skriv åbningstiden for mandag, fx 06:30"));
        assert!(errors["mandag_til"].contains("Skriv lukketiden for mandag, fx 17:00"));
        assert!(errors["tirsdag_fra"].contains("24-timers"));
        assert!(errors["tirsdag_til"].contains("tt:mm"));
        assert_eq!(
            errors["onsdag_til"],
            "Lukketiden skal være efter åbningstiden. Ret tiderne for onsdag."
        );
        assert!(errors["torsdag_til"].starts_with("Lukketiden skal være efter åbningstiden"));
        assert!(errors["bemaerkning"].contains("højst være 500 tegn"));
        assert!(!errors.contains_key("onsdag_fra"));
        assert!(!errors.contains_key("fredag_fra"));
        assert_eq!(errors.len(), 7);
    }

    #[test]
    fn weekly_hours_in_words() {
        assert_eq!(format_weekly_hours(0), "0 timer");
        assert_eq!(format_weekly_hours(1), "1 minut");
        assert_eq!(format_weekly_hours(30), "30 minutter");
        assert_eq!(format_weekly_hours(60), "1 time");
        assert_eq!(format_weekly_hours(61), "1 time og 1 minut");
        assert_eq!(format_weekly_hours(50 * 60), "50 timer");
        assert_eq!(format_weekly_hours(51 * 60 + 30), "51 timer og 30 minutter");
    }

    #[test]
    fn search_helpers_look_at_monday_to_friday() {
        let mut form = weekday_form();
        form.set_day(2, true, "06:00", "17:30");
        form.set_day(5, true, "05:00", "23:00");
        let hours = form.parse(TODAY).unwrap();
        assert!(hours.opens_before(time!(6:00)));
        assert!(hours.opens_before(time!(6:30)));
        assert!(!hours.opens_before(time!(5:59)));
        assert!(hours.closes_after(time!(17:30)));
        assert!(!hours.closes_after(time!(17:31)));
        assert!(!OpeningHours::default().opens_before(time!(23:59)));
        assert!(!OpeningHours::default().closes_after(time!(0:00)));
    }

    #[test]
    fn describe_in_display_order() {
        let mut form = weekday_form();
        form.bemaerkning = "Lukket kl. 15 den 23.12.".into();
        let described = form.parse(TODAY).unwrap().describe();
        let labels: Vec<_> = described.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels,
            [
                "Mandag",
                "Tirsdag",
                "Onsdag",
                "Torsdag",
                "Fredag",
                "Lørdag",
                "Søndag",
                "Åbent i alt pr. uge",
                "Bemærkning"
            ]
        );
        assert_eq!(described[0].1, "06:30–17:00");
        assert_eq!(described[4].1, "06:30–16:00");
        assert_eq!(described[5].1, "Lukket");
        assert_eq!(described[7].1, "51 timer og 30 minutter");
        assert_eq!(described[8].1, "Lukket kl. 15 den 23.12.");
        assert_eq!(OpeningHours::default().describe()[8].1, "Ikke oplyst");
    }

    #[test]
    fn field_names_match_the_form_and_storage_is_readable() {
        let json = serde_json::to_value(OpeningHoursForm::default()).unwrap();
        for (index, fields) in DAY_FIELDS.iter().enumerate() {
            assert!(fields[0].starts_with(DAY_KEYS[index]));
            for field in fields {
                assert!(json.get(field).is_some(), "{field}");
            }
        }
        assert_eq!(day_index(Weekday::Sunday), 6);
        let hours = weekday_form().parse(TODAY).unwrap();
        let stored = serde_json::to_string(&hours).unwrap();
        assert!(
            stored.contains("{\"opens\":\"06:30\",\"closes\":\"17:00\"}"),
            "{stored}"
        );
        assert_eq!(serde_json::from_str::<OpeningHours>(&stored).unwrap(), hours);
    }
}
