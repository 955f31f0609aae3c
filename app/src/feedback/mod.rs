//! "Meld en fejl": a parent reports that something on an institution's
//! public page is wrong. Shared by the portal (the form), the institution's
//! start page (its open reports, marked handled with an optional answer) and
//! the kommune's start page (reports left open longer than
//! `Settings::report_overdue_after`). The e-mail a parent may give is
//! personal data: only the institution and its kommune see it.
//!
//! Nobody logs in to report, so: a budget per address (`report_limiter`), a
//! size limit, a honeypot field that people never fill in, and plain text only.

pub mod db;
pub mod list;

use serde::{Deserialize, Serialize};

use crate::domain::sections::SectionKind;
use crate::domain::Email;
use crate::error::FieldErrors;

pub const MESSAGE_MAX: usize = 1000;
pub const ANSWER_MAX: usize = 1000;
/// The honeypot's field name: hidden from people, filled in by robots.
pub const HONEYPOT: &str = "firma";

/// What the report is about: a section, or something else on the page.
pub fn topics() -> Vec<(&'static str, &'static str)> {
    let mut topics: Vec<(&'static str, &'static str)> =
        SectionKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect();
    topics.push((
        SectionKind::Gaestedagpleje.as_str(),
        SectionKind::Gaestedagpleje.label(),
    ));
    topics.push(("andet", "Andet på siden"));
    topics
}

pub fn topic_label(key: &str) -> &'static str {
    topics()
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| label)
        .unwrap_or("Andet på siden")
}

/// The report form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub afsnit: String,
    pub besked: String,
    pub email: String,
    /// The honeypot ([`HONEYPOT`]).
    pub firma: String,
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub section: String,
    pub message: String,
    pub email: Option<String>,
}

impl ReportForm {
    /// Whether a robot filled in the field people cannot see.
    pub fn is_robot(&self) -> bool {
        !self.firma.trim().is_empty()
    }

    pub fn parse(&self) -> Result<Report, FieldErrors> {
        let mut errors = FieldErrors::new();
        let section = self.afsnit.trim();
        if !topics().iter().any(|(k, _)| *k == section) {
            errors.insert("afsnit".into(), "Vælg, hvad på siden der er forkert.".into());
        }
        let message = self.besked.trim();
        let chars = message.chars().count();
        if message.is_empty() {
            errors.insert(
                "besked".into(),
                "Skriv, hvad der er forkert, og gerne hvad der er rigtigt.".into(),
            );
        } else if chars > MESSAGE_MAX {
            errors.insert(
                "besked".into(),
                format!(
                    "Beskeden må højst være {MESSAGE_MAX} tegn. Forkort den med {} tegn.",
                    chars - MESSAGE_MAX
                ),
            );
        }
        let email = match self.email.trim() {
            "" => Ok(None),
            text => Email::parse(text).map(|e| Some(String::from(e))),
        };
        let email = email.unwrap_or_else(|message| {
            errors.insert("email".into(), message);
            None
        });
        if errors.is_empty() {
            Ok(Report {
                section: section.to_string(),
                message: message.replace("\r\n", "\n"),
                email,
            })
        } else {
            Err(errors)
        }
    }
}

/// One report as the institution and its kommune see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenReport {
    pub id: i64,
    pub nummer: String,
    pub navn: String,
    pub topic: String,
    pub message: String,
    pub email: Option<String>,
    /// "3.12.2026 kl. 10:15".
    pub when: String,
    /// Whole days since it was made.
    pub days_open: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_its_fields_and_keeps_text_as_text() {
        let errors = ReportForm {
            afsnit: "kantine".into(),
            besked: " ".into(),
            email: "ikke en mail".into(),
            firma: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        let report = ReportForm {
            afsnit: "aabningstider".into(),
            besked: "Der står 17, men I lukker 16.\r\n<b>Tak</b>".into(),
            email: " Mor@Example.dk ".into(),
            firma: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(report.message, "Der står 17, men I lukker 16.\n<b>Tak</b>");
        assert_eq!(report.email.as_deref(), Some("mor@example.dk"));
        let long = ReportForm {
            afsnit: "andet".into(),
            besked: "x".repeat(MESSAGE_MAX + 3),
            ..ReportForm::default()
        };
        assert!(long.parse().unwrap_err()["besked"].contains("Forkort den med 3 tegn"));
        assert!(ReportForm {
            firma: "Acme".into(),
            ..ReportForm::default()
        }
        .is_robot());
    }
}
