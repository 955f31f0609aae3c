//! The kommune area's queries (server only): the overview, the institutions
//! a letter goes to and their new codes, and the export's rows.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use secrecy::SecretString;
use sqlx::PgPool;

use super::overview::OverviewRow;
use crate::audit::Actor;
use crate::auth::codes::{format_code, generate_code};
use crate::documents::letters::Letter;
use crate::documents::{csv_safe, danish_csv};
use crate::domain::calendar::format_timestamp;
use crate::domain::sections::SectionKind;
use crate::domain::{Ejerform, InstitutionType};
use crate::error::AppError;

/// The kommune's name and every one of its institutions with reporting
/// status (its dagpleje is listed apart: `dagpleje.rs`).
/// The kommune's name and every institution of it (not the dagpleje areas). A
/// section last changed or confirmed before `stale_before` counts as stale.
pub async fn overview_rows(
    pool: &PgPool,
    kommunekode: i16,
    stale_before: time::OffsetDateTime,
    year: i32,
) -> Result<(String, Vec<OverviewRow>, usize), AppError> {
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, i.status = 'aktiv' AS "active!",
                  a.last_login_at IS NOT NULL AS "logged_in!",
                  COALESCE(array_agg(s.section) FILTER (WHERE s.section IS NOT NULL), '{}') AS "filled!",
                  max(s.updated_at) AS updated,
                  count(*) FILTER (WHERE GREATEST(s.updated_at, s.confirmed_at) < $2) AS "stale!",
                  min(GREATEST(s.updated_at, s.confirmed_at)) AS checked,
                  (SELECT count(*) FROM kommune_closing_periods p
                   WHERE p.kommunekode = $1 AND p.removed_at IS NULL
                     AND p.til >= make_date($3, 1, 1) AND p.fra <= make_date($3, 12, 31)
                     AND EXISTS (SELECT 1 FROM institution_sections l
                                 WHERE l.institution_id = i.id AND l.section = 'lukkedage'
                                   AND l.data -> 'periods' @> jsonb_build_array(jsonb_build_object('kommune_period', p.id)))
                  ) AS "common_taken!"
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           LEFT JOIN institution_sections s ON s.institution_id = i.id
           WHERE i.kommunekode = $1 AND i.institution_type <> 'dagpleje'
           GROUP BY i.id, a.last_login_at"#,
        kommunekode,
        stale_before,
        year
    )
    .fetch_all(pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| OverviewRow {
            institution_type: InstitutionType::parse(&r.institution_type)
                .unwrap_or(InstitutionType::Boernehave),
            ejerform: Ejerform::parse(&r.ejerform).unwrap_or(Ejerform::Kommunal),
            active: r.active,
            logged_in: r.logged_in,
            filled: SectionKind::ALL.map(|k| r.filled.iter().any(|s| s == k.as_str())),
            updated: r.updated.map(format_timestamp),
            updated_key: r.updated.map(|t| t.unix_timestamp()),
            stale: usize::try_from(r.stale).unwrap_or_default(),
            checked_key: r.checked.map(|t| t.unix_timestamp()),
            common_taken: usize::try_from(r.common_taken).unwrap_or_default(),
            nummer: r.nummer,
            navn: r.navn,
        })
        .collect();
    let common_total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM kommune_closing_periods
           WHERE kommunekode = $1 AND removed_at IS NULL
             AND til >= make_date($2, 1, 1) AND fra <= make_date($2, 12, 31)"#,
        kommunekode,
        year
    )
    .fetch_one(pool)
    .await?;
    Ok((kommune, rows, usize::try_from(common_total).unwrap_or_default()))
}

/// An institution a letter goes to.
pub struct LetterTarget {
    id: i64,
    nummer: String,
    navn: String,
    street: String,
    city: String,
}

/// The kommune's name and the institutions the request names: the chosen
/// numbers and/or every active one that never logged in (never a dagpleje,
/// which has no log-in). A number outside the
/// kommune's active institutions fails the whole request with "not found".
pub async fn find_targets(
    pool: &PgPool,
    kommunekode: i16,
    numbers: &[String],
    all_never_logged_in: bool,
) -> Result<(String, Vec<LetterTarget>), AppError> {
    let kommune = sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
        .fetch_one(pool)
        .await?;
    let targets = sqlx::query!(
        r#"SELECT i.id, i.nummer, i.navn, i.vejnavn, i.husnummer, i.postnummer, i.postby
           FROM institutions i
           LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.kommunekode = $1 AND i.status = 'aktiv' AND i.institution_type <> 'dagpleje'
             AND (i.nummer = ANY($2) OR ($3 AND a.last_login_at IS NULL))
           ORDER BY i.postnummer, i.navn"#,
        kommunekode,
        numbers,
        all_never_logged_in
    )
    .fetch_all(pool)
    .await?;
    let found = |n: &String| targets.iter().any(|t| &t.nummer == n);
    if !numbers.iter().all(found) {
        return Err(AppError::NotFound);
    }
    let targets = targets
        .into_iter()
        .map(|t| LetterTarget {
            id: t.id,
            nummer: t.nummer,
            navn: t.navn,
            street: format!("{} {}", t.vejnavn, t.husnummer),
            city: format!("{} {}", t.postnummer, t.postby),
        })
        .collect();
    Ok((kommune, targets))
}

