//! Where the demo's invented institutions lie: around each kommune's main
//! town (`data/kommune_placering.csv`, about 5 km accurate), per postal
//! district, the same on every run.

use std::collections::BTreeMap;

use app::domain::position::Position;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{read_csv, PostnummerRow, SeedError, SEED};

/// Roughly where each kommune's main town lies; the demo places its
/// institutions around it.
pub(super) const PLACERING_CSV: &str = include_str!("../../../data/kommune_placering.csv");

#[derive(Debug, Clone, serde::Deserialize)]
pub(super) struct PlaceringRow {
    pub kode: i16,
    pub breddegrad: f64,
    pub laengdegrad: f64,
}

/// A point `north_km` and `east_km` from `from`, kept inside Denmark.
pub(super) fn moved(from: Position, north_km: f64, east_km: f64) -> Position {
    const KM_PER_DEGREE: f64 = 111.32;
    let lat = from.breddegrad + north_km / KM_PER_DEGREE;
    let lon = from.laengdegrad + east_km / (KM_PER_DEGREE * from.breddegrad.to_radians().cos());
    Position::new(lat, lon).unwrap_or(from)
}

/// A random offset of at most `radius_km`, evenly spread over the disc.
pub(super) fn scatter(rng: &mut ChaCha8Rng, from: Position, radius_km: f64) -> Position {
    let angle = rng.random_range(0.0..std::f64::consts::TAU);
    let distance = radius_km * rng.random_range(0.0f64..1.0).sqrt();
    moved(from, distance * angle.sin(), distance * angle.cos())
}

/// How far a demo postal district's centre lies from its kommune's main
/// town, and how far an institution from its district's centre.
pub(super) const DISTRICT_RADIUS_KM: f64 = 2.5;
pub(super) const INSTITUTION_RADIUS_KM: f64 = 0.8;

/// Invented but plausible centres of each kommune's postal districts: around
/// the kommune's main town, the same on every run.
pub(super) fn district_centres(
    placering: &BTreeMap<i16, Position>,
    postnumre: &BTreeMap<i16, Vec<PostnummerRow>>,
) -> Result<BTreeMap<(i16, i16), Position>, SeedError> {
    let mut centres = BTreeMap::new();
    for (kode, districts) in postnumre {
        let town = *placering.get(kode).ok_or_else(|| SeedError::Data {
            file: "kommune_placering.csv",
            reason: format!("no position for kommune {kode}"),
        })?;
        for district in districts {
            let mut rng = ChaCha8Rng::seed_from_u64(
                SEED ^ (u64::from(district.postnummer as u16) << 16 | u64::from(*kode as u16)),
            );
            centres.insert(
                (*kode, district.postnummer),
                scatter(&mut rng, town, DISTRICT_RADIUS_KM),
            );
        }
    }
    Ok(centres)
}

/// Each kommune's main town (`kommune_placering.csv`).
pub(super) fn kommune_towns() -> Result<BTreeMap<i16, Position>, SeedError> {
    read_csv::<PlaceringRow>("kommune_placering.csv", PLACERING_CSV)?
        .into_iter()
        .map(|row| {
            Position::new(row.breddegrad, row.laengdegrad)
                .map(|p| (row.kode, p))
                .ok_or_else(|| SeedError::Data {
                    file: "kommune_placering.csv",
                    reason: format!("kommune {} lies outside Denmark", row.kode),
                })
        })
        .collect()
}
