//! The search's answers from memory: every active institution's searchable
//! fields and its ready-made hit, in name order, with the postal districts a
//! search can start from.
//!
//! A search scanned and joined the register in PostgreSQL per request, and
//! the search page was the slowest public page. Here a search is a scan of
//! a few megabytes in memory.
//!
//! It answers only while it is current: it was loaded at the page cache's
//! generation (`published::cache`), which every change to public data moves
//! on (this process's saves at once, other servers' by PostgreSQL's
//! announcements), and only while that cache is listening at all. Otherwise
//! the search runs as SQL ([`super::search::search_sql`]), and one rebuild
//! starts in the background. So a saver's next search sees the save, and a
//! change shows in every server's search as soon as in its pages.
//!
//! It answers as the SQL does, order included: names compare by code point
//! as under the databases' C.UTF-8 collation, texts are lower-cased by
//! PostgreSQL when loaded, and distances are the `earthdistance` module's
//! great circle. `server/tests/api/search_index.rs` compares the two on
//! generated registers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde_json::Value;

use super::distance::{District, Origin, Resolved};
use super::search::{CheckedFilter, SearchHit, SearchPage, PAGE_SIZE};
use crate::error::AppError;
use crate::published::cache::PageCache;

/// The index as last loaded, and whether a load is running.
#[derive(Default)]
pub struct SearchIndex {
    loaded: RwLock<Option<Arc<Snapshot>>>,
    loading: AtomicBool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("SearchIndex")
            .field("institutions", &loaded.as_ref().map(|s| s.hits.len()))
            .finish()
    }
}

impl SearchIndex {
    /// The index, if it holds what the public pages show now.
    pub fn current(&self, cache: &PageCache) -> Option<Arc<Snapshot>> {
        let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner()).clone()?;
        (cache.is_live() && loaded.generation == cache.generation()).then_some(loaded)
    }

    /// Start loading the index in the background, unless a load is running.
    pub fn refresh(self: &Arc<Self>, pool: sqlx::PgPool, cache: Arc<PageCache>) {
        if self.loading.swap(true, Ordering::AcqRel) {
            return;
        }
        let index = self.clone();
        tokio::spawn(async move {
            // Read before loading: a change during the load leaves the
            // index a generation behind, so it is not used and loads again.
            let generation = cache.generation();
            match Snapshot::load(&pool, generation).await {
                Ok(snapshot) => {
                    tracing::debug!(institutions = snapshot.hits.len(), "search index loaded");
                    *index.loaded.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(snapshot));
                }
                Err(error) => tracing::warn!(%error, "search index could not be loaded; searching with SQL"),
            }
            index.loading.store(false, Ordering::Release);
        });
    }
}

/// What the search reads of every active institution, one array per field
/// (entry `i` is `hits[i]`): a scan reads a few bytes per institution, not
/// a whole hit, which at 50,000 institutions decided its speed.
#[derive(Default)]
struct Columns {
    /// The type and ejerform as their place in `ALL` (or [`UNKNOWN`]).
    kind: Vec<u8>,
    owner: Vec<u8>,
    /// Bit `i`: the section's list holds the `i`th of the enum's `ALL`, as
    /// `jsonb ?` finds it; [`ROW`]: the section is reported at all.
    alder: Vec<u32>,
    tags: Vec<u32>,
    hensyn: Vec<u32>,
    /// The madordning's `oekologi` as its place in `Oekologi::ALL` (or [`UNKNOWN`]).
    oekologi: Vec<u8>,
    /// The earliest opening and the latest closing of any day (as text,
    /// compared as the SQL compares them).
    earliest: Vec<Option<String>>,
    latest: Vec<Option<String>>,
    /// The position as `earthdistance` places it (metres from the middle).
    point: Vec<Option<[f64; 3]>>,
}

/// The bit that says a section is reported.
const ROW: u32 = 1 << 31;
/// A value no choice names.
const UNKNOWN: u8 = u8::MAX;

