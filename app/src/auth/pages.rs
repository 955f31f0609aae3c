//! The log-in pages, the forced password choice, changing one's password and
//! the log-out button.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    take_form_flash, ChangePassword, ChoosePassword, LoginAdmin, LoginInstitution, Logout, SecondFactorCode,
    SecondFactorRecovery,
};
use crate::components::form::{ErrorSummary, FormErrors, TextField};

/// The signed-in steps of a log-in whose forms have instant checks: the
/// first password, changing it, and the administrators' second factor.
pub fn is_signed_in_form_page(path: &str) -> bool {
    matches!(
        path,
        "/vaelg-adgangskode" | "/skift-adgangskode" | "/admin/totrin" | "/admin/totrin/opsaet"
    )
}

/// The log-in pages of every role, and the steps after a password.
#[component(transparent)]
pub fn AuthRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::components::Route;
    use leptos_router::{path, SsrMode};
    view! {
        <Route path=path!("log-ind") view=InstitutionLoginPage ssr=SsrMode::Async />
        <Route path=path!("admin/log-ind") view=AdminLoginPage ssr=SsrMode::Async />
        <Route path=path!("vaelg-adgangskode") view=ChoosePasswordPage ssr=SsrMode::Async />
        <Route path=path!("skift-adgangskode") view=ChangePasswordPage ssr=SsrMode::Async />
        <Route path=path!("admin/totrin") view=SecondFactorPage ssr=SsrMode::Async />
        <Route path=path!("admin/totrin/opsaet") view=SecondFactorSetupPage ssr=SsrMode::Async />
    }
    .into_inner()
}

#[component]
pub fn InstitutionLoginPage() -> impl IntoView {
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
                view! { <InstitutionLoginForm flash next=next() /> }
            })}
        </Suspense>
        <p class="muted">
            "Har I mistet koden, så kontakt jeres kommune, som kan sende en ny. "
            <a href="/admin/log-ind">"Log ind som kommune eller support"</a>
        </p>
    }
}

/// The institution's log-in form: a plain post, which the forms' bundle
/// sends in place with instant checks (`instant_check`, `components::enhance`).
#[component]
fn InstitutionLoginForm(flash: crate::components::form::FormFlash, next: String) -> impl IntoView {
    let action = ServerAction::<LoginInstitution>::new();
    let errors = FormErrors::new(flash.errors.clone());
    view! {
        <div id="log-ind-formular" data-swap="">
        <ErrorSummary errors fields=vec!["institutionsnummer".into(), "kodeord".into()] />
        <ActionForm action=action attr:novalidate=true attr:class="form" attr:data-check="log-ind">
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
            />
            <TextField
                name="kodeord"
                label="Kodeord"
                input_type="password"
                autocomplete="current-password"
                errors
                required=true
            />
            <crate::components::form::SubmitButton pending=action.pending() class="button" label="Log ind" />
        </ActionForm>
        </div>
    }
}

#[component]
pub fn AdminLoginPage() -> impl IntoView {
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
                view! { <AdminLoginForm flash next=next() /> }
            })}
        </Suspense>
        <p class="muted"><a href="/log-ind">"Log ind som institution"</a></p>
    }
}

/// The administrators' log-in form, like the institution's.
#[component]
fn AdminLoginForm(flash: crate::components::form::FormFlash, next: String) -> impl IntoView {
    let action = ServerAction::<LoginAdmin>::new();
    let errors = FormErrors::new(flash.errors.clone());
    view! {
        <div id="log-ind-formular" data-swap="">
        <ErrorSummary errors fields=vec!["email".into(), "adgangskode".into()] />
        <ActionForm action=action attr:novalidate=true attr:class="form" attr:data-check="admin-log-ind">
            <input type="hidden" name="naeste" value=next />
            <TextField
                name="email"
                label="E-mail"
                input_type="email"
                autocomplete="username"
                value=flash.value("email")
                errors
                required=true
            />
            <TextField
                name="adgangskode"
                label="Adgangskode"
                input_type="password"
                autocomplete="current-password"
                errors
                required=true
            />
            <crate::components::form::SubmitButton pending=action.pending() class="button" label="Log ind" />
        </ActionForm>
        </div>
    }
}

#[component]
pub fn ChoosePasswordPage() -> impl IntoView {
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
                view! { <ChoosePasswordForm flash user_name /> }
            })}
        </Suspense>
    }
}

