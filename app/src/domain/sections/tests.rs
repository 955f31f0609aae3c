//! Shared helpers, and a deterministic property-style loop: no parser panics
//! on odd input, and whatever parses round-trips through its form.

use serde::de::DeserializeOwned;
use serde::Serialize;
use time::macros::date;
use time::Date;

use super::*;
use crate::domain::calendar::{format_date, format_iso_date, format_time, parse_date, parse_time};
use crate::domain::Postnummer;

const TODAY: Date = date!(2026 - 03 - 15);

#[test]
fn join_labels_reads_as_running_text() {
    assert_eq!(join_labels([]), "Ingen");
    assert_eq!(join_labels(["Natur og udeliv"]), "Natur og udeliv");
    assert_eq!(
        join_labels(["Natur og udeliv", "Sprog", "Skolebørn 6–9 år"]),
        "Natur og udeliv, sprog, skolebørn 6–9 år"
    );
}

#[test]
fn text_cleaning() {
    assert_eq!(clean_line("  Skole\tvej\n "), "Skole vej");
    assert_eq!(clean_line("a\u{0}b"), "a b");
    assert_eq!(
        clean_text(" Linje 1\r\nLinje 2\rLinje 3\n\n "),
        "Linje 1\nLinje 2\nLinje 3"
    );
    assert_eq!(clean_text("a\u{0}\u{7}b\tc"), "ab\tc");
    assert_eq!(
        clean_text("</textarea><script>alert(1)</script>"),
        "</textarea><script>alert(1)</script>"
    );
    assert_eq!(
        required_line("   ", 10, "Navnet", "Skriv navnet."),
        Err("Skriv navnet.".into())
    );
    assert_eq!(optional_line("   ", 10, "Navnet"), Ok(None));
    assert!(optional_line("elleve tegn", 10, "Navnet")
        .unwrap_err()
        .starts_with("Navnet må højst være 10 tegn. Du har skrevet 11."));
    assert_eq!(
        required_line("Svalen </title><script>", 100, "Navnet", "Skriv navnet."),
        Err(
            "Navnet må ikke indeholde tegnene < og >. Fjern dem, eller skriv fx en bindestreg i stedet."
                .into()
        )
    );
    assert!(optional_line("a > b", 10, "Navnet").is_err());
    assert_eq!(
        optional_line("Leg & læring", 20, "Navnet"),
        Ok(Some("Leg & læring".into()))
    );
    assert!(is_checked(&Some("on".into())));
    assert!(!is_checked(&Some(" ".into())));
    assert!(!is_checked(&None));
}

/// A small deterministic generator (a linear congruential generator).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "5",
    "9",
    "12",
    "2026",
    "06",
    "30",
    ".",
    ",",
    ":",
    "-",
    "−",
    "+",
    "/",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{a0}",
    "\u{202e}",
    "\u{feff}",
    "@",
    "://",
    "https",
    "http",
    "www",
    "dk",
    "kr.",
    "m²",
    "+45",
    "0045",
    "ø",
    "Å",
    "İ",
    "ß",
    "ﬃ",
    "🧒🏽",
    "٣",
    "漢",
    "<",
    ">",
    "\"",
    "'",
    "&",
    "#",
    "?",
    "%",
    "\\",
    "ja",
    "nej",
    "on",
    "guld",
    "eget_koekken",
    "</textarea>",
    "<script>alert(1)</script>",
];

