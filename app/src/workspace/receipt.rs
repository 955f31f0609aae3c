//! `…/kvittering`: a receipt of exactly what is published now for the
//! institution, when each section was last changed and by which log-in, for
//! the leader and the parents' board. As a page and as a PDF
//! (`…/kvittering.pdf`), for the institution and for an administrator
//! working on its behalf.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub nummer: String,
    pub navn: String,
    pub adresse: String,
    pub kommune: String,
    /// When the receipt was made ("d.m.åååå kl. hh:mm").
    pub made: String,
    pub sections: Vec<ReceiptSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptSection {
    pub label: String,
    /// `None`: not reported, so nothing of it is published.
    pub saved: Option<SavedSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSection {
    pub version: i32,
    pub changed: String,
    /// The log-in that made the last change: "Institutionen (G10234)",
    /// "Kommunen (navn@kommune.dk)".
    pub by: String,
    pub confirmed: Option<String>,
    /// (field, value) exactly as the public page shows them.
    pub fields: Vec<(String, String)>,
}

impl Receipt {
    /// The receipt as lines of a PDF.
    pub fn lines(&self) -> Vec<crate::documents::pdf::Line> {
        use crate::documents::pdf::Line;
        let mut lines = vec![
            Line::Heading(format!("Kvittering: {}", self.navn)),
            Line::Text(format!(
                "Institutionsnummer {} · {} · {} Kommune",
                self.nummer, self.adresse, self.kommune
            )),
            Line::Text(format!(
                "Det her er offentliggjort på Dagtilbudsportalen {}.",
                self.made
            )),
            Line::Gap(12.0),
        ];
        for section in &self.sections {
            lines.push(Line::Subheading(section.label.clone()));
            match &section.saved {
                None => lines.push(Line::Text("Ikke udfyldt: intet offentliggjort.".into())),
                Some(saved) => {
                    lines.push(Line::Text(saved.status()));
                    for (field, value) in &saved.fields {
                        lines.push(Line::Text(format!("{field}: {value}")));
                    }
                }
            }
            lines.push(Line::Gap(10.0));
        }
        lines
    }
}

impl SavedSection {
    /// "Version 3, ændret 1.9.2026 kl. 09:00 af Kommunen (…), bekræftet rigtigt …."
    pub fn status(&self) -> String {
        let mut text = format!("Version {}, ændret {} af {}", self.version, self.changed, self.by);
        if let Some(confirmed) = &self.confirmed {
            text.push_str(&format!(", bekræftet rigtigt {confirmed}"));
        }
        text.push('.');
        text
    }
}

/// The receipt of the calling institution (or, for an administrator, of `nummer`).
#[server(prefix = "/api/fn", endpoint = "kvittering")]
pub async fn load_receipt(nummer: Option<String>) -> Result<Receipt, AppError> {
    let principal = crate::auth::context::require_principal()?;
    let state = crate::ssr::state()?;
    let ip = crate::auth::context::client_ip();
    let target = super::db::readable_target(&state.pool, principal, nummer.as_deref(), ip).await?;
    build(&state, &target).await
}

/// What is published now for `target`, with the last change of each section.
pub async fn build(state: &crate::ssr::AppState, target: &super::db::Target) -> Result<Receipt, AppError> {
    use crate::auth::{Principal, Role};
    use crate::domain::sections::{Section, SectionKind, SectionMeta};

    // From the state, not the Leptos context: the PDF handler is plain axum.
    let year = crate::domain::calendar::danish_time(state.now()).year();
    let public = crate::published::load_public(&state.pool, target.institution_id, year).await?;
    let actors = sqlx::query!(
        r#"SELECT DISTINCT ON (section) section, actor_role, actor_label
           FROM section_history WHERE institution_id = $1
           ORDER BY section, version DESC"#,
        target.institution_id
    )
    .fetch_all(&state.pool)
    .await?;
    // An institution sees which of its own log-ins saved; an administrator's
    // e-mail is shown to administrators only.
    let admin_reader = !matches!(target.principal, Principal::Institution { .. });
    fn saved<T: Section>(section: &Option<(T, SectionMeta)>) -> Option<(SectionMeta, Vec<(String, String)>)> {
        section.as_ref().map(|(value, meta)| {
            let fields = value
                .describe()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            (meta.clone(), fields)
        })
    }
    let sections = target
        .sections()
        .iter()
        .map(|&kind| {
            let found = match kind {
                SectionKind::Profil => saved(&public.profil),
                SectionKind::Madordning => saved(&public.madordning),
                SectionKind::Lukkedage => saved(&public.lukkedage),
                SectionKind::Aabningstider => saved(&public.aabningstider),
                SectionKind::Kontakt => saved(&public.kontakt),
                SectionKind::Gaestedagpleje => saved(&public.gaestedagpleje),
            };
            let saved = found.map(|(meta, fields)| {
                let actor = actors.iter().find(|a| a.section == kind.as_str());
                let by = match actor {
                    Some(a) if a.actor_role == "institution" || admin_reader => {
                        format!("{} ({})", Role::of_stored(&a.actor_role).label(), a.actor_label)
                    }
                    Some(a) => Role::of_stored(&a.actor_role).label().to_string(),
                    None => meta.updated_by.clone().unwrap_or_default(),
                };
                SavedSection {
                    version: meta.version,
                    changed: meta.updated.clone().unwrap_or_default(),
                    by,
                    confirmed: meta.confirmed.clone(),
                    fields,
                }
            });
            ReceiptSection {
                label: kind.label().to_string(),
                saved,
            }
        })
        .collect();
    Ok(Receipt {
        nummer: public.master.nummer.clone(),
        navn: public.master.navn.clone(),
        adresse: public.master.adresse.clone(),
        kommune: public.master.kommune.clone(),
        made: crate::domain::calendar::format_timestamp(state.now()),
        sections,
    })
}

/// `…/kvittering.pdf` under the institution's own area and the
/// administrators' (`/kommune/dagtilbud/{nummer}`, `/support/dagtilbud/{nummer}`).
pub fn router() -> axum::Router<crate::ssr::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/indberetning/kvittering.pdf", get(own_pdf))
        .route("/kommune/dagtilbud/{nummer}/kvittering.pdf", get(admin_pdf))
        .route("/support/dagtilbud/{nummer}/kvittering.pdf", get(admin_pdf))
}

