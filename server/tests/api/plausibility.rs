//! Plausibility warnings ("Er det rigtigt?"): they name the figure they
//! compare with, never block a save, show on the section page and in the
//! kommune's review list, and only the kommune reads that list.

use crate::helpers::{institution_with_password, kommune_admin, spawn_app, support_admin};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn warnings_ask_without_blocking_and_reach_the_kommunes_list(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P40001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "P40002", 751, PASSWORD).await;
    // Five other børnehaver with long profiles give the type's median (with
    // P40001's own short one, the lower middle of six: 1010).
    for n in 0..5 {
        let id = institution_with_password(&app.pool, &format!("P4010{n}"), 751, PASSWORD).await;
        sqlx::query(
            "INSERT INTO institution_sections (institution_id, section, data, version, updated_by_role, updated_by_label)
             VALUES ($1, 'profil', jsonb_build_object('paedagogisk_profil', repeat('x', $2)), 1, 'institution', 'test')",
        )
        .bind(id)
        .bind(1000 + n * 10)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let client = app.fresh_client();
    assert_eq!(client.login_institution("P40001", PASSWORD).await.status(), 200);

    // A profile far shorter than the type's median names the median.
    let profil = client
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", "Vi leger."),
                ("alder_3_5", "on"),
                ("pladser", "40"),
            ],
        )
        .await;
    assert_eq!(profil.status(), 200);
    let meta: serde_json::Value = profil.json().await.unwrap();
    let message = meta["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("er på 9 tegn. Børnehaver skriver typisk 1010 tegn (medianen)"),
        "{message}"
    );

    // Opening at 05:00 is saved, and asked about with the limit it passed.
    let hours = client
        .call(
            "aabningstider_gem",
            &[
                ("version", "0"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "05:00"),
                ("mandag_til", "16:00"),
                ("tirsdag_aaben", "on"),
                ("tirsdag_fra", "06:30"),
                ("tirsdag_til", "17:00"),
            ],
        )
        .await;
    assert_eq!(hours.status(), 200, "a warning never blocks a save");
    let meta: serde_json::Value = hours.json().await.unwrap();
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["warnings"][0]["field"], "mandag_fra");
    let message = meta["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Er det rigtigt? I åbner kl. 05.00 om mandagen"),
        "{message}"
    );
    assert!(message.contains("kl. 05.30"));

    // The section page shows the warning above its field, and the loaded meta carries it.
    let page = client
        .get("/indberetning/aabningstider")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Er det rigtigt?") && page.contains("mandag_fra-advarsel"),
        "{page}"
    );
    let loaded: serde_json::Value = client.call("profil_hent", &[]).await.json().await.unwrap();
    assert_eq!(loaded["meta"]["warnings"][0]["field"], "paedagogisk_profil");

    // A plausible week has none.
    let fixed = client
        .call(
            "aabningstider_gem",
            &[
                ("version", "1"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:00"),
                ("mandag_til", "16:00"),
            ],
        )
        .await;
    let meta: serde_json::Value = fixed.json().await.unwrap();
    assert_eq!(meta["warnings"], serde_json::json!([]));

    // The kommune's review list has what is left, linked to the section.
    let kommune = kommune_admin(&app, 746).await;
    let list = kommune.get("/kommune/tjek").await.text().await.unwrap();
    assert!(list.contains("1 advarsler hos 1 dagtilbud."), "{list}");
    assert!(
        list.contains("/kommune/dagtilbud/P40001/profil")
            && list.contains("Børnehaver skriver typisk 1010 tegn")
    );
    assert!(!list.contains("05.00"), "a fixed warning is gone");
    // Another kommune's list does not show it; others may not read a list.
    let aarhus = kommune_admin(&app, 751).await;
    let theirs = aarhus.get("/kommune/tjek").await.text().await.unwrap();
    assert!(!theirs.contains("P40001"));
    assert_eq!(client.call("kommune_tjek", &[]).await.status(), 403);
    assert_eq!(
        support_admin(&app).await.call("kommune_tjek", &[]).await.status(),
        403
    );
    assert_eq!(app.fresh_client().call("kommune_tjek", &[]).await.status(), 401);
}