/// The first password's form, with instant checks like the log-in's.
#[component]
fn ChoosePasswordForm(flash: crate::components::form::FormFlash, user_name: String) -> impl IntoView {
    let action = ServerAction::<ChoosePassword>::new();
    let errors = FormErrors::new(flash.errors.clone());
    view! {
        <div id="adgangskode-formular" data-swap="">
            <ErrorSummary errors fields=vec!["ny_adgangskode".into(), "gentag_adgangskode".into()] />
            <ActionForm action=action attr:novalidate=true attr:class="form" attr:data-check="ny-adgangskode" attr:data-field-brugernavn=user_name>
                <NewPasswordFields errors />
                <crate::components::form::SubmitButton pending=action.pending() class="button" label="Gem adgangskode" />
            </ActionForm>
        </div>
    }
}

/// The new password and its repeat. Their form names its instant check
/// (`ny-adgangskode`, `instant_check`) and the account's user name
/// (`data-field-brugernavn`), which the new password may not be.
#[component]
fn NewPasswordFields(errors: FormErrors) -> impl IntoView {
    view! {
                        <TextField
                            name="ny_adgangskode"
                            label="Ny adgangskode"
                            hint="Mindst 12 tegn. Må ikke være institutionsnummeret, e-mailadressen eller en almindelig adgangskode."
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                        />
                        <TextField
                            name="gentag_adgangskode"
                            label="Gentag ny adgangskode"
                            input_type="password"
                            autocomplete="new-password"
                            errors
                            required=true
                        />
    }
}

/// Change one's own password with the current one, for every role.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
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
                view! {
                    <p class="prose">
                        "Skriv den adgangskode, du bruger nu, og vælg en ny. Når du gemmer, bliver kontoen logget ud "
                        "alle andre steder, fx på en fælles computer."
                    </p>
                    <ChangePasswordForm flash user_name />
                }.into_any()
                })
            }}
        </Suspense>
    }
}

/// The form that changes one's password, with instant checks.
#[component]
fn ChangePasswordForm(flash: crate::components::form::FormFlash, user_name: String) -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let errors = FormErrors::new(flash.errors.clone());
    view! {
        <div id="adgangskode-formular" data-swap="">
        <ErrorSummary errors fields=vec![
            "nuvaerende_adgangskode".into(),
            "ny_adgangskode".into(),
            "gentag_adgangskode".into(),
        ] />
        <ActionForm action=action attr:novalidate=true attr:class="form" attr:data-check="ny-adgangskode" attr:data-field-brugernavn=user_name>
            <TextField
                name="nuvaerende_adgangskode"
                label="Nuværende adgangskode"
                input_type="password"
                autocomplete="current-password"
                errors
                required=true
            />
            <NewPasswordFields errors />
            <crate::components::form::SubmitButton pending=action.pending() class="button" label="Skift adgangskode" />
        </ActionForm>
        </div>
    }
}

/// The code from the authenticator app (its form's instant check is `totp-kode`).
#[component]
fn AppCodeField(errors: FormErrors) -> impl IntoView {
    view! {
        <TextField
            name="kode"
            label="Kode fra godkendelsesappen"
            hint="6 cifre. Koden skifter hvert 30. sekund."
            autocomplete="one-time-code"
            inputmode="numeric"
            class="input-char-8"
            errors
            required=true
        />
    }
}

/// `/admin/totrin`: the code after the password, or a recovery code.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let flashes = Resource::new_blocking(
        || (),
        |_| async move {
            (
                take_form_flash("totrin".into()).await,
                take_form_flash("totrin-gendannelse".into()).await,
            )
        },
    );
    let query = use_query_map();
    let next = move || query.read().get("naeste").unwrap_or_default();

    view! {
        <Title text="Totrinsbekræftelse" />
        <div class="prose">
            <h1>"Totrinsbekræftelse"</h1>
            <p>"Åbn godkendelsesappen på din telefon og skriv den kode på 6 cifre, som den viser for Dagtilbudsportalen."</p>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (code_flash, recovery_flash) = flashes.await;
                let code_flash = code_flash.ok().flatten().unwrap_or_default();
                let recovery_flash = recovery_flash.ok().flatten().unwrap_or_default();
                view! { <SecondFactorForms code_flash recovery_flash next=next() /> }
            })}
        </Suspense>
        <p class="muted">"Har du mistet både telefonen og gendannelseskoderne, så kontakt STIL's support, som kan nulstille din totrinsbekræftelse."</p>
    }
}

