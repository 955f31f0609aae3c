//! Lukkedage: a list of closing periods, added, edited and removed one at a
//! time, each change saved over the version the page was loaded at.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::NummerField;
use crate::components::form::{Checkbox, ErrorSummary, FormErrors, SubmitButton, TextField};
use crate::domain::sections::lukkedage::SUGGESTED_REASONS;
use crate::domain::sections::{ClosingPeriodForm, Lukkedage};
use crate::domain::sections::{Loaded, SectionKind, SectionMeta};
use crate::error::AppError;

/// The periods with the year they are counted from, and the kommune's
/// fælles lukkedage not taken over yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosingData {
    pub loaded: Loaded<Lukkedage>,
    pub year: i32,
    pub common: Vec<super::common_closing::CommonPeriod>,
}

#[server(prefix = "/api/fn", endpoint = "lukkedage_hent")]
pub async fn load_lukkedage(nummer: Option<String>) -> Result<ClosingData, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let state = crate::ssr::state()?;
    let target = super::db::target(
        &state.pool,
        principal,
        nummer.as_deref(),
        crate::auth::context::client_ip(),
    )
    .await?;
    let mut loaded =
        super::db::load::<Lukkedage>(super::db::Sections::of(&state), target.institution_id).await?;
    loaded.meta =
        super::with_warnings(&state, target.institution_id, loaded.value.as_ref(), loaded.meta).await;
    let today = crate::ssr::today()?;
    let taken: Vec<i64> = loaded
        .value
        .iter()
        .flat_map(|list| list.periods.iter().filter_map(|p| p.kommune_period))
        .collect();
    let common = super::common_closing::current(&state.pool, target.kommunekode, today)
        .await?
        .into_iter()
        .filter(|c| !taken.contains(&c.id))
        .collect();
    Ok(ClosingData {
        loaded,
        year: today.year(),
        common,
    })
}

/// What to do to the list: add a period, replace one, or remove one.
enum Change {
    Add(ClosingPeriodForm),
    Replace(usize, ClosingPeriodForm),
    Remove(usize),
    /// Take over the kommune's fælles lukkedag with this id, or all not taken yet.
    Accept(Option<i64>),
}

async fn change(nummer: Option<String>, version: i32, change: Change) -> Result<SectionMeta, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let state = crate::ssr::state()?;
    let sections = super::db::Sections::of(&state);
    let target = super::db::target(
        &state.pool,
        principal,
        nummer.as_deref(),
        crate::auth::context::client_ip(),
    )
    .await?;
    let today = crate::ssr::today()?;
    let mut list = super::db::load::<Lukkedage>(sections, target.institution_id)
        .await?
        .value
        .unwrap_or_default();
    match change {
        Change::Add(form) => {
            let mut period = form.parse(today).map_err(AppError::Validation)?;
            period.uid = Some(format!("{:032x}", rand::random::<u128>()));
            list.insert(period).map_err(|m| AppError::field("fra", m))?;
        }
        Change::Replace(index, form) => {
            let period = form.parse(today).map_err(AppError::Validation)?;
            list.replace(index, period)
                .map_err(|m| AppError::field("fra", m))?;
        }
        Change::Remove(index) => {
            list.remove(index).ok_or_else(|| {
                AppError::Conflict("Lukkeperioden findes ikke længere. Genindlæs siden.".into())
            })?;
        }
        Change::Accept(id) => {
            let wanted: Vec<_> = super::common_closing::current(&state.pool, target.kommunekode, today)
                .await?
                .into_iter()
                .filter(|c| id.is_none_or(|id| c.id == id))
                .filter(|c| !list.periods.iter().any(|p| p.kommune_period == Some(c.id)))
                .collect();
            if wanted.is_empty() {
                return Err(AppError::Conflict(
                    "Kommunens fælles lukkedag findes ikke længere, eller I har allerede tilføjet den. Genindlæs siden."
                        .into(),
                ));
            }
            // Those that overlap one of your own periods are left out; the
            // rest are taken over. Only when none fits is it an error.
            let mut refused = Vec::new();
            let mut added = 0;
            for common in &wanted {
                match list.insert(common.copy()) {
                    Ok(()) => added += 1,
                    Err(message) => refused.push(format!("{}: {message}", common.period.dates())),
                }
            }
            if added == 0 {
                return Err(AppError::field(
                    "faelles",
                    format!(
                        "Kommunens fælles lukkedage kan ikke tilføjes, fordi de overlapper jeres egne lukkeperioder. {} Ret eller slet jeres egen periode først.",
                        refused.join(" ")
                    ),
                ));
            }
        }
    }
    let meta = super::db::save(
        sections,
        &target,
        version,
        &list,
        crate::auth::context::client_ip(),
    )
    .await?;
    Ok(super::with_warnings(&state, target.institution_id, Some(&list), meta).await)
}

