//! The second factor of administrators: TOTP (RFC 6238, via `totp-rs`), its
//! QR code as SVG (via `qrcode`), and single-use recovery codes (server only).
//!
//! The shared secret is stored as it is (it has to be, to compute codes) and
//! is wrapped in [`TotpSecret`], whose `Debug` is redacted. Recovery codes
//! are 24 characters from the letter codes' alphabet (120 bits of randomness)
//! and are stored only as SHA-256: ASVS 5.0 (6.5.2) allows a plain hash for
//! lookup secrets of 112 bits or more, since nobody can guess through 2^120
//! values, while argon2 would make every attempt cost ten slow hashes.

use rand::Rng;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

use super::codes::{format_code, normalize_code};

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Dagtilbudsportalen";
/// Seconds per time step (RFC 6238's recommended value).
pub const STEP_SECS: i64 = 30;
/// Steps accepted on either side of the current one, for clocks a little off.
const SKEW_STEPS: i64 = 1;
/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at set-up.
pub const RECOVERY_CODES: usize = 10;
const RECOVERY_LEN: usize = 24;
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A TOTP shared secret. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret([skjult])")
    }
}

impl TotpSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rng().fill(&mut bytes[..]);
        TotpSecret(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        TotpSecret(bytes)
    }

    /// From its base32 text (as published for the demo accounts).
    pub fn from_base32(text: &str) -> Option<Self> {
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        totp_rs::Secret::Encoded(cleaned.to_uppercase())
            .to_bytes()
            .ok()
            .map(TotpSecret)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn totp(&self, account: &str) -> Option<TOTP> {
        // The label may not hold ':'; e-mail addresses never do.
        let account = account.replace(':', " ");
        TOTP::new(
            Algorithm::SHA1,
            6,
            0,
            STEP_SECS as u64,
            self.0.clone(),
            Some(ISSUER.to_string()),
            account,
        )
        .map_err(|error| tracing::error!(?error, "TOTP secret refused"))
        .ok()
    }

    /// The base32 text for typing into an app, in groups of four.
    pub fn grouped_base32(&self) -> String {
        let text = base32_text(&self.0);
        text.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://` URI that the QR code holds.
    pub fn uri(&self, account: &str) -> Option<String> {
        self.totp(account).map(|t| t.get_url())
    }

    /// The code of time step `step`.
    pub fn code_at_step(&self, step: i64) -> Option<String> {
        let time = u64::try_from(step.checked_mul(STEP_SECS)?).ok()?;
        self.totp("").map(|t| t.generate(time))
    }

    /// The code at unix time `unix` (for tests and the demo).
    pub fn code_at(&self, unix: i64) -> Option<String> {
        self.code_at_step(unix.div_euclid(STEP_SECS))
    }

    /// The time step of `code` near unix time `unix` (one step either side),
    /// the latest if more than one matches; compared in constant time.
    pub fn matching_step(&self, code: &str, unix: i64) -> Option<i64> {
        let totp = self.totp("")?;
        let now = unix.div_euclid(STEP_SECS);
        (now - SKEW_STEPS..=now + SKEW_STEPS)
            .rev()
            .filter(|step| *step >= 0)
            .find(|step| totp.check(code, (*step * STEP_SECS) as u64))
    }
}

fn base32_text(bytes: &[u8]) -> String {
    // Through totp-rs, which encodes RFC 4648 base32 without padding.
    TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes.to_vec(), None, String::new()).get_secret_base32()
}

/// A code as typed into the code field: digits only, spaces removed. `None`
/// unless it is six digits.
pub fn normalize_totp(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The QR code of `uri` as an SVG element: attributes only (no style, no
/// script), so it passes a strict Content Security Policy.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|error| tracing::error!(?error, "QR code could not be made"))
        .ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // Inline in HTML: without the XML declaration, and labelled for screen readers.
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR-kode til godkendelsesappen\" focusable=\"false\" ",
        1,
    ))
}

