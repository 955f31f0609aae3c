//! The register import: upsert by number, never delete, every rejected line
//! named, repeatable, and a closing in the register ends the account's sessions.

use crate::helpers::{institution_with_password, spawn_app};
use server::import::{self, EXAMPLE_REGISTER, REGISTER_COLUMNS};
use sqlx::PgPool;

async fn reference(pool: &PgPool) {
    server::seed::reference_data(pool).await.expect("reference data");
}

fn file(lines: &[&str]) -> String {
    format!(
        "\u{feff}{}\r\n{}\r\n",
        REGISTER_COLUMNS.join(";"),
        lines.join("\r\n")
    )
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_example_register_imports_once_and_a_repeat_changes_nothing(pool: PgPool) {
    reference(&pool).await;
    let first = import::register(&pool, EXAMPLE_REGISTER, |_, _| ())
        .await
        .unwrap();
    assert!(first.rejected.is_empty(), "{first}");
    assert_eq!((first.lines, first.written), (4, 4));
    let (navn, postby, cvr, status): (String, String, Option<String>, String) =
        sqlx::query_as("SELECT navn, postby, cvr, status FROM institutions WHERE nummer = 'X00001'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(navn, "Eksempelbørnehuset Kastanjen");
    assert_eq!(postby, "Skanderborg");
    assert_eq!(cvr.as_deref(), Some("29190925"));
    assert_eq!(status, "aktiv");
    let closed: Option<time::Date> =
        sqlx::query_scalar("SELECT closed_on FROM institutions WHERE nummer = 'X00004'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(closed, Some(time::macros::date!(2025 - 07 - 31)));

    let audit_before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(audit_before, 4, "one audit row per new institution");
    let second = import::register(&pool, EXAMPLE_REGISTER, |_, _| ())
        .await
        .unwrap();
    assert_eq!((second.written, second.unchanged), (0, 4), "{second}");
    let audit_after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(audit_after, audit_before, "nothing changed, nothing audited");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_bad_line_is_named_and_the_rest_imported_without_deleting(pool: PgPool) {
    reference(&pool).await;
    institution_with_password(&pool, "KEEP01", 746, "en lang og god adgangskode").await;
    let text = file(&[
        "Y00001;Godt Børnehus;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00002;Ukendt kommune;boernehave;kommunal;999;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00003;For få kolonner;boernehave",
        "Y00004;Forkert type;skole;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00001;Dobbelt nummer;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00005;Dårligt CVR;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;12345678;;aktiv;",
        "Y00006;Lukket uden dato;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;nedlagt;",
        "Y0007;Kort nummer;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00008;Ukendt postnummer;boernehave;kommunal;746;Adelgade;1;1001;Ingenby;;;aktiv;",
    ]);
    let report = import::register(&pool, &text, |_, _| ()).await.unwrap();
    assert_eq!(report.written, 1, "{report}");
    let lines: Vec<usize> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10], "{report}");
    let reasons: Vec<&str> = report.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert!(reasons[0].contains("999 er ikke en dansk kommune"));
    assert!(reasons[1].contains("kolonner"));
    assert!(reasons[2].contains("type «skole» kendes ikke"));
    assert!(reasons[3].contains("står allerede i linje 2"));
    assert!(reasons[4].starts_with("cvr:"));
    assert!(reasons[5].contains("nedlagt_dato"));
    assert!(reasons[6].starts_with("institutionsnummer:"));
    assert!(reasons[7].contains("postnummer 1001 findes ikke"));
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM institutions WHERE nummer = 'KEEP01'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 1, "an institution missing from the file is never deleted");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_closing_in_the_register_ends_sessions_and_the_public_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "Z10001", 746, "en lang og god adgangskode").await;
    let institution = app.fresh_client();
    assert_eq!(
        institution
            .login_institution("Z10001", "en lang og god adgangskode")
            .await
            .status(),
        200
    );
    assert_eq!(institution.call("afsnit_status", &[]).await.status(), 200);
    let (navn, vejnavn, husnummer, postnummer, postby): (String, String, String, i16, String) =
        sqlx::query_as(
            "SELECT navn, vejnavn, husnummer, postnummer, postby FROM institutions WHERE nummer = 'Z10001'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let line = format!(
        "Z10001;{navn};boernehave;kommunal;746;{vejnavn};{husnummer};{postnummer};{postby};;;nedlagt;1.11.2026"
    );
    let report = import::register(&app.pool, &file(&[&line]), |_, _| ())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{report}");
    assert_eq!(report.written, 1);
    assert_eq!(institution.call("afsnit_status", &[]).await.status(), 401);
    assert_eq!(app.get("/dagtilbud/Z10001").await.status(), 404);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn markup_in_a_register_field_rejects_the_line(pool: PgPool) {
    reference(&pool).await;
    let text = file(&[
        "Y00001;Svalen </title><script>alert(1)</script>;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
        "Y00002;Godt Børnehus;boernehave;kommunal;746;Adel<gade;1;8660;Skanderborg;;;aktiv;",
        "Y00003;Leg & Læring;boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;",
    ]);
    let report = import::register(&pool, &text, |_, _| ()).await.unwrap();
    assert_eq!(report.written, 1, "{report}");
    let reasons: Vec<&str> = report.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{report}");
    assert!(reasons[0].starts_with("navn indeholder < eller >"), "{report}");
    assert!(reasons[1].starts_with("vejnavn indeholder < eller >"), "{report}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn optional_position_columns_are_read_checked_and_kept_when_absent(pool: PgPool) {
    use server::import::REGISTER_POSITION_COLUMNS;
    reference(&pool).await;
    let with_positions = |lines: &[&str]| {
        format!(
            "{};{}\n{}\n",
            REGISTER_COLUMNS.join(";"),
            REGISTER_POSITION_COLUMNS.join(";"),
            lines.join("\n")
        )
    };
    let base = "boernehave;kommunal;746;Adelgade;1;8660;Skanderborg;;;aktiv;";
    let text = with_positions(&[
        &format!("Z00001;Placeret;{base};56,0392;9,9285"),
        &format!("Z00002;Uden placering;{base};;"),
        &format!("Z00003;I Berlin;{base};52,52;13,40"),
        &format!("Z00004;Halv placering;{base};56,0392;"),
        &format!("Z00005;Ikke tal;{base};nord;øst"),
        &format!("Z00006;For få kolonner;{base}"),
    ]);
    let report = import::register(&pool, &text, |_, _| ()).await.unwrap();
    assert_eq!(report.written, 2, "{report}");
    let reasons: Vec<(usize, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{report}");
    assert!(
        reasons[0].0 == 4
            && reasons[0]
                .1
                .contains("breddegrad: Breddegraden skal ligge i Danmark"),
        "{report}"
    );
    assert!(
        reasons[1].1.contains("laengdegrad: Skriv også længdegraden"),
        "{report}"
    );
    assert!(reasons[2].1.contains("decimaltal"), "{report}");
    assert!(reasons[3].1.contains("skal have 15"), "{report}");
    let position = |nummer: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (Option<f64>, Option<f64>)>(
                "SELECT breddegrad, laengdegrad FROM institutions WHERE nummer = $1",
            )
            .bind(nummer)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(position("Z00001").await, (Some(56.0392), Some(9.9285)));
    assert_eq!(position("Z00002").await, (None, None));

    // A file without the columns leaves positions as they are…
    let plain = file(&[&format!("Z00001;Placeret;{base}")]);
    let again = import::register(&pool, &plain, |_, _| ()).await.unwrap();
    assert_eq!((again.written, again.unchanged), (0, 1), "{again}");
    assert_eq!(position("Z00001").await, (Some(56.0392), Some(9.9285)));
    // …and one with them empty removes it.
    let cleared = with_positions(&[&format!("Z00001;Placeret;{base};;")]);
    let report = import::register(&pool, &cleared, |_, _| ()).await.unwrap();
    assert_eq!(report.written, 1, "{report}");
    assert_eq!(position("Z00001").await, (None, None));
    // A header with only one of the two is refused as a whole.
    let half = format!("{};breddegrad\n", REGISTER_COLUMNS.join(";"));
    assert!(matches!(
        import::register(&pool, &half, |_, _| ()).await,
        Err(import::ImportError::Header { .. })
    ));
}
