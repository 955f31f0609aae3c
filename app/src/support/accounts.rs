//! The administrator accounts support maintains: kommune administrators
//! (create, move between kommuner, disable, re-enable) and support accounts.
//! A new account gets no password of support's choosing: support makes a
//! single-use password, shown once, that must be replaced at the first log-in.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::form::{errors_from, ErrorSummary, FormErrors, FormFlash, SelectField, TextField};
use crate::components::paging::encode_query_value;
use crate::error::AppError;
use crate::register::{kommune_choices, kommune_options, KommuneChoice};

/// The two kinds of administrator account.
pub const ROLES: [(&str, &str); 2] = [("kommune", "Kommuneadministrator"), ("support", "Support (STIL)")];

#[cfg(feature = "ssr")]
pub(crate) fn role_label(role: &str) -> &'static str {
    ROLES
        .iter()
        .find(|(value, _)| *value == role)
        .map(|(_, label)| *label)
        .unwrap_or("Ukendt")
}

/// One administrator account as support sees it. Never its password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountFacts {
    pub id: i64,
    pub email: String,
    pub navn: String,
    pub role: String,
    pub role_label: String,
    pub kommunekode: Option<i16>,
    pub kommune: Option<String>,
    pub disabled: bool,
    /// A single-use password was made and not yet replaced.
    pub must_change_password: bool,
    pub has_password: bool,
    /// A second factor (TOTP) is set up and confirmed.
    pub has_second_factor: bool,
    pub created: String,
    pub last_login: Option<String>,
    /// The calling support user's own account.
    pub is_self: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountFilter {
    #[serde(default)]
    pub soeg: String,
    #[serde(default)]
    pub kommune: String,
    #[serde(default)]
    pub rolle: String,
    #[serde(default)]
    pub side: String,
}

impl AccountFilter {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |key: &str| get(key).unwrap_or_default();
        AccountFilter {
            soeg: field("soeg"),
            kommune: field("kommune"),
            rolle: field("rolle"),
            side: field("side"),
        }
    }

    fn query(&self, side: i64) -> String {
        crate::components::paging::query_string(
            &[
                ("soeg", self.soeg.trim()),
                ("kommune", &self.kommune),
                ("rolle", &self.rolle),
            ],
            side,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<AccountFacts>,
    pub matching: i64,
    pub page: i64,
    pub pages: i64,
}

/// Every administrator account matching the filter (support only).
#[server(prefix = "/api/fn", endpoint = "support_konti")]
pub async fn accounts(#[server(default)] filter: AccountFilter) -> Result<AccountList, AppError> {
    let own_id = crate::auth::context::require_support()?;
    let mut errors = crate::error::FieldErrors::new();
    let kommune = match filter.kommune.trim() {
        "" => None,
        kode => crate::domain::Kommunekode::parse(kode)
            .map(|k| k.get())
            .map_err(|m| errors.insert("kommune".into(), m))
            .ok(),
    };
    if !matches!(filter.rolle.as_str(), "" | "kommune" | "support") {
        errors.insert(
            "rolle".into(),
            "Vælg Kommuneadministrator, Support eller Alle som rolle.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let page = crate::components::paging::page_number(&filter.side, 10_000);
    let pool = crate::ssr::pool()?;
    let (accounts, matching) = super::db::account_rows(
        &pool,
        own_id,
        super::db::AccountQuery {
            text: filter.soeg.trim(),
            kommune,
            role: &filter.rolle,
            id: None,
        },
        (page - 1) * super::PAGE_SIZE,
    )
    .await?;
    Ok(AccountList {
        accounts,
        matching,
        page,
        pages: crate::components::paging::page_count(matching, super::PAGE_SIZE),
    })
}

/// One administrator account (support only).
#[server(prefix = "/api/fn", endpoint = "support_konto")]
pub async fn account(id: i64) -> Result<AccountFacts, AppError> {
    let own_id = crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    let query = super::db::AccountQuery {
        id: Some(id),
        ..Default::default()
    };
    let (mut found, _) = super::db::account_rows(&pool, own_id, query, 0).await?;
    found.pop().ok_or(AppError::NotFound)
}

/// The new-account form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub navn: String,
    #[serde(default)]
    pub rolle: String,
    #[serde(default)]
    pub kommunekode: String,
}

impl NewAccountForm {
    pub const FIELDS: [&'static str; 4] = ["email", "navn", "rolle", "kommunekode"];
}

/// Create an administrator account without a password; support then makes its
/// single-use first password on the account's page.
#[server(prefix = "/api/fn", endpoint = "support_opret_konto")]
pub async fn create_account(#[server(flatten)] form: NewAccountForm) -> Result<i64, AppError> {
    crate::auth::context::require_support()?;
    let values = crate::ssr::flash::form_values(&form);
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::create_account(&pool, &principal, crate::auth::context::client_ip(), &form).await;
    if let Ok(id) = &result {
        leptos_axum::redirect(&format!("/support/konti/{id}?oprettet=1"));
    }
    crate::ssr::flash::finish("konto-opret", "/support/konti", values, None, result).await
}

/// Move a kommune administrator to another kommune. `fra` is the kommune the
/// page showed; if the account has moved since, nothing changes (conflict).
#[server(prefix = "/api/fn", endpoint = "support_flyt_konto")]
pub async fn move_account(id: i64, fra: i16, kommunekode: String) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let values = vec![("kommunekode".to_string(), kommunekode.clone())];
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::move_account(
        &pool,
        &principal,
        crate::auth::context::client_ip(),
        id,
        fra,
        &kommunekode,
    )
    .await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?flyttet=1"));
    }
    crate::ssr::flash::finish("konto-flyt", &page, values, None, result).await
}

/// Disable (`spaer` = "1") or re-enable (`spaer` = "0") an account. Disabling
/// ends its sessions at once; support cannot disable its own account.
#[server(prefix = "/api/fn", endpoint = "support_spaer_konto")]
pub async fn set_disabled(id: i64, spaer: String) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result = super::db::set_disabled(
        &pool,
        &principal,
        crate::auth::context::client_ip(),
        id,
        spaer == "1",
    )
    .await;
    if result.is_ok() {
        let done = if spaer == "1" { "spaerret" } else { "genaabnet" };
        leptos_axum::redirect(&format!("{page}?{done}=1"));
    }
    crate::ssr::flash::finish("konto-spaer", &page, Vec::new(), None, result).await
}

