//! The kommune systems' API keys: support creates one for a kommune (shown
//! once, stored only as a hash) and revokes it.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, FormErrors, SelectField, TextField};
use crate::error::AppError;
use crate::register::{kommune_choices, kommune_options};

/// One key as support sees it: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyFacts {
    pub id: i64,
    pub kommune: String,
    pub label: String,
    pub prefix: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

/// Every API key, newest first (support only).
#[server(prefix = "/api/fn", endpoint = "support_api_noegler")]
pub async fn api_keys() -> Result<Vec<ApiKeyFacts>, AppError> {
    crate::auth::context::require_support()?;
    let pool = crate::ssr::pool()?;
    let rows = sqlx::query!(
        r#"SELECT a.id, k.navn AS kommune, a.label, a.prefix, a.created_at, a.last_used_at, a.revoked_at
           FROM kommune_api_keys a JOIN kommuner k ON k.kode = a.kommunekode
           ORDER BY a.revoked_at IS NOT NULL, a.created_at DESC, a.id DESC"#
    )
    .fetch_all(&pool)
    .await?;
    let when = crate::domain::calendar::format_timestamp;
    Ok(rows
        .into_iter()
        .map(|r| ApiKeyFacts {
            id: r.id,
            kommune: r.kommune,
            label: r.label,
            prefix: r.prefix,
            created: when(r.created_at),
            last_used: r.last_used_at.map(when),
            revoked: r.revoked_at.map(when),
        })
        .collect())
}

/// Revoke a key: the next request with it is refused.
#[server(prefix = "/api/fn", endpoint = "support_spaer_api_noegle")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let admin_id = crate::auth::context::require_support()?;
    let principal = crate::auth::context::require_principal()?;
    let pool = crate::ssr::pool()?;
    let actor = crate::audit::Actor::from_principal(&principal);
    debug_assert_eq!(actor.id, Some(admin_id));
    let revoked = sqlx::query_scalar!(
        r#"WITH revoked AS (
             UPDATE kommune_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
             RETURNING id, kommunekode, label, prefix
           ), audited AS (
             INSERT INTO audit_log (actor_role, actor_id, actor_label, action, kommunekode, client_ip, details)
             SELECT $2, $3, $4, 'api_noegle_spaerret', kommunekode, $5::text::inet,
                    jsonb_build_object('noegle', id, 'navn', label, 'begynder_med', prefix)
             FROM revoked
           )
           SELECT id FROM revoked"#,
        id,
        actor.role,
        actor.id,
        actor.label,
        crate::auth::context::client_ip().map(|ip| ip.to_string()),
    )
    .fetch_optional(&pool)
    .await?;
    let result = match revoked {
        Some(_) => Ok(()),
        None => Err(AppError::Conflict(
            "Nøglen er allerede spærret, eller den findes ikke. Genindlæs siden.".into(),
        )),
    };
    if result.is_ok() {
        leptos_axum::redirect("/support/api-noegler?spaerret=1");
    }
    crate::ssr::flash::finish(
        "api-noegle-spaer",
        "/support/api-noegler",
        Vec::new(),
        None,
        result,
    )
    .await
}

/// `/support/api-noegler`.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let query = use_query_map();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let revoked = crate::components::form::successes(revoke);
    let data = Resource::new_blocking(
        move || revoked.get(),
        |_| async move {
            (
                api_keys().await,
                kommune_choices().await,
                crate::auth::take_form_flash("api-noegle".into())
                    .await
                    .ok()
                    .flatten(),
                crate::auth::take_form_flash("api-noegle-spaer".into())
                    .await
                    .ok()
                    .flatten(),
            )
        },
    );
    view! {
        <Title text="API-nøgler" />
        <p><a href="/support">"Tilbage til support"</a></p>
        <h1>"API-nøgler til kommunesystemer"</h1>
        <p class="lead">
            "Med en nøgle kan en kommunes system (fx pladsanvisningen) oprette, rette og lukke kommunens dagtilbud "
            "og læse deres indberetning gennem "<a href="/api/v1/openapi.json">"API'et"</a>". Nøglen vises kun, når den laves."
        </p>
        {move || query.read().get("spaerret").map(|_| view! {
            <div class="alert alert-success" role="status"><p>"Nøglen er spærret. Systemer, der bruger den, bliver afvist fra nu af."</p></div>
        })}
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let (keys, kommuner, flash, revoke_flash) = data.await;
                let (keys, kommuner) = match (keys, kommuner) {
                    (Ok(keys), Ok(kommuner)) => (keys, kommuner),
                    (Err(error), _) | (_, Err(error)) => return view! { <crate::pages::ErrorAlert error /> }.into_any(),
                };
                let flash = flash.unwrap_or_default();
                let errors = FormErrors::new(flash.errors.clone());
                let value = |name: &str| flash.values.get(name).cloned().unwrap_or_default();
                let revoke_error = Signal::derive(move || match revoke.value().get() {
                    Some(Err(error)) => Some(error.to_string()),
                    _ => revoke_flash.as_ref().and_then(|f| f.errors.values().next().cloned()),
                });
                view! {
                    {move || revoke_error.get().map(|message| view! { <div class="alert alert-error" role="alert"><p>{message}</p></div> })}
                    <KeyTable keys revoke />
                    <section aria-labelledby="ny-noegle">
                        <h2 id="ny-noegle">"Lav en nøgle"</h2>
                        <ErrorSummary errors fields=vec!["kommunekode".into(), "navn".into()] />
                        <form method="post" action="/support/api-noegler/ny" class="form" novalidate>
                            <SelectField name="kommunekode" label="Kommune" options=kommune_options(&kommuner) value=value("kommunekode") placeholder="Vælg kommune" errors />
                            <TextField name="navn" label="Hvad nøglen bruges til" value=value("navn") errors hint="Fx Pladsanvisningen (leverandør). Højst 100 tegn." />
                            <button type="submit" class="button">"Lav nøgle"</button>
                        </form>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKeyFacts>, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    if keys.is_empty() {
        return view! { <p>"Der er ingen nøgler endnu."</p> }.into_any();
    }
    let rows = keys
        .into_iter()
        .map(|key| {
            let label = format!("Spær {} ({})", key.label, key.kommune);
            view! {
                <tr>
                    <td>{key.kommune}</td>
                    <td>{key.label}</td>
                    <td><code>{key.prefix}</code></td>
                    <td>{key.created}</td>
                    <td>{key.last_used.unwrap_or_else(|| "Aldrig".into())}</td>
                    <td>
                        {match key.revoked {
                            Some(when) => view! { {format!("Spærret {when}")} }.into_any(),
                            None => view! {
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="id" value=key.id />
                                    <button type="submit" class="button button-danger button-small" aria-label=label>"Spær"</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <super::PagedTable
            caption="API-nøgler"
            headings=&["Kommune", "Bruges til", "Begynder med", "Lavet", "Senest brugt", "Status"]
        >
            {rows}
        </super::PagedTable>
    }
    .into_any()
}
