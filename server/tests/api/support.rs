//! STIL support: finds any institution, resets codes and passwords without
//! learning them, maintains private institutions and administrator accounts,
//! and reads the audit log. Every other role is refused every support action.

use crate::helpers::{
    admin, app_error, institution_with_password, kommune_admin, location_of, set_up_second_factor, spawn_app,
    TestApp,
};
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;
const SUPPORT_EMAIL: &str = "hjaelp@stil.example";

async fn support_user(app: &TestApp) -> (TestApp, i64) {
    let id = admin(&app.pool, SUPPORT_EMAIL, "support", None, PASSWORD, false).await;
    let client = app.fresh_client();
    assert_eq!(client.login_admin(SUPPORT_EMAIL, PASSWORD).await.status(), 200);
    (client, id)
}

/// POST a plain form to one of support's document endpoints.
async fn post_form(client: &TestApp, path: &str) -> reqwest::Response {
    client
        .client
        .post(format!("{}{}", client.address, path))
        .header(crate::helpers::SAME_ORIGIN.0, crate::helpers::SAME_ORIGIN.1)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("request")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} in {text}")) + start.len();
    let len = text[from..].find(end).expect("end marker");
    &text[from..from + len]
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn numbers(client: &TestApp, form: &[(&str, &str)]) -> Vec<String> {
    let form: Vec<(String, &str)> = form.iter().map(|(k, v)| (format!("filter[{k}]"), *v)).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let response = client.call("support_soeg", &form).await;
    assert_eq!(response.status(), 200);
    let page: serde_json::Value = response.json().await.unwrap();
    page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["nummer"].as_str().unwrap().to_string())
        .collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_finds_institutions_by_number_name_address_kommune_and_postnummer(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S30001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "A30001", AARHUS, PASSWORD).await;
    institution_with_password(&app.pool, "A30002", AARHUS, PASSWORD).await;
    sqlx::query("UPDATE institutions SET navn = 'Spiretten', vejnavn = 'Åboulevarden', husnummer = '12B', postnummer = 8000, postby = 'Aarhus C' WHERE nummer = 'A30002'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'A30001'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (support, _) = support_user(&app).await;

    assert_eq!(numbers(&support, &[("soeg", "spiret")]).await, ["A30002"]);
    assert_eq!(numbers(&support, &[("soeg", "s30001")]).await, ["S30001"]);
    // A caller often names the street rather than the institution.
    assert_eq!(
        numbers(&support, &[("soeg", "åboulevarden 12b")]).await,
        ["A30002"]
    );
    assert_eq!(numbers(&support, &[("soeg", "skolevej")]).await, ["S30001"]);
    assert_eq!(numbers(&support, &[("kommune", "751")]).await, ["A30002"]);
    assert_eq!(
        numbers(&support, &[("kommune", "751"), ("status", "alle")]).await,
        ["A30002", "A30001"]
    );
    assert_eq!(numbers(&support, &[("postnummer", "8660")]).await, ["S30001"]);
    assert_eq!(
        numbers(&support, &[("soeg", "testbørnehaven"), ("status", "nedlagt")]).await,
        ["A30001"]
    );

    // The page is a plain GET form; its results link to each institution.
    let page = support.get("/support?soeg=Spiretten").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/support/dagtilbud/A30002\""), "{html}");
    assert!(html.contains("1 dagtilbud matcher"));

    // Bad input names the field and keeps what was typed.
    let bad = support.get("/support?postnummer=80&kommune=999").await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Postnummeret skal være fire cifre"), "{html}");
    assert!(html.contains("Kommunekoden findes ikke"));
    assert!(html.contains("value=\"80\""));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_resets_an_institution_code_and_the_institution_logs_in_with_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "A31001", AARHUS, PASSWORD).await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("A31001", PASSWORD).await.status(),
        200
    );
    assert_eq!(institution.get("/indberetning").await.status(), 200);
    let (support, support_id) = support_user(&app).await;

    let page = support.get("/support/dagtilbud/A31001").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Aarhus Kommune"), "the kommune is named");
    assert!(html.contains("action=\"/support/dagtilbud/A31001/kode\""));

    let letter = post_form(&support, "/support/dagtilbud/A31001/kode").await;
    assert_eq!(letter.status(), 200);
    assert_eq!(letter.headers()["cache-control"], "no-store");
    let html = letter.text().await.unwrap();
    assert!(html.contains("Aarhus Kommune"), "the kommune's own letter");
    let code = between(&html, "Skriv engangskoden: ", "<").to_string();
    assert_eq!(code.len(), 14, "{code}");

    // The old password and session are gone; the code works once.
    assert_eq!(institution.get("/indberetning").await.status(), 303);
    let old = app.fresh_client();
    assert_eq!(old.login_institution("A31001", PASSWORD).await.status(), 422);
    let new = app.fresh_client();
    assert_eq!(new.login_institution("A31001", &code).await.status(), 200);
    assert_eq!(
        app.fresh_client()
            .login_institution("A31001", &code)
            .await
            .status(),
        422
    );

    // Audited as support's act, without the code.
    let (actor_role, actor_id, details): (String, Option<i64>, String) = sqlx::query_as(
        "SELECT actor_role, actor_id, details::text FROM audit_log WHERE action = 'kode_udstedt'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((actor_role.as_str(), actor_id), ("support", Some(support_id)));
    assert!(!details.contains(&code.replace('-', "")) && !details.contains(&code));

    // A closed or unknown institution gets no code.
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'A31001'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        post_form(&support, "/support/dagtilbud/A31001/kode")
            .await
            .status(),
        404
    );
    assert_eq!(
        post_form(&support, "/support/dagtilbud/ZZZZZZ/kode")
            .await
            .status(),
        404
    );
    assert_eq!(
        post_form(&support, "/support/dagtilbud/%3Cscript%3E/kode")
            .await
            .status(),
        404
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_opens_any_institution_and_edits_on_its_behalf(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S32001", SKANDERBORG, PASSWORD).await;
    let (support, _) = support_user(&app).await;

    let form = support.get("/support/dagtilbud/S32001/aabningstider").await;
    assert_eq!(form.status(), 200);
    assert!(form
        .text()
        .await
        .unwrap()
        .contains("name=\"nummer\" value=\"S32001\""));
    let saved = support
        .post_plain(
            "aabningstider_gem",
            &[
                ("nummer", "S32001"),
                ("version", "0"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:30"),
                ("mandag_til", "17:00"),
            ],
            "/support/dagtilbud/S32001/aabningstider",
        )
        .await;
    assert!(saved.status().is_redirection(), "{}", saved.status());
    assert_eq!(
        saved.headers()["location"].to_str().unwrap(),
        "/support/dagtilbud/S32001/aabningstider?gemt=1"
    );
    let history = support.get("/support/dagtilbud/S32001/historik").await;
    assert_eq!(history.status(), 200);
    assert!(history.text().await.unwrap().contains("Support (STIL)"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_creates_and_closes_private_institutions_only(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "A33001", AARHUS, PASSWORD).await;
    let (support, _) = support_user(&app).await;
    let mut form = vec![
        ("kommunekode", "751"),
        ("navn", "Den Private Børnehave"),
        ("institution_type", "boernehave"),
        ("ejerform", "privat"),
        ("vejnavn", "Skovvej"),
        ("husnummer", "3"),
        ("postnummer", "8000"),
    ];

    let created = support
        .post_plain("kommune_opret_dagtilbud", &form, "/support/nyt-dagtilbud")
        .await;
    assert!(created.status().is_redirection(), "{}", created.status());
    let location = created.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/support/dagtilbud/D") && location.ends_with("?oprettet=1"),
        "{location}"
    );
    let nummer = location["/support/dagtilbud/".len().."/support/dagtilbud/".len() + 6].to_string();
    let (kommunekode, ejerform): (i16, String) =
        sqlx::query_as("SELECT kommunekode, ejerform FROM institutions WHERE nummer = $1")
            .bind(&nummer)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((kommunekode, ejerform.as_str()), (AARHUS, "privat"));
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM audit_log WHERE action = 'dagtilbud_oprettet' AND actor_role = 'support' AND kommunekode = 751").await,
        1
    );

    // A kommunal one is the kommune's; an unknown kommune is named.
    form[3] = ("ejerform", "kommunal");
    form[0] = ("kommunekode", "102");
    let AppError::Validation(errors) = app_error(support.call("kommune_opret_dagtilbud", &form).await).await
    else {
        panic!("a validation error");
    };
    assert!(errors["ejerform"].contains("privat"), "{errors:?}");
    assert!(errors["kommunekode"].contains("findes ikke"), "{errors:?}");
    let page = support.get("/support/nyt-dagtilbud").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text().await.unwrap().contains("Aarhus (751)"),
        "the kommuner to choose from"
    );

    // Support edits the private one's master data with the version it read.
    let mut edit: Vec<(&str, &str)> = vec![("nummer", &nummer), ("version", "1")];
    edit.extend(form.iter().skip(1).copied());
    edit[4] = ("ejerform", "privat");
    edit[2] = ("navn", "Den Private Børnehave i Skoven");
    let edited = support.call("kommune_ret_dagtilbud", &edit).await;
    assert_eq!(edited.status(), 200);
    let navn: String = sqlx::query_scalar("SELECT navn FROM institutions WHERE nummer = $1")
        .bind(&nummer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(navn, "Den Private Børnehave i Skoven");
    assert_eq!(
        support.call("kommune_ret_dagtilbud", &edit).await.status(),
        409,
        "a stale version"
    );
    edit[0] = ("nummer", "A33001");
    edit[4] = ("ejerform", "kommunal");
    assert_eq!(
        support.call("kommune_ret_dagtilbud", &edit).await.status(),
        422,
        "support keeps to private ones"
    );
    edit[4] = ("ejerform", "privat");
    assert_eq!(support.call("kommune_ret_dagtilbud", &edit).await.status(), 404);
    let page = support
        .get(&format!("/support/dagtilbud/{nummer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Ret stamdata") && page.contains("value=\"Den Private Børnehave i Skoven\""));

    // Support closes the private one, not the kommune's.
    let today = crate::helpers::danish_today();
    let close = |nummer: String, version: &'static str| {
        let support = &support;
        let today = today.clone();
        async move {
            support
                .call(
                    "kommune_luk_dagtilbud",
                    &[
                        ("nummer", &nummer),
                        ("version", version),
                        ("lukket_den", &today),
                        ("bekraeft", "on"),
                    ],
                )
                .await
                .status()
        }
    };
    assert_eq!(close("A33001".into(), "1").await, 404);
    assert_eq!(close(nummer.clone(), "2").await, 200);
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM institutions WHERE status = 'nedlagt'"
        )
        .await,
        1
    );
    let page = support
        .get(&format!("/support/dagtilbud/{nummer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lukket den"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_manages_kommune_administrators_without_learning_their_passwords(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (support, support_id) = support_user(&app).await;
    let new = [
        ("email", " Ida@Aarhus.example "),
        ("navn", "Ida Hansen"),
        ("rolle", "kommune"),
        ("kommunekode", "751"),
    ];
    let created = support.call("support_opret_konto", &new).await;
    assert_eq!(created.status(), 200);
    let id: i64 = created.json().await.unwrap();
    let again = app_error(support.call("support_opret_konto", &new).await).await;
    assert!(
        matches!(&again, AppError::Validation(e) if e["email"].contains("findes allerede")),
        "{again:?}"
    );
    let AppError::Validation(errors) = app_error(
        support
            .call(
                "support_opret_konto",
                &[("email", "ikke en mail"), ("navn", ""), ("rolle", "kommune")],
            )
            .await,
    )
    .await
    else {
        panic!("a validation error");
    };
    for field in ["email", "navn", "kommunekode"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }

    // No password until support makes a single-use one; it is shown once.
    let page = support
        .get(&format!("/support/konti/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Mangler engangsadgangskode"), "{page}");
    let shown = post_form(&support, &format!("/support/konti/{id}/adgangskode")).await;
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["cache-control"], "no-store");
    let html = shown.text().await.unwrap();
    let password = between(&html, "<strong>", "</strong>").to_string();
    assert_eq!(password.len(), 24);
    let ida = app.fresh_client();
    let login = ida.login_admin("ida@aarhus.example", &password).await;
    assert_eq!(login.status(), 200);
    assert_eq!(
        ida.get("/kommune").await.status(),
        303,
        "must choose a password first"
    );
    assert_eq!(
        ida.call(
            "vaelg_adgangskode",
            &[
                ("ny_adgangskode", "Idas egen lange adgangskode"),
                ("gentag_adgangskode", "Idas egen lange adgangskode")
            ]
        )
        .await
        .status(),
        200
    );
    // Her first log-in sets up the second factor before anything else opens.
    assert_eq!(location_of(&ida.get("/kommune").await), "/admin/totrin/opsaet");
    let (_, codes) = set_up_second_factor(&ida).await;
    assert_eq!(codes.len(), 10);
    assert_eq!(ida.get("/kommune").await.status(), 200);
    let list = support
        .get("/support/konti?kommune=751")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("ida@aarhus.example") && !list.contains(&password));

    // Moving her ends her session; a stale move changes nothing.
    let moved = support
        .call(
            "support_flyt_konto",
            &[("id", &id.to_string()), ("fra", "751"), ("kommunekode", "746")],
        )
        .await;
    assert_eq!(moved.status(), 200);
    assert_eq!(ida.get("/kommune").await.status(), 303, "logged out");
    let stale = support
        .call(
            "support_flyt_konto",
            &[("id", &id.to_string()), ("fra", "751"), ("kommunekode", "101")],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let kommunekode: i16 = sqlx::query_scalar("SELECT kommunekode FROM admin_accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kommunekode, SKANDERBORG);
    assert_eq!(
        ida.login_admin("ida@aarhus.example", "Idas egen lange adgangskode")
            .await
            .status(),
        200
    );
    let overview: serde_json::Value = ida.call("kommune_oversigt", &[]).await.json().await.unwrap();
    assert_eq!(overview["kommune"], "Skanderborg");

    // Disabling ends the session and refuses log-in; re-enabling lets her back.
    let disable = support
        .call("support_spaer_konto", &[("id", &id.to_string()), ("spaer", "1")])
        .await;
    assert_eq!(disable.status(), 200);
    assert_eq!(ida.get("/kommune").await.status(), 303);
    assert_eq!(
        ida.login_admin("ida@aarhus.example", "Idas egen lange adgangskode")
            .await
            .status(),
        422
    );
    assert_eq!(
        post_form(&support, &format!("/support/konti/{id}/adgangskode"))
            .await
            .status(),
        409,
        "no password for a disabled account"
    );
    assert_eq!(
        support
            .call("support_spaer_konto", &[("id", &id.to_string()), ("spaer", "1")])
            .await
            .status(),
        409
    );
    assert_eq!(
        support
            .call("support_spaer_konto", &[("id", &id.to_string()), ("spaer", "0")])
            .await
            .status(),
        200
    );
    assert_eq!(
        ida.login_admin("ida@aarhus.example", "Idas egen lange adgangskode")
            .await
            .status(),
        200
    );
    let own = support
        .call(
            "support_spaer_konto",
            &[("id", &support_id.to_string()), ("spaer", "1")],
        )
        .await;
    assert_eq!(own.status(), 422, "support cannot lock itself out");

    // Every change is audited; no password is.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE actor_role = 'support' AND details->>'konto' = $1::text ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "konto_oprettet",
            "adgangskode_nulstillet",
            "konto_flyttet",
            "konto_spaerret",
            "konto_genaabnet"
        ]
    );
    let leaked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE details::text LIKE '%' || $1 || '%'")
            .bind(&password)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(leaked, 0);

    // The log finds what she did and what was done to her account.
    let log: serde_json::Value = support
        .call("support_log", &[("filter[konto]", "ida@aarhus")])
        .await
        .json()
        .await
        .unwrap();
    let shown: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "Konto oprettet",
        "Engangsadgangskode lavet",
        "Log-ind",
        "Adgangskode valgt",
        "Konto spærret",
    ] {
        assert!(shown.contains(&action), "{action}: {shown:?}");
    }

    // A support account is made the same way, without a kommune.
    let other = support
        .call(
            "support_opret_konto",
            &[
                ("email", "kollega@stil.example"),
                ("navn", "Kollega"),
                ("rolle", "support"),
                ("kommunekode", ""),
            ],
        )
        .await;
    assert_eq!(other.status(), 200);
    let role: (String, Option<i16>) =
        sqlx::query_as("SELECT role, kommunekode FROM admin_accounts WHERE email = 'kollega@stil.example'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(role, ("support".to_string(), None));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_audit_log_filters_pages_and_exports_csv(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S34001", SKANDERBORG, PASSWORD).await;
    institution_with_password(&app.pool, "S34002", SKANDERBORG, PASSWORD).await;
    for nummer in ["S34001", "S34002", "S34001"] {
        assert_eq!(
            app.fresh_client()
                .login_institution(nummer, PASSWORD)
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        app.fresh_client()
            .login_institution("S34002", "forkert")
            .await
            .status(),
        422
    );
    let (support, _) = support_user(&app).await;

    let page = |form: Vec<(&'static str, String)>| {
        let support = &support;
        async move {
            let form: Vec<(String, &str)> = form
                .iter()
                .map(|(k, v)| (format!("filter[{k}]"), v.as_str()))
                .collect();
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            let response = support.call("support_log", &form).await;
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let logins = page(vec![
        ("handling", "log_ind".into()),
        ("dagtilbud", "s34001".into()),
    ])
    .await;
    assert_eq!(logins["matching"], 2);
    assert_eq!(logins["entries"][0]["action"], "Log-ind");
    let refused = page(vec![
        ("konto", "S34002".into()),
        ("handling", "log_ind_afvist".into()),
    ])
    .await;
    assert_eq!(refused["matching"], 1);
    assert!(refused["entries"][0]["details"]
        .as_str()
        .unwrap()
        .contains("forkert kodeord"));
    let today = crate::helpers::danish_today();
    let all_today = page(vec![("fra", today.clone()), ("til", today.clone())]).await;
    assert_eq!(all_today["matching"], 5, "{all_today}");
    let tomorrow = page(vec![("fra", "1.1.2099".into())]).await;
    assert_eq!(tomorrow["matching"], 0);

    let bad = app_error(
        support
            .call(
                "support_log",
                &[("filter[fra]", "32.1.2026"), ("filter[dagtilbud]", "x")],
            )
            .await,
    )
    .await;
    let AppError::Validation(errors) = bad else {
        panic!("a validation error")
    };
    assert!(errors["fra"].contains("Fra-datoen") && errors["dagtilbud"].contains("Institutionsnummeret"));

    let html = support
        .get("/support/log?handling=log_ind")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("4 hændelser matcher"),
        "three institutions and support itself: {html}"
    );
    assert!(html.contains("href=\"/support/log.csv?handling=log_ind\""));

    let csv = support.get("/support/log.csv?handling=log_ind").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("tidspunkt;rolle;konto;hændelse"));
    assert!(lines[1..].iter().all(|l| l.contains(";Log-ind;")), "{text}");
    assert_eq!(support.get("/support/log.csv?fra=i+morgen").await.status(), 422);
}

