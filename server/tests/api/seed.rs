//! The demo register and demo accounts against a real database.

use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn reference_data_loads_all_kommuner_and_is_idempotent(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::reference_data(&pool).await.unwrap();
    let kommuner: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kommuner")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kommuner, 98);
    let without_postnummer: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM kommuner k WHERE NOT EXISTS (SELECT 1 FROM postnumre p WHERE p.kommunekode = k.kode)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(without_postnummer, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn register_seeds_only_an_empty_database_and_never_twice(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    let added = server::seed::register(&pool, false).await.unwrap();
    let expected = server::seed::generate_register().unwrap().len() as u64;
    assert_eq!(added, expected);
    assert_eq!(
        server::seed::register(&pool, false).await.unwrap(),
        0,
        "not on a non-empty database"
    );
    assert_eq!(
        server::seed::register(&pool, true).await.unwrap(),
        0,
        "forced: same numbers, nothing new"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count as u64, expected);
    let closed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions WHERE status = 'nedlagt'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(closed > 0, "some closed institutions, to show they are hidden");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn institutions_are_never_deleted(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::demo_accounts(&pool).await.unwrap();
    let result = sqlx::query("DELETE FROM institutions WHERE nummer = 'G10234'")
        .execute(&pool)
        .await;
    assert!(result.is_err(), "deleting must fail; closing is the only way out");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn demo_accounts_exist_in_demo_mode_and_are_disabled_outside_it(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::demo_accounts(&pool).await.unwrap();
    server::seed::demo_accounts(&pool).await.unwrap();
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_accounts WHERE demo AND NOT disabled")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(admins, 2);
    // Both demo administrators have the published second factor, confirmed.
    let secrets: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT totp_secret FROM admin_accounts WHERE demo AND totp_confirmed_at IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let published = app::auth::totp::TotpSecret::from_base32(server::seed::DEMO_TOTP_SECRET).unwrap();
    assert_eq!(secrets.len(), 2);
    assert!(secrets.iter().all(|s| s.as_slice() == published.as_bytes()));
    let hash: Option<String> = sqlx::query_scalar(
        "SELECT a.password_hash FROM institution_accounts a JOIN institutions i ON i.id = a.institution_id WHERE i.nummer = 'G10234'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let hash = hash.expect("demo institution has a password");
    assert!(!hash.contains("solsikke"), "only the hash is stored");
    assert!(
        app::ssr::password::verify("solsikke-demo-2026".to_string().into(), Some(hash))
            .await
            .unwrap()
    );

    assert_eq!(server::seed::disable_demo_accounts(&pool).await.unwrap(), 3);
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_accounts WHERE demo AND NOT disabled")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(active, 0);
    let hashes: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM admin_accounts WHERE demo AND password_hash IS NOT NULL)
              + (SELECT COUNT(*) FROM institution_accounts WHERE demo AND (password_hash IS NOT NULL OR code_hash IS NOT NULL))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(hashes, 0, "no hash of a published demo password is kept");
    assert_eq!(
        server::seed::disable_demo_accounts(&pool).await.unwrap(),
        0,
        "a second start has nothing left to clear"
    );
}