/// Ten new recovery codes, as shown (`ABCD-EFGH-JKLM-NPQR-STUV-WXYZ`).
pub fn generate_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let code: String = (0..RECOVERY_LEN)
                .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
                .collect();
            format_code(&code)
        })
        .collect()
}

/// A recovery code as typed, normalised; `None` unless it has the form of one.
pub fn normalize_recovery(input: &str) -> Option<String> {
    let code = normalize_code(input);
    (code.len() == RECOVERY_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// What is stored of a recovery code: SHA-256 of its normalised form.
pub fn recovery_hash(code: &str) -> Vec<u8> {
    Sha256::digest(normalize_code(code).as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (the 8-digit codes' last six digits).
    #[test]
    fn codes_match_rfc_6238_test_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        for (time, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(secret.code_at(time).as_deref(), Some(code), "time {time}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_000;
        let step = now / STEP_SECS;
        let code = secret.code_at(now).unwrap();
        assert_eq!(secret.matching_step(&code, now), Some(step));
        assert_eq!(secret.matching_step(&code, now + STEP_SECS), Some(step));
        assert_eq!(secret.matching_step(&code, now - STEP_SECS), Some(step));
        assert_eq!(secret.matching_step("12345", now), None);
        // Two steps away it no longer counts (a fixed secret: no chance match).
        let rfc = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        assert_eq!(
            rfc.matching_step("050471", 1111111111),
            Some(1111111111 / STEP_SECS)
        );
        assert_eq!(rfc.matching_step("050471", 1111111111 + 2 * STEP_SECS), None);
        assert_eq!(rfc.matching_step("050471", 1111111111 - 2 * STEP_SECS), None);
    }

    #[test]
    fn secrets_are_random_redacted_and_round_trip_through_base32() {
        let secret = TotpSecret::generate();
        assert_eq!(secret.as_bytes().len(), SECRET_BYTES);
        assert_ne!(secret, TotpSecret::generate());
        let grouped = secret.grouped_base32();
        assert_eq!(grouped.len(), 32 + 7, "{grouped}");
        assert!(grouped.split(' ').all(|g| g.len() == 4));
        assert_eq!(
            TotpSecret::from_base32(&grouped.to_lowercase()),
            Some(secret.clone())
        );
        let shown = format!("{secret:?}");
        assert!(!shown.contains(&grouped.replace(' ', "")[..8]), "{shown}");
        assert_eq!(shown, "TotpSecret([skjult])");
    }

    #[test]
    fn the_uri_and_qr_code_carry_the_secret_without_styles() {
        let secret = TotpSecret::generate();
        let uri = secret.uri("ida@kommune.example").unwrap();
        let plain = secret.grouped_base32().replace(' ', "");
        assert!(
            uri.starts_with("otpauth://totp/Dagtilbudsportalen:ida%40kommune.example?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={plain}")), "{uri}");
        assert!(uri.contains("issuer=Dagtilbudsportalen"), "{uri}");
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("style"), "no inline styles under the CSP");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("fill=\"#000000\""));
    }

    #[test]
    fn totp_input_is_six_digits() {
        assert_eq!(normalize_totp(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalize_totp("12345"), None);
        assert_eq!(normalize_totp("12345a"), None);
        assert_eq!(normalize_totp("1234567"), None);
    }

    #[test]
    fn recovery_codes_are_many_distinct_and_hash_as_typed() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 29, "{code}");
        assert!(normalize_recovery(&code.to_lowercase().replace('-', " ")).is_some());
        assert_eq!(recovery_hash(code), recovery_hash(&code.to_lowercase()));
        assert_eq!(recovery_hash(code).len(), 32);
        assert_ne!(recovery_hash(code), recovery_hash(&codes[1]));
        assert_eq!(normalize_recovery("ABCD-EFGH-JKLM"), None);
        assert_eq!(
            normalize_recovery("ABCD-EFGH-JKLM-NPQR-STUV-WXY1"),
            None,
            "1 is not in the alphabet"
        );
        assert!(normalize_recovery("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ").is_some());
    }
}
