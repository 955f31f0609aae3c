//! Support's timeline of one institution's log-in: what happened in order,
//! who did it, nothing secret, and nobody else may read it.

use crate::helpers::{
    institution_with_password, kommune_admin, save_monday_hours, spawn_app, support_admin, SAME_ORIGIN,
};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_reads_an_institutions_log_in_story_newest_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "A31001", 751, PASSWORD).await;
    // A wrong password, then the right one and a save.
    let wrong = app.fresh_client();
    assert_eq!(
        wrong
            .login_institution("A31001", "ikke den rigtige adgangskode")
            .await
            .status(),
        422
    );
    save_monday_hours(&app, "A31001", PASSWORD, ("06:30", "17:00"), &[]).await;
    // Support issues a new code (a letter).
    let support = support_admin(&app).await;
    let letter = support
        .client
        .post(format!("{}/support/dagtilbud/A31001/kode", support.address))
        .header(SAME_ORIGIN.0, SAME_ORIGIN.1)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(letter.status(), 200);
    let letter = letter.text().await.unwrap();
    let code = letter
        .split("Skriv engangskoden: ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();

    let timeline: serde_json::Value = support
        .call("support_tidslinje", &[("nummer", "a31001")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        timeline["login"],
        "Venter på, at dagtilbuddet logger ind med sin nye engangskode."
    );
    assert_eq!(timeline["refused_today"], 1);
    let events: Vec<(String, String, String)> = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["what"].as_str().unwrap().to_string(),
                e["detail"].as_str().unwrap().to_string(),
                e["who"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("Engangskode udstedt", "", "hjaelp@stil.example"),
        ("Afsnit gemt", "Åbningstider", "Dagtilbuddet"),
        ("Log-ind", "", "Dagtilbuddet"),
        ("Afvist log-ind", "forkert kodeord", "Ikke logget ind"),
    ];
    let got: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expected, "newest first: {timeline}");
    // The page shows it; no code or password is anywhere in it.
    let page = support
        .get("/support/dagtilbud/A31001")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Log-in og hændelser") && page.contains("Engangskode udstedt"));
    let body = timeline.to_string();
    for secret in [code.as_str(), &code.replace('-', ""), PASSWORD] {
        assert!(!body.contains(secret) && !page.contains(secret), "{secret}");
    }

    // The code used: the timeline says so.
    assert_eq!(
        app.fresh_client()
            .login_institution("A31001", &code)
            .await
            .status(),
        200
    );
    let timeline: serde_json::Value = support
        .call("support_tidslinje", &[("nummer", "A31001")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(timeline["events"][0]["detail"], "med engangskoden");
    assert_eq!(
        timeline["login"],
        "Koden er brugt, men der er ikke valgt en adgangskode endnu."
    );
    let unknown = support.call("support_tidslinje", &[("nummer", "A39999")]).await;
    assert_eq!(unknown.status(), 404);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_support_reads_the_timeline(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "A31001", 751, PASSWORD).await;
    let kommune = kommune_admin(&app, 751).await;
    assert_eq!(
        kommune
            .call("support_tidslinje", &[("nummer", "A31001")])
            .await
            .status(),
        403
    );
    // The kommune's page of its own institution has no timeline.
    let page = kommune
        .get("/kommune/dagtilbud/A31001")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Log-in og hændelser"), "{page}");
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("A31001", PASSWORD).await.status(),
        200
    );
    assert_eq!(
        institution
            .call("support_tidslinje", &[("nummer", "A31001")])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.fresh_client()
            .call("support_tidslinje", &[("nummer", "A31001")])
            .await
            .status(),
        401
    );
}
