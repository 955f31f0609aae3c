//! Support's queries and account changes (server only). Each function takes
//! the pool and the caller explicitly; the server functions check that the
//! caller is support before they call in.

use std::net::IpAddr;

use sqlx::PgPool;

use super::accounts::NewAccountForm;
use super::audit_log::{action_label, AuditEntry, CheckedAuditFilter};
use crate::audit::{Actor, AuditContext};
use crate::auth::Principal;
use crate::components::form::FORM;
use crate::error::{AppError, FieldErrors};
use crate::register::db::existing_kommune;

/// Which administrator accounts to list.
#[derive(Debug, Default)]
pub struct AccountQuery<'a> {
    /// Part of the e-mail or name.
    pub text: &'a str,
    pub kommune: Option<i16>,
    /// `kommune`, `support`, or empty for both.
    pub role: &'a str,
    pub id: Option<i64>,
}

/// One page of the accounts `query` selects, and how many there are in all;
/// `own_id` is the calling support user's.
pub async fn account_rows(
    pool: &PgPool,
    own_id: i64,
    query: AccountQuery<'_>,
    offset: i64,
) -> Result<(Vec<super::accounts::AccountFacts>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.email, a.navn, a.role, a.kommunekode, k.navn AS "kommune?", a.disabled,
                  a.must_change_password, a.password_hash IS NOT NULL AS "has_password!",
                  a.totp_confirmed_at IS NOT NULL AS "has_second_factor!",
                  a.created_at, a.last_login_at, count(*) OVER () AS "matching!"
           FROM admin_accounts a LEFT JOIN kommuner k ON k.kode = a.kommunekode
           WHERE ($1 = '' OR strpos(a.email, lower($1)) > 0 OR strpos(lower(a.navn), lower($1)) > 0)
             AND ($2::smallint IS NULL OR a.kommunekode = $2)
             AND ($3 = '' OR a.role = $3)
             AND ($4::bigint IS NULL OR a.id = $4)
           ORDER BY a.role, k.navn NULLS FIRST, a.email
           LIMIT $5 OFFSET $6"#,
        query.text,
        query.kommune,
        query.role,
        query.id,
        super::PAGE_SIZE,
        offset
    )
    .fetch_all(pool)
    .await?;
    let matching = rows.first().map(|r| r.matching).unwrap_or(0);
    let when = crate::domain::calendar::format_timestamp;
    let accounts = rows
        .into_iter()
        .map(|r| super::accounts::AccountFacts {
            role_label: super::accounts::role_label(&r.role).to_string(),
            is_self: r.id == own_id,
            id: r.id,
            email: r.email,
            navn: r.navn,
            role: r.role,
            kommunekode: r.kommunekode,
            kommune: r.kommune,
            disabled: r.disabled,
            must_change_password: r.must_change_password,
            has_password: r.has_password,
            has_second_factor: r.has_second_factor,
            created: when(r.created_at),
            last_login: r.last_login_at.map(when),
        })
        .collect();
    Ok((accounts, matching))
}

