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
            .field("institutions", &loaded.as_ref().map(|s| s.entries.len()))
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
                    tracing::debug!(institutions = snapshot.entries.len(), "search index loaded");
                    *index.loaded.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(snapshot));
                }
                Err(error) => tracing::warn!(%error, "search index could not be loaded; searching with SQL"),
            }
            index.loading.store(false, Ordering::Release);
        });
    }
}

/// One active institution as the search sees it.
struct Entry {
    hit: SearchHit,
    /// Its town and kommune in [`Snapshot::towns`] and [`Snapshot::kommuner`].
    town: u32,
    kommune: u32,
    /// The postnummer and the postnumre a dagpleje area covers.
    postnumre: Vec<i16>,
    institution_type: String,
    ejerform: String,
    /// The position as `earthdistance` places it (metres from the middle).
    point: Option<[f64; 3]>,
    profil: Option<Profil>,
    madordning: Option<Madordning>,
    aabning: Option<Aabning>,
}

/// What the filters read of each section (as `jsonb ?` and `->>` read it).
struct Profil {
    aldersgrupper: Vec<String>,
    tags: Vec<String>,
}

struct Madordning {
    oekologi: Option<String>,
    hensyn: Vec<String>,
}

struct Aabning {
    opens: Vec<String>,
    closes: Vec<String>,
}

/// The index at one generation.
pub struct Snapshot {
    generation: u64,
    /// By name, then number.
    entries: Vec<Entry>,
    /// Every entry's `lower()` name, each ended by a NUL (which no search
    /// text holds), so one substring search covers them all.
    names: String,
    /// Where each entry's name starts in `names`.
    name_starts: Vec<usize>,
    /// The entries by number.
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
        let mut names = String::new();
        let mut name_starts = Vec::with_capacity(rows.len());
        let mut numbers = HashMap::with_capacity(rows.len());
        let (mut towns, mut kommuner) = (Distinct::default(), Distinct::default());
        let entries = rows
            .into_iter()
            .enumerate()
            .map(|(at, r)| {
                name_starts.push(names.len());
                names.push_str(&r.navn_lower);
                names.push('\0');
                numbers.insert(r.nummer.clone(), at);
                let profil = r.profil.as_ref().map(|d| Profil {
                    aldersgrupper: keys(&d["aldersgrupper"]),
                    tags: keys(&d["tags"]),
                });
                let madordning = r.madordning.as_ref().map(|d| Madordning {
                    oekologi: text(&d["oekologi"]),
                    hensyn: keys(&d["hensyn"]),
                });
                let aabning = r.aabning.as_ref().map(|d| {
                    let days: Vec<&Value> = d["days"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|d| d.is_object())
                        .collect();
                    Aabning {
                        opens: days.iter().filter_map(|d| text(&d["opens"])).collect(),
                        closes: days.iter().filter_map(|d| text(&d["closes"])).collect(),
                    }
                });
                let oekologi = madordning.as_ref().and_then(|m| m.oekologi.clone());
                Entry {
                    hit: super::search::hit(super::search::HitRow {
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
                    }),
                    town: towns.id(r.postby_lower),
                    kommune: kommuner.id(r.kommune_lower),
                    postnumre: r.postnumre,
                    institution_type: r.institution_type,
                    ejerform: r.ejerform,
                    point: r.breddegrad.zip(r.laengdegrad).map(|(lat, lon)| earth(lat, lon)),
                    profil,
                    madordning,
                    aabning,
                }
            })
            .collect();
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
            entries,
            names,
            name_starts,
            numbers,
            towns: towns.values,
            kommuner: kommuner.values,
            districts,
        })
    }

    /// How many active institutions the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        let offset = (filter.page - 1).saturating_mul(PAGE_SIZE as usize);
        // (entry's place in name order, distance)
        let matching = self.entries.iter().enumerate().filter_map(|(at, entry)| {
            if !text.as_ref().is_none_or(|found| found[at]) || !entry.matches(filter) {
                return None;
            }
            let distance = from.zip(entry.point).map(|(a, b)| great_circle(a, b));
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
                ..self.entries[at].hit.clone()
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
        let mut found = vec![false; self.entries.len()];
        let mut entry = 0;
        for at in memchr::memmem::find_iter(self.names.as_bytes(), lower.as_bytes()) {
            while self.name_starts.get(entry + 1).is_some_and(|&next| next <= at) {
                entry += 1;
            }
            found[entry] = true;
        }
        if let Some(&at) = self.numbers.get(&upper) {
            found[at] = true;
        }
        // `postnummer::text = $1`: the number written without a sign or zeros in front.
        let number = exact.parse::<i16>().ok().filter(|n| n.to_string() == exact);
        let towns: Vec<bool> = self.towns.iter().map(|t| t.starts_with(&lower)).collect();
        let kommuner: Vec<bool> = self.kommuner.iter().map(|k| k.starts_with(&lower)).collect();
        for (found, entry) in found.iter_mut().zip(&self.entries) {
            *found = *found
                || towns[entry.town as usize]
                || kommuner[entry.kommune as usize]
                || number.is_some_and(|n| entry.postnumre.contains(&n));
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

/// Strings each given a number once.
#[derive(Default)]
struct Distinct {
    values: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Distinct {
    fn id(&mut self, value: String) -> u32 {
        if let Some(&id) = self.ids.get(&value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.ids.insert(value.clone(), id);
        self.values.push(value);
        id
    }
}

impl Entry {
    /// Whether the entry passes the filters other than the text.
    fn matches(&self, filter: &CheckedFilter) -> bool {
        let has = |keys: &[String], key: &str| keys.iter().any(|k| k == key);
        filter
            .institution_type
            .is_none_or(|t| self.institution_type == t.as_str())
            && filter.ejerform.is_none_or(|e| self.ejerform == e.as_str())
            && (filter.alder.is_none() && filter.profil.is_none()
                || self.profil.as_ref().is_some_and(|p| {
                    filter.alder.is_none_or(|a| has(&p.aldersgrupper, a.as_str()))
                        && filter.profil.is_none_or(|t| has(&p.tags, t.as_str()))
                }))
            && (filter.oekologi.is_empty() && filter.hensyn.is_none()
                || self.madordning.as_ref().is_some_and(|m| {
                    (filter.oekologi.is_empty()
                        || m.oekologi
                            .as_deref()
                            .is_some_and(|o| filter.oekologi.contains(&o)))
                        && filter.hensyn.is_none_or(|h| has(&m.hensyn, h.as_str()))
                }))
            && (filter.aabner.is_none() && filter.lukker.is_none()
                || self.aabning.as_ref().is_some_and(|a| {
                    filter
                        .aabner
                        .as_deref()
                        .is_none_or(|wanted| a.opens.iter().any(|o| o.as_str() <= wanted))
                        && filter
                            .lukker
                            .as_deref()
                            .is_none_or(|wanted| a.closes.iter().any(|c| c.as_str() >= wanted))
                }))
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
    fn the_text_is_cased_one_character_at_a_time() {
        let (lower, upper) = cased("Ærø ß g10234");
        assert_eq!(lower, "ærø ß g10234");
        assert_eq!(upper, "ÆRØ ß G10234");
    }
}
