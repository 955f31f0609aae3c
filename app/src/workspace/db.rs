//! Loading and saving sections on the server: who may touch which
//! institution, optimistic concurrency, and the history and audit rows written
//! in the same transaction as the data.

use std::net::IpAddr;

use sqlx::PgPool;

use crate::audit::Actor;
use crate::auth::Principal;
use crate::domain::sections::{diff, Loaded, Section, SectionMeta};
use crate::error::AppError;

/// The institution a request is about.
#[derive(Debug, Clone)]
pub struct Target {
    pub principal: Principal,
    pub institution_id: i64,
    pub kommunekode: i16,
    pub nummer: String,
    /// A kommune's dagpleje (reported by the kommune; it has gæstedagpleje).
    pub dagpleje: bool,
}

impl Target {
    /// The sections this dagtilbud reports.
    pub fn sections(&self) -> &'static [crate::domain::sections::SectionKind] {
        crate::domain::sections::SectionKind::offered(self.dagpleje)
    }

    /// `NotFound` for a section this dagtilbud does not have (gæstedagpleje
    /// of an institution).
    pub fn offers(&self, kind: crate::domain::sections::SectionKind) -> Result<(), AppError> {
        if self.sections().contains(&kind) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// Resolve which institution the caller works on. An institution always works
/// on itself (a number sent by the browser is ignored unless it is its own); a
/// kommune administrator only on active, non-private institutions of their
/// kommune (a private one is refused with `Forbidden`); support on any active
/// institution. Anything else is "not found", so that the
/// existence of other kommuners' institutions does not leak.
pub async fn target(
    pool: &PgPool,
    principal: Principal,
    nummer: Option<&str>,
    ip: Option<IpAddr>,
) -> Result<Target, AppError> {
    resolve(pool, principal, nummer, ip, true).await
}

/// Like [`target`], but an administrator may also read a closed institution
/// (its data and history are kept). Only for reading.
pub async fn readable_target(
    pool: &PgPool,
    principal: Principal,
    nummer: Option<&str>,
    ip: Option<IpAddr>,
) -> Result<Target, AppError> {
    resolve(pool, principal, nummer, ip, false).await
}

async fn resolve(
    pool: &PgPool,
    principal: Principal,
    nummer: Option<&str>,
    ip: Option<IpAddr>,
    active_only: bool,
) -> Result<Target, AppError> {
    let requested = nummer
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_uppercase);
    let row = match (&principal, requested) {
        // The session guard checked this very request that the account is
        // enabled and the institution active, so its own data needs no query.
        (
            Principal::Institution {
                institution_id,
                kommunekode,
                nummer,
            },
            requested,
        ) => match requested {
            Some(requested) if &requested != nummer => return Err(AppError::NotFound),
            // An institution that logs in is never a dagpleje (no log-in).
            _ => Some((*institution_id, *kommunekode, nummer.clone(), false, false)),
        },
        (_, None) => return Err(AppError::NotFound),
        (_, Some(requested)) => sqlx::query!(
            r#"SELECT id, kommunekode, nummer, ejerform = 'privat' AS "private!",
                      institution_type = 'dagpleje' AS "dagpleje!"
               FROM institutions WHERE nummer = $1 AND (status = 'aktiv' OR NOT $2)"#,
            requested,
            active_only
        )
        .fetch_optional(pool)
        .await?
        .map(|r| (r.id, r.kommunekode, r.nummer, r.private, r.dagpleje)),
    };
    let (institution_id, kommunekode, nummer, private, dagpleje) = row.ok_or(AppError::NotFound)?;
    if !principal.can_edit_institution(institution_id, kommunekode) {
        crate::audit::refused(
            pool,
            Some(&principal),
            ip,
            "et dagtilbud uden for kontoens område",
            serde_json::json!({ "dagtilbud": nummer }),
        )
        .await;
        return Err(AppError::NotFound);
    }
    // The kommune hands out a private institution's log-in (it supervises
    // it) and may read what it reported, but only the institution itself and
    // support may change it.
    if active_only && private && matches!(principal, Principal::Kommune { .. }) {
        crate::audit::refused(
            pool,
            Some(&principal),
            ip,
            "et privat dagtilbuds afsnit",
            serde_json::json!({ "dagtilbud": nummer }),
        )
        .await;
        return Err(AppError::Forbidden);
    }
    Ok(Target {
        principal,
        institution_id,
        kommunekode,
        nummer,
        dagpleje,
    })
}

/// A saved section's version and when and by whom (role) it was saved.
fn meta(version: i32, at: time::OffsetDateTime, role: &str) -> SectionMeta {
    SectionMeta::saved(version, at, crate::auth::Role::of_stored(role).label())
}