pub async fn create_account(
    pool: &PgPool,
    principal: &Principal,
    ip: Option<IpAddr>,
    form: &NewAccountForm,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::new();
    let email = crate::domain::Email::parse(&form.email)
        .map_err(|m| errors.insert("email".into(), m))
        .ok();
    let navn = form.navn.trim();
    match navn.chars().count() {
        0 => {
            errors.insert("navn".into(), "Skriv personens navn, fx Ida Hansen.".into());
        }
        n if n > 100 => {
            errors.insert(
                "navn".into(),
                format!("Navnet må højst være 100 tegn. Du har skrevet {n}."),
            );
        }
        _ => {}
    }
    let kommunekode = match form.rolle.as_str() {
        "kommune" => existing_kommune(
            pool,
            &form.kommunekode,
            "Vælg den kommune, kommuneadministratoren arbejder for.",
        )
        .await?
        .map_err(|e| errors.extend(e))
        .ok(),
        "support" => {
            if !form.kommunekode.trim().is_empty() {
                errors.insert(
                    "kommunekode".into(),
                    "En supportkonto hører ikke til en kommune. Vælg Ingen kommune.".into(),
                );
            }
            None
        }
        "" => {
            errors.insert("rolle".into(), "Vælg kontoens rolle.".into());
            None
        }
        _ => {
            errors.insert(
                "rolle".into(),
                "Vælg Kommuneadministrator eller Support (STIL) som rolle.".into(),
            );
            None
        }
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let actor = Actor::from_principal(principal);
    let created = sqlx::query_scalar!(
        r#"WITH created AS (
             INSERT INTO admin_accounts (email, navn, role, kommunekode, must_change_password)
             VALUES ($1, $2, $3, $4, true)
             ON CONFLICT (email) DO NOTHING
             RETURNING id
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $5, $6, $7, 'konto_oprettet', $4, $8::text::inet,
                    jsonb_build_object('konto', id, 'email', $1::text, 'rolle', $3::text)
             FROM created
           )
           SELECT id FROM created"#,
        email.as_str(),
        navn,
        form.rolle,
        kommunekode,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_optional(pool)
    .await?;
    created.ok_or_else(|| {
        AppError::field(
            "email",
            format!(
                "Der findes allerede en konto med e-mailadressen {}. Find den i listen over konti.",
                email.as_str()
            ),
        )
    })
}

pub async fn move_account(
    pool: &PgPool,
    principal: &Principal,
    ip: Option<IpAddr>,
    id: i64,
    from: i16,
    kommunekode: &str,
) -> Result<(), AppError> {
    let to = existing_kommune(pool, kommunekode, "Vælg den kommune, kontoen skal flyttes til.")
        .await?
        .map_err(AppError::Validation)?;
    if to == from {
        return Err(AppError::field(
            "kommunekode",
            "Kontoen hører allerede til den kommune. Vælg en anden kommune.",
        ));
    }
    let actor = Actor::from_principal(principal);
    let moved = sqlx::query_scalar!(
        r#"WITH moved AS (
             UPDATE admin_accounts SET kommunekode = $2, epoch = epoch + 1
             WHERE id = $1 AND role = 'kommune' AND kommunekode = $3 AND NOT disabled
             RETURNING id, email
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $4, $5, $6, 'konto_flyttet', $2, $7::text::inet,
                    jsonb_build_object('konto', id, 'email', email, 'fra', $3::smallint, 'til', $2::smallint)
             FROM moved
           )
           SELECT id FROM moved"#,
        id,
        to,
        from,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_optional(pool)
    .await?;
    match moved {
        Some(_) => Ok(()),
        None => Err(missed(
            pool,
            id,
            Some("kommune"),
            "Kontoen er ændret, efter du åbnede siden (flyttet eller spærret). Genindlæs siden og prøv igen.",
        )
        .await),
    }
}

/// Why a change to account `id` (of `role`, if given) touched no row: the
/// account does not exist (as that role), or it changed since the page was read.
async fn missed(pool: &PgPool, id: i64, role: Option<&str>, conflict: &str) -> AppError {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM admin_accounts WHERE id = $1 AND ($2::text IS NULL OR role = $2)) AS "exists!""#,
        id,
        role
    )
    .fetch_one(pool)
    .await;
    match exists {
        Ok(true) => AppError::Conflict(conflict.into()),
        Ok(false) => AppError::NotFound,
        Err(e) => e.into(),
    }
}

pub async fn set_disabled(
    pool: &PgPool,
    principal: &Principal,
    ip: Option<IpAddr>,
    id: i64,
    disable: bool,
) -> Result<(), AppError> {
    let actor = Actor::from_principal(principal);
    if disable && actor.id == Some(id) {
        return Err(AppError::field(FORM, "Du kan ikke spærre din egen konto."));
    }
    let changed = sqlx::query_scalar!(
        r#"WITH changed AS (
             UPDATE admin_accounts SET disabled = $2, epoch = epoch + 1
             WHERE id = $1 AND disabled <> $2
             RETURNING id, email, kommunekode
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $3, $4, $5, CASE WHEN $2 THEN 'konto_spaerret' ELSE 'konto_genaabnet' END, kommunekode,
                    $6::text::inet, jsonb_build_object('konto', id, 'email', email)
             FROM changed
           )
           SELECT id FROM changed"#,
        id,
        disable,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_optional(pool)
    .await?;
    let conflict = if disable {
        "Kontoen er allerede spærret. Genindlæs siden."
    } else {
        "Kontoen er allerede åben. Genindlæs siden."
    };
    match changed {
        Some(_) => Ok(()),
        None => Err(missed(pool, id, None, conflict).await),
    }
}

