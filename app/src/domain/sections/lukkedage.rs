//! Section 3, Lukkedage: closing periods with a reason and whether
//! alternative care (alternativ pasning) is offered, and the number of
//! closing days per year (weekdays that are not helligdage).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::{checkbox, collect, is_checked, or_not_given, required_line, yes_no};
use super::{Section, SectionKind};
use crate::domain::calendar::{format_date_range, format_iso_date, helligdage, is_weekday, parse_date};
use crate::error::FieldErrors;

pub const AARSAG_MAX_CHARS: usize = 200;
pub const STED_MAX_CHARS: usize = 200;

/// Reasons offered as suggestions (a `<datalist>`); any text is allowed.
pub const SUGGESTED_REASONS: &[&str] = &[
    "juleferie",
    "sommerlukning",
    "fredag efter Kristi himmelfartsdag",
    "grundlovsdag",
    "påskeferie",
    "vinterferie",
    "efterårsferie",
    "personaledag",
];

// Dates are stored as ISO text (`2026-12-24`), readable in the database and the API.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// What the form for one closing period posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClosingPeriodForm {
    /// First closed day: `2026-12-22` from `<input type="date">`, or `22.12.2026`.
    pub fra: String,
    /// Last closed day.
    pub til: String,
    pub aarsag: String,
    /// Checkbox: alternative care is offered.
    pub alternativ_pasning: Option<String>,
    /// Where the alternative care is; required when it is offered.
    pub alternativ_sted: String,
}

/// One valid closing period, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingPeriod {
    #[serde(with = "iso_date")]
    pub from: Date,
    #[serde(with = "iso_date")]
    pub to: Date,
    pub reason: String,
    pub alternative_care: bool,
    /// Set exactly when `alternative_care` is.
    pub alternative_place: Option<String>,
    /// The kommune's fælles lukkedag this period was taken over from; it
    /// follows the kommune's changes until the institution changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kommune_period: Option<i64>,
    /// A random id given when the period is added and kept through its
    /// changes, so a calendar that subscribes to the closing days updates
    /// the period instead of adding a second one (see [`ClosingPeriod::calendar_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// The years a closing period may lie in: this year and next.
fn allowed_years(today: Date) -> (i32, i32) {
    (today.year(), today.year() + 1)
}

fn parse_period_date(input: &str, what: &str, today: Date) -> Result<Date, String> {
    let (first, last) = allowed_years(today);
    let example = format!("fx 24.12.{first}");
    if input.trim().is_empty() {
        return Err(format!("Skriv {what} som dd.mm.åååå, {example}."));
    }
    let Some(date) = parse_date(input) else {
        return Err(format!(
            "{} kan ikke læses, eller datoen findes ikke. Skriv datoen som dd.mm.åååå, {example}.",
            capitalise(what)
        ));
    };
    if date.year() < first || date.year() > last {
        return Err(format!(
            "{} skal ligge i {first} eller {last}. Du kan kun indberette lukkedage for i år og næste år.",
            capitalise(what)
        ));
    }
    Ok(date)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ClosingPeriodForm {
    pub fn alternativ_pasning_checked(&self) -> bool {
        is_checked(&self.alternativ_pasning)
    }

    /// Every field error at once, keyed by field name. `today` decides which
    /// years are allowed (this year and next).
    pub fn parse(&self, today: Date) -> Result<ClosingPeriod, FieldErrors> {
        let mut errors = FieldErrors::new();
        let from = collect(
            &mut errors,
            "fra",
            parse_period_date(&self.fra, "startdatoen", today),
        );
        let to = collect(
            &mut errors,
            "til",
            parse_period_date(&self.til, "slutdatoen", today),
        );
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.insert(
                    "til".into(),
                    "Slutdatoen skal være samme dag som eller efter startdatoen.".into(),
                );
            }
        }
        let reason = collect(
            &mut errors,
            "aarsag",
            required_line(
                &self.aarsag,
                AARSAG_MAX_CHARS,
                "Årsagen",
                "Skriv årsagen til lukningen, fx juleferie.",
            ),
        );
        let alternative_care = self.alternativ_pasning_checked();
        let place = if alternative_care {
            collect(
                &mut errors,
                "alternativ_sted",
                required_line(
                    &self.alternativ_sted,
                    STED_MAX_CHARS,
                    "Stedet for alternativ pasning",
                    "Skriv, hvor børnene kan passes i perioden, fx Børnehuset Solsikken, Skolevej 2. Eller fjern krydset ved alternativ pasning.",
                ),
            )
            .map(Some)
        } else {
            Some(None)
        };
        match (from, to, reason, place) {
            (Some(from), Some(to), Some(reason), Some(alternative_place)) if errors.is_empty() => {
                Ok(ClosingPeriod {
                    from,
                    to,
                    reason,
                    alternative_care,
                    alternative_place,
                    kommune_period: None,
                    uid: None,
                })
            }
            _ => Err(errors),
        }
    }
}

