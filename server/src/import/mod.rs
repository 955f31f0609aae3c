//! Imports (the register, kommune key figures) from semicolon-separated UTF-8 files (with or without a BOM), the
//! way Danish public exports are written: decimal commas, one header line.
//!
//! Every line is checked on its own. A rejected line is reported with its line
//! number and reason and the good lines are still imported, all in one
//! transaction. Rows are upserted by key and only written when something
//! differs, so importing the same file twice changes nothing.

use std::collections::HashSet;
use std::fmt;

use sqlx::PgPool;

mod key_figures;
mod register;

pub use key_figures::{
    key_figures, parse_key_figure_line, KeyFigureRow, EXAMPLE_KEY_FIGURES, KEY_FIGURE_COLUMNS,
};
pub use register::{
    parse_register_line, register, RegisterRow, EXAMPLE_REGISTER, REGISTER_COLUMNS, REGISTER_POSITION_COLUMNS,
};

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

/// A file's numbered records, and how many columns its header has.
pub(crate) type Records = (Vec<(usize, csv::StringRecord)>, usize);

/// Split a file into its header check and numbered records. The header is
/// `columns`, optionally followed by all of `optional`.
pub(crate) fn records(text: &str, columns: &[&str], optional: &[&str]) -> Result<Records, ImportError> {
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
pub(crate) fn check_columns(record: &csv::StringRecord, width: usize) -> Result<(), String> {
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
pub(crate) fn known_kommune(value: &str, kommuner: &HashSet<i16>) -> Result<i16, String> {
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
pub(crate) fn decimal(name: &str, value: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
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

pub(crate) fn danish(value: f64) -> String {
    value.to_string().replace('.', ",")
}

/// The codes of the 98 kommuner.
pub(crate) async fn kommune_codes(pool: &PgPool) -> Result<HashSet<i16>, sqlx::Error> {
    Ok(sqlx::query_scalar!("SELECT kode FROM kommuner")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect())
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
