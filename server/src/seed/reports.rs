//! Invented reporting for the demo register, so the demo shows a country
//! halfway through: most institutions have reported all five sections, some
//! a few, some nothing; a few kommuner are far ahead and a few far behind.
//! Every reported section has a history of one to a few saves over the past
//! year, mostly by the institution and now and then by the kommune, with the
//! audit rows those saves would have written.
//!
//! Values are built through the sections' own forms and parsed by the same
//! rules as a user's input, so nothing here can hold what a form refuses.
//! Everything is drawn from a random generator seeded by the institution's
//! number (and the kommune's code for its pace), so the same register gives
//! the same reports on every machine, and a new institution does not change
//! anyone else's.

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, OffsetDateTime, Weekday};

use app::domain::calendar::{easter_sunday, format_iso_date};
use app::domain::sections::{
    diff, ClosingPeriodForm, GaestedagplejeForm, KontaktForm, Lukkedage, MadordningForm, OpeningHoursForm,
    ProfilForm, Section, SectionKind,
};

use super::SeedError;

const SEED: u64 = 2026;

use super::phrases::{DAYS, FIRST_NAMES, FOCUS, GUEST_NOTES, LAST_NAMES, OPENINGS, PARENTS};

/// One institution of the register as the generator needs it.
#[derive(Debug, Clone)]
pub struct Institution {
    pub id: i64,
    pub nummer: String,
    pub navn: String,
    pub kommunekode: i16,
    pub kommune: String,
    pub institution_type: String,
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: i16,
    pub postby: String,
}

/// One save of a section: its full value (as stored), what changed, who and when.
#[derive(Debug, Clone)]
pub struct Save {
    pub kind: SectionKind,
    pub version: i32,
    pub data: serde_json::Value,
    pub changes: serde_json::Value,
    pub changed_fields: usize,
    pub by_kommune: bool,
    pub at: OffsetDateTime,
}

/// How far a kommune has come: the share (in %) of its institutions with
/// all five sections and with some of them.
fn pace(kommunekode: i16) -> (u32, u32) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ u64::from(kommunekode.unsigned_abs()) << 20);
    match rng.random_range(0..100) {
        // A few kommuner far ahead, a few far behind, most in between.
        0..8 => (rng.random_range(88..97), 3),
        8..16 => (rng.random_range(5..15), rng.random_range(10..20)),
        _ => (rng.random_range(50..70), rng.random_range(20..30)),
    }
}

fn rng_for(nummer: &str) -> ChaCha8Rng {
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let hash = nummer.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    ChaCha8Rng::seed_from_u64(SEED ^ hash)
}

fn on(yes: bool) -> Option<String> {
    yes.then(|| "on".to_string())
}

pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').to_string()
}

fn is_daycare(kind: &str) -> bool {
    matches!(
        kind,
        "vuggestue" | "boernehave" | "integreret" | "landsbyordning" | "dagpleje"
    )
}

fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        FIRST_NAMES.choose(rng).copied().unwrap_or("Anne"),
        LAST_NAMES.choose(rng).copied().unwrap_or("Jensen")
    )
}

