//! Reading and writing the register (server only). Each function takes the
//! pool and explicit inputs; callers check who may do what first.

use sqlx::PgPool;

use super::MasterData;
use crate::audit::AuditContext;
use crate::auth::Scope;
use crate::error::AppError;

/// Master data of one institution (callers check access first).
pub async fn master_data(pool: &sqlx::PgPool, institution_id: i64) -> Result<MasterData, AppError> {
    sqlx::query_as!(
        MasterData,
        r#"SELECT i.nummer, i.navn, i.institution_type, i.ejerform, k.navn AS kommune, i.kommunekode,
                  i.vejnavn || ' ' || i.husnummer || ', ' || i.postnummer || ' ' || i.postby AS "adresse!",
                  i.breddegrad, i.laengdegrad, i.omraade_postnumre, i.dagplejere
           FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
           WHERE i.id = $1"#,
        institution_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The kommune a form names by its code, or the form's error for the field
/// `kommunekode`.
/// `missing` is the message when no kommune was chosen.
pub async fn existing_kommune(
    pool: &PgPool,
    input: &str,
    missing: &str,
) -> Result<Result<i16, crate::error::FieldErrors>, AppError> {
    let field_error = |message: String| {
        Err(crate::error::FieldErrors::from([(
            "kommunekode".to_string(),
            message,
        )]))
    };
    if input.trim().is_empty() {
        return Ok(field_error(missing.into()));
    }
    let kode = match crate::domain::Kommunekode::parse(input) {
        Ok(kode) => kode.get(),
        Err(message) => return Ok(field_error(message)),
    };
    let known = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM kommuner WHERE kode = $1) AS "known!""#,
        kode
    )
    .fetch_one(pool)
    .await?;
    Ok(if known {
        Ok(kode)
    } else {
        field_error("Kommunekoden findes ikke. Vælg en af de 98 kommuner.".into())
    })
}

/// A field error unless `postnummer` is a Danish postal district.
async fn known_postnummer(pool: &PgPool, postnummer: i16) -> Result<(), AppError> {
    let exists = sqlx::query_scalar!("SELECT navn FROM postnumre WHERE postnummer = $1", postnummer)
        .fetch_optional(pool)
        .await?;
    match exists {
        Some(_) => Ok(()),
        None => Err(AppError::field(
            "postnummer",
            format!("Postnummeret {postnummer} findes ikke. Tjek det, fx på postnord.dk."),
        )),
    }
}

/// A dagpleje area's postnumre as stored.
fn area_postnumre(new: &crate::domain::register::NewInstitution) -> Option<Vec<i16>> {
    new.dagpleje
        .as_ref()
        .map(|a| a.postnumre.iter().map(|p| p.get()).collect())
}

/// A field error unless every postnummer a dagpleje area lists exists.
async fn known_area(pool: &PgPool, new: &crate::domain::register::NewInstitution) -> Result<(), AppError> {
    let Some(listed) = area_postnumre(new) else {
        return Ok(());
    };
    let unknown = sqlx::query_scalar!(
        r#"SELECT p AS "p!" FROM UNNEST($1::smallint[]) p
           WHERE NOT EXISTS (SELECT 1 FROM postnumre WHERE postnummer = p)"#,
        &listed
    )
    .fetch_all(pool)
    .await?;
    match unknown.first() {
        None => Ok(()),
        Some(p) => Err(AppError::Validation(
            [(
                "omraade_postnumre".to_string(),
                format!("Postnummeret {p} findes ikke. Tjek det, fx på postnord.dk."),
            )]
            .into_iter()
            .collect(),
        )),
    }
}

