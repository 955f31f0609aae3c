//! Pages that belong to no single area: accessibility statement, cookies, 404.

use leptos::prelude::*;
use leptos_meta::Title;

/// The accessibility statement required by webtilgængelighedsloven.
#[component]
pub fn Accessibility() -> impl IntoView {
    view! {
        <Title text="Tilgængelighedserklæring" />
        <article class="prose">
            <h1>"Tilgængelighedserklæring"</h1>
            <p>
                "Styrelsen for It og Læring ønsker, at alle kan bruge Dagtilbudsportalen og den frivillige indberetning. "
                "Løsningen er udviklet med henblik på at overholde standarden WCAG 2.1 på niveau AA, som webtilgængelighedsloven kræver."
            </p>
            <h2>"Sådan har vi gjort løsningen tilgængelig"</h2>
            <ul>
                <li>"Alle sider kan bruges med tastaturet alene, og fokus er altid synligt."</li>
                <li>"Alle formularfelter har en synlig ledetekst. Fejl vises øverst på siden og lige over det felt, de gælder."</li>
                <li>"Siderne virker uden JavaScript. JavaScript giver kun hurtigere tjek af felterne, mens du skriver."</li>
                <li>"Tekst og baggrund har en kontrast på mindst 4,5:1, og siderne kan forstørres til 200 % og vises på skærme ned til 320 pixel i bredden."</li>
                <li>"Hver side bruger overskrifter og landemærker, så skærmlæsere kan navigere i den."</li>
            </ul>
            <h2>"Sådan tester vi"</h2>
            <p>
                "Alle sidetyper scannes automatisk med axe-core for reglerne i WCAG 2.1 A og AA, hver gang koden ændres, "
                "og formularerne gennemgås med tastatur og skærmlæser."
            </p>
            <h2>"Kendte mangler"</h2>
            <p>"Vi kender ikke til indhold, der ikke lever op til kravene. Finder du noget, vil vi gerne høre fra dig."</p>
            <h2>"Kontakt og klage"</h2>
            <p>
                "Oplever du problemer med tilgængeligheden, så skriv til STIL's support. "
                "Er du ikke tilfreds med svaret, kan du klage til Digitaliseringsstyrelsen, som fører tilsyn med webtilgængelighedsloven."
            </p>
        </article>
    }
}

/// What the one cookie is for.
#[component]
pub fn Cookies() -> impl IntoView {
    view! {
        <Title text="Cookies" />
        <article class="prose">
            <h1>"Cookies"</h1>
            <p>
                "Dagtilbudsportalen bruger kun én cookie. Den er nødvendig for, at du kan logge ind og blive logget ind, "
                "mens du indberetter. Den indeholder et tilfældigt id og ingen oplysninger om dig."
            </p>
            <table class="table">
                <caption>"Cookies på Dagtilbudsportalen"</caption>
                <thead>
                    <tr><th scope="col">"Navn"</th><th scope="col">"Formål"</th><th scope="col">"Udløb"</th></tr>
                </thead>
                <tbody>
                    <tr>
                        <td>"dagtilbud_session"</td>
                        <td>"Holder dig logget ind og beskytter formularer mod misbrug."</td>
                        <td>"Når du logger ud, efter 30 minutter uden aktivitet eller senest efter 12 timer."</td>
                    </tr>
                </tbody>
            </table>
            <p>"Vi bruger ingen cookies til statistik, analyse eller markedsføring, og vi deler intet med andre."</p>
        </article>
    }
}

/// An error in place of a page's content, with the page's HTTP status set
/// to match (503 "prøv igen om lidt" while the database is away, not 200).
#[component]
pub fn ErrorAlert(error: crate::error::AppError) -> impl IntoView {
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
                response.set_status(status);
            }
        }
    }
    view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }
}

/// Why a search (a GET form) cannot be run: DKFDS' error summary, each
/// message linking to its field, with the page's status set to 422.
#[component]
pub fn QueryErrors(errors: crate::error::FieldErrors, #[prop(into)] heading: String) -> impl IntoView {
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    view! {
        <div class="error-summary" role="alert" aria-labelledby="soegefejl" tabindex="-1">
            <h2 id="soegefejl">{heading}</h2>
            <ul>
                {errors.into_iter().map(|(field, message)| view! { <li><a href=format!("#{field}")>{message}</a></li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The page for every address that does not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Siden findes ikke" />
        <article class="prose">
            <h1>"Siden findes ikke"</h1>
            <p>"Vi kan ikke finde den side, du leder efter. Måske er adressen skrevet forkert, eller siden er flyttet."</p>
            <p><a href="/">"Gå til forsiden"</a></p>
        </article>
    }
}
