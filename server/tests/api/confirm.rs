//! "Bekræft at oplysningerne stadig er rigtige": a confirmation without a
//! change, recorded beside the history and in the audit log, shown to
//! parents, and what keeps a section from counting as stale.

use crate::helpers::{institution_with_password, kommune_admin, save_monday_hours, spawn_app, TestApp};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

/// "Bekræft at oplysningerne stadig er rigtige" for `afsnit` at `version`
/// (of `nummer` for an administrator): the answer's status.
async fn confirm(client: &TestApp, nummer: Option<&str>, afsnit: &str, version: &str) -> u16 {
    let mut form = vec![("afsnit", afsnit), ("version", version)];
    form.extend(nummer.map(|n| ("nummer", n)));
    client.call("afsnit_bekraeft", &form).await.status().as_u16()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_confirmation_changes_nothing_but_is_recorded_and_shown(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "C10001", 746, PASSWORD).await;
    let institution = save_monday_hours(&app, "C10001", PASSWORD, ("06:30", "17:00"), &[]).await;

    // Never saved: nothing to confirm.
    assert_eq!(confirm(&institution, None, "profil", "0").await, 409);
    // A stale version: a conflict naming the newer one.
    assert_eq!(confirm(&institution, None, "aabningstider", "0").await, 409);
    // The version loaded: recorded without a change.
    assert_eq!(confirm(&institution, None, "aabningstider", "1").await, 200);
    let (version, confirmed_by): (i32, Option<String>) = sqlx::query_as(
        "SELECT version, confirmed_by_role FROM institution_sections WHERE section = 'aabningstider'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (version, confirmed_by.as_deref()),
        (1, Some("institution")),
        "no new version"
    );
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM section_history").await,
        1,
        "no change in the history"
    );
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM section_confirmations").await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'afsnit_bekraeftet'"
        )
        .await,
        1
    );

    // Parents see when it was confirmed; the form page too.
    let public = app.get("/dagtilbud/C10001").await.text().await.unwrap();
    assert!(public.contains(", bekræftet rigtig "), "{public}");
    let page = institution
        .get("/indberetning/aabningstider")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bekræftet rigtig") && page.contains("Bekræft at oplysningerne stadig er rigtige"));

    // Without JavaScript: back to the section page, which says how it went.
    let plain = institution
        .post_plain(
            "afsnit_bekraeft",
            &[("afsnit", "aabningstider"), ("version", "1")],
            "/indberetning/aabningstider",
        )
        .await;
    assert_eq!(
        plain.headers()["location"],
        "/indberetning/aabningstider?bekraeftet=1"
    );
    let refused = institution
        .post_plain(
            "afsnit_bekraeft",
            &[("afsnit", "aabningstider"), ("version", "7")],
            "/indberetning/aabningstider",
        )
        .await;
    assert_eq!(
        refused.headers()["location"],
        "/indberetning/aabningstider?bekraeftet=fejl"
    );
    let page = institution
        .get("/indberetning/aabningstider?bekraeftet=fejl")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bekræftelsen blev ikke gemt"), "{page}");
    assert!(
        page.contains("value=\"06:30\""),
        "the section's own form keeps its values"
    );

    // Another kommune's administrator cannot confirm it; its own can.
    let aarhus = kommune_admin(&app, 751).await;
    assert_eq!(confirm(&aarhus, Some("C10001"), "aabningstider", "1").await, 404);
    let own = kommune_admin(&app, 746).await;
    assert_eq!(confirm(&own, Some("C10001"), "aabningstider", "1").await, 200);
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM section_confirmations").await,
        3
    );
    assert_eq!(
        institution
            .call("afsnit_bekraeft", &[("afsnit", "ukendt"), ("version", "1")])
            .await
            .status(),
        404
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_section_neither_changed_nor_confirmed_for_half_a_year_is_stale(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "C20001", 746, PASSWORD).await;
    let institution = save_monday_hours(&app, "C20001", PASSWORD, ("06:30", "17:00"), &[]).await;
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(
        !start.contains("hverken ændret eller bekræftet") && !start.contains("Bør ses efter"),
        "{start}"
    );

    // Saved seven months ago: the start page asks for a look.
    sqlx::query("UPDATE institution_sections SET updated_at = now() - interval '210 days'")
        .execute(&app.pool)
        .await
        .unwrap();
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(
        start.contains("hverken ændret eller bekræftet") && start.contains("Bør ses efter"),
        "{start}"
    );
    // The kommune sees it on the institution's page as well.
    let kommune = kommune_admin(&app, 746).await;
    let admin_page = kommune
        .get("/kommune/dagtilbud/C20001")
        .await
        .text()
        .await
        .unwrap();
    assert!(admin_page.contains("Bør ses efter"), "{admin_page}");
    // A confirmation makes it current again, without a change.
    assert_eq!(confirm(&institution, None, "aabningstider", "1").await, 200);
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(
        !start.contains("Bør ses efter") && start.contains("bekræftet"),
        "{start}"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_kommune_overview_filters_and_sorts_by_stale_sections(pool: PgPool) {
    let app = spawn_app(pool).await;
    for nummer in ["C20001", "C20002"] {
        institution_with_password(&app.pool, nummer, 746, PASSWORD).await;
    }
    let first = save_monday_hours(&app, "C20001", PASSWORD, ("06:30", "17:00"), &[]).await;
    save_monday_hours(&app, "C20002", PASSWORD, ("07:00", "16:00"), &[]).await;
    sqlx::query(
        "UPDATE institution_sections SET updated_at = now() - interval '210 days' \
         WHERE institution_id = (SELECT id FROM institutions WHERE nummer = 'C20001')",
    )
    .execute(&app.pool)
    .await
    .unwrap();

    let kommune = kommune_admin(&app, 746).await;
    let stale = |page: &serde_json::Value| -> Vec<String> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["nummer"].as_str().unwrap().to_string())
            .collect()
    };
    let page: serde_json::Value = kommune
        .call("kommune_oversigt", &[("filter[foraeldet]", "true")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stale(&page), ["C20001"]);
    assert_eq!(page["rows"][0]["stale"], 1);
    assert_eq!(page["summary"]["stale"], 1);
    assert_eq!(page["stale_after_days"], 182);

    // Longest since looked at first.
    let sorted: serde_json::Value = kommune
        .call("kommune_oversigt", &[("filter[sorter]", "bekraeftet")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stale(&sorted), ["C20001", "C20002"]);

    // The same view without JavaScript, as a bookmarkable address.
    let html = kommune.get("/kommune?foraeldet=1").await.text().await.unwrap();
    assert!(html.contains(">C20001<") && !html.contains(">C20002<"), "{html}");
    assert!(
        html.contains("1 dagtilbud har afsnit, der bør ses efter"),
        "{html}"
    );

    // A confirmation takes it off the list.
    assert_eq!(confirm(&first, None, "aabningstider", "1").await, 200);
    let page: serde_json::Value = kommune
        .call("kommune_oversigt", &[("filter[foraeldet]", "true")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["matching"], 0);
    assert_eq!(page["summary"]["stale"], 0);
}