/// Reset another administrator's second factor (lost phone and recovery
/// codes): the secret and the recovery codes are deleted, every session of
/// the account ends (its epoch moves on), and the next log-in sets up a new
/// factor. Audited as `totrin_nulstillet`.
pub async fn reset_second_factor(
    pool: &PgPool,
    principal: &Principal,
    ip: Option<IpAddr>,
    id: i64,
) -> Result<(), AppError> {
    let actor = Actor::from_principal(principal);
    if actor.id == Some(id) {
        return Err(AppError::field(
            FORM,
            "Du kan ikke nulstille din egen totrinsbekræftelse. Bed en anden fra support om at gøre det.",
        ));
    }
    let reset = sqlx::query_scalar!(
        r#"WITH changed AS (
             UPDATE admin_accounts
             SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL, epoch = epoch + 1
             WHERE id = $1
             RETURNING id, email, kommunekode
           ), codes AS (
             DELETE FROM admin_recovery_codes WHERE admin_id IN (SELECT id FROM changed)
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $2, $3, $4, 'totrin_nulstillet', kommunekode, $5::text::inet,
                    jsonb_build_object('konto', id, 'email', email)
             FROM changed
           )
           SELECT id FROM changed"#,
        id,
        actor.role,
        actor.id,
        actor.label,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_optional(pool)
    .await?;
    reset.map(|_| ()).ok_or(AppError::NotFound)
}

/// The start of a Danish calendar day.
fn danish_midnight(day: time::Date) -> time::OffsetDateTime {
    let offset = crate::domain::calendar::danish_time(day.midnight().assume_utc()).offset();
    day.midnight().assume_offset(offset)
}

/// `key: value` pairs of an audit row's details, in one line.
fn details_text(details: &serde_json::Value) -> String {
    match details {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How many matching audit rows are counted at most: the log grows with every
/// save and log-in, and counting millions of rows on each page view would make
/// the page slower every year. Past this the page says "more than".
pub const AUDIT_COUNT_LIMIT: i64 = 10_000;

/// The audit rows the filter selects, newest first, and how many there are:
/// exact up to [`AUDIT_COUNT_LIMIT`] (or the rows asked for, if more), and
/// `true` when there are at least that many.
pub async fn audit_entries(
    pool: &PgPool,
    filter: &CheckedAuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64, bool), AppError> {
    let from = filter.fra.map(danish_midnight);
    let until = filter.til.and_then(|d| d.next_day()).map(danish_midnight);
    let counted_at_most = (AUDIT_COUNT_LIMIT + 1).max(offset + limit);
    let rows = sqlx::query!(
        r#"WITH matched AS (
             SELECT l.id, l.at FROM audit_log l
             WHERE ($1 = '' OR strpos(lower(l.actor_label), $1) > 0 OR strpos(lower(l.details->>'email'), $1) > 0)
               AND ($2::text IS NULL OR l.institution_id = (SELECT id FROM institutions WHERE nummer = $2))
               AND ($3::text IS NULL OR l.action = $3)
               AND ($4::timestamptz IS NULL OR l.at >= $4)
               AND ($5::timestamptz IS NULL OR l.at < $5)
             ORDER BY l.at DESC, l.id DESC
             LIMIT $8
           )
           SELECT l.at, l.actor_role, l.actor_label, l.action, i.nummer AS "nummer?", k.navn AS "kommune?",
                  host(l.client_ip) AS ip, l.details, (SELECT count(*) FROM matched) AS "matching!"
           FROM (SELECT id FROM matched ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7) AS page
           JOIN audit_log l ON l.id = page.id
           LEFT JOIN institutions i ON i.id = l.institution_id
           LEFT JOIN kommuner k ON k.kode = l.kommunekode
           ORDER BY l.at DESC, l.id DESC"#,
        filter.konto,
        filter.dagtilbud,
        filter.handling,
        from,
        until,
        limit,
        offset,
        counted_at_most
    )
    .fetch_all(pool)
    .await?;
    let matching = rows.first().map(|r| r.matching).unwrap_or(0);
    let more = matching >= counted_at_most;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::domain::calendar::format_timestamp(r.at),
            role: r.actor_role,
            account: r.actor_label,
            action: action_label(&r.action),
            institution: r.nummer,
            kommune: r.kommune,
            ip: r.ip,
            details: details_text(&r.details),
        })
        .collect();
    Ok((entries, matching.min(counted_at_most - 1), more))
}