/// The code form and the recovery code form, with instant checks.
#[component]
fn SecondFactorForms(
    code_flash: crate::components::form::FormFlash,
    recovery_flash: crate::components::form::FormFlash,
    next: String,
) -> impl IntoView {
    let code_action = ServerAction::<SecondFactorCode>::new();
    let recovery_action = ServerAction::<SecondFactorRecovery>::new();
    let code_errors = FormErrors::new(code_flash.errors.clone());
    let recovery_errors = FormErrors::new(recovery_flash.errors.clone());
    let recovery_next = next.clone();
    view! {
        <div id="totrin-formularer" data-swap="">
        <ErrorSummary errors=code_errors fields=vec!["kode".into()] />
        <ActionForm action=code_action attr:novalidate=true attr:class="form" attr:data-check="totp-kode">
            <input type="hidden" name="naeste" value=next />
            <AppCodeField errors=code_errors />
            <crate::components::form::SubmitButton pending=code_action.pending() class="button" label="Fortsæt" />
        </ActionForm>
        <section aria-labelledby="gendannelse">
            <h2 id="gendannelse">"Har du ikke telefonen ved hånden?"</h2>
            <p>"Brug en af de gendannelseskoder, du fik, da du satte totrinsbekræftelse op. Hver kode virker én gang."</p>
            <ErrorSummary errors=recovery_errors fields=vec!["gendannelseskode".into()] />
            <ActionForm action=recovery_action attr:novalidate=true attr:class="form" attr:data-check="gendannelseskode">
                <input type="hidden" name="naeste" value=recovery_next />
                <TextField
                    name="gendannelseskode"
                    label="Gendannelseskode"
                    hint="24 tegn, fx ABCD-EFGH-JKLM-NPQR-STUV-WXYZ."
                    autocomplete="one-time-code"
                    errors=recovery_errors
                    required=true
                />
                <crate::components::form::SubmitButton pending=recovery_action.pending() class="button button-secondary" label="Log ind med gendannelseskode" />
            </ActionForm>
        </section>
        </div>
    }
}

/// `/admin/totrin/opsaet`: the first log-in of an administrator sets up the
/// second factor: a QR code (SVG drawn on the server) and the same secret as
/// text, confirmed with a first code. The form is a plain post: its answer is
/// the page with the recovery codes, shown once.
#[component]
pub fn SecondFactorSetupPage() -> impl IntoView {
    let data = Resource::new_blocking(
        || (),
        |_| async move {
            (
                super::second_factor_setup().await,
                take_form_flash("totrin-opsaet".into()).await,
            )
        },
    );
    view! {
        <Title text="Opsæt totrinsbekræftelse" />
        <div class="prose">
            <h1>"Opsæt totrinsbekræftelse"</h1>
            <p>
                "Som administrator logger du ind med både din adgangskode og en kode fra en godkendelsesapp på din telefon, "
                "fx Microsoft Authenticator eller Google Authenticator. Det beskytter kontoen, selv hvis andre får fat i adgangskoden."
            </p>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (setup, flash) = data.await;
                let setup = match setup {
                    Ok(setup) => setup,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let flash = flash.ok().flatten().unwrap_or_default();
                view! {
                    <ol class="steps">
                        <li>
                            <p>"Åbn godkendelsesappen og vælg at tilføje en konto. Scan QR-koden:"</p>
                            <figure class="qr-code">
                                <div inner_html=setup.qr_svg.clone()></div>
                                <figcaption>{format!("Dagtilbudsportalen: {}", setup.email)}</figcaption>
                            </figure>
                        </li>
                        <li>
                            <p>"Kan du ikke scanne koden, så vælg at skrive nøglen i stedet:"</p>
                            <p><code class="totp-secret" id="totp-noegle">{setup.secret.clone()}</code></p>
                        </li>
                        <li><p>"Skriv den kode på 6 cifre, som appen nu viser, og tryk Bekræft."</p></li>
                    </ol>
                    <SetupCodeForm flash />
                }.into_any()
            })}
        </Suspense>
    }
}

/// The first code's form (a plain post, also with JavaScript), with its
/// instant check.
#[component]
fn SetupCodeForm(flash: crate::components::form::FormFlash) -> impl IntoView {
    let errors = FormErrors::new(flash.errors.clone());
    view! {
        // Not sent in place: the post's own answer is the page with the
        // recovery codes, shown this once.
        <ErrorSummary errors fields=vec!["kode".into()] />
        <form method="post" action=super::CONFIRM_PATH novalidate=true class="form" data-check="totp-kode">
            <AppCodeField errors />
            <button type="submit" class="button">"Bekræft"</button>
        </form>
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
