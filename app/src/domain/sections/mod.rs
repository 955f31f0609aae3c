//! The five sections an institution reports: profil, madordning, lukkedage,
//! åbningstider and kontaktoplysninger.
//!
//! Each section has a `…Form` holding exactly what the HTML form posts (all
//! strings, one `Option<String>` per checkbox) and a typed value that can
//! only be valid. `Form::parse(today)` turns the first into the second or
//! returns every field error at once, keyed by the form field's name, in
//! Danish. `to_form` goes back, and `describe` gives label/value pairs for the
//! change history and the parents' page.

use std::collections::BTreeSet;

use crate::error::FieldErrors;

/// Define a closed set of choices with a stable ASCII key (used in field
/// names, the database and the API) and a Danish label.
/// With `field_prefix`, `field()` gives the checkbox's form field name.
macro_rules! choice_enum {
    (
        $(#[$meta:meta])*
        $name:ident field_prefix $prefix:literal {
            $($variant:ident => $key:literal, $label:literal;)+
        }
    ) => {
        choice_enum! { $(#[$meta])* $name { $($variant => $key, $label;)+ } }

        impl $name {
            /// The name of this choice's checkbox in the form.
            pub fn field(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $key)),+ }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident {
            $($variant:ident => $key:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            /// Every choice in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable ASCII key used in field names, the database and the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The Danish label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The choice with this key (exact match), if any.
            pub fn parse(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

mod fields;

pub mod aabningstider;
pub mod gaestedagpleje;
mod kind;
pub mod kontakt;
pub mod lukkedage;
pub mod madordning;
pub mod profil;

pub use aabningstider::{format_weekly_hours, DayHours, OpeningHours, OpeningHoursForm};
pub use fields::{
    format_kroner, format_thousands, parse_kroner, parse_whole_number, Email, HttpsUrl, NumberProblem,
    PhoneNumber,
};
pub use gaestedagpleje::{Gaestedagpleje, GaestedagplejeForm, Gaesteordning};
pub use kind::{diff, FieldChange, Loaded, Section, SectionKind, SectionMeta};
pub use kontakt::{Kontakt, KontaktForm};
pub use lukkedage::{
    check_no_overlap, closing_days, ClosingPeriod, ClosingPeriodForm, Lukkedage, SUGGESTED_REASONS,
};
pub use madordning::{Frokostordning, Hensyn, Maaltid, Madordning, MadordningForm, Oekologi, Tilberedning};
pub use profil::{Aldersgruppe, Profil, ProfilForm, ProfilTag};

/// Shown for an optional value that was left empty.
pub const NOT_GIVEN: &str = "Ikke oplyst";
/// Shown for an empty list of choices.
pub const NONE_CHOSEN: &str = "Ingen";

/// Whether a checkbox was ticked: browsers post `on` (or the `value`), and
/// leave the key out when it is not.
pub(crate) fn is_checked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// The form value of a checkbox.
pub(crate) fn checkbox(checked: bool) -> Option<String> {
    checked.then(|| "on".to_string())
}

/// The choices whose checkbox is ticked.
pub(crate) fn checked_set<E: Copy + Ord>(all: &[E], is_ticked: impl Fn(E) -> bool) -> BTreeSet<E> {
    all.iter().copied().filter(|choice| is_ticked(*choice)).collect()
}

/// "Ja" or "Nej".
pub(crate) fn yes_no(value: bool) -> String {
    if value { "Ja" } else { "Nej" }.to_string()
}

/// An optional text for display.
pub(crate) fn or_not_given(value: Option<&str>) -> String {
    value.unwrap_or(NOT_GIVEN).to_string()
}

/// Labels joined with ", " as running Danish text: the first keeps its
/// capital letter, the rest start in lowercase ("Natur og udeliv, sprog").
pub(crate) fn join_labels<'a>(labels: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, label) in labels.into_iter().enumerate() {
        if i == 0 {
            out.push_str(label);
        } else {
            out.push_str(", ");
            let mut chars = label.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_lowercase());
                out.push_str(chars.as_str());
            }
        }
    }
    if out.is_empty() {
        NONE_CHOSEN.to_string()
    } else {
        out
    }
}

/// One line of text as typed: control characters (including line breaks)
/// become spaces and the ends are trimmed.
pub(crate) fn clean_line(input: &str) -> String {
    let replaced: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    replaced.trim().to_string()
}

/// Free text as typed in a textarea: line breaks kept (CRLF and CR become
/// LF), tabs kept, other control characters removed, the ends trimmed.
/// Plain text: nothing is escaped here; it is escaped where it is shown.
pub(crate) fn clean_text(input: &str) -> String {
    let unified = input.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    kept.trim().to_string()
}

/// One-line texts (names, addresses, reasons) end up in page titles, letters,
/// CSV files and other systems; none of them has a use for `<` or `>`, and
/// refusing them keeps markup out of every one of those places at the root.
/// `what` names the field at the start of a sentence ("Navnet").
pub fn check_no_markup(text: &str, what: &str) -> Result<(), String> {
    if text.contains(['<', '>']) {
        Err(format!(
            "{what} må ikke indeholde tegnene < og >. Fjern dem, eller skriv fx en bindestreg i stedet."
        ))
    } else {
        Ok(())
    }
}

fn check_length(text: &str, max: usize, what: &str) -> Result<(), String> {
    let count = text.chars().count();
    if count > max {
        Err(format!(
            "{what} må højst være {} tegn. Du har skrevet {}. Forkort teksten.",
            format_thousands(max as u64),
            format_thousands(count as u64)
        ))
    } else {
        Ok(())
    }
}

/// A required one-line text. `what` names the field at the start of a
/// sentence ("Vejnavnet"); `missing` tells what to write.
pub(crate) fn required_line(input: &str, max: usize, what: &str, missing: &str) -> Result<String, String> {
    let text = clean_line(input);
    if text.is_empty() {
        return Err(missing.to_string());
    }
    check_length(&text, max, what)?;
    check_no_markup(&text, what)?;
    Ok(text)
}

/// An optional one-line text: empty becomes `None`.
pub(crate) fn optional_line(input: &str, max: usize, what: &str) -> Result<Option<String>, String> {
    let text = clean_line(input);
    if text.is_empty() {
        return Ok(None);
    }
    check_length(&text, max, what)?;
    check_no_markup(&text, what)?;
    Ok(Some(text))
}

/// A required free text with line breaks.
pub(crate) fn required_text(input: &str, max: usize, what: &str, missing: &str) -> Result<String, String> {
    let text = clean_text(input);
    if text.is_empty() {
        return Err(missing.to_string());
    }
    check_length(&text, max, what)?;
    Ok(text)
}

/// An optional free text with line breaks: empty becomes `None`.
pub(crate) fn optional_text(input: &str, max: usize, what: &str) -> Result<Option<String>, String> {
    let text = clean_text(input);
    if text.is_empty() {
        return Ok(None);
    }
    check_length(&text, max, what)?;
    Ok(Some(text))
}

/// Keep the value, or record the message under the field's name.
pub(crate) fn collect<T>(errors: &mut FieldErrors, field: &str, result: Result<T, String>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            errors.insert(field.to_string(), message);
            None
        }
    }
}

#[cfg(test)]
mod tests;
