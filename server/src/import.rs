//! Imports (the register, kommune key figures) from semicolon-separated UTF-8 files (with or without a BOM), the
//! way Danish public exports are written: decimal commas, one header line.
//!
//! Every line is checked on its own. A rejected line is reported with its line
//! number and reason and the good lines are still imported, all in one
//! transaction. Rows are upserted by key and only written when something
//! differs, so importing the same file twice changes nothing.

use std::collections::{HashMap, HashSet};
use std::fmt;

use sqlx::PgPool;

/// Example figures shipped with the repository; every one is invented.
pub const EXAMPLE_KEY_FIGURES: &str = include_str!("../../data/noegletal-opdigtet-eksempel.csv");

/// One line the import refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Data lines read (the header not counted).
    pub lines: usize,
    /// New or changed rows written.
    pub written: u64,
    /// Lines whose row was already exactly so.
    pub unchanged: u64,
    pub rejected: Vec<Rejection>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for rejection in &self.rejected {
            writeln!(f, "linje {}: {}", rejection.line, rejection.reason)?;
        }
        write!(
            f,
            "{} linjer læst: {} skrevet, {} uændret, {} afvist",
            self.lines,
            self.written,
            self.unchanged,
            self.rejected.len()
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file's first line must be the header: {expected}")]
    Header { expected: String },
    #[error("the file is not valid CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The columns of a key figures file, in order.
pub const KEY_FIGURE_COLUMNS: [&str; 10] = [
    "kommunekode",
    "aar",
    "normering_0_2",
    "normering_3_5",
    "normering_dagpleje",
    "andel_paedagoger",
    "boern",
    "andel_ikke_dansk",
    "opdigtet",
    "kilde",
];

/// One checked line of a key figures file.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigureRow {
    pub kommunekode: i16,
    pub aar: i16,
    pub normering_0_2: Option<f64>,
    pub normering_3_5: Option<f64>,
    pub normering_dagpleje: Option<f64>,
    pub andel_paedagoger: Option<f64>,
    pub boern: Option<i32>,
    pub andel_ikke_dansk: Option<f64>,
    pub opdigtet: bool,
    pub kilde: String,
}

/// A file's numbered records, and how many columns its header has.
type Records = (Vec<(usize, csv::StringRecord)>, usize);

/// Split a file into its header check and numbered records. The header is
/// `columns`, optionally followed by all of `optional`.
fn records(text: &str, columns: &[&str], optional: &[&str]) -> Result<Records, ImportError> {
    // csv counts a record's line before the "\n" of a "\r\n" ending: with
    // Windows line endings every number would be one too low.
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let with_optional: Vec<&str> = columns.iter().chain(optional).copied().collect();
    if header != columns && (optional.is_empty() || header != with_optional) {
        let expected = if optional.is_empty() {
            columns.join(";")
        } else {
            format!(
                "{} (eventuelt efterfulgt af ;{})",
                columns.join(";"),
                optional.join(";")
            )
        };
        return Err(ImportError::Header { expected });
    }
    let width = header.len();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        out.push((line, record));
    }
    Ok((out, width))
}

/// A line must have exactly the file's `width` columns.
fn check_columns(record: &csv::StringRecord, width: usize) -> Result<(), String> {
    if record.len() == width {
        Ok(())
    } else {
        Err(format!(
            "linjen har {} kolonner, men skal have {width}",
            record.len()
        ))
    }
}

/// A kommunekode that names one of the 98 kommuner.
fn known_kommune(value: &str, kommuner: &HashSet<i16>) -> Result<i16, String> {
    let kode: i16 = value
        .parse()
        .map_err(|_| format!("kommunekode skal være et tal med tre cifre (ikke «{value}»)"))?;
    if kommuner.contains(&kode) {
        Ok(kode)
    } else {
        Err(format!("kommunekode {kode} er ikke en dansk kommune"))
    }
}

/// A decimal number written with a comma (a point is accepted too); empty is none.
fn decimal(name: &str, value: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let number: f64 = value
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("{name} skal være et tal med decimalkomma, fx 3,1 (ikke «{value}»)"))?;
    if !number.is_finite() || number < min || number > max {
        return Err(format!(
            "{name} skal være mellem {} og {} (ikke {value})",
            danish(min),
            danish(max)
        ));
    }
    Ok(Some(number))
}

fn danish(value: f64) -> String {
    value.to_string().replace('.', ",")
}

