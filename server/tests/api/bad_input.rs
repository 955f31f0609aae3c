//! Malformed, oversized and wrongly encoded requests to every server function
//! and every plain endpoint, from every kind of caller: never a 5xx, always an
//! answer with a message, and nothing written.

use crate::helpers::{institution_with_password, kommune_admin, spawn_app, TestApp};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

/// Reads whose arguments all have defaults (or that take none). A form with
/// unknown or unreadable fields is the same as an empty one to them, so they
/// answer; an institution's own reads ignore any number sent (it always works
/// on itself).
const READS_WITH_DEFAULTS: [&str; 25] = [
    "current_viewer",
    "take_form_flash",
    "landing_stats",
    "soeg",
    "sammenlign",
    "kommune_oversigt",
    "kommune_dagpleje",
    "kommune_lukkedage",
    "kommune_paamindelser",
    "kommune_udbakke",
    "institution_paamindelse",
    "kommune_tjek",
    "fejlmeldinger",
    "kommune_fejlmeldinger",
    "support_fejlmeldinger",
    "support_oversigt",
    "institution_stamdata",
    "afsnit_status",
    "historik",
    "forhaandsvisning",
    "profil_hent",
    "madordning_hent",
    "lukkedage_hent",
    "aabningstider_hent",
    "kontakt_hent",
];

/// Rows in every table a request could write (sessions aside: a request may
/// always refresh its own).
async fn written(pool: &PgPool) -> Vec<i64> {
    crate::helpers::row_counts(
        pool,
        &[
            "institutions",
            "institution_accounts",
            "admin_accounts",
            "audit_log",
            "institution_sections",
            "section_history",
            "kommune_key_figures",
            "kommune_closing_periods",
            "kommune_closing_history",
            "reminder_jobs",
            "reminder_messages",
            "kommune_reminder_templates",
            "error_reports",
            "login_throttle",
        ],
    )
    .await
}

fn payloads() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    vec![
        (
            "malformed form",
            form,
            b"%ZZ=%%&=&&version=abc&nummer=%00&pladser=1e999&kodeord".to_vec(),
        ),
        (
            "invalid UTF-8",
            form,
            [
                b"version=".as_slice(),
                &[0xff, 0xfe, 0xc3],
                b"&nummer=",
                &[0xc0, 0xaf],
            ]
            .concat(),
        ),
        ("broken JSON", "application/json", b"{\"version\": [1, 2".to_vec()),
        ("wrong type", "text/plain", b"\x00\x01\x02 not a form".to_vec()),
        // Beyond the 2 MiB request body limit.
        ("oversized", form, {
            let mut body = b"paedagogisk_profil=".to_vec();
            body.resize(3 * 1024 * 1024, b'a');
            body
        }),
    ]
}

async fn post(client: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    let response = client
        .client
        .post(format!("{}{}", client.address, path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_server_function_refuses_bad_payloads_without_5xx_or_writes(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "B10001", 746, PASSWORD).await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("B10001", PASSWORD).await.status(),
        200
    );
    let kommune = kommune_admin(&app, 746).await;
    let anonymous = app.fresh_client();
    let before = written(&app.pool).await;

    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        // Logging out needs no input and would end the callers' sessions.
        .filter(|path| !path.ends_with("/log_ud"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "every server function is reached: {paths:?}");

    let mut failures = Vec::new();
    for (who, client) in [
        ("anonymous", &anonymous),
        ("institution", &institution),
        ("kommune", &kommune),
    ] {
        for path in &paths {
            let endpoint = path.rsplit('/').next().unwrap_or_default();
            for (what, content_type, body) in payloads() {
                let (status, text) = post(client, path, content_type, body).await;
                let form = content_type.starts_with("application/x-www-form-urlencoded");
                let answers = READS_WITH_DEFAULTS.contains(&endpoint) && what != "oversized" && form;
                let ok = if answers {
                    status < 500
                } else {
                    (400..500).contains(&status)
                };
                if !ok || text.trim().is_empty() {
                    failures.push(format!("{who} {path} {what}: {status} {text:.120}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(written(&app.pool).await, before, "nothing was written");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_plain_endpoints_refuse_bad_input_with_4xx(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "B10002", 746, PASSWORD).await;
    let kommune = kommune_admin(&app, 746).await;
    let before = written(&app.pool).await;

    for path in [
        "/api/v1/dagtilbud?aabner=25:99",
        "/api/v1/dagtilbud?side=-1",
        "/api/v1/dagtilbud?side=99999999999999999999",
        "/api/v1/dagtilbud?alder=%FF%FE",
        "/api/v1/dagtilbud/%FF%FE",
        "/api/v1/dagtilbud/%3Cscript%3E",
        "/dagtilbud/%C0%AF",
        "/kommuner/99999999",
        "/kommuner/abc",
    ] {
        let response = app.get(path).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(!text.trim().is_empty(), "{path}: a message");
    }
    for (what, content_type, body) in payloads() {
        let (status, text) = post(&kommune, "/kommune/breve", content_type, body).await;
        assert!(
            (400..500).contains(&status),
            "letters, {what}: {status} {text:.200}"
        );
        assert!(!text.trim().is_empty());
    }
    assert_eq!(written(&app.pool).await, before, "nothing was written");
}
