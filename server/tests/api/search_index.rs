//! The search's in-memory index answers as the SQL search does: the same
//! hits in the same order, the same totals, distances and errors, for
//! random searches on generated registers (the demo register with its
//! reports, then reshaped at random: names in other cases and with Danish
//! letters, moved, unplaced and closed institutions).

use app::domain::sections::{Aldersgruppe, Hensyn, Oekologi, ProfilTag};
use app::domain::{Ejerform, InstitutionType};
use app::portal::index::Snapshot;
use app::portal::search::{search_sql, SearchFilter, SearchPage};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::PgPool;

use crate::helpers::*;

const PASSWORD: &str = "en lang og god adgangskode";

/// Searches per register.
const SEARCHES: usize = 400;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_index_answers_every_search_as_the_sql_does(pool: PgPool) {
    server::seed::reference_data(&pool).await.unwrap();
    server::seed::register(&pool, false).await.unwrap();
    server::seed::demo_reports(&pool, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    for seed in [1_u64, 2, 3] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        reshape(&pool, &mut rng).await;
        let words = Words::load(&pool).await;
        let index = Snapshot::load(&pool, 0).await.unwrap();
        let mut compared_hits = 0;
        for case in 0..SEARCHES {
            let filter = random_filter(&mut rng, &words);
            let Ok(checked) = filter.check() else {
                continue;
            };
            let from_sql = search_sql(&pool, &checked).await;
            let from_index = index.search(&checked);
            match (&from_sql, &from_index) {
                (Ok(sql), Ok(memory)) => {
                    assert_same(
                        sql,
                        memory,
                        &format!("register {seed}, search {case}: {filter:?}"),
                    );
                    compared_hits += sql.hits.len();
                }
                _ => assert_eq!(from_sql, from_index, "register {seed}, search {case}: {filter:?}"),
            }
        }
        assert!(
            compared_hits > SEARCHES * 2,
            "the searches found too little to compare: {compared_hits} hits"
        );
    }
}

/// Equal pages, distances within a millimetre (PostgreSQL and Rust may round
/// the last digit apart).
fn assert_same(sql: &SearchPage, memory: &SearchPage, what: &str) {
    let order = |page: &SearchPage| page.hits.iter().map(|h| h.nummer.clone()).collect::<Vec<_>>();
    assert_eq!(order(sql), order(memory), "order: {what}");
    for (a, b) in sql.hits.iter().zip(&memory.hits) {
        match (a.distance_m, b.distance_m) {
            (Some(x), Some(y)) => assert!((x - y).abs() < 1e-3, "distance {x} vs {y}: {what}"),
            (x, y) => assert_eq!(x, y, "distance: {what}"),
        }
        let without_distance = |h: &app::portal::search::SearchHit| app::portal::search::SearchHit {
            distance_m: None,
            ..h.clone()
        };
        assert_eq!(without_distance(a), without_distance(b), "hit: {what}");
    }
    assert_eq!(
        (sql.total, sql.page, sql.pages, &sql.origin, &sql.origin_note),
        (
            memory.total,
            memory.page,
            memory.pages,
            &memory.origin,
            &memory.origin_note
        ),
        "page: {what}"
    );
}