/// The lukkedage page of the caller's institution, or of `nummer` for an administrator.
fn page_for(nummer: Option<&str>) -> Result<String, AppError> {
    let principal = crate::auth::context::require_principal()?;
    Ok(super::section_page(
        principal.role(),
        nummer,
        SectionKind::Lukkedage,
    ))
}

/// Add a closing period.
#[server(prefix = "/api/fn", endpoint = "lukkedage_tilfoej")]
pub async fn add_closing_period(
    nummer: Option<String>,
    version: i32,
    #[server(flatten)] form: ClosingPeriodForm,
) -> Result<SectionMeta, AppError> {
    let page = page_for(nummer.as_deref())?;
    let values = crate::ssr::flash::form_values(&form);
    let result = change(nummer, version, Change::Add(form)).await;
    crate::ssr::flash::finish(
        "lukkedage",
        &page,
        values,
        Some(&format!("{page}?gemt=1")),
        result,
    )
    .await
}

/// Replace the period at `index` (in the list as loaded at `version`).
#[server(prefix = "/api/fn", endpoint = "lukkedage_ret")]
pub async fn edit_closing_period(
    nummer: Option<String>,
    version: i32,
    index: usize,
    #[server(flatten)] form: ClosingPeriodForm,
) -> Result<SectionMeta, AppError> {
    let page = page_for(nummer.as_deref())?;
    let mut values = crate::ssr::flash::form_values(&form);
    values.push(("index".into(), index.to_string()));
    let result = change(nummer, version, Change::Replace(index, form)).await;
    let saved = format!("{page}?gemt=1");
    crate::ssr::flash::finish(
        "lukkedage",
        &format!("{page}?ret={index}"),
        values,
        Some(&saved),
        result,
    )
    .await
}

/// Take over the kommune's fælles lukkedag `id`, or every one not taken over
/// yet when `id` is empty. Each copy follows the kommune's later changes
/// until the institution changes it.
#[server(prefix = "/api/fn", endpoint = "lukkedage_faelles")]
pub async fn accept_common_closing(
    nummer: Option<String>,
    version: i32,
    #[server(default)] id: Option<i64>,
) -> Result<SectionMeta, AppError> {
    change_without_form(nummer, version, Change::Accept(id)).await
}

/// Remove the period at `index` (in the list as loaded at `version`).
#[server(prefix = "/api/fn", endpoint = "lukkedage_slet")]
pub async fn remove_closing_period(
    nummer: Option<String>,
    version: i32,
    index: usize,
) -> Result<SectionMeta, AppError> {
    change_without_form(nummer, version, Change::Remove(index)).await
}

/// A change posted by a button alone (no typed fields to keep): back to the
/// page, saying "Gemt." or with the error.
async fn change_without_form(
    nummer: Option<String>,
    version: i32,
    what: Change,
) -> Result<SectionMeta, AppError> {
    let page = page_for(nummer.as_deref())?;
    let result = change(nummer, version, what).await;
    crate::ssr::flash::finish(
        "lukkedage",
        &page,
        Vec::new(),
        Some(&format!("{page}?gemt=1")),
        result,
    )
    .await
}

/// What the Lukkedage page's editor starts from, all of it read by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosingStart {
    workspace: super::Workspace,
    data: ClosingData,
    /// What a failed plain post left: the typed period and its errors.
    flash: Option<crate::components::form::FormFlash>,
    /// `?ret=N`: the period to edit.
    editing: Option<usize>,
    /// `?gemt=1`: the plain post that led here saved.
    saved: bool,
    /// `?bekraeftet=…`: how a plain "Bekræft" post went.
    confirmed: Option<String>,
}

