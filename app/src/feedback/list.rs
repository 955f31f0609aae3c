//! The open reports on the institution's start page and (when overdue) the
//! kommune's, each marked handled with an optional answer.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::OpenReport;
use crate::error::AppError;

/// The calling institution's open reports.
#[server(prefix = "/api/fn", endpoint = "fejlmeldinger")]
pub async fn own_reports() -> Result<Vec<OpenReport>, AppError> {
    let (institution_id, _) = crate::auth::context::require_institution()?;
    let state = crate::ssr::state()?;
    super::db::open(
        &state.pool,
        super::db::Scope::Institution(institution_id),
        state.now(),
    )
    .await
}

/// The kommune's reports left open longer than `Settings::report_overdue_after`.
#[server(prefix = "/api/fn", endpoint = "kommune_fejlmeldinger")]
pub async fn overdue_reports() -> Result<Vec<OpenReport>, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let state = crate::ssr::state()?;
    let now = state.now();
    let before = now - state.settings.report_overdue_after;
    super::db::open(&state.pool, super::db::Scope::Kommune(kommunekode, before), now).await
}

/// Private institutions' reports left open too long (support keeps their pages).
#[server(prefix = "/api/fn", endpoint = "support_fejlmeldinger")]
pub async fn overdue_private_reports() -> Result<Vec<OpenReport>, AppError> {
    crate::auth::context::require_support()?;
    let state = crate::ssr::state()?;
    let now = state.now();
    let before = now - state.settings.report_overdue_after;
    super::db::open(&state.pool, super::db::Scope::Private(before), now).await
}

/// Whose reports a start page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The institution: its own open reports.
    Institution,
    /// The kommune: its institutions' reports left open too long.
    Kommune,
    /// Support: private institutions' reports left open too long.
    Support,
}

/// Mark report `id` handled, with an optional answer: the institution its
/// own, its kommune the kommune's (support any), like the sections.
#[server(prefix = "/api/fn", endpoint = "fejlmelding_haandteret")]
pub async fn handle_report(id: i64, #[server(default)] svar: String) -> Result<(), AppError> {
    let principal = crate::auth::context::require_principal()?;
    let state = crate::ssr::state()?;
    let answer = svar.trim();
    if answer.chars().count() > super::ANSWER_MAX {
        return Err(AppError::field(
            &format!("svar-{id}"),
            format!("Svaret må højst være {} tegn.", super::ANSWER_MAX),
        ));
    }
    let nummer = super::db::institution_of(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::Conflict("Fejlmeldingen er allerede håndteret. Genindlæs siden.".into()))?;
    let by = crate::audit::Actor::from_principal(&principal).label;
    let target = crate::workspace::db::target(
        &state.pool,
        principal,
        Some(&nummer),
        crate::auth::context::client_ip(),
    )
    .await?;
    let answer = (!answer.is_empty()).then_some(answer);
    if !super::db::handle(&state.pool, id, target.institution_id, answer, &by).await? {
        // An institution asking for another's report works on itself and finds nothing.
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The reports with a "handled" form each. `with_institution` names the
/// institution (the kommune's list).
#[component]
pub fn ReportList(
    reports: Vec<OpenReport>,
    with_institution: bool,
    action: ServerAction<HandleReport>,
) -> impl IntoView {
    reports
        .into_iter()
        .map(|report| {
            let answer_id = format!("svar-{}", report.id);
            let heading = if with_institution {
                format!("{} ({}): {}", report.navn, report.nummer, report.topic)
            } else {
                report.topic.clone()
            };
            view! {
                <article class="report">
                    <h3>{heading}</h3>
                    <p class="muted">{format!("Modtaget {} ({} dage siden)", report.when, report.days_open)}</p>
                    <p class="pre">{report.message.clone()}</p>
                    {report.email.clone().map(|email| view! {
                        <p>"Svar til: "<a href=format!("mailto:{email}")>{email.clone()}</a></p>
                    })}
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="id" value=report.id />
                        <div class="form-group">
                            <label for=answer_id.clone()>"Svar eller note (valgfrit)"</label>
                            <textarea id=answer_id.clone() name="svar" rows="2" class="input"></textarea>
                        </div>
                        <button type="submit" class="button button-secondary">"Markér som håndteret"</button>
                    </ActionForm>
                </article>
            }
        })
        .collect_view()
}

/// The open reports as a section of a start page (see [`Reader`]). Nothing
/// when there are none.
#[component]
pub fn ReportsSection(reader: Reader) -> impl IntoView {
    let action = ServerAction::<HandleReport>::new();
    let handled = crate::components::form::successes(action);
    let data = Resource::new_blocking(
        move || handled.get(),
        move |_| async move {
            match reader {
                Reader::Institution => own_reports().await,
                Reader::Kommune => overdue_reports().await,
                Reader::Support => overdue_private_reports().await,
            }
        },
    );
    let refused = move || {
        action.value().with(|v| match v {
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let reports = match data.await {
                    Ok(reports) => reports,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                if reports.is_empty() {
                    return ().into_any();
                }
                let count = reports.len();
                let (title, intro) = match reader {
                    Reader::Kommune => (
                        format!("Fejlmeldinger, som dagtilbuddene ikke har håndteret ({count})"),
                        "Forældre har meldt fejl på disse dagtilbuds sider, og dagtilbuddet har ikke markeret dem som håndteret i over 14 dage. Ret oplysningerne på dagtilbuddets vegne, eller tal med dagtilbuddet.",
                    ),
                    Reader::Support => (
                        format!("Fejlmeldinger på private dagtilbud, som ikke er håndteret ({count})"),
                        "Forældre har meldt fejl på disse private dagtilbuds sider, og dagtilbuddet har ikke markeret dem som håndteret i over 14 dage.",
                    ),
                    Reader::Institution => (
                        format!("Fejlmeldinger fra forældre ({count})"),
                        "Forældre har meldt, at noget på jeres side er forkert. Ret det i afsnittet, og markér fejlmeldingen som håndteret. Er den ikke håndteret inden for 14 dage, ser kommunen den.",
                    ),
                };
                view! {
                    <section aria-labelledby="fejlmeldinger" class="reports">
                        <h2 id="fejlmeldinger">{title}</h2>
                        <p>{intro}</p>
                        <div role="alert">
                            {move || refused().map(|message| view! { <div class="alert alert-error"><p>{message}</p></div> })}
                        </div>
                        <ReportList reports with_institution=reader != Reader::Institution action />
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
