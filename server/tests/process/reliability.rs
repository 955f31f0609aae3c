//! The quick reliability checks that run with every test run (the long ones
//! are in bench/reliability): two servers on one database, and a server
//! killed with SIGKILL in the middle of saves.

use std::time::{Duration, Instant};

use crate::helpers::{institution_with_password, spawn_app, url_of, TestApp};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

fn hours(version: i64, closes: &str) -> Vec<(&'static str, String)> {
    vec![
        ("version", version.to_string()),
        ("mandag_aaben", "on".into()),
        ("mandag_fra", "07:00".into()),
        ("mandag_til", closes.to_string()),
    ]
}

async fn save(client: &TestApp, version: i64, closes: &str) -> reqwest::Response {
    let form = hours(version, closes);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.call("aabningstider_gem", &form).await
}

/// Like [`save`], but no answer at all (the server is down) is `None`.
async fn try_save(client: &TestApp, version: i64, closes: &str) -> Option<reqwest::Response> {
    let form = hours(version, closes);
    client
        .client
        .post(format!("{}/api/fn/aabningstider_gem", client.address))
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .ok()
}

/// The same browser (cookies) talking to another server.
fn same_browser_on(browser: &TestApp, server: &TestApp) -> TestApp {
    TestApp {
        address: server.address.clone(),
        pool: server.pool.clone(),
        client: browser.client.clone(),
        clock: server.clock.clone(),
    }
}

/// Data without its history row, or history without data.
async fn half_written(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM institution_sections s WHERE NOT EXISTS (
                   SELECT 1 FROM section_history h WHERE h.institution_id = s.institution_id
                   AND h.section = s.section AND h.version = s.version))
              + (SELECT count(*) FROM section_history h WHERE NOT EXISTS (
                   SELECT 1 FROM institution_sections s WHERE s.institution_id = h.institution_id
                   AND s.section = h.section AND s.version >= h.version))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn two_servers_share_sessions_saves_and_resets(pool: PgPool) {
    let a = spawn_app(pool.clone()).await;
    let b = spawn_app(pool).await;
    let id = institution_with_password(&a.pool, "T10001", 746, PASSWORD).await;
    let on_a = a.fresh_client();
    assert_eq!(on_a.login_institution("T10001", PASSWORD).await.status(), 200);
    let on_b = same_browser_on(&on_a, &b);

    // A session made on A is valid on B.
    assert_eq!(on_b.call("afsnit_status", &[]).await.status(), 200);
    // A save on A is what B reads at once, and B's save over the same version conflicts.
    assert_eq!(save(&on_a, 0, "16:45").await.status(), 200);
    let loaded: serde_json::Value = on_b.call("aabningstider_hent", &[]).await.json().await.unwrap();
    assert_eq!(loaded["meta"]["version"], 1);
    assert!(loaded["value"].to_string().contains("16:45"));
    assert_eq!(save(&on_b, 0, "17:00").await.status(), 409);

    // A reset (as a kommune or support does it) ends the session on both at once.
    let actor = app::audit::Actor::system("test");
    app::auth::codes::issue_institution_code(&b.pool, id, &actor, None)
        .await
        .unwrap();
    assert_eq!(on_a.call("afsnit_status", &[]).await.status(), 401);
    assert_eq!(on_b.call("afsnit_status", &[]).await.status(), 401);
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server_process(url: &str, port: u16) -> Child {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .env_remove("DEMO")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the server binary");
    let child = Child(child);
    let ready = format!("http://127.0.0.1:{port}/readyz");
    let started = Instant::now();
    loop {
        if let Ok(response) = reqwest::get(&ready).await {
            if response.status() == 200 {
                return child;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server never became ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_killed_server_leaves_no_half_written_change_and_sessions_survive(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    let numbers = ["K10001", "K10002", "K10003", "K10004"];
    for nummer in numbers {
        institution_with_password(&pool, nummer, 746, PASSWORD).await;
    }
    let url = url_of(&pool).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = start_server_process(&url, port).await;
    let template = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        pool: pool.clone(),
        client: reqwest::Client::new(),
        clock: app::ssr::Clock::default(),
    };
    let mut browsers = Vec::new();
    for nummer in numbers {
        let browser = template.fresh_client();
        assert_eq!(browser.login_institution(nummer, PASSWORD).await.status(), 200);
        browsers.push(browser);
    }

    // Each browser saves as fast as it can for 4 s; the server is killed after 1 s.
    let until = Instant::now() + Duration::from_secs(4);
    let tasks: Vec<_> = browsers
        .iter()
        .zip(numbers)
        .map(|(browser, nummer)| {
            let browser = same_browser_on(browser, &template);
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut version = 0i64;
                let mut acked = Vec::new();
                let mut round = 0u32;
                while Instant::now() < until {
                    round += 1;
                    let closes = if round.is_multiple_of(2) { "16:00" } else { "16:30" };
                    match try_save(&browser, version, closes).await {
                        Some(response) if response.status() == 200 => {
                            let meta: serde_json::Value = response.json().await.unwrap_or_default();
                            version = meta["version"].as_i64().unwrap_or(version);
                            acked.push(version);
                        }
                        Some(response) if response.status() == 409 => {
                            // Our save landed but its answer was lost in the kill:
                            // carry on from the stored version.
                            let stored: Option<i32> = sqlx::query_scalar(
                                "SELECT s.version FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
                                 WHERE i.nummer = $1 AND s.section = 'aabningstider'",
                            )
                            .bind(nummer)
                            .fetch_optional(&pool)
                            .await
                            .unwrap();
                            version = stored.map(i64::from).unwrap_or(version);
                        }
                        _ => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
                acked
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    // SIGKILL: no chance to finish anything.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    let _restarted = start_server_process(&url, port).await;
    drop(server);

    let mut acked_total = 0;
    for (task, nummer) in tasks.into_iter().zip(numbers) {
        let acked = task.await.unwrap();
        acked_total += acked.len();
        for version in acked {
            let stored: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM section_history h JOIN institutions i ON i.id = h.institution_id
                                WHERE i.nummer = $1 AND h.section = 'aabningstider' AND h.version = $2)",
            )
            .bind(nummer)
            .bind(version as i32)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert!(
                stored,
                "{nummer} version {version} was acknowledged but is not stored"
            );
        }
    }
    assert!(
        acked_total > 0,
        "saves were acknowledged before and after the kill"
    );
    assert_eq!(
        half_written(&pool).await,
        0,
        "no data without history or the reverse"
    );
    // The sessions made before the kill are valid on the restarted server.
    for browser in &browsers {
        assert_eq!(browser.call("afsnit_status", &[]).await.status(), 200);
    }
}