/// The Lukkedage page, rendered by the server; the list and its forms are
/// the island that runs in the browser.
#[component]
pub fn LukkedagePage() -> impl IntoView {
    let workspace = super::Workspace::current();
    let nummer = workspace.nummer.clone();
    let query = use_query_map();
    let data = Resource::new_blocking(
        || (),
        move |_| super::forms::with_flash("lukkedage", true, load_lukkedage(nummer.clone())),
    );
    view! {
        <Title text="Lukkedage" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || {
                let workspace = workspace.clone();
                Suspend::new(async move {
                    match data.await {
                        (Ok(data), flash) => {
                            let start = query.with_untracked(|query| ClosingStart {
                                workspace,
                                data,
                                flash,
                                editing: query.get("ret").and_then(|i| i.parse().ok()),
                                saved: query.get("gemt").is_some(),
                                confirmed: query.get("bekraeftet"),
                            });
                            view! { <LukkedageEditor start /> }.into_any()
                        }
                        (Err(error), _) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The periods, the kommune's fælles lukkedage and the add or edit form:
/// the server's HTML, each form a plain post. With JavaScript the page's
/// region (`data-swap`) sends them in place and redraws itself from the
/// page the server answers with (`components::enhance`): the list, the
/// counts and an emptied add form, with focus back on the form's button.
#[component]
fn LukkedageEditor(start: ClosingStart) -> impl IntoView {
    let ClosingStart {
        workspace,
        data,
        flash,
        editing,
        saved,
        confirmed,
    } = start;
    let page = workspace.section(SectionKind::Lukkedage);
    let add = ServerAction::<AddClosingPeriod>::new();
    let edit = ServerAction::<EditClosingPeriod>::new();
    let remove = ServerAction::<RemoveClosingPeriod>::new();
    let accept = ServerAction::<AcceptCommonClosing>::new();
    let list = data.loaded.value.clone().unwrap_or_default();
    let meta = data.loaded.meta.clone();
    let warnings = Signal::stored(meta.warnings.clone());
    let year = data.year;
    let errors = FormErrors::new(flash.as_ref().map(|f| f.errors.clone()).unwrap_or_default());
    let version = meta.version;
    // Edit mode: the period to edit, from the list or the failed post.
    let edit_index = editing.filter(|i| *i < list.periods.len());
    let editing_common = edit_index.is_some_and(|i| list.periods[i].kommune_period.is_some());
    let common = common_view(&data.common, accept, &workspace, version);
    let form: ClosingPeriodForm = match (&flash, edit_index) {
        (Some(flash), _) => serde_json::from_value(serde_json::to_value(&flash.values).unwrap_or_default())
            .unwrap_or_default(),
        (None, Some(i)) => list.periods[i].to_form(),
        (None, None) => ClosingPeriodForm::default(),
    };
    let rows = list
        .periods
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let edit_href = format!("{page}?ret={index}");
            let label = format!("Slet {}", p.dates());
            let row_workspace = workspace.clone();
            view! {
                <tr>
                    <td>{p.dates()}</td>
                    <td class="pre">
                        {p.reason.clone()}
                        {p.kommune_period.map(|_| view! { <br /><span class="form-hint">"Kommunens fælles lukkedag"</span> })}
                    </td>
                    <td>{p.care_text()}</td>
                    <td>
                        <div class="button-row">
                            <a href=edit_href aria-label=format!("Ret {}", p.dates())>"Ret"</a>
                            <ActionForm action=remove>
                                <NummerField workspace=row_workspace />
                                <input type="hidden" name="version" value=version />
                                <input type="hidden" name="index" value=index />
                                <button type="submit" class="button-link" aria-label=label>"Slet"</button>
                            </ActionForm>
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = list.periods.is_empty();
    let this_year = list.closing_days(year);
    let next_year = list.closing_days(year + 1);
    let hidden = workspace.clone();
    let fields = move || {
        view! {
            <NummerField workspace=hidden.clone() />
            <input type="hidden" name="version" value=version />
            <PeriodFields form=form.clone() errors />
        }
    };
    view! {
        <div id="lukkedage" data-swap="">
            <super::header::SectionHeader kind=SectionKind::Lukkedage meta saved confirmed workspace=workspace.clone() />
            <p class="stats" data-testid="lukkedage-antal">
                {format!("Lukkedage i {year}: {this_year}. Lukkedage i {}: {next_year}.", year + 1)}
            </p>
            <p class="form-hint">"Kun hverdage tæller; weekender og helligdage er ikke lukkedage."</p>
            <ErrorSummary errors fields=vec!["faelles".into(), "fra".into(), "til".into(), "aarsag".into(), "alternativ_sted".into()] />
            <crate::components::form::WarningSummary warnings section_wide=&["lukkedage"] />
            {common}
            {if empty {
                view! { <p>"Der er ingen lukkeperioder endnu."</p> }.into_any()
            } else {
                view! { <PeriodTable caption="Lukkeperioder">{rows}</PeriodTable> }.into_any()
            }}
            {match edit_index {
                Some(index) => view! {
                    <h2>"Ret lukkeperiode"</h2>
                    {editing_common.then(|| view! {
                        <p class="form-hint">"Perioden er kommunens fælles lukkedag. Retter I den, bliver den jeres egen og følger ikke længere med, når kommunen ændrer den."</p>
                    })}
                    <ActionForm action=edit attr:novalidate=true attr:class="form" attr:data-check="lukkedage">
                        <input type="hidden" name="index" value=index />
                        {fields()}
                        <div class="button-row">
                            <SubmitButton pending=edit.pending() label="Gem ændringen" primary=true />
                            <a href=page.clone()>"Fortryd"</a>
                        </div>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <h2>"Tilføj lukkeperiode"</h2>
                    <ActionForm action=add attr:novalidate=true attr:class="form" attr:data-check="lukkedage">
                        {fields()}
                        <SubmitButton pending=add.pending() label="Tilføj og offentliggør" primary=true />
                    </ActionForm>
                }.into_any(),
            }}
        </div>
    }
}

/// A table of closing periods, a row each: period, reason, alternative
/// care and what can be done to it.
#[component]
fn PeriodTable(caption: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Periode"</th><th scope="col">"Årsag"</th>
                    <th scope="col">"Alternativ pasning"</th><th scope="col">"Handlinger"</th>
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// "Kommunens fælles lukkedage": the kommune's periods not taken over yet,
/// each with its own button and one for all of them.
fn common_view(
    common: &[super::common_closing::CommonPeriod],
    accept: ServerAction<AcceptCommonClosing>,
    workspace: &super::Workspace,
    version: i32,
) -> AnyView {
    if common.is_empty() {
        return ().into_any();
    }
    let rows = common
        .iter()
        .map(|c| {
            let p = c.period.clone();
            let id = c.id;
            let label = format!("Tilføj {}", p.dates());
            let hidden = workspace.clone();
            view! {
                <tr>
                    <td>{p.dates()}</td>
                    <td class="pre">{p.reason.clone()}</td>
                    <td>{p.care_text()}</td>
                    <td>
                        <ActionForm action=accept>
                            <NummerField workspace=hidden />
                            <input type="hidden" name="version" value=version />
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="button-link" aria-label=label>"Tilføj"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let all = format!("Tilføj alle {}", common.len());
    let hidden = workspace.clone();
    view! {
        <section class="common-closing" id="faelles" aria-labelledby="faelles-titel" tabindex="-1">
            <h2 id="faelles-titel">"Kommunens fælles lukkedage"</h2>
            <p>"Kommunen har lagt disse lukkedage ind for kommunens dagtilbud. Tilføjer I dem, står de på jeres side for forældrene og følger med, når kommunen ændrer dem, indtil I selv retter dem."</p>
            <PeriodTable caption="Foreslået af kommunen">{rows}</PeriodTable>
            <ActionForm action=accept>
                <NummerField workspace=hidden />
                <input type="hidden" name="version" value=version />
                <button type="submit" class="button button-secondary">{all}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The fields of one closing period: the institution's Lukkedage page and,
/// with `kommune`, the kommune's fælles lukkedage.
#[component]
pub fn PeriodFields(
    form: ClosingPeriodForm,
    errors: FormErrors,
    #[prop(optional)] kommune: bool,
) -> impl IntoView {
    let (care, place) = if kommune {
        (
            "Kommunen tilbyder alternativ pasning",
            "Hvor er den alternative pasning? (hvis den tilbydes)",
        )
    } else {
        (
            "Vi tilbyder alternativ pasning",
            "Hvor er den alternative pasning? (hvis I tilbyder den)",
        )
    };
    view! {
        <TextField name="fra" label="Fra og med" input_type="date" class="input-medium" value=form.fra.clone() errors hint="Første lukkedag, fx 22.12.2026" />
        <TextField name="til" label="Til og med" input_type="date" class="input-medium" value=form.til.clone() errors hint="Sidste lukkedag" />
        <TextField name="aarsag" label="Årsag" value=form.aarsag.clone() errors list="aarsager" hint="Fx juleferie eller sommerlukning" />
        <datalist id="aarsager">
            {SUGGESTED_REASONS.iter().map(|r| view! { <option value=*r></option> }).collect_view()}
        </datalist>
        <Checkbox name="alternativ_pasning" label=care checked=form.alternativ_pasning_checked() />
        <TextField name="alternativ_sted" label=place value=form.alternativ_sted.clone() errors />
    }
}