impl ClosingPeriod {
    /// What identifies this period through its changes: its own id, else the
    /// kommune period it was taken over from, else (saved before ids) its first day.
    pub fn calendar_key(&self) -> String {
        match (&self.uid, self.kommune_period) {
            (Some(uid), _) => uid.clone(),
            (None, Some(id)) => format!("kommune-{id}"),
            (None, None) => format!("fra-{}", format_iso_date(self.from)),
        }
    }

    /// The form with dates as `<input type="date">` expects them (`2026-12-22`).
    pub fn to_form(&self) -> ClosingPeriodForm {
        ClosingPeriodForm {
            fra: format_iso_date(self.from),
            til: format_iso_date(self.to),
            aarsag: self.reason.clone(),
            alternativ_pasning: checkbox(self.alternative_care),
            alternativ_sted: self.alternative_place.clone().unwrap_or_default(),
        }
    }

    /// `22.12.2026–2.1.2027`.
    pub fn dates(&self) -> String {
        format_date_range(self.from, self.to)
    }

    /// One line for lists: `22.12.2026–2.1.2027: juleferie (alternativ pasning: Solsikken)`.
    pub fn summary(&self) -> String {
        let care = match (&self.alternative_care, &self.alternative_place) {
            (true, Some(place)) => format!(" (alternativ pasning: {place})"),
            (true, None) => " (alternativ pasning)".to_string(),
            (false, _) => String::new(),
        };
        let common = if self.kommune_period.is_some() {
            " [kommunens fælles lukkedag]"
        } else {
            ""
        };
        format!("{}: {}{care}{common}", self.dates(), self.reason)
    }

    /// The "Alternativ pasning" cell: `Ja: Solsikken`, `Ja` or `Nej`.
    pub fn care_text(&self) -> String {
        match (&self.alternative_care, &self.alternative_place) {
            (true, Some(place)) => format!("Ja: {place}"),
            (true, None) => "Ja".to_string(),
            (false, _) => "Nej".to_string(),
        }
    }

    pub fn overlaps(&self, other: &ClosingPeriod) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// Label and display value per field, in display order.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Periode", self.dates()),
            ("Årsag", self.reason.clone()),
            ("Alternativ pasning", yes_no(self.alternative_care)),
            (
                "Sted for alternativ pasning",
                or_not_given(self.alternative_place.as_deref()),
            ),
        ]
    }

    /// Always true for a valid period.
    pub fn is_filled(&self) -> bool {
        !self.reason.is_empty()
    }
}

/// `Ok` if `candidate` overlaps none of `periods` (skipping `ignore_index`,
/// the period being edited); otherwise a Danish message naming the period it
/// overlaps.
pub fn check_no_overlap(
    periods: &[ClosingPeriod],
    candidate: &ClosingPeriod,
    ignore_index: Option<usize>,
) -> Result<(), String> {
    match periods
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != ignore_index)
        .find(|(_, p)| p.overlaps(candidate))
    {
        Some((_, existing)) => Err(format!(
            "Perioden overlapper med lukkeperioden {} ({}). Ret datoerne, så perioderne ikke overlapper, eller ret den eksisterende periode.",
            existing.dates(),
            existing.reason
        )),
        None => Ok(()),
    }
}