/// Bit `i` set when `keys` holds `all[i]`, and [`ROW`].
fn bits(keys: &[String], all: &[&str]) -> u32 {
    all.iter()
        .enumerate()
        .filter(|(_, value)| keys.iter().any(|k| k == *value))
        .fold(ROW, |bits, (i, _)| bits | 1 << i)
}

/// `value`'s place in `all`, or [`UNKNOWN`].
fn place(value: Option<&str>, all: &[&str]) -> u8 {
    value
        .and_then(|v| all.iter().position(|a| *a == v))
        .map_or(UNKNOWN, |i| i as u8)
}

/// The index at one generation.
pub struct Snapshot {
    generation: u64,
    /// Every active institution's hit, by name, then number.
    hits: Vec<SearchHit>,
    columns: Columns,
    /// Places in `hits` by postnummer (a dagpleje area under each it covers),
    /// by town and by kommune (as in `towns` and `kommuner`).
    by_postnummer: HashMap<i16, Vec<u32>>,
    by_town: Vec<Vec<u32>>,
    by_kommune: Vec<Vec<u32>>,
    /// Places in `hits` whose name holds each run of three bytes: a search
    /// text of three or more bytes is looked for only in the names that hold
    /// its rarest run.
    trigrams: HashMap<[u8; 3], Vec<u32>>,
    /// Every entry's `lower()` name, each ended by a NUL (which no search
    /// text holds), so one substring search covers them all.
    names: String,
    /// Where each entry's name starts in `names`.
    name_starts: Vec<usize>,
    /// Places in `hits` by number.
    numbers: HashMap<String, usize>,
    /// The `lower()` towns and kommune names, each once.
    towns: Vec<String>,
    kommuner: Vec<String>,
    districts: HashMap<i16, District>,
}

