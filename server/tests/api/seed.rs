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
    let areas = server::seed::demo_dagpleje().unwrap();
    let expected = (server::seed::generate_register().unwrap().len() + areas.len()) as u64;
    assert_eq!(added, expected);
    // The demo kommune and about half the others have kommunal dagpleje,
    // placed and covering postnumre of their own kommune only.
    assert!(areas.iter().any(|a| a.kommunekode == 746));
    let kommuner: std::collections::HashSet<i16> = areas.iter().map(|a| a.kommunekode).collect();
    assert!((30..=70).contains(&kommuner.len()), "{} kommuner", kommuner.len());
    let foreign: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM institutions i, unnest(i.omraade_postnumre) p
         WHERE NOT EXISTS (SELECT 1 FROM postnumre WHERE postnummer = p AND kommunekode = i.kommunekode)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(foreign, 0);
    let unplaced: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM institutions WHERE institution_type = 'dagpleje' AND breddegrad IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unplaced, 0);
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

/// The demo register with its invented reports, as `./scripts/run` makes it.
async fn demo_with_reports(pool: &PgPool) -> u64 {
    server::seed::reference_data(pool).await.unwrap();
    server::seed::register(pool, false).await.unwrap();
    server::seed::demo_accounts(pool).await.unwrap();
    server::seed::demo_reports(pool, time::OffsetDateTime::now_utc())
        .await
        .unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_demo_looks_like_a_country_halfway_through_reporting(pool: PgPool) {
    let added = demo_with_reports(&pool).await;
    assert!(added > 0);
    let active = count(&pool, "SELECT COUNT(*) FROM institutions WHERE status = 'aktiv'").await as f64;
    let per_institution = "SELECT i.id, COUNT(s.section) AS n FROM institutions i \
         LEFT JOIN institution_sections s ON s.institution_id = i.id WHERE i.status = 'aktiv' GROUP BY i.id";
    let all = count(
        &pool,
        &format!("SELECT COUNT(*) FROM ({per_institution}) t WHERE n = 5"),
    )
    .await as f64;
    let none = count(
        &pool,
        &format!("SELECT COUNT(*) FROM ({per_institution}) t WHERE n = 0"),
    )
    .await as f64;
    let some = active - all - none;
    // About 60 % all, 25 % some, 15 % none.
    assert!(
        (0.45..0.7).contains(&(all / active)),
        "all five: {:.2}",
        all / active
    );
    assert!(
        (0.15..0.35).contains(&(some / active)),
        "some: {:.2}",
        some / active
    );
    assert!(
        (0.1..0.3).contains(&(none / active)),
        "none: {:.2}",
        none / active
    );

    // Kommuner far ahead and far behind.
    let shares: Vec<f64> = sqlx::query_scalar(
        "SELECT AVG((SELECT COUNT(*) FROM institution_sections s WHERE s.institution_id = i.id) / 5.0)::float8
         FROM institutions i WHERE i.status = 'aktiv' GROUP BY i.kommunekode HAVING COUNT(*) >= 10",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (low, high) = shares
        .iter()
        .fold((1.0_f64, 0.0_f64), |(l, h), &s| (l.min(s), h.max(s)));
    assert!(
        high > 0.85 && low < 0.35,
        "kommune shares from {low:.2} to {high:.2}"
    );

    // A history: more saves than sections, some by the kommune, each audited.
    let sections = count(&pool, "SELECT COUNT(*) FROM institution_sections").await;
    let saves = count(&pool, "SELECT COUNT(*) FROM section_history").await;
    assert_eq!(sections as u64, added);
    assert!(
        saves as f64 > sections as f64 * 1.5,
        "{saves} saves of {sections} sections"
    );
    assert!(
        count(
            &pool,
            "SELECT COUNT(*) FROM section_history WHERE actor_role = 'kommune'"
        )
        .await
            > 0
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'afsnit_gemt'"
        )
        .await,
        saves
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM institution_sections s JOIN section_history h \
             ON h.institution_id = s.institution_id AND h.section = s.section AND h.version = s.version \
             AND h.changed_at = s.updated_at"
        )
        .await,
        sections,
        "each section's current version is its last save"
    );
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM section_history WHERE changed_at > now() OR changed_at < now() - interval '366 days'").await,
        0,
        "every save in the past year"
    );

    // The newcomer's own institution has reported nothing.
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM institution_sections s JOIN institutions i ON i.id = s.institution_id WHERE i.nummer = 'G10234'").await,
        0
    );
    // Kontakt holds no real-looking addresses: example domains only.
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM institution_sections WHERE section = 'kontakt' AND data->>'email' NOT LIKE '%.example'").await,
        0
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn demo_reports_are_the_same_every_time_and_never_added_twice(pool: PgPool) {
    demo_with_reports(&pool).await;
    let first: Vec<(String, String, serde_json::Value)> = sqlx::query_as(
        "SELECT i.nummer, s.section, s.data FROM institution_sections s JOIN institutions i ON i.id = s.institution_id ORDER BY 1, 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        server::seed::demo_reports(&pool, time::OffsetDateTime::now_utc())
            .await
            .unwrap(),
        0,
        "a second run adds nothing"
    );

    // Generated again from the seed: the same values.
    let again = server::seed::reports::reports_for(
        &sqlx::query_as::<_, (i64, String, String, i16, String, String, String, String, i16, String)>(
            "SELECT i.id, i.nummer, i.navn, i.kommunekode, k.navn, i.institution_type, i.vejnavn, i.husnummer, i.postnummer, i.postby
             FROM institutions i JOIN kommuner k ON k.kode = i.kommunekode WHERE i.nummer = $1",
        )
        .bind(&first[0].0)
        .fetch_one(&pool)
        .await
        .map(|r| server::seed::reports::Institution {
            id: r.0,
            nummer: r.1,
            navn: r.2,
            kommunekode: r.3,
            kommune: r.4,
            institution_type: r.5,
            vejnavn: r.6,
            husnummer: r.7,
            postnummer: r.8,
            postby: r.9,
        })
        .unwrap(),
        time::OffsetDateTime::now_utc().date(),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    let last = again
        .iter()
        .filter(|s| s.kind.as_str() == first[0].1)
        .max_by_key(|s| s.version)
        .unwrap();
    assert_eq!(last.data, first[0].2, "regenerated: the same value");
}
