//! Dagtilbudsportalen's frivillig indberetning: the Leptos application.
//!
//! One module per area of the product. `domain` holds the types and rules
//! shared by browser and server; `ssr` holds what only the server may run.
//!
//! Two builds of this crate:
//! - the server's (`ssr`): every area, its pages, server functions and
//!   queries;
//! - the browser's (the bundles, `hydrate` without `ssr`). No page is
//!   rendered in the browser (no islands), so it holds only what the
//!   bundles run, each from its area's own file: the instant checks, the
//!   forms' enhancer and the portal's live parts, with the domain rules
//!   those use. Neither Leptos nor any view is compiled for it.

#![recursion_limit = "256"]

pub mod domain;
pub mod error;

cfg_if::cfg_if! {
    if #[cfg(feature = "ssr")] {
        pub mod admin;
        pub mod api;
        pub mod audit;
        pub mod auth;
        pub mod components;
        pub mod documents;
        pub mod feedback;
        pub mod institution;
        pub mod kommune;
        pub mod pages;
        pub mod portal;
        pub mod published;
        pub mod register;
        pub mod reminders;
        mod shell;
        pub mod ssr;
        pub mod support;
        pub mod workspace;

        pub use shell::{api_document, openapi_json, page_bundle, page_title, shell, App, Bundle, SERVICE_NAME};
    } else {
        // The browser's build: the same files as the server's, fewer of them.
        pub mod auth {
            pub mod checks;
        }
        pub mod components {
            #[cfg(feature = "hydrate")]
            pub mod enhance;
            pub mod paging;
        }
        pub mod portal {
            pub mod distance;
            #[cfg(feature = "hydrate")]
            pub mod live;
            pub mod places;
            pub mod search;
            pub mod tray;
        }
        pub mod workspace {
            pub mod checks;
        }
    }
}

/// The instant checks of every form the forms' bundle works on (their
/// `data-check`, `components::enhance`): the section forms and the log-in's.
pub fn instant_check(
    check: &str,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Option<error::FieldErrors> {
    workspace::checks::instant_check(check, values).or_else(|| auth::checks::instant_check(check, values))
}

#[cfg(test)]
mod instant_check_tests {
    use super::instant_check;

    fn values(pairs: &[(&str, &str)]) -> serde_json::Map<String, serde_json::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect()
    }

    #[test]
    fn a_section_form_is_checked_by_the_servers_rules() {
        let errors = instant_check(
            "kontakt",
            &values(&[("email", "ikke-en-mail"), ("postnummer", "86"), ("version", "3")]),
        )
        .expect("kontakt has a check");
        assert!(errors["email"].contains("@"), "{errors:?}");
        assert!(errors.contains_key("postnummer"), "{errors:?}");
        let profil = instant_check("profil", &values(&[("pladser", "mange")])).unwrap();
        assert!(profil["pladser"].contains("tal"), "{profil:?}");
        // Unticked boxes are absent; a right value gives no message for its field.
        let profil = instant_check("profil", &values(&[("pladser", "45"), ("alder_3_5", "on")])).unwrap();
        assert!(!profil.contains_key("pladser"), "{profil:?}");
        let hours = instant_check(
            "aabningstider",
            &values(&[
                ("fredag_aaben", "on"),
                ("fredag_fra", "06:30"),
                ("fredag_til", "05:00"),
            ]),
        )
        .unwrap();
        assert!(
            hours.values().any(|m| m.contains("efter åbningstiden")),
            "{hours:?}"
        );
    }

    #[test]
    fn the_log_ins_forms_are_checked_field_by_field() {
        let login = instant_check(
            "log-ind",
            &values(&[("institutionsnummer", "G1"), ("kodeord", "")]),
        )
        .unwrap();
        assert!(login.contains_key("institutionsnummer") && login["kodeord"] == "Skriv kodeordet.");
        let fine = instant_check(
            "log-ind",
            &values(&[("institutionsnummer", "G10234"), ("kodeord", "x")]),
        )
        .unwrap();
        assert!(fine.is_empty(), "{fine:?}");
        let admin =
            instant_check("admin-log-ind", &values(&[("email", "a@"), ("adgangskode", "x")])).unwrap();
        assert!(admin["email"].contains("gyldig"), "{admin:?}");
        // The new password may not hold the user name the form names.
        let password = instant_check(
            "ny-adgangskode",
            &values(&[
                ("ny_adgangskode", "g10234-er-min-kode"),
                ("gentag_adgangskode", "noget andet"),
                ("brugernavn", "G10234"),
            ]),
        )
        .unwrap();
        assert!(
            password["ny_adgangskode"].contains("institutionsnummer"),
            "{password:?}"
        );
        assert!(password.contains_key("gentag_adgangskode"), "{password:?}");
        let code = instant_check("totp-kode", &values(&[("kode", "12 34")])).unwrap();
        assert!(code["kode"].contains("6 cifre"), "{code:?}");
        assert!(instant_check("totp-kode", &values(&[("kode", "123 456")]))
            .unwrap()
            .is_empty());
        assert_eq!(instant_check("findes-ikke", &values(&[])), None);
    }
}
