//! The five sections over real HTTP: save, validation, conflicts, history,
//! escaping, and that nobody reaches another institution's data.

use crate::helpers::{admin, app_error, institution_with_password, spawn_app, TestApp};
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const AARHUS: i16 = 751;
const XSS: &str = "</textarea><script>alert(1)</script>";

fn profil_form<'a>(version: &'a str, text: &'a str, pladser: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("paedagogisk_profil", text),
        ("tag_natur", "on"),
        ("alder_3_5", "on"),
        ("pladser", pladser),
    ]
}

async fn logged_in_institution(app: &TestApp, nummer: &str, kommune: i16) -> (TestApp, i64) {
    let id = institution_with_password(&app.pool, nummer, kommune, PASSWORD).await;
    let client = app.fresh_client();
    assert_eq!(client.login_institution(nummer, PASSWORD).await.status(), 200);
    (client, id)
}

/// An institution's history rows as (version, changes), oldest first.
async fn history_of(pool: &PgPool, institution_id: i64) -> Vec<(i32, serde_json::Value)> {
    sqlx::query_as("SELECT version, changes FROM section_history WHERE institution_id = $1 ORDER BY version")
        .bind(institution_id)
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn saving_publishes_and_writes_history_and_audit_in_one_go(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (client, id) = logged_in_institution(&app, "S10001", SKANDERBORG).await;

    let first = client
        .call(
            "profil_gem",
            &profil_form("0", "Vi er ude hver dag.\nOgså når det regner.", "40"),
        )
        .await;
    assert_eq!(first.status(), 200);
    let meta: serde_json::Value = first.json().await.unwrap();
    assert_eq!(meta["version"], 1);

    let second = client
        .call(
            "profil_gem",
            &profil_form("1", "Vi er ude hver dag.\nOgså når det regner.", "44"),
        )
        .await;
    assert_eq!(second.status(), 200);

    let loaded: serde_json::Value = client.call("profil_hent", &[]).await.json().await.unwrap();
    assert_eq!(loaded["meta"]["version"], 2);
    assert_eq!(loaded["value"]["pladser"], 44);
    assert_eq!(loaded["meta"]["updated_by"], "Institutionen");

    let history = history_of(&app.pool, id).await;
    assert_eq!(history.len(), 2);
    let change = &history[1].1[0];
    assert_eq!(change["felt"], "Antal pladser");
    assert_eq!(change["foer"], "40");
    assert_eq!(change["efter"], "44");
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'afsnit_gemt'"
        )
        .await,
        2
    );

    let page = client.get("/indberetning/historik").await.text().await.unwrap();
    assert!(
        page.contains("Antal pladser") && page.contains("44"),
        "the history page shows the change"
    );
    let start = client.get("/indberetning").await.text().await.unwrap();
    assert!(
        start.contains("Udfyldt") && start.contains("Mangler"),
        "start page shows section status"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn invalid_input_is_refused_with_field_messages_and_nothing_is_written(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (client, _) = logged_in_institution(&app, "S10002", SKANDERBORG).await;
    let response = client
        .call(
            "kontakt_gem",
            &[
                ("version", "0"),
                ("vejnavn", "Skolevej"),
                ("husnummer", "1"),
                ("postnummer", "866"),
                ("by", "Skanderborg"),
                ("telefon", "1234"),
                ("email", "ikke-en-mail"),
                ("leder", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let AppError::Validation(errors) = app_error(response).await else {
        panic!("validation")
    };
    assert!(errors["postnummer"].contains("fire cifre"), "{errors:?}");
    assert!(errors["telefon"].contains("8 cifre"), "{errors:?}");
    assert!(
        errors.contains_key("email") && errors.contains_key("leder"),
        "{errors:?}"
    );
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM institution_sections").await,
        0
    );
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM section_history").await, 0);

    let hours = client
        .call(
            "aabningstider_gem",
            &[
                ("version", "0"),
                ("mandag_aaben", "on"),
                ("mandag_fra", "17:00"),
                ("mandag_til", "06:30"),
            ],
        )
        .await;
    let AppError::Validation(errors) = app_error(hours).await else {
        panic!("validation")
    };
    assert!(
        errors["mandag_til"].contains("Lukketiden skal være efter åbningstiden"),
        "{errors:?}"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_stale_save_is_a_conflict_never_a_silent_overwrite(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (tab_one, id) = logged_in_institution(&app, "S10003", SKANDERBORG).await;
    tab_one
        .call("profil_gem", &profil_form("0", "Første udgave", "40"))
        .await;

    // Two tabs opened at version 1; the first saves, the second is stale.
    assert_eq!(
        tab_one
            .call("profil_gem", &profil_form("1", "Første udgave", "50"))
            .await
            .status(),
        200
    );
    let stale = tab_one
        .call("profil_gem", &profil_form("1", "Min egen tekst", "60"))
        .await;
    assert_eq!(stale.status(), 409);
    let AppError::StaleVersion {
        message,
        current_version,
    } = app_error(stale).await
    else {
        panic!("conflict")
    };
    assert_eq!(current_version, 2);
    assert!(message.contains("Antal pladser"), "says what differs: {message}");
    let pladser: i64 = sqlx::query_scalar(
        "SELECT (data->>'pladser')::bigint FROM institution_sections WHERE institution_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(pladser, 50, "the first save stands");

    // Keeping one's own text means saving again over the version now shown.
    assert_eq!(
        tab_one
            .call("profil_gem", &profil_form("2", "Min egen tekst", "60"))
            .await
            .status(),
        200
    );
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM section_history").await, 3);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn nobody_reads_or_changes_another_institutions_sections(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (owner, _) = logged_in_institution(&app, "S10004", SKANDERBORG).await;
    owner
        .call("profil_gem", &profil_form("0", "Ejerens tekst", "40"))
        .await;
    let (other, _) = logged_in_institution(&app, "S10005", SKANDERBORG).await;

    // Another institution naming the owner's number gets 404, for reading and writing.
    assert_eq!(
        other.call("profil_hent", &[("nummer", "S10004")]).await.status(),
        404
    );
    let mut form = profil_form("1", "Overtaget!", "1");
    form.push(("nummer", "S10004"));
    assert_eq!(other.call("profil_gem", &form).await.status(), 404);
    // Its own save without a number lands on itself, not on the owner.
    assert_eq!(
        other
            .call("profil_gem", &profil_form("0", "Egen tekst", "10"))
            .await
            .status(),
        200
    );
    let owner_text: String = sqlx::query_scalar(
        "SELECT s.data->>'paedagogisk_profil' FROM institution_sections s JOIN institutions i ON i.id = s.institution_id WHERE i.nummer = 'S10004'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(owner_text, "Ejerens tekst");

    // A kommune administrator of another kommune: not found; of its own: allowed; support: allowed.
    admin(
        &app.pool,
        "aarhus@kommune.example",
        "kommune",
        Some(AARHUS),
        PASSWORD,
        false,
    )
    .await;
    admin(
        &app.pool,
        "skb@kommune.example",
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await;
    admin(&app.pool, "s@stil.example", "support", None, PASSWORD, false).await;
    let aarhus = app.fresh_client();
    aarhus.login_admin("aarhus@kommune.example", PASSWORD).await;
    assert_eq!(
        aarhus.call("profil_hent", &[("nummer", "S10004")]).await.status(),
        404
    );
    let skanderborg = app.fresh_client();
    skanderborg.login_admin("skb@kommune.example", PASSWORD).await;
    assert_eq!(
        skanderborg
            .call("profil_hent", &[("nummer", "S10004")])
            .await
            .status(),
        200
    );
    let support = app.fresh_client();
    support.login_admin("s@stil.example", PASSWORD).await;
    assert_eq!(
        support
            .call("profil_hent", &[("nummer", "s10004")])
            .await
            .status(),
        200
    );
    // Anonymous callers are not even asked which institution.
    assert_eq!(
        app.fresh_client()
            .call("profil_hent", &[("nummer", "S10004")])
            .await
            .status(),
        401
    );
    // The institution pages themselves are the institution's only.
    assert_eq!(skanderborg.get("/indberetning/profil").await.status(), 403);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn user_text_stays_text_in_the_form_and_the_preview(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (client, _) = logged_in_institution(&app, "S10006", SKANDERBORG).await;
    let text = format!("Hej {XSS}\nNy linje");
    assert_eq!(
        client
            .call("profil_gem", &profil_form("0", &text, "40"))
            .await
            .status(),
        200
    );
    let note = client
        .call(
            "madordning_gem",
            &[("version", "0"), ("frokostordning", "nej"), ("bemaerkning", XSS)],
        )
        .await;
    assert_eq!(note.status(), 200);

    for page in [
        "/indberetning/profil",
        "/indberetning/forhaandsvisning",
        "/indberetning/madordning",
        "/indberetning/historik",
    ] {
        let html = client.get(page).await.text().await.unwrap();
        let at = html
            .find("<script>alert(1)")
            .map(|i| html[i.saturating_sub(120)..(i + 40).min(html.len())].to_string());
        assert!(at.is_none(), "{page} renders user text as HTML: {at:?}");
        assert!(
            html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page} shows it as text"
        );
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn closing_periods_are_added_checked_for_overlap_counted_and_removed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (client, _) = logged_in_institution(&app, "S10007", SKANDERBORG).await;
    let year = app.clock.now().year();
    let (from, to) = (format!("{year}-12-22"), format!("{}-01-02", year + 1));
    let add = client
        .call(
            "lukkedage_tilfoej",
            &[
                ("version", "0"),
                ("fra", &from),
                ("til", &to),
                ("aarsag", "Juleferie"),
                ("alternativ_pasning", "on"),
                ("alternativ_sted", "Børnehuset Mælkebøtten"),
            ],
        )
        .await;
    assert_eq!(add.status(), 200);
    let overlap = client
        .call(
            "lukkedage_tilfoej",
            &[
                ("version", "1"),
                ("fra", &format!("{year}-12-30")),
                ("til", &format!("{year}-12-31")),
                ("aarsag", "Nytår"),
            ],
        )
        .await;
    assert_eq!(overlap.status(), 422);
    let AppError::Validation(errors) = app_error(overlap).await else {
        panic!()
    };
    assert!(
        errors["fra"].contains("overlapper")
            || errors["fra"].contains("Overlapper")
            || errors["fra"].contains("lukket"),
        "{errors:?}"
    );

    let missing_place = client
        .call(
            "lukkedage_tilfoej",
            &[
                ("version", "1"),
                ("fra", &format!("{year}-12-01")),
                ("til", &format!("{year}-12-01")),
                ("aarsag", "Personaledag"),
                ("alternativ_pasning", "on"),
            ],
        )
        .await;
    let AppError::Validation(errors) = app_error(missing_place).await else {
        panic!()
    };
    assert!(errors.contains_key("alternativ_sted"), "{errors:?}");

    let page = client.get("/indberetning/lukkedage").await.text().await.unwrap();
    assert!(
        page.contains("Juleferie") && page.contains("Lukkedage i"),
        "list and counts shown"
    );
    assert_eq!(
        client
            .call("lukkedage_slet", &[("version", "1"), ("index", "0")])
            .await
            .status(),
        200
    );
    let loaded: serde_json::Value = client.call("lukkedage_hent", &[]).await.json().await.unwrap();
    assert_eq!(
        loaded["loaded"]["value"]["periods"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(loaded["loaded"]["meta"]["version"], 2);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_plain_form_post_saves_or_returns_with_the_typed_values(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (client, _) = logged_in_institution(&app, "S10008", SKANDERBORG).await;
    let bad = client
        .post_plain(
            "profil_gem",
            &profil_form("0", "Vores hverdag", "mange"),
            "/indberetning/profil",
        )
        .await;
    assert_eq!(bad.status(), 303);
    let page = client.get("/indberetning/profil").await.text().await.unwrap();
    assert!(
        page.contains("error-summary") && page.contains("Vores hverdag"),
        "errors shown, text kept"
    );
    assert!(
        page.contains(r#"value="mange""#),
        "the wrong value is kept for fixing"
    );
    assert_eq!(
        count(&app.pool, "SELECT COUNT(*) FROM institution_sections").await,
        0
    );

    let good = client
        .post_plain(
            "profil_gem",
            &profil_form("0", "Vores hverdag", "30"),
            "/indberetning/profil",
        )
        .await;
    assert_eq!(good.status(), 302);
    assert_eq!(good.headers()["location"], "/indberetning/profil?gemt=1");
    let page = client
        .get("/indberetning/profil?gemt=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Gemt."), "saved notice");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn of_concurrent_saves_over_one_version_exactly_one_wins(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (first, _) = logged_in_institution(&app, "S10009", SKANDERBORG).await;
    assert_eq!(
        first
            .call("profil_gem", &profil_form("0", "Start", "40"))
            .await
            .status(),
        200
    );
    // Eight tabs (four sessions, two tabs each) save different texts over version 1 at once.
    let mut clients = vec![first];
    for _ in 0..3 {
        let client = app.fresh_client();
        assert_eq!(client.login_institution("S10009", PASSWORD).await.status(), 200);
        clients.push(client);
    }
    let saves = (0..8).map(|i| {
        let client = &clients[i % 4];
        async move {
            let text = format!("Fane {i}");
            client
                .call("profil_gem", &profil_form("1", &text, "40"))
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(saves).await;
    assert_eq!(
        statuses.iter().filter(|s| s.as_u16() == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| s.as_u16() == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM section_history").await, 2);
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'afsnit_gemt'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app.pool, "SELECT version::bigint FROM institution_sections").await,
        2
    );
}

/// Two servers on one database, as behind a load balancer. Each remembers the
/// section rows it last saw so that a save need not read first; what one
/// remembers must never let it write over, or answer "nothing changed" about,
/// what the other saved since.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_server_never_saves_over_what_another_server_saved(pool: PgPool) {
    let a = spawn_app(pool.clone()).await;
    let b = spawn_app(pool).await;
    let (on_a, _) = logged_in_institution(&a, "S10010", SKANDERBORG).await;
    let on_b = b.fresh_client();
    assert_eq!(on_b.login_institution("S10010", PASSWORD).await.status(), 200);

    async fn saved(client: &TestApp, version: &str, text: &str) -> (u16, String) {
        let response = client.call("profil_gem", &profil_form(version, text, "40")).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
    assert_eq!(saved(&on_a, "0", "Start").await.0, 200);
    assert_eq!(saved(&on_b, "1", "Fra B").await.0, 200);
    // Server A remembers version 1 as "Start": the same text over version 1
    // is no "unchanged" save but a conflict, since B has saved since.
    let (status, body) = saved(&on_a, "1", "Start").await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("Fra B"),
        "the conflict shows what is saved now: {body}"
    );

    assert_eq!(saved(&on_a, "2", "Fra A").await.0, 200);
    assert_eq!(saved(&on_b, "3", "Fra B igen").await.0, 200);
    // Server A remembers version 3, which is what this tab loaded: still a conflict.
    let (status, body) = saved(&on_a, "3", "Fra A igen").await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("Fra B igen"), "{body}");
    let text: String = sqlx::query_scalar(
        "SELECT data->>'paedagogisk_profil' FROM institution_sections WHERE section = 'profil'",
    )
    .fetch_one(&a.pool)
    .await
    .unwrap();
    assert_eq!(text, "Fra B igen");

    // Over the version server B saved, server A saves.
    let (status, body) = saved(&on_a, "4", "Slut").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(count(&a.pool, "SELECT COUNT(*) FROM section_history").await, 5);
    assert_eq!(
        count(&a.pool, "SELECT version::bigint FROM institution_sections").await,
        5
    );
}

/// Saves that arrive together share one statement (group commit). Each must
/// still land whole and on its own institution: its data, its history row
/// and its audit row, never another's, on the first save (insert) and on a
/// later one (update) alike.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn saves_arriving_together_each_land_whole_on_their_own_institution(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut clients = Vec::new();
    for i in 0..24 {
        let nummer = format!("S2{i:04}");
        let kommune = if i % 2 == 0 { SKANDERBORG } else { AARHUS };
        let (client, id) = logged_in_institution(&app, &nummer, kommune).await;
        clients.push((client, id, nummer, kommune));
    }
    for (version, round) in [("0", "første"), ("1", "anden")] {
        let saves = clients.iter().map(|(client, _, nummer, _)| async move {
            let text = format!("{nummer}: {round} udgave");
            let response = client
                .call("profil_gem", &profil_form(version, &text, "40"))
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        });
        for (status, body) in futures::future::join_all(saves).await {
            assert_eq!(status, 200, "{body}");
        }
    }
    for (client, id, nummer, kommune) in &clients {
        let loaded: serde_json::Value = client.call("profil_hent", &[]).await.json().await.unwrap();
        assert_eq!(loaded["meta"]["version"], 2, "{nummer}");
        assert_eq!(
            loaded["value"]["paedagogisk_profil"],
            format!("{nummer}: anden udgave")
        );
        let history = history_of(&app.pool, *id).await;
        assert_eq!(
            history.iter().map(|h| h.0).collect::<Vec<_>>(),
            [1, 2],
            "{nummer}"
        );
        let last = history[1].1.to_string();
        assert!(
            last.contains(&format!("{nummer}: første udgave"))
                && last.contains(&format!("{nummer}: anden udgave")),
            "{nummer}'s history holds its own texts: {last}"
        );
        let audit: Vec<(String, i16, serde_json::Value)> = sqlx::query_as(
            "SELECT actor_label, kommunekode, details FROM audit_log
             WHERE action = 'afsnit_gemt' AND institution_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert_eq!(audit.len(), 2, "{nummer}");
        for (n, (label, kode, details)) in audit.iter().enumerate() {
            assert_eq!(label, nummer);
            assert_eq!(kode, kommune);
            assert_eq!(details["version"], n as i64 + 1);
        }
    }
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM section_history").await, 48);
}
