//! Command-line tasks on the server binary that create accounts.

use crate::helpers::{spawn_app, url_of};
use sqlx::PgPool;

fn create_support_user(url: &str, email: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-support-user", "--email", email, "--navn", "Ny Supporter"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .env_remove("DEMO")
        .output()
        .expect("run the server binary")
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_support_user_gets_a_generated_password_once_and_must_replace_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let url = url_of(&app.pool).await;

    let output = create_support_user(&url, "Ny@STIL.example");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let password = String::from_utf8(output.stdout).unwrap().trim().to_string();
    assert_eq!(password.len(), 24, "{password}");

    let hash: String = sqlx::query_scalar(
        "SELECT password_hash FROM admin_accounts WHERE email = 'ny@stil.example' AND role = 'support'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&password));
    let audit: String =
        sqlx::query_scalar("SELECT details::text FROM audit_log WHERE action = 'support_oprettet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(audit.contains("ny@stil.example") && !audit.contains(&password));

    // The password works once, and only to choose a new one.
    let support = app.fresh_client();
    let login = support.login_admin("ny@stil.example", &password).await;
    assert_eq!(
        login.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/vaelg-adgangskode")
    );
    assert_eq!(support.get("/support").await.status(), 303);

    // The same address again is refused, and nothing changes.
    let again = create_support_user(&url, "ny@stil.example");
    assert_eq!(again.status.code(), Some(1));
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("exists already"), "{said}");
    assert!(
        !said
            .lines()
            .any(|line| line.trim().len() == 24 && line.trim().chars().all(|c| c.is_ascii_alphanumeric())),
        "no password printed: {said}"
    );
    let accounts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM admin_accounts WHERE email = 'ny@stil.example'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(accounts, 1);
}
