//! Whose sections a page works on. An institution works on its own under
//! `/indberetning`; a kommune administrator works on one of the kommune's
//! institutions on its behalf under `/kommune/dagtilbud/{nummer}`, with the
//! same pages and rules. The server decides access from the session; the
//! number here only says which institution the caller asks for.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::sections::SectionKind;
use crate::auth::Role;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workspace {
    /// The institution worked on for it, or `None` for the caller's own.
    pub nummer: Option<String>,
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
        }
    }

    /// The start page of the institution worked on.
    pub fn base(&self) -> String {
        base(self.nummer.as_deref())
    }

    /// A page under the institution's area: `historik`, `forhaandsvisning`, or a section.
    pub fn page(&self, slug: &str) -> String {
        format!("{}/{slug}", self.base())
    }

    pub fn section(&self, kind: SectionKind) -> String {
        self.page(kind.slug())
    }

    /// Whether the caller works on its own institution.
    pub fn is_own(&self) -> bool {
        self.nummer.is_none()
    }
}

fn base(nummer: Option<&str>) -> String {
    match nummer {
        Some(nummer) => format!("/kommune/dagtilbud/{nummer}"),
        None => "/indberetning".to_string(),
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
        base(nummer.map(str::to_uppercase).as_deref()),
        kind.slug()
    )
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
        let ws = Workspace {
            nummer: Some("G10234".into()),
        };
        assert_eq!(ws.page("historik"), "/kommune/dagtilbud/G10234/historik");
        assert_eq!(
            Workspace::default().section(SectionKind::Lukkedage),
            "/indberetning/lukkedage"
        );
    }
}
