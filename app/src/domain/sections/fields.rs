//! Value types shared by several sections: web address, e-mail, phone number
//! and whole numbers written the Danish way.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A whole number with Danish thousands dots: `1.250`, `100.000`.
pub fn format_thousands(value: u64) -> String {
    let digits = value.to_string();
    let first = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    out.push_str(&digits[..first]);
    let mut start = first;
    while start < digits.len() {
        out.push('.');
        out.push_str(&digits[start..start + 3]);
        start += 3;
    }
    out
}

/// An amount in whole kroner: `1.250 kr.`
pub fn format_kroner(value: u32) -> String {
    format!("{} kr.", format_thousands(u64::from(value)))
}

/// Why a text is not a whole number. Each field turns this into its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    Empty,
    Negative,
    /// Has decimals other than `,00` (or uses `.` as a decimal point).
    Fraction,
    NotANumber,
    TooLarge,
}

/// Read a non-negative whole number as Danes write it: `1250`, `1.250`,
/// `1 250`, `1250,00` or `1250,-`. A `.` only counts as a thousands
/// separator between groups of three digits.
pub fn parse_whole_number(input: &str) -> Result<u64, NumberProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NumberProblem::Empty);
    }
    if let Some(rest) = trimmed.strip_prefix(['-', '−']) {
        return if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            Err(NumberProblem::Negative)
        } else {
            Err(NumberProblem::NotANumber)
        };
    }
    let trimmed = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let (whole, decimals) = match trimmed.split_once(',') {
        Some((whole, decimals)) => (whole.trim_end(), Some(decimals.trim_start())),
        None => (trimmed, None),
    };
    if let Some(decimals) = decimals {
        let is_zero = !decimals.is_empty() && decimals.bytes().all(|b| b == b'0');
        if !(is_zero || decimals == "-") {
            return if !decimals.is_empty() && decimals.bytes().all(|b| b.is_ascii_digit()) {
                Err(NumberProblem::Fraction)
            } else {
                Err(NumberProblem::NotANumber)
            };
        }
    }
    let groups: Vec<&str> = whole.split(['.', ' ', '\u{a0}', '\u{202f}']).collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(NumberProblem::NotANumber);
    }
    if groups.len() > 1 {
        let well_grouped = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            let last = groups[groups.len() - 1];
            return if whole.contains('.') && groups.len() == 2 && last.len() < 3 {
                Err(NumberProblem::Fraction)
            } else {
                Err(NumberProblem::NotANumber)
            };
        }
    }
    let digits: String = groups.concat();
    let significant = digits.trim_start_matches('0');
    if significant.len() > 15 {
        return Err(NumberProblem::TooLarge);
    }
    Ok(significant.parse().unwrap_or(0))
}

/// Read a monthly amount in whole kroner, 0–`max`: `850`, `850 kr.`,
/// `1.250`, `850,00`, `850,-`. `what` starts the message ("Prisen").
pub fn parse_kroner(input: &str, max: u32, what: &str) -> Result<u32, String> {
    let lowered = input.trim().to_lowercase();
    let mut text = lowered.as_str();
    for prefix in ["kr.", "kr", "dkk"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start();
            break;
        }
    }
    for suffix in ["kr.", "kr", "dkk"] {
        if let Some(rest) = text.strip_suffix(suffix) {
            text = rest.trim_end();
            break;
        }
    }
    let example = "fx 850 eller 1.250";
    let max_text = format_thousands(u64::from(max));
    match parse_whole_number(text) {
        Ok(value) if value <= u64::from(max) => Ok(value as u32),
        Ok(_) | Err(NumberProblem::TooLarge) => Err(format!(
            "{what} skal være mellem 0 og {max_text} kr. Skriv beløbet i hele kroner, {example}."
        )),
        Err(NumberProblem::Empty) => Err(format!("Skriv beløbet i hele kroner, {example}.")),
        Err(NumberProblem::Negative) => Err(format!(
            "{what} kan ikke være negativ. Skriv beløbet i hele kroner, {example}."
        )),
        Err(NumberProblem::Fraction) => Err(format!(
            "Skriv beløbet i hele kroner uden øre, {example}. Brug punktum som tusindtalsseparator, ikke som decimaltegn."
        )),
        Err(NumberProblem::NotANumber) => Err(format!(
            "{what} skal være et beløb i hele kroner skrevet med tal, {example}."
        )),
    }
}

