//! The rules for a password a person chooses (ASVS 5.0 V6.2).

/// Common and breached passwords, lowercased, one per line. Only the server
/// carries the list (75 KB); the browser runs every other rule.
#[cfg(feature = "ssr")]
const COMMON_PASSWORDS: &str = include_str!("../../../data/common-passwords.txt");

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 256;

#[cfg(feature = "ssr")]
fn is_common(candidate: &str) -> bool {
    let lowered = candidate.to_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line == lowered)
}

#[cfg(not(feature = "ssr"))]
fn is_common(_candidate: &str) -> bool {
    false
}

/// Check a new password. `user_name` is the institution number or e-mail the
/// password must not repeat. Returns the Danish message for the field on error.
pub fn check_new_password(password: &str, user_name: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err("Skriv en ny adgangskode.".into());
    }
    if chars < MIN_CHARS {
        return Err(format!(
            "Adgangskoden skal være mindst {MIN_CHARS} tegn. Du har skrevet {chars}. Brug fx nogle ord i en sætning."
        ));
    }
    if chars > MAX_CHARS {
        return Err(format!("Adgangskoden må højst være {MAX_CHARS} tegn."));
    }
    let lowered = password.to_lowercase();
    let user = user_name.trim().to_lowercase();
    if !user.is_empty() && (lowered == user || lowered.contains(&user)) {
        return Err("Adgangskoden må ikke indeholde dit institutionsnummer eller din e-mailadresse.".into());
    }
    if is_common(password) {
        return Err(
            "Adgangskoden er for almindelig og let at gætte. Vælg en anden, fx nogle ord i en sætning."
                .into(),
        );
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(c))
    {
        return Err("Adgangskoden må ikke bestå af ét tegn gentaget. Vælg en anden.".into());
    }
    Ok(())
}

/// Check that the repeated password matches.
pub fn check_repeat(password: &str, repeat: &str) -> Result<(), String> {
    if repeat.is_empty() {
        Err("Gentag den nye adgangskode.".into())
    } else if password != repeat {
        Err("De to adgangskoder er ikke ens. Skriv den samme adgangskode i begge felter.".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits() {
        assert!(check_new_password("", "G10234").unwrap_err().contains("Skriv"));
        assert!(check_new_password("kort-kode12", "G10234")
            .unwrap_err()
            .contains("mindst 12"));
        assert!(check_new_password("solsikker i vinden", "G10234").is_ok());
        let long = "æ".repeat(MAX_CHARS);
        assert!(check_new_password(&long, "G10234")
            .unwrap_err()
            .contains("gentaget"));
        let too_long = "abcæøå".repeat(50);
        assert!(check_new_password(&too_long, "G10234")
            .unwrap_err()
            .contains("højst"));
        let just_right = "hest og ko ".repeat(11);
        assert!(check_new_password(&just_right[..MAX_CHARS.min(just_right.len())], "G10234").is_ok());
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn not_the_user_name_nor_common() {
        assert!(check_new_password("g10234g10234", "G10234")
            .unwrap_err()
            .contains("institutionsnummer"));
        assert!(check_new_password("admin@kommune.dk!", "admin@kommune.dk").is_err());
        assert!(check_new_password("passwordpassword", "G10234")
            .unwrap_err()
            .contains("almindelig"));
        assert!(check_new_password("Qwerty123456", "G10234")
            .unwrap_err()
            .contains("almindelig"));
    }

    #[test]
    fn repeat_must_match() {
        assert!(check_repeat("en lang adgangskode", "en lang adgangskode").is_ok());
        assert!(check_repeat("en lang adgangskode", "")
            .unwrap_err()
            .contains("Gentag"));
        assert!(check_repeat("en lang adgangskode", "en anden")
            .unwrap_err()
            .contains("ikke ens"));
    }
}
