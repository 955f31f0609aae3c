//! Afstand til dagtilbud: institutions carry a position, and parents search
//! nearest first or within a distance from a postnummer (no JavaScript
//! needed) or from a point the browser gave.

use crate::helpers::{institution_with_password, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

/// An institution of kommune `kommunekode` in `postnummer`, at `position`.
async fn placed(
    app: &TestApp,
    nummer: &str,
    navn: &str,
    kommunekode: i16,
    postnummer: i16,
    position: Option<(f64, f64)>,
) {
    institution_with_password(&app.pool, nummer, kommunekode, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET navn = $2, postnummer = $3, postby = (SELECT navn FROM postnumre WHERE postnummer = $3),
                breddegrad = $4, laengdegrad = $5 WHERE nummer = $1",
    )
    .bind(nummer)
    .bind(navn)
    .bind(postnummer)
    .bind(position.map(|p| p.0))
    .bind(position.map(|p| p.1))
    .execute(&app.pool)
    .await
    .unwrap();
}

/// Skanderborg (8660) has three placed institutions (Anemonen nearest its
/// middle, then Egen, then Birkelunden) and one without a position; Aarhus C
/// (8000) one, about 22 km away.
async fn town_and_city(app: &TestApp) {
    placed(app, "A00001", "Anemonen", 746, 8660, Some((56.0392, 9.9285))).await;
    placed(app, "B00001", "Birkelunden", 746, 8660, Some((56.0460, 9.9400))).await;
    placed(app, "E00001", "Egen", 746, 8660, Some((56.0380, 9.9250))).await;
    placed(app, "C00001", "Cikorien", 746, 8660, None).await;
    placed(app, "D00001", "Delfinen", 751, 8000, Some((56.1567, 10.2108))).await;
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// The institutions' names in the order the page lists them.
fn order(html: &str) -> Vec<&'static str> {
    let mut found: Vec<(usize, &'static str)> = ["Anemonen", "Birkelunden", "Cikorien", "Delfinen"]
        .into_iter()
        .filter_map(|name| html.find(&format!(">{name}</a>")).map(|at| (at, name)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_postnummer_sorts_nearest_first_and_limits_by_distance(pool: PgPool) {
    let app = spawn_app(pool).await;
    town_and_city(&app).await;

    // From 8660: its own two first, nearest first, then Aarhus; the one
    // without a position is found but listed last, without a distance.
    let html = page(&app, "/?fra=8660&type=boernehave").await;
    assert_eq!(
        order(&html),
        ["Anemonen", "Birkelunden", "Delfinen", "Cikorien"],
        "{html}"
    );
    assert!(
        html.contains("Afstand i lige linje fra 8660 Skanderborg."),
        "{html}"
    );
    assert_eq!(html.matches("<dt>Afstand</dt>").count(), 4);
    assert!(html.contains(">0,3 km<") && html.contains(">22 km<"), "{html}");
    // The no-JS form comes back with what was chosen.
    assert!(html.contains("id=\"fra\"") && html.contains("value=\"8660\""));

    // At most 5 km: only Skanderborg's placed ones.
    let near = page(&app, "/?fra=8660&maks_km=5").await;
    assert!(near.contains("3 dagtilbud matcher"), "{near}");
    assert_eq!(order(&near), ["Anemonen", "Birkelunden"]);
    // By name, with the distance still shown.
    let by_name = page(&app, "/?fra=8660&sortering=navn&type=boernehave").await;
    assert_eq!(
        order(&by_name),
        ["Anemonen", "Birkelunden", "Cikorien", "Delfinen"]
    );
    assert_eq!(by_name.matches("<dt>Afstand</dt>").count(), 4);

    // From a point the browser gave (Aarhus C): Aarhus first.
    let from_point = page(&app, "/?breddegrad=56.157&laengdegrad=10.211&maks_km=25").await;
    assert_eq!(order(&from_point), ["Delfinen", "Birkelunden", "Anemonen"]);
    assert!(from_point.contains("Afstand i lige linje fra din placering."));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_postnummer_without_institutions_or_positions_is_explained(pool: PgPool) {
    let app = spawn_app(pool).await;
    town_and_city(&app).await;

    // 8680 Ry has no institutions: measured from the middle of its kommune's.
    let ry = page(&app, "/?fra=8680&maks_km=25").await;
    assert!(
        ry.contains("Vi kender ikke placeringen af dagtilbud i 8680 Ry, så afstanden regnes fra midten af Skanderborg Kommunes dagtilbud."),
        "{ry}"
    );
    assert_eq!(order(&ry)[..2], ["Anemonen", "Birkelunden"]);

    // A kommune with no placed institution at all, an unknown postnummer and
    // a point abroad are named on the field, with the form filled in.
    for (path, message) in [
        (
            "/?fra=2100",
            "Vi kender endnu ikke placeringen af dagtilbud i 2100 København Ø",
        ),
        ("/?fra=1001&q=sol", "Postnummeret 1001 findes ikke"),
        ("/?fra=86", "Skriv postnummeret med fire cifre"),
        ("/?breddegrad=52.52&laengdegrad=13.40", "ligger ikke i Danmark"),
        (
            "/?maks_km=5",
            "Skriv dit postnummer, fx 8660, eller brug din placering",
        ),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 422, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{path}: {html}");
        assert!(
            html.contains("href=\"#fra\""),
            "the summary links to the field: {path}"
        );
    }
    let filled = app.get("/?fra=1001&q=sol").await.text().await.unwrap();
    assert!(filled.contains("value=\"1001\"") && filled.contains("value=\"sol\""));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_open_data_api_gives_positions_and_distances(pool: PgPool) {
    let app = spawn_app(pool).await;
    town_and_city(&app).await;

    let list: Value = app
        .get("/api/v1/dagtilbud?fra=8660&maks_km=5")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3);
    let first = &list["dagtilbud"][0];
    assert_eq!(first["nummer"], "A00001");
    assert_eq!(
        (first["breddegrad"].as_f64(), first["laengdegrad"].as_f64()),
        (Some(56.0392), Some(9.9285))
    );
    let (a, b) = (
        first["afstand_m"].as_u64().unwrap(),
        list["dagtilbud"][1]["afstand_m"].as_u64().unwrap(),
    );
    assert!(a < b && b < 2_000, "nearest first, in metres: {a}, {b}");

    let bad = app.get("/api/v1/dagtilbud?sortering=afstand").await;
    assert_eq!(bad.status(), 422);
    let error: Value = bad.json().await.unwrap();
    assert!(error["felter"]["fra"].as_str().unwrap().contains("postnummer"));

    let one: Value = app.get("/api/v1/dagtilbud/D00001").await.json().await.unwrap();
    assert_eq!(one["breddegrad"].as_f64(), Some(56.1567));
    let unplaced: Value = app.get("/api/v1/dagtilbud/C00001").await.json().await.unwrap();
    assert!(unplaced["breddegrad"].is_null() && unplaced["laengdegrad"].is_null());

    let csv = app.get("/api/v1/dagtilbud.csv").await.text().await.unwrap();
    assert!(
        csv.lines().next().unwrap().contains("breddegrad;laengdegrad"),
        "{csv}"
    );
    assert!(csv.contains("56,039200;9,928500"), "{csv}");

    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["ApiInstitution"]["properties"]["breddegrad"].is_object());
    assert!(schemas["ApiListItem"]["properties"]["afstand_m"].is_object());
    assert!(schemas["ApiMasterData"]["properties"]["laengdegrad"].is_object());
    let params = doc["paths"]["/api/v1/dagtilbud"]["get"]["parameters"].to_string();
    assert!(params.contains("\"fra\"") && params.contains("\"maks_km\""));
}
