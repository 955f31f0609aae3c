//! Where an institution lies: a point in Denmark in WGS 84 degrees, and the
//! straight-line distances the portal shows ("1,2 km i lige linje").

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Southernmost and northernmost latitude taken (Gedser to Skagen, with a margin).
pub const BREDDEGRAD: (f64, f64) = (54.5, 57.8);
/// Westernmost and easternmost longitude taken (Blåvandshuk to Christiansø).
pub const LAENGDEGRAD: (f64, f64) = (8.0, 15.3);

/// A point in Denmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub breddegrad: f64,
    pub laengdegrad: f64,
}

/// A coordinate as a Danish user or file writes it: decimal comma or point.
fn degrees(input: &str) -> Option<f64> {
    let number: f64 = input.trim().replace(',', ".").parse().ok()?;
    number.is_finite().then_some(number)
}

/// `value` in Danish notation with the given decimals, e.g. `55,6761`.
pub fn danish_decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

impl Position {
    /// A point given in degrees, if it lies in Denmark.
    pub fn new(breddegrad: f64, laengdegrad: f64) -> Option<Position> {
        let inside = |v: f64, (low, high): (f64, f64)| v.is_finite() && (low..=high).contains(&v);
        (inside(breddegrad, BREDDEGRAD) && inside(laengdegrad, LAENGDEGRAD)).then_some(Position {
            breddegrad,
            laengdegrad,
        })
    }

    /// The optional position of a form: both fields empty is none; otherwise
    /// both must be numbers inside Denmark. Errors are keyed by `fields`
    /// (latitude's, longitude's).
    pub fn parse_optional(
        breddegrad: &str,
        laengdegrad: &str,
        fields: (&str, &str),
    ) -> Result<Option<Position>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if breddegrad.trim().is_empty() && laengdegrad.trim().is_empty() {
            return Ok(None);
        }
        let mut one = |field: &str, input: &str, what: &str, (low, high): (f64, f64), example: &str| {
            if input.trim().is_empty() {
                errors.insert(
                    field.to_string(),
                    format!("Skriv også {what}, eller tøm begge felter for placeringen. Fx {example}."),
                );
                return None;
            }
            match degrees(input) {
                Some(v) if (low..=high).contains(&v) => Some(v),
                Some(_) => {
                    errors.insert(
                        field.to_string(),
                        format!(
                            "{} skal ligge i Danmark, mellem {} og {} grader. Fx {example}.",
                            capitalised(what),
                            danish_decimal(low, 1),
                            danish_decimal(high, 1)
                        ),
                    );
                    None
                }
                None => {
                    errors.insert(
                        field.to_string(),
                        format!("Skriv {what} som et decimaltal i grader, fx {example}."),
                    );
                    None
                }
            }
        };
        let lat = one(fields.0, breddegrad, "breddegraden", BREDDEGRAD, "56,0392");
        let lon = one(fields.1, laengdegrad, "længdegraden", LAENGDEGRAD, "9,9285");
        match (lat, lon) {
            (Some(lat), Some(lon)) if errors.is_empty() => Ok(Position::new(lat, lon)),
            _ => Err(errors),
        }
    }

    /// The great-circle distance in metres (haversine, mean earth radius).
    pub fn distance_m(&self, other: &Position) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_000.0;
        let (a, b) = (self.breddegrad.to_radians(), other.breddegrad.to_radians());
        let dlat = b - a;
        let dlon = (other.laengdegrad - self.laengdegrad).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + a.cos() * b.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().asin()
    }

    /// The fields of a form, `55,6761`, as typed by people.
    pub fn form_values(position: Option<Position>) -> (String, String) {
        position
            .map(|p| (danish_decimal(p.breddegrad, 6), danish_decimal(p.laengdegrad, 6)))
            .unwrap_or_default()
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A distance as the portal shows it: `0,4 km`, `1,2 km`, `12 km`.
pub fn format_distance(metres: f64) -> String {
    let km = metres.max(0.0) / 1000.0;
    if km < 10.0 {
        format!("{} km", danish_decimal(km, 1))
    } else {
        format!("{} km", km.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_read_with_comma_or_point_and_must_lie_in_denmark() {
        let fields = ("lat", "lon");
        let p = Position::parse_optional("56,0392", " 9.9285 ", fields)
            .unwrap()
            .unwrap();
        assert_eq!((p.breddegrad, p.laengdegrad), (56.0392, 9.9285));
        assert_eq!(Position::parse_optional(" ", "", fields), Ok(None));
        let one_missing = Position::parse_optional("56,0", "", fields).unwrap_err();
        assert!(
            one_missing["lon"].contains("Skriv også længdegraden"),
            "{one_missing:?}"
        );
        let outside = Position::parse_optional("52,52", "13,40", fields).unwrap_err();
        assert!(outside["lat"].contains("Breddegraden skal ligge i Danmark, mellem 54,5 og 57,8"));
        assert!(!outside.contains_key("lon"));
        let text = Position::parse_optional("nord", "NaN", fields).unwrap_err();
        assert!(text["lat"].contains("decimaltal") && text["lon"].contains("decimaltal"));
    }

    #[test]
    fn distances_are_great_circle_metres_and_read_in_danish() {
        // Skanderborg to Aarhus C: about 21 km as the crow flies.
        let skanderborg = Position::new(56.0392, 9.9285).unwrap();
        let aarhus = Position::new(56.1567, 10.2108).unwrap();
        let d = skanderborg.distance_m(&aarhus);
        assert!((20_000.0..22_500.0).contains(&d), "{d}");
        assert_eq!(skanderborg.distance_m(&skanderborg), 0.0);
        assert_eq!(format_distance(1_249.0), "1,2 km");
        assert_eq!(format_distance(380.0), "0,4 km");
        assert_eq!(format_distance(12_600.0), "13 km");
        assert_eq!(Position::form_values(Some(skanderborg)).0, "56,039200");
    }
}
