//! The change feed of open data, its Atom twin, the data dictionary and the
//! schema version on every API answer.

use crate::helpers::{institution_with_password, spawn_app, TestApp};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

/// One page of the feed from `siden`: (nummer, hvad) pairs, naeste, flere.
async fn feed(app: &TestApp, siden: &str) -> (Vec<(String, String)>, String, bool) {
    let response = app
        .get(&format!("/api/v1/dagtilbud/aendringer?siden={siden}"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["dagtilbud-schemaversion"], "1");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["schemaversion"], 1);
    let changes = body["aendringer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert!(c["tidspunkt"].as_str().unwrap().ends_with('Z'));
            (
                c["nummer"].as_str().unwrap().to_string(),
                c["hvad"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (
        changes,
        body["naeste"].as_str().unwrap().to_string(),
        body["flere"].as_bool().unwrap(),
    )
}

/// The feed from `siden` once it holds `count` changes. A change waits until
/// every transaction older than it has ended, in any database of the
/// PostgreSQL server (the tests' others too), so it may take a moment.
async fn feed_of(app: &TestApp, siden: &str, count: usize) -> (Vec<(String, String)>, String, bool) {
    for _ in 0..200 {
        let page = feed(app, siden).await;
        if page.0.len() >= count {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    feed(app, siden).await
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_feed_follows_changes_without_skipping_one_that_commits_late(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "F60001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "F60002", 746, PASSWORD).await;

    // From the beginning: both institutions were made.
    let (changes, cursor, more) = feed_of(&app, "", 2).await;
    assert_eq!(
        changes,
        vec![
            ("F60001".to_string(), "oprettet".to_string()),
            ("F60002".to_string(), "oprettet".to_string())
        ]
    );
    assert!(!more);
    // Nothing new: the same cursor again, and no change repeated.
    let (none, same, _) = feed(&app, &cursor).await;
    assert!(none.is_empty());
    assert_eq!(same, cursor);

    // A transaction that changed F60002 is still open while F60001 saves and commits.
    let mut late = app.pool.begin().await.unwrap();
    sqlx::query("UPDATE institutions SET navn = 'Nyt navn' WHERE nummer = 'F60002'")
        .execute(&mut *late)
        .await
        .unwrap();
    let institution = app.fresh_client();
    institution.login_institution("F60001", PASSWORD).await;
    let saved = institution
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", "Vi er ude."),
                ("alder_3_5", "on"),
                ("pladser", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    // The saved change waits behind the open transaction: handing it out now
    // would move the cursor past the change still to come.
    let (held, held_cursor, _) = feed(&app, &cursor).await;
    assert!(held.is_empty(), "{held:?}");
    assert_eq!(held_cursor, cursor);
    late.commit().await.unwrap();
    let (both, next, _) = feed_of(&app, &cursor, 2).await;
    assert_eq!(
        both,
        vec![
            ("F60002".to_string(), "stamdata".to_string()),
            ("F60001".to_string(), "profil".to_string())
        ]
    );
    // A confirmation without a change is no change to the data.
    let confirmed = institution
        .call("afsnit_bekraeft", &[("afsnit", "profil"), ("version", "1")])
        .await;
    assert!(
        confirmed.status().is_success() || confirmed.status().is_redirection(),
        "{}",
        confirmed.status()
    );
    assert!(feed(&app, &next).await.0.is_empty());

    // From a time: only what happened since.
    let (since, _, _) = feed(&app, "2999-01-01T00:00:00Z").await;
    assert!(since.is_empty());

    // A cursor that cannot be read is named.
    let bad = app.get("/api/v1/dagtilbud/aendringer?siden=igaar").await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("siden"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_atom_feed_the_dictionary_and_the_schema_version(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "F60011", 746, PASSWORD).await;
    feed_of(&app, "", 1).await;

    let atom = app.get("/api/v1/dagtilbud/aendringer.atom").await;
    assert_eq!(atom.status(), 200);
    assert_eq!(
        atom.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let xml = atom.text().await.unwrap();
    assert!(
        xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{xml}"
    );
    assert!(
        xml.contains("<title>Testbørnehaven F60011 (F60011): oprettet</title>"),
        "{xml}"
    );
    assert!(xml.contains("/dagtilbud/F60011\""));

    let page = app.get("/api/v1/dokumentation").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for field in [
        "paedagogisk_profil",
        "periods[].uid",
        "indberettede afsnit",
        "aendringer[].hvad",
        "guld",
    ] {
        assert!(html.contains(field), "{field} is documented");
    }
    let json: serde_json::Value = app
        .get("/api/v1/dokumentation?format=json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["schemaversion"], 1);
    assert!(json["ressourcer"].as_array().unwrap().len() >= 10);

    for path in [
        "/api/v1/dagtilbud",
        "/api/v1/dagtilbud/F60011",
        "/api/v1/dagtilbud.csv",
        "/api/v1/dagtilbud/X99999",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["dagtilbud-schemaversion"], "1", "{path}");
    }
}