fn profil(rng: &mut ChaCha8Rng, inst: &Institution) -> ProfilForm {
    let kind = inst.institution_type.as_str();
    let mut tags: Vec<&str> = FOCUS.iter().map(|(t, _)| *t).collect();
    tags.shuffle(rng);
    let count = rng.random_range(1..=3);
    let chosen: Vec<&str> = tags.into_iter().take(count).collect();
    let fill = |s: &str| s.replace("{navn}", &inst.navn).replace("{by}", &inst.postby);
    let mut text = vec![fill(OPENINGS.choose(rng).copied().unwrap_or(OPENINGS[0]))];
    for tag in &chosen {
        if let Some((_, sentence)) = FOCUS.iter().find(|(t, _)| t == tag) {
            text.push((*sentence).to_string());
        }
    }
    text.push(DAYS.choose(rng).copied().unwrap_or(DAYS[0]).to_string());
    if rng.random_bool(0.7) {
        text.push(PARENTS.choose(rng).copied().unwrap_or(PARENTS[0]).to_string());
    }
    let has = |t: &str| on(chosen.contains(&t));
    let (small, big, ages): (u32, u32, &[&str]) = match kind {
        "vuggestue" => (24, 60, &["0_2"]),
        "dagpleje" => (20, 160, &["0_2"]),
        "boernehave" => (40, 120, &["3_5"]),
        "integreret" => (60, 160, &["0_2", "3_5"]),
        "fritidshjem" => (40, 150, &["6_9"]),
        "fritidsklub" => (40, 200, &["10_plus"]),
        _ => (40, 120, &["0_2", "3_5", "6_9"]),
    };
    let age = |a: &str| on(ages.contains(&a));
    ProfilForm {
        paedagogisk_profil: text.join(" "),
        tag_natur: has("natur"),
        tag_idraet: has("idraet"),
        tag_sprog: has("sprog"),
        tag_musik: has("musik"),
        tag_kunst: has("kunst"),
        tag_science: has("science"),
        tag_skov: has("skov"),
        tag_flersproget: has("flersproget"),
        alder_0_2: age("0_2"),
        alder_3_5: age("3_5"),
        alder_6_9: age("6_9"),
        alder_10_plus: age("10_plus"),
        pladser: (rng.random_range(small..=big) / 2 * 2).to_string(),
        udeareal_m2: if rng.random_bool(0.6) {
            (rng.random_range(8..60) * 100).to_string()
        } else {
            String::new()
        },
        hjemmeside: if rng.random_bool(0.5) {
            format!("https://{}.dagtilbud.example", slug(&inst.navn))
        } else {
            String::new()
        },
    }
}

