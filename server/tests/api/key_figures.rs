//! Kommune key figures: the import (file checks, repeatable, per-line
//! rejections) and where parents see them, with invented figures labelled.

use crate::helpers::{institution_with_password, spawn_app};
use server::import::{self, EXAMPLE_KEY_FIGURES};
use sqlx::PgPool;

const HEADER: &str = "kommunekode;aar;normering_0_2;normering_3_5;normering_dagpleje;andel_paedagoger;boern;andel_ikke_dansk;opdigtet;kilde";

async fn reference(pool: &PgPool) {
    server::seed::reference_data(pool).await.expect("reference data");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_example_file_imports_once_and_a_second_import_changes_nothing(pool: PgPool) {
    reference(&pool).await;
    let first = import::key_figures(&pool, EXAMPLE_KEY_FIGURES, |_, _| ())
        .await
        .unwrap();
    assert_eq!(first.lines, 98, "one line per kommune");
    assert_eq!(first.written, 98);
    assert!(first.rejected.is_empty(), "{first}");
    let stamp: time::OffsetDateTime = sqlx::query_scalar("SELECT max(imported_at) FROM kommune_key_figures")
        .fetch_one(&pool)
        .await
        .unwrap();

    let second = import::key_figures(&pool, EXAMPLE_KEY_FIGURES, |_, _| ())
        .await
        .unwrap();
    assert_eq!((second.written, second.unchanged), (0, 98), "{second}");
    let after: time::OffsetDateTime = sqlx::query_scalar("SELECT max(imported_at) FROM kommune_key_figures")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stamp, after, "no row was rewritten");
    let invented: i64 = sqlx::query_scalar("SELECT count(*) FROM kommune_key_figures WHERE opdigtet")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(invented, 98, "the example file's figures are all marked invented");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn bad_lines_are_reported_by_number_and_the_good_ones_imported(pool: PgPool) {
    reference(&pool).await;
    let file = format!(
        "\u{feff}{HEADER}\r\n\
         751;2025;3,1;6,0;3,6;58,5;4.321;12,5;nej;Danmarks Statistik, BOERN8\r\n\
         999;2025;3,1;6,0;3,6;58,5;100;12,5;nej;x\r\n\
         101;2025;3,1;6,0\r\n\
         101;2025;tre;6,0;3,6;58,5;100;12,5;nej;x\r\n\
         751;2025;3,2;6,0;3,6;58,5;100;12,5;nej;x\r\n\
         147;2024;2,9;;;60;100;8;nej;x\r\n"
    );
    let report = import::key_figures(&pool, &file, |_, _| ()).await.unwrap();
    assert_eq!(report.lines, 6);
    assert_eq!(report.written, 2, "{report}");
    let lines: Vec<usize> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5, 6], "{report}");
    assert!(report.rejected[0].reason.contains("999 er ikke en dansk kommune"));
    assert!(report.rejected[1].reason.contains("kolonner"));
    assert!(report.rejected[2].reason.contains("normering_0_2"));
    assert!(report.rejected[3].reason.contains("står allerede i linje 2"));
    let text = report.to_string();
    assert!(text.contains("linje 4: linjen har 4 kolonner"), "{text}");
    assert!(
        text.ends_with("6 linjer læst: 2 skrevet, 0 uændret, 4 afvist"),
        "{text}"
    );

    let (n02, boern, opdigtet): (f64, i32, bool) = sqlx::query_as(
        "SELECT normering_0_2::float8, boern, opdigtet FROM kommune_key_figures WHERE kommunekode = 751 AND aar = 2025",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (n02, boern, opdigtet),
        (3.1, 4321, false),
        "decimal comma and thousands point"
    );
    let empty: Option<f64> =
        sqlx::query_scalar("SELECT normering_3_5::float8 FROM kommune_key_figures WHERE kommunekode = 147")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(empty, None, "an empty figure stays unknown");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_file_without_the_header_is_refused_whole(pool: PgPool) {
    reference(&pool).await;
    let error = import::key_figures(&pool, "kode;aar\n751;2025\n", |_, _| ())
        .await
        .unwrap_err();
    assert!(error.to_string().contains(HEADER), "{error}");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM kommune_key_figures")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_command_line_import_prints_rejections_and_fails(pool: PgPool) {
    reference(&pool).await;
    let url = crate::helpers::url_of(&pool).await;
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("noegletal-{database}"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("noegletal.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\n751;2025;3,1;6;3,6;58;100;12;ja;Opdigtet\n751;2025;x;6;3,6;58;100;12;ja;Opdigtet\n"
        ),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("import-noegletal")
        .arg(&file)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the server binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("linje 3: normering_0_2"), "{stdout}");
    assert!(
        stdout.contains("2 linjer læst: 1 skrevet, 0 uændret, 1 afvist"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn parents_see_the_kommunes_figures_with_year_and_invented_ones_labelled(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "N10001", 746, "en lang og god adgangskode").await;
    let before = app.get("/dagtilbud/N10001").await.text().await.unwrap();
    assert!(before.contains("Der er endnu ingen nøgletal for kommunen."));

    import::key_figures(&app.pool, EXAMPLE_KEY_FIGURES, |_, _| ())
        .await
        .unwrap();
    // The import reaches the server through PostgreSQL's announcement.
    let page = crate::helpers::eventually(|| async {
        let html = app.get("/dagtilbud/N10001").await.text().await.unwrap();
        html.contains("Tal fra 2025.").then_some(html)
    })
    .await;
    assert!(page.contains("Nøgletal for Skanderborg Kommune"));
    assert!(page.contains("Opdigtede tal."), "invented figures are labelled");
    assert!(page.contains("Normering, 0–2 år"));
    let kommune = app.get("/kommuner/746").await.text().await.unwrap();
    assert!(kommune.contains("Nøgletal for Skanderborg Kommune"));
    assert!(kommune.contains("Opdigtede tal."));

    // Real figures (opdigtet = nej) for every kommune the same year carry no label.
    let real: String = std::iter::once(HEADER.to_string())
        .chain(
            EXAMPLE_KEY_FIGURES
                .trim_start_matches('\u{feff}')
                .lines()
                .skip(1)
                .map(|line| {
                    line.replace(";ja;", ";nej;")
                        .replace("Opdigtede eksempeltal, ikke fra Danmarks Statistik", "Testkilde")
                }),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let report = import::key_figures(&app.pool, &real, |_, _| ()).await.unwrap();
    assert!(report.rejected.is_empty(), "{report}");
    let page = crate::helpers::eventually(|| async {
        let html = app.get("/dagtilbud/N10001").await.text().await.unwrap();
        html.contains("Kilde: Testkilde").then_some(html)
    })
    .await;
    assert!(!page.contains("Opdigtede tal."), "{page}");
}
