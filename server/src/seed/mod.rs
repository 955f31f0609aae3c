//! Reference data (kommuner, postnumre) and the generated demo register.
//!
//! The register is invented but realistic: about 2,500 institutions spread
//! over the kommuner in proportion to their population, with Danish-looking
//! names, every type and ejerform, and real postnumre of each kommune. A
//! fixed seed makes it the same on every machine; inserting is idempotent.
//! The institutions' invented reports are in `reports.rs`.

pub mod accounts;
mod common_closing;
pub mod dagpleje;
mod phrases;
mod positions;
pub mod reports;
mod saving;

use accounts::DEMO_KOMMUNE;
pub use accounts::{demo_accounts, disable_demo_accounts, DemoLogin, DEMO_LOGINS, DEMO_TOTP_SECRET};
pub use common_closing::demo_common_closing;
use positions::{district_centres, kommune_towns, scatter, INSTITUTION_RADIUS_KM};
pub use saving::demo_reports;

use std::collections::{BTreeMap, HashSet};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::PgPool;

const KOMMUNER_CSV: &str = include_str!("../../../data/kommuner.csv");
const POSTNUMRE_CSV: &str = include_str!("../../../data/postnumre.csv");
const BEFOLKNING_CSV: &str = include_str!("../../../data/kommune_befolkning.csv");

/// How many institutions the demo register holds in all (before rounding per kommune).
pub const REGISTER_SIZE: usize = 2_500;
const SEED: u64 = 2018;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("bundled data file {file} is malformed: {reason}")]
    Data { file: &'static str, reason: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("hashing a demo password failed")]
    Hash,
    #[error("generating the demo reports failed: {0}")]
    Generate(String),
}

#[derive(Debug, Clone, serde::Deserialize)]
struct KommuneRow {
    kode: i16,
    navn: String,
    region: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct PostnummerRow {
    pub postnummer: i16,
    pub by: String,
    pub kommunekode: i16,
}

#[derive(Debug, Clone, serde::Deserialize)]
struct BefolkningRow {
    kode: i16,
    befolkning: u32,
}

fn read_csv<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<Vec<T>, SeedError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| SeedError::Data {
            file,
            reason: e.to_string(),
        })
}