impl Snapshot {
    /// Load every active institution and every postal district.
    pub async fn load(pool: &sqlx::PgPool, generation: u64) -> Result<Snapshot, AppError> {
        let rows = sqlx::query!(
            r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, k.navn AS kommune, i.kommunekode,
                      i.breddegrad, i.laengdegrad,
                      i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                      lower(i.navn) AS "navn_lower!", lower(i.postby) AS "postby_lower!",
                      lower(k.navn) AS "kommune_lower!",
                      array_prepend(i.postnummer, coalesce(i.omraade_postnumre, '{}')) AS "postnumre!",
                      p.data AS "profil?", m.data AS "madordning?", a.data AS "aabning?"
               FROM institutions i
               JOIN kommuner k ON k.kode = i.kommunekode
               LEFT JOIN institution_sections p ON p.institution_id = i.id AND p.section = 'profil'
               LEFT JOIN institution_sections m ON m.institution_id = i.id AND m.section = 'madordning'
               LEFT JOIN institution_sections a ON a.institution_id = i.id AND a.section = 'aabningstider'
               WHERE i.status = 'aktiv'
               ORDER BY i.navn, i.nummer"#
        )
        .fetch_all(pool)
        .await?;
        use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
        use crate::domain::{Ejerform, InstitutionType};
        fn names_of<T>(all: &[T], name: impl Fn(&T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(name).collect()
        }
        let kinds = names_of(InstitutionType::ALL, |t| t.as_str());
        let owners = names_of(Ejerform::ALL, |t| t.as_str());
        let ages = names_of(Aldersgruppe::ALL, |t| t.as_str());
        let tag_names = names_of(ProfilTag::ALL, |t| t.as_str());
        let hensyn_names = names_of(Hensyn::ALL, |t| t.as_str());
        let levels = names_of(Oekologi::ALL, |t| t.as_str());

        let mut names = String::new();
        let mut name_starts = Vec::with_capacity(rows.len());
        let mut numbers = HashMap::with_capacity(rows.len());
        let mut by_postnummer: HashMap<i16, Vec<u32>> = HashMap::new();
        let mut trigrams: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        let (mut towns, mut kommuner) = (Distinct::default(), Distinct::default());
        let mut c = Columns::default();
        let mut hits = Vec::with_capacity(rows.len());
        for (at, r) in rows.into_iter().enumerate() {
            name_starts.push(names.len());
            names.push_str(&r.navn_lower);
            names.push('\0');
            for run in r.navn_lower.as_bytes().windows(3) {
                let holders = trigrams.entry([run[0], run[1], run[2]]).or_default();
                if holders.last() != Some(&(at as u32)) {
                    holders.push(at as u32);
                }
            }
            numbers.insert(r.nummer.clone(), at);
            for postnummer in r.postnumre.iter().collect::<std::collections::BTreeSet<_>>() {
                by_postnummer.entry(*postnummer).or_default().push(at as u32);
            }
            towns.add(r.postby_lower, at);
            kommuner.add(r.kommune_lower, at);
            c.kind.push(place(Some(&r.institution_type), &kinds));
            c.owner.push(place(Some(&r.ejerform), &owners));
            let profil = |field: &str| r.profil.as_ref().map_or(Vec::new(), |d| keys(&d[field]));
            let has_profil = if r.profil.is_some() { ROW } else { 0 };
            c.alder
                .push(bits(&profil("aldersgrupper"), &ages) & (has_profil | !ROW));
            c.tags
                .push(bits(&profil("tags"), &tag_names) & (has_profil | !ROW));
            let oekologi = r.madordning.as_ref().and_then(|d| text(&d["oekologi"]));
            c.oekologi.push(place(oekologi.as_deref(), &levels));
            c.hensyn.push(match &r.madordning {
                Some(d) => bits(&keys(&d["hensyn"]), &hensyn_names),
                None => 0,
            });
            let days: Vec<&Value> = r
                .aabning
                .as_ref()
                .and_then(|d| d["days"].as_array())
                .into_iter()
                .flatten()
                .filter(|d| d.is_object())
                .collect();
            c.earliest
                .push(days.iter().filter_map(|d| text(&d["opens"])).min());
            c.latest
                .push(days.iter().filter_map(|d| text(&d["closes"])).max());
            c.point
                .push(r.breddegrad.zip(r.laengdegrad).map(|(lat, lon)| earth(lat, lon)));
            hits.push(super::search::hit(super::search::HitRow {
                nummer: r.nummer,
                navn: r.navn,
                institution_type: &r.institution_type,
                ejerform: &r.ejerform,
                adresse: r.adresse,
                kommune: r.kommune,
                kommunekode: r.kommunekode,
                breddegrad: r.breddegrad,
                laengdegrad: r.laengdegrad,
                profil: r.profil,
                oekologi,
                aabning: r.aabning,
            }));
        }
        // The same places as `distance::resolve`, for every district at once.
        let districts = sqlx::query!(
            r#"WITH own AS (SELECT postnummer, avg(breddegrad) AS lat, avg(laengdegrad) AS lon
                            FROM institutions WHERE breddegrad IS NOT NULL GROUP BY postnummer),
                    wide AS (SELECT kommunekode, avg(breddegrad) AS lat, avg(laengdegrad) AS lon
                             FROM institutions WHERE breddegrad IS NOT NULL GROUP BY kommunekode)
               SELECT p.postnummer, p.navn, k.navn AS kommune,
                      own.lat AS own_lat, own.lon AS own_lon, wide.lat AS wide_lat, wide.lon AS wide_lon
               FROM postnumre p
               JOIN kommuner k ON k.kode = p.kommunekode
               LEFT JOIN own ON own.postnummer = p.postnummer
               LEFT JOIN wide ON wide.kommunekode = p.kommunekode"#
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.postnummer,
                District {
                    navn: r.navn,
                    kommune: r.kommune,
                    own: super::distance::position(r.own_lat, r.own_lon),
                    wide: super::distance::position(r.wide_lat, r.wide_lon),
                },
            )
        })
        .collect();
        Ok(Snapshot {
            generation,
            hits,
            columns: c,
            by_postnummer,
            by_town: towns.members,
            by_kommune: kommuner.members,
            trigrams,
            names,
            name_starts,
            numbers,
            towns: towns.values,
            kommuner: kommuner.values,
            districts,
        })
    }

    /// The page of hits `filter` asks for.
    pub fn search(&self, filter: &CheckedFilter) -> Result<SearchPage, AppError> {
        let origin: Option<Resolved> = match filter.origin {
            None => None,
            Some(Origin::Point(position)) => Some(super::distance::point(position)),
            Some(Origin::Postnummer(postnummer)) => Some(super::distance::place(
                postnummer,
                self.districts.get(&postnummer.get()),
            )?),
        };
        let from = origin
            .as_ref()
            .map(|o| earth(o.position.breddegrad, o.position.laengdegrad));
        let text = self.text_matches(&filter.text);
        let wanted = Wanted::new(filter);
        let offset = (filter.page - 1).saturating_mul(PAGE_SIZE as usize);
        // (entry's place in name order, distance)
        let matching = (0..self.hits.len()).filter_map(|at| {
            if !text.as_ref().is_none_or(|found| found[at]) || !wanted.passes(&self.columns, at) {
                return None;
            }
            let distance = from.zip(self.columns.point[at]).map(|(a, b)| great_circle(a, b));
            if let Some(max) = filter.max_m {
                if !distance.is_some_and(|d| d <= max) {
                    return None;
                }
            }
            Some((at, distance))
        });
        let (total, page): (usize, Vec<(usize, Option<f64>)>) = if filter.by_distance {
            let mut all: Vec<_> = matching.collect();
            let total = all.len();
            let nearest = |a: &(usize, Option<f64>), b: &(usize, Option<f64>)| match (a.1, b.1) {
                (Some(x), Some(y)) => x.total_cmp(&y).then(a.0.cmp(&b.0)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.0.cmp(&b.0),
            };
            let end = (offset + PAGE_SIZE as usize).min(total);
            if end < total && end > 0 {
                all.select_nth_unstable_by(end - 1, nearest);
                all.truncate(end);
            }
            all.sort_unstable_by(nearest);
            (total, all.into_iter().skip(offset).collect())
        } else {
            let mut total = 0;
            let mut page = Vec::new();
            for hit in matching {
                if total >= offset && page.len() < PAGE_SIZE as usize {
                    page.push(hit);
                }
                total += 1;
            }
            (total, page)
        };
        let hits: Vec<SearchHit> = page
            .into_iter()
            .map(|(at, distance)| SearchHit {
                distance_m: distance,
                ..self.hits[at].clone()
            })
            .collect();
        // As the SQL counts: on the rows of the page, so none past the end.
        let total = if hits.is_empty() { 0 } else { total as i64 };
        Ok(super::search::page(hits, total, filter, origin))
    }
}

