//! The demo's kommunal dagpleje: about half of the kommuner (always the demo
//! kommune, Skanderborg) have one to three invented dagplejeområder, each
//! covering some of the kommune's postnumre, with its dagplejekontor's
//! address and position. Their sections come from `reports.rs` like the
//! institutions', always saved by the kommune.

use std::collections::BTreeMap;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use app::domain::position::Position;

use super::{PostnummerRow, SEED};

/// One invented dagplejeområde, ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoArea {
    pub nummer: String,
    pub navn: String,
    pub kommunekode: i16,
    pub vejnavn: &'static str,
    pub husnummer: String,
    pub postnummer: i16,
    pub postby: String,
    pub omraade_postnumre: Vec<i16>,
    pub dagplejere: i32,
    pub position: Option<Position>,
}

const OFFICE_STREETS: &[&str] = &["Rådhusvej", "Torvet", "Skolegade", "Kirkevej", "Stationsvej"];

/// The demo's dagplejeområder, the same on every run. `centres` places a
/// postal district (see `district_centres`).
pub fn generate(
    kommuner: &[i16],
    postnumre: &BTreeMap<i16, Vec<PostnummerRow>>,
    centres: &BTreeMap<(i16, i16), Position>,
    demo_kommune: i16,
) -> Vec<DemoArea> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x0da9_91e5);
    let mut areas = Vec::new();
    for &kode in kommuner {
        let with_dagpleje = rng.random_bool(0.5);
        if kode != demo_kommune && !with_dagpleje {
            continue;
        }
        let Some(districts) = postnumre.get(&kode) else {
            continue;
        };
        let mut districts = districts.clone();
        districts.shuffle(&mut rng);
        let count = rng.random_range(1..=3).min(districts.len());
        let per_area = districts.len().div_ceil(count);
        for (index, chunk) in districts.chunks(per_area).enumerate() {
            let office = &chunk[0];
            let names: Vec<&str> = chunk.iter().take(2).map(|d| d.by.as_str()).collect();
            areas.push(DemoArea {
                nummer: format!("J{:03}{:02}", kode, index + 1),
                navn: format!("Dagplejen {}", names.join(" og ")),
                kommunekode: kode,
                vejnavn: OFFICE_STREETS.choose(&mut rng).copied().unwrap_or("Rådhusvej"),
                husnummer: rng.random_range(1..40).to_string(),
                postnummer: office.postnummer,
                postby: office.by.clone(),
                omraade_postnumre: chunk.iter().map(|d| d.postnummer).collect(),
                dagplejere: rng.random_range(6..=40),
                position: centres.get(&(kode, office.postnummer)).copied(),
            });
        }
    }
    areas
}
