//! Reminders by e-mail: the kommune picks institutions by what they lack,
//! writes (or keeps) the wording, and follows the sending
//! (`/kommune/paamindelser`, one job at `/kommune/paamindelser/{id}`, every
//! message at `/kommune/udbakke`). Sending itself is `reminders::worker`'s.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, FormErrors, SubmitButton, TextArea, TextField};
use crate::error::AppError;
use crate::reminders::{status_label, Audience, JobRow, MessageRow, ReminderForm, Template, PLACEHOLDERS};

const PAGE: &str = "/kommune/paamindelser";
const OUTBOX: &str = "/kommune/udbakke";
const FORM: &str = "paamindelse";
const OUTBOX_PER_PAGE: i64 = 25;

/// The reminder pages with live parts: `/kommune/paamindelser` (the form's
/// character count, `ReminderForm`) and a job's `/kommune/paamindelser/{id}`
/// (its live progress, `JobLive`).
pub fn is_live_page(path: &str) -> bool {
    match path.strip_prefix(PAGE) {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('/')
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// One institution the chosen reminder would go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub nummer: String,
    pub navn: String,
    pub email: Option<String>,
    pub todo: Vec<String>,
}

/// The reminders page: who a reminder would reach, the wording, and the jobs so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemindersPage {
    pub kommune: String,
    /// The chosen audience (`mangler`, `foraeldet`, `aldrig`), if any.
    pub audience: Option<String>,
    pub recipients: Vec<Recipient>,
    pub template: Template,
    /// The first recipient's mail as the current wording makes it: (to, subject, body).
    pub example: Option<(String, String, String)>,
    pub jobs: Vec<JobRow>,
    /// No mail server is set up: mails go to the outbox.
    pub outbox: bool,
}

/// The login address printed in reminders.
fn login_address(state: &crate::ssr::AppState) -> String {
    format!("{}/log-ind", state.settings.public_url)
}

#[server(prefix = "/api/fn", endpoint = "kommune_paamindelser")]
pub async fn kommune_paamindelser(
    #[server(default)] hvem: Option<String>,
) -> Result<RemindersPage, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let state = crate::ssr::state()?;
    let audience = hvem.as_deref().and_then(Audience::parse);
    let template = crate::reminders::db::template(&state.pool, kommunekode).await?;
    let (kommune, candidates) = match audience {
        Some(audience) => {
            crate::reminders::db::candidates(
                &state.pool,
                kommunekode,
                audience,
                state.now() - state.settings.stale_after,
                &login_address(&state),
            )
            .await?
        }
        None => (
            sqlx::query_scalar!("SELECT navn FROM kommuner WHERE kode = $1", kommunekode)
                .fetch_one(&state.pool)
                .await?,
            Vec::new(),
        ),
    };
    let example = candidates.iter().find(|c| c.email.is_some()).map(|c| {
        let (subject, body) = template.render(&c.facts);
        (c.email.clone().unwrap_or_default(), subject, body)
    });
    Ok(RemindersPage {
        kommune,
        audience: audience.map(|a| a.as_str().to_string()),
        recipients: candidates
            .into_iter()
            .map(|c| Recipient {
                nummer: c.nummer,
                navn: c.navn,
                email: c.email,
                todo: c.facts.todo,
            })
            .collect(),
        template,
        example,
        jobs: crate::reminders::db::jobs(&state.pool, kommunekode).await?,
        outbox: state.settings.mail.is_none(),
    })
}

