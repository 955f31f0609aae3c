//! Searching the active institutions: by name, number, postnummer, town or
//! kommune, with filters on what the institutions reported. The whole search
//! is in the query string, so a search is a plain GET form and a link.

use serde::{Deserialize, Serialize};

use super::distance::{Origin, MAX_KM};
use crate::domain::calendar::{format_time, parse_time};
use crate::domain::position::Position;
use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
use crate::domain::{Ejerform, InstitutionType, Postnummer};
use crate::error::FieldErrors;

/// Results per page.
pub const PAGE_SIZE: i64 = 20;
/// The longest search text taken into account.
const MAX_QUERY_CHARS: usize = 100;

/// What the search form sends (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchFilter {
    pub q: String,
    #[serde(rename = "type")]
    pub institution_type: String,
    pub alder: String,
    pub ejerform: String,
    pub profil: String,
    /// The lowest Spisemærke level wanted.
    pub oekologi: String,
    pub hensyn: String,
    /// Opens at this time or earlier on some weekday ("hh:mm").
    pub aabner: String,
    /// Closes at this time or later on some weekday ("hh:mm").
    pub lukker: String,
    /// Starting point for distances: a postnummer …
    pub fra: String,
    /// … or a point (the browser's location, filled in by "Brug min placering").
    pub breddegrad: String,
    pub laengdegrad: String,
    /// Only institutions within this many kilometres (one of [`MAX_KM`]).
    pub maks_km: String,
    /// "navn" or "afstand"; empty is by distance when there is a starting point.
    pub sortering: String,
    pub side: usize,
}

/// A filter checked against the known choices; unknown choices are ignored
/// (old links keep working), bad times are errors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedFilter {
    pub text: String,
    pub institution_type: Option<InstitutionType>,
    pub alder: Option<Aldersgruppe>,
    pub ejerform: Option<Ejerform>,
    pub profil: Option<ProfilTag>,
    /// The Spisemærke levels that are at least the one asked for.
    pub oekologi: Vec<&'static str>,
    pub hensyn: Option<Hensyn>,
    pub aabner: Option<String>,
    pub lukker: Option<String>,
    pub origin: Option<Origin>,
    /// The largest distance wanted, in metres.
    pub max_m: Option<f64>,
    /// Nearest first (else by name).
    pub by_distance: bool,
    pub page: usize,
}