fn odd_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        "",
        " ",
        "\u{0}",
        "\r\n",
        "</textarea><script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "http://",
        "https://",
        "https://.",
        "a@b",
        "@",
        "@@",
        "+45",
        "0045",
        "-0",
        ",",
        ",-",
        ".",
        "1.",
        "1.000.",
        "99999999999999999999999999999999",
        "-99999999999999999999",
        "1.5.2026",
        "29.2.2026",
        "2026-05-01",
        "31.12.9999",
        "1.1.0000",
        "24:00",
        "23:59",
        "İİİİ",
        "ﬃ.dk",
        "\u{202e}kd.elpmeske",
        "🧒🏽🧒🏽",
        "on",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.push("ø".repeat(5000));
    inputs.push("a".repeat(100_000));
    inputs.push("1".repeat(1000));
    inputs.push(format!("{}.dk", "a".repeat(300)));
    inputs.push(format!("a@{}.dk", "b".repeat(300)));
    let mut rng = Lcg(0x5eed);
    for _ in 0..400 {
        let len = rng.next() % 12;
        let text: String = (0..len).map(|_| rng.pick(PIECES)).collect();
        inputs.push(text);
    }
    inputs
}

#[test]
fn value_parsers_never_panic_and_are_idempotent() {
    for input in odd_inputs() {
        if let Some(d) = parse_date(&input) {
            assert_eq!(parse_date(&format_date(d)), Some(d), "{input:?}");
            assert_eq!(parse_date(&format_iso_date(d)), Some(d), "{input:?}");
        }
        if let Some(t) = parse_time(&input) {
            assert_eq!(parse_time(&format_time(t)), Some(t), "{input:?}");
        }
        if let Ok(n) = parse_whole_number(&input) {
            assert_eq!(parse_whole_number(&n.to_string()), Ok(n), "{input:?}");
            assert_eq!(parse_whole_number(&format_thousands(n)), Ok(n), "{input:?}");
        }
        if let Ok(kr) = parse_kroner(&input, 5000, "Prisen") {
            assert_eq!(parse_kroner(&format_kroner(kr), 5000, "Prisen"), Ok(kr));
        }
        match HttpsUrl::parse(&input) {
            Ok(url) => {
                assert!(url.as_str().starts_with("https://"), "{input:?}");
                assert!(url.as_str().chars().count() <= HttpsUrl::MAX_CHARS);
                assert_eq!(HttpsUrl::parse(url.as_str()), Ok(url.clone()), "{input:?}");
            }
            Err(message) => assert!(!message.is_empty()),
        }
        match Email::parse(&input) {
            Ok(email) => {
                assert_eq!(email.as_str().matches('@').count(), 1, "{input:?}");
                assert_eq!(Email::parse(email.as_str()), Ok(email.clone()), "{input:?}");
            }
            Err(message) => assert!(!message.is_empty()),
        }
        match PhoneNumber::parse(&input) {
            Ok(phone) => {
                assert_eq!(phone.digits().len(), 8, "{input:?}");
                assert_eq!(PhoneNumber::parse(&phone.to_string()), Ok(phone.clone()));
            }
            Err(message) => assert!(message.ends_with('.'), "{message}"),
        }
        let _ = Postnummer::parse(&input);
    }
}

/// Each variant of `base` with one field (of the JSON object) set to `input`.
fn with_each_field<F: Serialize + DeserializeOwned>(base: &F, input: &str) -> Vec<(String, F)> {
    let json = serde_json::to_value(base).unwrap();
    let object = json.as_object().unwrap();
    object
        .keys()
        .map(|key| {
            let mut changed = object.clone();
            changed.insert(key.clone(), serde_json::Value::String(input.to_string()));
            let form = serde_json::from_value(serde_json::Value::Object(changed)).unwrap();
            (key.clone(), form)
        })
        .collect()
}

/// Every field set to `input` at once (checkboxes too).
fn with_all_fields<F: Serialize + DeserializeOwned>(base: &F, input: &str) -> F {
    let json = serde_json::to_value(base).unwrap();
    let object: serde_json::Map<_, _> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|key| (key.clone(), serde_json::Value::String(input.to_string())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(object)).unwrap()
}

