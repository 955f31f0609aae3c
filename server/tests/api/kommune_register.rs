//! The kommune administrator maintains the kommune's institutions: creates
//! them (system numbers), closes them (hidden, locked out, data kept) and
//! edits their sections on their behalf, never another kommune's.

use crate::helpers::{
    admin, app_error, institution_with_password, kommune_admin, save_monday_hours, spawn_app,
};
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;

const NEW: [(&str, &str); 7] = [
    ("navn", "Børnehuset Åbakken"),
    ("institution_type", "integreret"),
    ("ejerform", "selvejende"),
    ("vejnavn", "Åvej"),
    ("husnummer", "12B"),
    ("postnummer", "8660"),
    ("cvr", "29190925"),
];

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn status_of(pool: &PgPool, nummer: &str) -> (String, Option<time::Date>) {
    sqlx::query_as("SELECT status, closed_on FROM institutions WHERE nummer = $1")
        .bind(nummer)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_kommune_creates_institutions_with_numbers_never_given_twice(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let created = kommune
        .post_plain("kommune_opret_dagtilbud", &NEW, "/kommune/nyt-dagtilbud")
        .await;
    assert!(created.status().is_redirection(), "{}", created.status());
    assert_eq!(location(&created), "/kommune/dagtilbud/D00001?oprettet=1");
    let (kommunekode, postby, ejerform, cvr): (i16, String, String, Option<String>) =
        sqlx::query_as("SELECT kommunekode, postby, ejerform, cvr FROM institutions WHERE nummer = 'D00001'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kommunekode, SKANDERBORG, "always the administrator's own kommune");
    assert_eq!(postby, "Skanderborg", "the town comes from the postal code");
    assert_eq!(
        (ejerform.as_str(), cvr.as_deref()),
        ("selvejende", Some("29190925"))
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'dagtilbud_oprettet' AND actor_role = 'kommune' AND kommunekode = 746",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // A number taken by the register is skipped, never given twice.
    institution_with_password(&app.pool, "D00002", SKANDERBORG, PASSWORD).await;
    let next = kommune.call("kommune_opret_dagtilbud", &NEW).await;
    assert_eq!(next.status(), 200);
    assert_eq!(next.json::<String>().await.unwrap(), "D00003");

    // The detail page shows it, with the section table and the close form.
    let page = kommune.get("/kommune/dagtilbud/D00001").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Børnehuset Åbakken") && html.contains("Luk dagtilbuddet"));
    assert!(html.contains("href=\"/kommune/dagtilbud/D00001/profil\""));
    assert!(html.contains("<dt>Placering</dt><dd>Ikke oplyst</dd>"), "{html}");

    // An optional position, typed with a decimal comma or point.
    let mut placed = NEW.to_vec();
    placed.extend([("breddegrad", "56,0401"), ("laengdegrad", "9.9312")]);
    let with_position = kommune.call("kommune_opret_dagtilbud", &placed).await;
    assert_eq!(with_position.json::<String>().await.unwrap(), "D00004");
    let html = kommune
        .get("/kommune/dagtilbud/D00004")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("56,040100 N, 9,931200 Ø"), "{html}");
    assert!(
        html.contains("value=\"56,040100\""),
        "the edit form shows it: {html}"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn bad_input_names_each_field_and_a_private_institution_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let mut form = NEW.to_vec();
    form.retain(|(k, _)| !["navn", "ejerform", "postnummer", "cvr"].contains(k));
    form.extend([
        ("navn", ""),
        ("ejerform", "privat"),
        ("postnummer", "1001"),
        ("cvr", "12345678"),
        ("breddegrad", "60,1"),
        ("laengdegrad", "9,93"),
    ]);

    let refused = kommune.call("kommune_opret_dagtilbud", &form).await;
    assert_eq!(refused.status(), 422);
    let AppError::Validation(errors) = app_error(refused).await else {
        panic!("a validation error")
    };
    assert!(errors["navn"].contains("navn"));
    assert!(errors["ejerform"].contains("kommunal, selvejende, udliciteret"));
    assert!(errors["cvr"].contains("kontrolcifferet"));
    assert!(errors["breddegrad"].contains("Breddegraden skal ligge i Danmark"));

    // An unknown postal code is caught once the rest is valid.
    let mut unknown = NEW.to_vec();
    unknown.retain(|(k, _)| *k != "postnummer");
    unknown.push(("postnummer", "1001"));
    let AppError::Validation(errors) =
        app_error(kommune.call("kommune_opret_dagtilbud", &unknown).await).await
    else {
        panic!("a validation error")
    };
    assert!(errors["postnummer"].contains("findes ikke"));

    // Without JavaScript the form comes back with what was typed.
    let plain = kommune
        .post_plain("kommune_opret_dagtilbud", &form, "/kommune/nyt-dagtilbud")
        .await;
    assert!(plain.status().is_redirection(), "{}", plain.status());
    assert_eq!(location(&plain), "/kommune/nyt-dagtilbud");
    let page = kommune.get("/kommune/nyt-dagtilbud").await.text().await.unwrap();
    assert!(page.contains("Der er problemer med formularen"));
    assert!(page.contains("value=\"12345678\""), "the CVR typed is kept");
    assert!(page.contains("value=\"60,1\""), "the position typed is kept");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing half-written");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn markup_in_a_name_is_refused_and_the_form_comes_back_filled_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let mut form = NEW.to_vec();
    form.retain(|(k, _)| *k != "navn");
    form.push(("navn", "Svalen </title><script>alert(1)</script>"));

    let AppError::Validation(errors) = app_error(kommune.call("kommune_opret_dagtilbud", &form).await).await
    else {
        panic!("a validation error")
    };
    assert_eq!(
        errors["navn"],
        "Navnet må ikke indeholde tegnene < og >. Fjern dem, eller skriv fx en bindestreg i stedet."
    );

    let plain = kommune
        .post_plain("kommune_opret_dagtilbud", &form, "/kommune/nyt-dagtilbud")
        .await;
    assert_eq!(location(&plain), "/kommune/nyt-dagtilbud");
    let page = kommune.get("/kommune/nyt-dagtilbud").await.text().await.unwrap();
    assert!(page.contains("må ikke indeholde tegnene &lt; og &gt;"));
    assert!(page.contains("value=\"Svalen &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert!(!page.contains("<script>alert(1)"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn closing_hides_and_locks_out_but_keeps_the_data(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S80001", SKANDERBORG, PASSWORD).await;
    let institution = save_monday_hours(&app, "S80001", PASSWORD, ("07:00", "16:00"), &[]).await;

    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let date = crate::helpers::danish_today();

    // Unconfirmed: refused with the field named.
    let unconfirmed = kommune
        .call(
            "kommune_luk_dagtilbud",
            &[("nummer", "S80001"), ("version", "1"), ("lukket_den", &date)],
        )
        .await;
    let AppError::Validation(errors) = app_error(unconfirmed).await else {
        panic!("a validation error")
    };
    assert!(errors.contains_key("bekraeftelse"));
    // A stale version: conflict.
    let stale = kommune
        .call(
            "kommune_luk_dagtilbud",
            &[
                ("nummer", "S80001"),
                ("version", "7"),
                ("lukket_den", &date),
                ("bekraeft", "on"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    assert_eq!(status_of(&app.pool, "S80001").await.0, "aktiv");

    let closed = kommune
        .post_plain(
            "kommune_luk_dagtilbud",
            &[
                ("nummer", "S80001"),
                ("version", "1"),
                ("lukket_den", &date),
                ("bekraeft", "on"),
            ],
            "/kommune/dagtilbud/S80001",
        )
        .await;
    assert!(closed.status().is_redirection(), "{}", closed.status());
    assert_eq!(location(&closed), "/kommune/dagtilbud/S80001?lukket=1");
    assert_eq!(
        status_of(&app.pool, "S80001").await,
        ("nedlagt".to_string(), app::domain::calendar::parse_date(&date))
    );

    // The institution's session has ended and it cannot log in again.
    assert_eq!(institution.get("/indberetning").await.status(), 303);
    assert_ne!(
        app.fresh_client()
            .login_institution("S80001", PASSWORD)
            .await
            .status(),
        200
    );
    // Its data and history are kept and the administrator can still read them.
    let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM section_history")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(history, 1);
    let page = kommune
        .get("/kommune/dagtilbud/S80001")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("Lukket den {date}")));
    assert!(!page.contains("Luk dagtilbuddet</button>"));
    let read = kommune.call("historik", &[("nummer", "S80001")]).await;
    assert_eq!(read.status(), 200);
    // ... but not change them.
    let edit = kommune
        .call("aabningstider_gem", &[("nummer", "S80001"), ("version", "1")])
        .await;
    assert_eq!(edit.status(), 404);
    // Closing twice is a conflict, not a second audit row.
    let again = kommune
        .call(
            "kommune_luk_dagtilbud",
            &[
                ("nummer", "S80001"),
                ("version", "2"),
                ("lukket_den", &date),
                ("bekraeft", "on"),
            ],
        )
        .await;
    assert_eq!(again.status(), 409);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'dagtilbud_lukket'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

/// The seed letter has the kommune hand out log-ins to the private
/// institutions it supervises, but only the institution itself (and support)
/// may change what it reports.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_kommune_reads_but_never_edits_a_private_institutions_sections(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S80010", SKANDERBORG, PASSWORD).await;
    sqlx::query("UPDATE institutions SET ejerform = 'privat' WHERE nummer = 'S80010'")
        .execute(&app.pool)
        .await
        .unwrap();
    save_monday_hours(&app, "S80010", PASSWORD, ("07:00", "16:00"), &[]).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let edit = kommune
        .call(
            "aabningstider_gem",
            &[
                ("nummer", "S80010"),
                ("version", "1"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:00"),
                ("mandag_til", "17:00"),
            ],
        )
        .await;
    assert_eq!(edit.status(), 403);
    assert_eq!(
        kommune
            .call("profil_hent", &[("nummer", "S80010")])
            .await
            .status(),
        403
    );
    let kept: String = sqlx::query_scalar(
        "SELECT data::text FROM institution_sections s JOIN institutions i ON i.id = s.institution_id WHERE i.nummer = 'S80010'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(kept.contains("07:00") && !kept.contains("06:00"), "{kept}");

    // Reading and the log-in letter stay the kommune's.
    for endpoint in [
        "kommune_dagtilbud",
        "afsnit_status",
        "historik",
        "forhaandsvisning",
    ] {
        assert_eq!(
            kommune.call(endpoint, &[("nummer", "S80010")]).await.status(),
            200,
            "{endpoint}"
        );
    }
    let page = kommune
        .get("/kommune/dagtilbud/S80010")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("kun dagtilbuddet selv og support kan rette afsnittene"));
    assert!(
        !page.contains("href=\"/kommune/dagtilbud/S80010/aabningstider\""),
        "no edit links"
    );

    // Support still edits it on the institution's behalf.
    admin(&app.pool, "hjaelp@stil.example", "support", None, PASSWORD, false).await;
    let support = app.fresh_client();
    assert_eq!(
        support
            .login_admin("hjaelp@stil.example", PASSWORD)
            .await
            .status(),
        200
    );
    let by_support = support
        .call(
            "aabningstider_gem",
            &[
                ("nummer", "S80010"),
                ("version", "1"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:30"),
                ("mandag_til", "17:00"),
            ],
        )
        .await;
    assert_eq!(by_support.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn another_kommunes_and_private_institutions_are_not_found(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "A80001", AARHUS, PASSWORD).await;
    institution_with_password(&app.pool, "S80002", SKANDERBORG, PASSWORD).await;
    sqlx::query("UPDATE institutions SET ejerform = 'privat' WHERE nummer = 'S80002'")
        .execute(&app.pool)
        .await
        .unwrap();
    let kommune = kommune_admin(&app, SKANDERBORG).await;
    let date = crate::helpers::danish_today();
    let close = |nummer: &'static str| {
        let date = date.clone();
        let kommune = &kommune;
        async move {
            kommune
                .call(
                    "kommune_luk_dagtilbud",
                    &[
                        ("nummer", nummer),
                        ("version", "1"),
                        ("lukket_den", &date),
                        ("bekraeft", "on"),
                    ],
                )
                .await
                .status()
        }
    };
    assert_eq!(close("A80001").await, 404, "another kommune's");
    assert_eq!(close("S80002").await, 404, "a private institution is support's");
    assert_eq!(status_of(&app.pool, "A80001").await.0, "aktiv");
    assert_eq!(status_of(&app.pool, "S80002").await.0, "aktiv");

    assert_eq!(
        kommune
            .call("kommune_dagtilbud", &[("nummer", "A80001")])
            .await
            .status(),
        404
    );
    for endpoint in [
        "historik",
        "afsnit_status",
        "forhaandsvisning",
        "profil_hent",
        "lukkedage_hent",
    ] {
        assert_eq!(
            kommune.call(endpoint, &[("nummer", "A80001")]).await.status(),
            404,
            "{endpoint}"
        );
    }
    let edit = kommune
        .call(
            "aabningstider_gem",
            &[
                ("nummer", "A80001"),
                ("version", "0"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "07:00"),
                ("mandag_til", "16:00"),
            ],
        )
        .await;
    assert_eq!(edit.status(), 404);
    let page = kommune
        .get("/kommune/dagtilbud/A80001/profil")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Testbørnehaven A80001"));

    // Institutions and support cannot use the kommune's actions.
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("A80001", PASSWORD).await.status(),
        200
    );
    assert_eq!(
        institution.call("kommune_opret_dagtilbud", &NEW).await.status(),
        403
    );
    assert_eq!(institution.get("/kommune/dagtilbud/A80001").await.status(), 403);
    admin(
        &app.pool,
        "support@stil.example",
        "support",
        None,
        PASSWORD,
        false,
    )
    .await;
    let support = app.fresh_client();
    assert_eq!(
        support
            .login_admin("support@stil.example", PASSWORD)
            .await
            .status(),
        200
    );
    // Support creates private institutions only, in a kommune it names.
    let refused = support.call("kommune_opret_dagtilbud", &NEW).await;
    assert_eq!(refused.status(), 422);
    let AppError::Validation(errors) = app_error(refused).await else {
        panic!("a validation error");
    };
    assert!(errors["kommunekode"].contains("Vælg den kommune"), "{errors:?}");
    assert!(errors["ejerform"].contains("privat"), "{errors:?}");
    let anonymous = app.fresh_client();
    assert_eq!(
        anonymous.call("kommune_opret_dagtilbud", &NEW).await.status(),
        401
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_kommune_edits_on_an_institutions_behalf_and_history_says_so(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "S80003", SKANDERBORG, PASSWORD).await;
    let kommune = kommune_admin(&app, SKANDERBORG).await;

    let page = kommune.get("/kommune/dagtilbud/S80003/aabningstider").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("name=\"nummer\" value=\"S80003\""),
        "the form names the institution"
    );
    assert!(
        html.contains("href=\"/kommune/dagtilbud/S80003\""),
        "back to the institution"
    );

    let saved = kommune
        .post_plain(
            "aabningstider_gem",
            &[
                ("nummer", "S80003"),
                ("version", "0"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "06:30"),
                ("mandag_til", "17:00"),
            ],
            "/kommune/dagtilbud/S80003/aabningstider",
        )
        .await;
    assert!(saved.status().is_redirection(), "{}", saved.status());
    assert_eq!(location(&saved), "/kommune/dagtilbud/S80003/aabningstider?gemt=1");
    let added = kommune
        .call(
            "lukkedage_tilfoej",
            &[
                ("nummer", "S80003"),
                ("version", "0"),
                ("fra", "2027-07-05"),
                ("til", "2027-07-09"),
                ("aarsag", "Sommerlukning"),
            ],
        )
        .await;
    assert_eq!(added.status(), 200);

    let roles: Vec<String> = sqlx::query_scalar("SELECT actor_role FROM section_history ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(roles, vec!["kommune", "kommune"]);

    // The institution sees the kommune's save in its own history.
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("S80003", PASSWORD).await.status(),
        200
    );
    let history = institution
        .get("/indberetning/historik")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("Gemt af kommunen"), "{history}");
    assert!(history.contains("06:30"));
}
