//! The administrator's institution pages: a new institution, and one
//! institution with its master data, code reset, sections and closing.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{institution_detail, CloseInstitution, CreateInstitution, InstitutionFacts, UpdateInstitution};
use crate::auth::Role;
use crate::components::form::{
    errors_from, successes, Checkbox, ErrorSummary, FormErrors, SelectField, TextField,
};
use crate::domain::register::NewInstitutionForm;
use crate::domain::{Ejerform, InstitutionType};
use crate::register::maintained_ejerformer;
use crate::workspace::overview::{section_statuses, SectionTable};
use crate::workspace::{admin_role, in_support_area, Workspace};

/// The choices of a `<select>` as (value, label).
fn choices<T: Copy>(
    items: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|&t| (value(t).to_string(), label(t).to_string()))
        .collect()
}

#[component]
pub fn NewInstitutionPage() -> impl IntoView {
    let support = in_support_area();
    let role = admin_role(support);
    let action = ServerAction::<CreateInstitution>::new();
    let flash = Resource::new_blocking(
        || (),
        move |_| async move {
            let flash = crate::auth::take_form_flash("dagtilbud-opret".into()).await;
            let kommuner = if support {
                crate::register::kommune_choices().await
            } else {
                Ok(Vec::new())
            };
            (flash, kommuner)
        },
    );
    let mut fields: Vec<String> = NewInstitutionForm::FIELDS.iter().map(|f| f.to_string()).collect();
    if support {
        fields.insert(0, "kommunekode".into());
    }
    view! {
        <Title text="Opret dagtilbud" />
        <p><a href=role.start_page()>"Tilbage til oversigten"</a></p>
        <h1>{if support { "Opret privat dagtilbud" } else { "Opret dagtilbud" }}</h1>
        <p class="lead">
            {if support {
                "Opret et privat dagtilbud i en kommune. Systemet giver det et institutionsnummer, som aldrig bliver genbrugt. \
                 Kommunale, selvejende og udliciterede dagtilbud oprettes af kommunen."
            } else {
                "Opret et kommunalt, selvejende eller udliciteret dagtilbud. Systemet giver det et institutionsnummer, \
                 som aldrig bliver genbrugt. Private dagtilbud oprettes af STIL's support."
            }}
        </p>
        <Suspense fallback=|| ()>
            {move || {
                let fields = fields.clone();
                Suspend::new(async move {
                let (flash, kommuner) = flash.await;
                let kommuner = match kommuner {
                    Ok(kommuner) => kommuner,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let flash = flash.ok().flatten().unwrap_or_default();
                let values = flash.values.clone();
                let value = move |name: &str| values.get(name).cloned().unwrap_or_default();
                let errors = FormErrors::new(flash.errors.clone());
                Effect::new(move |_| {
                    if let Some(Err(error)) = action.value().get() {
                        errors.replace(errors_from(&error));
                    }
                });
                let kommune_options = crate::register::kommune_options(&kommuner);
                let mut values = flash.values.clone();
                if support {
                    values.insert("ejerform".into(), Ejerform::Privat.as_str().into());
                }
                view! {
                    <ErrorSummary errors fields />
                    <ActionForm action=action attr:novalidate=true attr:class="form">
                        {support.then(|| view! {
                            <SelectField name="kommunekode" label="Kommune" options=kommune_options value=value("kommunekode") placeholder="Vælg kommune" errors />
                        })}
                        <MasterDataFields values errors role />
                        <crate::components::form::SubmitButton pending=action.pending() class="button" label="Opret dagtilbud" />
                    </ActionForm>
                }.into_any()
            })}}
        </Suspense>
    }
}

/// The master data fields of the new-institution and edit forms, filled with `values`.
#[component]
fn MasterDataFields(
    values: std::collections::BTreeMap<String, String>,
    errors: FormErrors,
    role: Role,
) -> impl IntoView {
    let value = move |name: &str| values.get(name).cloned().unwrap_or_default();
    let types = choices(
        InstitutionType::ALL,
        InstitutionType::as_str,
        InstitutionType::label,
    );
    let ejerformer = choices(maintained_ejerformer(role), Ejerform::as_str, Ejerform::label);
    view! {
        <TextField name="navn" label="Navn" value=value("navn") errors hint="Fx Børnehuset Solsikken. Højst 132 tegn." />
        <SelectField name="institution_type" label="Type" options=types value=value("institution_type") placeholder="Vælg type" errors />
        <SelectField name="ejerform" label="Ejerform" options=ejerformer value=value("ejerform") placeholder="Vælg ejerform" errors />
        <TextField name="vejnavn" label="Vejnavn" value=value("vejnavn") errors autocomplete="address-line1" />
        <TextField name="husnummer" label="Husnummer" class="input-char-8" value=value("husnummer") errors hint="Fx 12 eller 12B." />
        <TextField name="postnummer" label="Postnummer" class="input-char-4" value=value("postnummer") errors autocomplete="postal-code" hint="Fire cifre. Byen findes ud fra postnummeret." />
        <TextField name="p_nummer" label="P-nummer (valgfrit)" class="input-char-12" value=value("p_nummer") errors hint="Ti cifre." />
        <TextField name="cvr" label="CVR-nummer (valgfrit)" class="input-char-8" value=value("cvr") errors hint="Otte cifre." />
        <fieldset class="fieldset">
            <legend>"Placering (valgfri)"</legend>
            <p class="form-hint">"Bruges til at vise forældre afstanden til dagtilbuddet. Grader med decimaler (WGS 84), fx fra et kort. Tøm begge felter for at fjerne placeringen."</p>
            <TextField name="breddegrad" label="Breddegrad" class="input-char-12" inputmode="decimal" value=value("breddegrad") errors hint="Mellem 54,5 og 57,8, fx 56,0392." />
            <TextField name="laengdegrad" label="Længdegrad" class="input-char-12" inputmode="decimal" value=value("laengdegrad") errors hint="Mellem 8,0 og 15,3, fx 9,9285." />
        </fieldset>
        <fieldset class="fieldset">
            <legend>"Kun for en kommunal dagpleje"</legend>
            <p class="form-hint">"Et dagplejeområde indberettes af kommunen og har intet log-in. Adressen ovenfor er dagplejekontorets. Skriv aldrig dagplejeres navne eller hjemmeadresser."</p>
            <TextField name="omraade_postnumre" label="Postnumre området dækker" value=value("omraade_postnumre") errors hint="Adskilt af komma, fx 8660, 8680." />
            <TextField name="dagplejere" label="Antal dagplejere (cirka)" class="input-char-4" inputmode="numeric" value=value("dagplejere") errors hint="Et helt tal, fx 25." />
        </fieldset>
    }
}

/// One institution for a kommune administrator (`/kommune/dagtilbud/{nr}`)
/// or support (`/support/dagtilbud/{nr}`).
#[component]
pub fn AdminInstitutionPage() -> impl IntoView {
    let home = admin_role(in_support_area()).start_page();
    let params = use_params_map();
    let query = use_query_map();
    let nummer = params
        .read_untracked()
        .get("nummer")
        .unwrap_or_default()
        .to_uppercase();
    let close = ServerAction::<CloseInstitution>::new();
    let edit = ServerAction::<UpdateInstitution>::new();
    let (closed, edited) = (successes(close), successes(edit));
    let support = in_support_area();
    let data = Resource::new_blocking(
        move || (closed.get(), edited.get()),
        move |(closes, edits)| {
            let nummer = nummer.clone();
            async move {
                let detail = institution_detail(nummer.clone()).await;
                let statuses = section_statuses(Some(nummer.clone())).await;
                // Support's timeline comes with the page's data (one resource).
                let timeline = if support {
                    Some(super::timeline::login_timeline(nummer).await)
                } else {
                    None
                };
                // A plain post that failed left its form's input and errors (only on the first load).
                let (flash, edit_flash) = if closes == 0 && edits == 0 {
                    (
                        crate::auth::take_form_flash("dagtilbud-luk".into())
                            .await
                            .ok()
                            .flatten(),
                        crate::auth::take_form_flash("dagtilbud-ret".into())
                            .await
                            .ok()
                            .flatten(),
                    )
                } else {
                    (None, None)
                };
                (detail, statuses, flash, edit_flash, timeline)
            }
        },
    );
    let notice = move || {
        let query = query.read();
        if query.get("oprettet").is_some() {
            Some("Dagtilbuddet er oprettet.")
        } else if query.get("rettet").is_some() {
            Some("Stamdata er gemt. Dagtilbudsportalen viser dem med det samme.")
        } else if query.get("lukket").is_some() {
            Some("Dagtilbuddet er lukket. Det er fjernet fra Dagtilbudsportalen og kan ikke længere logge ind.")
        } else {
            None
        }
    };
    view! {
        <Title text="Dagtilbud" />
        <p><a href=home>"Tilbage til oversigten"</a></p>
        {move || notice().map(|text| view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })}
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (detail, statuses, flash, edit_flash, timeline) = data.await;
                let detail = match detail {
                    Ok(detail) => detail,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let role = admin_role(detail.support);
                let workspace = Workspace::for_admin(role, &detail.nummer);
                // Only the private institution itself and support edit its sections.
                let edits_sections = detail.support || detail.form.ejerform != Ejerform::Privat.as_str();
                view! {
                    <h1>{detail.navn.clone()}</h1>
                    <MasterFacts detail=detail.clone() />
                    {if detail.active {
                        view! {
                            <section aria-labelledby="afsnit">
                                <h2 id="afsnit">"Indberetning"</h2>
                                <p>{if edits_sections {
                                    format!(
                                        "Du kan rette afsnittene på dagtilbuddets vegne. Historikken viser, at {} har gjort det.",
                                        if detail.support { "support" } else { "kommunen" }
                                    )
                                } else {
                                    "Dagtilbuddet er privat: kun dagtilbuddet selv og support kan rette afsnittene. \
                                     Kommunen kan sende dagtilbuddet et log-in-brev med en ny engangskode.".to_string()
                                }}</p>
                                <SectionTable workspace=workspace.clone() statuses=statuses.clone() editable=edits_sections />
                                <p class="button-row">
                                    <a class="button button-secondary" href=workspace.page("forhaandsvisning")>"Se siden som forældre ser den"</a>
                                    <a href=workspace.page("historik")>"Se alle ændringer (historik)"</a>
                                    <a href=workspace.page("kvittering")>"Kvittering for det offentliggjorte"</a>
                                </p>
                            </section>
                            <ResetCode detail=detail.clone() />
                            {detail.maintained_by_caller.then(|| view! {
                                <EditMasterDataForm detail=detail.clone() action=edit flash=edit_flash.clone() role />
                                <CloseInstitutionForm detail=detail.clone() action=close flash=flash.clone() />
                            })}
                        }.into_any()
                    } else {
                        view! {
                            <section aria-labelledby="afsnit">
                                <h2 id="afsnit">"Indberetning"</h2>
                                <p>"Dagtilbuddet er lukket. Dets oplysninger og historik er gemt."</p>
                                <SectionTable workspace=workspace.clone() statuses=statuses.clone() editable=false />
                                <p><a href=workspace.page("historik")>"Se alle ændringer (historik)"</a></p>
                            </section>
                        }.into_any()
                    }}
                    {timeline.map(|timeline| view! { <super::timeline::SupportTimeline nummer=detail.nummer.clone() timeline /> })}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn MasterFacts(detail: InstitutionFacts) -> impl IntoView {
    // No optional rows in this list (they stopped hydration): a dagpleje's
    // area is said beside its type.
    let dagpleje = detail.form.institution_type == "dagpleje";
    view! {
        <dl class="facts">
            <dt>"Institutionsnummer"</dt><dd>{detail.nummer}</dd>
            <dt>"Status"</dt>
            <dd>{match &detail.closed_on {
                Some(date) => format!("Lukket den {date}"),
                None => "Aktiv".to_string(),
            }}</dd>
            <dt>"Type"</dt>
            <dd>{if dagpleje {
                format!(
                    "{} · dækker {} · cirka {} dagplejere",
                    detail.type_label, detail.form.omraade_postnumre, detail.form.dagplejere
                )
            } else {
                detail.type_label.clone()
            }}</dd>
            <dt>"Ejerform"</dt><dd>{detail.ejerform_label}</dd>
            <dt>"Adresse"</dt><dd>{detail.adresse}</dd>
            <dt>"Kommune"</dt><dd>{format!("{} Kommune", detail.kommune)}</dd>
            <dt>"P-nummer"</dt><dd>{detail.p_nummer.unwrap_or_else(|| "Ikke oplyst".into())}</dd>
            <dt>"CVR-nummer"</dt><dd>{detail.cvr.unwrap_or_else(|| "Ikke oplyst".into())}</dd>
            <dt>"Placering"</dt>
            <dd>{if detail.form.breddegrad.is_empty() {
                "Ikke oplyst".to_string()
            } else {
                format!("{} N, {} Ø", detail.form.breddegrad, detail.form.laengdegrad)
            }}</dd>
            <dt>"Oprettet"</dt><dd>{detail.created}</dd>
            <dt>"Har logget ind"</dt>
            <dd>{match (dagpleje, detail.logged_in) {
                (true, _) => "Intet log-in: kommunen indberetter",
                (false, true) => "Ja",
                (false, false) => "Nej",
            }}</dd>
        </dl>
    }
}

/// A new single-use code for this one institution, as a letter (a plain form
/// post to the letters endpoint, so it works without JavaScript).
#[component]
fn ResetCode(detail: InstitutionFacts) -> impl IntoView {
    let action = if detail.support {
        format!("/support/dagtilbud/{}/kode", detail.nummer)
    } else {
        "/kommune/breve".to_string()
    };
    // The same elements for every dagtilbud (varying structure stopped
    // hydration); a dagpleje has no log-in, so its form is hidden.
    let dagpleje = detail.form.institution_type == "dagpleje";
    view! {
        <section aria-labelledby="kode">
            <h2 id="kode">"Ny kode"</h2>
            <p>{if dagpleje {
                "En kommunal dagpleje har intet log-in: kommunen indberetter for den, og support kan hjælpe."
            } else {
                "Har dagtilbuddet mistet sit brev eller sin adgangskode, så lav en ny engangskode. \
                 Den gamle kode og adgangskoden holder op med at virke, og alle, der er logget ind som dagtilbuddet, bliver logget ud."
            }}</p>
            <form method="post" action=action class="form" hidden=dagpleje>
                <input type="hidden" name="nummer" value=detail.nummer.clone() />
                <input type="hidden" name="format" value="html" />
                <button type="submit" class="button button-secondary">"Lav ny kode og vis brevet"</button>
            </form>
        </section>
    }
}

#[component]
fn EditMasterDataForm(
    detail: InstitutionFacts,
    action: ServerAction<UpdateInstitution>,
    flash: Option<crate::components::form::FormFlash>,
    role: Role,
) -> impl IntoView {
    let flash = flash.unwrap_or_default();
    let errors = FormErrors::new(flash.errors.clone());
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            errors.replace(errors_from(&error));
        }
    });
    let values = if flash.values.is_empty() {
        detail.form.values()
    } else {
        flash.values.clone()
    };
    view! {
        <section aria-labelledby="stamdata">
            <h2 id="stamdata">"Ret stamdata"</h2>
            <p>"Navn, type, ejerform, adresse, P-nummer og CVR-nummer. Ændringen vises på Dagtilbudsportalen med det samme og står i loggen."</p>
            <details open=!flash.errors.is_empty()>
                <summary>"Vis formularen"</summary>
                <ErrorSummary errors fields=NewInstitutionForm::FIELDS.iter().map(|f| f.to_string()).collect() />
                <ActionForm action=action attr:novalidate=true attr:class="form">
                    <input type="hidden" name="nummer" value=detail.nummer.clone() />
                    <input type="hidden" name="version" value=detail.version />
                    <MasterDataFields values errors role />
                    <crate::components::form::SubmitButton pending=action.pending() class="button" label="Gem stamdata" />
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn CloseInstitutionForm(
    detail: InstitutionFacts,
    action: ServerAction<CloseInstitution>,
    flash: Option<crate::components::form::FormFlash>,
) -> impl IntoView {
    let flash = flash.unwrap_or_default();
    let errors = FormErrors::new(flash.errors.clone());
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            errors.replace(errors_from(&error));
        }
    });
    let date = flash.values.get("lukket_den").cloned().unwrap_or_default();
    view! {
        <section aria-labelledby="luk">
            <h2 id="luk">"Luk dagtilbuddet"</h2>
            <p>
                "Et lukket dagtilbud forsvinder fra Dagtilbudsportalen og kan ikke længere logge ind. "
                "Oplysningerne og historikken bliver gemt, og nummeret bliver aldrig brugt igen."
            </p>
            <ErrorSummary errors fields=vec!["lukket_den".into(), "bekraeftelse".into()] />
            <ActionForm action=action attr:novalidate=true attr:class="form">
                <input type="hidden" name="nummer" value=detail.nummer.clone() />
                <input type="hidden" name="version" value=detail.version />
                <TextField name="lukket_den" label="Lukket den" input_type="date" class="input-medium" value=date errors hint="Den dag, dagtilbuddet lukkede. Ikke en dato i fremtiden." />
                <crate::components::form::Fieldset name="bekraeftelse" legend="Bekræft" errors>
                    <Checkbox name="bekraeft" label=format!("Ja, luk {} ({})", detail.navn, detail.nummer) checked=false />
                </crate::components::form::Fieldset>
                <crate::components::form::SubmitButton pending=action.pending() class="button button-danger" label="Luk dagtilbuddet" />
            </ActionForm>
        </section>
    }
}