fn madordning(rng: &mut ChaCha8Rng, inst: &Institution) -> MadordningForm {
    let daycare = is_daycare(&inst.institution_type);
    let lunch = daycare && rng.random_bool(0.8);
    let organic = ["", "ingen", "bronze", "bronze", "soelv", "soelv", "guld"];
    MadordningForm {
        frokostordning: if lunch { "ja" } else { "nej" }.into(),
        tilberedes: if lunch {
            if rng.random_bool(0.6) {
                "eget_koekken"
            } else {
                "ekstern_leverandoer"
            }
            .into()
        } else {
            String::new()
        },
        maaltid_morgenmad: on(daycare && rng.random_bool(0.3)),
        maaltid_formiddagsmad: on(daycare && rng.random_bool(0.7)),
        maaltid_frokost: on(lunch),
        maaltid_eftermiddagsmad: on(rng.random_bool(0.8)),
        oekologi: organic.choose(rng).copied().unwrap_or("").into(),
        hensyn_vegetarisk: on(rng.random_bool(0.5)),
        hensyn_halal: on(rng.random_bool(0.25)),
        hensyn_uden_svinekoed: on(rng.random_bool(0.35)),
        hensyn_allergier: on(rng.random_bool(0.7)),
        pris_pr_maaned: if lunch {
            (rng.random_range(70..96) * 10).to_string()
        } else {
            String::new()
        },
        bemaerkning: if !lunch && daycare {
            "Børnene har madpakke med hjemmefra; vi sørger for frugt og eftermiddagsmad.".into()
        } else if rng.random_bool(0.15) {
            "Vi tager hensyn til allergier efter aftale med forældrene og lægen.".into()
        } else {
            String::new()
        },
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn aabningstider(rng: &mut ChaCha8Rng, inst: &Institution) -> OpeningHoursForm {
    let mut form = OpeningHoursForm::default();
    let quarter = |rng: &mut ChaCha8Rng, from: u32, to: u32| rng.random_range(from / 15..=to / 15) * 15;
    let (opens, closes, friday) = if is_daycare(&inst.institution_type) {
        let opens = quarter(rng, 6 * 60 + 15, 7 * 60);
        let closes = quarter(rng, 16 * 60 + 30, 17 * 60 + 30);
        (opens, closes, closes - quarter(rng, 30, 75))
    } else {
        // Fritidshjem and klub open when school ends.
        let opens = quarter(rng, 11 * 60 + 30, 13 * 60);
        let closes = quarter(rng, 17 * 60, 18 * 60 + 30);
        (opens, closes, closes - 60)
    };
    for day in 0..5 {
        let until = if day == 4 { friday } else { closes };
        form.set_day(day, true, &hhmm(opens), &hhmm(until));
    }
    if rng.random_bool(0.2) {
        form.bemaerkning = "Tidlig åbning fra 06:00 efter aftale.".into();
    }
    form
}

fn kontakt(rng: &mut ChaCha8Rng, inst: &Institution) -> KontaktForm {
    let name = slug(&inst.navn);
    KontaktForm {
        vejnavn: inst.vejnavn.clone(),
        husnummer: inst.husnummer.clone(),
        postnummer: inst.postnummer.to_string(),
        by: inst.postby.clone(),
        telefon: format!(
            "{}{:07}",
            rng.random_range(2..10),
            rng.random_range(0..10_000_000)
        ),
        email: format!("{name}@{}.dagtilbud.example", slug(&inst.kommune)),
        hjemmeside: String::new(),
        leder: person(rng),
        kontaktperson: if rng.random_bool(0.5) {
            person(rng)
        } else {
            String::new()
        },
    }
}

/// The first Monday of ISO week `week` of `year`.
fn monday_of_week(year: i32, week: u8) -> Option<Date> {
    Date::from_iso_week_date(year, week, Weekday::Monday).ok()
}

fn lukkedage(rng: &mut ChaCha8Rng, today: Date) -> Vec<ClosingPeriodForm> {
    let year = today.year();
    let mut periods = Vec::new();
    let period = |from: Date, to: Date, reason: &str, place: Option<String>| ClosingPeriodForm {
        fra: format_iso_date(from),
        til: format_iso_date(to),
        aarsag: reason.to_string(),
        alternativ_pasning: place.as_ref().map(|_| "on".to_string()),
        alternativ_sted: place.unwrap_or_default(),
    };
    let nearby = "Et andet dagtilbud i området; spørg personalet.".to_string();
    // The days between Christmas and New Year: this year's if still ahead.
    let christmas_year = match Date::from_calendar_date(year, time::Month::December, 27) {
        Ok(date) if date > today => year,
        _ => year + 1,
    };
    if let (Ok(from), Ok(to)) = (
        Date::from_calendar_date(christmas_year, time::Month::December, 27),
        Date::from_calendar_date(christmas_year, time::Month::December, 31),
    ) {
        let place = rng.random_bool(0.5).then(|| nearby.clone());
        periods.push(period(from, to, "Juleferie", place));
    }
    // Dagen efter Kristi himmelfartsdag (Ascension is Easter + 39 days).
    let next = year + 1;
    let friday = easter_sunday(next) + Duration::days(40);
    if rng.random_bool(0.8) {
        periods.push(period(friday, friday, "Dagen efter Kristi himmelfartsdag", None));
    }
    // A summer week for some.
    if rng.random_bool(0.45) {
        if let Some(monday) = monday_of_week(next, rng.random_range(28..=30)) {
            let place = rng.random_bool(0.7).then(|| nearby.clone());
            periods.push(period(monday, monday + Duration::days(4), "Sommerlukning", place));
        }
    }
    // The three days before Easter for a few.
    if rng.random_bool(0.25) {
        let monday = easter_sunday(next) - Duration::days(6);
        periods.push(period(
            monday,
            monday + Duration::days(2),
            "Påskelukning",
            Some(nearby),
        ));
    }
    periods
}

/// A section's versions, oldest first: each a small change of the one before.
fn versions<T: Section>(first: T, count: usize, mut change: impl FnMut(&T) -> Option<T>) -> Vec<T> {
    let mut out = vec![first];
    while out.len() < count {
        match change(out.last().expect("one version")) {
            Some(next) if Some(&next) != out.last() => out.push(next),
            _ => break,
        }
    }
    out
}

/// When the saves happened: `count` moments in the past year, oldest first.
fn moments(rng: &mut ChaCha8Rng, now: OffsetDateTime, count: usize) -> Vec<OffsetDateTime> {
    let mut minutes: Vec<i64> = (0..count).map(|_| rng.random_range(60..365 * 24 * 60)).collect();
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.into_iter().map(|m| now - Duration::minutes(m)).collect()
}

fn saves_of<T: Section>(
    rng: &mut ChaCha8Rng,
    now: OffsetDateTime,
    values: Vec<T>,
    out: &mut Vec<Save>,
) -> Result<(), SeedError> {
    let at = moments(rng, now, values.len());
    let mut before = Vec::new();
    for (index, (value, at)) in values.iter().zip(at).enumerate() {
        let described = value.describe();
        let changes = diff(&before, &described);
        out.push(Save {
            kind: T::KIND,
            version: index as i32 + 1,
            data: serde_json::to_value(value).map_err(|e| SeedError::Generate(e.to_string()))?,
            changed_fields: changes.len(),
            changes: serde_json::to_value(&changes).map_err(|e| SeedError::Generate(e.to_string()))?,
            // The kommune saves now and then on the institution's behalf.
            by_kommune: rng.random_bool(0.12),
            at,
        });
        before = described;
    }
    Ok(())
}

fn parsed<T>(result: Result<T, app::error::FieldErrors>, what: &str) -> Result<T, SeedError> {
    result.map_err(|errors| SeedError::Generate(format!("{what}: {errors:?}")))
}

/// Every save of `inst`'s reported sections, oldest first per section.
pub fn reports_for(inst: &Institution, today: Date, now: OffsetDateTime) -> Result<Vec<Save>, SeedError> {
    let (all, some) = pace(inst.kommunekode);
    let mut rng = rng_for(&inst.nummer);
    let roll = rng.random_range(0..100);
    let dagpleje = inst.institution_type == "dagpleje";
    let mut kinds: Vec<SectionKind> = SectionKind::offered(dagpleje).to_vec();
    if roll >= all + some {
        return Ok(Vec::new());
    }
    if roll >= all {
        kinds.shuffle(&mut rng);
        kinds.truncate(rng.random_range(1..=3));
    }
    let mut out = Vec::new();
    for kind in kinds {
        let count = *[1, 1, 2, 2, 2, 3, 3, 4].choose(&mut rng).unwrap_or(&1);
        match kind {
            SectionKind::Profil => {
                let form = profil(&mut rng, inst);
                let first = parsed(form.parse(today), "profil")?;
                let values = versions(first, count, |last| {
                    let mut next = last.clone();
                    next.pladser = (next.pladser + 2).min(998);
                    Some(next)
                });
                saves_of(&mut rng, now, values, &mut out)?;
            }
            SectionKind::Madordning => {
                let mut form = madordning(&mut rng, inst);
                let mut values = vec![parsed(form.parse(today), "madordning")?];
                while values.len() < count {
                    // A price change, or a step up in organic food.
                    if !form.pris_pr_maaned.is_empty() {
                        let price: u32 = form.pris_pr_maaned.parse().unwrap_or(800);
                        form.pris_pr_maaned = (price + 25).to_string();
                    } else {
                        form.hensyn_vegetarisk = on(form.hensyn_vegetarisk.is_none());
                    }
                    values.push(parsed(form.parse(today), "madordning")?);
                }
                saves_of(&mut rng, now, values, &mut out)?;
            }
            SectionKind::Aabningstider => {
                let mut form = aabningstider(&mut rng, inst);
                let mut values = vec![parsed(form.parse(today), "åbningstider")?];
                while values.len() < count {
                    // Friday closing moved by a quarter of an hour.
                    let (open, from, to) = form.day(4);
                    let (from, to) = (from.to_string(), to.to_string());
                    let minutes =
                        to[..2].parse::<u32>().unwrap_or(16) * 60 + to[3..].parse::<u32>().unwrap_or(0);
                    form.set_day(4, open, &from, &hhmm(minutes + 15));
                    values.push(parsed(form.parse(today), "åbningstider")?);
                }
                saves_of(&mut rng, now, values, &mut out)?;
            }
            SectionKind::Lukkedage => {
                let forms = lukkedage(&mut rng, today);
                // The first save had the first period; later saves add the rest.
                let mut values = Vec::new();
                let mut list = Lukkedage::default();
                let steps = count.min(forms.len()).max(1);
                for (index, form) in forms.iter().enumerate() {
                    let period = parsed(form.parse(today), "lukkedage")?;
                    list.insert(period)
                        .map_err(|e| SeedError::Generate(format!("lukkedage: {e}")))?;
                    if index + 1 >= forms.len() + 1 - steps {
                        values.push(list.clone());
                    }
                }
                if !values.is_empty() {
                    saves_of(&mut rng, now, values, &mut out)?;
                }
            }
            SectionKind::Kontakt => {
                let mut form = kontakt(&mut rng, inst);
                let mut values = vec![parsed(form.parse(today), "kontakt")?];
                while values.len() < count {
                    // A new contact person.
                    let before = form.kontaktperson.clone();
                    while form.kontaktperson == before {
                        form.kontaktperson = person(&mut rng);
                    }
                    values.push(parsed(form.parse(today), "kontakt")?);
                }
                saves_of(&mut rng, now, values, &mut out)?;
            }
            SectionKind::Gaestedagpleje => {
                let mut form = gaestedagpleje(&mut rng, inst);
                let mut values = vec![parsed(form.parse(today), "gæstedagpleje")?];
                while values.len() < count {
                    // A longer notice to parents.
                    form.beskrivelse = format!(
                        "{} Ved planlagt ferie får I besked senest en uge før.",
                        form.beskrivelse
                    );
                    values.push(parsed(form.parse(today), "gæstedagpleje")?);
                }
                saves_of(&mut rng, now, values, &mut out)?;
            }
        }
    }
    // A dagpleje has no log-in: its kommune saves every section.
    if dagpleje {
        out.iter_mut().for_each(|save| save.by_kommune = true);
    }
    Ok(out)
}

fn gaestedagpleje(rng: &mut ChaCha8Rng, inst: &Institution) -> GaestedagplejeForm {
    let ordning = *["gaestehus", "legegruppe", "begge"]
        .choose(rng)
        .unwrap_or(&"gaestehus");
    let sted = if ordning == "legegruppe" {
        String::new()
    } else {
        format!(
            "Gæstehuset i {}, {} {}",
            inst.postby, inst.vejnavn, inst.husnummer
        )
    };
    let mut notes: Vec<&str> = GUEST_NOTES.to_vec();
    notes.shuffle(rng);
    GaestedagplejeForm {
        ordning: ordning.to_string(),
        sted,
        beskrivelse: notes[..rng.random_range(1..=2)].join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn institution(nummer: &str, kind: &str, kommunekode: i16) -> Institution {
        Institution {
            id: 1,
            nummer: nummer.into(),
            navn: "Børnehuset Solsikken".into(),
            kommunekode,
            kommune: "Skanderborg".into(),
            institution_type: kind.into(),
            vejnavn: "Skolevej".into(),
            husnummer: "2".into(),
            postnummer: 8660,
            postby: "Skanderborg".into(),
        }
    }

    fn now() -> OffsetDateTime {
        time::macros::datetime!(2026-12-04 12:00 UTC)
    }

    #[test]
    fn the_same_institution_gets_the_same_reports() {
        let inst = institution("B12345", "integreret", 746);
        let today = now().date();
        let first = reports_for(&inst, today, now()).unwrap();
        let again = reports_for(&inst, today, now()).unwrap();
        let data = |saves: &[Save]| {
            saves
                .iter()
                .map(|s| (s.kind, s.version, s.data.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(data(&first), data(&again));
    }

    #[test]
    fn every_type_gets_valid_sections_with_a_history_in_the_past_year() {
        let today = now().date();
        let mut seen = std::collections::BTreeSet::new();
        for (i, kind) in [
            "vuggestue",
            "boernehave",
            "integreret",
            "fritidshjem",
            "fritidsklub",
            "landsbyordning",
        ]
        .iter()
        .cycle()
        .take(600)
        .enumerate()
        {
            let inst = institution(&format!("G{i:05}"), kind, 751);
            for save in reports_for(&inst, today, now()).unwrap() {
                assert!(save.at < now() && save.at > now() - Duration::days(366));
                assert!(
                    save.changed_fields > 0,
                    "{:?} v{} changed nothing",
                    save.kind,
                    save.version
                );
                seen.insert((save.kind.as_str(), save.version > 1));
            }
        }
        // Every kind, with and without later versions.
        assert_eq!(seen.len(), SectionKind::ALL.len() * 2, "{seen:?}");
    }

    #[test]
    fn kommuner_differ_in_pace() {
        let paces: Vec<u32> = (101..=860).map(|kode| pace(kode as i16).0).collect();
        assert!(paces.iter().any(|&p| p >= 88), "some far ahead");
        assert!(paces.iter().any(|&p| p < 15), "some far behind");
    }
}