/// The number of closing days in `year`: Monday–Friday dates inside the
/// periods that are not helligdage. A date in two periods counts once.
pub fn closing_days(periods: &[ClosingPeriod], year: i32) -> u32 {
    let (Ok(first), Ok(last)) = (
        Date::from_calendar_date(year, Month::January, 1),
        Date::from_calendar_date(year, Month::December, 31),
    ) else {
        return 0;
    };
    let holidays: BTreeSet<Date> = helligdage(year).into_iter().map(|(d, _)| d).collect();
    let mut closed = BTreeSet::new();
    for period in periods {
        let from = period.from.max(first);
        let to = period.to.min(last);
        let mut day = from;
        while day <= to {
            if is_weekday(day) && !holidays.contains(&day) {
                closed.insert(day);
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    closed.len() as u32
}

/// The Lukkedage section: every closing period, sorted by start date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lukkedage {
    pub periods: Vec<ClosingPeriod>,
}

impl Lukkedage {
    /// The periods sorted by start (then end) date.
    pub fn new(mut periods: Vec<ClosingPeriod>) -> Self {
        periods.sort_by_key(|p| (p.from, p.to));
        Lukkedage { periods }
    }

    /// Add a period unless it overlaps another.
    pub fn insert(&mut self, period: ClosingPeriod) -> Result<(), String> {
        check_no_overlap(&self.periods, &period, None)?;
        self.periods.push(period);
        self.periods.sort_by_key(|p| (p.from, p.to));
        Ok(())
    }

    /// Replace the period at `index` unless the new one overlaps another.
    /// `Err` also if there is no such period.
    pub fn replace(&mut self, index: usize, period: ClosingPeriod) -> Result<(), String> {
        if index >= self.periods.len() {
            return Err("Lukkeperioden findes ikke længere. Genindlæs siden og prøv igen.".into());
        }
        check_no_overlap(&self.periods, &period, Some(index))?;
        let mut period = period;
        if period.uid.is_none() {
            // The changed period keeps the identity of the one it replaces.
            period.uid = Some(self.periods[index].calendar_key());
        }
        self.periods[index] = period;
        self.periods.sort_by_key(|p| (p.from, p.to));
        Ok(())
    }

    pub fn remove(&mut self, index: usize) -> Option<ClosingPeriod> {
        (index < self.periods.len()).then(|| self.periods.remove(index))
    }

    /// The number of closing days in `year` (see [`closing_days`]).
    pub fn closing_days(&self, year: i32) -> u32 {
        closing_days(&self.periods, year)
    }

    /// Periods not yet over on `today`, for the parents' page.
    pub fn not_ended(&self, today: Date) -> impl Iterator<Item = &ClosingPeriod> {
        self.periods.iter().filter(move |p| p.to >= today)
    }
}

impl Section for Lukkedage {
    const KIND: SectionKind = SectionKind::Lukkedage;

    fn warnings(
        &self,
        norms: &crate::domain::plausibility::Norms,
        year: i32,
    ) -> Vec<crate::domain::plausibility::Warning> {
        crate::domain::plausibility::lukkedage(self, year, norms)
    }

    /// One line per period (label "Lukkeperiode"), or one "Lukkeperioder: Ingen".
    fn describe(&self) -> Vec<(&'static str, String)> {
        if self.periods.is_empty() {
            return vec![("Lukkeperioder", super::NONE_CHOSEN.to_string())];
        }
        self.periods
            .iter()
            .map(|p| ("Lukkeperiode", p.summary()))
            .collect()
    }

    /// Whether at least one closing period has been reported.
    fn is_filled(&self) -> bool {
        !self.periods.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn period(from: Date, to: Date, reason: &str) -> ClosingPeriod {
        ClosingPeriod {
            from,
            to,
            reason: reason.into(),
            alternative_care: false,
            alternative_place: None,
            kommune_period: None,
            uid: None,
        }
    }

    fn form() -> ClosingPeriodForm {
        ClosingPeriodForm {
            fra: "2026-12-22".into(),
            til: "2.1.2027".into(),
            aarsag: " juleferie ".into(),
            alternativ_pasning: Some("on".into()),
            alternativ_sted: "Børnehuset Solsikken, Skolevej 2".into(),
        }
    }

    #[test]
    fn parses_and_round_trips() {
        let p = form().parse(TODAY).unwrap();
        assert_eq!(p.from, date!(2026 - 12 - 22));
        assert_eq!(p.to, date!(2027 - 01 - 02));
        assert_eq!(p.reason, "juleferie");
        assert!(p.alternative_care);
        assert_eq!(
            p.alternative_place.as_deref(),
            Some("Børnehuset Solsikken, Skolevej 2")
        );
        assert_eq!(p.to_form().fra, "2026-12-22");
        assert_eq!(p.to_form().parse(TODAY), Ok(p.clone()));

        let mut f = form();
        f.alternativ_pasning = None;
        let p = f.parse(TODAY).unwrap();
        assert_eq!(p.alternative_place, None, "the place is ignored without care");
        assert_eq!(p.to_form().parse(TODAY), Ok(p));
    }

    #[test]
    fn date_rules() {
        let errors = |fra: &str, til: &str| {
            let mut f = form();
            f.fra = fra.into();
            f.til = til.into();
            f.parse(TODAY).err().unwrap_or_default()
        };
        assert!(errors("", "")["fra"].contains("Skriv startdatoen som dd.mm.åååå, fx 24.12.2026"));
        assert!(errors("", "")["til"].contains("Skriv slutdatoen"));
        assert!(errors("31.2.2026", "1.3.2026")["fra"].contains("kan ikke læses"));
        assert!(errors("i morgen", "1.3.2026")["fra"].contains("dd.mm.åååå"));
        assert_eq!(
            errors("24.12.2026", "23.12.2026")["til"],
            "Slutdatoen skal være samme dag som eller efter startdatoen."
        );
        assert!(errors("24.12.2026", "24.12.2026").is_empty());
        assert!(errors("1.1.2026", "31.12.2027").is_empty());
        assert!(errors("31.12.2025", "2.1.2026")["fra"].contains("2026 eller 2027"));
        assert!(errors("1.1.2028", "2.1.2028")["til"].contains("2026 eller 2027"));
        // Only one message for `til` when it is both out of range and before `fra`.
        assert_eq!(errors("1.1.2027", "1.1.2025").len(), 1);
    }

    #[test]
    fn reason_and_place_rules() {
        let mut f = form();
        f.aarsag = "  ".into();
        f.alternativ_sted = String::new();
        let errors = f.parse(TODAY).unwrap_err();
        assert!(errors["aarsag"].contains("fx juleferie"));
        assert!(errors["alternativ_sted"].contains("hvor børnene kan passes"));

        let mut f = form();
        f.aarsag = "å".repeat(AARSAG_MAX_CHARS);
        f.alternativ_sted = "x".repeat(STED_MAX_CHARS + 1);
        let errors = f.parse(TODAY).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors["alternativ_sted"].contains("højst være 200 tegn"));

        let mut f = form();
        f.aarsag = "</textarea><script>alert(1)</script>".into();
        let errors = f.parse(TODAY).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors["aarsag"].contains("må ikke indeholde tegnene < og >"));
    }

    #[test]
    fn overlap_is_found_and_named() {
        let periods = vec![
            period(date!(2026 - 07 - 06), date!(2026 - 07 - 24), "sommerlukning"),
            period(date!(2026 - 12 - 22), date!(2027 - 01 - 02), "juleferie"),
        ];
        let inside = period(date!(2026 - 12 - 31), date!(2026 - 12 - 31), "nytår");
        let message = check_no_overlap(&periods, &inside, None).unwrap_err();
        assert!(message.contains("22.12.2026–2.1.2027 (juleferie)"), "{message}");
        // Touching on the same day overlaps; the day after does not.
        let touching = period(date!(2026 - 07 - 24), date!(2026 - 07 - 27), "x");
        assert!(check_no_overlap(&periods, &touching, None).is_err());
        let after = period(date!(2026 - 07 - 25), date!(2026 - 07 - 27), "x");
        assert!(check_no_overlap(&periods, &after, None).is_ok());
        let covering = period(date!(2026 - 06 - 01), date!(2026 - 08 - 31), "x");
        assert!(check_no_overlap(&periods, &covering, None)
            .unwrap_err()
            .contains("sommerlukning"));
        // Editing a period may overlap its own old dates.
        let longer_summer = period(date!(2026 - 07 - 01), date!(2026 - 07 - 31), "sommerlukning");
        assert!(check_no_overlap(&periods, &longer_summer, Some(0)).is_ok());
        assert!(check_no_overlap(&periods, &longer_summer, Some(1)).is_err());
    }

    #[test]
    fn lukkedage_keeps_periods_sorted() {
        let mut lukkedage = Lukkedage::default();
        assert!(!lukkedage.is_filled());
        assert_eq!(lukkedage.describe(), vec![("Lukkeperioder", "Ingen".to_string())]);
        lukkedage
            .insert(period(date!(2026 - 12 - 22), date!(2027 - 01 - 02), "juleferie"))
            .unwrap();
        lukkedage
            .insert(period(
                date!(2026 - 06 - 05),
                date!(2026 - 06 - 05),
                "grundlovsdag",
            ))
            .unwrap();
        assert!(lukkedage
            .insert(period(date!(2026 - 12 - 24), date!(2026 - 12 - 24), "x"))
            .is_err());
        assert_eq!(lukkedage.periods[0].reason, "grundlovsdag");
        lukkedage
            .replace(
                0,
                period(date!(2027 - 06 - 04), date!(2027 - 06 - 04), "grundlovsdag"),
            )
            .unwrap();
        assert_eq!(lukkedage.periods[1].reason, "grundlovsdag");
        assert!(lukkedage
            .replace(5, period(date!(2027 - 08 - 02), date!(2027 - 08 - 02), "x"))
            .is_err());
        assert_eq!(
            lukkedage.describe(),
            vec![
                ("Lukkeperiode", "22.12.2026–2.1.2027: juleferie".to_string()),
                ("Lukkeperiode", "4.6.2027: grundlovsdag".to_string()),
            ]
        );
        assert_eq!(lukkedage.not_ended(date!(2027 - 01 - 03)).count(), 1);
        assert_eq!(lukkedage.remove(9), None);
        assert!(lukkedage.remove(0).is_some());
        assert_eq!(Lukkedage::new(vec![]), Lukkedage::default());
    }

    #[test]
    fn counts_weekdays_that_are_not_helligdage() {
        // 22.12.2026 is a Tuesday. Closed weekdays in 2026: 22, 23, 24 (not a
        // helligdag), 28, 29, 30, 31; 25.12 (Friday) is juledag. In 2027:
        // 1.1 is nytårsdag (Friday), 2.1 a Saturday.
        let christmas = [period(date!(2026 - 12 - 22), date!(2027 - 01 - 02), "juleferie")];
        assert_eq!(closing_days(&christmas, 2026), 7);
        assert_eq!(closing_days(&christmas, 2027), 0);
        assert_eq!(closing_days(&christmas, 2025), 0);
        let longer = [period(date!(2026 - 12 - 22), date!(2027 - 01 - 05), "juleferie")];
        assert_eq!(closing_days(&longer, 2027), 2, "Monday 4.1 and Tuesday 5.1");

        // Easter week 2026: Monday 30.3–Monday 6.4; 2.4, 3.4 and 6.4 are helligdage.
        let easter = [period(date!(2026 - 03 - 30), date!(2026 - 04 - 06), "påskeferie")];
        assert_eq!(closing_days(&easter, 2026), 3);
        // Kristi himmelfartsdag 14.5.2026 and the Friday after.
        let ascension = [period(date!(2026 - 05 - 14), date!(2026 - 05 - 15), "x")];
        assert_eq!(closing_days(&ascension, 2026), 1);
        // Store bededag counted as a helligdag in 2023 only.
        let bededag_2023 = [period(date!(2023 - 05 - 05), date!(2023 - 05 - 05), "x")];
        assert_eq!(closing_days(&bededag_2023, 2023), 0);
        let bededag_2024 = [period(date!(2024 - 04 - 26), date!(2024 - 04 - 26), "x")];
        assert_eq!(closing_days(&bededag_2024, 2024), 1);
        // Overlapping periods count each day once. 2026 has 261 weekdays, and
        // seven helligdage fall on one (1.1, 2.4, 3.4, 6.4, 14.5, 25.5, 25.12).
        let year = [
            period(date!(2026 - 01 - 01), date!(2026 - 12 - 31), "x"),
            period(date!(2026 - 03 - 01), date!(2026 - 03 - 31), "y"),
        ];
        assert_eq!(closing_days(&year, 2026), 261 - 7);
        assert_eq!(closing_days(&year, 99_999), 0);
        assert_eq!(Lukkedage::new(christmas.to_vec()).closing_days(2026), 7);
    }

    #[test]
    fn stored_as_iso_dates() {
        let p = form().parse(TODAY).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"from\":\"2026-12-22\""), "{json}");
        assert_eq!(serde_json::from_str::<ClosingPeriod>(&json).unwrap(), p);
    }

    #[test]
    fn describe_in_display_order() {
        let p = form().parse(TODAY).unwrap();
        assert_eq!(
            p.describe(),
            vec![
                ("Periode", "22.12.2026–2.1.2027".to_string()),
                ("Årsag", "juleferie".to_string()),
                ("Alternativ pasning", "Ja".to_string()),
                (
                    "Sted for alternativ pasning",
                    "Børnehuset Solsikken, Skolevej 2".to_string()
                ),
            ]
        );
        assert!(p.is_filled());
        assert_eq!(
            p.summary(),
            "22.12.2026–2.1.2027: juleferie (alternativ pasning: Børnehuset Solsikken, Skolevej 2)"
        );
        assert_eq!(SUGGESTED_REASONS.len(), 8);
    }
}