impl SearchFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).unwrap_or_default();
        SearchFilter {
            q: text("q"),
            institution_type: text("type"),
            alder: text("alder"),
            ejerform: text("ejerform"),
            profil: text("profil"),
            oekologi: text("oekologi"),
            hensyn: text("hensyn"),
            aabner: text("aabner"),
            lukker: text("lukker"),
            fra: text("fra"),
            breddegrad: text("breddegrad"),
            laengdegrad: text("laengdegrad"),
            maks_km: text("maks_km"),
            sortering: text("sortering"),
            side: get("side").and_then(|s| s.parse().ok()).unwrap_or(1),
        }
    }

    /// The search a query string names; of a repeated field, the last
    /// value counts, as in the router's query map.
    #[cfg(feature = "ssr")]
    pub fn from_query_string(query: &str) -> Self {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        Self::from_query(|key| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    /// The query string of this search on page `side` (`?…`, empty for none).
    pub fn query(&self, side: usize) -> String {
        // A postnummer, once typed, is the starting point.
        let point = |value: &String| {
            if self.fra.trim().is_empty() {
                value.clone()
            } else {
                String::new()
            }
        };
        let (breddegrad, laengdegrad) = (point(&self.breddegrad), point(&self.laengdegrad));
        let mut pairs: Vec<(&str, String)> = [
            ("q", &self.q),
            ("type", &self.institution_type),
            ("alder", &self.alder),
            ("ejerform", &self.ejerform),
            ("profil", &self.profil),
            ("oekologi", &self.oekologi),
            ("hensyn", &self.hensyn),
            ("aabner", &self.aabner),
            ("lukker", &self.lukker),
            ("fra", &self.fra),
            ("breddegrad", &breddegrad),
            ("laengdegrad", &laengdegrad),
            ("maks_km", &self.maks_km),
            ("sortering", &self.sortering),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect();
        if side > 1 {
            pairs.push(("side", side.to_string()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::components::paging::encode_query_value(&v)))
            .collect();
        format!("?{}", encoded.join("&"))
    }

    pub fn check(&self) -> Result<CheckedFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut time = |field: &str, value: &str, example: &str| -> Option<String> {
            if value.trim().is_empty() {
                return None;
            }
            match parse_time(value) {
                Some(time) => Some(format_time(time)),
                None => {
                    errors.insert(
                        field.to_string(),
                        format!("Skriv tidspunktet som tt:mm med 24-timers ur, fx {example}."),
                    );
                    None
                }
            }
        };
        let aabner = time("aabner", &self.aabner, "07:00");
        let lukker = time("lukker", &self.lukker, "17:00");
        // The form offers only known values; anything else came from an
        // edited link or an API client, and is named rather than ignored.
        let mut known = |field: &str, label: &str, value: &str, ok: bool| {
            if !value.trim().is_empty() && !ok {
                errors.insert(
                    field.to_string(),
                    format!("{label} kender vi ikke. Vælg en af mulighederne på listen."),
                );
            }
        };
        known(
            "type",
            "Typen",
            &self.institution_type,
            InstitutionType::parse(&self.institution_type).is_some(),
        );
        known(
            "alder",
            "Aldersgruppen",
            &self.alder,
            Aldersgruppe::parse(&self.alder).is_some(),
        );
        known(
            "ejerform",
            "Ejerformen",
            &self.ejerform,
            Ejerform::parse(&self.ejerform).is_some(),
        );
        known(
            "profil",
            "Profilen",
            &self.profil,
            ProfilTag::parse(&self.profil).is_some(),
        );
        known(
            "oekologi",
            "Økologiniveauet",
            &self.oekologi,
            Oekologi::parse(&self.oekologi).is_some(),
        );
        known(
            "hensyn",
            "Madhensynet",
            &self.hensyn,
            Hensyn::parse(&self.hensyn).is_some(),
        );
        let origin = self.origin(&mut errors);
        let max_km = match self.maks_km.trim() {
            "" => None,
            text => match text.parse::<u32>().ok().filter(|km| MAX_KM.contains(km)) {
                Some(km) => Some(km),
                None => {
                    errors.insert(
                        "maks_km".into(),
                        "Afstanden kender vi ikke. Vælg en af afstandene på listen.".into(),
                    );
                    None
                }
            },
        };
        let by_distance = match self.sortering.trim() {
            "" => origin.is_some(),
            "afstand" => true,
            "navn" => false,
            _ => {
                errors.insert(
                    "sortering".into(),
                    "Sorteringen kender vi ikke. Vælg navn eller afstand.".into(),
                );
                false
            }
        };
        if origin.is_none()
            && !errors.contains_key("fra")
            && (max_km.is_some() || self.sortering.trim() == "afstand")
        {
            errors.insert(
                "fra".into(),
                "Skriv dit postnummer, fx 8660, eller brug din placering, for at søge efter afstand.".into(),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let oekologi = match Oekologi::parse(&self.oekologi) {
            Some(wanted) => Oekologi::ALL
                .iter()
                .filter(|level| **level >= wanted)
                .map(|level| level.as_str())
                .collect(),
            None => Vec::new(),
        };
        Ok(CheckedFilter {
            // PostgreSQL's text holds no NUL (and the index keeps names apart with it).
            text: self
                .q
                .trim()
                .chars()
                .filter(|c| *c != '\0')
                .take(MAX_QUERY_CHARS)
                .collect(),
            institution_type: InstitutionType::parse(&self.institution_type),
            alder: Aldersgruppe::parse(&self.alder),
            ejerform: Ejerform::parse(&self.ejerform),
            profil: ProfilTag::parse(&self.profil),
            oekologi,
            hensyn: Hensyn::parse(&self.hensyn),
            aabner,
            lukker,
            origin,
            max_m: max_km.map(|km| f64::from(km) * 1000.0),
            by_distance,
            page: self.side.clamp(1, 10_000),
        })
    }

    /// The starting point: a typed postnummer first, else the browser's point.
    fn origin(&self, errors: &mut FieldErrors) -> Option<Origin> {
        if !self.fra.trim().is_empty() {
            return match Postnummer::parse(&self.fra) {
                Ok(postnummer) => Some(Origin::Postnummer(postnummer)),
                Err(_) => {
                    errors.insert("fra".into(), "Skriv postnummeret med fire cifre, fx 8660.".into());
                    None
                }
            };
        }
        match Position::parse_optional(&self.breddegrad, &self.laengdegrad, ("breddegrad", "laengdegrad")) {
            Ok(point) => point.map(Origin::Point),
            Err(_) => {
                // The point came from the browser (or an edited link); the
                // parent can only fix it by giving a postnummer instead.
                errors.insert(
                    "fra".into(),
                    "Din placering kan ikke bruges: den ligger ikke i Danmark. Skriv i stedet dit postnummer, fx 8660.".into(),
                );
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.query(1).is_empty()
    }
}

/// One institution in the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub nummer: String,
    pub navn: String,
    pub type_label: String,
    pub ejerform_label: String,
    pub adresse: String,
    pub kommune: String,
    pub kommunekode: i16,
    /// Age groups reported, as labels.
    pub aldersgrupper: Vec<String>,
    /// e.g. "06:30–17:00" on Mondays, if reported.
    pub mandag: Option<String>,
    pub oekologi: Option<String>,
    pub position: Option<Position>,
    /// Straight-line metres from the search's starting point.
    pub distance_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub page: usize,
    pub pages: usize,
    /// Where distances were measured from, e.g. "8660 Skanderborg" or "din placering".
    pub origin: Option<String>,
    /// Why the starting point is not quite the one asked for, if it is not.
    pub origin_note: Option<String>,
}

/// Which way a search was answered (the API says it in [`ANSWERED_HEADER`]).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Index,
    Sql,
}

#[cfg(feature = "ssr")]
impl Answered {
    pub fn as_str(self) -> &'static str {
        match self {
            Answered::Index => "indeks",
            Answered::Sql => "sql",
        }
    }
}

/// Says how the search API answered (for tests and benchmarks).
pub const ANSWERED_HEADER: &str = "x-soegning";

/// Search: from the in-memory index when it is current (see
/// [`super::index`]), else with [`search_sql`] while the index catches up.
#[cfg(feature = "ssr")]
pub async fn search(
    state: &crate::ssr::AppState,
    index: &std::sync::Arc<super::index::SearchIndex>,
    filter: &CheckedFilter,
) -> Result<(SearchPage, Answered), crate::error::AppError> {
    match index.current(&state.page_cache) {
        Some(current) => Ok((current.search(filter)?, Answered::Index)),
        None => {
            index.refresh(state.pool.clone(), state.page_cache.clone());
            Ok((search_sql(&state.pool, filter).await?, Answered::Sql))
        }
    }
}

/// The search as one SQL query over the register: what the in-memory index
/// must answer alike (a property test compares the two), and the answer
/// while the index is being rebuilt after a change.
#[cfg(feature = "ssr")]
pub async fn search_sql(
    pool: &sqlx::PgPool,
    filter: &CheckedFilter,
) -> Result<SearchPage, crate::error::AppError> {
    // Plain substring and prefix matches: no pattern characters to escape,
    // and cheaper than ILIKE over every active institution.
    let text = &filter.text;
    let offset = (filter.page as i64 - 1) * PAGE_SIZE;
    let origin = match filter.origin {
        Some(origin) => Some(super::distance::resolve(pool, origin).await?),
        None => None,
    };
    let from = origin.as_ref().map(|o| o.position);
    let rows = sqlx::query!(
        // Filter and count on the register first (each section filter an
        // EXISTS on its own row), then fetch the sections for one page only.
        r#"WITH matching AS (
             SELECT i.id, i.navn, i.nummer,
                    earth_distance(ll_to_earth($12, $13), i.sted) AS afstand
             FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
             WHERE i.status = 'aktiv'
               AND ($14::float8 IS NULL OR
                    earth_box(ll_to_earth($12, $13), $14) @> i.sted
                    AND earth_distance(ll_to_earth($12, $13), i.sted) <= $14)
               AND ($1 = '' OR strpos(lower(i.navn), lower($1)) > 0 OR i.nummer = upper($1)
                    OR i.postnummer::text = $1 OR $1 = ANY(i.omraade_postnumre::text[])
                    OR starts_with(lower(i.postby), lower($1))
                    OR starts_with(lower(k.navn), lower($1)))
               AND ($2::text IS NULL OR i.institution_type = $2)
               AND ($3::text IS NULL OR i.ejerform = $3)
               AND ($4::text IS NULL AND $5::text IS NULL OR EXISTS (
                     SELECT 1 FROM institution_sections p WHERE p.institution_id = i.id AND p.section = 'profil'
                       AND ($4::text IS NULL OR p.data->'aldersgrupper' ? $4)
                       AND ($5::text IS NULL OR p.data->'tags' ? $5)))
               AND (cardinality($6::text[]) = 0 AND $7::text IS NULL OR EXISTS (
                     SELECT 1 FROM institution_sections m WHERE m.institution_id = i.id AND m.section = 'madordning'
                       AND (cardinality($6::text[]) = 0 OR m.data->>'oekologi' = ANY($6))
                       AND ($7::text IS NULL OR m.data->'hensyn' ? $7)))
               AND ($8::text IS NULL AND $9::text IS NULL OR EXISTS (
                     SELECT 1 FROM institution_sections a WHERE a.institution_id = i.id AND a.section = 'aabningstider'
                       AND ($8::text IS NULL OR EXISTS (
                             SELECT 1 FROM jsonb_array_elements(a.data->'days') d
                             WHERE jsonb_typeof(d) = 'object' AND d->>'opens' <= $8))
                       AND ($9::text IS NULL OR EXISTS (
                             SELECT 1 FROM jsonb_array_elements(a.data->'days') d
                             WHERE jsonb_typeof(d) = 'object' AND d->>'closes' >= $9))))
           ), page AS (
             SELECT id, navn, nummer, afstand FROM matching
             ORDER BY CASE WHEN $15 THEN afstand END NULLS LAST, navn, nummer LIMIT $10 OFFSET $11
           )
           SELECT i.nummer, i.navn, i.institution_type, i.ejerform, k.navn AS kommune, i.kommunekode,
                  i.breddegrad, i.laengdegrad, page.afstand,
                  i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                  p.data AS "profil?", m.data->>'oekologi' AS oekologi, a.data AS "aabning?",
                  (SELECT COUNT(*) FROM matching) AS "total!"
           FROM page
           JOIN institutions i ON i.id = page.id
           JOIN kommuner k ON k.kode = i.kommunekode
           LEFT JOIN institution_sections p ON p.institution_id = i.id AND p.section = 'profil'
           LEFT JOIN institution_sections m ON m.institution_id = i.id AND m.section = 'madordning'
           LEFT JOIN institution_sections a ON a.institution_id = i.id AND a.section = 'aabningstider'
           ORDER BY CASE WHEN $15 THEN page.afstand END NULLS LAST, page.navn, page.nummer"#,
        text,
        filter.institution_type.map(|t| t.as_str()),
        filter.ejerform.map(|e| e.as_str()),
        filter.alder.map(|a| a.as_str()),
        filter.profil.map(|p| p.as_str()),
        &filter.oekologi.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        filter.hensyn.map(|h| h.as_str()),
        filter.aabner.as_deref(),
        filter.lukker.as_deref(),
        PAGE_SIZE,
        offset,
        from.map(|p| p.breddegrad),
        from.map(|p| p.laengdegrad),
        filter.max_m,
        filter.by_distance,
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let hits = rows
        .into_iter()
        .map(|r| {
            let mut hit = hit(HitRow {
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
                oekologi: r.oekologi,
                aabning: r.aabning,
            });
            hit.distance_m = r.afstand;
            hit
        })
        .collect();
    Ok(page(hits, total, filter, origin))
}

/// A page of hits as the search answers it.
#[cfg(feature = "ssr")]
pub(super) fn page(
    hits: Vec<SearchHit>,
    total: i64,
    filter: &CheckedFilter,
    origin: Option<super::distance::Resolved>,
) -> SearchPage {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1) as usize;
    SearchPage {
        hits,
        total,
        page: filter.page,
        pages,
        origin_note: origin.as_ref().and_then(|o| o.note.clone()),
        origin: origin.map(|o| o.label),
    }
}

/// What a hit is made of, as the register and the sections store it.
#[cfg(feature = "ssr")]
pub(super) struct HitRow<'a> {
    pub nummer: String,
    pub navn: String,
    pub institution_type: &'a str,
    pub ejerform: &'a str,
    pub adresse: String,
    pub kommune: String,
    pub kommunekode: i16,
    pub breddegrad: Option<f64>,
    pub laengdegrad: Option<f64>,
    pub profil: Option<serde_json::Value>,
    /// The madordning's `oekologi` as text.
    pub oekologi: Option<String>,
    pub aabning: Option<serde_json::Value>,
}

/// One hit, without a distance.
#[cfg(feature = "ssr")]
pub(super) fn hit(r: HitRow) -> SearchHit {
    use crate::domain::sections::{OpeningHours, Profil};
    let profil = r.profil.and_then(|d| serde_json::from_value::<Profil>(d).ok());
    let hours = r
        .aabning
        .and_then(|d| serde_json::from_value::<OpeningHours>(d).ok());
    SearchHit {
        type_label: InstitutionType::parse(r.institution_type)
            .map(|t| t.label())
            .unwrap_or("Ukendt")
            .to_string(),
        ejerform_label: Ejerform::parse(r.ejerform)
            .map(|e| e.label())
            .unwrap_or("Ukendt")
            .to_string(),
        aldersgrupper: profil
            .map(|p| p.aldersgrupper.iter().map(|a| a.label().to_string()).collect())
            .unwrap_or_default(),
        mandag: hours
            .and_then(|h| h.days[0].map(|d| format!("{}–{}", format_time(d.opens), format_time(d.closes)))),
        oekologi: r
            .oekologi
            .and_then(|o| Oekologi::parse(&o))
            .map(|o| o.label().to_string()),
        position: r
            .breddegrad
            .zip(r.laengdegrad)
            .and_then(|(lat, lon)| Position::new(lat, lon)),
        distance_m: None,
        nummer: r.nummer,
        navn: r.navn,
        adresse: r.adresse,
        kommune: r.kommune,
        kommunekode: r.kommunekode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn the_query_string_round_trips_and_skips_empty_fields() {
        let filter = SearchFilter {
            q: "Ærø & co".into(),
            institution_type: "boernehave".into(),
            aabner: "7:00".into(),
            ..SearchFilter::default()
        };
        let query = filter.query(3);
        assert!(query.starts_with("?q=") && query.contains("type=boernehave") && query.ends_with("side=3"));
        assert!(!query.contains("alder="));
        let pairs: std::collections::HashMap<String, String> = form_urlencoded::parse(&query.as_bytes()[1..])
            .into_owned()
            .collect();
        let back = SearchFilter::from_query(|k| pairs.get(k).cloned());
        assert_eq!(
            back,
            SearchFilter {
                side: 3,
                ..filter.clone()
            }
        );
        assert_eq!(
            SearchFilter::from_query_string(&query[1..]),
            SearchFilter { side: 3, ..filter }
        );
        assert_eq!(SearchFilter::default().query(1), "");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn of_a_repeated_field_in_the_query_string_the_last_counts() {
        let filter = SearchFilter::from_query_string("q=aarhus&side=x&q=%C3%86r%C3%B8+by&type=vuggestue");
        assert_eq!(filter.q, "Ærø by");
        assert_eq!(filter.institution_type, "vuggestue");
        assert_eq!(filter.side, 1, "a page that is no number is the first");
        assert_eq!(
            SearchFilter::from_query_string(""),
            SearchFilter {
                side: 1,
                ..SearchFilter::default()
            }
        );
    }

    #[test]
    fn checking_normalises_times_and_widens_the_organic_level() {
        let filter = SearchFilter {
            aabner: "6.30".into(),
            oekologi: "soelv".into(),
            ..SearchFilter::default()
        };
        let checked = filter.check().unwrap();
        assert_eq!(checked.aabner.as_deref(), Some("06:30"));
        assert_eq!(checked.oekologi, vec!["soelv", "guld"]);
        let unknown = SearchFilter {
            profil: "ukendt".into(),
            alder: "\u{fffd}".into(),
            ..SearchFilter::default()
        };
        let errors = unknown.check().unwrap_err();
        assert!(errors["profil"].contains("Profilen kender vi ikke"));
        assert!(errors["alder"].contains("Vælg en af mulighederne"));
        let bad = SearchFilter {
            lukker: "sen".into(),
            ..SearchFilter::default()
        };
        assert!(bad.check().unwrap_err()["lukker"].contains("tt:mm"));
    }

    #[test]
    fn a_starting_point_is_a_postnummer_or_a_point_in_denmark() {
        let from_postnummer = SearchFilter {
            fra: " 8660 ".into(),
            breddegrad: "55,0".into(),
            laengdegrad: "10,0".into(),
            maks_km: "5".into(),
            ..SearchFilter::default()
        };
        let checked = from_postnummer.check().unwrap();
        assert!(matches!(checked.origin, Some(Origin::Postnummer(p)) if p.get() == 8660));
        assert_eq!(checked.max_m, Some(5_000.0));
        assert!(checked.by_distance, "a starting point sorts nearest first");
        assert!(
            !from_postnummer.query(1).contains("breddegrad"),
            "the typed postnummer wins"
        );

        let from_point = SearchFilter {
            breddegrad: "56.039".into(),
            laengdegrad: "9.929".into(),
            sortering: "navn".into(),
            ..SearchFilter::default()
        };
        let checked = from_point.check().unwrap();
        assert!(matches!(checked.origin, Some(Origin::Point(p)) if p.breddegrad == 56.039));
        assert!(!checked.by_distance);

        let abroad = SearchFilter {
            breddegrad: "52.52".into(),
            laengdegrad: "13.40".into(),
            ..SearchFilter::default()
        };
        assert!(abroad.check().unwrap_err()["fra"].contains("ligger ikke i Danmark"));
        let no_start = SearchFilter {
            maks_km: "2".into(),
            ..SearchFilter::default()
        };
        assert!(no_start.check().unwrap_err()["fra"].contains("Skriv dit postnummer"));
        let odd = SearchFilter {
            fra: "86".into(),
            maks_km: "3".into(),
            sortering: "pris".into(),
            ..SearchFilter::default()
        };
        let errors = odd.check().unwrap_err();
        assert!(errors["fra"].contains("fire cifre"));
        assert!(errors["maks_km"].contains("Vælg en af afstandene"));
        assert!(errors["sortering"].contains("navn eller afstand"));
    }
}
