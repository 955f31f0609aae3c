//! The backup in docs/deployment.md, rehearsed: `pg_dump -Fc`, `pg_restore`
//! into an empty database, and a server on the restored copy serves the same
//! data and keeps the same sessions.

use crate::helpers::{
    institution_with_password, save_monday_hours, spawn_app, url_of, url_of_database, TestApp,
};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const TABLES: [&str; 8] = [
    "institutions",
    "institution_accounts",
    "admin_accounts",
    "audit_log",
    "institution_sections",
    "section_history",
    "tower_sessions.session",
    "_sqlx_migrations",
];

async fn counts(pool: &PgPool) -> Vec<i64> {
    crate::helpers::row_counts(pool, &TABLES).await
}

fn run(program: &str, args: &[&str]) {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start: {e}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_custom_format_dump_restores_into_a_working_service(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "R10001", 746, PASSWORD).await;
    let institution = save_monday_hours(&app, "R10001", PASSWORD, ("06:30", "17:00"), &[]).await;
    let original = counts(&app.pool).await;

    let source = url_of(&app.pool).await;
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Test databases' names use all 63 characters PostgreSQL allows.
    let restored_name = format!("restore_{}", &database[database.len().saturating_sub(40)..]);
    let dump = std::env::temp_dir().join(format!("{database}.dump"));
    let dump_path = dump.to_str().unwrap();
    run("pg_dump", &["-Fc", "--no-owner", "-d", &source, "-f", dump_path]);

    sqlx::query(&format!(
        r#"DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)"#
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(&format!(r#"CREATE DATABASE "{restored_name}""#))
        .execute(&app.pool)
        .await
        .unwrap();
    let target = url_of_database(&restored_name);
    run("pg_restore", &["--no-owner", "-d", &target, dump_path]);
    std::fs::remove_file(&dump).ok();

    let restored_pool = PgPool::connect(&target).await.unwrap();
    assert_eq!(counts(&restored_pool).await, original, "every row came back");
    // A server on the copy applies no migration twice and serves the same page.
    server::db::migrate(&restored_pool).await.unwrap();
    let restored = spawn_app(restored_pool.clone()).await;
    let page = restored.get("/dagtilbud/R10001").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("06:30"));
    // The institution's session (its cookie from before the dump) still works.
    let same_browser = TestApp {
        address: restored.address.clone(),
        pool: restored_pool.clone(),
        client: institution.client.clone(),
        clock: restored.clock.clone(),
    };
    let hours = same_browser.call("aabningstider_hent", &[]).await;
    assert_eq!(hours.status(), 200, "the session survived the restore");

    restored_pool.close().await;
    restored.pool.close().await;
    sqlx::query(&format!(
        r#"DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)"#
    ))
    .execute(&app.pool)
    .await
    .unwrap();
}