/// The log grows with every save and log-in: beyond a limit the page says
/// "more than" instead of counting every row, while every page and the CSV
/// export still reach all of them.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_long_audit_log_is_counted_only_up_to_a_limit(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (support, _) = support_user(&app).await;
    let limit = app::support::db::AUDIT_COUNT_LIMIT;
    sqlx::query(
        "INSERT INTO audit_log (at, actor_role, actor_label, action)
         SELECT now() - n * interval '1 second', 'system', 'Import ' || n, 'afsnit_gemt'
         FROM generate_series(1, $1) AS n",
    )
    .bind(limit + 70)
    .execute(&app.pool)
    .await
    .unwrap();

    let page = |side: i64| {
        let support = &support;
        async move {
            let side = side.to_string();
            let response = support
                .call(
                    "support_log",
                    &[("filter[handling]", "afsnit_gemt"), ("filter[side]", &side)],
                )
                .await;
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let first = page(1).await;
    assert_eq!(first["more"], true);
    assert_eq!(first["matching"], limit);
    assert_eq!(first["entries"][0]["account"], "Import 1", "newest first");
    let per_page = first["entries"].as_array().unwrap().len() as i64;
    // One page past what was counted: its rows are there, the oldest last.
    let beyond = page(limit / per_page + 2).await;
    let entries = beyond["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 70 - per_page as usize);
    assert_eq!(
        entries.last().unwrap()["account"],
        format!("Import {}", limit + 70)
    );

    let html = support
        .get("/support/log?handling=afsnit_gemt")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Mere end 10.000 hændelser matcher"), "{html}");
    let csv = support
        .get("/support/log.csv?handling=afsnit_gemt")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.trim().lines().count() as i64, 1 + limit + 70);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_other_role_is_refused_every_support_action(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S35001", SKANDERBORG, PASSWORD).await;
    let kommune_id = admin(
        &app.pool,
        "anden@kommune.example",
        "kommune",
        Some(AARHUS),
        PASSWORD,
        false,
    )
    .await;
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("S35001", PASSWORD).await.status(),
        200
    );
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let anonymous = app.fresh_client();
    let id = kommune_id.to_string();

    let calls: [(&str, Vec<(&str, &str)>); 9] = [
        ("support_oversigt", vec![]),
        ("support_kommuner", vec![]),
        ("support_soeg", vec![("filter[soeg]", "S35001")]),
        ("support_konti", vec![]),
        ("support_konto", vec![("id", &id)]),
        (
            "support_opret_konto",
            vec![("email", "x@y.example"), ("navn", "X"), ("rolle", "support")],
        ),
        (
            "support_flyt_konto",
            vec![("id", &id), ("fra", "751"), ("kommunekode", "746")],
        ),
        ("support_spaer_konto", vec![("id", &id), ("spaer", "1")]),
        ("support_nulstil_totrin", vec![("id", &id)]),
    ];
    for (client, expected) in [(&institution, 403), (&kommune, 403), (&anonymous, 401)] {
        for (endpoint, form) in &calls {
            assert_eq!(client.call(endpoint, form).await.status(), expected, "{endpoint}");
        }
        assert_eq!(client.call("support_log", &[]).await.status(), expected);
        let plain_expected = if expected == 401 { 303 } else { 403 };
        for path in [
            format!("/support/konti/{id}/adgangskode"),
            "/support/dagtilbud/S35001/kode".to_string(),
        ] {
            assert_eq!(post_form(client, &path).await.status(), plain_expected, "{path}");
        }
        for path in [
            "/support",
            "/support/konti",
            "/support/log",
            "/support/log.csv",
            "/support/dagtilbud/S35001",
        ] {
            assert_eq!(client.get(path).await.status(), plain_expected, "{path}");
        }
    }
    // The kommune cannot see another kommune's private institution through its own pages either.
    sqlx::query("UPDATE institutions SET ejerform = 'privat' WHERE nummer = 'S35001'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        kommune
            .call(
                "kommune_luk_dagtilbud",
                &[
                    ("nummer", "S35001"),
                    ("version", "1"),
                    ("lukket_den", "1.1.2026"),
                    ("bekraeft", "on")
                ]
            )
            .await
            .status(),
        404
    );

    // Nothing changed.
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM admin_accounts WHERE disabled OR email = 'x@y.example'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'kode_udstedt'"
        )
        .await,
        0
    );
    let kode: i16 = sqlx::query_scalar("SELECT kommunekode FROM admin_accounts WHERE id = $1")
        .bind(kommune_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kode, AARHUS);
    let factor_kept: bool =
        sqlx::query_scalar("SELECT totp_confirmed_at IS NOT NULL FROM admin_accounts WHERE id = $1")
            .bind(kommune_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(factor_kept, "nobody but support resets a second factor");
}
