//! Danish calendar rules: helligdage computed from Easter, and dates and
//! times written the Danish way (`1.5.2026`, `06:30`).
//!
//! Nothing here reads the clock; callers pass `today` where it matters.

use time::{Date, Duration, Month, Time, Weekday};

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of
/// Meeus, Jones and Butcher).
///
/// # Panics
///
/// If `year` is outside the range of [`time::Date`] (±9999).
pub fn easter_sunday(year: i32) -> Date {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = if n.div_euclid(31) == 3 {
        Month::March
    } else {
        Month::April
    };
    // Floor division keeps every step in range, so Easter falls between
    // 22 March and 25 April and `day` fits in a u8.
    let day = u8::try_from(n.rem_euclid(31) + 1).unwrap_or(1);
    Date::from_calendar_date(year, month, day).expect("year within the range of time::Date")
}

/// Whether `year` can be handled by [`time::Date`] at all.
fn year_in_range(year: i32) -> bool {
    (Date::MIN.year()..=Date::MAX.year()).contains(&year)
}

/// The last year store bededag was a public holiday; it was abolished from 2024.
pub const LAST_STORE_BEDEDAG: i32 = 2023;

/// The Danish public holidays (helligdage) of `year` with their Danish names,
/// sorted by date. Empty for years outside the range of [`time::Date`].
pub fn helligdage(year: i32) -> Vec<(Date, &'static str)> {
    if !year_in_range(year) {
        return Vec::new();
    }
    let easter = easter_sunday(year);
    let from_easter = |days: i64| easter + Duration::days(days);
    let fixed = |month: Month, day: u8| {
        Date::from_calendar_date(year, month, day).expect("a fixed holiday exists every year")
    };
    let mut days = vec![
        (fixed(Month::January, 1), "nytårsdag"),
        (from_easter(-3), "skærtorsdag"),
        (from_easter(-2), "langfredag"),
        (easter, "påskedag"),
        (from_easter(1), "2. påskedag"),
        (from_easter(39), "Kristi himmelfartsdag"),
        (from_easter(49), "pinsedag"),
        (from_easter(50), "2. pinsedag"),
        (fixed(Month::December, 25), "juledag"),
        (fixed(Month::December, 26), "2. juledag"),
    ];
    if year <= LAST_STORE_BEDEDAG {
        // The fourth Friday after Easter.
        days.push((from_easter(26), "store bededag"));
    }
    days.sort_by_key(|(date, _)| *date);
    days
}

/// Whether `date` is a Danish public holiday.
pub fn is_helligdag(date: Date) -> bool {
    helligdag_name(date).is_some()
}

/// The Danish name of the public holiday on `date`, if it is one.
pub fn helligdag_name(date: Date) -> Option<&'static str> {
    helligdage(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name)
}

/// A date the Danish way without leading zeros: `1.5.2026`.
pub fn format_date(date: Date) -> String {
    format!("{}.{}.{}", date.day(), u8::from(date.month()), date.year())
}

/// A date range the Danish way: `22.12.2026–2.1.2027`, or one date if both ends are the same.
pub fn format_date_range(from: Date, to: Date) -> String {
    if from == to {
        format_date(from)
    } else {
        format!("{}–{}", format_date(from), format_date(to))
    }
}