/// Change the register at random: what the search reads, in ways an import
/// or a kommune could.
async fn reshape(pool: &PgPool, rng: &mut ChaCha8Rng) {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM institutions WHERE institution_type <> 'dagpleje' ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    const PARTS: [&str; 10] = ["Æble", "ørne", "Åen", "SOL", "sol", "Skov", "ly", "Bø", "æ", "Ü"];
    for id in ids.choose_multiple(rng, 120) {
        let name = (0..rng.random_range(1..4))
            .map(|_| *PARTS.choose(rng).unwrap())
            .collect::<Vec<_>>()
            .join(if rng.random_bool(0.5) { " " } else { "" });
        match rng.random_range(0..4) {
            0 => sqlx::query("UPDATE institutions SET navn = $2 WHERE id = $1")
                .bind(id)
                .bind(&name)
                .execute(pool)
                .await
                .unwrap(),
            1 => sqlx::query("UPDATE institutions SET breddegrad = NULL, laengdegrad = NULL WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await
                .unwrap(),
            2 => sqlx::query(
                "UPDATE institutions SET breddegrad = $2, laengdegrad = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(rng.random_range(54.6..57.7))
            .bind(rng.random_range(8.1..15.1))
            .execute(pool)
            .await
            .unwrap(),
            _ => sqlx::query(
                "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE id = $1 AND status = 'aktiv'",
            )
            .bind(id)
            .execute(pool)
            .await
            .unwrap(),
        };
    }
}

/// What searches are made of: the register's own words and places.
struct Words {
    names: Vec<String>,
    numbers: Vec<String>,
    postnumre: Vec<String>,
    towns: Vec<String>,
    kommuner: Vec<String>,
}

impl Words {
    async fn load(pool: &PgPool) -> Words {
        let column = |sql: &'static str| async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(pool)
                .await
                .unwrap()
        };
        Words {
            names: column("SELECT navn FROM institutions ORDER BY id").await,
            numbers: column("SELECT nummer FROM institutions ORDER BY id").await,
            postnumre: column("SELECT postnummer::text FROM postnumre ORDER BY 1").await,
            towns: column("SELECT DISTINCT postby FROM institutions ORDER BY 1").await,
            kommuner: column("SELECT navn FROM kommuner ORDER BY 1").await,
        }
    }
}

fn random_filter(rng: &mut ChaCha8Rng, words: &Words) -> SearchFilter {
    let q = random_text(rng, words);
    let choose = |rng: &mut ChaCha8Rng, p: f64, all: Vec<&'static str>| {
        if rng.random_bool(p) {
            all.choose(rng).unwrap().to_string()
        } else {
            String::new()
        }
    };
    let institution_type = choose(
        rng,
        0.3,
        InstitutionType::ALL.iter().map(|t| t.as_str()).collect(),
    );
    let ejerform = choose(rng, 0.2, Ejerform::ALL.iter().map(|t| t.as_str()).collect());
    let alder = choose(rng, 0.2, Aldersgruppe::ALL.iter().map(|t| t.as_str()).collect());
    let profil = choose(rng, 0.2, ProfilTag::ALL.iter().map(|t| t.as_str()).collect());
    let oekologi = choose(rng, 0.2, Oekologi::ALL.iter().map(|t| t.as_str()).collect());
    let hensyn = choose(rng, 0.2, Hensyn::ALL.iter().map(|t| t.as_str()).collect());
    let aabner = choose(
        rng,
        0.2,
        vec!["05:30", "06:00", "06:30", "06:45", "07:00", "7:15"],
    );
    let lukker = choose(
        rng,
        0.2,
        vec!["16:00", "16:30", "17:00", "17:15", "17:30", "18:00"],
    );
    let (fra, breddegrad, laengdegrad) = match rng.random_range(0..4) {
        0 => (
            words.postnumre.choose(rng).unwrap().clone(),
            String::new(),
            String::new(),
        ),
        1 => (
            String::new(),
            format!("{:.3}", rng.random_range(54.6..57.7)),
            format!("{:.3}", rng.random_range(8.1..15.1)),
        ),
        2 if rng.random_bool(0.2) => ("9999".into(), String::new(), String::new()),
        _ => Default::default(),
    };
    SearchFilter {
        q,
        institution_type,
        alder,
        ejerform,
        profil,
        oekologi,
        hensyn,
        aabner,
        lukker,
        fra,
        breddegrad,
        laengdegrad,
        maks_km: choose(rng, 0.4, vec!["1", "2", "5", "10", "25"]),
        sortering: choose(rng, 0.3, vec!["navn", "afstand"]),
        side: if rng.random_bool(0.2) {
            rng.random_range(2..6)
        } else {
            1
        },
    }
}

