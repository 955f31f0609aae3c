//! "Bekræft at oplysningerne stadig er rigtige": one click (one POST, also
//! without JavaScript) that records that a saved section was looked at and
//! is still correct, without changing it. It is kept beside the history and
//! in the audit log, the public page says when, and a section neither
//! changed nor confirmed for a while counts as stale.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{NummerField, Workspace};
use crate::components::form::SubmitButton;
use crate::domain::sections::{SectionKind, SectionMeta};
use crate::error::AppError;

/// Confirm the section `afsnit` as loaded at `version`; answers with when
/// ("d.m.åååå kl. hh:mm"). A newer saved version is a conflict, and so is a
/// section never saved.
#[server(prefix = "/api/fn", endpoint = "afsnit_bekraeft")]
pub async fn confirm_section(
    nummer: Option<String>,
    afsnit: String,
    version: i32,
) -> Result<String, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let kind = SectionKind::parse(&afsnit).ok_or(AppError::NotFound)?;
    let page = super::section_page(principal.role(), nummer.as_deref(), kind);
    let result = async {
        let state = crate::ssr::state()?;
        let ip = crate::auth::context::client_ip();
        let target = super::db::target(&state.pool, principal, nummer.as_deref(), ip).await?;
        target.offers(kind)?;
        let confirmed = record(&state.pool, &target, kind, version, ip).await?;
        state.page_cache.invalidate(&target.nummer);
        Ok(crate::domain::calendar::format_timestamp(confirmed))
    }
    .await;
    // A plain form post goes back to the section page, which says how it went
    // (the section's own form keeps its values: nothing is flashed over them).
    if crate::ssr::flash::is_plain_form_post() {
        let outcome = if result.is_ok() { "1" } else { "fejl" };
        let target = format!("{page}?bekraeftet={outcome}");
        if let (Some(response), Ok(location)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(&target),
        ) {
            response.set_status(axum::http::StatusCode::SEE_OTHER);
            response.insert_header(axum::http::header::LOCATION, location);
        }
    }
    result
}

/// Record the confirmation, its log row and its audit row in one statement,
/// only while the section still has `version`.
async fn record(
    pool: &sqlx::PgPool,
    target: &super::db::Target,
    kind: SectionKind,
    version: i32,
    ip: Option<std::net::IpAddr>,
) -> Result<time::OffsetDateTime, AppError> {
    let actor = crate::audit::Actor::from_principal(&target.principal);
    let row = sqlx::query!(
        r#"WITH confirmed AS (
             UPDATE institution_sections SET confirmed_at = now(), confirmed_by_role = $4
             WHERE institution_id = $1 AND section = $2 AND version = $3
             RETURNING institution_id, section, version, confirmed_at
           ), logged AS (
             INSERT INTO section_confirmations (institution_id, section, version, confirmed_at, actor_role, actor_label)
             SELECT institution_id, section, version, confirmed_at, $4, $5 FROM confirmed
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, institution_id, kommunekode, client_ip, details)
             SELECT $4, $6, $5, 'afsnit_bekraeftet', institution_id, $7, $8::text::inet,
                    jsonb_build_object('afsnit', section, 'version', version)
             FROM confirmed
           )
           SELECT (SELECT confirmed_at FROM confirmed) AS "confirmed_at?",
                  (SELECT version FROM institution_sections WHERE institution_id = $1 AND section = $2) AS "current?""#,
        target.institution_id,
        kind.as_str(),
        version,
        actor.role,
        actor.label,
        actor.id,
        target.kommunekode,
        ip.map(|ip| ip.to_string()),
    )
    .fetch_one(pool)
    .await?;
    match (row.confirmed_at, row.current) {
        (Some(at), _) => Ok(at),
        (None, Some(current_version)) => Err(AppError::StaleVersion {
            message: "Afsnittet er ændret, efter du hentede det. Se de nye oplysninger igennem, og bekræft dem igen."
                .into(),
            current_version,
        }),
        (None, None) => Err(AppError::Conflict(
            "Afsnittet er ikke udfyldt endnu. Udfyld og gem det først.".into(),
        )),
    }
}

/// After a plain "Bekræft" post (`?bekraeftet=1`, or `=fejl`): how it went.
fn confirmed_notice(confirmed: Option<String>) -> impl IntoView {
    match confirmed.as_deref() {
        Some("1") => Some(view! {
            <div class="alert alert-success">
                <p>"Tak. Oplysningerne er bekræftet rigtige."</p>
            </div>
        }.into_any()),
        Some(_) => Some(view! {
            <div class="alert alert-error">
                <p>"Bekræftelsen blev ikke gemt: afsnittet er ændret siden, eller det er ikke udfyldt endnu. Se oplysningerne igennem, og prøv igen."</p>
            </div>
        }.into_any()),
        None => None,
    }
}

/// The confirm button under a saved section's heading: a plain form post,
/// which the section page's region sends in place with JavaScript
/// (`components::enhance`). The page's `?bekraeftet=` says how it went, in
/// a live region that stays in place, so the answer is announced.
#[component]
pub fn ConfirmSection(
    kind: SectionKind,
    meta: SectionMeta,
    /// The page's `?bekraeftet=`.
    confirmed: Option<String>,
    workspace: Workspace,
) -> impl IntoView {
    let action = ServerAction::<ConfirmSection>::new();
    let version = meta.version;
    view! {
        {(version > 0).then(|| view! {
            <ActionForm action=action attr:class="form confirm-form">
                <NummerField workspace />
                <input type="hidden" name="afsnit" value=kind.as_str() />
                <input type="hidden" name="version" value=version />
                <SubmitButton pending=action.pending() label="Bekræft at oplysningerne stadig er rigtige" class="button button-secondary" />
            </ActionForm>
        })}
        // Announced when its content changes, without being a second "status" on the page.
        <div id="bekraeftelse" aria-live="polite">{confirmed_notice(confirmed)}</div>
    }
}
