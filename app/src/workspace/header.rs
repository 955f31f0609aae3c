//! The top of every section page: the back link, the heading, when the
//! section was last saved (and confirmed), the confirm button, and the
//! always-present live region that announces "Gemt.".

use leptos::prelude::*;

use super::Workspace;
use crate::domain::sections::{SectionKind, SectionMeta};

/// Heading, last-updated line, the confirm button, saved notice and the back link.
#[component]
pub fn SectionHeader(
    kind: SectionKind,
    meta: SectionMeta,
    /// `?gemt=1`: the post that led here saved.
    saved: bool,
    /// The page's `?bekraeftet=`.
    confirmed: Option<String>,
    workspace: Workspace,
) -> impl IntoView {
    let receipt = workspace.page("kvittering");
    view! {
        <p><a href=workspace.base()>"Tilbage til oversigten"</a></p>
        <h1>{kind.label()}</h1>
        <p class="section-meta">
            {match (&meta.updated, &meta.updated_by, &meta.confirmed) {
                (Some(when), Some(who), None) => format!("Sidst opdateret {when} af {}.", who.to_lowercase()),
                (Some(when), Some(who), Some(confirmed)) => format!(
                    "Sidst opdateret {when} af {}. Bekræftet rigtig {confirmed}.",
                    who.to_lowercase()
                ),
                _ => "Ikke udfyldt endnu.".to_string(),
            }}
        </p>
        <super::confirm::ConfirmSection kind meta confirmed workspace />
        // Always in the page (and kept by a redraw in place), so that screen
        // readers announce "Gemt." when it appears.
        <div id="gemt" role="status" aria-live="polite">
            {saved.then(|| view! {
                <div class="alert alert-success">
                    <p>
                        "Gemt. Forældrene kan nu se de nye oplysninger på Dagtilbudsportalen. "
                        <a href=receipt>"Se kvitteringen"</a>
                    </p>
                </div>
            })}
        </div>
    }
}
