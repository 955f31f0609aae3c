//! Reminders by e-mail (issue 22): a kommune administrator asks chosen
//! institutions to look at their information again. The wording is the
//! kommune's own, from a Danish template with a few fields filled in per
//! institution; no field can carry a code or a password.
//!
//! Shared, not an area: the kommune sends and follows reminders, the
//! institution's start page shows its last one, support's timeline lists them.
//! Sending runs in the background (`worker`), with its state in PostgreSQL
//! (`db`), through SMTP or into the outbox table (`mailer`).

pub mod db;
pub mod mailer;
pub mod worker;

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Which institutions a reminder goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Active institutions with at least one section not filled in.
    Missing,
    /// Active institutions with a section neither changed nor confirmed for the stale period.
    Stale,
    /// Active institutions that never logged in.
    NeverLoggedIn,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Missing, Audience::Stale, Audience::NeverLoggedIn];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Missing => "mangler",
            Audience::Stale => "foraeldet",
            Audience::NeverLoggedIn => "aldrig",
        }
    }

    pub fn parse(value: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Missing => "Dagtilbud, der mangler at udfylde et afsnit",
            Audience::Stale => "Dagtilbud med afsnit, der bør ses efter",
            Audience::NeverLoggedIn => "Dagtilbud, der aldrig har logget ind",
        }
    }
}

/// The fields a template may use, and what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 4] = [
    ("{navn}", "dagtilbuddets navn"),
    ("{kommune}", "kommunens navn"),
    (
        "{mangler}",
        "hvad dagtilbuddet mangler eller bør se efter, én linje pr. afsnit",
    ),
    ("{adresse}", "adressen, hvor dagtilbuddet logger ind"),
];

pub const DEFAULT_SUBJECT: &str = "Påmindelse: se {navn}s oplysninger på Dagtilbudsportalen efter";

pub const DEFAULT_BODY: &str = "Kære {navn}

{kommune} Kommune minder jer om at se jeres oplysninger på Dagtilbudsportalen efter, så forældrene finder det, der gælder nu.

{mangler}

Log ind med jeres institutionsnummer og kodeord på {adresse}
Har I glemt kodeordet, eller har I aldrig logget ind, så kontakt kommunen. I får et brev med en ny engangskode.

Venlig hilsen
{kommune} Kommune";

pub const SUBJECT_MAX: usize = 150;
pub const BODY_MAX: usize = 5000;

/// The reminder form as posted: who gets it and the wording.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReminderForm {
    #[serde(default)]
    pub hvem: String,
    #[serde(default)]
    pub emne: String,
    #[serde(default)]
    pub tekst: String,
}

/// A checked reminder: its audience and its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub audience: Audience,
    pub template: Template,
}

impl ReminderForm {
    /// Check the form with the rules the server applies.
    pub fn parse(&self) -> Result<Reminder, FieldErrors> {
        let mut errors = FieldErrors::new();
        let audience = Audience::parse(self.hvem.trim());
        if audience.is_none() {
            errors.insert(
                "hvem".into(),
                "Vælg, hvilke dagtilbud påmindelsen skal sendes til.".into(),
            );
        }
        let subject = self.emne.trim();
        if subject.is_empty() {
            errors.insert("emne".into(), "Skriv et emne til mailen.".into());
        } else if subject.chars().count() > SUBJECT_MAX {
            errors.insert(
                "emne".into(),
                format!(
                    "Emnet må højst være {SUBJECT_MAX} tegn. Forkort det med {} tegn.",
                    subject.chars().count() - SUBJECT_MAX
                ),
            );
        } else if subject.contains(['\n', '\r']) {
            errors.insert("emne".into(), "Emnet skal stå på én linje.".into());
        } else if let Err(message) = check_fields(subject) {
            errors.insert("emne".into(), message);
        }
        let body = self.tekst.trim();
        let chars = body.chars().count();
        if body.is_empty() {
            errors.insert("tekst".into(), "Skriv teksten til mailen.".into());
        } else if chars > BODY_MAX {
            errors.insert("tekst".into(), crate::error::too_long(BODY_MAX, chars));
        } else if let Err(message) = check_fields(body) {
            errors.insert("tekst".into(), message);
        } else if !body.contains("{adresse}") {
            errors.insert(
                "tekst".into(),
                "Teksten skal fortælle, hvor dagtilbuddet logger ind. Skriv {adresse} i teksten.".into(),
            );
        }
        match (audience, errors.is_empty()) {
            (Some(audience), true) => Ok(Reminder {
                audience,
                template: Template {
                    subject: subject.to_string(),
                    body: body.replace("\r\n", "\n"),
                },
            }),
            _ => Err(errors),
        }
    }
}