/// Issue codes for `targets` in one transaction: every earlier code and
/// password of theirs stops working, their sessions end, and each gets an
/// audit row. `done` counts the codes hashed so far.
pub async fn issue_codes(
    pool: &PgPool,
    targets: Vec<LetterTarget>,
    actor: &Actor,
    ip: Option<std::net::IpAddr>,
    valid_until: &str,
    done: Arc<AtomicUsize>,
) -> Result<Vec<Letter>, AppError> {
    let codes: Vec<String> = targets.iter().map(|_| generate_code()).collect();
    let hashes = crate::ssr::password::hash_many(
        codes.iter().map(|c| SecretString::from(c.clone())).collect(),
        done,
    )
    .await?;
    let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
    crate::auth::codes::store_codes(
        pool,
        &ids,
        &hashes,
        actor,
        ip,
        serde_json::json!({ "brev": true, "antal": ids.len() }),
    )
    .await?;

    Ok(targets
        .into_iter()
        .zip(codes)
        .map(|(t, code)| Letter {
            nummer: t.nummer,
            navn: t.navn,
            street: t.street,
            city: t.city,
            code: format_code(&code),
            valid_until: valid_until.to_string(),
        })
        .collect())
}

/// Every institution of the kommune with its master data, reporting status
/// and each reported field, as Danish CSV.
pub async fn export_csv(pool: &PgPool, kommunekode: i16) -> Result<Vec<u8>, AppError> {
    use crate::domain::sections::Section;
    use crate::domain::sections::{Gaestedagpleje, Kontakt, Lukkedage, Madordning, OpeningHours, Profil};

    let institutions = sqlx::query!(
        r#"SELECT i.id, i.nummer, i.navn, i.institution_type, i.ejerform, i.status, i.closed_on,
                  i.vejnavn, i.husnummer, i.postnummer, i.postby, a.last_login_at
           FROM institutions i LEFT JOIN institution_accounts a ON a.institution_id = i.id
           WHERE i.kommunekode = $1 ORDER BY i.nummer"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;
    let sections = sqlx::query!(
        r#"SELECT s.institution_id, s.section, s.data FROM institution_sections s
           JOIN institutions i ON i.id = s.institution_id WHERE i.kommunekode = $1"#,
        kommunekode
    )
    .fetch_all(pool)
    .await?;

    fn described<T: Section>(data: &serde_json::Value) -> Vec<(&'static str, String)> {
        serde_json::from_value::<T>(data.clone())
            .map(|v| v.describe())
            .unwrap_or_default()
    }
    // Every section field as "<Afsnit>: <felt>", in the order first seen.
    let mut columns: Vec<String> = Vec::new();
    let mut values: std::collections::HashMap<(i64, String), String> = std::collections::HashMap::new();
    for row in &sections {
        let Some(kind) = SectionKind::parse(&row.section) else {
            continue;
        };
        let fields = match kind {
            SectionKind::Profil => described::<Profil>(&row.data),
            SectionKind::Madordning => described::<Madordning>(&row.data),
            SectionKind::Lukkedage => described::<Lukkedage>(&row.data),
            SectionKind::Aabningstider => described::<OpeningHours>(&row.data),
            SectionKind::Kontakt => described::<Kontakt>(&row.data),
            SectionKind::Gaestedagpleje => described::<Gaestedagpleje>(&row.data),
        };
        for (label, value) in fields {
            let column = format!("{}: {label}", kind.label());
            if !columns.contains(&column) {
                columns.push(column.clone());
            }
            values.insert((row.institution_id, column), value);
        }
    }
    columns.sort_by_key(|c| {
        SectionKind::DAGPLEJE
            .iter()
            .position(|k| c.starts_with(&format!("{}:", k.label())))
            .unwrap_or(SectionKind::DAGPLEJE.len())
    });

    {
        let mut header = vec![
            "institutionsnummer".to_string(),
            "navn".into(),
            "type".into(),
            "ejerform".into(),
            "status".into(),
            "nedlagt den".into(),
            "adresse".into(),
            "postnummer".into(),
            "by".into(),
            "har logget ind".into(),
        ];
        header.extend(columns.iter().cloned());
        let rows = institutions.iter().map(|i| {
            let mut record = vec![
                i.nummer.clone(),
                csv_safe(&i.navn),
                InstitutionType::parse(&i.institution_type)
                    .map(|t| t.label().to_string())
                    .unwrap_or_default(),
                Ejerform::parse(&i.ejerform)
                    .map(|e| e.label().to_string())
                    .unwrap_or_default(),
                if i.status == "aktiv" {
                    "aktiv".into()
                } else {
                    "nedlagt".into()
                },
                i.closed_on
                    .map(crate::domain::calendar::format_date)
                    .unwrap_or_default(),
                csv_safe(&format!("{} {}", i.vejnavn, i.husnummer)),
                i.postnummer.to_string(),
                csv_safe(&i.postby),
                if i.last_login_at.is_some() {
                    "ja".into()
                } else {
                    "nej".into()
                },
            ];
            record.extend(
                columns
                    .iter()
                    .map(|c| csv_safe(values.get(&(i.id, c.clone())).map(String::as_str).unwrap_or(""))),
            );
            record
        });
        danish_csv(std::iter::once(header).chain(rows))
    }
}