/// Change the master data of an active institution that the caller loaded at
/// `version`; answers with its new version. In a kommune's scope its
/// administrator (or system) changes one of its non-private institutions;
/// in the national scope support changes a private one. The audit row names the fields
/// that changed.
pub async fn update_institution(
    pool: &PgPool,
    scope: Scope,
    nummer: &str,
    version: i32,
    new: &crate::domain::register::NewInstitution,
    audit: &AuditContext,
) -> Result<i32, AppError> {
    let postnummer = new.postnummer.get();
    known_postnummer(pool, postnummer).await?;
    known_area(pool, new).await?;
    let area = area_postnumre(new);
    // A dagpleje has no log-in and an institution has one: the type never
    // crosses that line.
    let was_dagpleje = sqlx::query_scalar!(
        r#"SELECT institution_type = 'dagpleje' AS "dagpleje!" FROM institutions
           WHERE nummer = $1 AND status = 'aktiv'
             AND CASE WHEN $2::smallint IS NULL THEN ejerform = 'privat'
                      ELSE kommunekode = $2 AND ejerform <> 'privat' END"#,
        nummer,
        scope.kommunekode()
    )
    .fetch_optional(pool)
    .await?;
    if was_dagpleje
        .is_some_and(|was| was != (new.institution_type == crate::domain::InstitutionType::Dagpleje))
    {
        return Err(AppError::Validation(
            [(
                "institution_type".to_string(),
                "Typen kan ikke skiftes til eller fra kommunal dagpleje. Opret i stedet et nyt dagtilbud, og luk det gamle."
                    .to_string(),
            )]
            .into_iter()
            .collect(),
        ));
    }
    let updated = sqlx::query!(
        r#"WITH target AS (
             SELECT id, kommunekode, to_jsonb(i) AS before FROM institutions i
             WHERE nummer = $1 AND status = 'aktiv'
               AND CASE WHEN $2::smallint IS NULL THEN ejerform = 'privat'
                        ELSE kommunekode = $2 AND ejerform <> 'privat' END
           ), updated AS (
             UPDATE institutions i
             SET navn = $4, institution_type = $5, ejerform = $6, vejnavn = $7, husnummer = $8,
                 postnummer = $9, postby = p.navn, p_nummer = $10, cvr = $11,
                 breddegrad = $16, laengdegrad = $17, omraade_postnumre = $18, dagplejere = $19,
                 version = i.version + 1, updated_at = now()
             FROM target t, postnumre p
             WHERE i.id = t.id AND i.version = $3 AND p.postnummer = $9
             RETURNING i.id, i.kommunekode, i.version, to_jsonb(i) AS after, t.before
           ), audit AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
             SELECT $12, $13, $14, 'dagtilbud_rettet', id, kommunekode, $15::text::inet,
                    jsonb_build_object('felter', (
                      SELECT COALESCE(jsonb_agg(key ORDER BY key), '[]'::jsonb)
                      FROM jsonb_each(after) a
                      WHERE key IN ('navn', 'institution_type', 'ejerform', 'vejnavn', 'husnummer',
                                    'postnummer', 'p_nummer', 'cvr', 'breddegrad', 'laengdegrad',
                                    'omraade_postnumre', 'dagplejere')
                        AND a.value IS DISTINCT FROM before -> key))
             FROM updated
           )
           SELECT (SELECT version FROM updated) AS "new_version?",
                  (SELECT version FROM institutions WHERE id = (SELECT id FROM target)) AS "current_version?""#,
        nummer,
        scope.kommunekode(),
        version,
        new.navn,
        new.institution_type.as_str(),
        new.ejerform.as_str(),
        new.vejnavn,
        new.husnummer,
        postnummer,
        new.p_nummer.as_ref().map(|p| p.as_str()),
        new.cvr.as_ref().map(|c| c.as_str()),
        audit.actor.role,
        audit.actor.id,
        audit.actor.label,
        audit.ip.map(|ip| ip.to_string()),
        new.position.map(|p| p.breddegrad),
        new.position.map(|p| p.laengdegrad),
        area.as_deref(),
        new.dagpleje.as_ref().map(|a| a.dagplejere),
    )
    .fetch_one(pool)
    .await?;
    match (updated.new_version, updated.current_version) {
        (Some(new_version), _) => {
            crate::ssr::public_page_changed(nummer);
            Ok(new_version)
        }
        (None, Some(current_version)) => Err(AppError::StaleVersion {
            message: "Dagtilbuddet er ændret, efter du hentede det. Hent det igen og prøv igen.".into(),
            current_version,
        }),
        (None, None) => Err(AppError::NotFound),
    }
}