/// Every `{…}` in `text` must be one of [`PLACEHOLDERS`].
fn check_fields(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            return Err("En { mangler sin }. Skriv felterne som fx {navn}.".into());
        };
        let field = &after[..=end];
        if !PLACEHOLDERS.iter().any(|(name, _)| *name == field) {
            let known: Vec<&str> = PLACEHOLDERS.iter().map(|(name, _)| *name).collect();
            let (last, first) = known.split_last().unwrap_or((&"", &[]));
            return Err(format!(
                "Feltet {field} findes ikke. Brug {} eller {last}.",
                first.join(", ")
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// A reminder's wording with its fields not yet filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

impl Default for Template {
    fn default() -> Self {
        Template {
            subject: DEFAULT_SUBJECT.into(),
            body: DEFAULT_BODY.into(),
        }
    }
}

/// What one institution's reminder says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub navn: String,
    pub kommune: String,
    /// One line per thing to look at, e.g. "Madordning er ikke udfyldt."
    pub todo: Vec<String>,
    /// Where to log in.
    pub address: String,
}

impl Template {
    /// The subject and body for one institution. Text in `facts` is put in as
    /// it is: a mail is plain text, and nothing in it is read as a field again.
    pub fn render(&self, facts: &Facts) -> (String, String) {
        let todo = if facts.todo.is_empty() {
            "Alle afsnit er udfyldt og set efter for nylig.".to_string()
        } else {
            facts
                .todo
                .iter()
                .map(|line| format!("- {line}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let fill = |text: &str| {
            let mut out = String::with_capacity(text.len() + 200);
            let mut rest = text;
            while let Some(start) = rest.find('{') {
                out.push_str(&rest[..start]);
                let after = &rest[start..];
                let value = PLACEHOLDERS.iter().find_map(|(name, _)| {
                    after.starts_with(name).then(|| {
                        let value = match *name {
                            "{navn}" => facts.navn.as_str(),
                            "{kommune}" => facts.kommune.as_str(),
                            "{mangler}" => todo.as_str(),
                            _ => facts.address.as_str(),
                        };
                        (value, name.len())
                    })
                });
                match value {
                    Some((value, used)) => {
                        out.push_str(value);
                        rest = &after[used..];
                    }
                    None => {
                        out.push('{');
                        rest = &after[1..];
                    }
                }
            }
            out.push_str(rest);
            out
        };
        // A subject is one line, whatever a name holds.
        let subject = fill(&self.subject).replace(['\r', '\n'], " ");
        (subject, fill(&self.body))
    }
}

/// One reminder job as the kommune's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: i64,
    pub when: String,
    pub by: String,
    /// Which institutions it went to, in words.
    pub audience: String,
    pub subject: String,
    pub total: i64,
    pub sent: i64,
    /// Refused, given up on, or of unknown fate.
    pub failed: i64,
}

impl JobRow {
    /// Messages not yet sent or given up on.
    pub fn waiting(&self) -> i64 {
        self.total - self.sent - self.failed
    }
}

/// One message of a job, written out as it was (or will be) sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i64,
    pub job: i64,
    pub nummer: String,
    pub navn: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sending`, `sent`, `failed` or `uncertain` (see [`status_label`]).
    pub status: String,
    /// Put in the outbox (no mail server is set up) rather than sent by SMTP.
    pub outbox: bool,
    pub attempts: i32,
    pub error: Option<String>,
    /// When it was sent, or when the job was made.
    pub when: String,
}

/// The last reminder an institution got, for its start page and support's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastReminder {
    pub when: String,
    pub to: String,
    pub status: String,
    pub by: String,
}

/// A message's state as the kommune sees it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "Venter",
        "sending" => "Sendes nu",
        "sent" => "Sendt",
        "failed" => "Ikke sendt",
        _ => "Uvist om sendt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            navn: "Solsikken {mangler}".into(),
            kommune: "Skanderborg".into(),
            todo: vec!["Madordning er ikke udfyldt.".into()],
            address: "https://dagtilbud.example/log-ind".into(),
        }
    }

    #[test]
    fn fields_are_filled_once_and_never_read_again() {
        let (subject, body) = Template::default().render(&facts());
        assert_eq!(
            subject,
            "Påmindelse: se Solsikken {mangler}s oplysninger på Dagtilbudsportalen efter"
        );
        assert!(body.starts_with("Kære Solsikken {mangler}\n"), "{body}");
        assert!(body.contains("- Madordning er ikke udfyldt."));
        assert!(body.contains("på https://dagtilbud.example/log-ind\n"));
        assert!(body.ends_with("Skanderborg Kommune"));
        // A name cannot add a header line to the subject.
        let sneaky = Facts {
            navn: "Solsikken\r\nBcc: alle@example.dk".into(),
            ..facts()
        };
        let (subject, _) = Template::default().render(&sneaky);
        assert!(!subject.contains(['\r', '\n']), "{subject}");
    }

    #[test]
    fn unknown_fields_and_a_missing_address_are_refused_by_name() {
        let form = ReminderForm {
            hvem: "mangler".into(),
            emne: "Hej {kode}".into(),
            tekst: "Kære {navn}".into(),
        };
        let errors = form.parse().unwrap_err();
        assert!(errors["emne"].contains("{kode} findes ikke"), "{errors:?}");
        assert!(errors["tekst"].contains("{adresse}"), "{errors:?}");
        let form = ReminderForm {
            hvem: "alle".into(),
            emne: "Hej".into(),
            tekst: "Log ind på {adresse}".into(),
        };
        assert!(form.parse().unwrap_err().contains_key("hvem"));
        let ok = ReminderForm {
            hvem: "foraeldet".into(),
            emne: " Hej {navn} ".into(),
            tekst: "Log ind på {adresse}\r\nHilsen".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.audience, Audience::Stale);
        assert_eq!(ok.template.subject, "Hej {navn}");
        assert_eq!(ok.template.body, "Log ind på {adresse}\nHilsen");
    }

    #[test]
    fn the_default_template_passes_its_own_check() {
        let form = ReminderForm {
            hvem: "aldrig".into(),
            emne: DEFAULT_SUBJECT.into(),
            tekst: DEFAULT_BODY.into(),
        };
        assert!(form.parse().is_ok());
    }
}