macro_rules! check_form {
    ($base:expr, $input:expr) => {{
        let base = $base;
        let fields: Vec<String> = serde_json::to_value(&base)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut variants = with_each_field(&base, $input);
        variants.push(("*".to_string(), with_all_fields(&base, $input)));
        for (field, form) in variants {
            match form.parse(TODAY) {
                Ok(value) => {
                    assert_eq!(
                        value.to_form().parse(TODAY),
                        Ok(value.clone()),
                        "round trip after setting {field} to {:?}",
                        $input
                    );
                    assert!(!value.describe().is_empty());
                }
                Err(errors) => {
                    assert!(!errors.is_empty(), "{field}");
                    for (key, message) in &errors {
                        assert!(fields.contains(key), "unknown error key {key}");
                        assert!(message.ends_with('.'), "{key}: {message}");
                        assert!(!message.contains("Ugyldig"), "{key}: {message}");
                    }
                }
            }
        }
    }};
}

fn valid_profil() -> ProfilForm {
    ProfilForm {
        paedagogisk_profil: "Vi er ude hver dag.".into(),
        tag_natur: Some("on".into()),
        alder_3_5: Some("on".into()),
        pladser: "60".into(),
        udeareal_m2: "1.200".into(),
        hjemmeside: "https://www.solsikken.dk".into(),
        ..ProfilForm::default()
    }
}

fn valid_madordning() -> MadordningForm {
    MadordningForm {
        frokostordning: "ja".into(),
        tilberedes: "ekstern_leverandoer".into(),
        maaltid_frokost: Some("on".into()),
        oekologi: "bronze".into(),
        hensyn_vegetarisk: Some("on".into()),
        pris_pr_maaned: "850".into(),
        bemaerkning: "Økologisk frugt.".into(),
        ..MadordningForm::default()
    }
}

fn valid_period() -> ClosingPeriodForm {
    ClosingPeriodForm {
        fra: "2026-12-22".into(),
        til: "2027-01-02".into(),
        aarsag: "juleferie".into(),
        alternativ_pasning: Some("on".into()),
        alternativ_sted: "Solsikken".into(),
    }
}

fn valid_hours() -> OpeningHoursForm {
    let mut form = OpeningHoursForm::default();
    for day in 0..5 {
        form.set_day(day, true, "06:30", "17:00");
    }
    form.bemaerkning = "Fredag til 16.".into();
    form
}

fn valid_kontakt() -> KontaktForm {
    KontaktForm {
        vejnavn: "Skolevej".into(),
        husnummer: "12".into(),
        postnummer: "8660".into(),
        by: "Skanderborg".into(),
        telefon: "23 45 67 89".into(),
        email: "kontakt@solsikken.dk".into(),
        hjemmeside: "solsikken.dk".into(),
        leder: "Mette Hansen".into(),
        kontaktperson: "Ali Jensen".into(),
    }
}

#[test]
fn base_forms_are_valid() {
    assert!(valid_profil().parse(TODAY).is_ok());
    assert!(valid_madordning().parse(TODAY).is_ok());
    assert!(valid_period().parse(TODAY).is_ok());
    assert!(valid_hours().parse(TODAY).is_ok());
    assert!(valid_kontakt().parse(TODAY).is_ok());
}

#[test]
fn section_parsers_never_panic_and_round_trip() {
    for input in odd_inputs() {
        let input = input.as_str();
        check_form!(valid_profil(), input);
        check_form!(valid_madordning(), input);
        check_form!(valid_period(), input);
        check_form!(valid_hours(), input);
        check_form!(valid_kontakt(), input);
        check_form!(ProfilForm::default(), input);
        check_form!(MadordningForm::default(), input);
        check_form!(ClosingPeriodForm::default(), input);
        check_form!(OpeningHoursForm::default(), input);
        check_form!(KontaktForm::default(), input);
    }
}

#[test]
fn default_sections_make_sense() {
    assert!(!Lukkedage::default().is_filled());
    assert!(!OpeningHours::default().is_filled());
    assert_eq!(
        OpeningHours::default().to_form().parse(TODAY),
        Ok(OpeningHours::default())
    );
}
