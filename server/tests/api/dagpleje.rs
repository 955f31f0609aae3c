//! Kommunal dagpleje, reported by the kommune: a dagplejeområde is created by
//! the kommune's administrator, has no log-in, carries a sixth section
//! (gæstedagpleje), and parents find it on the portal. Only the area is
//! described, never the dagplejere as persons.

use crate::helpers::{
    app_error, institution_with_password, kommune_admin, spawn_app, support_admin, TestApp,
};
use app::error::AppError;
use serde_json::Value;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;

const AREA: [(&str, &str); 8] = [
    ("navn", "Dagplejen Ry og Låsby"),
    ("institution_type", "dagpleje"),
    ("ejerform", "kommunal"),
    ("vejnavn", "Rådhusvej"),
    ("husnummer", "2"),
    ("postnummer", "8680"),
    ("omraade_postnumre", "8680, 8670"),
    ("dagplejere", "18"),
];

const GUEST: [(&str, &str); 3] = [
    ("ordning", "gaestehus"),
    ("sted", "Gæstehuset Mejsen, Skolevej 4, 8680 Ry"),
    ("beskrivelse", "I får besked fra dagplejekontoret inden kl. 7."),
];

/// A form with `nummer` and `version` before `fields`.
fn on_behalf<'a>(
    nummer: &'a str,
    version: &'a str,
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("nummer", nummer), ("version", version)];
    form.extend_from_slice(fields);
    form
}

