use std::fmt;

use serde::{Deserialize, Serialize};

/// A kommune's three-digit code (e.g. 101 København, 746 Skanderborg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i16", into = "i16")]
pub struct Kommunekode(i16);

impl Kommunekode {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Kommunekoden skal være tre cifre, fx 101.".into());
        }
        let code: i16 = trimmed
            .parse()
            .map_err(|_| "Kommunekoden skal være tre cifre, fx 101.".to_string())?;
        Self::try_from(code)
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

impl TryFrom<i16> for Kommunekode {
    type Error = String;

    fn try_from(code: i16) -> Result<Self, Self::Error> {
        // Real codes run from 101 (København) to 860 (Hjørring); 411 is Christiansø, not a kommune.
        if (101..=860).contains(&code) && code != 411 {
            Ok(Kommunekode(code))
        } else {
            Err("Kommunekoden findes ikke. Brug en af de 98 kommuners koder, fx 101.".into())
        }
    }
}

impl From<Kommunekode> for i16 {
    fn from(code: Kommunekode) -> i16 {
        code.0
    }
}

impl fmt::Display for Kommunekode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_three_digits_in_range() {
        assert_eq!(Kommunekode::parse("101").unwrap().get(), 101);
        assert_eq!(Kommunekode::parse(" 860 ").unwrap().to_string(), "860");
    }

    #[test]
    fn rejects_wrong_shape_and_christianso() {
        assert!(Kommunekode::parse("10").is_err());
        assert!(Kommunekode::parse("1010").is_err());
        assert!(Kommunekode::parse("abc").is_err());
        assert!(Kommunekode::parse("411").is_err());
        assert!(Kommunekode::parse("100").is_err());
        assert!(Kommunekode::parse("861").is_err());
    }
}
