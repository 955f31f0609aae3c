//! The kommune key figures file: one line per kommune and year.

use std::collections::{HashMap, HashSet};

use sqlx::PgPool;

use super::{
    check_columns, decimal, known_kommune, kommune_codes, records, ImportError, ImportReport, Rejection,
};

/// Example figures shipped with the repository; every one is invented.
pub const EXAMPLE_KEY_FIGURES: &str = include_str!("../../../data/noegletal-opdigtet-eksempel.csv");

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
