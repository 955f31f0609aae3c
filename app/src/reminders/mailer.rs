//! Where reminders go: a mail server over SMTP (lettre), or, when none is set
//! up, the outbox table, which the kommune reads on `/kommune/udbakke`.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (only for a relay on the same host or network).
    None,
    /// Upgrade with STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl std::str::FromStr for SmtpTls {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "none" | "ingen" | "false" => Ok(SmtpTls::None),
            "starttls" => Ok(SmtpTls::StartTls),
            "tls" | "true" => Ok(SmtpTls::Tls),
            other => Err(format!("«{other}» is none of none, starttls, tls")),
        }
    }
}

/// The mail server, from `SMTP_*` (see the server's `config.rs`).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<SecretString>,
    /// The sender, e.g. `Dagtilbudsportalen <noreply@example.dk>`.
    pub from: String,
}

/// Why one message was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later: the server was unreachable or asked to wait.
    Transient(String),
    /// The server refused it for good (e.g. no such recipient), or it cannot be sent.
    Permanent(String),
}

pub enum Mailer {
    Outbox,
    // One per server process: its size does not matter.
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

/// An SMTP conversation that takes longer than this counts as failed (and
/// is tried again); well under the claim's lease in `worker`.
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

impl Mailer {
    pub fn new(settings: Option<&SmtpSettings>) -> Result<Mailer, String> {
        let Some(settings) = settings else {
            return Ok(Mailer::Outbox);
        };
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("MAIL_FROM «{}» is not an address: {e}", settings.from))?;
        let builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                .map_err(|e| format!("SMTP_HOST {}: {e}", settings.host))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                .map_err(|e| format!("SMTP_HOST {}: {e}", settings.host))?,
        };
        let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
        if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_string(),
            ));
        }
        Ok(Mailer::Smtp {
            transport: Box::new(builder.build()),
            from,
        })
    }

    /// `smtp` or `outbox`, as stored with each sent message.
    pub fn transport(&self) -> &'static str {
        match self {
            Mailer::Outbox => "outbox",
            Mailer::Smtp { .. } => "smtp",
        }
    }

    /// Send one plain-text message. For the outbox, the message row already
    /// holds everything, so there is nothing more to do.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
        let Mailer::Smtp { transport, from } = self else {
            return Ok(());
        };
        let to: Mailbox = to
            .parse()
            .map_err(|_| SendError::Permanent(format!("«{to}» er ikke en gyldig e-mailadresse.")))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| SendError::Permanent(format!("Mailen kunne ikke laves: {e}")))?;
        match transport.send(message).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_permanent() => Err(SendError::Permanent(format!(
                "Mailserveren afviste mailen: {error}"
            ))),
            Err(error) => Err(SendError::Transient(format!(
                "Mailserveren svarede ikke som ventet: {error}"
            ))),
        }
    }
}