impl Snapshot {
    /// Which entries the search text finds (none given: all), as the SQL's
    /// text condition: a part of the name, the number, a postnummer, or the
    /// start of the town or the kommune's name.
    fn text_matches(&self, exact: &str) -> Option<Vec<bool>> {
        if exact.is_empty() {
            return None;
        }
        let (lower, upper) = cased(exact);
        let mut found = vec![false; self.hits.len()];
        let needle = lower.as_bytes();
        let names = self.names.as_bytes();
        if needle.len() >= 3 {
            let rarest = needle
                .windows(3)
                .map(|run| self.trigrams.get(run).map_or(&[][..], Vec::as_slice))
                .min_by_key(|holders| holders.len())
                .unwrap_or(&[]);
            let finder = memchr::memmem::Finder::new(needle);
            for &at in rarest {
                let at = at as usize;
                let end = self.name_starts.get(at + 1).map_or(names.len(), |next| next - 1);
                if finder.find(&names[self.name_starts[at]..end]).is_some() {
                    found[at] = true;
                }
            }
        } else {
            let mut entry = 0;
            for at in memchr::memmem::find_iter(names, needle) {
                while self.name_starts.get(entry + 1).is_some_and(|&next| next <= at) {
                    entry += 1;
                }
                found[entry] = true;
            }
        }
        if let Some(&at) = self.numbers.get(&upper) {
            found[at] = true;
        }
        // `postnummer::text = $1`: the number written without a sign or zeros in front.
        let number = exact.parse::<i16>().ok().filter(|n| n.to_string() == exact);
        let prefixed = |values: &[String], members: &[Vec<u32>]| {
            values
                .iter()
                .zip(members)
                .filter(|(value, _)| value.starts_with(&lower))
                .flat_map(|(_, members)| members.iter().copied())
                .collect::<Vec<u32>>()
        };
        let by_number = number
            .and_then(|n| self.by_postnummer.get(&n))
            .into_iter()
            .flatten()
            .copied();
        for at in by_number
            .chain(prefixed(&self.towns, &self.by_town))
            .chain(prefixed(&self.kommuner, &self.by_kommune))
        {
            found[at as usize] = true;
        }
        Some(found)
    }
}

