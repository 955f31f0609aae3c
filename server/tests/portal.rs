//! The public portal: only active institutions, only what they saved, user
//! text always as text.

mod common;

use common::{institution_with_password, spawn_app};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const XSS: &str = "</textarea><script>alert(1)</script>";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_institution_page_shows_what_was_saved_as_text(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P10001", 746, PASSWORD).await;
    let anonymous = app.fresh_client();
    let before = anonymous.get("/dagtilbud/P10001").await;
    assert_eq!(before.status(), 200);
    let html = before.text().await.unwrap();
    assert!(html.contains("<title>Testbørnehaven P10001"), "a title per page");
    assert!(
        html.contains("har ikke indberettet dette endnu"),
        "clear wording for a missing section"
    );

    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("P10001", PASSWORD).await.status(),
        200
    );
    let text = format!("Vi er ude hver dag. {XSS}");
    let saved = institution
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", &text),
                ("alder_3_5", "on"),
                ("pladser", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);

    // The next reader sees the save at once, with the text escaped.
    let html = anonymous.get("/dagtilbud/p10001").await.text().await.unwrap();
    assert!(html.contains("Vi er ude hver dag."));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("Sidst opdateret"));
    // Nothing from the admin side.
    assert!(!html.contains("argon2") && !html.contains("epoch"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unknown_and_closed_institutions_are_not_found(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P10002", 746, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'P10002'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for path in ["/dagtilbud/P10002", "/dagtilbud/XXXXXX", "/dagtilbud/%3Cb%3E"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Siden findes ikke"), "{path}");
        assert!(!html.contains("Testbørnehaven P10002"));
    }
    assert_eq!(app.call("dagtilbud", &[("nummer", "P10002")]).await.status(), 404);
}