/// Load the 98 kommuner and the postal districts. Safe to run at every start.
pub async fn reference_data(pool: &PgPool) -> Result<(), SeedError> {
    let kommuner: Vec<KommuneRow> = read_csv("kommuner.csv", KOMMUNER_CSV)?;
    let postnumre: Vec<PostnummerRow> = read_csv("postnumre.csv", POSTNUMRE_CSV)?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"INSERT INTO kommuner (kode, navn, region)
           SELECT * FROM UNNEST($1::smallint[], $2::text[], $3::text[])
           ON CONFLICT (kode) DO UPDATE SET navn = EXCLUDED.navn, region = EXCLUDED.region"#,
        &kommuner.iter().map(|k| k.kode).collect::<Vec<_>>(),
        &kommuner.iter().map(|k| k.navn.clone()).collect::<Vec<_>>(),
        &kommuner.iter().map(|k| k.region.clone()).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO postnumre (postnummer, navn, kommunekode)
           SELECT * FROM UNNEST($1::smallint[], $2::text[], $3::smallint[])
           ON CONFLICT (postnummer) DO UPDATE SET navn = EXCLUDED.navn, kommunekode = EXCLUDED.kommunekode"#,
        &postnumre.iter().map(|p| p.postnummer).collect::<Vec<_>>(),
        &postnumre.iter().map(|p| p.by.clone()).collect::<Vec<_>>(),
        &postnumre.iter().map(|p| p.kommunekode).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One generated institution, ready to insert: a register line like an imported one.
pub type GeneratedInstitution = crate::import::RegisterRow;

const NAME_WORDS: &[&str] = &[
    "Solsikken",
    "Mælkebøtten",
    "Regnbuen",
    "Troldehøjen",
    "Mariehønen",
    "Myretuen",
    "Skovtrolden",
    "Spiren",
    "Egeskoven",
    "Bøgely",
    "Lærkereden",
    "Solstrålen",
    "Æblehaven",
    "Kastanjen",
    "Humlebien",
    "Sommerfuglen",
    "Valmuen",
    "Pilely",
    "Skovsneglen",
    "Stjernen",
    "Fyrtårnet",
    "Ankeret",
    "Kildebakken",
    "Engtoften",
    "Krudtuglen",
    "Hasselnødden",
    "Tusindfryd",
    "Firkløveret",
    "Bikuben",
    "Havtornen",
    "Rosenhaven",
    "Toppen",
    "Lunden",
    "Vibereden",
    "Svalen",
    "Spurvereden",
    "Grantoppen",
    "Skovly",
    "Birkely",
    "Bakkegården",
    "Søstjernen",
    "Muslingen",
    "Bølgen",
    "Klatretræet",
    "Krible-Krablen",
    "Kornblomsten",
    "Lindely",
    "Kirsebærhaven",
    "Vildbassen",
    "Bjørnehulen",
    "Rævegraven",
    "Uglereden",
    "Spætten",
    "Egernet",
    "Pindsvinet",
    "Nøddebo",
    "Hyldebærret",
    "Mosebøllen",
    "Blåbærret",
    "Ellehuset",
    "Kløverengen",
    "Gåsebæk",
    "Fuglereden",
    "Tumlingen",
    "Græshoppen",
    "Guldsmeden",
    "Strandengen",
];

const STREETS: &[&str] = &[
    "Skolevej",
    "Kirkevej",
    "Engvej",
    "Parkvej",
    "Møllevej",
    "Skovvej",
    "Birkevej",
    "Bøgevej",
    "Egevej",
    "Vestergade",
    "Østergade",
    "Nørregade",
    "Søndergade",
    "Stationsvej",
    "Bakkevej",
    "Grønnegade",
    "Lindevej",
    "Kastanievej",
    "Ahornvej",
    "Rosenvej",
    "Violvej",
    "Fasanvej",
    "Lærkevej",
    "Solvej",
    "Toftevej",
    "Mosevej",
    "Havevej",
    "Ringvejen",
    "Åboulevarden",
    "Strandvejen",
    "Byagervej",
    "Tingvej",
];

/// Share of each type and ejerform, in tenths of a percent.
const TYPES: &[(&str, u32)] = &[
    ("integreret", 420),
    ("boernehave", 190),
    ("vuggestue", 110),
    ("fritidshjem", 90),
    ("fritidsklub", 160),
    ("landsbyordning", 30),
];
const OWNERS: &[(&str, u32)] = &[
    ("kommunal", 660),
    ("selvejende", 190),
    ("privat", 120),
    ("udliciteret", 30),
];

fn weighted(rng: &mut ChaCha8Rng, table: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (value, weight) in table {
        if pick < *weight {
            return value;
        }
        pick -= weight;
    }
    table[0].0
}

fn name_for(rng: &mut ChaCha8Rng, kind: &str, town: &str) -> String {
    let word = NAME_WORDS.choose(rng).copied().unwrap_or("Solsikken");
    match kind {
        "vuggestue" => format!("Vuggestuen {word}"),
        "boernehave" if rng.random_bool(0.15) => format!("Skovbørnehaven {word}"),
        "boernehave" => format!("Børnehaven {word}"),
        "integreret" if rng.random_bool(0.3) => format!("Daginstitution {word}"),
        "integreret" => format!("Børnehuset {word}"),
        "fritidshjem" => format!("Fritidshjemmet {word}"),
        "fritidsklub" => format!("Fritidsklubben {word}"),
        _ => format!("{town} Landsbyordning"),
    }
}

/// A CVR number that passes the modulus-11 check (weights 2 7 6 5 4 3 2 1).
pub fn generate_cvr(rng: &mut ChaCha8Rng) -> String {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    loop {
        let mut digits = [0u32; 8];
        digits[0] = rng.random_range(1..=9);
        for digit in digits.iter_mut().take(7).skip(1) {
            *digit = rng.random_range(0..=9);
        }
        let partial: u32 = digits.iter().zip(WEIGHTS).take(7).map(|(d, w)| d * w).sum();
        let last = (11 - partial % 11) % 11;
        if last < 10 {
            digits[7] = last;
            return digits
                .iter()
                .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                .collect();
        }
    }
}

/// The fixed demo institution that the demo log-in belongs to.
pub const DEMO_INSTITUTION: &str = "G10234";

/// Generate the whole register, deterministically.
pub fn generate_register() -> Result<Vec<GeneratedInstitution>, SeedError> {
    let kommuner: Vec<KommuneRow> = read_csv("kommuner.csv", KOMMUNER_CSV)?;
    let befolkning: BTreeMap<i16, u32> = read_csv::<BefolkningRow>("kommune_befolkning.csv", BEFOLKNING_CSV)?
        .into_iter()
        .map(|row| (row.kode, row.befolkning))
        .collect();
    let mut postnumre: BTreeMap<i16, Vec<PostnummerRow>> = BTreeMap::new();
    for row in read_csv::<PostnummerRow>("postnumre.csv", POSTNUMRE_CSV)? {
        postnumre.entry(row.kommunekode).or_default().push(row);
    }
    let total: u64 = befolkning.values().map(|&p| u64::from(p)).sum();
    if total == 0 {
        return Err(SeedError::Data {
            file: "kommune_befolkning.csv",
            reason: "no population".into(),
        });
    }

    let centres = district_centres(&kommune_towns()?, &postnumre)?;

    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    // Positions come from their own stream, so the rest of the register
    // stays as it was before institutions had positions.
    let mut position_rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let mut used_numbers: HashSet<String> = HashSet::from([DEMO_INSTITUTION.to_string()]);
    let mut register = Vec::with_capacity(REGISTER_SIZE + 100);
    let closed_base = time::macros::date!(2024 - 01 - 01);

    for kommune in &kommuner {
        let population = u64::from(*befolkning.get(&kommune.kode).ok_or_else(|| SeedError::Data {
            file: "kommune_befolkning.csv",
            reason: format!("no population for kommune {}", kommune.kode),
        })?);
        let districts = postnumre.get(&kommune.kode).ok_or_else(|| SeedError::Data {
            file: "postnumre.csv",
            reason: format!("no postnummer for kommune {}", kommune.kode),
        })?;
        let count = ((population * REGISTER_SIZE as u64 + total / 2) / total).max(3);
        for _ in 0..count {
            let nummer = loop {
                let letter = *b"BDFGHKLMPRSTV".choose(&mut rng).unwrap_or(&b'G') as char;
                let candidate = format!("{letter}{:05}", rng.random_range(0..100_000));
                if used_numbers.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let district = districts.choose(&mut rng).unwrap_or(&districts[0]);
            let kind = weighted(&mut rng, TYPES);
            let owner = weighted(&mut rng, OWNERS);
            let with_cvr = matches!(owner, "selvejende" | "privat") || rng.random_bool(0.1);
            register.push(GeneratedInstitution {
                navn: name_for(&mut rng, kind, &district.by),
                nummer,
                institution_type: kind,
                ejerform: owner,
                kommunekode: kommune.kode,
                vejnavn: STREETS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("Skolevej")
                    .to_string(),
                husnummer: rng.random_range(1..140).to_string(),
                postnummer: district.postnummer,
                postby: district.by.clone(),
                p_nummer: rng
                    .random_bool(0.8)
                    .then(|| format!("10{:08}", rng.random_range(0..100_000_000u32))),
                cvr: with_cvr.then(|| generate_cvr(&mut rng)),
                closed_on: rng
                    .random_bool(0.02)
                    .then(|| closed_base + time::Duration::days(rng.random_range(0..700))),
                position: centres
                    .get(&(kommune.kode, district.postnummer))
                    .map(|centre| scatter(&mut position_rng, *centre, INSTITUTION_RADIUS_KM)),
            });
        }
    }
    Ok(register)
}

/// Insert the generated register when the database has no institutions yet, or when `force`
/// is given (existing numbers are left untouched). Returns how many rows were added.
pub async fn register(pool: &PgPool, force: bool) -> Result<u64, SeedError> {
    let existing: i64 = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!" FROM institutions"#)
        .fetch_one(pool)
        .await?;
    if existing > 0 && !force {
        return Ok(0);
    }
    let register = generate_register()?;
    let mut added = 0;
    let mut tx = pool.begin().await?;
    for chunk in register.chunks(500) {
        let result = sqlx::query!(
            r#"INSERT INTO institutions
                 (nummer, navn, institution_type, ejerform, kommunekode, vejnavn, husnummer,
                  postnummer, postby, p_nummer, cvr, status, closed_on, breddegrad, laengdegrad)
               SELECT n, na, t, e, k, v, h, p, pb, pn, c,
                      CASE WHEN cl IS NULL THEN 'aktiv' ELSE 'nedlagt' END, cl, lat, lon
               FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[],
                           $7::text[], $8::smallint[], $9::text[], $10::text[], $11::text[], $12::date[],
                           $13::float8[], $14::float8[])
                    AS u(n, na, t, e, k, v, h, p, pb, pn, c, cl, lat, lon)
               ON CONFLICT (nummer) DO NOTHING"#,
            &chunk.iter().map(|i| i.nummer.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.navn.clone()).collect::<Vec<_>>(),
            &chunk
                .iter()
                .map(|i| i.institution_type.to_string())
                .collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.ejerform.to_string()).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.kommunekode).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.vejnavn.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.husnummer.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.postnummer).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.postby.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|i| i.p_nummer.clone()).collect::<Vec<_>>() as &[Option<String>],
            &chunk.iter().map(|i| i.cvr.clone()).collect::<Vec<_>>() as &[Option<String>],
            &chunk.iter().map(|i| i.closed_on).collect::<Vec<_>>() as &[Option<time::Date>],
            &chunk
                .iter()
                .map(|i| i.position.map(|p| p.breddegrad))
                .collect::<Vec<_>>() as &[Option<f64>],
            &chunk
                .iter()
                .map(|i| i.position.map(|p| p.laengdegrad))
                .collect::<Vec<_>>() as &[Option<f64>],
        )
        .execute(&mut *tx)
        .await?;
        added += result.rows_affected();
    }
    for area in demo_dagpleje()? {
        let result = sqlx::query!(
            r#"INSERT INTO institutions
                 (nummer, navn, institution_type, ejerform, kommunekode, vejnavn, husnummer,
                  postnummer, postby, omraade_postnumre, dagplejere, breddegrad, laengdegrad)
               VALUES ($1, $2, 'dagpleje', 'kommunal', $3, $4, $5, $6, $7, $8, $9, $10, $11)
               ON CONFLICT (nummer) DO NOTHING"#,
            area.nummer,
            area.navn,
            area.kommunekode,
            area.vejnavn,
            area.husnummer,
            area.postnummer,
            area.postby,
            &area.omraade_postnumre,
            area.dagplejere,
            area.position.map(|p| p.breddegrad),
            area.position.map(|p| p.laengdegrad),
        )
        .execute(&mut *tx)
        .await?;
        added += result.rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

/// The demo's kommunal dagpleje (`dagpleje.rs`), placed like the register.
pub fn demo_dagpleje() -> Result<Vec<dagpleje::DemoArea>, SeedError> {
    let kommuner: Vec<i16> = read_csv::<KommuneRow>("kommuner.csv", KOMMUNER_CSV)?
        .into_iter()
        .map(|k| k.kode)
        .collect();
    let mut postnumre: BTreeMap<i16, Vec<PostnummerRow>> = BTreeMap::new();
    for row in read_csv::<PostnummerRow>("postnumre.csv", POSTNUMRE_CSV)? {
        postnumre.entry(row.kommunekode).or_default().push(row);
    }
    let centres = district_centres(&kommune_towns()?, &postnumre)?;
    Ok(dagpleje::generate(&kommuner, &postnumre, &centres, DEMO_KOMMUNE))
}

/// The invented example key figures for every kommune, when none were imported.
pub async fn demo_key_figures(pool: &PgPool) -> Result<(), SeedError> {
    let any = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM kommune_key_figures) AS "any!""#)
        .fetch_one(pool)
        .await?;
    if any {
        return Ok(());
    }
    let report = crate::import::key_figures(pool, crate::import::EXAMPLE_KEY_FIGURES, |_, _| ())
        .await
        .map_err(|e| SeedError::Data {
            file: "data/noegletal-opdigtet-eksempel.csv",
            reason: e.to_string(),
        })?;
    if !report.rejected.is_empty() {
        return Err(SeedError::Data {
            file: "data/noegletal-opdigtet-eksempel.csv",
            reason: report.to_string(),
        });
    }
    tracing::info!(
        written = report.written,
        "imported the invented example key figures"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_is_deterministic_and_realistic() {
        let first = generate_register().unwrap();
        let second = generate_register().unwrap();
        assert_eq!(first, second, "same seed, same register");
        assert!(
            (2_400..=2_700).contains(&first.len()),
            "about 2,500 institutions, got {}",
            first.len()
        );

        let numbers: HashSet<_> = first.iter().map(|i| i.nummer.as_str()).collect();
        assert_eq!(numbers.len(), first.len(), "numbers are unique");
        assert!(!numbers.contains(DEMO_INSTITUTION));
        assert!(first
            .iter()
            .all(|i| app::domain::InstitutionNumber::parse(&i.nummer).is_ok()));

        for (kind, _) in TYPES {
            assert!(
                first.iter().any(|i| i.institution_type == *kind),
                "type {kind} present"
            );
        }
        for (owner, _) in OWNERS {
            assert!(
                first.iter().any(|i| i.ejerform == *owner),
                "ejerform {owner} present"
            );
        }
        let kommuner: HashSet<_> = first.iter().map(|i| i.kommunekode).collect();
        assert_eq!(kommuner.len(), 98, "every kommune has institutions");

        let kobenhavn = first.iter().filter(|i| i.kommunekode == 101).count();
        let laeso = first.iter().filter(|i| i.kommunekode == 825).count();
        assert!(
            kobenhavn > 20 * laeso,
            "proportional to size: København {kobenhavn}, Læsø {laeso}"
        );
        assert!(first.iter().all(|i| i.navn.chars().count() <= 132));
    }

    #[test]
    fn every_demo_institution_lies_near_its_own_kommunes_main_town() {
        use super::positions::{PlaceringRow, DISTRICT_RADIUS_KM, PLACERING_CSV};
        use app::domain::position::Position;
        let towns: BTreeMap<i16, Position> = read_csv::<PlaceringRow>("p", PLACERING_CSV)
            .unwrap()
            .into_iter()
            .map(|r| (r.kode, Position::new(r.breddegrad, r.laengdegrad).unwrap()))
            .collect();
        assert_eq!(towns.len(), 98, "every kommune has a main town");
        let register = generate_register().unwrap();
        let limit = (DISTRICT_RADIUS_KM + INSTITUTION_RADIUS_KM) * 1000.0 + 1.0;
        for i in &register {
            let position = i
                .position
                .unwrap_or_else(|| panic!("{} has a position", i.nummer));
            let distance = position.distance_m(&towns[&i.kommunekode]);
            assert!(distance <= limit, "{} lies {distance} m from its town", i.nummer);
        }
        // Spread out, not stacked: institutions of one postal district differ.
        let aarhus: HashSet<String> = register
            .iter()
            .filter(|i| i.postnummer == 8000)
            .map(|i| format!("{:?}", i.position))
            .collect();
        assert!(aarhus.len() > 5, "{aarhus:?}");
    }

    #[test]
    fn generated_cvr_numbers_pass_modulus_11() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..200 {
            let cvr = generate_cvr(&mut rng);
            let sum: u32 = cvr
                .chars()
                .zip([2, 7, 6, 5, 4, 3, 2, 1])
                .map(|(c, w)| c.to_digit(10).unwrap() * w)
                .sum();
            assert_eq!(cvr.len(), 8);
            assert_eq!(sum % 11, 0, "{cvr}");
        }
    }

    #[test]
    fn every_postnummer_belongs_to_a_known_kommune() {
        let kommuner: HashSet<i16> = read_csv::<KommuneRow>("k", KOMMUNER_CSV)
            .unwrap()
            .iter()
            .map(|k| k.kode)
            .collect();
        let postnumre = read_csv::<PostnummerRow>("p", POSTNUMRE_CSV).unwrap();
        assert!(postnumre.iter().all(|p| kommuner.contains(&p.kommunekode)));
        assert_eq!(kommuner.len(), 98);
    }
}