/// A date as `<input type="date">` posts and expects it: `2026-05-01`.
pub fn format_iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Read a date as people and browsers write it: `2026-05-01` (ISO, what
/// `<input type="date">` posts), `1.5.2026`, `01.05.2026`, `1-5-2026` or
/// `1/5-2026`. The year must have four digits (1000–9999). `None` if the text is not a
/// date or the date does not exist (e.g. `30.2.2026`).
pub fn parse_date(input: &str) -> Option<Date> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.len() > 32 {
        return None;
    }
    let parts: Vec<&str> = trimmed.split(['.', '-', '/']).map(str::trim).collect();
    let [first, second, third] = parts.as_slice() else {
        return None;
    };
    let digits = |part: &str, min: usize, max: usize| -> Option<u32> {
        if (min..=max).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = if first.len() == 4 {
        // ISO: åååå-mm-dd
        (digits(first, 4, 4)?, digits(second, 1, 2)?, digits(third, 1, 2)?)
    } else {
        // Danish: d.m.åååå
        (digits(third, 4, 4)?, digits(second, 1, 2)?, digits(first, 1, 2)?)
    };
    if year < 1000 {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// A time of day in 24-hour form: `06:30`.
pub fn format_time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Read a time of day in 24-hour form: `06:30`, `6:30`, `06.30`, `0630`,
/// `630` or a whole hour `17`. Hours 0–23, minutes 0–59; no am/pm.
pub fn parse_time(input: &str) -> Option<Time> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.len() > 8 {
        return None;
    }
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (hour, minute) = if let Some((h, m)) = trimmed.split_once([':', '.']) {
        let (h, m) = (h.trim(), m.trim());
        if !all_digits(h) || h.len() > 2 || !all_digits(m) || m.len() != 2 {
            return None;
        }
        (h, m)
    } else {
        if !all_digits(trimmed) {
            return None;
        }
        match trimmed.len() {
            1 | 2 => (trimmed, "00"),
            3 => trimmed.split_at(1),
            4 => trimmed.split_at(2),
            _ => return None,
        }
    };
    let hour: u8 = hour.parse().ok()?;
    let minute: u8 = minute.parse().ok()?;
    Time::from_hms(hour, minute, 0).ok()
}

/// The seven weekdays, Monday first as in Denmark.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// The lowercase Danish name of a weekday: `mandag` … `søndag`.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "mandag",
        Weekday::Tuesday => "tirsdag",
        Weekday::Wednesday => "onsdag",
        Weekday::Thursday => "torsdag",
        Weekday::Friday => "fredag",
        Weekday::Saturday => "lørdag",
        Weekday::Sunday => "søndag",
    }
}