/// Where sections are read and saved: the pool, this process's memory of
/// current rows ([`KnownSections`]) and batch of writes ([`SectionWrites`]),
/// and the cache of public pages a save makes old.
#[derive(Clone, Copy)]
pub struct Sections<'a> {
    pub pool: &'a PgPool,
    pub known: &'a KnownSections,
    pub writes: &'a crate::ssr::batch::Batcher<SectionWrites>,
    pub published: &'a crate::published::cache::PageCache,
}

impl<'a> Sections<'a> {
    pub fn of(state: &'a crate::ssr::AppState) -> Self {
        Sections {
            pool: &state.pool,
            known: &state.known_sections,
            writes: &state.section_writes,
            published: &state.page_cache,
        }
    }
}

/// The saved section (or none yet) with its version.
pub async fn load<T: Section>(sections: Sections<'_>, institution_id: i64) -> Result<Loaded<T>, AppError> {
    match read_current(sections.pool, institution_id, T::KIND.as_str()).await? {
        None => Ok(Loaded {
            value: None,
            meta: SectionMeta::default(),
        }),
        Some(row) => {
            let value = T::deserialize(&row.data).map_err(|e| AppError::internal("section data", &e))?;
            let confirmed = sqlx::query_scalar!(
                "SELECT confirmed_at FROM institution_sections WHERE institution_id = $1 AND section = $2",
                institution_id,
                T::KIND.as_str()
            )
            .fetch_optional(sections.pool)
            .await?
            .flatten();
            let meta = meta(row.version, row.updated_at, &row.updated_by_role)
                .confirmed_at(confirmed, row.updated_at);
            sections.known.remember(institution_id, T::KIND, row);
            Ok(Loaded {
                value: Some(value),
                meta,
            })
        }
    }
}

/// A section row as it stands in the database.
#[derive(Debug, Clone)]
pub struct CurrentRow {
    pub data: serde_json::Value,
    pub version: i32,
    pub updated_at: time::OffsetDateTime,
    pub updated_by_role: String,
}

/// The section row this process last saved or read, per institution and
/// section, so that a save over the version it knows needs no read first.
///
/// Never trusted on its own: a save from it only writes while the row in the
/// database still has the remembered version *and* time of saving, which no
/// other save can produce; otherwise (another server saved meanwhile, or the
/// entry is old) the save reads the row and carries on from there.
#[derive(Debug)]
pub struct KnownSections {
    rows: moka::sync::Cache<(i64, crate::domain::sections::SectionKind), CurrentRow>,
}

impl Default for KnownSections {
    fn default() -> Self {
        KnownSections {
            rows: moka::sync::Cache::builder()
                // Five sections of every Danish daginstitution with room to spare.
                .max_capacity(50_000)
                .time_to_idle(std::time::Duration::from_secs(30 * 60))
                .build(),
        }
    }
}

impl KnownSections {
    fn get(&self, institution_id: i64, kind: crate::domain::sections::SectionKind) -> Option<CurrentRow> {
        self.rows.get(&(institution_id, kind))
    }

    fn remember(&self, institution_id: i64, kind: crate::domain::sections::SectionKind, row: CurrentRow) {
        self.rows.insert((institution_id, kind), row);
    }
}

async fn read_current(
    pool: &PgPool,
    institution_id: i64,
    kind: &str,
) -> Result<Option<CurrentRow>, AppError> {
    Ok(sqlx::query_as!(
        CurrentRow,
        r#"SELECT data, version, updated_at, updated_by_role FROM institution_sections
           WHERE institution_id = $1 AND section = $2"#,
        institution_id,
        kind
    )
    .fetch_optional(pool)
    .await?)
}

