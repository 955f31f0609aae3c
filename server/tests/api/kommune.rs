//! The kommune administrator: overview, log-in letters and export, each scoped
//! to the administrator's own kommune.

use crate::helpers::{admin, institution_with_password, kommune_admin, spawn_app, TestApp};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;

/// Post the letter form; when the server starts a letter job, follow it to
/// the job's page (which waits for small jobs to finish).
async fn post_letters(client: &TestApp, body: &str) -> reqwest::Response {
    let response = client
        .client
        .post(format!("{}/kommune/breve", client.address))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    match job_location(&response) {
        Some(job) => client.get(&job).await,
        None => response,
    }
}

/// The letter job a response sends the browser to.
fn job_location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .filter(|l| l.starts_with("/kommune/breve/"))
        .map(String::from)
}

/// The codes in a letters CSV, by institution number.
fn codes_from_csv(csv: &str) -> Vec<(String, String)> {
    csv.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            (fields[0].to_string(), fields[4].to_string())
        })
        .collect()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_overview_shows_only_the_own_kommune_with_filters(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S20001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "S20002", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "A20001", AARHUS, PASSWORD).await;
    let logged_in = app.fresh_client();
    assert_eq!(
        logged_in.login_institution("S20001", PASSWORD).await.status(),
        200
    );
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let page: serde_json::Value = kommune.call("kommune_oversigt", &[]).await.json().await.unwrap();
    let numbers: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["nummer"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["S20001", "S20002"]);
    assert_eq!(page["summary"]["active"], 2);
    assert_eq!(page["summary"]["logged_in"], 1);

    let never: serde_json::Value = kommune
        .call("kommune_oversigt", &[("filter[aldrig]", "true")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(never["matching"], 1);
    assert_eq!(never["rows"][0]["nummer"], "S20002");

    let html = kommune.get("/kommune?soeg=S20002").await.text().await.unwrap();
    assert!(
        html.contains("S20002") && !html.contains(">S20001<"),
        "search filters the table"
    );
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "the chart is server-rendered"
    );
    assert!(
        !html.contains("A20001"),
        "another kommune's institution never shows"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn letters_issue_codes_that_work_once_and_replace_older_ones(pool: PgPool) {
    let app = spawn_app(pool).await;
    for nummer in ["S30001", "S30002", "S30003"] {
        institution_with_password(&app.pool, nummer, SKANDERBORG, PASSWORD).await;
    }
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let pdf = post_letters(&kommune, "nummer=S30001&nummer=S30002&nummer=S30003&format=pdf").await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(pdf.headers()["cache-control"], "no-store");
    let document = lopdf::Document::load_mem(&pdf.bytes().await.unwrap()).expect("a valid PDF");
    assert_eq!(document.get_pages().len(), 3, "one page per institution");

    // Issuing again ends the codes of the PDF above and the old passwords.
    let csv = post_letters(&kommune, "nummer=S30001&nummer=S30002&format=csv").await;
    assert_eq!(csv.status(), 200);
    let codes = codes_from_csv(&csv.text().await.unwrap());
    assert_eq!(codes.len(), 2);
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("S30001", PASSWORD).await.status(),
        422,
    );
    assert_eq!(
        institution.login_institution("S30003", PASSWORD).await.status(),
        422,
    );

    let (nummer, code) = &codes[0];
    let first = app.fresh_client();
    assert_eq!(first.login_institution(nummer, code).await.status(), 200);
    let again = app.fresh_client();
    assert_eq!(
        again.login_institution(nummer, code).await.status(),
        422,
        "a code works exactly once"
    );

    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'kode_udstedt'"
        )
        .await,
        5
    );
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM institution_accounts WHERE code_hash IS NOT NULL")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(
        stored.iter().all(|h| h.starts_with("$argon2id$")),
        "only hashes are stored"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn print_view_and_letters_to_everyone_who_never_logged_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S40001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "S40002", SKANDERBORG, PASSWORD).await;
    let logged_in = app.fresh_client();
    assert_eq!(
        logged_in.login_institution("S40001", PASSWORD).await.status(),
        200
    );
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let html = post_letters(&kommune, "alle_aldrig=1&format=html").await;
    assert_eq!(html.status(), 200);
    let policy = html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("style-src 'self';"), "{policy}");
    let body = html.text().await.unwrap();
    assert!(
        !body.contains("<style") && body.contains("<link rel=\"stylesheet\" href=\"/brev.css\">"),
        "the letters' style comes from the stylesheet the policy allows"
    );
    let css = app.get("/brev.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.text().await.unwrap().contains("@media print"));
    assert_eq!(body.matches("<article class=\"letter\">").count(), 1);
    assert!(body.contains("S40002") && !body.contains("S40001"));
    assert!(body.contains("lang=\"da\"") && body.contains("engangskoden"));

    let nothing = post_letters(&kommune, "format=html").await;
    assert_eq!(nothing.status(), 422);
    assert!(nothing.text().await.unwrap().contains("Vælg mindst ét dagtilbud"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn another_kommunes_institutions_are_not_found_and_untouched(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S50001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "A50001", AARHUS, PASSWORD).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let refused = post_letters(&kommune, "nummer=S50001&nummer=A50001&format=csv").await;
    assert_eq!(refused.status(), 404);
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM institution_accounts WHERE code_hash IS NOT NULL"
        )
        .await,
        0,
        "nothing is issued when one number is not the kommune's"
    );
    let other = app.fresh_client();
    assert_eq!(other.login_institution("A50001", PASSWORD).await.status(), 200);

    let export = kommune.get("/kommune/eksport.csv").await;
    assert_eq!(export.status(), 200);
    let csv = export.text().await.unwrap();
    assert!(csv.contains("S50001") && !csv.contains("A50001"));
    assert!(csv
        .trim_start_matches('\u{feff}')
        .starts_with("institutionsnummer;navn;type"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_kommune_administrators_reach_letters_and_export(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S60001", SKANDERBORG, PASSWORD).await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("S60001", PASSWORD).await.status(),
        200
    );
    admin(&app.pool, "s@stil.example", "support", None, PASSWORD, false).await;
    let support = app.fresh_client();
    assert_eq!(
        support.login_admin("s@stil.example", PASSWORD).await.status(),
        200
    );
    let anonymous = app.fresh_client();

    for client in [&institution, &support] {
        assert_eq!(post_letters(client, "nummer=S60001").await.status(), 403);
        assert_eq!(client.get("/kommune/eksport.csv").await.status(), 403);
        assert_eq!(client.call("kommune_oversigt", &[]).await.status(), 403);
    }
    assert_eq!(post_letters(&anonymous, "nummer=S60001").await.status(), 303);
    assert_eq!(anonymous.get("/kommune/eksport.csv").await.status(), 303);
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM institution_accounts WHERE code_hash IS NOT NULL"
        )
        .await,
        0
    );

    // A cross-site form post is refused even for the right role.
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let forged = kommune
        .client
        .post(format!("{}/kommune/breve", kommune.address))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("nummer=S60001")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_letter_job_is_fetched_again_only_by_whoever_asked_for_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S70001", SKANDERBORG, PASSWORD).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let started = kommune
        .client
        .post(format!("{}/kommune/breve", kommune.address))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("nummer=S70001&format=html")
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let job = job_location(&started).expect("the browser is sent to the letter job");

    let print = kommune.get(&job).await;
    assert_eq!(print.status(), 200);
    assert_eq!(print.headers()["cache-control"], "no-store");
    let body = print.text().await.unwrap();
    let base = job.split('?').next().unwrap();
    assert!(body.contains(&format!("href=\"{base}?format=pdf\"")));
    let code = body
        .split("engangskoden: ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the letter shows the code")
        .to_string();

    // The same letters again, as CSV: the same code, not a new one.
    let csv = kommune.get(&format!("{base}?format=csv")).await;
    assert_eq!(csv.status(), 200);
    assert_eq!(
        codes_from_csv(&csv.text().await.unwrap()),
        vec![("S70001".to_string(), code)]
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'kode_udstedt'"
        )
        .await,
        1
    );

    // Another administrator of the same kommune, or of another, does not get them.
    let colleague_email = "kollega@skanderborg.example";
    admin(
        &app.pool,
        colleague_email,
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await;
    let colleague = app.fresh_client();
    assert_eq!(
        colleague.login_admin(colleague_email, PASSWORD).await.status(),
        200
    );
    let refused = colleague.get(&job).await;
    assert_eq!(refused.status(), 404);
    assert!(!refused.text().await.unwrap().contains("S70001"));
    let aarhus = kommune_admin(&app, AARHUS).await;
    assert_eq!(aarhus.get(&job).await.status(), 404);
    let anonymous = app.fresh_client();
    assert_eq!(anonymous.get(&job).await.status(), 303);
}
