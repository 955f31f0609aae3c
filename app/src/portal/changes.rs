//! The change feed of open data: `GET /api/v1/dagtilbud/aendringer` lists
//! which institutions changed what and when, from a cursor, so that a
//! consumer keeps a copy in step without downloading everything again; and
//! `…/aendringer.atom`, the newest changes as an Atom feed.
//!
//! The rows are written by triggers in the transaction of the change
//! (migration `public_changes`). A page holds only changes of transactions
//! that ended before every transaction still running began
//! (`pg_snapshot_xmin`), ordered by transaction and row; so a change can
//! never turn up behind a cursor already handed out, and following the
//! cursors neither skips nor repeats a change, however saves interleave.
//! The price: a transaction left open anywhere on the PostgreSQL server
//! (transaction ids are server-wide) holds the newer changes back until it
//! ends; they are late, never lost.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{cached, ApiError, Failure, Wording};
use crate::error::AppError;
use crate::ssr::AppState;

/// Changes per page.
pub const PAGE_SIZE: i64 = 500;
/// Entries in the Atom feed.
pub const ATOM_ENTRIES: i64 = 100;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ChangesQuery {
    /// Where to go on from: the `naeste` of the previous page, or a time
    /// (RFC 3339, e.g. 2026-12-01T00:00:00Z) for the changes from then on.
    /// Without it the feed starts from the beginning.
    siden: Option<String>,
}

/// One change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiChange {
    nummer: String,
    /// What changed: a section (profil, madordning, lukkedage, aabningstider,
    /// kontakt, gaestedagpleje), or oprettet, nedlagt, stamdata.
    hvad: String,
    /// When, RFC 3339 in UTC.
    tidspunkt: String,
    /// This API's record of the institution now.
    api: String,
}

/// One page of changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiChanges {
    /// The version of this API's schemas (see /api/v1/dokumentation).
    schemaversion: u32,
    aendringer: Vec<ApiChange>,
    /// Ask with `siden=<naeste>` for the changes after these. Always set:
    /// with no new changes it is the same cursor again.
    naeste: String,
    /// More changes are ready now (ask again at once); otherwise ask again later.
    flere: bool,
}

/// Where a page starts.
#[derive(Debug, PartialEq, Eq)]
enum From {
    Beginning,
    /// After this (transaction id, row id).
    After(u64, i64),
    /// From this time on.
    Time(time::OffsetDateTime),
}

fn parse_from(siden: Option<&str>) -> Result<From, AppError> {
    let Some(text) = siden.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(From::Beginning);
    };
    if let Some((txid, id)) = text.strip_prefix('c').and_then(|rest| rest.split_once('-')) {
        if let (Ok(txid), Ok(id)) = (txid.parse(), id.parse()) {
            return Ok(From::After(txid, id));
        }
    }
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(From::Time)
        .map_err(|_| {
            AppError::field(
                "siden",
                "siden skal være værdien af naeste fra den forrige side, eller et tidspunkt som 2026-12-01T00:00:00Z.",
            )
        })
}

fn cursor(txid: u64, id: i64) -> String {
    format!("c{txid}-{id}")
}

const WORDING: Wording = Wording {
    not_found: "Der er ingen ændringer her.",
    invalid: "siden kan ikke læses.",
    forbidden: "Du har ikke adgang til dette.",
};

fn failed(error: AppError) -> Response {
    Failure {
        error,
        wording: &WORDING,
    }
    .into_response()
}

struct Row {
    id: i64,
    txid: String,
    nummer: String,
    what: String,
    changed_at: time::OffsetDateTime,
}

