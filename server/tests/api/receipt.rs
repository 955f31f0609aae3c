//! The receipt of what is published now: as a page and a PDF, for the
//! institution and for administrators on its behalf, and for nobody else.

use crate::helpers::{institution_with_password, kommune_admin, save_monday_hours, spawn_app};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

/// How the PDF writes a (Latin-1) text: as a hex string.
fn pdf_hex(text: &str) -> String {
    text.chars().map(|c| format!("{:02X}", c as u32)).collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_receipt_shows_what_is_published_and_who_changed_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "C20001", 746, PASSWORD).await;
    let institution = save_monday_hours(&app, "C20001", PASSWORD, ("06:30", "17:00"), &[]).await;
    // The kommune changes the hours on its behalf.
    let kommune = kommune_admin(&app, 746).await;
    let saved = kommune
        .call(
            "aabningstider_gem",
            &[
                ("nummer", "C20001"),
                ("version", "1"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:45"),
                ("mandag_til", "17:00"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);

    let page = institution
        .get("/indberetning/kvittering")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Kvittering: "), "{page}");
    assert!(page.contains("06:45"), "what is published now: {page}");
    assert!(!page.contains("06:30"), "not what was replaced");
    assert!(page.contains("Version 2, ændret "), "{page}");
    // The institution sees that the kommune changed it, not who there.
    assert!(
        page.contains(" af Kommunen.") && !page.contains("admin746@kommune.example"),
        "{page}"
    );
    assert!(page.contains("Ikke udfyldt: intet offentliggjort."), "{page}");

    // The kommune's receipt names its administrator's log-in.
    let page = kommune
        .get("/kommune/dagtilbud/C20001/kvittering")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Kommunen (admin746@kommune.example)"), "{page}");

    // The same as a PDF, never cached.
    let pdf = institution.get("/indberetning/kvittering.pdf").await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(pdf.headers()["cache-control"], "no-store");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    for shown in ["Kvittering: ", "06:45", "Version 2"] {
        assert!(text.contains(&pdf_hex(shown)), "{shown} in {text}");
    }
    let pdf = kommune.get("/kommune/dagtilbud/C20001/kvittering.pdf").await;
    assert_eq!(pdf.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn nobody_else_gets_the_receipt(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "C20001", 746, PASSWORD).await;
    let other_kommune = kommune_admin(&app, 751).await;
    assert_eq!(
        other_kommune
            .get("/kommune/dagtilbud/C20001/kvittering.pdf")
            .await
            .status(),
        404
    );
    assert_eq!(
        other_kommune
            .call("kvittering", &[("nummer", "C20001")])
            .await
            .status(),
        404
    );
    // A kommune administrator cannot reach support's path either.
    assert_eq!(
        other_kommune
            .get("/support/dagtilbud/C20001/kvittering.pdf")
            .await
            .status(),
        403
    );
    // Not logged in: sent to log in first.
    let anonymous = app.fresh_client();
    let response = anonymous.get("/indberetning/kvittering.pdf").await;
    assert_eq!(response.status(), 303);
    assert!(crate::helpers::location_of(&response).starts_with("/log-ind"));
    assert_eq!(
        anonymous
            .get("/kommune/dagtilbud/C20001/kvittering.pdf")
            .await
            .status(),
        303
    );
    assert_eq!(anonymous.call("kvittering", &[]).await.status(), 401);
}
