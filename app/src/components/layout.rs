use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::{current_viewer, LogoutForm};
use crate::SERVICE_NAME;

/// Who is logged in, with "Log ud"; or the log-in links.
#[component]
fn HeaderNav() -> impl IntoView {
    // Nobody logged in (every parent): the log-in links at once, without an
    // async boundary to wait on.
    if !maybe_signed_in() {
        return view! {
            <nav class="header-nav" aria-label="Konto">
                <LogInLinks />
            </nav>
        }
        .into_any();
    }
    let location = use_location();
    // Refetched on every navigation, so the header follows log-in and log-out.
    let viewer = Resource::new(move || location.pathname.get(), |_| current_viewer());
    view! {
        <nav class="header-nav" aria-label="Konto">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await.ok().flatten() {
                        Some(viewer) => view! {
                            <a href=viewer.role.start_page()>{viewer.role.label()}</a>
                            <span class="header-user">{viewer.display_name}</span>
                            {(!viewer.must_choose_password).then(|| view! {
                                <a href="/skift-adgangskode">"Skift adgangskode"</a>
                            })}
                            <LogoutForm />
                        }
                        .into_any(),
                        None => view! { <LogInLinks /> }.into_any(),
                    }
                })}
            </Transition>
        </nav>
    }
    .into_any()
}

#[component]
fn LogInLinks() -> impl IntoView {
    view! {
        <a href="/log-ind">"Log ind (institution)"</a>
        <a href="/admin/log-ind">"Log ind (kommune og support)"</a>
    }
}

/// Whether the request may come from someone logged in: the server knows
/// (the session layer has read the cookie before the page renders).
fn maybe_signed_in() -> bool {
    crate::auth::context::current().is_some()
}

/// Demo mode: everything the service shows is invented (`Settings::demo`).
fn demo_mode() -> bool {
    use_context::<crate::ssr::AppState>().is_some_and(|state| state.settings.demo)
}

const DEMO_NOTICE: &str = "demo-notice";

/// Header, main landmark and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#indhold">"Gå til indholdet"</a>
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{SERVICE_NAME}</span>
                    <span class="brand-sub">"Frivillig indberetning og information om dagtilbud"</span>
                </a>
                <HeaderNav />
            </div>
        </header>
        {demo_mode().then(|| view! {
            <div id=DEMO_NOTICE class="demo-notice" role="note">
                <p class="container">
                    "Demonstration: dagtilbuddene, alt hvad de har indberettet, og alle tal er opdigtede."
                </p>
            </div>
        })}
        <main id="indhold" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container footer-inner">
                <p>
                    "Ansvarlig myndighed: Styrelsen for It og Læring (STIL) på vegne af Børne- og Undervisningsministeriet."
                </p>
                <ul class="footer-links">
                    <li><a href="/tilgaengelighed">"Tilgængelighedserklæring"</a></li>
                    <li><a href="/cookies">"Cookies"</a></li>
                </ul>
                <p class="footer-cookie">
                    "Vi bruger kun én nødvendig cookie, som holder dig logget ind. Vi bruger ingen cookies til statistik eller markedsføring."
                </p>
            </div>
        </footer>
    }
}