/// Save a section that was loaded at `expected_version`. A newer saved version
/// is a conflict that names what differs; an unchanged save writes nothing.
///
/// No explicit transaction: the current row is known (see [`KnownSections`])
/// or read, the change worked out in Rust, and the data, history and audit
/// rows are written by one statement that only updates the row while it still
/// has the version and time of saving that were known. One statement is one
/// transaction, so either all three rows are written or none; a save that
/// lost a race reads again and reports the conflict. Saves that arrive
/// together share that statement ([`SectionWrites`]).
pub async fn save<T: Section>(
    sections: Sections<'_>,
    target: &Target,
    expected_version: i32,
    new: &T,
    ip: Option<IpAddr>,
) -> Result<SectionMeta, AppError> {
    target.offers(T::KIND)?;
    let kind = T::KIND.as_str();
    let actor = Actor::from_principal(&target.principal);
    let role = target.principal.role().as_str();
    let known = sections.known;
    let mut remembered = known
        .get(target.institution_id, T::KIND)
        .filter(|row| row.version == expected_version);
    // The remembered row may be old, and a lost race means another save landed
    // in between; the next read then sees its version and reports the
    // conflict, so two reads always suffice.
    for _ in 0..3 {
        let (current, from_memory) = match remembered.take() {
            Some(row) => (Some(row), true),
            None => {
                let row = read_current(sections.pool, target.institution_id, kind).await?;
                if let Some(row) = &row {
                    known.remember(target.institution_id, T::KIND, row.clone());
                }
                (row, false)
            }
        };

        let (old, known_at) = match current {
            Some(row) => {
                let old = T::deserialize(&row.data).map_err(|e| AppError::internal("section data", &e))?;
                if row.version != expected_version {
                    let saved_by = meta(row.version, row.updated_at, &row.updated_by_role);
                    return Err(conflict::<T>(new, &old, saved_by));
                }
                if &old == new {
                    // "Nothing changed" is only answered from the database:
                    // the remembered row may be older than what is saved.
                    if from_memory {
                        continue;
                    }
                    return Ok(meta(row.version, row.updated_at, &row.updated_by_role));
                }
                (Some(old), Some(row.updated_at))
            }
            None if expected_version != 0 => {
                return Err(AppError::StaleVersion {
                    message: "Afsnittet findes ikke længere i den udgave, du åbnede. Genindlæs siden.".into(),
                    current_version: 0,
                })
            }
            None => (None, None),
        };

        let changes = diff(
            &old.as_ref().map(T::describe).unwrap_or_default(),
            &new.describe(),
        );
        let data = serde_json::to_value(new).map_err(|e| AppError::internal("section encode", &e))?;
        let changes_json =
            serde_json::to_value(&changes).map_err(|e| AppError::internal("history encode", &e))?;
        let details = serde_json::json!({
            "afsnit": kind, "version": expected_version + 1, "felter": changes.len()
        });
        let write = SectionWrite {
            institution_id: target.institution_id,
            kind: T::KIND,
            data: data.clone(),
            expected_version,
            role,
            label: actor.label.clone(),
            changes: changes_json,
            actor_role: actor.role,
            actor_id: actor.id,
            kommunekode: target.kommunekode,
            ip: ip.map(|ip| ip.to_string()),
            details,
            known_at,
        };
        let saved = sections.writes.call(write).await?;
        if let Some((version, updated_at)) = saved {
            known.remember(
                target.institution_id,
                T::KIND,
                CurrentRow {
                    data,
                    version,
                    updated_at,
                    updated_by_role: role.to_string(),
                },
            );
            sections.published.announce(&target.nummer);
            return Ok(meta(version, updated_at, role));
        }
    }
    tracing::error!(
        section = kind,
        institution_id = target.institution_id,
        "save lost its race twice"
    );
    Err(AppError::Internal)
}

/// One save's rows, as [`save`] worked them out.
#[derive(Debug)]
pub struct SectionWrite {
    institution_id: i64,
    kind: crate::domain::sections::SectionKind,
    data: serde_json::Value,
    expected_version: i32,
    role: &'static str,
    label: String,
    changes: serde_json::Value,
    actor_role: &'static str,
    actor_id: Option<i64>,
    kommunekode: i16,
    ip: Option<String>,
    details: serde_json::Value,
    /// The time of saving of the version the save starts from (none for a first save).
    known_at: Option<time::OffsetDateTime>,
}

/// Section saves, many in one statement (see [`crate::ssr::batch`]): each
/// save's data, history and audit rows are written by that statement or none
/// of them, exactly as one save alone. A first save (version 0) inserts; any
/// other only updates the row it knew, at the version and time of saving it
/// knew. Two saves of one section never share a statement. The answer per
/// save is its new version and time, or none when it lost a race.
pub struct SectionWrites;

impl crate::ssr::batch::BatchKind for SectionWrites {
    type Item = SectionWrite;
    type Output = Option<(i32, time::OffsetDateTime)>;
    const NAME: &'static str = "section saves";

    fn key(write: &SectionWrite) -> u64 {
        ((write.institution_id as u64) << 3) | write.kind as u64
    }