/// The label parts of a domain name are letters (also æ, ø, å), digits and
/// hyphens; there are at least two; the last is not only digits.
fn check_domain(host: &str) -> Result<(), DomainProblem> {
    if host.chars().count() > 253 {
        return Err(DomainProblem::TooLong);
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return Err(DomainProblem::NoDot);
    }
    for label in &labels {
        if label.is_empty() {
            return Err(DomainProblem::EmptyLabel);
        }
        if label.chars().count() > 63
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err(DomainProblem::BadCharacters);
        }
    }
    let top = labels[labels.len() - 1];
    if top.chars().all(|c| c.is_ascii_digit()) || top.chars().count() < 2 {
        return Err(DomainProblem::BadTopLevel);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DomainProblem {
    TooLong,
    NoDot,
    EmptyLabel,
    BadCharacters,
    BadTopLevel,
}

/// Characters that cannot stand unencoded in a web address and would only
/// confuse: quotes, angle brackets and the like.
fn is_forbidden_in_address(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '\\' | '{' | '}' | '|' | '^')
}

/// A web address that is served over https and names a host with a dot.
/// Typed without a scheme it gets `https://`; `http://` is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HttpsUrl(String);

impl HttpsUrl {
    pub const MAX_CHARS: usize = 300;
    const EXAMPLE: &'static str = "https://www.eksempel.dk";

    pub fn parse(input: &str) -> Result<Self, String> {
        let example = Self::EXAMPLE;
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(format!("Skriv adressen på hjemmesiden, fx {example}."));
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(format!(
                "Webadressen må ikke indeholde mellemrum. Skriv den fx som {example}."
            ));
        }
        if let Some(c) = trimmed.chars().find(|c| is_forbidden_in_address(*c)) {
            let shown = if c.is_control() {
                "et usynligt tegn".to_string()
            } else {
                format!("tegnet «{c}»")
            };
            return Err(format!(
                "Webadressen indeholder {shown}, som ikke kan bruges i en webadresse. Skriv den fx som {example}."
            ));
        }
        // ASCII lowercasing keeps byte offsets, so slices of `lowered` fit `trimmed`.
        let lowered = trimmed.to_ascii_lowercase();
        let rest = if lowered.starts_with("https://") {
            &trimmed["https://".len()..]
        } else if lowered.starts_with("http://") {
            return Err(format!(
                "Webadressen skal begynde med https:// (sikker forbindelse), ikke http://. Tjek at hjemmesiden kan åbnes med https://, og skriv fx {example}."
            ));
        } else if lowered.find("://").is_some_and(|pos| {
            lowered[..pos]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }) {
            return Err(format!("Webadressen skal begynde med https://, fx {example}."));
        } else if let Some(rest) = trimmed.strip_prefix("//") {
            rest
        } else {
            trimmed
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(format!(
                "Webadressen må ikke indeholde @. Er det en e-mailadresse? Skriv adressen på hjemmesiden, fx {example}."
            ));
        }
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if let Some(port) = port {
            let valid = !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
            if !valid {
                return Err(format!("Webadressen kan ikke læses. Skriv den fx som {example}."));
            }
        }
        let host = host.to_lowercase();
        if let Err(problem) = check_domain(&host) {
            return Err(match problem {
                DomainProblem::NoDot | DomainProblem::BadTopLevel | DomainProblem::EmptyLabel => {
                    format!(
                        "Webadressen skal indeholde et domænenavn med punktum, fx {example}."
                    )
                }
                DomainProblem::BadCharacters | DomainProblem::TooLong => format!(
                    "Domænenavnet i webadressen må kun indeholde bogstaver, tal, bindestreger og punktummer, fx {example}."
                ),
            });
        }
        let url = match port {
            Some(port) => format!("https://{host}:{port}{path}"),
            None => format!("https://{host}{path}"),
        };
        let count = url.chars().count();
        if count > Self::MAX_CHARS {
            return Err(format!(
                "Webadressen må højst være {} tegn. Den har {count}. Brug en kortere adresse, fx forsiden.",
                Self::MAX_CHARS
            ));
        }
        Ok(HttpsUrl(url))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address without `https://` and a lone trailing `/`, for link texts.
    pub fn without_scheme(&self) -> &str {
        let rest = self.0.strip_prefix("https://").unwrap_or(&self.0);
        rest.strip_suffix('/')
            .filter(|r| !r.contains('/'))
            .unwrap_or(rest)
    }
}

