//! The log-in pages, the forced password choice, changing one's password and
//! the log-out button.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{take_form_flash, ChangePassword, ChoosePassword, LoginAdmin, LoginInstitution, Logout};
use crate::components::form::{errors_from, ErrorSummary, FormErrors, TextField};
use crate::domain::password::{check_new_password, check_repeat};
use crate::domain::InstitutionNumber;

/// Keep the form's errors in step with the server function's answers (with JavaScript).
fn follow_action<A>(action: ServerAction<A>, errors: FormErrors)
where
    A: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    A::Output: Send + Sync,
{
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            errors.replace(errors_from(&error));
        }
    });
}

#[component]
pub fn InstitutionLoginPage() -> impl IntoView {
    let action = ServerAction::<LoginInstitution>::new();
    let flash = Resource::new_blocking(|| (), |_| take_form_flash("log-ind".into()));
    let query = use_query_map();
    let next = move || query.read().get("naeste").unwrap_or_default();

    view! {
        <Title text="Log ind som institution" />
        <div class="prose">
            <h1>"Log ind som institution"</h1>
            <p>
                "Log ind med institutionens nummer og kodeord. Første gang bruger du koden fra brevet fra kommunen, "
                "og så vælger du en ny adgangskode."
            </p>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let flash = flash.await.ok().flatten().unwrap_or_default();
                let errors = FormErrors::new(flash.errors.clone());
                follow_action(action, errors);
                let number_check = Callback::new(|value: String| InstitutionNumber::parse(&value).map(|_| ()));
                let code_check = Callback::new(|value: String| {
                    if value.is_empty() { Err("Skriv kodeordet.".to_string()) } else { Ok(()) }
                });
                view! {
                    <ErrorSummary errors fields=vec!["institutionsnummer".into(), "kodeord".into()] />
                    <ActionForm action=action attr:novalidate=true attr:class="form">
                        <input type="hidden" name="naeste" value=next />
                        <TextField
                            name="institutionsnummer"
                            label="Institutionsnummer"
                            hint="6 tegn, fx G10234. Det står i brevet fra kommunen."
                            autocomplete="username"
                            class="input-char-8"
                            value=flash.value("institutionsnummer")
                            errors
                            required=true
                            check=number_check
                        />
                        <TextField
                            name="kodeord"
                            label="Kodeord"
                            input_type="password"
                            autocomplete="current-password"
                            errors
                            required=true
                            check=code_check
                        />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Log ind"</button>
                    </ActionForm>
                }
            })}
        </Suspense>
        <p class="muted">
            "Har I mistet koden, så kontakt jeres kommune, som kan sende en ny. "
            <a href="/admin/log-ind">"Log ind som kommune eller support"</a>
        </p>
    }
}

#[component]
pub fn AdminLoginPage() -> impl IntoView {
    let action = ServerAction::<LoginAdmin>::new();
    let flash = Resource::new_blocking(|| (), |_| take_form_flash("admin-log-ind".into()));
    let query = use_query_map();
    let next = move || query.read().get("naeste").unwrap_or_default();

    view! {
        <Title text="Log ind for kommuner og support" />
        <div class="prose">
            <h1>"Log ind for kommuner og support"</h1>
            <p>"For medarbejdere i kommunernes dagtilbudsforvaltning og i STIL's support."</p>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let flash = flash.await.ok().flatten().unwrap_or_default();
                let errors = FormErrors::new(flash.errors.clone());
                follow_action(action, errors);
                let email_check = Callback::new(|value: String| {
                    let value = value.trim().to_string();
                    if value.is_empty() {
                        Err("Skriv din e-mailadresse.".to_string())
                    } else if crate::domain::Email::parse(&value).is_err() {
                        // The browser's check; the server's (validator's WHATWG rule) decides.
                        Err("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.".to_string())
                    } else {
                        Ok(())
                    }
                });
                let password_check = Callback::new(|value: String| {
                    if value.is_empty() { Err("Skriv din adgangskode.".to_string()) } else { Ok(()) }
                });
                view! {
                    <ErrorSummary errors fields=vec!["email".into(), "adgangskode".into()] />
                    <ActionForm action=action attr:novalidate=true attr:class="form">
                        <input type="hidden" name="naeste" value=next />
                        <TextField
                            name="email"
                            label="E-mail"
                            input_type="email"
                            autocomplete="username"
                            value=flash.value("email")
                            errors
                            required=true
                            check=email_check
                        />
                        <TextField
                            name="adgangskode"
                            label="Adgangskode"
                            input_type="password"
                            autocomplete="current-password"
                            errors
                            required=true
                            check=password_check
                        />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Log ind"</button>
                    </ActionForm>
                }
            })}
        </Suspense>
        <p class="muted"><a href="/log-ind">"Log ind som institution"</a></p>
    }
}

