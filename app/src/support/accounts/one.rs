//! `/support/konti/{id}`: one administrator account, its single-use
//! password, moving, disabling and resetting its second factor.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::*;
use crate::components::form::{errors_from, successes, ErrorSummary, FormErrors, FormFlash, SelectField};
use crate::components::paging::encode_query_value;
use crate::register::{kommune_choices, kommune_options, KommuneChoice};

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
    // Reload after a successful change only: a failed one keeps its form and errors.
    let (moved, disabled, factor_reset) = (
        successes(move_action),
        successes(disable_action),
        successes(factor_action),
    );
    let data = Resource::new_blocking(
        move || (moved.get(), disabled.get(), factor_reset.get()),
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
                <crate::components::form::SubmitButton pending=action.pending() class="button button-secondary" label="Flyt kontoen" />
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
                        <crate::components::form::SubmitButton pending=action.pending() class="button button-secondary" label="Nulstil totrinsbekræftelse" />
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
                        <crate::components::form::SubmitButton
                            pending=action.pending()
                            class=if facts.disabled { "button button-secondary" } else { "button button-danger" }
                            label=if facts.disabled { "Åbn kontoen" } else { "Spær kontoen" }
                        />
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