/// Reset another administrator's second factor: their sessions end and the
/// next log-in sets up a new one. Support cannot reset its own.
#[server(prefix = "/api/fn", endpoint = "support_nulstil_totrin")]
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    crate::auth::context::require_support()?;
    let page = format!("/support/konti/{id}");
    let (pool, principal) = (crate::ssr::pool()?, crate::auth::context::require_principal()?);
    let result =
        super::db::reset_second_factor(&pool, &principal, crate::auth::context::client_ip(), id).await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("{page}?totrin-nulstillet=1"));
    }
    crate::ssr::flash::finish("konto-totrin", &page, Vec::new(), None, result).await
}

/// `/support/konti`: find accounts, and create one.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| AccountFilter::from_query(|key| query.read().get(key)));
    let create = ServerAction::<CreateAccount>::new();
    let data = Resource::new_blocking(
        move || filter.get(),
        |filter| async move {
            (
                accounts(filter).await,
                kommune_choices().await,
                crate::auth::take_form_flash("konto-opret".into())
                    .await
                    .ok()
                    .flatten(),
            )
        },
    );
    view! {
        <Title text="Administratorkonti" />
        <p><a href="/support">"Tilbage til support"</a></p>
        <h1>"Administratorkonti"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (list, kommuner, flash) = data.await;
                let kommuner = match kommuner {
                    Ok(kommuner) => kommuner,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let filter = filter.get_untracked();
                view! {
                    <AccountFilterForm filter=filter.clone() kommuner=kommuner.clone() />
                    {match list {
                        Ok(list) => view! { <AccountTable list filter /> }.into_any(),
                        Err(AppError::Validation(errors)) => view! {
                            <crate::pages::QueryErrors errors heading="Listen kan ikke vises" />
                        }.into_any(),
                        Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }}
                    <NewAccount action=create kommuner flash />
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AccountFilterForm(filter: AccountFilter, kommuner: Vec<KommuneChoice>) -> impl IntoView {
    let rolle = filter.rolle.clone();
    view! {
        <form method="get" action="/support/konti" class="form filter-form" role="search" aria-label="Find konti">
            <div class="filter-row">
                <div class="form-group">
                    <label class="form-label" for="filter-soeg">"E-mail eller navn"</label>
                    <input type="search" id="filter-soeg" name="soeg" class="input" value=filter.soeg.clone() />
                </div>
                <div class="form-group">
                    <label class="form-label" for="filter-kommune">"Kommune"</label>
                    <select id="filter-kommune" name="kommune" class="form-select">
                        <option value="">"Alle kommuner"</option>
                        {kommune_options(&kommuner).into_iter().map(|(value, label)| {
                            let selected = value == filter.kommune;
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="form-label" for="filter-rolle">"Rolle"</label>
                    <select id="filter-rolle" name="rolle" class="form-select">
                        <option value="">"Alle"</option>
                        {ROLES.iter().map(|(value, label)| view! { <option value=*value selected=rolle == *value>{*label}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="button-row">
                <button type="submit" class="button">"Vis"</button>
                <a href="/support/konti">"Nulstil"</a>
            </div>
        </form>
    }
}

#[component]
fn AccountTable(list: AccountList, filter: AccountFilter) -> impl IntoView {
    let prev = (list.page > 1).then(|| format!("/support/konti{}", filter.query(list.page - 1)));
    let next = (list.page < list.pages).then(|| format!("/support/konti{}", filter.query(list.page + 1)));
    let rows = list
        .accounts
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td><a href=format!("/support/konti/{}", a.id)>{a.email}</a></td>
                    <td>{a.navn}</td>
                    <td>{a.role_label}</td>
                    <td>{a.kommune.unwrap_or_else(|| "–".into())}</td>
                    <td>{account_state(a.disabled, a.has_password, a.must_change_password)}</td>
                    <td>{a.last_login.unwrap_or_else(|| "Aldrig".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p role="status">{format!("{} konti matcher. Side {} af {}.", list.matching, list.page, list.pages)}</p>
        <super::PagedTable
            caption="Administratorkonti"
            headings=&["E-mail", "Navn", "Rolle", "Kommune", "Tilstand", "Senest logget ind"]
            prev=prev
            next=next
        >
            {rows}
        </super::PagedTable>
    }
}

fn account_state(disabled: bool, has_password: bool, must_change: bool) -> &'static str {
    match (disabled, has_password, must_change) {
        (true, _, _) => "Spærret",
        (false, false, _) => "Mangler engangsadgangskode",
        (false, true, true) => "Venter på første log-ind",
        (false, true, false) => "Aktiv",
    }
}

#[component]
fn NewAccount(
    action: ServerAction<CreateAccount>,
    kommuner: Vec<KommuneChoice>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let flash = flash.unwrap_or_default();
    let values = flash.values.clone();
    let value = move |name: &str| values.get(name).cloned().unwrap_or_default();
    let errors = FormErrors::new(flash.errors.clone());
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            errors.replace(errors_from(&error));
        }
    });
    let roles: Vec<(String, String)> = ROLES
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    view! {
        <section aria-labelledby="ny-konto">
            <h2 id="ny-konto">"Opret konto"</h2>
            <p>"Kontoen får ingen adgangskode, før du laver en engangsadgangskode på kontoens side. Den vises kun én gang og skal skiftes ved første log-ind."</p>
            <ErrorSummary errors fields=NewAccountForm::FIELDS.iter().map(|f| f.to_string()).collect() />
            <ActionForm action=action attr:novalidate=true attr:class="form">
                <TextField name="email" label="E-mail" input_type="email" autocomplete="off" value=value("email") errors hint="Personens egen arbejdsmail, fx jens@kommune.dk." />
                <TextField name="navn" label="Navn" value=value("navn") errors hint="Fornavn og efternavn. Højst 100 tegn." />
                <SelectField name="rolle" label="Rolle" options=roles value=value("rolle") placeholder="Vælg rolle" errors />
                <SelectField name="kommunekode" label="Kommune (kun kommuneadministratorer)" options=kommune_options(&kommuner) value=value("kommunekode") placeholder="Ingen kommune" errors />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Opret konto"</button>
            </ActionForm>
        </section>
    }
}

/// `/support/konti/{id}`: one account, its single-use password, moving and disabling it.
#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let move_action = ServerAction::<MoveAccount>::new();
    let disable_action = ServerAction::<SetDisabled>::new();
    let factor_action = ServerAction::<ResetSecondFactor>::new();
    let data = Resource::new_blocking(
        move || {
            (
                move_action.version().get(),
                disable_action.version().get(),
                factor_action.version().get(),
            )
        },
        move |_| async move {
            (
                account(id).await,
                kommune_choices().await,
                crate::auth::take_form_flash("konto-flyt".into())
                    .await
                    .ok()
                    .flatten(),
                crate::auth::take_form_flash("konto-spaer".into())
                    .await
                    .ok()
                    .flatten(),
                crate::auth::take_form_flash("konto-totrin".into())
                    .await
                    .ok()
                    .flatten(),
            )
        },
    );
    let notice = move || {
        let query = query.read();
        [
            (
                "oprettet",
                "Kontoen er oprettet. Lav nu en engangsadgangskode og giv den til personen.",
            ),
            (
                "flyttet",
                "Kontoen er flyttet. Personen er logget ud og skal logge ind igen.",
            ),
            ("spaerret", "Kontoen er spærret, og personen er logget ud."),
            ("genaabnet", "Kontoen er åbnet igen."),
            (
                "totrin-nulstillet",
                "Totrinsbekræftelsen er nulstillet. Personen er logget ud og opsætter en ny ved næste log-ind.",
            ),
        ]
        .into_iter()
        .find(|(key, _)| query.get(key).is_some())
        .map(|(_, text)| text)
    };
    view! {
        <Title text="Administratorkonto" />
        <p><a href="/support/konti">"Tilbage til kontiene"</a></p>
        {move || notice().map(|text| view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })}
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (facts, kommuner, move_flash, disable_flash, factor_flash) = data.await;
                let (facts, kommuner) = match (facts, kommuner) {
                    (Ok(facts), Ok(kommuner)) => (facts, kommuner),
                    (Err(error), _) | (_, Err(error)) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                view! {
                    <h1>{facts.email.clone()}</h1>
                    <dl class="facts">
                        <dt>"Navn"</dt><dd>{facts.navn.clone()}</dd>
                        <dt>"Rolle"</dt><dd>{facts.role_label.clone()}</dd>
                        <dt>"Kommune"</dt><dd>{facts.kommune.clone().map(|k| format!("{k} Kommune")).unwrap_or_else(|| "–".into())}</dd>
                        <dt>"Tilstand"</dt><dd>{account_state(facts.disabled, facts.has_password, facts.must_change_password)}</dd>
                        <dt>"Totrinsbekræftelse"</dt><dd>{if facts.has_second_factor { "Slået til" } else { "Ikke sat op endnu" }}</dd>
                        <dt>"Oprettet"</dt><dd>{facts.created.clone()}</dd>
                        <dt>"Senest logget ind"</dt><dd>{facts.last_login.clone().unwrap_or_else(|| "Aldrig".into())}</dd>
                    </dl>
                    <p><a href=format!("/support/log?konto={}", encode_query_value(&facts.email))>"Se kontoens hændelser i loggen"</a></p>
                    <OneTimePassword facts=facts.clone() />
                    {(facts.role == "kommune" && !facts.disabled).then(|| view! {
                        <MoveForm facts=facts.clone() kommuner action=move_action flash=move_flash />
                    })}
                    <ResetSecondFactorForm facts=facts.clone() action=factor_action flash=factor_flash />
                    <DisableForm facts action=disable_action flash=disable_flash />
                }.into_any()
            })}
        </Suspense>
    }
}

/// A plain form post to the endpoint that makes the password and shows it once.
#[component]
fn OneTimePassword(facts: AccountFacts) -> impl IntoView {
    let first = !facts.has_password;
    view! {
        <section aria-labelledby="adgangskode">
            <h2 id="adgangskode">{if first { "Engangsadgangskode" } else { "Ny adgangskode" }}</h2>
            <p>
                {if first {
                    "Systemet laver en engangsadgangskode, som vises én gang. Giv den til personen ad en sikker vej; personen vælger sin egen adgangskode ved første log-ind."
                } else {
                    "Har personen glemt sin adgangskode, så lav en engangsadgangskode. Den gamle holder op med at virke, personen bliver logget ud alle steder, og koden vises kun én gang."
                }}
            </p>
            {if facts.disabled {
                view! { <p>"Kontoen er spærret. Åbn den igen først."</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("/support/konti/{}/adgangskode", facts.id) class="form">
                        <button type="submit" class="button button-secondary">"Lav engangsadgangskode"</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MoveForm(
    facts: AccountFacts,
    kommuner: Vec<KommuneChoice>,
    action: ServerAction<MoveAccount>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let flash = flash.unwrap_or_default();
    let errors = FormErrors::new(flash.errors.clone());
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            errors.replace(errors_from(&error));
        }
    });
    let chosen = flash.values.get("kommunekode").cloned().unwrap_or_default();
    let conflict = flash.errors.get(crate::components::form::FORM).cloned();
    view! {
        <section aria-labelledby="flyt">
            <h2 id="flyt">"Flyt til en anden kommune"</h2>
            <p>"Personen bliver logget ud og ser derefter kun den nye kommunes dagtilbud."</p>
            {conflict.map(|message| view! { <div class="alert alert-error" role="alert"><p>{message}</p></div> })}
            <ErrorSummary errors fields=vec!["kommunekode".into()] />
            <ActionForm action=action attr:novalidate=true attr:class="form">
                <input type="hidden" name="id" value=facts.id />
                <input type="hidden" name="fra" value=facts.kommunekode.unwrap_or_default() />
                <SelectField name="kommunekode" label="Ny kommune" options=kommune_options(&kommuner) value=chosen placeholder="Vælg kommune" errors />
                <button type="submit" class="button button-secondary" disabled=move || action.pending().get()>"Flyt kontoen"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ResetSecondFactorForm(
    facts: AccountFacts,
    action: ServerAction<ResetSecondFactor>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let flash_error = flash.and_then(|f| f.errors.values().next().cloned());
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(error)) => Some(match error {
            AppError::Validation(errors) => errors.values().next().cloned().unwrap_or_default(),
            other => other.to_string(),
        }),
        _ => flash_error.clone(),
    });
    view! {
        <section aria-labelledby="totrin">
            <h2 id="totrin">"Nulstil totrinsbekræftelse"</h2>
            {move || error.get().map(|message| view! { <div class="alert alert-error" role="alert"><p>{message}</p></div> })}
            {if facts.is_self {
                view! { <p>"Du kan ikke nulstille din egen totrinsbekræftelse. Bed en anden fra support om det."</p> }.into_any()
            } else {
                view! {
                    <p>
                        "Har personen mistet telefonen med godkendelsesappen og sine gendannelseskoder, så nulstil totrinsbekræftelsen. "
                        "Tjek først, at det er personen selv, der beder om det. Personen bliver logget ud alle steder og opsætter en ny ved næste log-ind."
                    </p>
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="id" value=facts.id />
                        <button type="submit" class="button button-secondary" disabled=move || action.pending().get()>
                            "Nulstil totrinsbekræftelse"
                        </button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DisableForm(
    facts: AccountFacts,
    action: ServerAction<SetDisabled>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let flash_error = flash.and_then(|f| f.errors.values().next().cloned());
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(error)) => Some(match error {
            AppError::Validation(errors) => errors.values().next().cloned().unwrap_or_default(),
            other => other.to_string(),
        }),
        _ => flash_error.clone(),
    });
    view! {
        <section aria-labelledby="spaer">
            <h2 id="spaer">{if facts.disabled { "Åbn kontoen igen" } else { "Spær kontoen" }}</h2>
            {move || error.get().map(|message| view! { <div class="alert alert-error" role="alert"><p>{message}</p></div> })}
            {if facts.is_self {
                view! { <p>"Du kan ikke spærre din egen konto."</p> }.into_any()
            } else {
                view! {
                    <p>{if facts.disabled {
                        "Personen kan logge ind igen med sin adgangskode."
                    } else {
                        "Personen bliver logget ud med det samme og kan ikke logge ind, før kontoen åbnes igen."
                    }}</p>
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="id" value=facts.id />
                        <input type="hidden" name="spaer" value=if facts.disabled { "0" } else { "1" } />
                        <button type="submit" class=if facts.disabled { "button button-secondary" } else { "button button-danger" } disabled=move || action.pending().get()>
                            {if facts.disabled { "Åbn kontoen" } else { "Spær kontoen" }}
                        </button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
