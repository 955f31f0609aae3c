//! The web service for kommune systems: keys made and revoked by support,
//! each reaching its own kommune's institutions only, with the pages' rules,
//! JSON errors, audit rows and a request budget.

use crate::helpers::{institution_with_password, spawn_app, spawn_app_with, support_admin, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;

/// Support makes a key on its page, as a browser posts the form.
async fn make_key(support: &TestApp, kommunekode: &str, navn: &str) -> reqwest::Response {
    support
        .client
        .post(format!("{}/support/api-noegler/ny", support.address))
        .header(crate::helpers::SAME_ORIGIN.0, crate::helpers::SAME_ORIGIN.1)
        .form(&[("kommunekode", kommunekode), ("navn", navn)])
        .send()
        .await
        .expect("request")
}

async fn key_for(support: &TestApp, kommunekode: &str) -> String {
    let page = make_key(support, kommunekode, "Pladsanvisningen").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    let start = html.find("<strong>dtk_").expect("the key") + "<strong>".len();
    html[start..start + 40].to_string()
}

async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, format!("{}{}", app.address, path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

fn new_institution() -> Value {
    json!({
        "navn": "Børnehuset Fra Systemet",
        "type": "integreret",
        "ejerform": "kommunal",
        "vejnavn": "Systemvej",
        "husnummer": "7",
        "postnummer": "8660",
        "cvr": "29190925",
        "breddegrad": 56.0401,
        "laengdegrad": 9.9312
    })
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_makes_a_key_shown_once_and_bad_input_comes_back_filled_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let support = support_admin(&app).await;

    let refused = make_key(&support, "", "Et navn der bliver").await;
    assert_eq!(refused.status(), 303);
    assert_eq!(refused.headers()["location"], "/support/api-noegler");
    let page = support.get("/support/api-noegler").await.text().await.unwrap();
    assert!(
        page.contains("Vælg den kommune, hvis system skal bruge nøglen"),
        "{page}"
    );
    assert!(page.contains("value=\"Et navn der bliver\""));

    let key = key_for(&support, "746").await;
    let (hash, prefix): (String, String) = sqlx::query_as("SELECT key_hash, prefix FROM kommune_api_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        !hash.contains(&key[4..]) && prefix.ends_with('…') && key.starts_with(prefix.trim_end_matches('…'))
    );
    let list = support.get("/support/api-noegler").await.text().await.unwrap();
    assert!(list.contains("Pladsanvisningen") && list.contains(&prefix) && !list.contains(&key));
    let audit: String =
        sqlx::query_scalar("SELECT details::text FROM audit_log WHERE action = 'api_noegle_oprettet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!audit.contains(&key));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_key_maintains_its_own_kommunes_institutions_with_the_pages_rules(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S40001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "S40002", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "A40001", AARHUS, PASSWORD).await;
    sqlx::query("UPDATE institutions SET ejerform = 'privat' WHERE nummer = 'S40002'")
        .execute(&app.pool)
        .await
        .unwrap();
    let support = support_admin(&app).await;
    let raw_key = key_for(&support, "746").await;
    let key = Some(raw_key.as_str());
    let machine = app.fresh_client();

    // Reading: the kommune's institutions with reporting status, never another kommune's.
    let list = api(
        &machine,
        reqwest::Method::GET,
        "/api/v1/kommune/dagtilbud",
        key,
        None,
    )
    .await;
    assert_eq!(list.status(), 200);
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["kommune"], "Skanderborg");
    let numbers: Vec<&str> = list["dagtilbud"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["nummer"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["S40001", "S40002"]);
    assert_eq!(list["dagtilbud"][0]["har_logget_ind"], false);
    assert_eq!(list["dagtilbud"][0]["udfyldte_afsnit"], json!([]));
    let other = api(
        &machine,
        reqwest::Method::GET,
        "/api/v1/kommune/dagtilbud/A40001",
        key,
        None,
    )
    .await;
    assert_eq!(other.status(), 404);
    assert!(other.json::<Value>().await.unwrap()["fejl"]
        .as_str()
        .unwrap()
        .contains("intet dagtilbud"));

    // Creating: 201, the system's number, the same audit as the page (by the key).
    let created = api(
        &machine,
        reqwest::Method::POST,
        "/api/v1/kommune/dagtilbud",
        key,
        Some(new_institution()),
    )
    .await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let created: Value = created.json().await.unwrap();
    let nummer = created["nummer"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/kommune/dagtilbud/{nummer}"));
    assert_eq!(
        (created["postby"].as_str(), created["version"].as_i64()),
        (Some("Skanderborg"), Some(1))
    );
    assert_eq!(
        (created["breddegrad"].as_f64(), created["laengdegrad"].as_f64()),
        (Some(56.0401), Some(9.9312)),
        "the position is kept as sent"
    );
    let (role, label): (String, String) =
        sqlx::query_as("SELECT actor_role, actor_label FROM audit_log WHERE action = 'dagtilbud_oprettet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(role, "kommunesystem");
    assert!(label.starts_with("Pladsanvisningen (dtk_"), "{label}");

    // Bad input: each field named in Danish; nothing written.
    let mut bad = new_institution();
    bad["ejerform"] = json!("privat");
    bad["postnummer"] = json!("86");
    bad["navn"] = json!("");
    bad["breddegrad"] = json!(61.2);
    let refused = api(
        &machine,
        reqwest::Method::POST,
        "/api/v1/kommune/dagtilbud",
        key,
        Some(bad),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    for field in ["ejerform", "postnummer", "navn", "breddegrad"] {
        assert!(refused["felter"][field].is_string(), "{field}: {refused}");
    }
    let not_json = machine
        .client
        .post(format!("{}/api/v1/kommune/dagtilbud", machine.address))
        .bearer_auth(&raw_key)
        .header("content-type", "text/plain")
        .body("navn=x")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);
    let broken = machine
        .client
        .post(format!("{}/api/v1/kommune/dagtilbud", machine.address))
        .bearer_auth(&raw_key)
        .header("content-type", "application/json")
        .body("{\"navn\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    assert!(broken.json::<Value>().await.unwrap()["fejl"]
        .as_str()
        .unwrap()
        .contains("JSON"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 4);

    // Changing master data with the version read; a stale version is a conflict.
    let mut change = new_institution();
    change["navn"] = json!("Børnehuset Omdøbt");
    change["version"] = json!(1);
    let path = format!("/api/v1/kommune/dagtilbud/{nummer}");
    let changed = api(&machine, reqwest::Method::PUT, &path, key, Some(change.clone())).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(
        (changed["navn"].as_str(), changed["version"].as_i64()),
        (Some("Børnehuset Omdøbt"), Some(2))
    );
    let fields: String =
        sqlx::query_scalar("SELECT details->>'felter' FROM audit_log WHERE action = 'dagtilbud_rettet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(fields, "[\"navn\"]");
    let page = app
        .get(&format!("/dagtilbud/{nummer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Børnehuset Omdøbt"), "the public page follows");
    let stale = api(&machine, reqwest::Method::PUT, &path, key, Some(change)).await;
    assert_eq!(stale.status(), 409);
    assert!(stale.json::<Value>().await.unwrap()["felter"]["version"]
        .as_str()
        .unwrap()
        .contains('2'));
    let private = api(
        &machine,
        reqwest::Method::PUT,
        "/api/v1/kommune/dagtilbud/S40002",
        key,
        Some(json!({"version": 1, "navn": "x", "type": "vuggestue", "ejerform": "kommunal", "vejnavn": "v", "husnummer": "1", "postnummer": "8660"})),
    )
    .await;
    assert_eq!(private.status(), 403, "private institutions are support's");

    // Closing: the date is checked, then it closes once.
    let close = format!("/api/v1/kommune/dagtilbud/{nummer}/luk");
    let future = api(
        &machine,
        reqwest::Method::POST,
        &close,
        key,
        Some(json!({"version": 2, "lukket_den": "1.1.2099"})),
    )
    .await;
    assert_eq!(future.status(), 422);
    let today = crate::helpers::danish_today();
    let closed = api(
        &machine,
        reqwest::Method::POST,
        &close,
        key,
        Some(json!({"version": 2, "lukket_den": today})),
    )
    .await;
    assert_eq!(closed.status(), 200);
    assert_eq!(closed.json::<Value>().await.unwrap()["status"], "nedlagt");
    let again = api(
        &machine,
        reqwest::Method::POST,
        &close,
        key,
        Some(json!({"version": 3, "lukket_den": today})),
    )
    .await;
    assert_eq!(again.status(), 409);
    assert_eq!(app.get(&format!("/dagtilbud/{nummer}")).await.status(), 404);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn missing_unknown_and_revoked_keys_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let support = support_admin(&app).await;
    let key = key_for(&support, "751").await;
    let machine = app.fresh_client();
    let list = |key: Option<String>| {
        let machine = &machine;
        async move {
            api(
                machine,
                reqwest::Method::GET,
                "/api/v1/kommune/dagtilbud",
                key.as_deref(),
                None,
            )
            .await
        }
    };

    let none = list(None).await;
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    assert!(none.json::<Value>().await.unwrap()["fejl"]
        .as_str()
        .unwrap()
        .contains("Authorization"));
    assert_eq!(
        list(Some("dtk_UKENDTUKENDTUKENDTUKENDTUKENDTUKENDT".into()))
            .await
            .status(),
        401
    );
    assert_eq!(list(Some(key.clone())).await.status(), 200);

    let id: i64 = sqlx::query_scalar("SELECT id FROM kommune_api_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let revoked = support
        .call("support_spaer_api_noegle", &[("id", &id.to_string())])
        .await;
    assert_eq!(revoked.status(), 200);
    let after = list(Some(key.clone())).await;
    assert_eq!(after.status(), 401);
    assert!(after.json::<Value>().await.unwrap()["fejl"]
        .as_str()
        .unwrap()
        .contains("spærret"));
    assert_eq!(
        support
            .call("support_spaer_api_noegle", &[("id", &id.to_string())])
            .await
            .status(),
        409,
        "revoked once"
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'api_%' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(actions, ["api_noegle_oprettet", "api_noegle_spaerret"]);

    // A session cookie is no key: a logged-in administrator gets nothing either.
    let kommune = crate::helpers::kommune_admin(&app, AARHUS).await;
    assert_eq!(kommune.get("/api/v1/kommune/dagtilbud").await.status(), 401);
    // And only support makes or revokes keys.
    for client in [&kommune, &app.fresh_client()] {
        let made = make_key(client, "751", "Forsøg").await;
        assert!(made.status() == 403 || made.status() == 303, "{}", made.status());
        assert!(matches!(
            client
                .call("support_spaer_api_noegle", &[("id", "1")])
                .await
                .status()
                .as_u16(),
            401 | 403
        ));
        assert!(matches!(
            client.call("support_api_noegler", &[]).await.status().as_u16(),
            401 | 403
        ));
    }
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kommune_api_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(keys, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn each_key_has_a_request_budget(pool: PgPool) {
    let settings = app::ssr::Settings {
        api_requests_per_minute: 3,
        ..Default::default()
    };
    let app = spawn_app_with(pool, settings).await;
    let support = support_admin(&app).await;
    let first = key_for(&support, "746").await;
    let second = key_for(&support, "751").await;
    let machine = app.fresh_client();
    for _ in 0..3 {
        let ok = api(
            &machine,
            reqwest::Method::GET,
            "/api/v1/kommune/dagtilbud",
            Some(&first),
            None,
        )
        .await;
        assert_eq!(ok.status(), 200);
    }
    let limited = api(
        &machine,
        reqwest::Method::GET,
        "/api/v1/kommune/dagtilbud",
        Some(&first),
        None,
    )
    .await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=61).contains(&wait), "{wait}");
    let other = api(
        &machine,
        reqwest::Method::GET,
        "/api/v1/kommune/dagtilbud",
        Some(&second),
        None,
    )
    .await;
    assert_eq!(other.status(), 200, "the other kommune's key has its own budget");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_openapi_document_describes_the_kommune_api(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/kommune/dagtilbud",
        "/api/v1/kommune/dagtilbud/{nummer}",
        "/api/v1/kommune/dagtilbud/{nummer}/luk",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["paths"]["/api/v1/kommune/dagtilbud"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/kommune/dagtilbud/{nummer}"]["put"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["kommune_api_key"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ApiMasterData"]["properties"]["postnummer"].is_object());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn markup_in_a_name_or_address_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let support = support_admin(&app).await;
    let raw_key = key_for(&support, "746").await;
    let machine = app.fresh_client();
    let mut body = new_institution();
    body["navn"] = json!("Svalen </title><script>alert(1)</script>");
    body["vejnavn"] = json!("Vej <b>");
    let refused = api(
        &machine,
        reqwest::Method::POST,
        "/api/v1/kommune/dagtilbud",
        Some(&raw_key),
        Some(body),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    for field in ["navn", "vejnavn"] {
        assert!(
            refused["felter"][field].as_str().unwrap().contains("< og >"),
            "{field}: {refused}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM institutions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
