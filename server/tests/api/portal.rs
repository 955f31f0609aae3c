//! The public portal: only active institutions, only what they saved, user
//! text always as text.

use crate::helpers::{institution_with_password, save_monday_hours, spawn_app};
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

/// A name saved before names were checked (or written straight into the
/// database) must stay text in the head, where leptos_meta does not escape.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_name_with_markup_stays_text_in_the_title(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P10009", 746, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET navn = 'Svalen </title><script>alert(1)</script>' WHERE nummer = 'P10009'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for _ in 0..2 {
        // The second answer comes from the page cache.
        let html = app
            .fresh_client()
            .get("/dagtilbud/P10009")
            .await
            .text()
            .await
            .unwrap();
        let head = &html[..html.find("</head>").expect("a head")];
        assert!(
            head.contains("<title>Svalen &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; – Dagtilbudsportalen</title>"),
            "{head}"
        );
        assert!(!html.contains("<script>alert(1)"));
    }
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

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn search_filters_pages_and_never_lists_closed_institutions(pool: PgPool) {
    let app = spawn_app(pool).await;
    for n in 1..=25 {
        institution_with_password(&app.pool, &format!("Q{n:05}"), 746, PASSWORD).await;
    }
    institution_with_password(&app.pool, "Q99999", 751, PASSWORD).await;
    sqlx::query("UPDATE institutions SET navn = 'Lukket Søhus', status = 'nedlagt', closed_on = current_date WHERE nummer = 'Q00025'")
        .execute(&app.pool)
        .await
        .unwrap();
    // One reports opening hours and a profile with 0–2 year olds.
    let institution = save_monday_hours(&app, "Q00003", PASSWORD, ("06:15", "17:30"), &[]).await;
    let saved = institution
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", "Skov"),
                ("tag_skov", "on"),
                ("alder_0_2", "on"),
                ("pladser", "30"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);

    let page = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };
    // By kommune or town: 24 active in Skanderborg Kommune and the Aarhus one
    // whose (test) address is in Skanderborg; 20 per page.
    let first = page("/?q=skanderborg").await;
    assert!(
        first.contains("25 dagtilbud matcher søgningen. Side 1 af 2."),
        "{first}"
    );
    assert!(first.contains("rel=\"next\""));
    let second = page("/?q=skanderborg&side=2").await;
    assert_eq!(second.matches("class=\"result\"").count(), 5);
    assert!(page("/?q=aarhus").await.contains("1 dagtilbud matcher"));
    assert!(!first.contains("Lukket Søhus") && !second.contains("Lukket Søhus"));
    // By number, postnummer and the filters on reported data.
    assert!(page("/?q=q99999").await.contains("1 dagtilbud matcher"));
    assert!(page("/?q=8660").await.contains("matcher søgningen"));
    let early = page("/?aabner=06:30").await;
    assert!(early.contains("1 dagtilbud matcher") && early.contains("Testbørnehaven Q00003"));
    assert!(page("/?aabner=06:00").await.contains("Ingen dagtilbud matcher"));
    assert!(page("/?lukker=17:30&alder=0_2&profil=skov")
        .await
        .contains("Testbørnehaven Q00003"));
    assert!(page("/?alder=3_5").await.contains("Ingen dagtilbud matcher"));
    // A malformed time is named (with 422 for the page), and a wildcard is just a character.
    let malformed = app.get("/?lukker=sent").await;
    assert_eq!(malformed.status(), 422);
    assert!(malformed
        .text()
        .await
        .unwrap()
        .contains("Skriv tidspunktet som tt:mm"));
    assert!(page("/?q=%25").await.contains("Ingen dagtilbud matcher"));
    // Of a repeated field the last counts, for the results and the form alike.
    let repeated = page("/?q=aarhus&q=skanderborg").await;
    assert!(repeated.contains("25 dagtilbud matcher søgningen."), "{repeated}");
    assert!(repeated.contains(r#"value="skanderborg""#));
    // The API answers the same, and refuses a bad time with 422.
    let api = app.call("soeg", &[("filter[q]", "Q00003")]).await;
    assert_eq!(api.status(), 200);
    assert_eq!(
        app.call("soeg", &[("filter[aabner]", "25:00")]).await.status(),
        422
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn institutions_are_compared_side_by_side(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "C00001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "C00002", 746, PASSWORD).await;
    institution_with_password(&app.pool, "C00003", 746, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'C00003'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    save_monday_hours(&app, "C00001", PASSWORD, ("06:15", "17:30"), &[]).await;

    let response = app
        .get("/sammenlign?nr=c00001&nr=C00002&nr=C00003&nr=C00001")
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(
        html.matches("<th scope=\"col\">").count(),
        2,
        "closed and repeated numbers are left out"
    );
    assert!(html.contains("Disse numre findes ikke blandt de aktive dagtilbud: C00003."));
    assert!(html.contains("06:15") && html.contains("Ikke indberettet"));
    assert!(html.contains("href=\"/sammenlign?nr=C00002\""), "remove C00001");
    let one = app.get("/sammenlign?nr=C00002").await.text().await.unwrap();
    assert!(one.contains("Vælg mindst to dagtilbud"));
    assert!(app
        .get("/sammenlign?nr=C00002&tilfoej=c00001")
        .await
        .text()
        .await
        .unwrap()
        .contains("06:15"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_kommune_page_shows_its_institutions_and_figures_beside_the_country(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "K00001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "K00002", 746, PASSWORD).await;
    institution_with_password(&app.pool, "K00003", 751, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'K00002'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for (nummer, closes) in [("K00001", "17:00"), ("K00003", "15:00")] {
        save_monday_hours(&app, nummer, PASSWORD, ("07:00", closes), &[]).await;
    }
    let response = app.get("/kommuner/746").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Dagtilbud i Skanderborg Kommune"));
    assert!(html.contains("Testbørnehaven K00001") && !html.contains("Testbørnehaven K00002"));
    assert!(
        !html.contains("Testbørnehaven K00003"),
        "another kommune's institution"
    );
    // 10 hours in Skanderborg; the national median of 10 and 8 is 9.
    assert!(
        html.contains("Åbent pr. uge (median): kommunen 10 timer, hele landet 9 timer."),
        "{html}"
    );
    for path in ["/kommuner/999", "/kommuner/abc", "/kommuner/411"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_open_data_api_pages_filters_caches_and_hides_closed_ones(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "O00001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "O00002", 746, PASSWORD).await;
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'O00002'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    save_monday_hours(
        &app,
        "O00001",
        PASSWORD,
        ("06:15", "17:30"),
        &[("bemaerkning", XSS)],
    )
    .await;

    let list = app.get("/api/v1/dagtilbud?q=skanderborg").await;
    assert_eq!(list.status(), 200);
    assert_eq!(list.headers()["cache-control"], "public, max-age=60");
    let etag = list.headers()["etag"].to_str().unwrap().to_string();
    let body: serde_json::Value = list.json().await.unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["dagtilbud"][0]["nummer"], "O00001");
    assert_eq!(body["dagtilbud"][0]["api"], "/api/v1/dagtilbud/O00001");
    // Unchanged data: 304 for the ETag the client has.
    let again = app
        .client
        .get(format!("{}/api/v1/dagtilbud?q=skanderborg", app.address))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let bad = app.get("/api/v1/dagtilbud?aabner=klokken").await;
    assert_eq!(bad.status(), 422);
    let error: serde_json::Value = bad.json().await.unwrap();
    assert!(error["felter"]["aabner"].as_str().unwrap().contains("tt:mm"));

    let one = app.get("/api/v1/dagtilbud/o00001").await;
    assert_eq!(one.status(), 200);
    let record: serde_json::Value = one.json().await.unwrap();
    assert_eq!(
        record["aabningstider"]["data"]["note"], XSS,
        "JSON carries the text as data"
    );
    assert!(record["profil"].is_null(), "never reported");
    assert!(record.get("password_hash").is_none() && !record.to_string().contains("argon2"));
    assert_eq!(app.get("/api/v1/dagtilbud/O00002").await.status(), 404);
    assert_eq!(app.get("/api/v1/dagtilbud/NOPE").await.status(), 404);

    let csv = app.get("/api/v1/dagtilbud.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.contains("O00001") && !text.contains("O00002"));

    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    assert!(doc["paths"]["/api/v1/dagtilbud/{nummer}"]["get"].is_object());
}

fn cache_state(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(app::published::cache::CACHE_HEADER)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn kept_pages_are_dropped_by_a_save_on_any_server(pool: PgPool) {
    // Two servers on one database, like two instances behind a load balancer.
    let a = spawn_app(pool.clone()).await;
    let b = spawn_app(pool).await;
    institution_with_password(&a.pool, "P10020", 746, PASSWORD).await;
    let reader_a = a.fresh_client();
    let reader_b = b.fresh_client();
    // Each server keeps pages once it listens for changes.
    for reader in [&reader_a, &reader_b] {
        crate::helpers::eventually(|| async {
            let response = reader.get("/dagtilbud/P10020").await;
            assert_eq!(response.status(), 200);
            (cache_state(&response).as_deref() == Some("hit")).then_some(())
        })
        .await;
    }

    // A logged-in reader is never answered from the kept pages.
    let institution = a.fresh_client();
    assert_eq!(
        institution.login_institution("P10020", PASSWORD).await.status(),
        200
    );
    assert_eq!(cache_state(&institution.get("/dagtilbud/P10020").await), None);

    // The saving server drops its page at once ...
    let saved = institution
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", "Nyt om skoven"),
                ("alder_3_5", "on"),
                ("pladser", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let fresh = reader_a.get("/dagtilbud/P10020").await;
    assert_eq!(cache_state(&fresh).as_deref(), Some("miss"));
    assert!(fresh.text().await.unwrap().contains("Nyt om skoven"));
    // ... and the other hears of it from PostgreSQL.
    crate::helpers::eventually(|| async {
        let html = reader_b.get("/dagtilbud/P10020").await.text().await.unwrap();
        html.contains("Nyt om skoven").then_some(())
    })
    .await;

    // A change written outside the servers (an import, a support tool) too.
    sqlx::query("UPDATE institutions SET navn = 'Omdøbt Børnehus' WHERE nummer = 'P10020'")
        .execute(&a.pool)
        .await
        .unwrap();
    for reader in [&reader_a, &reader_b] {
        crate::helpers::eventually(|| async {
            let html = reader.get("/dagtilbud/P10020").await.text().await.unwrap();
            html.contains("Omdøbt Børnehus").then_some(())
        })
        .await;
    }

    // Closing takes the page away everywhere.
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'P10020'",
    )
    .execute(&a.pool)
    .await
    .unwrap();
    for reader in [&reader_a, &reader_b] {
        crate::helpers::eventually(|| async {
            (reader.get("/dagtilbud/P10020").await.status() == 404).then_some(())
        })
        .await;
    }
}

/// Saved sections are announced by the server, many at a time: each number
/// once per batch, and a batch that could not be sent is kept for the next try.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn saved_pages_are_announced_once_per_batch_and_never_lost(pool: PgPool) {
    use app::published::cache::{PageCache, CHANNEL};
    use std::time::Duration;
    async fn heard(listener: &mut sqlx::postgres::PgListener) -> Option<String> {
        tokio::time::timeout(Duration::from_millis(500), listener.recv())
            .await
            .ok()
            .map(|n| n.unwrap().payload().to_owned())
    }
    let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await.unwrap();
    listener.listen(CHANNEL).await.unwrap();
    let cache = PageCache::default();
    cache.announce("p10020");
    cache.announce("P10020");
    cache.announce("P10021");
    // No database to send to: the batch stays.
    let unreachable = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(300))
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .unwrap();
    assert!(cache.announce_pending(&unreachable).await.is_err());
    assert_eq!(heard(&mut listener).await, None);

    cache.announce_pending(&pool).await.unwrap();
    let mut numbers = vec![
        heard(&mut listener).await.unwrap(),
        heard(&mut listener).await.unwrap(),
    ];
    numbers.sort();
    assert_eq!(numbers, ["P10020", "P10021"]);
    cache.announce_pending(&pool).await.unwrap();
    assert_eq!(heard(&mut listener).await, None, "nothing is announced twice");
}

/// The nonce a response's policy names, and its HTML.
async fn nonce_and_html(response: reqwest::Response) -> (String, String) {
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.starts_with("default-src 'self'; script-src 'self' 'nonce-"),
        "{policy}"
    );
    assert!(policy.ends_with(
        "'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ), "{policy}");
    assert!(
        !response.headers().contains_key("strict-transport-security"),
        "plain http: no HSTS"
    );
    let start = policy.find("'nonce-").unwrap() + "'nonce-".len();
    let nonce = policy[start..start + policy[start..].find('\'').unwrap()].to_owned();
    (nonce, response.text().await.unwrap())
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_page_has_a_fresh_script_nonce_even_from_the_cache(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P10030", 746, PASSWORD).await;
    let reader = app.fresh_client();
    let mut seen = Vec::new();
    for path in ["/", "/log-ind", "/dagtilbud/P10030"] {
        let (nonce, html) = nonce_and_html(reader.get(path).await).await;
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path} has its hydration script");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}: every script carries the policy's nonce"
        );
        seen.push(nonce);
    }
    // A kept page is answered with the nonce of the request it answers.
    let hit = crate::helpers::eventually(|| async {
        let response = reader.get("/dagtilbud/P10030").await;
        (cache_state(&response).as_deref() == Some("hit")).then_some(response)
    })
    .await;
    let (nonce, html) = nonce_and_html(hit).await;
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the kept page carries this answer's nonce"
    );
    seen.push(nonce);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "a new nonce for every answer");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_csv_is_kept_until_a_change_and_a_client_that_has_it_gets_304(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "P10040", 746, PASSWORD).await;
    let reader = app.fresh_client();
    let download = |tag: Option<String>| {
        let reader = &reader;
        async move {
            let mut request = reader
                .client
                .get(format!("{}/api/v1/dagtilbud.csv", reader.address));
            if let Some(tag) = tag {
                request = request.header("if-none-match", tag);
            }
            request.send().await.unwrap()
        }
    };
    // Once the server listens for changes, a repeated download is the kept file.
    let kept = crate::helpers::eventually(|| async {
        let response = download(None).await;
        (cache_state(&response).as_deref() == Some("hit")).then_some(response)
    })
    .await;
    let tag = kept.headers()["etag"].to_str().unwrap().to_owned();
    assert!(kept.text().await.unwrap().contains("P10040"));
    let not_modified = download(Some(tag.clone())).await;
    assert_eq!(not_modified.status(), 304);
    assert_eq!(
        cache_state(&not_modified).as_deref(),
        Some("hit"),
        "checked before any query"
    );

    // A change makes a new file with a new tag.
    sqlx::query("UPDATE institutions SET navn = 'Nyt navn P10040' WHERE nummer = 'P10040'")
        .execute(&app.pool)
        .await
        .unwrap();
    let changed = crate::helpers::eventually(|| async {
        let response = download(Some(tag.clone())).await;
        (response.status() == 200).then_some(response)
    })
    .await;
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);
    assert!(changed.text().await.unwrap().contains("Nyt navn P10040"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_flood_of_searches_from_one_address_gets_429_with_retry_after(pool: PgPool) {
    let settings = app::ssr::Settings {
        anonymous_requests_per_minute: 5,
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(pool, settings).await;
    for _ in 0..5 {
        assert_eq!(app.get("/api/v1/dagtilbud.csv").await.status(), 200);
    }
    let refused = app.get("/?q=Skanderborg").await;
    assert_eq!(refused.status(), 429);
    assert!(
        refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("for mange forespørgsler fra din adresse"));
    // Cheap pages and the institution pages are not counted.
    assert_eq!(app.get("/tilgaengelighed").await.status(), 200);
}