/// Make a reminder job for every institution of the audience that has an
/// e-mail; the sender starts at once. Answers the job's id.
#[server(prefix = "/api/fn", endpoint = "kommune_paamindelse_send")]
pub async fn send_reminder(#[server(flatten)] form: ReminderForm) -> Result<i64, AppError> {
    let (admin_id, kommunekode) = crate::auth::context::require_kommune()?;
    let principal = crate::auth::context::require_principal()?;
    let values = crate::ssr::flash::form_values(&form);
    let result = async {
        let reminder = form.parse().map_err(AppError::Validation)?;
        let state = crate::ssr::state()?;
        let (_, candidates) = crate::reminders::db::candidates(
            &state.pool,
            kommunekode,
            reminder.audience,
            state.now() - state.settings.stale_after,
            &login_address(&state),
        )
        .await?;
        if !candidates.iter().any(|c| c.email.is_some()) {
            return Err(AppError::field(
                "hvem",
                "Ingen af disse dagtilbud har en e-mailadresse i deres kontaktoplysninger. Vælg andre dagtilbud, eller send dem et log-in-brev fra oversigten.",
            ));
        }
        let (job, _) = crate::reminders::db::create_job(
            &state.pool,
            kommunekode,
            admin_id,
            &crate::audit::Actor::from_principal(&principal),
            reminder.audience,
            &reminder.template,
            &candidates,
            crate::auth::context::client_ip(),
        )
        .await?;
        state.reminder_wake.notify_one();
        Ok(job)
    }
    .await;
    let done = result.as_ref().ok().map(|job| format!("{PAGE}/{job}"));
    let back = format!("{PAGE}?hvem={}", form.hvem.trim());
    crate::ssr::flash::finish(FORM, &back, values, done.as_deref(), result).await
}

/// One job and its messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPage {
    pub job: JobRow,
    pub messages: Vec<MessageRow>,
    pub outbox: bool,
}

#[server(prefix = "/api/fn", endpoint = "kommune_paamindelse")]
pub async fn kommune_paamindelse(id: i64) -> Result<JobPage, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let state = crate::ssr::state()?;
    let (job, messages) = crate::reminders::db::job(&state.pool, kommunekode, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(JobPage {
        job,
        messages,
        outbox: state.settings.mail.is_none(),
    })
}

/// One page of the kommune's sent reminders, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub messages: Vec<MessageRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub outbox: bool,
}

#[server(prefix = "/api/fn", endpoint = "kommune_udbakke")]
pub async fn kommune_udbakke(#[server(default)] side: String) -> Result<OutboxPage, AppError> {
    let (_, kommunekode) = crate::auth::context::require_kommune()?;
    let state = crate::ssr::state()?;
    let total = crate::reminders::db::outbox_count(&state.pool, kommunekode).await?;
    let pages = crate::components::paging::page_count(total, OUTBOX_PER_PAGE);
    let page = crate::components::paging::page_number(&side, pages);
    let messages = crate::reminders::db::messages(
        &state.pool,
        kommunekode,
        None,
        OUTBOX_PER_PAGE,
        (page - 1) * OUTBOX_PER_PAGE,
    )
    .await?;
    Ok(OutboxPage {
        messages,
        page,
        pages,
        total,
        outbox: state.settings.mail.is_none(),
    })
}

/// Where the mails go, in a sentence for the pages.
fn transport_note(outbox: bool) -> impl IntoView {
    if outbox {
        view! {
            <div class="alert alert-info">
                <p>
                    "Der er ikke sat en mailserver op, så mailene sendes ikke, men lægges i "
                    <a href=OUTBOX>"udbakken"</a>", hvor du kan læse dem."
                </p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p>"Mailene sendes gennem kommunens mailserver. Du kan læse dem alle i "<a href=OUTBOX>"udbakken"</a>"."</p>
        }
        .into_any()
    }
}

/// A message's state in words, with the reason it was not sent.
fn message_status(message: &MessageRow) -> String {
    let label = status_label(&message.status);
    match (&message.status[..], &message.error) {
        ("sent", _) if message.outbox => format!("Lagt i udbakken {}", message.when),
        ("sent", _) => format!("Sendt {}", message.when),
        ("pending", Some(error)) => format!(
            "Venter på forsøg {} af 4. Sidste forsøg: {error}",
            message.attempts + 1
        ),
        (_, Some(error)) => format!("{label}: {error}"),
        _ => label.to_string(),
    }
}