    async fn run(pool: &PgPool, writes: &[SectionWrite]) -> Result<Vec<Self::Output>, sqlx::Error> {
        let institution_ids: Vec<i64> = writes.iter().map(|w| w.institution_id).collect();
        let sections: Vec<&str> = writes.iter().map(|w| w.kind.as_str()).collect();
        let data: Vec<serde_json::Value> = writes.iter().map(|w| w.data.clone()).collect();
        let expected: Vec<i32> = writes.iter().map(|w| w.expected_version).collect();
        let roles: Vec<&str> = writes.iter().map(|w| w.role).collect();
        let labels: Vec<&str> = writes.iter().map(|w| w.label.as_str()).collect();
        let changes: Vec<serde_json::Value> = writes.iter().map(|w| w.changes.clone()).collect();
        let actor_roles: Vec<&str> = writes.iter().map(|w| w.actor_role).collect();
        let actor_ids: Vec<Option<i64>> = writes.iter().map(|w| w.actor_id).collect();
        let kommunekoder: Vec<i16> = writes.iter().map(|w| w.kommunekode).collect();
        let ips: Vec<Option<&str>> = writes.iter().map(|w| w.ip.as_deref()).collect();
        let details: Vec<serde_json::Value> = writes.iter().map(|w| w.details.clone()).collect();
        let known_at: Vec<Option<time::OffsetDateTime>> = writes.iter().map(|w| w.known_at).collect();
        // The audit columns are those of `audit::record`.
        let rows = sqlx::query!(
            r#"WITH input AS (
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::integer[], $5::text[], $6::text[],
                                      $7::jsonb[], $8::text[], $9::bigint[], $10::smallint[], $11::text[], $12::jsonb[],
                                      $13::timestamptz[])
                   WITH ORDINALITY AS t(institution_id, section, data, expected, role, label,
                                        changes, actor_role, actor_id, kommunekode, ip, details, known_at, n)
               ), saved AS (
                 INSERT INTO institution_sections (institution_id, section, data, version, updated_by_role, updated_by_label)
                 SELECT institution_id, section, data, 1, role, label FROM input WHERE expected = 0
                 ON CONFLICT (institution_id, section) DO NOTHING
                 RETURNING institution_id, section, version, updated_at
               ), updated AS (
                 UPDATE institution_sections s
                   SET data = i.data, version = i.expected + 1, updated_at = now(),
                       updated_by_role = i.role, updated_by_label = i.label
                   FROM input i
                   WHERE s.institution_id = i.institution_id AND s.section = i.section
                     AND s.version = i.expected AND s.updated_at = i.known_at
                 RETURNING s.institution_id, s.section, s.version, s.updated_at
               ), written AS (
                 SELECT i.*, w.version, w.updated_at
                 FROM (SELECT * FROM saved UNION ALL SELECT * FROM updated) w
                 JOIN input i ON i.institution_id = w.institution_id AND i.section = w.section
               ), history AS (
                 INSERT INTO section_history (institution_id, section, version, actor_role, actor_label, changes)
                 SELECT institution_id, section, version, role, label, changes FROM written
               ), audit AS (
                 INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
                 SELECT actor_role, actor_id, label, 'afsnit_gemt', institution_id, kommunekode, ip::inet, details FROM written
               )
               SELECT n AS "n!", version AS "version!", updated_at AS "updated_at!" FROM written"#,
            &institution_ids,
            &sections as &[&str],
            &data,
            &expected,
            &roles as &[&str],
            &labels as &[&str],
            &changes,
            &actor_roles as &[&str],
            &actor_ids as &[Option<i64>],
            &kommunekoder,
            &ips as &[Option<&str>],
            &details,
            &known_at as &[Option<time::OffsetDateTime>],
        )
        .fetch_all(pool)
        .await?;
        Ok(crate::ssr::batch::by_ordinality(
            writes.len(),
            None,
            rows.into_iter()
                .map(|row| (row.n, Some((row.version, row.updated_at)))),
        ))
    }
}

/// The conflict message: who saved when, and each field that differs.
fn conflict<T: Section>(new: &T, saved: &T, saved_by: SectionMeta) -> AppError {
    let differences = diff(&new.describe(), &saved.describe());
    let mut message = format!(
        "{} har gemt {} {}, efter du åbnede siden. Dine ændringer er ikke gemt.",
        saved_by.updated_by.unwrap_or_default(),
        T::KIND.label().to_lowercase(),
        saved_by.updated.unwrap_or_default()
    );
    if !differences.is_empty() {
        let fields: Vec<String> = differences
            .iter()
            .map(|c| format!("{} (gemt nu: «{}», din udgave: «{}»)", c.felt, c.efter, c.foer))
            .collect();
        message.push_str(&format!(" Forskelle: {}.", fields.join("; ")));
    }
    message.push_str(
        " Genindlæs siden for at hente den gemte udgave, eller tryk på knappen igen for at gemme din udgave oven på den.",
    );
    AppError::StaleVersion {
        message,
        current_version: saved_by.version,
    }
}