/// Whether `date` is Monday to Friday.
pub fn is_weekday(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
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
    use time::macros::{date, datetime, time};

    fn holiday(year: i32, name: &str) -> Option<Date> {
        helligdage(year)
            .into_iter()
            .find(|(_, n)| *n == name)
            .map(|(d, _)| d)
    }

    #[test]
    fn easter_in_known_years() {
        assert_eq!(easter_sunday(2019), date!(2019 - 04 - 21));
        assert_eq!(easter_sunday(2024), date!(2024 - 03 - 31));
        assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
        assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
        assert_eq!(easter_sunday(2027), date!(2027 - 03 - 28));
        // Extremes of the Gregorian computus.
        assert_eq!(easter_sunday(1818), date!(1818 - 03 - 22));
        assert_eq!(easter_sunday(2038), date!(2038 - 04 - 25));
        assert_eq!(easter_sunday(2000), date!(2000 - 04 - 23));
    }

    #[test]
    fn easter_is_always_a_sunday_in_spring() {
        for year in Date::MIN.year()..=Date::MAX.year() {
            let easter = easter_sunday(year);
            assert_eq!(easter.weekday(), Weekday::Sunday, "{year}");
            assert!(easter >= Date::from_calendar_date(year, Month::March, 22).unwrap());
            assert!(easter <= Date::from_calendar_date(year, Month::April, 25).unwrap());
        }
    }

    #[test]
    fn store_bededag_until_2023_only() {
        assert_eq!(holiday(2023, "store bededag"), Some(date!(2023 - 05 - 05)));
        assert_eq!(holiday(2024, "store bededag"), None);
        assert_eq!(holiday(2026, "store bededag"), None);
        assert_eq!(helligdage(2023).len(), 11);
        assert_eq!(helligdage(2024).len(), 10);
        assert!(is_helligdag(date!(2023 - 05 - 05)));
        assert!(!is_helligdag(date!(2024 - 04 - 26)));
    }

    #[test]
    fn holidays_2026() {
        let days = helligdage(2026);
        let expected = [
            (date!(2026 - 01 - 01), "nytårsdag"),
            (date!(2026 - 04 - 02), "skærtorsdag"),
            (date!(2026 - 04 - 03), "langfredag"),
            (date!(2026 - 04 - 05), "påskedag"),
            (date!(2026 - 04 - 06), "2. påskedag"),
            (date!(2026 - 05 - 14), "Kristi himmelfartsdag"),
            (date!(2026 - 05 - 24), "pinsedag"),
            (date!(2026 - 05 - 25), "2. pinsedag"),
            (date!(2026 - 12 - 25), "juledag"),
            (date!(2026 - 12 - 26), "2. juledag"),
        ];
        assert_eq!(days, expected);
        assert!(days.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            helligdag_name(date!(2026 - 05 - 14)),
            Some("Kristi himmelfartsdag")
        );
        assert!(!is_helligdag(date!(2026 - 12 - 24)));
        assert!(
            !is_helligdag(date!(2026 - 06 - 05)),
            "grundlovsdag is not a helligdag"
        );
    }

    #[test]
    fn holidays_outside_the_date_range_are_empty() {
        assert!(helligdage(10_000).is_empty());
        assert!(helligdage(i32::MIN).is_empty());
        assert_eq!(helligdage(9999).len(), 10);
    }

    #[test]
    fn sorted_with_store_bededag() {
        let days = helligdage(2023);
        assert!(days.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn format_and_parse_dates() {
        assert_eq!(format_date(date!(2026 - 05 - 01)), "1.5.2026");
        assert_eq!(format_date(date!(2026 - 12 - 24)), "24.12.2026");
        assert_eq!(format_iso_date(date!(2026 - 05 - 01)), "2026-05-01");
        assert_eq!(
            format_date_range(date!(2026 - 12 - 22), date!(2027 - 01 - 02)),
            "22.12.2026–2.1.2027"
        );
        assert_eq!(
            format_date_range(date!(2026 - 06 - 05), date!(2026 - 06 - 05)),
            "5.6.2026"
        );
        let may_day = Some(date!(2026 - 05 - 01));
        for input in [
            "2026-05-01",
            "1.5.2026",
            "01.05.2026",
            "1-5-2026",
            "1/5-2026",
            "1/5/2026",
            " 1.5.2026 ",
            "2026-5-1",
        ] {
            assert_eq!(parse_date(input), may_day, "{input}");
        }
        for input in [
            "",
            "1.5",
            "1.5.26",
            "30.2.2026",
            "32.1.2026",
            "1.13.2026",
            "0.1.2026",
            "2026-02-30",
            "1.5.2026.1",
            "en dato",
            "+1.5.2026",
            "1.5.20266",
            "١.٥.٢٠٢٦",
            "001.5.2026",
            "1.1.0999",
            "0999-01-01",
        ] {
            assert_eq!(parse_date(input), None, "{input}");
        }
        assert_eq!(parse_date("29.2.2028"), Some(date!(2028 - 02 - 29)));
        assert_eq!(parse_date("29.2.2027"), None);
    }

    #[test]
    fn format_and_parse_times() {
        assert_eq!(format_time(time!(6:30)), "06:30");
        assert_eq!(format_time(time!(17:00)), "17:00");
        for input in ["06:30", "6:30", "06.30", "0630", "630", " 6:30 "] {
            assert_eq!(parse_time(input), Some(time!(6:30)), "{input}");
        }
        assert_eq!(parse_time("17"), Some(time!(17:00)));
        assert_eq!(parse_time("7"), Some(time!(7:00)));
        assert_eq!(parse_time("00:00"), Some(time!(0:00)));
        assert_eq!(parse_time("23:59"), Some(time!(23:59)));
        for input in [
            "", "24:00", "12:60", "6:3", "6:300", "6.30 pm", "6:30am", "063000", "-6:30", "6:-30", "kl. 6",
            ":30", "6:", "٦:٣٠", "06:30:00",
        ] {
            assert_eq!(parse_time(input), None, "{input}");
        }
    }

    #[test]
    fn weekday_names_are_lowercase_danish_and_monday_first() {
        assert_eq!(weekday_name(Weekday::Monday), "mandag");
        assert_eq!(weekday_name(Weekday::Saturday), "lørdag");
        assert_eq!(weekday_name(Weekday::Sunday), "søndag");
        assert_eq!(WEEKDAYS[0], Weekday::Monday);
        assert_eq!(WEEKDAYS[6], Weekday::Sunday);
        assert!(is_weekday(date!(2026 - 12 - 24)));
        assert!(!is_weekday(date!(2026 - 12 - 27)));
    }

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
}