/// An account's new single-use password, as set.
#[derive(Debug)]
pub struct OneTimePassword {
    pub email: String,
    /// The account had no password before (it is new).
    pub first: bool,
}

/// Give account `id` the single-use password `hash`, valid for
/// `ONE_TIME_PASSWORD_HOURS` and to be replaced at the next log-in; its
/// sessions end. Written with its audit row. `NotFound` for no such account,
/// `Conflict` for a disabled one.
pub async fn set_one_time_password(
    pool: &PgPool,
    audit: &AuditContext,
    id: i64,
    hash: &str,
) -> Result<OneTimePassword, AppError> {
    let changed = sqlx::query!(
        r#"WITH account AS (
             SELECT id, password_hash IS NULL AS first FROM admin_accounts WHERE id = $1 AND NOT disabled
           ), changed AS (
             UPDATE admin_accounts a SET password_hash = $2, must_change_password = true, epoch = a.epoch + 1,
                    one_time_until = now() + make_interval(hours => $7)
             FROM account WHERE a.id = account.id
             RETURNING a.id, a.email, a.kommunekode, account.first
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $3, $4, $5, 'adgangskode_nulstillet', kommunekode, $6::text::inet,
                    jsonb_build_object('konto', id, 'email', email, 'foerste', first)
             FROM changed
           )
           SELECT email, first AS "first!" FROM changed"#,
        id,
        hash,
        audit.actor.role,
        audit.actor.id,
        audit.actor.label,
        audit.ip.map(|ip| ip.to_string()),
        crate::auth::login::ONE_TIME_PASSWORD_HOURS as i32,
    )
    .fetch_optional(pool)
    .await?;
    if let Some(changed) = changed {
        return Ok(OneTimePassword {
            email: changed.email,
            first: changed.first,
        });
    }
    let disabled = sqlx::query_scalar!("SELECT disabled FROM admin_accounts WHERE id = $1", id)
        .fetch_optional(pool)
        .await?;
    match disabled {
        Some(true) => Err(AppError::Conflict(
            "Kontoen er spærret, så der kan ikke laves en adgangskode til den. Åbn kontoen igen først."
                .into(),
        )),
        _ => Err(AppError::NotFound),
    }
}

/// An active institution for its code letter.
#[derive(Debug)]
pub struct LetterAddress {
    pub id: i64,
    pub navn: String,
    pub vejnavn: String,
    pub husnummer: String,
    pub postnummer: i16,
    pub postby: String,
    pub kommune: String,
}

/// The active institution `nummer`, if there is one, with its address.
pub async fn active_institution(
    pool: &PgPool,
    nummer: &crate::domain::InstitutionNumber,
) -> Result<Option<LetterAddress>, AppError> {
    Ok(sqlx::query_as!(
        LetterAddress,
        r#"SELECT i.id, i.navn, i.vejnavn, i.husnummer, i.postnummer, i.postby, k.navn AS kommune
           FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode
           WHERE i.nummer = $1 AND i.status = 'aktiv'"#,
        nummer.as_str()
    )
    .fetch_optional(pool)
    .await?)
}

/// Store a new API key of kommune `kommunekode` (only its hash and first
/// characters), with its audit row.
pub async fn create_api_key(
    pool: &PgPool,
    audit: &AuditContext,
    kommunekode: i16,
    label: &str,
    prefix: &str,
    hash: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"WITH created AS (
             INSERT INTO kommune_api_keys (kommunekode, label, prefix, key_hash, created_by)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING id
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $6, $5, $7, 'api_noegle_oprettet', $1, $8::text::inet,
                    jsonb_build_object('noegle', id, 'navn', $2::text, 'begynder_med', $3::text)
             FROM created
           )
           SELECT id FROM created"#,
        kommunekode,
        label,
        prefix,
        hash,
        audit.actor.id,
        audit.actor.role,
        audit.actor.label,
        audit.ip.map(|ip| ip.to_string()),
    )
    .fetch_one(pool)
    .await?)
}