#[component]
pub fn ChoosePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChoosePassword>::new();
    // One resource for both, so SSR waits on a single future.
    let data = Resource::new_blocking(
        || (),
        |_| async move {
            let flash = take_form_flash("vaelg-adgangskode".into()).await;
            (flash, super::current_viewer().await)
        },
    );

    view! {
        <Title text="Vælg ny adgangskode" />
        <div class="prose">
            <h1>"Vælg ny adgangskode"</h1>
            <p>
                "Koden, du loggede ind med, kan kun bruges én gang. Vælg nu den adgangskode, I vil bruge fremover. "
                "Den skal være mindst 12 tegn. Nogle ord i en sætning er nemme at huske og svære at gætte."
            </p>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (flash, viewer) = data.await;
                let flash = flash.ok().flatten().unwrap_or_default();
                let user_name = viewer.ok().flatten().map(|v| v.user_name).unwrap_or_default();
                let errors = FormErrors::new(flash.errors.clone());
                follow_action(action, errors);
                let new_password = RwSignal::new(String::new());
                let new_check = Callback::new(move |value: String| {
                    new_password.set(value.clone());
                    check_new_password(&value, &user_name)
                });
                let repeat_check = Callback::new(move |value: String| check_repeat(&new_password.get_untracked(), &value));
                view! {
                    <ErrorSummary errors fields=vec!["ny_adgangskode".into(), "gentag_adgangskode".into()] />
                    <ActionForm action=action attr:novalidate=true attr:class="form">
                        <TextField
                            name="ny_adgangskode"
                            label="Ny adgangskode"
                            hint="Mindst 12 tegn. Må ikke være institutionsnummeret, e-mailadressen eller en almindelig adgangskode."
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                            check=new_check
                        />
                        <TextField
                            name="gentag_adgangskode"
                            label="Gentag ny adgangskode"
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                            check=repeat_check
                        />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Gem adgangskode"</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// Change one's own password with the current one, for every role.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let changed = move || query.read().get("skiftet").is_some();
    let data = Resource::new_blocking(
        || (),
        |_| async move {
            let flash = take_form_flash("skift-adgangskode".into()).await;
            (flash, super::current_viewer().await)
        },
    );

    view! {
        <Title text="Skift adgangskode" />
        <div class="prose">
            <h1>"Skift adgangskode"</h1>
        </div>
        <Suspense fallback=|| ()>
            {move || {
                let changed = changed();
                Suspend::new(async move {
                let (flash, viewer) = data.await;
                let Some(viewer) = viewer.ok().flatten() else {
                    return view! {
                        <p>"Du skal være logget ind for at skifte adgangskode. "
                            <a href="/log-ind">"Log ind som institution"</a>" eller "
                            <a href="/admin/log-ind">"log ind for kommuner og support"</a>"."</p>
                    }.into_any();
                };
                if changed {
                    return view! {
                        <div class="alert alert-success" role="status">
                            <p>"Adgangskoden er skiftet. Alle andre steder, hvor kontoen var logget ind, er nu logget ud."</p>
                        </div>
                        <p><a href=viewer.role.start_page()>"Tilbage til forsiden"</a></p>
                    }.into_any();
                }
                let flash = flash.ok().flatten().unwrap_or_default();
                let user_name = viewer.user_name.clone();
                let errors = FormErrors::new(flash.errors.clone());
                follow_action(action, errors);
                let new_password = RwSignal::new(String::new());
                let new_check = Callback::new(move |value: String| {
                    new_password.set(value.clone());
                    check_new_password(&value, &user_name)
                });
                let repeat_check = Callback::new(move |value: String| check_repeat(&new_password.get_untracked(), &value));
                view! {
                    <p class="prose">
                        "Skriv den adgangskode, du bruger nu, og vælg en ny. Når du gemmer, bliver kontoen logget ud "
                        "alle andre steder, fx på en fælles computer."
                    </p>
                    <ErrorSummary errors fields=vec![
                        "nuvaerende_adgangskode".into(),
                        "ny_adgangskode".into(),
                        "gentag_adgangskode".into(),
                    ] />
                    <ActionForm action=action attr:novalidate=true attr:class="form">
                        <TextField
                            name="nuvaerende_adgangskode"
                            label="Nuværende adgangskode"
                            input_type="password"
                            autocomplete="current-password"
                            errors
                            required=true
                        />
                        <TextField
                            name="ny_adgangskode"
                            label="Ny adgangskode"
                            hint="Mindst 12 tegn. Må ikke være institutionsnummeret, e-mailadressen eller en almindelig adgangskode."
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                            check=new_check
                        />
                        <TextField
                            name="gentag_adgangskode"
                            label="Gentag ny adgangskode"
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                            check=repeat_check
                        />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Skift adgangskode"</button>
                    </ActionForm>
                }.into_any()
                })
            }}
        </Suspense>
    }
}

/// The "Log ud" button: a plain form, so it works without JavaScript too.
#[component]
pub fn LogoutForm() -> impl IntoView {
    let action = ServerAction::<Logout>::new();
    view! {
        <ActionForm action=action>
            <button type="submit" class="button button-secondary">"Log ud"</button>
        </ActionForm>
    }
}
