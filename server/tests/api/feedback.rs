//! "Meld en fejl": anyone reports, within a budget and a size limit, and a
//! robot's report is dropped; the institution sees and handles its own; the
//! kommune sees those left open for 14 days; the e-mail never leaves them;
//! reports are deleted after their retention.

use crate::helpers::{
    institution_with_password, kommune_admin, location_of, spawn_app, spawn_app_with, support_admin,
};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

async fn report(app: &crate::helpers::TestApp, nummer: &str, besked: &str, email: &str) -> reqwest::Response {
    app.call(
        "meld_fejl",
        &[
            ("nummer", nummer),
            ("afsnit", "aabningstider"),
            ("besked", besked),
            ("email", email),
            ("firma", ""),
        ],
    )
    .await
}

async fn stored(pool: &PgPool) -> Vec<(String, Option<String>, bool)> {
    sqlx::query_as("SELECT message, email, handled_at IS NOT NULL FROM error_reports ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_parent_reports_and_the_institution_handles_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "M70001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "M70002", 746, PASSWORD).await;
    let parent = app.fresh_client();

    // The public page links to the form.
    let page = parent.get("/dagtilbud/M70001").await.text().await.unwrap();
    assert!(page.contains("href=\"/dagtilbud/M70001/meld-fejl\""));
    let form = parent
        .get("/dagtilbud/M70001/meld-fejl")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("Meld en fejl") && form.contains("Testbørnehaven M70001"),
        "{form}"
    );
    assert_eq!(parent.get("/dagtilbud/M79999/meld-fejl").await.status(), 404);

    // Bad input names each field; nothing is stored.
    let bad = parent
        .call(
            "meld_fejl",
            &[
                ("nummer", "M70001"),
                ("afsnit", "x"),
                ("besked", ""),
                ("email", "nej"),
                ("firma", ""),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("afsnit") && text.contains("besked") && text.contains("email"),
        "{text}"
    );
    let long = report(&parent, "M70001", &"x".repeat(1001), "").await;
    assert_eq!(long.status(), 422);

    // A report with markup stays text; a robot's is thanked and dropped.
    let sent = report(
        &parent,
        "M70001",
        "Der står 17, men I lukker 16. <script>alert(1)</script>",
        "mor@example.dk",
    )
    .await;
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
    let robot = parent
        .call(
            "meld_fejl",
            &[
                ("nummer", "M70001"),
                ("afsnit", "andet"),
                ("besked", "Køb billigt"),
                ("email", ""),
                ("firma", "Spam ApS"),
            ],
        )
        .await;
    assert_eq!(robot.status(), 200);
    assert_eq!(stored(&app.pool).await.len(), 1, "the robot's report is not kept");

    // Without JavaScript: back to the form with "sendt".
    let plain = parent
        .post_plain(
            "meld_fejl",
            &[
                ("nummer", "M70001"),
                ("afsnit", "kontakt"),
                ("besked", "Forkert telefon"),
                ("email", ""),
                ("firma", ""),
            ],
            "/dagtilbud/M70001/meld-fejl",
        )
        .await;
    assert!(plain.status().is_redirection(), "{}", plain.status());
    assert_eq!(location_of(&plain), "/dagtilbud/M70001/meld-fejl?sendt=1");

    // The institution sees its open reports, e-mail included, as text.
    let institution = app.fresh_client();
    institution.login_institution("M70001", PASSWORD).await;
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(start.contains("Fejlmeldinger fra forældre (2)"), "{start}");
    assert!(start.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !start.contains("<script>alert(1)"));
    assert!(start.contains("mailto:mor@example.dk"));
    // Another institution neither sees nor handles them.
    let other = app.fresh_client();
    other.login_institution("M70002", PASSWORD).await;
    assert!(!other
        .get("/indberetning")
        .await
        .text()
        .await
        .unwrap()
        .contains("Fejlmeldinger"));
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM error_reports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let theirs = other
        .call("fejlmelding_haandteret", &[("id", &id.to_string()), ("svar", "")])
        .await;
    assert_eq!(theirs.status(), 404);
    let anonymous = app
        .fresh_client()
        .call("fejlmelding_haandteret", &[("id", &id.to_string())])
        .await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app.fresh_client().call("fejlmeldinger", &[]).await.status(), 401);

    // The institution handles it with an answer; a second try is a conflict.
    let handled = institution
        .call(
            "fejlmelding_haandteret",
            &[("id", &id.to_string()), ("svar", "Rettet, tak.")],
        )
        .await;
    assert_eq!(handled.status(), 200, "{}", handled.text().await.unwrap());
    assert_eq!(
        institution
            .call("fejlmelding_haandteret", &[("id", &id.to_string())])
            .await
            .status(),
        409
    );
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(start.contains("Fejlmeldinger fra forældre (1)"));
    let answer: Option<String> = sqlx::query_scalar("SELECT answer FROM error_reports WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(answer.as_deref(), Some("Rettet, tak."));

    // The e-mail is never in the open data.
    let api = app.get("/api/v1/dagtilbud/M70001").await.text().await.unwrap();
    assert!(!api.contains("mor@example.dk"));
    let feed = app
        .get("/api/v1/dagtilbud/aendringer")
        .await
        .text()
        .await
        .unwrap();
    assert!(!feed.contains("mor@example.dk"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_kommune_sees_reports_left_open_and_each_address_has_a_budget(pool: PgPool) {
    let settings = app::ssr::Settings {
        reports_per_hour: 3,
        ..app::ssr::Settings::default()
    };
    let app = spawn_app_with(pool, settings).await;
    institution_with_password(&app.pool, "M70011", 746, PASSWORD).await;
    institution_with_password(&app.pool, "M70012", 751, PASSWORD).await;
    let parent = app.fresh_client();
    for n in 0..3 {
        assert_eq!(
            report(&parent, "M70011", &format!("Fejl {n}"), "").await.status(),
            200
        );
    }
    let spent = report(&parent, "M70011", "Fejl 4", "").await;
    assert_eq!(spent.status(), 429);
    assert!(spent.text().await.unwrap().contains("Prøv igen senere"));
    assert_eq!(stored(&app.pool).await.len(), 3);

    // Fresh reports are the institution's; after 14 days the kommune sees them.
    let kommune = kommune_admin(&app, 746).await;
    assert!(!kommune
        .get("/kommune")
        .await
        .text()
        .await
        .unwrap()
        .contains("Fejlmeldinger, som dagtilbuddene"));
    sqlx::query("UPDATE error_reports SET created_at = now() - interval '15 days' WHERE message = 'Fejl 0'")
        .execute(&app.pool)
        .await
        .unwrap();
    let start = kommune.get("/kommune").await.text().await.unwrap();
    assert!(
        start.contains("Fejlmeldinger, som dagtilbuddene ikke har håndteret (1)"),
        "{start}"
    );
    assert!(start.contains("Testbørnehaven M70011 (M70011)"));
    // A private institution's report stays with it and STIL support, who keep its page.
    institution_with_password(&app.pool, "M70013", 746, PASSWORD).await;
    sqlx::query("UPDATE institutions SET ejerform = 'privat' WHERE nummer = 'M70013'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO error_reports (institution_id, section, message, created_at)
         SELECT id, 'andet', 'Privat', now() - interval '20 days' FROM institutions WHERE nummer = 'M70013'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let start = kommune.get("/kommune").await.text().await.unwrap();
    assert!(start.contains("Fejlmeldinger, som dagtilbuddene ikke har håndteret (1)"));
    assert!(!start.contains("Testbørnehaven M70013 (M70013): Andet på siden"));
    // Support, who keeps private institutions' pages, sees it and handles it.
    let support = support_admin(&app).await;
    let theirs = support.get("/support").await.text().await.unwrap();
    assert!(
        theirs.contains("Fejlmeldinger på private dagtilbud, som ikke er håndteret (1)")
            && theirs.contains("Testbørnehaven M70013 (M70013): Andet på siden"),
        "{theirs}"
    );
    let private: i64 = sqlx::query_scalar("SELECT id FROM error_reports WHERE message = 'Privat'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        kommune
            .call("fejlmelding_haandteret", &[("id", &private.to_string())])
            .await
            .status(),
        403,
        "the kommune does not keep a private institution's page"
    );
    assert_eq!(
        support
            .call("fejlmelding_haandteret", &[("id", &private.to_string())])
            .await
            .status(),
        200
    );
    assert_eq!(kommune.call("support_fejlmeldinger", &[]).await.status(), 403);
    // Another kommune does not see it, nor may it handle it; the kommune may.
    let aarhus = kommune_admin(&app, 751).await;
    assert!(!aarhus
        .get("/kommune")
        .await
        .text()
        .await
        .unwrap()
        .contains("M70011"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM error_reports WHERE message = 'Fejl 0'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        aarhus
            .call("fejlmelding_haandteret", &[("id", &id.to_string())])
            .await
            .status(),
        404
    );
    assert_eq!(support.call("kommune_fejlmeldinger", &[]).await.status(), 403);
    assert_eq!(
        kommune
            .call("fejlmelding_haandteret", &[("id", &id.to_string())])
            .await
            .status(),
        200
    );

    // Retention: handled long ago, or very old, goes with its e-mail.
    sqlx::query("UPDATE error_reports SET handled_at = now() - interval '91 days' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE error_reports SET created_at = now() - interval '366 days' WHERE message = 'Fejl 1'")
        .execute(&app.pool)
        .await
        .unwrap();
    let pruned = server::retention::run(&app.pool).await.unwrap();
    assert_eq!(pruned.error_reports, 2);
    assert_eq!(stored(&app.pool).await.len(), 2);
}