/// Create an institution of `kommunekode` with the next free system number,
/// its postal district's town, and an audit row, in one statement.
pub async fn create_institution(
    pool: &PgPool,
    kommunekode: i16,
    new: &crate::domain::register::NewInstitution,
    audit: &AuditContext,
) -> Result<String, AppError> {
    let postnummer = new.postnummer.get();
    known_postnummer(pool, postnummer).await?;
    known_area(pool, new).await?;
    let area = area_postnumre(new);
    // A number taken already (say, by an imported register row) is skipped.
    for _ in 0..20 {
        let created = sqlx::query_scalar!(
            r#"WITH created AS (
                 INSERT INTO institutions (nummer, navn, institution_type, ejerform, kommunekode,
                                           vejnavn, husnummer, postnummer, postby, p_nummer, cvr,
                                           breddegrad, laengdegrad, omraade_postnumre, dagplejere)
                 SELECT 'D' || lpad(nextval('institution_number_seq')::text, 5, '0'), $1, $2, $3, $4, $5, $6, $7, p.navn, $8, $9,
                        $14, $15, $16, $17
                 FROM postnumre p WHERE p.postnummer = $7
                 ON CONFLICT (nummer) DO NOTHING
                 RETURNING id, nummer
               ), audit AS (
                 INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
                 SELECT $10, $11, $12, 'dagtilbud_oprettet', id, $4, $13::text::inet, jsonb_build_object('nummer', nummer)
                 FROM created
               )
               SELECT nummer FROM created"#,
            new.navn,
            new.institution_type.as_str(),
            new.ejerform.as_str(),
            kommunekode,
            new.vejnavn,
            new.husnummer,
            postnummer,
            new.p_nummer.as_ref().map(|p| p.as_str()),
            new.cvr.as_ref().map(|c| c.as_str()),
            audit.actor.role,
            audit.actor.id,
            audit.actor.label,
            audit.ip.map(|ip| ip.to_string()),
            new.position.map(|p| p.breddegrad),
            new.position.map(|p| p.laengdegrad),
            area.as_deref(),
            new.dagpleje.as_ref().map(|a| a.dagplejere),
        )
        .fetch_optional(pool)
        .await?;
        if let Some(nummer) = created {
            return Ok(nummer);
        }
    }
    tracing::error!("no free institution number after 20 tries");
    Err(AppError::Internal)
}

/// Close an active institution that the caller loaded at `version`, on the
/// date `parse` accepts (given the day it was created). Its account's sessions
/// end at once. In a kommune's scope its administrator closes one of its
/// non-private institutions; in the national scope support closes a private one.
pub async fn close_institution(
    pool: &PgPool,
    scope: Scope,
    nummer: &str,
    version: i32,
    parse: impl FnOnce(time::Date) -> Result<time::Date, crate::error::FieldErrors>,
    audit: &AuditContext,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"SELECT id, version, status, kommunekode, created_at FROM institutions
           WHERE nummer = $1
             AND CASE WHEN $2::smallint IS NULL THEN ejerform = 'privat'
                      ELSE kommunekode = $2 AND ejerform <> 'privat' END"#,
        nummer,
        scope.kommunekode()
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.status != "aktiv" {
        return Err(AppError::Conflict(
            "Dagtilbuddet er allerede lukket. Genindlæs siden.".into(),
        ));
    }
    let created = crate::domain::calendar::danish_time(row.created_at).date();
    let closed_on = parse(created).map_err(AppError::Validation)?;
    let closed = sqlx::query_scalar!(
        r#"WITH closed AS (
             UPDATE institutions SET status = 'nedlagt', closed_on = $3, version = version + 1, updated_at = now()
             WHERE id = $1 AND version = $2 AND status = 'aktiv'
             RETURNING id
           ), sessions AS (
             UPDATE institution_accounts SET epoch = epoch + 1 WHERE institution_id IN (SELECT id FROM closed)
           ), audit AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
             SELECT $4, $5, $6, 'dagtilbud_lukket', id, $7, $8::text::inet, jsonb_build_object('lukket_den', $3::date)
             FROM closed
           )
           SELECT id FROM closed"#,
        row.id,
        version,
        closed_on,
        audit.actor.role,
        audit.actor.id,
        audit.actor.label,
        row.kommunekode,
        audit.ip.map(|ip| ip.to_string()),
    )
    .fetch_optional(pool)
    .await?;
    match closed {
        Some(_) => {
            crate::ssr::public_page_changed(nummer);
            Ok(())
        }
        None => Err(AppError::StaleVersion {
            message: "Dagtilbuddet er ændret, efter du åbnede siden. Genindlæs siden og prøv igen.".into(),
            current_version: row.version,
        }),
    }
}
