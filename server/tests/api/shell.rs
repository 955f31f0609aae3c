//! The app shell over real HTTP: pages, probes, compression.

use crate::helpers::spawn_app;
use app::ssr::AppState;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn landing_page_is_danish_and_shows_the_register(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::register(&pool, false).await.unwrap();
    let app = spawn_app(pool).await;

    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"<html lang="da""#), "Danish document");
    assert!(body.contains("<title>Find og sammenlign dagtilbud – Dagtilbudsportalen</title>"));
    assert!(
        body.contains("dagtilbud i 98 kommuner"),
        "figures come from the database"
    );
    assert!(
        body.contains(r#"href="/tilgaengelighed""#),
        "footer links the accessibility statement"
    );
    assert!(
        body.contains("Ansvarlig myndighed"),
        "footer names the responsible authority"
    );
    assert_eq!(
        body.matches(r#"name="description""#).count(),
        1,
        "one description, the page's own"
    );
    assert!(
        body.contains(r#"<a href="/log-ind">Log ind (institution)</a>"#),
        "nobody logged in: the header offers the log-ins"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_header_names_who_is_logged_in_on_the_public_pages_too(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    let app = spawn_app(pool).await;
    crate::helpers::institution_with_password(&app.pool, "Q00001", 746, "Rigtig-Lang-Adgangskode-1").await;
    assert_eq!(
        app.login_institution("Q00001", "Rigtig-Lang-Adgangskode-1")
            .await
            .status(),
        200
    );

    for path in ["/", "/?q=skanderborg"] {
        let body = app.get(path).await.text().await.unwrap();
        assert!(
            body.contains(r#"<span class="header-user">Testbørnehaven Q00001 (Q00001)</span>"#),
            "{path}: the header names the institution"
        );
        assert!(body.contains("Log ud"), "{path}: and offers to log out");
        assert!(!body.contains("Log ind (institution)"), "{path}: not the log-ins");
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn probes_report_alive_and_ready(pool: PgPool) {
    let app = spawn_app(pool).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ok");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unknown_pages_get_a_danish_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/findes/ikke").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Siden findes ikke"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn static_pages_render(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (path, heading) in [
        ("/tilgaengelighed", "Tilgængelighedserklæring"),
        ("/cookies", "Cookies"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains(&format!("<h1>{heading}</h1>")),
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn html_is_compressed_when_the_client_accepts_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(format!("{}/tilgaengelighed", app.address))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers().get("content-encoding").unwrap(), "br");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_small_answer_is_sent_uncompressed(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    crate::helpers::institution_with_password(&pool, "G10001", 101, "hemmeligt-kodeord-1").await;
    let app = spawn_app(pool).await;
    assert_eq!(
        app.login_institution("G10001", "hemmeligt-kodeord-1")
            .await
            .status(),
        200
    );
    let response = app
        .client
        .post(format!("{}/api/fn/aabningstider_gem", app.address))
        .header(crate::helpers::SAME_ORIGIN.0, crate::helpers::SAME_ORIGIN.1)
        .header("accept-encoding", "br, gzip")
        .form(&[
            ("version", "0"),
            ("mandag_aaben", "on"),
            ("mandag_fra", "07:00"),
            ("mandag_til", "16:00"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-encoding").is_none(),
        "a save's answer is far below one packet"
    );
    let body = response.bytes().await.unwrap();
    assert!(body.len() < usize::from(server::MIN_COMPRESSED_BYTES));
    let saved: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(saved["version"], 1, "the answer is the saved section's meta");
}

#[tokio::test]
async fn readyz_is_503_when_the_database_is_unreachable() {
    crate::helpers::init_logging();
    // Nothing listens on port 9; the pool gives up quickly.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://nobody@127.0.0.1:9/none")
        .unwrap();
    let leptos_options = server::config::leptos_options().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::serve(
        listener,
        AppState::new(pool, leptos_options, app::ssr::Settings::default()),
        std::future::pending(),
    ));

    let started = std::time::Instant::now();
    let response = reqwest::get(format!("{address}/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "answers quickly"
    );
    let health = reqwest::get(format!("{address}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200, "the process itself is alive");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_request_that_outlives_its_deadline_gets_a_danish_503(pool: PgPool) {
    let settings = app::ssr::Settings {
        request_timeout: std::time::Duration::from_millis(500),
        ..app::ssr::Settings::default()
    };
    let app = crate::helpers::spawn_app_with(pool, settings).await;
    // Hold a lock the front page's query must wait for, so the request is
    // certain to outlive its deadline.
    let mut blocker = app.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE institutions IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let response = app.get("/").await;
    assert_eq!(response.status(), 503);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "answers at the deadline"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains("lang=\"da\""), "{body}");
    blocker.rollback().await.unwrap();
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn hsts_is_sent_when_the_service_is_reached_over_https(pool: PgPool) {
    let settings = app::ssr::Settings {
        secure_cookies: true,
        public_url: "https://dagtilbud.example".into(),
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(pool, settings).await;
    let page = app.get("/tilgaengelighed").await;
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

/// Pages rendered while another server of the same process starts (as the
/// tests do, one server per test) come back whole: listing the routes once
/// per process keeps its resource-suppressing flag away from renders.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pages_render_whole_while_another_server_starts(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::register(&pool, false).await.unwrap();
    let app = spawn_app(pool.clone()).await;
    /// Stops the starting servers when the test ends, also when it fails.
    struct Stop(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(false, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let starting = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let stop = Stop(starting.clone());
    let starter = {
        let starting = starting.clone();
        let options = server::config::leptos_options().unwrap();
        tokio::task::spawn_blocking(move || {
            let mut started = 0;
            while starting.load(std::sync::atomic::Ordering::Relaxed) {
                let state = AppState::new(pool.clone(), options.clone(), app::ssr::Settings::default());
                drop(server::router(state));
                started += 1;
            }
            started
        })
    };
    for _ in 0..20 {
        let body = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            app.get("/").await.text().await.unwrap()
        })
        .await
        .expect("the page came back whole within 10 s");
        assert!(body.contains("dagtilbud i 98 kommuner") && body.contains("</html>"));
    }
    drop(stop);
    assert!(starter.await.unwrap() > 0, "servers were started meanwhile");
}

/// Each answer names its request's id, the one every log line of the request
/// carries; an id a proxy in front set is kept.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_answer_names_its_request_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.get("/healthz").await;
    let second = app.get("/healthz").await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id(&first).len(), 36, "a UUID: {}", id(&first));
    assert_ne!(id(&first), id(&second));
    let from_proxy = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "lb-4711")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&from_proxy), "lb-4711");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_page_says_when_it_is_a_demonstration(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::register(&pool, false).await.unwrap();
    server::seed::demo_accounts(&pool).await.unwrap();
    let demo = crate::helpers::spawn_app_with(
        pool.clone(),
        app::ssr::Settings {
            demo: true,
            ..Default::default()
        },
    )
    .await;
    let notice = "Demonstration: dagtilbuddene, alt hvad de har indberettet, og alle tal er opdigtede.";
    for path in [
        "/",
        "/dagtilbud/G10234",
        "/kommuner/746",
        "/log-ind",
        "/tilgaengelighed",
        "/findes-ikke",
    ] {
        let body = demo.get(path).await.text().await.unwrap();
        assert!(body.contains(notice), "{path} says it is a demonstration");
    }
    let real = spawn_app(pool).await;
    let body = real.get("/").await.text().await.unwrap();
    assert!(
        !body.contains("Demonstration:"),
        "the real service says nothing of the kind"
    );
}

/// Each page loads the bundle of its live parts: the portal's pages their
/// islands', the forms' pages the forms' bundle (no islands); the signed-in
/// pages without live parts load no script, and their forms are plain
/// form posts.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn each_page_loads_only_the_bundle_of_its_islands(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    let app = spawn_app(pool).await;
    crate::helpers::institution_with_password(&app.pool, "P10009", 746, "en-lang-adgangskode").await;
    // The portal's bundle reads names from attributes (the boxes' data-navn,
    // the institution page's data-bakke-navn): markup in a name must stay
    // text there too.
    sqlx::query(
        "UPDATE institutions SET navn = 'Svalen \"><script>alert(1)</script>' WHERE nummer = 'P10009'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for (path, bundle) in [
        ("/", "portal"),
        ("/?q=svalen", "portal"),
        ("/dagtilbud/P10009", "portal"),
        ("/dagtilbud/P10009/meld-fejl", "dagtilbud"),
        ("/kommuner/746", "portal"),
        ("/sammenlign?nr=P10009", "portal"),
        ("/tilgaengelighed", "portal"),
        ("/log-ind", "dagtilbud"),
        ("/admin/log-ind", "dagtilbud"),
    ] {
        let body = app.get(path).await.text().await.unwrap();
        assert!(
            body.contains(&format!(r#"href="/pkg/{bundle}.js""#)),
            "{path} preloads the {bundle} bundle"
        );
        for other in ["dagtilbud", "forms", "portal"] {
            assert!(
                other == bundle || !body.contains(&format!("/pkg/{other}.js")),
                "{path} loads no other bundle ({other})"
            );
        }
        assert!(
            !body.contains("<script>alert(1)"),
            "{path} keeps the name as text"
        );
    }
    let search = app.get("/?q=svalen").await.text().await.unwrap();
    assert!(search.contains("1 dagtilbud matcher søgningen."), "{search}");
    assert!(
        !search.contains("<leptos-island"),
        "the portal's pages have no island: its bundle works on the server's HTML"
    );
    assert!(
        search.contains(r#"<div id="bakke"></div>"#) && search.contains(r#"<div id="placering-knap"></div>"#),
        "the page keeps places for the tray and the location button, which the bundle draws"
    );
    assert!(
        search.contains("data-navn="),
        "each box names its institution for the tray"
    );
    // Islands mode: the search's answer is not sent again as hydration data.
    assert!(
        !search.contains("type_label"),
        "the search answer is not serialised into the page"
    );

    let anonymous = app.get("/findes/ikke").await.text().await.unwrap();
    let kommune = crate::helpers::kommune_admin(&app, 746).await;
    let kommune_page = kommune.get("/kommune").await.text().await.unwrap();
    let staff = app.fresh_client();
    staff.login_institution("P10009", "en-lang-adgangskode").await;
    let institution_page = staff.get("/indberetning").await.text().await.unwrap();
    let history = staff.get("/indberetning/historik").await.text().await.unwrap();
    for (path, body) in [
        ("/findes/ikke", anonymous),
        ("/kommune", kommune_page.clone()),
        ("/indberetning", institution_page),
        ("/indberetning/historik", history),
    ] {
        assert!(body.contains("<main"), "{path} is a page: {body}");
        assert!(
            !body.contains("<script type=\"module\"") && !body.contains("modulepreload"),
            "{path} has no island and loads no script: {body}"
        );
        for bundle in ["dagtilbud", "forms", "portal"] {
            assert!(
                !body.contains(&format!("/pkg/{bundle}.js")),
                "{path} loads no bundle ({bundle})"
            );
        }
        assert!(
            body.contains("/pkg/dagtilbud.css"),
            "{path} keeps the style sheet"
        );
    }
    assert!(
        kommune_page.contains(r#"method="post""#),
        "the kommune's forms post without a script"
    );
    // The signed-in steps of a log-in have instant checks: the forms'
    // bundle, no island. The new password's check knows the user name it
    // may not be.
    let change = staff.get("/skift-adgangskode").await.text().await.unwrap();
    assert!(
        change.contains(r#"data-check="ny-adgangskode""#)
            && change.contains(r#"data-field-brugernavn="P10009""#)
            && change.contains(r#"<div id="adgangskode-formular" data-swap="">"#)
            && !change.contains("<leptos-island")
            && change.contains(r#"href="/pkg/dagtilbud.js""#),
        "changing the password is a form of the forms' bundle: {change}"
    );
}

/// The section pages are the server's HTML with no island: the header and
/// the form are one region that the signed-in bundle redraws in place
/// (`data-swap`), and the form is a plain post with its instant check named
/// (`data-check`). Saved markup stays text.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn section_pages_are_documents_with_a_region_to_redraw(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    let app = spawn_app(pool).await;
    crate::helpers::institution_with_password(&app.pool, "P10009", 746, "en-lang-adgangskode").await;
    let staff = app.fresh_client();
    staff.login_institution("P10009", "en-lang-adgangskode").await;
    let markup = "Leg \"><script>alert(1)</script> og </textarea><b>ro</b>";
    let saved = staff
        .call(
            "profil_gem",
            &[
                ("version", "0"),
                ("paedagogisk_profil", markup),
                ("alder_0_2", "on"),
                ("pladser", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

    let kommune = crate::helpers::kommune_admin(&app, 746).await;
    for (client, path, region, save) in [
        (&staff, "/indberetning/profil", "afsnit", "profil_gem"),
        (&staff, "/indberetning/madordning", "afsnit", "madordning_gem"),
        (
            &staff,
            "/indberetning/lukkedage",
            "lukkedage",
            "lukkedage_tilfoej",
        ),
        (
            &staff,
            "/indberetning/aabningstider",
            "afsnit",
            "aabningstider_gem",
        ),
        (&staff, "/indberetning/kontakt", "afsnit", "kontakt_gem"),
        (
            &kommune,
            "/kommune/dagtilbud/P10009/profil",
            "afsnit",
            "profil_gem",
        ),
        (
            &kommune,
            "/kommune/dagtilbud/P10009/lukkedage",
            "lukkedage",
            "lukkedage_tilfoej",
        ),
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(r#"href="/pkg/dagtilbud.js""#),
            "{path} loads the signed-in areas' bundle"
        );
        assert!(!body.contains("/pkg/portal.js"), "{path} loads no other bundle");
        assert!(!body.contains("<leptos-island"), "{path} has no island: {body}");
        assert!(
            body.contains(&format!(r#"<div id="{region}" data-swap="""#)),
            "{path}: the header and form are the region {region}"
        );
        let check = path.rsplit('/').next().unwrap();
        assert!(
            body.contains(&format!(r#"action="/api/fn/{save}""#))
                && body.contains(r#"method="post""#)
                && body.contains(&format!(r#"data-check="{check}""#)),
            "{path}: the form posts to {save} and names its instant check"
        );
        assert!(
            body.contains(r#"id="gemt" role="status" aria-live="polite""#),
            "{path}: the live region that says Gemt has an id, so a redraw keeps it"
        );
        assert!(
            body.contains("Gem") || body.contains("Tilføj"),
            "{path} has its form's button"
        );
        assert!(
            !body.contains("<script>alert(1)") && !body.contains("<b>ro</b>"),
            "{path} keeps typed markup as text"
        );
    }
    let profil = staff.get("/indberetning/profil").await.text().await.unwrap();
    assert!(
        profil.contains("Sidst opdateret"),
        "the header shows the saved section"
    );
    assert!(
        profil.contains("&lt;/textarea&gt;&lt;b&gt;ro&lt;/b&gt;"),
        "the textarea holds the saved text, escaped"
    );
}
