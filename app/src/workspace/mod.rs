//! Whose sections a page works on. An institution works on its own under
//! `/indberetning`; a kommune administrator works on one of the kommune's
//! institutions on its behalf under `/kommune/dagtilbud/{nummer}`, and support
//! on any institution under `/support/dagtilbud/{nummer}`, with the same pages
//! and rules. The server decides access from the session; the
//! number here only says which institution the caller asks for.

pub mod checks;
pub mod closing;
pub mod common_closing;
pub mod confirm;
pub mod db;
pub mod forms;
pub mod gaestedagpleje;
pub mod header;
pub mod norms;
pub mod overview;
pub mod preview;
pub mod receipt;
pub mod routes;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::auth::Role;
use crate::domain::sections::SectionKind;

/// True on a page of support's area (`/support…`); kommune and support share
/// the administrator pages.
pub fn in_support_area() -> bool {
    let path = use_location().pathname.get_untracked();
    path == "/support" || path.starts_with("/support/")
}

/// The administrator role of support's area or the kommune's.
pub fn admin_role(support: bool) -> Role {
    if support {
        Role::Support
    } else {
        Role::Kommune
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Workspace {
    /// The institution worked on for it, or `None` for the caller's own.
    pub nummer: Option<String>,
    /// Worked on from support's area rather than the kommune's.
    pub support: bool,
}

impl Workspace {
    /// The workspace of the current route (its `:nummer` parameter).
    pub fn current() -> Self {
        let params = use_params_map();
        Workspace {
            nummer: params
                .read_untracked()
                .get("nummer")
                .map(|n| n.trim().to_uppercase()),
            support: in_support_area(),
        }
    }

    /// An administrator's workspace for `nummer`, in the area of `role`.
    pub fn for_admin(role: Role, nummer: &str) -> Self {
        Workspace {
            nummer: Some(nummer.to_string()),
            support: role == Role::Support,
        }
    }

    /// The administrator's own start page (`/kommune` or `/support`).
    pub fn home(&self) -> &'static str {
        admin_role(self.support).start_page()
    }

    /// The start page of the institution worked on.
    pub fn base(&self) -> String {
        base(self.nummer.as_deref(), self.support)
    }

    /// A page under the institution's area: `historik`, `forhaandsvisning`, or a section.
    pub fn page(&self, slug: &str) -> String {
        format!("{}/{slug}", self.base())
    }

    pub fn section(&self, kind: SectionKind) -> String {
        self.page(kind.as_str())
    }

    /// Whether the caller works on its own institution.
    pub fn is_own(&self) -> bool {
        self.nummer.is_none()
    }
}

fn base(nummer: Option<&str>, support: bool) -> String {
    match (nummer, support) {
        (Some(nummer), true) => format!("/support/dagtilbud/{nummer}"),
        (Some(nummer), false) => format!("/kommune/dagtilbud/{nummer}"),
        (None, _) => "/indberetning".to_string(),
    }
}

/// Where a saved section's page is for a caller of `role`: the institution's
/// own page, or the administrator's page for that institution. Used for the
/// redirect after a plain form post.
pub fn section_page(role: Role, nummer: Option<&str>, kind: SectionKind) -> String {
    let nummer = match role {
        Role::Institution => None,
        _ => nummer.map(str::trim).filter(|n| !n.is_empty()),
    };
    format!(
        "{}/{}",
        base(nummer.map(str::to_uppercase).as_deref(), role == Role::Support),
        kind.as_str()
    )
}

/// `meta` with the plausibility warnings of the saved `value` (none when
/// there is no value). Warnings are advice: when the figures to compare with
/// cannot be read, the cause is logged and the section shows none.
pub(crate) async fn with_warnings<T: crate::domain::sections::Section>(
    state: &crate::ssr::AppState,
    institution_id: i64,
    value: Option<&T>,
    mut meta: crate::domain::sections::SectionMeta,
) -> crate::domain::sections::SectionMeta {
    let Some(value) = value else { return meta };
    let year = crate::domain::calendar::danish_time(state.now()).year();
    match norms::for_institution(&state.pool, &state.norms, institution_id, year).await {
        Ok(norms) => meta.warnings = value.warnings(&norms, year),
        Err(error) => tracing::warn!(%error, institution_id, "plausibility norms could not be read"),
    }
    meta
}

/// The hidden field that tells a section's server function which institution a
/// form is for (nothing for the institution's own forms).
#[component]
pub fn NummerField(workspace: Workspace) -> impl IntoView {
    workspace
        .nummer
        .map(|nummer| view! { <input type="hidden" name="nummer" value=nummer /> })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_role() {
        assert_eq!(
            section_page(Role::Institution, Some("A00001"), SectionKind::Profil),
            "/indberetning/profil"
        );
        assert_eq!(
            section_page(Role::Kommune, Some(" a00001 "), SectionKind::Kontakt),
            "/kommune/dagtilbud/A00001/kontakt"
        );
        assert_eq!(
            section_page(Role::Support, Some("p00002"), SectionKind::Profil),
            "/support/dagtilbud/P00002/profil"
        );
        let ws = Workspace::for_admin(Role::Kommune, "G10234");
        assert_eq!(ws.page("historik"), "/kommune/dagtilbud/G10234/historik");
        assert_eq!(ws.home(), "/kommune");
        let ws = Workspace::for_admin(Role::Support, "G10234");
        assert_eq!(ws.page("historik"), "/support/dagtilbud/G10234/historik");
        assert_eq!(ws.home(), "/support");
        assert_eq!(
            Workspace::default().section(SectionKind::Lukkedage),
            "/indberetning/lukkedage"
        );
    }
}