impl TryFrom<String> for HttpsUrl {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<HttpsUrl> for String {
    fn from(url: HttpsUrl) -> String {
        url.0
    }
}

impl fmt::Display for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address, checked simply and robustly and stored in lowercase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;
    const EXAMPLE: &'static str = "kontakt@eksempel.dk";

    pub fn parse(input: &str) -> Result<Self, String> {
        let example = Self::EXAMPLE;
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(format!("Skriv e-mailadressen, fx {example}."));
        }
        let count = address.chars().count();
        if count > Self::MAX_CHARS {
            return Err(format!(
                "E-mailadressen må højst være {} tegn. Du har skrevet {count}.",
                Self::MAX_CHARS
            ));
        }
        if address.chars().any(char::is_whitespace) {
            return Err(format!(
                "E-mailadressen må ikke indeholde mellemrum. Skriv den fx som {example}."
            ));
        }
        if let Some(c) = address.chars().find(|c| {
            c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | '\\' | ',' | ';' | ':' | '"'
                )
        }) {
            let shown = if c.is_control() {
                "et usynligt tegn".to_string()
            } else {
                format!("tegnet «{c}»")
            };
            return Err(format!(
                "E-mailadressen indeholder {shown}, som ikke kan bruges. Skriv den fx som {example}."
            ));
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(format!("E-mailadressen skal indeholde et @, fx {example}."));
        };
        if domain.contains('@') {
            return Err(format!("E-mailadressen må kun indeholde ét @, fx {example}."));
        }
        if local.is_empty() {
            return Err(format!(
                "Skriv også det, der står før @ i e-mailadressen, fx {example}."
            ));
        }
        if local.chars().count() > 64 {
            return Err("Delen før @ i e-mailadressen må højst være 64 tegn.".into());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(format!(
                "Delen før @ i e-mailadressen må ikke begynde eller slutte med punktum eller have to punktummer i træk, fx {example}."
            ));
        }
        if check_domain(domain).is_err() {
            return Err(format!(
                "Delen efter @ i e-mailadressen skal være et domænenavn med punktum, fx {example}."
            ));
        }
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Danish phone number: eight digits, not starting with 0 or 1, shown as
/// `23 45 67 89`. A `+45` or `0045` prefix, spaces and hyphens are accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    const EXAMPLE: &'static str = "23 45 67 89";

    pub fn parse(input: &str) -> Result<Self, String> {
        let example = Self::EXAMPLE;
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(format!("Skriv telefonnummeret, fx {example}."));
        }
        let compact: String = trimmed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = compact
            .strip_prefix("+45")
            .or_else(|| compact.strip_prefix("0045"))
            .unwrap_or(&compact);
        if digits.starts_with('+') || (digits.starts_with("00") && digits.len() > 8) {
            return Err(format!(
                "Skriv et dansk telefonnummer med 8 cifre, fx {example}. Landekoden +45 kan udelades."
            ));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "Telefonnummeret må kun indeholde tal og mellemrum, fx {example}."
            ));
        }
        if digits.len() != 8 {
            return Err(format!(
                "Telefonnummeret skal være 8 cifre, fx {example}. Du har skrevet {} cifre.",
                digits.len()
            ));
        }
        if digits.starts_with(['0', '1']) {
            return Err(format!(
                "Et dansk telefonnummer kan ikke begynde med 0 eller 1. Skriv de 8 cifre, fx {example}."
            ));
        }
        Ok(PhoneNumber(digits.to_string()))
    }

    /// The eight digits without spaces.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// A `tel:` link target with the country code: `tel:+4523456789`.
    pub fn tel_uri(&self) -> String {
        format!("tel:+45{}", self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> String {
        phone.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        if d.len() == 8 && d.is_ascii() {
            write!(f, "{} {} {} {}", &d[0..2], &d[2..4], &d[4..6], &d[6..8])
        } else {
            f.write_str(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_and_kroner() {
        assert_eq!(format_thousands(0), "0");
        assert_eq!(format_thousands(999), "999");
        assert_eq!(format_thousands(1000), "1.000");
        assert_eq!(format_thousands(1250), "1.250");
        assert_eq!(format_thousands(100_000), "100.000");
        assert_eq!(format_thousands(1_234_567), "1.234.567");
        assert_eq!(format_kroner(850), "850 kr.");
        assert_eq!(format_kroner(1250), "1.250 kr.");
    }

    #[test]
    fn whole_numbers() {
        for (input, expected) in [
            ("0", 0),
            ("850", 850),
            (" 850 ", 850),
            ("1.250", 1250),
            ("1 250", 1250),
            ("1\u{a0}250", 1250),
            ("100.000", 100_000),
            ("1.000.000", 1_000_000),
            ("850,00", 850),
            ("850,0", 850),
            ("850,-", 850),
            ("1.250,00", 1250),
            ("+12", 12),
            ("007", 7),
        ] {
            assert_eq!(parse_whole_number(input), Ok(expected), "{input}");
        }
        use NumberProblem::*;
        for (input, problem) in [
            ("", Empty),
            ("   ", Empty),
            ("-5", Negative),
            ("− 5", Negative),
            ("-", NotANumber),
            ("12,5", Fraction),
            ("12,50", Fraction),
            ("12.5", Fraction),
            ("12.50", Fraction),
            ("1.2345", NotANumber),
            ("1234.567", NotANumber),
            ("1..250", NotANumber),
            ("1.250.", NotANumber),
            (".250", NotANumber),
            ("12,5,0", NotANumber),
            ("tolv", NotANumber),
            ("12a", NotANumber),
            ("1e3", NotANumber),
            ("١٢", NotANumber),
            ("9999999999999999999999", TooLarge),
        ] {
            assert_eq!(parse_whole_number(input), Err(problem), "{input}");
        }
    }

    #[test]
    fn kroner() {
        for (input, expected) in [
            ("850", 850),
            ("850 kr.", 850),
            ("850 kr", 850),
            ("850kr.", 850),
            ("kr. 850", 850),
            ("850 DKK", 850),
            ("1.250", 1250),
            ("850,00", 850),
            ("850,00 kr.", 850),
            ("850,-", 850),
            ("0", 0),
            ("5.000", 5000),
        ] {
            assert_eq!(parse_kroner(input, 5000, "Prisen"), Ok(expected), "{input}");
        }
        assert!(parse_kroner("-850", 5000, "Prisen")
            .unwrap_err()
            .contains("negativ"));
        assert!(parse_kroner("850,50", 5000, "Prisen")
            .unwrap_err()
            .contains("uden øre"));
        assert!(parse_kroner("5001", 5000, "Prisen")
            .unwrap_err()
            .contains("mellem 0 og 5.000 kr."));
        assert!(parse_kroner("otte hundrede", 5000, "Prisen")
            .unwrap_err()
            .contains("tal"));
        assert!(parse_kroner("kr.", 5000, "Prisen")
            .unwrap_err()
            .contains("Skriv beløbet"));
    }

    #[test]
    fn https_urls() {
        for (input, expected) in [
            ("https://www.eksempel.dk", "https://www.eksempel.dk"),
            ("www.eksempel.dk", "https://www.eksempel.dk"),
            ("eksempel.dk", "https://eksempel.dk"),
            ("HTTPS://WWW.Eksempel.DK/Om-Os", "https://www.eksempel.dk/Om-Os"),
            ("  eksempel.dk/side?x=1#top ", "https://eksempel.dk/side?x=1#top"),
            ("//eksempel.dk", "https://eksempel.dk"),
            ("https://eksempel.dk:8443/", "https://eksempel.dk:8443/"),
            ("børnehaven-æblehaven.dk", "https://børnehaven-æblehaven.dk"),
            ("https://xn--brnehaven-d6a.dk", "https://xn--brnehaven-d6a.dk"),
            (
                "eksempel.dk/videre?til=https://andet.dk",
                "https://eksempel.dk/videre?til=https://andet.dk",
            ),
        ] {
            assert_eq!(HttpsUrl::parse(input).unwrap().as_str(), expected, "{input}");
        }
        let url = HttpsUrl::parse("www.eksempel.dk/").unwrap();
        assert_eq!(url.without_scheme(), "www.eksempel.dk");
        let url = HttpsUrl::parse("www.eksempel.dk/om/").unwrap();
        assert_eq!(url.without_scheme(), "www.eksempel.dk/om/");

        assert!(HttpsUrl::parse("").unwrap_err().contains("Skriv adressen"));
        assert!(HttpsUrl::parse("http://eksempel.dk")
            .unwrap_err()
            .contains("https://"));
        assert!(HttpsUrl::parse("HTTP://eksempel.dk")
            .unwrap_err()
            .contains("ikke http://"));
        assert!(HttpsUrl::parse("ftp://eksempel.dk")
            .unwrap_err()
            .contains("begynde med https://"));
        assert!(HttpsUrl::parse("eksempel").unwrap_err().contains("punktum"));
        assert!(HttpsUrl::parse("localhost:8080").is_err());
        assert!(HttpsUrl::parse("https://10.0.0.1").is_err());
        assert!(HttpsUrl::parse("eksempel.dk.").is_err());
        assert!(HttpsUrl::parse("eks..empel.dk").is_err());
        assert!(HttpsUrl::parse("-eksempel.dk").is_err());
        assert!(HttpsUrl::parse("eksempel.dk:0").is_err());
        assert!(HttpsUrl::parse("eksempel.dk:99999").is_err());
        assert!(HttpsUrl::parse("eksempel.dk:").is_err());
        assert!(HttpsUrl::parse("kontakt@eksempel.dk")
            .unwrap_err()
            .contains("e-mailadresse"));
        assert!(HttpsUrl::parse("https://google.com@evil.dk").is_err());
        assert!(HttpsUrl::parse("javascript:alert(1)").is_err());
        assert!(HttpsUrl::parse("data:text/html,<script>").is_err());
        assert!(HttpsUrl::parse("www.eksempel .dk")
            .unwrap_err()
            .contains("mellemrum"));
        assert!(HttpsUrl::parse("eksempel.dk/\"onmouseover=\"x")
            .unwrap_err()
            .contains("«\"»"));
        assert!(HttpsUrl::parse("eksempel.dk/<script>").is_err());
        assert!(HttpsUrl::parse("eksempel.dk/\u{7}")
            .unwrap_err()
            .contains("usynligt"));

        let path = "a".repeat(HttpsUrl::MAX_CHARS - "https://eksempel.dk/".len());
        assert!(HttpsUrl::parse(&format!("eksempel.dk/{path}")).is_ok());
        assert!(HttpsUrl::parse(&format!("eksempel.dk/{path}a"))
            .unwrap_err()
            .contains("højst være 300 tegn"));
    }

    #[test]
    fn https_url_serde_validates() {
        let url: HttpsUrl = serde_json::from_str("\"https://eksempel.dk\"").unwrap();
        assert_eq!(serde_json::to_string(&url).unwrap(), "\"https://eksempel.dk\"");
        assert!(serde_json::from_str::<HttpsUrl>("\"http://eksempel.dk\"").is_err());
    }

    #[test]
    fn emails() {
        for (input, expected) in [
            ("kontakt@eksempel.dk", "kontakt@eksempel.dk"),
            (" Kontakt@Eksempel.DK ", "kontakt@eksempel.dk"),
            ("a.b+c@sub.eksempel.dk", "a.b+c@sub.eksempel.dk"),
            ("ærlig@børnehus.dk", "ærlig@børnehus.dk"),
        ] {
            assert_eq!(Email::parse(input).unwrap().as_str(), expected, "{input}");
        }
        assert!(Email::parse("").unwrap_err().contains("Skriv e-mailadressen"));
        assert!(Email::parse("kontakt.eksempel.dk").unwrap_err().contains("et @"));
        assert!(Email::parse("a@b@eksempel.dk").unwrap_err().contains("ét @"));
        assert!(Email::parse("@eksempel.dk").unwrap_err().contains("før @"));
        assert!(Email::parse("kontakt@eksempel").unwrap_err().contains("efter @"));
        assert!(Email::parse("kontakt@.dk").is_err());
        assert!(Email::parse("kontakt@eksempel.dk.").is_err());
        assert!(Email::parse("kontakt@").is_err());
        assert!(Email::parse("kon takt@eksempel.dk")
            .unwrap_err()
            .contains("mellemrum"));
        assert!(Email::parse("<kontakt@eksempel.dk>").unwrap_err().contains("«<»"));
        assert!(Email::parse(".kontakt@eksempel.dk").is_err());
        assert!(Email::parse("kon..takt@eksempel.dk").is_err());
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@eksempel.dk")).is_ok());
        assert!(Email::parse(&format!("{local}a@eksempel.dk"))
            .unwrap_err()
            .contains("64"));
        let long_domain = format!("{}.dk", ["abcdefghij"; 25].join("."));
        assert!(Email::parse(&format!("a@{long_domain}"))
            .unwrap_err()
            .contains("højst være 254"));
    }

    #[test]
    fn phone_numbers() {
        for input in [
            "23456789",
            "23 45 67 89",
            " 2345 6789 ",
            "+45 23 45 67 89",
            "+4523456789",
            "0045 23456789",
            "23-45-67-89",
        ] {
            let phone = PhoneNumber::parse(input).unwrap();
            assert_eq!(phone.digits(), "23456789", "{input}");
            assert_eq!(phone.to_string(), "23 45 67 89");
            assert_eq!(phone.tel_uri(), "tel:+4523456789");
        }
        assert!(PhoneNumber::parse("").unwrap_err().contains("Skriv"));
        assert!(PhoneNumber::parse("2345678")
            .unwrap_err()
            .contains("Telefonnummeret skal være 8 cifre"));
        assert!(PhoneNumber::parse("234567890").unwrap_err().contains("9 cifre"));
        assert!(PhoneNumber::parse("03456789").unwrap_err().contains("0 eller 1"));
        assert!(PhoneNumber::parse("12 34 56 78")
            .unwrap_err()
            .contains("0 eller 1"));
        assert!(PhoneNumber::parse("+46 23456789").unwrap_err().contains("dansk"));
        assert!(PhoneNumber::parse("0046 23456789").is_err());
        assert!(PhoneNumber::parse("2345678a")
            .unwrap_err()
            .contains("kun indeholde tal"));
        assert!(PhoneNumber::parse("(+45) 23456789").is_err());
        assert!(PhoneNumber::parse("٢٣٤٥٦٧٨٩").is_err());
    }
}
