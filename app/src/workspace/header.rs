//! The top of every section page: the back link, the heading, when the
//! section was last saved (and confirmed), the confirm button, and the
//! always-present live region that announces "Gemt.".

use leptos::prelude::*;

use super::Workspace;
use crate::domain::sections::{SectionKind, SectionMeta};

/// After a plain "Bekræft" post (`?bekraeftet=1`, or `=fejl`): the page
/// says how it went.
fn confirmed_notice(confirmed: Option<String>) -> impl IntoView {
    match confirmed.as_deref() {
        Some("1") => Some(view! {
            <div class="alert alert-success" role="status">
                <p>"Tak. Oplysningerne er bekræftet rigtige."</p>
            </div>
        }.into_any()),
        Some(_) => Some(view! {
            <div class="alert alert-error" role="alert">
                <p>"Bekræftelsen blev ikke gemt: afsnittet er ændret siden, eller det er ikke udfyldt endnu. Se oplysningerne igennem, og prøv igen."</p>
            </div>
        }.into_any()),
        None => None,
    }
}

/// Heading, last-updated line, the confirm button, saved notice and the back link.
#[component]
pub fn SectionHeader(
    kind: SectionKind,
    #[prop(into)] meta: Signal<SectionMeta>,
    saved: Signal<bool>,
    /// The page's `?bekraeftet=` (read by the server: the header may be part of an island).
    confirmed: Option<String>,
    workspace: Workspace,
) -> impl IntoView {
    let receipt = workspace.page("kvittering");
    view! {
        <p><a href=workspace.base()>"Tilbage til oversigten"</a></p>
        <h1>{kind.label()}</h1>
        <p class="section-meta">
            {move || meta.with(|meta| match (&meta.updated, &meta.updated_by, &meta.confirmed) {
                (Some(when), Some(who), None) => format!("Sidst opdateret {when} af {}.", who.to_lowercase()),
                (Some(when), Some(who), Some(confirmed)) => format!(
                    "Sidst opdateret {when} af {}. Bekræftet rigtig {confirmed}.",
                    who.to_lowercase()
                ),
                _ => "Ikke udfyldt endnu.".to_string(),
            })}
        </p>
        {confirmed_notice(confirmed)}
        <super::confirm::ConfirmSection kind meta workspace=workspace.clone() />
        // Always in the page, so that screen readers announce "Gemt." when it appears.
        <div role="status" aria-live="polite">
            <Show when=move || saved.get()>
                <div class="alert alert-success">
                    <p>
                        "Gemt. Forældrene kan nu se de nye oplysninger på Dagtilbudsportalen. "
                        <a href=receipt.clone()>"Se kvitteringen"</a>
                    </p>
                </div>
            </Show>
        </div>
    }
}
