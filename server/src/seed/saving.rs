//! Writing the invented reports (`reports.rs`) to the database: the current
//! sections, their history and audit rows, in three statements.

use sqlx::PgPool;
use time::OffsetDateTime;

use super::reports::{reports_for, slug, Institution};
use super::{SeedError, DEMO_INSTITUTION};
use app::domain::sections::SectionKind;

/// Give every active institution of the register that has reported nothing
/// its invented reports (the demo institution stays empty: it is the one a
/// newcomer logs in to). Returns how many sections were added. Institutions
/// with any section or history are left as they are, so running it again
/// adds nothing, and whatever was saved through the app stays.
pub async fn demo_reports(pool: &PgPool, now: OffsetDateTime) -> Result<u64, SeedError> {
    let today = app::domain::calendar::danish_time(now).date();
    let institutions = sqlx::query_as!(
        Institution,
        r#"SELECT i.id, i.nummer, i.navn, i.kommunekode, k.navn AS kommune, i.institution_type,
                  i.vejnavn, i.husnummer, i.postnummer, i.postby
           FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
           WHERE i.status = 'aktiv' AND i.nummer <> $1
             AND NOT EXISTS (SELECT 1 FROM institution_sections s WHERE s.institution_id = i.id)
             AND NOT EXISTS (SELECT 1 FROM section_history h WHERE h.institution_id = i.id)
           ORDER BY i.nummer"#,
        DEMO_INSTITUTION
    )
    .fetch_all(pool)
    .await?;

    let mut rows = Rows::default();
    for inst in &institutions {
        let saves = reports_for(inst, today, now)?;
        let last_of = |kind: SectionKind| saves.iter().filter(|s| s.kind == kind).max_by_key(|s| s.version);
        for save in &saves {
            let (role, label, actor_id) = if save.by_kommune {
                (
                    "kommune",
                    format!("dagtilbud@{}.kommune.example", slug(&inst.kommune)),
                    None,
                )
            } else {
                ("institution", inst.nummer.clone(), Some(inst.id))
            };
            rows.history_institution.push(inst.id);
            rows.history_section.push(save.kind.as_str());
            rows.history_version.push(save.version);
            rows.history_at.push(save.at);
            rows.history_role.push(role);
            rows.history_label.push(label.clone());
            rows.history_changes.push(save.changes.clone());
            rows.audit_actor_id.push(actor_id);
            rows.audit_kommune.push(inst.kommunekode);
            rows.audit_details.push(serde_json::json!({
                "afsnit": save.kind.as_str(), "version": save.version, "felter": save.changed_fields
            }));
            if last_of(save.kind).is_some_and(|last| last.version == save.version) {
                rows.current_institution.push(inst.id);
                rows.current_section.push(save.kind.as_str());
                rows.current_data.push(save.data.clone());
                rows.current_version.push(save.version);
                rows.current_at.push(save.at);
                rows.current_role.push(role);
                rows.current_label.push(label);
            }
        }
    }
    let added = rows.current_institution.len() as u64;
    if added == 0 {
        return Ok(0);
    }
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"INSERT INTO institution_sections (institution_id, section, data, version, updated_at, updated_by_role, updated_by_label)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::integer[], $5::timestamptz[], $6::text[], $7::text[])"#,
        &rows.current_institution,
        &rows.current_section as &[&str],
        &rows.current_data,
        &rows.current_version,
        &rows.current_at,
        &rows.current_role as &[&str],
        &rows.current_label,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"WITH input AS (
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::timestamptz[], $5::text[], $6::text[],
                                  $7::jsonb[], $8::bigint[], $9::smallint[], $10::jsonb[])
               AS t(institution_id, section, version, at, role, label, changes, actor_id, kommunekode, details)
           ), history AS (
             INSERT INTO section_history (institution_id, section, version, changed_at, actor_role, actor_label, changes)
             SELECT institution_id, section, version, at, role, label, changes FROM input
           )
           INSERT INTO audit_log (at, actor_role, actor_id, actor_label, action, institution_id, kommunekode, details)
           SELECT at, role, actor_id, label, 'afsnit_gemt', institution_id, kommunekode, details FROM input"#,
        &rows.history_institution,
        &rows.history_section as &[&str],
        &rows.history_version,
        &rows.history_at,
        &rows.history_role as &[&str],
        &rows.history_label,
        &rows.history_changes,
        &rows.audit_actor_id as &[Option<i64>],
        &rows.audit_kommune,
        &rows.audit_details,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// The columns of the three inserts, one vector a column.
#[derive(Default)]
struct Rows {
    current_institution: Vec<i64>,
    current_section: Vec<&'static str>,
    current_data: Vec<serde_json::Value>,
    current_version: Vec<i32>,
    current_at: Vec<OffsetDateTime>,
    current_role: Vec<&'static str>,
    current_label: Vec<String>,
    history_institution: Vec<i64>,
    history_section: Vec<&'static str>,
    history_version: Vec<i32>,
    history_at: Vec<OffsetDateTime>,
    history_role: Vec<&'static str>,
    history_label: Vec<String>,
    history_changes: Vec<serde_json::Value>,
    audit_actor_id: Vec<Option<i64>>,
    audit_kommune: Vec<i16>,
    audit_details: Vec<serde_json::Value>,
}
