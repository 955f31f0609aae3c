//! One-time secrets (letter codes, generated administrator passwords),
//! choosing and changing passwords, attempts counted before the check, and a
//! log-out that stays final.

use std::time::Duration;

use crate::helpers::{admin, app_error, institution_with_password, issue_code, spawn_app, TestApp};
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const NEW_PASSWORD: &str = "en anden lang adgangskode";
const SKANDERBORG: i16 = 746;

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn form_error(response: reqwest::Response, field: &str) -> String {
    assert_eq!(response.status(), 422);
    match app_error(response).await {
        AppError::Validation(errors) => errors.get(field).cloned().unwrap_or_else(|| panic!("{errors:?}")),
        other => panic!("a validation error, not {other:?}"),
    }
}

async fn change(client: &TestApp, current: &str, new: &str) -> reqwest::Response {
    client
        .call(
            "skift_adgangskode",
            &[
                ("nuvaerende_adgangskode", current),
                ("ny_adgangskode", new),
                ("gentag_adgangskode", new),
            ],
        )
        .await
}

async fn password_hash(pool: &PgPool, nummer: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT a.password_hash FROM institution_accounts a JOIN institutions i ON i.id = a.institution_id WHERE i.nummer = $1",
    )
    .bind(nummer)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_a_session_that_must_choose_may_choose_a_password(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10001", SKANDERBORG, PASSWORD).await;
    assert_eq!(app.login_institution("U10001", PASSWORD).await.status(), 200);
    let before = password_hash(&app.pool, "U10001").await;

    // Someone at an unattended, logged-in computer cannot set a new password
    // without knowing the current one.
    let refused = app
        .call(
            "vaelg_adgangskode",
            &[
                ("ny_adgangskode", NEW_PASSWORD),
                ("gentag_adgangskode", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(password_hash(&app.pool, "U10001").await, before);
    // The page itself sends a logged-in user on.
    assert_eq!(app.get("/vaelg-adgangskode").await.status(), 303);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn changing_a_password_needs_the_current_one_and_ends_the_other_sessions(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10002", SKANDERBORG, PASSWORD).await;
    let here = app.fresh_client();
    let elsewhere = app.fresh_client();
    for client in [&here, &elsewhere] {
        assert_eq!(client.login_institution("U10002", PASSWORD).await.status(), 200);
    }
    let page = here.get("/skift-adgangskode").await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()["cache-control"],
        "no-store",
        "pages of a logged-in user are not kept"
    );
    let page = page.text().await.unwrap();
    assert!(page.contains("Nuværende adgangskode") && page.contains("autocomplete=\"current-password\""));

    let wrong = form_error(
        change(&here, "forkert adgangskode", NEW_PASSWORD).await,
        "nuvaerende_adgangskode",
    )
    .await;
    assert!(wrong.contains("forkert"), "{wrong}");
    let same = form_error(change(&here, PASSWORD, PASSWORD).await, "ny_adgangskode").await;
    assert!(same.contains("en anden end den, du bruger nu"), "{same}");
    let short = form_error(change(&here, PASSWORD, "kort").await, "ny_adgangskode").await;
    assert!(short.contains("mindst 12"), "{short}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'log_ind_afvist' AND details->>'aarsag' = 'forkert nuværende adgangskode'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    let changed = change(&here, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        here.get("/indberetning").await.status(),
        200,
        "this session goes on"
    );
    assert_eq!(
        elsewhere.get("/indberetning").await.status(),
        303,
        "every other session ended"
    );
    let fresh = app.fresh_client();
    assert_eq!(fresh.login_institution("U10002", PASSWORD).await.status(), 422);
    assert_eq!(
        fresh.login_institution("U10002", NEW_PASSWORD).await.status(),
        200
    );

    // Anonymous callers cannot change anything.
    assert_eq!(
        change(&app.fresh_client(), NEW_PASSWORD, PASSWORD).await.status(),
        401
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_current_password_check_is_throttled_like_a_log_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10003", SKANDERBORG, PASSWORD).await;
    assert_eq!(app.login_institution("U10003", PASSWORD).await.status(), 200);
    for _ in 0..5 {
        assert_eq!(
            change(&app, "forkert adgangskode", NEW_PASSWORD).await.status(),
            422
        );
    }
    assert_eq!(
        change(&app, PASSWORD, NEW_PASSWORD).await.status(),
        429,
        "even the right one waits"
    );
    app.clock.advance(Duration::from_secs(31));
    assert_eq!(change(&app, PASSWORD, NEW_PASSWORD).await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn attempts_sent_together_are_counted_before_the_check(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10004", SKANDERBORG, PASSWORD).await;
    let attempts = (0..10).map(|_| {
        let client = app.fresh_client();
        async move {
            client
                .login_institution("U10004", "forkert kodeord")
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let wrong = statuses.iter().filter(|s| s.as_u16() == 422).count();
    let throttled = statuses.iter().filter(|s| s.as_u16() == 429).count();
    assert_eq!((wrong, throttled), (5, 5), "{statuses:?}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'log_ind_afvist' AND details->>'aarsag' = 'for mange forsøg'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 5, "throttled attempts are audited too");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_letter_code_expires_and_never_becomes_the_password(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = institution_with_password(&app.pool, "U10005", SKANDERBORG, PASSWORD).await;
    let code = issue_code(&app.pool, id).await;
    let printed = app::auth::codes::format_code(&code);
    assert_eq!(app.login_institution("U10005", &printed).await.status(), 200);
    let same = app
        .call(
            "vaelg_adgangskode",
            &[
                ("ny_adgangskode", &printed.to_lowercase()),
                ("gentag_adgangskode", &printed.to_lowercase()),
            ],
        )
        .await;
    let message = form_error(same, "ny_adgangskode").await;
    assert!(message.contains("engangskoden fra brevet"), "{message}");
    let own = app
        .call(
            "vaelg_adgangskode",
            &[
                ("ny_adgangskode", NEW_PASSWORD),
                ("gentag_adgangskode", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(own.status(), 200);
    let kept: Option<String> =
        sqlx::query_scalar("SELECT used_code_hash FROM institution_accounts WHERE institution_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kept, None, "the used code's hash goes once a password is chosen");

    // A code nobody used stops working after 90 days (CODE_VALID_DAYS).
    let other = institution_with_password(&app.pool, "U10015", SKANDERBORG, PASSWORD).await;
    let old_code = issue_code(&app.pool, other).await;
    app.clock.advance(Duration::from_secs(91 * 24 * 3600));
    let expired = app.fresh_client().login_institution("U10015", &old_code).await;
    let message = form_error(expired, "form").await;
    assert!(
        message.contains("udløbet") && message.contains("kommunen"),
        "{message}"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_generated_admin_password_works_once_and_for_72_hours(pool: PgPool) {
    let app = spawn_app(pool).await;
    admin(
        &app.pool,
        "ny@kommune.example",
        "kommune",
        Some(SKANDERBORG),
        "genereret-start-kode",
        true,
    )
    .await;
    let first = app.fresh_client();
    let response = first
        .login_admin("ny@kommune.example", "genereret-start-kode")
        .await;
    assert_eq!(location(&response), "/vaelg-adgangskode");

    // A second log-in with it fails, even before a password is chosen.
    let again = app
        .fresh_client()
        .login_admin("ny@kommune.example", "genereret-start-kode")
        .await;
    let message = form_error(again, "form").await;
    assert!(message.contains("udløbet eller allerede brugt"), "{message}");

    admin(
        &app.pool,
        "sen@kommune.example",
        "kommune",
        Some(SKANDERBORG),
        "genereret-start-kode",
        true,
    )
    .await;
    app.clock.advance(Duration::from_secs(73 * 3600));
    let late = app
        .fresh_client()
        .login_admin("sen@kommune.example", "genereret-start-kode")
        .await;
    assert!(form_error(late, "form").await.contains("udløbet"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_deleted_session_is_not_brought_back_by_a_request_in_flight(pool: PgPool) {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    record.data.insert("auth".into(), serde_json::json!("logged in"));
    store.create(&mut record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_some());
    // Log-out deletes the row; a request that loaded the session before then
    // saves it at its end, as tower-sessions does.
    store.delete(&record.id).await.unwrap();
    store.save(&record).await.unwrap();
    assert!(
        store.load(&record.id).await.unwrap().is_none(),
        "the log-out is final"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn refused_requests_and_exports_of_personal_data_are_audited(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10006", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "A10006", 751, PASSWORD).await;
    let kommune = crate::helpers::kommune_admin(&app, SKANDERBORG).await;

    assert_eq!(
        kommune
            .call("profil_hent", &[("nummer", "A10006")])
            .await
            .status(),
        404
    );
    assert_eq!(kommune.get("/support").await.status(), 403);
    let csv = kommune.get("/kommune/eksport.csv").await;
    assert_eq!(csv.status(), 200);
    let cross_site = app
        .client
        .post(format!("{}/api/fn/log_ud", app.address))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);

    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT action, actor_role, coalesce(details->>'aarsag', details->>'udtraek') FROM audit_log
         WHERE action IN ('adgang_afvist', 'eksport_hentet') ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let rows: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, r, d)| (a.as_str(), r.as_str(), d.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "adgang_afvist",
                "kommune",
                "et dagtilbud uden for kontoens område"
            ),
            ("adgang_afvist", "kommune", "en anden rolles side"),
            ("eksport_hentet", "kommune", "dagtilbud.csv"),
            ("adgang_afvist", "anonym", "anmodning fra et andet websted"),
        ]
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn retention_removes_only_what_is_past_its_period(pool: PgPool) {
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES
           ('konto:gammel', 3, now() - interval '2 days', NULL),
           ('konto:spaerret', 9, now() - interval '2 days', now() + interval '1 minute'),
           ('konto:ny', 1, now(), NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_role, actor_label, action) VALUES
           (now() - interval '91 days', 'anonym', 'x', 'log_ind_afvist'),
           (now() - interval '89 days', 'anonym', 'y', 'log_ind_afvist'),
           (now() - interval '400 days', 'kommune', 'k@kommune.example', 'log_ind')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let pruned = server::retention::run(&pool).await.unwrap();
    assert_eq!(
        pruned,
        server::retention::Pruned {
            throttle_keys: 1,
            anonymous_audit_rows: 1,
            error_reports: 0
        }
    );
    let labels: Vec<String> = sqlx::query_scalar("SELECT actor_label FROM audit_log ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(labels, ["y", "k@kommune.example"]);
    // Outside the retention the log stays append-only.
    assert!(sqlx::query("DELETE FROM audit_log").execute(&pool).await.is_err());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_role_changes_only_its_own_password_and_never_chooses_without_a_one_time_secret(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "U10007", SKANDERBORG, PASSWORD).await;
    admin(
        &app.pool,
        "k@kommune.example",
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await;
    admin(&app.pool, "s@stil.example", "support", None, PASSWORD, false).await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("U10007", PASSWORD).await.status(),
        200
    );
    let kommune = app.fresh_client();
    assert_eq!(
        kommune.login_admin("k@kommune.example", PASSWORD).await.status(),
        200
    );
    let support = app.fresh_client();
    assert_eq!(
        support.login_admin("s@stil.example", PASSWORD).await.status(),
        200
    );
    let anonymous = app.fresh_client();
    let choose = [
        ("ny_adgangskode", NEW_PASSWORD),
        ("gentag_adgangskode", NEW_PASSWORD),
    ];

    for (who, client) in [
        ("institution", &institution),
        ("kommune", &kommune),
        ("support", &support),
    ] {
        assert_eq!(client.get("/skift-adgangskode").await.status(), 200, "{who}");
        assert_eq!(
            client.call("vaelg_adgangskode", &choose).await.status(),
            403,
            "{who}"
        );
        // Allowed to try: a wrong current password is a field error, not a refusal.
        let wrong = form_error(
            change(client, "ikke den rigtige", NEW_PASSWORD).await,
            "nuvaerende_adgangskode",
        )
        .await;
        assert!(wrong.contains("forkert"), "{who}: {wrong}");
    }
    assert_eq!(anonymous.call("vaelg_adgangskode", &choose).await.status(), 401);
    assert_eq!(change(&anonymous, PASSWORD, NEW_PASSWORD).await.status(), 401);
    let page = anonymous.get("/skift-adgangskode").await.text().await.unwrap();
    assert!(page.contains("Du skal være logget ind for at skifte adgangskode"));
}