async fn own_pdf(
    axum::extract::State(state): axum::extract::State<crate::ssr::AppState>,
    caller: crate::auth::extract::Caller,
    axum::Extension(crate::auth::session::ClientIp(ip)): axum::Extension<crate::auth::session::ClientIp>,
) -> axum::response::Response {
    pdf(state, caller, None, ip).await
}

async fn admin_pdf(
    axum::extract::State(state): axum::extract::State<crate::ssr::AppState>,
    caller: crate::auth::extract::Caller,
    axum::Extension(crate::auth::session::ClientIp(ip)): axum::Extension<crate::auth::session::ClientIp>,
    axum::extract::Path(nummer): axum::extract::Path<String>,
) -> axum::response::Response {
    pdf(state, caller, Some(nummer), ip).await
}

async fn pdf(
    state: crate::ssr::AppState,
    caller: crate::auth::extract::Caller,
    nummer: Option<String>,
    ip: Option<std::net::IpAddr>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let result = async {
        let target = super::db::readable_target(&state.pool, caller.principal, nummer.as_deref(), ip).await?;
        build(&state, &target).await
    }
    .await;
    match result {
        Ok(receipt) => {
            let bytes = crate::documents::pdf::text_pdf(&[receipt.lines()]);
            crate::documents::no_store_document(
                "application/pdf",
                Some("attachment; filename=\"kvittering.pdf\""),
                bytes,
            )
        }
        Err(error) => crate::documents::plain::ErrorPage::new(error)
            .not_found("Dagtilbuddet findes ikke, eller du har ikke adgang til det.")
            .into_response(),
    }
}

/// The receipt page; print it, or fetch the PDF.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let workspace = super::Workspace::current();
    let nummer = workspace.nummer.clone();
    let data = Resource::new_blocking(|| (), move |_| load_receipt(nummer.clone()));
    let pdf_link = workspace.page("kvittering.pdf");
    view! {
        <Title text="Kvittering" />
        <p class="no-print"><a href=workspace.base()>"Tilbage til oversigten"</a></p>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || {
                let pdf_link = pdf_link.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(receipt) => view! { <ReceiptView receipt pdf_link /> }.into_any(),
                        Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ReceiptView(receipt: Receipt, pdf_link: String) -> impl IntoView {
    let sections = receipt
        .sections
        .into_iter()
        .map(|section| {
            let body = match section.saved {
                None => view! { <p>"Ikke udfyldt: intet offentliggjort."</p> }.into_any(),
                Some(saved) => {
                    let status = saved.status();
                    let rows = saved
                        .fields
                        .into_iter()
                        // Never an empty text node: the browser drops it and hydration stops.
                        .map(|(field, value)| {
                            let value = if value.is_empty() {
                                "–".to_string()
                            } else {
                                value
                            };
                            view! { <dt>{field}</dt><dd class="pre">{value}</dd> }
                        })
                        .collect_view();
                    view! {
                        <p>{status}</p>
                        <dl class="facts">{rows}</dl>
                    }
                    .into_any()
                }
            };
            view! {
                <section class="receipt-section">
                    <h2>{section.label}</h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{format!("Kvittering: {}", receipt.navn)}</h1>
        <p>{format!(
            "Institutionsnummer {} · {} · {} Kommune",
            receipt.nummer, receipt.adresse, receipt.kommune
        )}</p>
        <p class="lead">{format!("Det her er offentliggjort på Dagtilbudsportalen {}.", receipt.made)}</p>
        <p class="button-row no-print">
            <a class="button button-secondary" href=pdf_link download>"Hent kvitteringen som PDF"</a>
        </p>
        {sections}
    }
}
