//! `/dagtilbud/{nummer}/meld-fejl`: a parent tells the institution that
//! something on its page is wrong (see `feedback`).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{
    ErrorSummary, FormErrors, FormFlash, SelectField, SubmitButton, TextArea, TextField,
};
use crate::error::AppError;
use crate::feedback::{topics, ReportForm, HONEYPOT, MESSAGE_MAX};

const FORM: &str = "meld_fejl";

fn page_of(nummer: &str) -> String {
    format!("/dagtilbud/{}/meld-fejl", nummer.trim().to_uppercase())
}

/// Whether `path` is an institution's "Meld en fejl" page, the portal's one
/// page with a form (it loads the bundle that has its form).
pub fn is_report_page(path: &str) -> bool {
    path.strip_prefix("/dagtilbud/")
        .and_then(|rest| rest.strip_suffix("/meld-fejl"))
        .is_some_and(|nummer| !nummer.is_empty() && !nummer.contains('/'))
}

/// The name of the active institution `nummer`, for the report page.
#[server(prefix = "/api/fn", endpoint = "meld_fejl_side")]
pub async fn report_page(nummer: String) -> Result<String, AppError> {
    let pool = crate::ssr::pool()?;
    sqlx::query_scalar!(
        "SELECT navn FROM institutions WHERE nummer = $1 AND status = 'aktiv'",
        nummer.trim().to_uppercase()
    )
    .fetch_optional(&pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// Report an error on institution `nummer`'s page. Anyone may; each address
/// a few times an hour. A filled-in honeypot is thanked and dropped.
#[server(prefix = "/api/fn", endpoint = "meld_fejl")]
pub async fn report_error(nummer: String, #[server(flatten)] form: ReportForm) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let key = crate::auth::context::client_ip()
        .map_or_else(|| "ukendt".to_string(), crate::ssr::client_ip::address_key);
    if state.report_limiter.check_key(&key).is_err() {
        tracing::warn!(address = key, "error report budget spent");
        return Err(AppError::TooManyRequests(
            "Der er sendt mange fejlmeldinger fra din adresse den seneste time. Prøv igen senere.".into(),
        ));
    }
    let page = page_of(&nummer);
    let mut values = crate::ssr::flash::form_values(&form);
    values.retain(|(name, _)| name != HONEYPOT);
    let result = async {
        let report = form.parse().map_err(AppError::Validation)?;
        if form.is_robot() {
            tracing::info!(address = key, "error report with the honeypot filled in dropped");
            return Ok(());
        }
        crate::feedback::db::create(&state.pool, &nummer.trim().to_uppercase(), &report).await
    }
    .await;
    crate::ssr::flash::finish(FORM, &page, values, Some(&format!("{page}?sendt=1")), result).await
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let nummer = move || {
        params
            .read()
            .get("nummer")
            .unwrap_or_default()
            .trim()
            .to_uppercase()
    };
    let data = Resource::new_blocking(nummer, |nummer| async move {
        let flash = crate::auth::take_form_flash(FORM.to_string())
            .await
            .ok()
            .flatten();
        (report_page(nummer).await, flash)
    });
    let sent_query = move || query.read().get("sendt").is_some();
    view! {
        <Title text="Meld en fejl" />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (navn, flash) = data.await;
                let navn = match navn {
                    Ok(navn) => navn,
                    Err(AppError::NotFound) => return view! { <crate::pages::NotFound /> }.into_any(),
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let nummer = nummer();
                let back = format!("/dagtilbud/{nummer}");
                view! {
                    <p><a href=back>{format!("Tilbage til {navn}")}</a></p>
                    <h1>"Meld en fejl"</h1>
                    <p>{format!(
                        "Står der noget forkert om {navn}? Skriv det her, så får dagtilbuddet besked. Har dagtilbuddet ikke set på det inden for 14 dage, får kommunen det at vide."
                    )}</p>
                    <ReportErrorForm nummer flash sent=sent_query() />
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The report form: a plain form post. The forms' bundle sends it in
/// place, with the character count, and the answer shows without a page
/// load (`components::enhance`).
#[component]
fn ReportErrorForm(nummer: String, flash: Option<FormFlash>, sent: bool) -> impl IntoView {
    let send = ServerAction::<ReportError>::new();
    let errors = FormErrors::new(flash.as_ref().map(|f| f.errors.clone()).unwrap_or_default());
    let value = |name: &str| flash.as_ref().map(|f| f.value(name)).unwrap_or_default();
    let (topic, message, email) = (value("afsnit"), value("besked"), value("email"));
    let options = topics()
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect::<Vec<_>>();
    view! {
        <div id="meld-fejl" data-swap="">
        <div id="sendt" role="status" aria-live="polite">
            {sent.then(|| view! {
                <div class="alert alert-success">
                    <p>"Tak. Din besked er sendt til dagtilbuddet."</p>
                </div>
            })}
        </div>
        <ErrorSummary errors fields=vec!["afsnit".into(), "besked".into(), "email".into()] />
        <ActionForm action=send attr:novalidate=true attr:class="form">
            <input type="hidden" name="nummer" value=nummer.clone() />
            <SelectField name="afsnit" label="Hvad er forkert?" options value=topic placeholder="Vælg" errors />
            <TextArea
                name="besked"
                label="Hvad står der, og hvad er rigtigt?"
                hint="Skriv ikke om enkelte børn eller ansatte. Almindelig tekst."
                value=message
                max_chars=MESSAGE_MAX
                rows=6
                errors
            />
            <TextField
                name="email"
                label="Din e-mail (valgfrit)"
                input_type="email"
                autocomplete="email"
                hint="Hvis du vil have svar. Kun dagtilbuddet og kommunen ser den, og den slettes med beskeden."
                value=email
                errors
            />
            // People never see or fill in this field; robots do.
            <div class="honeypot" aria-hidden="true">
                <label for=HONEYPOT>"Lad dette felt stå tomt"</label>
                <input type="text" id=HONEYPOT name=HONEYPOT tabindex="-1" autocomplete="off" />
            </div>
            <SubmitButton pending=send.pending() label="Send til dagtilbuddet" />
        </ActionForm>
        </div>
    }
}