/// The search text lower- and upper-cased character by character, as
/// PostgreSQL's lower() and upper() map them under a UTF-8 locale (one
/// character to one).
fn cased(text: &str) -> (String, String) {
    let lower = text
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let upper = text
        .chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect();
    (lower, upper)
}

/// Strings each kept once, with the places in `hits` that have them.
#[derive(Default)]
struct Distinct {
    values: Vec<String>,
    members: Vec<Vec<u32>>,
    ids: HashMap<String, usize>,
}

impl Distinct {
    fn add(&mut self, value: String, at: usize) {
        let id = match self.ids.get(&value) {
            Some(&id) => id,
            None => {
                self.ids.insert(value.clone(), self.values.len());
                self.values.push(value);
                self.members.push(Vec::new());
                self.values.len() - 1
            }
        };
        self.members[id].push(at as u32);
    }
}

/// The filters other than the text, as the columns hold them.
struct Wanted<'a> {
    kind: Option<u8>,
    owner: Option<u8>,
    /// The bits a section must have (0: no condition on it).
    profil: (u32, u32),
    hensyn: u32,
    /// The Spisemærke levels wanted, as bits of `Oekologi::ALL` (0: any).
    oekologi: u32,
    aabner: Option<&'a str>,
    lukker: Option<&'a str>,
}

impl<'a> Wanted<'a> {
    fn new(filter: &'a CheckedFilter) -> Self {
        use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
        use crate::domain::{Ejerform, InstitutionType};
        fn bit<T: PartialEq>(value: Option<T>, all: &[T]) -> u32 {
            value
                .and_then(|v| all.iter().position(|a| *a == v))
                .map_or(0, |i| ROW | 1 << i)
        }
        let levels = Oekologi::ALL
            .iter()
            .enumerate()
            .filter(|(_, level)| filter.oekologi.contains(&level.as_str()))
            .fold(0, |bits, (i, _)| bits | 1 << i);
        let profil = (
            bit(filter.alder, Aldersgruppe::ALL),
            bit(filter.profil, ProfilTag::ALL),
        );
        Wanted {
            kind: filter.institution_type.map(|t| {
                InstitutionType::ALL
                    .iter()
                    .position(|a| *a == t)
                    .map_or(UNKNOWN, |i| i as u8)
            }),
            owner: filter.ejerform.map(|e| {
                Ejerform::ALL
                    .iter()
                    .position(|a| *a == e)
                    .map_or(UNKNOWN, |i| i as u8)
            }),
            profil,
            hensyn: bit(filter.hensyn, Hensyn::ALL),
            oekologi: levels,
            aabner: filter.aabner.as_deref(),
            lukker: filter.lukker.as_deref(),
        }
    }

