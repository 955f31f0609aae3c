//! The register file, like Dagtilbudsregisteret's export: one line per
//! institution, optionally with its position.

use std::collections::{HashMap, HashSet};

use sqlx::PgPool;

use super::{check_columns, known_kommune, kommune_codes, records, ImportError, ImportReport, Rejection};

/// A small register file in the format of Dagtilbudsregisteret's export.
pub const EXAMPLE_REGISTER: &str = include_str!("../../../data/dagtilbudsregister-eksempel.csv");

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