/// A search text: part of a name, a whole name, a number, a postnummer, the
/// start of a town or a kommune, or a few letters.
fn random_text(rng: &mut ChaCha8Rng, words: &Words) -> String {
    match rng.random_range(0..9) {
        0 => String::new(),
        1 => {
            // Part of a name, in any case.
            let name: Vec<char> = words.names.choose(rng).unwrap().chars().collect();
            let start = rng.random_range(0..name.len());
            let end = rng.random_range(start + 1..=name.len().min(start + 8));
            let part: String = name[start..end].iter().collect();
            if rng.random_bool(0.5) {
                part.to_uppercase()
            } else {
                part
            }
        }
        2 => words.names.choose(rng).unwrap().to_lowercase(),
        3 => words.numbers.choose(rng).unwrap().to_lowercase(),
        4 => words.postnumre.choose(rng).unwrap().clone(),
        5 => {
            let town: Vec<char> = words.towns.choose(rng).unwrap().chars().collect();
            town[..rng.random_range(1..=town.len())].iter().collect()
        }
        6 => {
            let kommune: Vec<char> = words
                .kommuner
                .choose(rng)
                .unwrap()
                .to_lowercase()
                .chars()
                .collect();
            kommune[..rng.random_range(1..=kommune.len())].iter().collect()
        }
        7 => ["æ", "Ø", "å", "sol", "SOL", "%", "_", "  skov ", "ü", "a\0b"]
            .choose(rng)
            .unwrap()
            .to_string(),
        _ => "e".into(),
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_change_shows_in_the_next_search_from_the_index(pool: PgPool) {
    let app = spawn_app(pool).await;
    for nummer in ["Q00001", "Q00002"] {
        institution_with_password(&app.pool, nummer, 746, PASSWORD).await;
    }
    let search = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };
    // The API's total for `query` once the index answers it (a search that
    // finds the index behind starts loading it, and is answered with SQL).
    let from_index = |query: &'static str| {
        let app = &app;
        eventually(move || async move {
            let response = app.get(&format!("/api/v1/dagtilbud?{query}")).await;
            assert_eq!(response.status(), 200, "{query}");
            let answered = response.headers()["x-soegning"].to_str().unwrap().to_owned();
            let body: serde_json::Value = response.json().await.unwrap();
            (answered == "indeks").then(|| body["total"].as_i64().unwrap())
        })
    };
    assert!(search("/?q=testb%C3%B8rnehaven")
        .await
        .contains("2 dagtilbud matcher"));
    assert_eq!(from_index("q=testb%C3%B8rnehaven").await, 2);
    assert!(search("/?aabner=06:30").await.contains("Ingen dagtilbud matcher"));

    // The saver's next search sees the save at once (as SQL while the
    // index loads again), and then the index does.
    save_monday_hours(&app, "Q00001", PASSWORD, ("06:15", "17:00"), &[]).await;
    assert!(search("/?aabner=06:30").await.contains("Testbørnehaven Q00001"));
    assert_eq!(from_index("aabner=06:30").await, 1);
    let early = search("/?aabner=06:30").await;
    assert!(
        early.contains("1 dagtilbud matcher") && early.contains("Testbørnehaven Q00001"),
        "{early}"
    );

    // A change another server made (here: in the database) reaches the
    // index through PostgreSQL's announcement.
    sqlx::query("UPDATE institutions SET navn = 'Æblehaven' WHERE nummer = 'Q00002'")
        .execute(&app.pool)
        .await
        .unwrap();
    eventually(|| async { (from_index("q=%C3%86BLE").await == 1).then_some(()) }).await;
    // So does a new institution (announced by a trigger on the register).
    institution_with_password(&app.pool, "Q00003", 751, PASSWORD).await;
    eventually(|| async { (from_index("q=q00003").await == 1).then_some(()) }).await;
    assert!(search("/?q=q00003").await.contains("1 dagtilbud matcher"));
}