/// A message as text: subject, addressee and body.
#[component]
fn MailText(message: MessageRow) -> impl IntoView {
    view! {
        <details class="mail">
            <summary>{format!("Se mailen til {}", message.navn)}</summary>
            <dl class="facts">
                <dt>"Til"</dt><dd>{message.to.clone()}</dd>
                <dt>"Emne"</dt><dd>{message.subject.clone()}</dd>
            </dl>
            <div class="pre mail-body">{message.body.clone()}</div>
        </details>
    }
}

#[component]
pub fn RemindersPage() -> impl IntoView {
    let query = use_query_map();
    let hvem = Memo::new(move |_| query.read().get("hvem"));
    let data = Resource::new_blocking(
        move || hvem.get(),
        move |hvem| async move {
            let flash = crate::auth::take_form_flash(FORM.to_string())
                .await
                .ok()
                .flatten();
            (kommune_paamindelser(hvem).await, flash)
        },
    );
    view! {
        <Title text="Påmindelser" />
        <p><a href="/kommune">"Til kommunens oversigt"</a></p>
        <h1>"Påmindelser"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (data, flash) = data.await;
                let data = match data {
                    Ok(data) => data,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                view! { <RemindersView data flash /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn RemindersView(data: RemindersPage, flash: Option<crate::components::form::FormFlash>) -> impl IntoView {
    let RemindersPage {
        kommune,
        audience,
        recipients,
        template,
        example,
        jobs,
        outbox,
    } = data;
    let errors = flash.as_ref().map(|f| f.errors.clone()).unwrap_or_default();
    let (subject, body) = match &flash {
        Some(flash) => (flash.value("emne"), flash.value("tekst")),
        None => (template.subject.clone(), template.body.clone()),
    };
    let chosen = audience.clone().unwrap_or_default();
    let choices = Audience::ALL
        .iter()
        .map(|a| {
            let id = format!("hvem-{}", a.as_str());
            view! {
                <div class="radio">
                    <input type="radio" id=id.clone() name="hvem" value=a.as_str() checked=chosen == a.as_str() />
                    <label for=id>{a.label()}</label>
                </div>
            }
        })
        .collect_view();
    let with_email = recipients.iter().filter(|r| r.email.is_some()).count();
    let send_part = audience.map(|audience| {
        let rows = recipients
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.nummer.clone()}</td>
                        <td>{r.navn.clone()}</td>
                        <td>{match &r.email {
                            Some(email) => email.clone(),
                            None => "Ingen e-mail i kontaktoplysningerne: får ingen mail".to_string(),
                        }}</td>
                        <td>
                            <ul class="plain-list">
                                {r.todo.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                            </ul>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let matching = recipients.len();
        let label = match with_email {
            1 => "Send påmindelse til 1 dagtilbud".to_string(),
            n => format!("Send påmindelse til {n} dagtilbud"),
        };
        view! {
            <p role="status">{format!(
                "{matching} dagtilbud matcher. {with_email} af dem har en e-mailadresse i deres kontaktoplysninger og får mailen."
            )}</p>
            {(matching > 0).then(|| view! {
                <div class="table-wrap">
                    <table class="table table-compact">
                        <caption>"Modtagere"</caption>
                        <thead><tr>
                            <th scope="col">"Nummer"</th><th scope="col">"Navn"</th>
                            <th scope="col">"E-mail"</th><th scope="col">"Det står i mailen"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })}
            <h2 id="tekst-overskrift">"Mailens tekst"</h2>
            <ReminderForm audience subject body errors label />
            {example.map(|(to, subject, body)| view! {
                <h2>"Sådan ser mailen ud"</h2>
                <p>{format!("Til {to}, med den gemte tekst:")}</p>
                <dl class="facts"><dt>"Emne"</dt><dd>{subject}</dd></dl>
                <div class="pre mail-body">{body}</div>
            })}
        }
    });
    let job_rows = jobs
        .iter()
        .map(|job| {
            view! {
                <tr>
                    <td><a href=format!("{PAGE}/{}", job.id)>{job.when.clone()}</a></td>
                    <td>{job.by.clone()}</td>
                    <td>{job.audience.clone()}</td>
                    <td>{job.total}</td>
                    <td>{job.sent}</td>
                    <td>{job.failed}</td>
                    <td>{job.waiting()}</td>
                </tr>
            }
        })
        .collect_view();
    let no_jobs = jobs.is_empty();
    view! {
        <p>{format!(
            "Send en mail til {kommune} Kommunes dagtilbud, der mangler at udfylde afsnit, har afsnit, der bør ses efter, eller aldrig har logget ind. Mailen går til e-mailadressen i dagtilbuddets kontaktoplysninger og fortæller, hvad netop det dagtilbud mangler."
        )}</p>
        {transport_note(outbox)}
        <h2>"Hvem skal have en påmindelse?"</h2>
        <form method="get" action=PAGE class="form">
            <fieldset class="fieldset">
                <legend>"Send til"</legend>
                {choices}
            </fieldset>
            <button type="submit" class="button button-secondary">"Vis modtagere"</button>
        </form>
        {send_part}
        <h2>"Sendte påmindelser"</h2>
        {if no_jobs {
            view! { <p>"Kommunen har ikke sendt påmindelser endnu."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table table-compact">
                        <caption>"Kommunens påmindelser, nyeste først"</caption>
                        <thead><tr>
                            <th scope="col">"Tidspunkt"</th><th scope="col">"Af"</th><th scope="col">"Til"</th>
                            <th scope="col">"Mails"</th><th scope="col">"Sendt"</th><th scope="col">"Ikke sendt"</th>
                            <th scope="col">"Venter"</th>
                        </tr></thead>
                        <tbody>{job_rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The reminder's wording and the send button: a plain form post, which the
/// server answers with the job's page (or this page with the errors). With
/// JavaScript the signed-in bundle counts the characters as they are typed,
/// and sends the form in place so that a refusal redraws only the form,
/// with focus on its error summary (`components::enhance`).
#[component]
fn ReminderForm(
    audience: String,
    subject: String,
    body: String,
    errors: crate::error::FieldErrors,
    label: String,
) -> impl IntoView {
    let send = ServerAction::<SendReminder>::new();
    let errors = FormErrors::new(errors);
    let placeholders = PLACEHOLDERS
        .iter()
        .map(|(name, meaning)| view! { <li><code>{*name}</code>": "{*meaning}</li> })
        .collect_view();
    view! {
        <div id="paamindelse-formular" data-swap="">
            <ErrorSummary errors fields=vec!["hvem".into(), "emne".into(), "tekst".into()] />
            <ActionForm action=send attr:novalidate=true attr:class="form" attr:aria-labelledby="tekst-overskrift">
                <input type="hidden" name="hvem" value=audience />
                <TextField name="emne" label="Emne" value=subject errors />
                <TextArea
                    name="tekst"
                    label="Tekst"
                    hint="Almindelig tekst. Felterne i krøllede parenteser udfyldes for hvert dagtilbud. Mailen må aldrig indeholde koder eller adgangskoder; dem sender kommunen kun i log-in-breve."
                    value=body
                    max_chars=crate::reminders::BODY_MAX
                    rows=14
                    errors
                />
                <div class="form-hint">
                    <p>"Felter, du kan bruge:"</p>
                    <ul>{placeholders}</ul>
                </div>
                <SubmitButton pending=send.pending() label />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn ReminderJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new_blocking(id, kommune_paamindelse);
    view! {
        <Title text="Påmindelse" />
        <p><a href=PAGE>"Til påmindelserne"</a></p>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <JobLive page /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A job's page, live: while messages wait, the region says so
/// (`data-poll`), and with JavaScript the browser loads the page again every
/// two seconds and redraws the region in place (`components::enhance`);
/// without it, "Opdatér siden" loads it again.
#[component]
fn JobLive(page: JobPage) -> impl IntoView {
    let poll = (page.job.waiting() > 0).then_some("2000");
    view! {
        <div id="paamindelse" data-poll=poll>
            <JobView page />
        </div>
    }
}

#[component]
fn JobView(page: JobPage) -> impl IntoView {
    let JobPage {
        job,
        messages,
        outbox,
    } = page;
    let waiting = job.waiting();
    let done = job.sent + job.failed;
    let rows = messages
        .into_iter()
        .map(|message| {
            let status = message_status(&message);
            view! {
                <tr>
                    <td>{format!("{} ({})", message.navn, message.nummer)}</td>
                    <td>{message.to.clone()}</td>
                    <td>{status}</td>
                    <td><MailText message /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{format!("Påmindelse {}", job.when)}</h1>
        <p>{format!("Sendt af {} til: {}. Emne: {}", job.by, job.audience.to_lowercase(), job.subject)}</p>
        {transport_note(outbox)}
        <div id="fremdrift-status" role="status" aria-live="polite">
            <p class="stats">
                {if waiting > 0 {
                    format!("Sender … {done} af {} er færdige. {} sendt, {} ikke sendt, {waiting} venter.", job.total, job.sent, job.failed)
                } else {
                    format!("Færdig: {} af {} mails er sendt, {} blev ikke sendt.", job.sent, job.total, job.failed)
                }}
            </p>
        </div>
        <label for="fremdrift">"Fremdrift"</label>
        <progress id="fremdrift" max=job.total value=done>{format!("{done} af {}", job.total)}</progress>
        {(waiting > 0).then(|| view! {
            <p><a href=format!("{PAGE}/{}", job.id)>"Opdatér siden"</a></p>
        })}
        <div class="table-wrap">
            <table class="table table-compact">
                <caption>"Mailene"</caption>
                <thead><tr>
                    <th scope="col">"Dagtilbud"</th><th scope="col">"Til"</th>
                    <th scope="col">"Status"</th><th scope="col">"Mail"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let side = Memo::new(move |_| query.read().get("side").unwrap_or_default());
    let data = Resource::new_blocking(move || side.get(), kommune_udbakke);
    view! {
        <Title text="Udbakke" />
        <p><a href=PAGE>"Til påmindelserne"</a></p>
        <h1>"Udbakke"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let page = match data.await {
                    Ok(page) => page,
                    Err(error) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let intro = if page.outbox {
                    "Der er ikke sat en mailserver op, så påmindelserne sendes ikke, men ligger her. Sådan ville dagtilbuddene have fået dem."
                } else {
                    "Alle påmindelser, kommunen har sendt, som de blev sendt."
                };
                let prev = (page.page > 1).then(|| format!("{OUTBOX}?side={}", page.page - 1));
                let next = (page.page < page.pages).then(|| format!("{OUTBOX}?side={}", page.page + 1));
                let mails = page.messages.into_iter().map(|message| {
                    let status = message_status(&message);
                    view! {
                        <article class="mail">
                            <h2>{message.subject.clone()}</h2>
                            <dl class="facts">
                                <dt>"Til"</dt><dd>{format!("{} ({})", message.to, message.navn)}</dd>
                                <dt>"Status"</dt><dd>{status}</dd>
                            </dl>
                            <div class="pre mail-body">{message.body.clone()}</div>
                        </article>
                    }
                }).collect_view();
                view! {
                    <p>{intro}</p>
                    <p role="status">{format!("{} mails. Side {} af {}.", page.total, page.page, page.pages)}</p>
                    {mails}
                    <nav class="pager" aria-label="Sider">
                        {prev.map(|href| view! { <a href=href rel="prev">"Nyere"</a> })}
                        {next.map(|href| view! { <a href=href rel="next">"Ældre"</a> })}
                    </nav>
                }.into_any()
            })}
        </Suspense>
    }
}