    /// Whether entry `at` passes, as the SQL's conditions on the register
    /// and on each section's row.
    fn passes(&self, c: &Columns, at: usize) -> bool {
        let has = |bits: u32, wanted: u32| bits & wanted == wanted;
        self.kind.is_none_or(|k| c.kind[at] == k)
            && self.owner.is_none_or(|o| c.owner[at] == o)
            // A wanted bit carries ROW, so each asks for the profile row.
            && has(c.alder[at], self.profil.0)
            && has(c.tags[at], self.profil.1)
            && (self.oekologi == 0 && self.hensyn == 0
                || c.hensyn[at] & ROW != 0
                    && has(c.hensyn[at], self.hensyn)
                    && (self.oekologi == 0
                        || c.oekologi[at] != UNKNOWN && self.oekologi & 1 << c.oekologi[at] != 0))
            && self
                .aabner
                .is_none_or(|wanted| c.earliest[at].as_deref().is_some_and(|o| o <= wanted))
            && self
                .lukker
                .is_none_or(|wanted| c.latest[at].as_deref().is_some_and(|l| l >= wanted))
    }
}

/// What `jsonb ? key` finds in `value`: an array's strings, an object's
/// keys, or a string itself.
fn keys(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::Object(map) => map.keys().cloned().collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `value` as `->>` gives it: a string as itself, JSON null or nothing as
/// SQL NULL, anything else as its JSON text.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The radius of the earth `earthdistance` uses, in metres.
const EARTH: f64 = 6_378_168.0;

/// `ll_to_earth(lat, lon)`: the point in metres from the earth's middle.
fn earth(lat: f64, lon: f64) -> [f64; 3] {
    let (lat, lon) = (lat.to_radians(), lon.to_radians());
    [
        EARTH * lat.cos() * lon.cos(),
        EARTH * lat.cos() * lon.sin(),
        EARTH * lat.sin(),
    ]
}

/// `earth_distance(a, b)`: the great circle through the straight line.
fn great_circle(a: [f64; 3], b: [f64; 3]) -> f64 {
    let chord = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    if chord / (2.0 * EARTH) > 1.0 {
        std::f64::consts::PI * EARTH
    } else {
        2.0 * EARTH * (chord / (2.0 * EARTH)).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonb_keys_and_text_read_like_postgresql() {
        let data = serde_json::json!({"a": ["x", 1, "y"], "o": {"k": 1}, "s": "z", "n": null, "i": 3});
        assert_eq!(keys(&data["a"]), ["x", "y"]);
        assert_eq!(keys(&data["o"]), ["k"]);
        assert_eq!(keys(&data["s"]), ["z"]);
        assert!(keys(&data["missing"]).is_empty());
        assert_eq!(text(&data["s"]).as_deref(), Some("z"));
        assert_eq!(text(&data["i"]).as_deref(), Some("3"));
        assert_eq!(text(&data["n"]), None);
        assert_eq!(text(&data["missing"]), None);
    }

    #[test]
    fn distances_are_earthdistance_great_circles() {
        // Skanderborg to Aarhus: about 22 km as the crow flies.
        let d = great_circle(earth(56.0393, 9.9272), earth(56.1567, 10.2108));
        assert!((21_000.0..23_000.0).contains(&d), "{d}");
        assert_eq!(great_circle(earth(56.0, 10.0), earth(56.0, 10.0)), 0.0);
    }

    #[test]
    fn every_choice_has_a_bit_below_the_row_bit() {
        use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
        assert!(Aldersgruppe::ALL.len() < 31 && ProfilTag::ALL.len() < 31 && Hensyn::ALL.len() < 31);
        assert!(Oekologi::ALL.len() < 32);
        assert_eq!(bits(&["b".into(), "x".into()], &["a", "b"]), ROW | 0b10);
        assert_eq!(place(Some("b"), &["a", "b"]), 1);
        assert_eq!(place(Some("x"), &["a", "b"]), UNKNOWN);
    }

    #[test]
    fn the_text_is_cased_one_character_at_a_time() {
        let (lower, upper) = cased("Ærø ß g10234");
        assert_eq!(lower, "ærø ß g10234");
        assert_eq!(upper, "ÆRØ ß G10234");
    }
}