/// Check one line of a key figures file against the known kommuner.
pub fn parse_key_figure_line(
    record: &csv::StringRecord,
    kommuner: &HashSet<i16>,
) -> Result<KeyFigureRow, String> {
    check_columns(record, KEY_FIGURE_COLUMNS.len())?;
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let kommunekode = known_kommune(field(0), kommuner)?;
    let aar: i16 = field(1)
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| format!("aar skal være et årstal som 2025 (ikke «{}»)", field(1)))?;
    let boern = match field(6) {
        "" => None,
        text => Some(
            text.replace('.', "")
                .parse::<i32>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| format!("boern skal være et helt antal børn (ikke «{text}»)"))?,
        ),
    };
    let opdigtet = match field(8).to_lowercase().as_str() {
        "ja" => true,
        "nej" => false,
        other => return Err(format!("opdigtet skal være ja eller nej (ikke «{other}»)")),
    };
    let kilde = field(9);
    if kilde.is_empty() || kilde.chars().count() > 200 {
        return Err("kilde skal angive, hvor tallene kommer fra (1–200 tegn)".into());
    }
    Ok(KeyFigureRow {
        kommunekode,
        aar,
        normering_0_2: decimal("normering_0_2", field(2), 0.1, 99.9)?,
        normering_3_5: decimal("normering_3_5", field(3), 0.1, 99.9)?,
        normering_dagpleje: decimal("normering_dagpleje", field(4), 0.1, 99.9)?,
        andel_paedagoger: decimal("andel_paedagoger", field(5), 0.0, 100.0)?,
        boern,
        andel_ikke_dansk: decimal("andel_ikke_dansk", field(7), 0.0, 100.0)?,
        opdigtet,
        kilde: kilde.to_string(),
    })
}

/// The codes of the 98 kommuner.
async fn kommune_codes(pool: &PgPool) -> Result<HashSet<i16>, sqlx::Error> {
    Ok(sqlx::query_scalar!("SELECT kode FROM kommuner")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect())
}