/// The changes after `from` that no running transaction can still add to.
async fn page(pool: &sqlx::PgPool, from: &From, limit: i64) -> Result<Vec<Row>, AppError> {
    let (txid, id, at) = match from {
        From::Beginning => ("0".to_string(), 0, None),
        From::After(txid, id) => (txid.to_string(), *id, None),
        From::Time(at) => ("0".to_string(), 0, Some(*at)),
    };
    Ok(sqlx::query_as!(
        Row,
        r#"SELECT id, txid::text AS "txid!", nummer, what, changed_at
           FROM public_changes
           WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
             AND (txid, id) > ($1::text::xid8, $2::bigint)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
           ORDER BY txid, id
           LIMIT $4"#,
        txid,
        id,
        at,
        limit
    )
    .fetch_all(pool)
    .await?)
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Changes to the open data after a cursor (or from a time), oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/dagtilbud/aendringer",
    params(ChangesQuery),
    responses(
        (status = 200, description = "En side med ændringer", body = ApiChanges),
        (status = 422, description = "siden kan ikke læses", body = ApiError)
    )
)]
pub async fn changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ChangesQuery>,
) -> Response {
    let from = match parse_from(query.siden.as_deref()) {
        Ok(from) => from,
        Err(error) => return failed(error),
    };
    let rows = match page(&state.pool, &from, PAGE_SIZE + 1).await {
        Ok(rows) => rows,
        Err(error) => return failed(error),
    };
    let flere = rows.len() as i64 > PAGE_SIZE;
    let rows: Vec<Row> = rows.into_iter().take(PAGE_SIZE as usize).collect();
    let naeste = match (rows.last(), &from) {
        (Some(last), _) => cursor(last.txid.parse().unwrap_or(0), last.id),
        (None, From::After(txid, id)) => cursor(*txid, *id),
        (None, _) => cursor(0, 0),
    };
    let body = ApiChanges {
        schemaversion: crate::api::SCHEMA_VERSION,
        aendringer: rows
            .into_iter()
            .map(|r| ApiChange {
                api: format!("/api/v1/dagtilbud/{}", r.nummer),
                nummer: r.nummer,
                hvad: r.what,
                tidspunkt: rfc3339(r.changed_at),
            })
            .collect(),
        naeste,
        flere,
    };
    crate::api::cached_json(&headers, &body, failed)
}

/// What a change is called in the feed.
fn what_label(what: &str) -> String {
    match what {
        "oprettet" => "oprettet".to_string(),
        "nedlagt" => "nedlagt".to_string(),
        "stamdata" => "stamdata ændret".to_string(),
        section => match crate::domain::sections::SectionKind::parse(section) {
            Some(kind) => format!("{} opdateret", kind.label().to_lowercase()),
            None => format!("{section} ændret"),
        },
    }
}

/// The newest changes as an Atom feed (RFC 4287).
pub async fn changes_atom(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let rows = sqlx::query!(
        r#"SELECT c.id, c.nummer, c.what, c.changed_at, i.navn AS "navn?"
           FROM public_changes c LEFT JOIN institutions i ON i.nummer = c.nummer
           WHERE c.txid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY c.txid DESC, c.id DESC
           LIMIT $1"#,
        ATOM_ENTRIES
    )
    .fetch_all(&state.pool)
    .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(error) => return failed(error.into()),
    };
    let base = &state.settings.public_url;
    let fixed = |at: time::OffsetDateTime| {
        chrono::DateTime::from_timestamp(at.unix_timestamp(), 0)
            .unwrap_or_default()
            .fixed_offset()
    };
    let updated = rows.first().map(|r| fixed(r.changed_at)).unwrap_or_default();
    let entries = rows
        .into_iter()
        .map(|r| {
            let navn = r.navn.unwrap_or_else(|| r.nummer.clone());
            atom_syndication::Entry {
                id: format!("urn:dagtilbudsportalen:aendring:{}", r.id),
                title: format!("{navn} ({}): {}", r.nummer, what_label(&r.what)).into(),
                updated: fixed(r.changed_at),
                links: vec![atom_syndication::Link {
                    href: format!("{base}/dagtilbud/{}", r.nummer),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }
        })
        .collect();
    let feed = atom_syndication::Feed {
        id: format!("{base}/api/v1/dagtilbud/aendringer.atom"),
        title: "Dagtilbudsportalen: ændringer".into(),
        updated,
        authors: vec![atom_syndication::Person {
            name: "Dagtilbudsportalen".into(),
            ..Default::default()
        }],
        links: vec![
            atom_syndication::Link {
                href: format!("{base}/api/v1/dagtilbud/aendringer.atom"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            atom_syndication::Link {
                href: format!("{base}/api/v1/dagtilbud/aendringer"),
                rel: "alternate".into(),
                mime_type: Some("application/json".into()),
                ..Default::default()
            },
        ],
        entries,
        ..Default::default()
    };
    cached(
        &headers,
        "application/atom+xml; charset=utf-8",
        feed.to_string().into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_times_are_read_and_anything_else_named() {
        assert_eq!(parse_from(None).unwrap(), From::Beginning);
        assert_eq!(parse_from(Some(" ")).unwrap(), From::Beginning);
        assert_eq!(parse_from(Some(&cursor(812, 40))).unwrap(), From::After(812, 40));
        assert!(matches!(
            parse_from(Some("2026-12-01T00:00:00Z")).unwrap(),
            From::Time(_)
        ));
        let AppError::Validation(errors) = parse_from(Some("c12")).unwrap_err() else {
            panic!("validation")
        };
        assert!(errors["siden"].contains("naeste"));
    }
}
