//! Searching the active institutions: by name, number, postnummer, town or
//! kommune, with filters on what the institutions reported. The whole search
//! is in the query string, so a search is a plain GET form and a link.

use serde::{Deserialize, Serialize};

use crate::domain::calendar::{format_time, parse_time};
use crate::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
use crate::domain::{Ejerform, InstitutionType};
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
    pub side: usize,
}

/// A filter checked against the known choices; unknown choices are ignored
/// (old links keep working), bad times are errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
            side: get("side").and_then(|s| s.parse().ok()).unwrap_or(1),
        }
    }

    /// The query string of this search on page `side` (`?…`, empty for none).
    pub fn query(&self, side: usize) -> String {
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
            text: self.q.trim().chars().take(MAX_QUERY_CHARS).collect(),
            institution_type: InstitutionType::parse(&self.institution_type),
            alder: Aldersgruppe::parse(&self.alder),
            ejerform: Ejerform::parse(&self.ejerform),
            profil: ProfilTag::parse(&self.profil),
            oekologi,
            hensyn: Hensyn::parse(&self.hensyn),
            aabner,
            lukker,
            page: self.side.clamp(1, 10_000),
        })
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub page: usize,
    pub pages: usize,
}

#[cfg(feature = "ssr")]
pub async fn search(
    pool: &sqlx::PgPool,
    filter: &CheckedFilter,
) -> Result<SearchPage, crate::error::AppError> {
    use crate::domain::sections::{OpeningHours, Profil};

    // Plain substring and prefix matches: no pattern characters to escape,
    // and cheaper than ILIKE over every active institution.
    let text = &filter.text;
    let offset = (filter.page as i64 - 1) * PAGE_SIZE;
    let rows = sqlx::query!(
        // Filter and count on the register first (each section filter an
        // EXISTS on its own row), then fetch the sections for one page only.
        r#"WITH matching AS (
             SELECT i.id, i.navn, i.nummer
             FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
             WHERE i.status = 'aktiv'
               AND ($1 = '' OR strpos(lower(i.navn), lower($1)) > 0 OR i.nummer = upper($1)
                    OR i.postnummer::text = $1 OR starts_with(lower(i.postby), lower($1))
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
             SELECT id, navn, nummer FROM matching ORDER BY navn, nummer LIMIT $10 OFFSET $11
           )
           SELECT i.nummer, i.navn, i.institution_type, i.ejerform, k.navn AS kommune, i.kommunekode,
                  i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                  p.data AS "profil?", m.data->>'oekologi' AS oekologi, a.data AS "aabning?",
                  (SELECT COUNT(*) FROM matching) AS "total!"
           FROM page
           JOIN institutions i ON i.id = page.id
           JOIN kommuner k ON k.kode = i.kommunekode
           LEFT JOIN institution_sections p ON p.institution_id = i.id AND p.section = 'profil'
           LEFT JOIN institution_sections m ON m.institution_id = i.id AND m.section = 'madordning'
           LEFT JOIN institution_sections a ON a.institution_id = i.id AND a.section = 'aabningstider'
           ORDER BY page.navn, page.nummer"#,
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
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let hits = rows
        .into_iter()
        .map(|r| {
            let profil = r.profil.and_then(|d| serde_json::from_value::<Profil>(d).ok());
            let hours = r
                .aabning
                .and_then(|d| serde_json::from_value::<OpeningHours>(d).ok());
            SearchHit {
                type_label: InstitutionType::parse(&r.institution_type)
                    .map(|t| t.label())
                    .unwrap_or("Ukendt")
                    .to_string(),
                ejerform_label: Ejerform::parse(&r.ejerform)
                    .map(|e| e.label())
                    .unwrap_or("Ukendt")
                    .to_string(),
                aldersgrupper: profil
                    .map(|p| p.aldersgrupper.iter().map(|a| a.label().to_string()).collect())
                    .unwrap_or_default(),
                mandag: hours.and_then(|h| {
                    h.days[0].map(|d| format!("{}–{}", format_time(d.opens), format_time(d.closes)))
                }),
                oekologi: r
                    .oekologi
                    .and_then(|o| Oekologi::parse(&o))
                    .map(|o| o.label().to_string()),
                nummer: r.nummer,
                navn: r.navn,
                adresse: r.adresse,
                kommune: r.kommune,
                kommunekode: r.kommunekode,
            }
        })
        .collect();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1) as usize;
    Ok(SearchPage {
        hits,
        total,
        page: filter.page,
        pages,
    })
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
        assert_eq!(back, SearchFilter { side: 3, ..filter });
        assert_eq!(SearchFilter::default().query(1), "");
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
}
