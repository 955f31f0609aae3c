//! `/support/konti`: find administrator accounts, and create one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::components::form::{errors_from, ErrorSummary, FormErrors, FormFlash, SelectField, TextField};
use crate::register::{kommune_choices, kommune_options, KommuneChoice};

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
        <crate::support::PagedTable
            caption="Administratorkonti"
            headings=&["E-mail", "Navn", "Rolle", "Kommune", "Tilstand", "Senest logget ind"]
            prev=prev
            next=next
        >
            {rows}
        </crate::support::PagedTable>
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
                <crate::components::form::SubmitButton pending=action.pending() class="button" label="Opret konto" />
            </ActionForm>
        </section>
    }
}