/// Import kommune key figures; see the module documentation.
pub async fn key_figures(
    pool: &PgPool,
    text: &str,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportReport, ImportError> {
    let (records, _) = records(text, &KEY_FIGURE_COLUMNS, &[])?;
    let kommuner = kommune_codes(pool).await?;
    let mut report = ImportReport {
        lines: records.len(),
        ..ImportReport::default()
    };
    let mut seen: HashMap<(i16, i16), usize> = HashMap::new();
    let mut tx = pool.begin().await?;
    for (i, (line, record)) in records.iter().enumerate() {
        progress(i + 1, records.len());
        let row = match parse_key_figure_line(record, &kommuner) {
            Ok(row) => row,
            Err(reason) => {
                report.rejected.push(Rejection { line: *line, reason });
                continue;
            }
        };
        if let Some(first) = seen.insert((row.kommunekode, row.aar), *line) {
            report.rejected.push(Rejection {
                line: *line,
                reason: format!(
                    "kommune {} og år {} står allerede i linje {first}",
                    row.kommunekode, row.aar
                ),
            });
            continue;
        }
        let written = sqlx::query!(
            r#"INSERT INTO kommune_key_figures AS k
                 (kommunekode, aar, normering_0_2, normering_3_5, normering_dagpleje,
                  andel_paedagoger, boern, andel_ikke_dansk, opdigtet, kilde)
               VALUES ($1, $2, $3::float8, $4::float8, $5::float8, $6::float8, $7, $8::float8, $9, $10)
               ON CONFLICT (kommunekode, aar) DO UPDATE SET
                 normering_0_2 = EXCLUDED.normering_0_2, normering_3_5 = EXCLUDED.normering_3_5,
                 normering_dagpleje = EXCLUDED.normering_dagpleje, andel_paedagoger = EXCLUDED.andel_paedagoger,
                 boern = EXCLUDED.boern, andel_ikke_dansk = EXCLUDED.andel_ikke_dansk,
                 opdigtet = EXCLUDED.opdigtet, kilde = EXCLUDED.kilde, imported_at = now()
               WHERE (k.normering_0_2, k.normering_3_5, k.normering_dagpleje, k.andel_paedagoger,
                      k.boern, k.andel_ikke_dansk, k.opdigtet, k.kilde)
                 IS DISTINCT FROM
                     (EXCLUDED.normering_0_2, EXCLUDED.normering_3_5, EXCLUDED.normering_dagpleje,
                      EXCLUDED.andel_paedagoger, EXCLUDED.boern, EXCLUDED.andel_ikke_dansk,
                      EXCLUDED.opdigtet, EXCLUDED.kilde)"#,
            row.kommunekode,
            row.aar,
            row.normering_0_2,
            row.normering_3_5,
            row.normering_dagpleje,
            row.andel_paedagoger,
            row.boern,
            row.andel_ikke_dansk,
            row.opdigtet,
            row.kilde,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if written == 0 {
            report.unchanged += 1;
        } else {
            report.written += written;
        }
    }
    tx.commit().await?;
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

/// A small register file in the format of Dagtilbudsregisteret's export.
pub const EXAMPLE_REGISTER: &str = include_str!("../../data/dagtilbudsregister-eksempel.csv");

/// The columns of a register file, in order.
pub const REGISTER_COLUMNS: [&str; 13] = [
    "institutionsnummer",
    "navn",
    "type",
    "ejerform",
    "kommunekode",
    "vejnavn",
    "husnummer",
    "postnummer",
    "postby",
    "cvr",
    "p_nummer",
    "status",
    "nedlagt_dato",
];

/// Optional last columns of a register file: where the institution lies
/// (WGS 84 degrees, decimal comma). Without them, positions are left as they are.
pub const REGISTER_POSITION_COLUMNS: [&str; 2] = ["breddegrad", "laengdegrad"];

/// One checked line of a register file.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRow {
    pub nummer: String,
    pub navn: String,
    pub institution_type: &'static str,
    pub ejerform: &'static str,
    pub kommunekode: i16,
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: i16,
    pub postby: String,
    pub cvr: Option<String>,
    pub p_nummer: Option<String>,
    /// `Some(date)` when the register says the institution is closed.
    pub closed_on: Option<time::Date>,
    /// Where it lies, when the file says (empty position columns say "unknown").
    pub position: Option<app::domain::position::Position>,
}

fn text_field(name: &str, value: &str, max: usize) -> Result<String, String> {
    let count = value.chars().count();
    if count == 0 || count > max {
        return Err(format!("{name} skal have 1–{max} tegn (har {count})"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{name} indeholder et kontroltegn"));
    }
    if value.contains(['<', '>']) {
        return Err(format!(
            "{name} indeholder < eller >, som ikke må stå i registerets felter"
        ));
    }
    Ok(value.to_string())
}

/// Check one line of a register file against the known kommuner and
/// postnumre. A line of a file with the position columns has 15 fields.
pub fn parse_register_line(
    record: &csv::StringRecord,
    kommuner: &HashSet<i16>,
    postnumre: &HashSet<i16>,
) -> Result<RegisterRow, String> {
    use app::domain::position::Position;
    use app::domain::register::{Cvr, PNummer};
    use app::domain::{Ejerform, InstitutionNumber, InstitutionType, Postnummer};
    let with_position = record.len() == REGISTER_COLUMNS.len() + REGISTER_POSITION_COLUMNS.len();
    if !with_position {
        check_columns(record, REGISTER_COLUMNS.len())?;
    }
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let nummer = InstitutionNumber::parse(field(0)).map_err(|e| format!("institutionsnummer: {e}"))?;
    let navn = text_field("navn", field(1), 132)?;
    let institution_type = InstitutionType::parse(&field(2).to_lowercase())
        .filter(|t| *t != InstitutionType::Dagpleje)
        .ok_or_else(|| {
            // Dagpleje is not in Dagtilbudsregisteret: the kommune reports it.
            let known: Vec<&str> = InstitutionType::ALL
                .iter()
                .filter(|t| **t != InstitutionType::Dagpleje)
                .map(|t| t.as_str())
                .collect();
            format!("type «{}» kendes ikke; brug en af {}", field(2), known.join(", "))
        })?
        .as_str();
    let ejerform = Ejerform::parse(&field(3).to_lowercase())
        .ok_or_else(|| {
            let known: Vec<&str> = Ejerform::ALL.iter().map(|e| e.as_str()).collect();
            format!(
                "ejerform «{}» kendes ikke; brug en af {}",
                field(3),
                known.join(", ")
            )
        })?
        .as_str();
    let kommunekode = known_kommune(field(4), kommuner)?;
    let vejnavn = text_field("vejnavn", field(5), 100)?;
    let husnummer = text_field("husnummer", field(6), 10)?;
    let postnummer = Postnummer::parse(field(7)).map_err(|e| format!("postnummer: {e}"))?;
    let postnummer = i16::from(postnummer);
    if !postnumre.contains(&postnummer) {
        return Err(format!("postnummer {postnummer} findes ikke"));
    }
    let postby = text_field("postby", field(8), 60)?;
    let cvr = match field(9) {
        "" => None,
        text => Some(Cvr::parse(text).map_err(|e| format!("cvr: {e}"))?.to_string()),
    };
    let p_nummer = match field(10) {
        "" => None,
        text => Some(
            PNummer::parse(text)
                .map_err(|e| format!("p_nummer: {e}"))?
                .to_string(),
        ),
    };
    let closed_on = match (field(11).to_lowercase().as_str(), field(12)) {
        ("aktiv", "") => None,
        ("aktiv", _) => return Err("nedlagt_dato skal være tom, når status er aktiv".into()),
        ("nedlagt", date) => Some(
            app::domain::calendar::parse_date(date)
                .ok_or_else(|| format!("nedlagt_dato skal være en dato som 31.7.2025 (ikke «{date}»)"))?,
        ),
        (other, _) => return Err(format!("status skal være aktiv eller nedlagt (ikke «{other}»)")),
    };
    let position = if with_position {
        Position::parse_optional(field(13), field(14), ("breddegrad", "laengdegrad")).map_err(|errors| {
            errors
                .iter()
                .map(|(column, message)| format!("{column}: {message}"))
                .collect::<Vec<_>>()
                .join("; ")
        })?
    } else {
        None
    };
    Ok(RegisterRow {
        nummer: nummer.as_str().to_string(),
        navn,
        institution_type,
        ejerform,
        kommunekode,
        vejnavn,
        husnummer,
        postnummer,
        postby,
        cvr,
        p_nummer,
        closed_on,
        position,
    })
}

/// Import the register: upsert by number, never delete. A row that becomes
/// closed ends the sessions of its account; every new or changed row gets an
/// audit row. See the module documentation for rejections and repeats.
pub async fn register(
    pool: &PgPool,
    text: &str,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportReport, ImportError> {
    let (records, width) = records(text, &REGISTER_COLUMNS, &REGISTER_POSITION_COLUMNS)?;
    let with_position = width > REGISTER_COLUMNS.len();
    let kommuner = kommune_codes(pool).await?;
    let postnumre: HashSet<i16> = sqlx::query_scalar!("SELECT postnummer FROM postnumre")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    let mut report = ImportReport {
        lines: records.len(),
        ..ImportReport::default()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut tx = pool.begin().await?;
    for (i, (line, record)) in records.iter().enumerate() {
        progress(i + 1, records.len());
        let parsed =
            check_columns(record, width).and_then(|()| parse_register_line(record, &kommuner, &postnumre));
        let row = match parsed {
            Ok(row) => row,
            Err(reason) => {
                report.rejected.push(Rejection { line: *line, reason });
                continue;
            }
        };
        if let Some(first) = seen.insert(row.nummer.clone(), *line) {
            report.rejected.push(Rejection {
                line: *line,
                reason: format!("institutionsnummer {} står allerede i linje {first}", row.nummer),
            });
            continue;
        }
        let status = if row.closed_on.is_some() {
            "nedlagt"
        } else {
            "aktiv"
        };
        let written = sqlx::query_scalar!(
            r#"WITH old AS (SELECT status FROM institutions WHERE nummer = $1),
               up AS (
                 INSERT INTO institutions AS i
                   (nummer, navn, institution_type, ejerform, kommunekode, vejnavn, husnummer,
                    postnummer, postby, cvr, p_nummer, status, closed_on, breddegrad, laengdegrad)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $16)
                 ON CONFLICT (nummer) DO UPDATE SET
                   navn = EXCLUDED.navn, institution_type = EXCLUDED.institution_type,
                   ejerform = EXCLUDED.ejerform, kommunekode = EXCLUDED.kommunekode,
                   vejnavn = EXCLUDED.vejnavn, husnummer = EXCLUDED.husnummer,
                   postnummer = EXCLUDED.postnummer, postby = EXCLUDED.postby, cvr = EXCLUDED.cvr,
                   p_nummer = EXCLUDED.p_nummer, status = EXCLUDED.status, closed_on = EXCLUDED.closed_on,
                   breddegrad = CASE WHEN $14 THEN EXCLUDED.breddegrad ELSE i.breddegrad END,
                   laengdegrad = CASE WHEN $14 THEN EXCLUDED.laengdegrad ELSE i.laengdegrad END,
                   version = i.version + 1, updated_at = now()
                 WHERE (i.navn, i.institution_type, i.ejerform, i.kommunekode, i.vejnavn, i.husnummer,
                        i.postnummer, i.postby, i.cvr, i.p_nummer, i.status, i.closed_on)
                   IS DISTINCT FROM
                       (EXCLUDED.navn, EXCLUDED.institution_type, EXCLUDED.ejerform, EXCLUDED.kommunekode,
                        EXCLUDED.vejnavn, EXCLUDED.husnummer, EXCLUDED.postnummer, EXCLUDED.postby,
                        EXCLUDED.cvr, EXCLUDED.p_nummer, EXCLUDED.status, EXCLUDED.closed_on)
                   OR $14 AND (i.breddegrad, i.laengdegrad)
                              IS DISTINCT FROM (EXCLUDED.breddegrad, EXCLUDED.laengdegrad)
                 RETURNING i.id, i.kommunekode, i.status
               ),
               ended AS (
                 UPDATE institution_accounts a SET epoch = a.epoch + 1
                 FROM up
                 WHERE a.institution_id = up.id AND up.status = 'nedlagt'
                   AND (SELECT status FROM old) IS DISTINCT FROM 'nedlagt'
                 RETURNING 1
               ),
               audited AS (
                 INSERT INTO audit_log (actor_role, actor_label, action, institution_id, kommunekode, details)
                 SELECT 'system', 'registerimport', 'register_importeret', up.id, up.kommunekode,
                        jsonb_build_object('nummer', $1::text, 'ny', NOT EXISTS (SELECT 1 FROM old),
                                           'status', up.status)
                 FROM up
                 RETURNING 1
               )
               SELECT count(*) AS "written!" FROM up"#,
            row.nummer,
            row.navn,
            row.institution_type,
            row.ejerform,
            row.kommunekode,
            row.vejnavn,
            row.husnummer,
            row.postnummer,
            row.postby,
            row.cvr,
            row.p_nummer,
            status,
            row.closed_on,
            with_position,
            row.position.map(|p| p.breddegrad),
            row.position.map(|p| p.laengdegrad),
        )
        .fetch_one(&mut *tx)
        .await?;
        if written == 0 {
            report.unchanged += 1;
        } else {
            report.written += written as u64;
        }
    }
    tx.commit().await?;
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: &str) -> csv::StringRecord {
        csv::StringRecord::from(line.split(';').collect::<Vec<_>>())
    }

    fn kommuner() -> HashSet<i16> {
        [101, 751].into_iter().collect()
    }

    #[test]
    fn decimal_commas_and_empty_figures_are_read() {
        let row = parse_key_figure_line(
            &record("751;2025;3,1;6;;58,5;1.234;12,0;ja;Opdigtet"),
            &kommuner(),
        )
        .unwrap();
        assert_eq!(row.normering_0_2, Some(3.1));
        assert_eq!(row.normering_3_5, Some(6.0));
        assert_eq!(row.normering_dagpleje, None);
        assert_eq!(row.boern, Some(1234));
        assert!(row.opdigtet);
    }

    #[test]
    fn each_bad_field_is_named() {
        let check = |line: &str, needle: &str| {
            let reason = parse_key_figure_line(&record(line), &kommuner()).unwrap_err();
            assert!(reason.contains(needle), "{line}: {reason}");
        };
        check("999;2025;3;6;4;58;1;12;ja;x", "ikke en dansk kommune");
        check("abc;2025;3;6;4;58;1;12;ja;x", "kommunekode");
        check("101;25;3;6;4;58;1;12;ja;x", "aar");
        check("101;2025;3.1.2;6;4;58;1;12;ja;x", "normering_0_2");
        check("101;2025;3;6;4;158;1;12;ja;x", "andel_paedagoger");
        check("101;2025;3;6;4;58;-1;12;ja;x", "boern");
        check("101;2025;3;6;4;58;1;12;måske;x", "opdigtet");
        check("101;2025;3;6;4;58;1;12;ja;", "kilde");
        check("101;2025;3;6;4;58;1;12;ja", "kolonner");
    }

    #[test]
    fn the_header_must_match_and_a_bom_is_skipped() {
        let good = format!(
            "\u{feff}{}\n101;2025;3;6;4;58;1;12;ja;x\n\n",
            KEY_FIGURE_COLUMNS.join(";")
        );
        let (lines, _) = records(&good, &KEY_FIGURE_COLUMNS, &[]).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].0, 2);
        let windows = good.replace('\n', "\r\n");
        assert_eq!(records(&windows, &KEY_FIGURE_COLUMNS, &[]).unwrap().0[0].0, 2);
        assert!(matches!(
            records("kode;aar\n101;2025\n", &KEY_FIGURE_COLUMNS, &[]),
            Err(ImportError::Header { .. })
        ));
    }
}