async fn create_area(kommune: &TestApp) -> String {
    let created = kommune.call("kommune_opret_dagtilbud", &AREA).await;
    assert_eq!(created.status(), 200);
    created.json::<String>().await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_kommune_reports_its_dagpleje_and_parents_find_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let nummer = create_area(&kommune).await;
    let (kind, area, dagplejere): (String, Vec<i16>, i32) = sqlx::query_as(
        "SELECT institution_type, omraade_postnumre, dagplejere FROM institutions WHERE nummer = $1",
    )
    .bind(&nummer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (kind.as_str(), area, dagplejere),
        ("dagpleje", vec![8680, 8670], 18)
    );

    // Its page offers the six sections and no log-in letter.
    let page = kommune
        .get(&format!("/kommune/dagtilbud/{nummer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Gæstedagpleje") && page.contains("intet log-in"),
        "{page}"
    );
    assert!(page.contains("8680, 8670"));
    assert!(!page.contains("Lav et nyt log-in-brev"), "{page}");

    // The kommune reports gæstedagpleje and the profile, with history.
    let saved = kommune
        .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &GUEST))
        .await;
    assert_eq!(saved.status(), 200);
    let profil = [
        (
            "paedagogisk_profil",
            "Små grupper i dagplejernes hjem, legestue hver uge.",
        ),
        ("alder_0_2", "on"),
        ("pladser", "70"),
    ];
    assert_eq!(
        kommune
            .call("profil_gem", &on_behalf(&nummer, "0", &profil))
            .await
            .status(),
        200
    );
    let stale = kommune
        .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &GUEST))
        .await;
    assert_eq!(stale.status(), 409, "a stale edit is a conflict");
    let history = kommune
        .get(&format!("/kommune/dagtilbud/{nummer}/historik"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Gæstedagpleje") && history.contains("Kommunen"),
        "{history}"
    );

    // The kommune's start page lists the area with what is reported.
    let start = kommune.get("/kommune").await.text().await.unwrap();
    assert!(
        start.contains("Dagplejen Ry og Låsby") && start.contains("Gæstedagpleje: udfyldt"),
        "{start}"
    );

    // Parents: the page, search by type and by a postnummer the area covers.
    let public = app
        .get(&format!("/dagtilbud/{nummer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("Kommunal dagpleje (0–2 år)"));
    assert!(public.contains("Området dækker postnumrene") && public.contains("8680, 8670"));
    assert!(public.contains("Gæstehuset Mejsen, Skolevej 4, 8680 Ry"));
    assert!(
        public.contains("Kommunen har ikke indberettet dette endnu."),
        "missing sections say who reports"
    );
    for search in ["/?type=dagpleje", "/?q=8670"] {
        let html = app.get(search).await.text().await.unwrap();
        assert!(html.contains("Dagplejen Ry og Låsby"), "{search}: {html}");
    }
    let record: Value = app
        .get(&format!("/api/v1/dagtilbud/{nummer}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["type"], "Kommunal dagpleje (0–2 år)");
    assert_eq!(record["omraade_postnumre"], serde_json::json!([8680, 8670]));
    assert_eq!(record["dagplejere"], 18);
    assert_eq!(record["gaestedagpleje"]["data"]["ordning"], "gaestehus");
    // Only the area: no field could hold a dagplejer's name or home.
    let mut keys: Vec<&str> = record.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "aabningstider",
            "adresse",
            "breddegrad",
            "dagplejere",
            "ejerform",
            "gaestedagpleje",
            "kommune",
            "kontakt",
            "laengdegrad",
            "lukkedage",
            "lukkedage_i_aar",
            "lukkedage_naeste_aar",
            "madordning",
            "navn",
            "nummer",
            "omraade_postnumre",
            "profil",
            "type"
        ]
    );
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["components"]["schemas"]["ApiInstitution"]["properties"]["gaestedagpleje"].is_object());
    let csv = app.get("/api/v1/dagtilbud.csv").await.text().await.unwrap();
    assert!(csv.contains("dagplejens postnumre;dagplejere"), "{csv}");
    let line = csv.lines().find(|l| l.starts_with(&nummer)).unwrap();
    assert!(
        line.contains(";dagpleje;kommunal;") && line.contains(";8680 8670;18;"),
        "{line}"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_the_own_kommune_and_support_report_a_dagpleje_and_nobody_logs_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let nummer = create_area(&kommune).await;

    // Another kommune: not found, for reading and for saving.
    let aarhus = kommune_admin(&app, AARHUS).await;
    assert_eq!(
        aarhus
            .get(&format!("/kommune/dagtilbud/{nummer}/gaestedagpleje"))
            .await
            .status(),
        404
    );
    assert_eq!(
        aarhus
            .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &GUEST))
            .await
            .status(),
        404
    );

    // Support reports for any kommune's dagpleje.
    let support = support_admin(&app).await;
    assert_eq!(
        support
            .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &GUEST))
            .await
            .status(),
        200
    );
    let role: String = sqlx::query_scalar(
        "SELECT updated_by_role FROM institution_sections WHERE section = 'gaestedagpleje'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(role, "support");

    // An institution has no gæstedagpleje, and cannot reach the dagpleje's.
    institution_with_password(&app.pool, "S90001", SKANDERBORG, PASSWORD).await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("S90001", PASSWORD).await.status(),
        200
    );
    assert_eq!(
        institution
            .call("gaestedagpleje_gem", &on_behalf("", "0", &GUEST))
            .await
            .status(),
        404
    );
    assert_eq!(
        institution
            .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &GUEST))
            .await
            .status(),
        404
    );
    assert_eq!(
        kommune
            .call("gaestedagpleje_hent", &[("nummer", "S90001")])
            .await
            .status(),
        404
    );

    // No log-in: no letter, no code from support or the CLI path.
    let letters = kommune
        .client
        .post(format!("{}/kommune/breve", kommune.address))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("nummer={nummer}&format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(letters.status(), 404);
    let id: i64 = sqlx::query_scalar("SELECT id FROM institutions WHERE nummer = $1")
        .bind(&nummer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let actor = app::audit::Actor::system("test");
    let refused = app::auth::codes::issue_institution_code(&app.pool, id, &actor, None).await;
    assert!(
        matches!(refused, Err(AppError::Conflict(ref m)) if m.contains("intet log-in")),
        "{refused:?}"
    );
    let accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM institution_accounts WHERE institution_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(accounts, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_dagpleje_area_is_checked_and_the_form_comes_back_filled_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let mut form = AREA.to_vec();
    form.retain(|(k, _)| !["ejerform", "omraade_postnumre", "dagplejere"].contains(k));
    form.extend([
        ("ejerform", "selvejende"),
        ("omraade_postnumre", "8680, 86"),
        ("dagplejere", "mange"),
    ]);
    let AppError::Validation(errors) = app_error(kommune.call("kommune_opret_dagtilbud", &form).await).await
    else {
        panic!("a validation error")
    };
    assert!(errors["ejerform"].contains("altid kommunal"));
    assert!(errors["omraade_postnumre"].contains("«86» er ikke et postnummer"));
    assert!(errors["dagplejere"].contains("helt tal"));

    // A postnummer that does not exist is named once the rest is valid.
    let mut unknown = AREA.to_vec();
    unknown.retain(|(k, _)| *k != "omraade_postnumre");
    unknown.push(("omraade_postnumre", "8680, 1001"));
    let AppError::Validation(errors) =
        app_error(kommune.call("kommune_opret_dagtilbud", &unknown).await).await
    else {
        panic!("a validation error")
    };
    assert!(
        errors["omraade_postnumre"].contains("1001 findes ikke"),
        "{errors:?}"
    );

    // Without JavaScript the form comes back with what was typed.
    let plain = kommune
        .post_plain("kommune_opret_dagtilbud", &form, "/kommune/nyt-dagtilbud")
        .await;
    assert!(plain.status().is_redirection());
    let page = kommune.get("/kommune/nyt-dagtilbud").await.text().await.unwrap();
    assert!(
        page.contains("value=\"8680, 86\"") && page.contains("value=\"mange\""),
        "{page}"
    );

    // The gæstedagpleje form names its fields; nothing half-written.
    let nummer = create_area(&kommune).await;
    let bad = [("ordning", "gaestehus"), ("sted", ""), ("beskrivelse", "")];
    let AppError::Validation(errors) = app_error(
        kommune
            .call("gaestedagpleje_gem", &on_behalf(&nummer, "0", &bad))
            .await,
    )
    .await
    else {
        panic!("a validation error")
    };
    assert!(errors["sted"].contains("gæstehusets navn og adresse"));
    assert!(errors["beskrivelse"].contains("Beskriv kort"));
    let page = kommune
        .get(&format!("/kommune/dagtilbud/{nummer}/gaestedagpleje"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("skriv ikke dagplejeres navne eller hjemmeadresser"),
        "{page}"
    );
    // An institution never becomes a dagpleje (it has a log-in), nor back.
    institution_with_password(&app.pool, "S90002", SKANDERBORG, PASSWORD).await;
    let mut to_dagpleje = AREA.to_vec();
    to_dagpleje.extend([("nummer", "S90002"), ("version", "1")]);
    let AppError::Validation(errors) =
        app_error(kommune.call("kommune_ret_dagtilbud", &to_dagpleje).await).await
    else {
        panic!("a validation error")
    };
    assert!(
        errors["institution_type"].contains("kan ikke skiftes"),
        "{errors:?}"
    );
    let account = sqlx::query(
        "INSERT INTO institution_accounts (institution_id) SELECT id FROM institutions WHERE nummer = $1",
    )
    .bind(&nummer)
    .execute(&app.pool)
    .await;
    let refused = account.expect_err("the database refuses a log-in for a dagpleje");
    assert!(
        refused.to_string().contains("a dagpleje has no log-in"),
        "{refused}"
    );
    let sections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institution_sections")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sections, 0);
}
