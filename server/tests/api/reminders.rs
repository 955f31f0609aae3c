//! Reminders by e-mail: chosen by what institutions lack, sent in the
//! background to a real SMTP server on loopback (aiosmtpd), retried when the
//! server asks to wait, recorded per recipient; the outbox without a mail
//! server; a restarted sender goes on without sending anything twice.

use std::time::Duration;

use crate::helpers::{
    institution_with_password, issue_code, kommune_admin, location_of, spawn_app, spawn_app_with, test_smtp,
    TestApp,
};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

fn settings_with_smtp() -> app::ssr::Settings {
    app::ssr::Settings {
        mail: Some(test_smtp().settings()),
        mail_retry_after: Duration::from_millis(500),
        mail_poll: Duration::from_millis(250),
        ..app::ssr::Settings::default()
    }
}

/// A unique address for this test run, so parallel tests never read each other's mail.
fn address(local: &str) -> String {
    format!("{local}-{:016x}@dagtilbud.example", rand::random::<u64>())
}

/// Save the Kontakt section of `nummer` as its kommune would, with `email`.
async fn kontakt(kommune: &TestApp, nummer: &str, email: &str) {
    let saved = kommune
        .call(
            "kontakt_gem",
            &[
                ("nummer", nummer),
                ("version", "0"),
                ("vejnavn", "Skolevej"),
                ("husnummer", "1"),
                ("postnummer", "8660"),
                ("by", "Skanderborg"),
                ("telefon", "23456789"),
                ("email", email),
                ("leder", "Lene Leder"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
}

/// Give `nummer` every other section (as stored data), so only Kontakt decides.
async fn fill_the_rest(pool: &PgPool, nummer: &str) {
    sqlx::query(
        "INSERT INTO institution_sections (institution_id, section, data, version, updated_by_role, updated_by_label)
         SELECT i.id, s, '{}'::jsonb, 1, 'institution', i.nummer
         FROM institutions i, unnest(ARRAY['profil', 'madordning', 'lukkedage', 'aabningstider']) s
         WHERE i.nummer = $1",
    )
    .bind(nummer)
    .execute(pool)
    .await
    .unwrap();
}

async fn send(kommune: &TestApp, hvem: &str, subject: &str, body: &str) -> reqwest::Response {
    kommune
        .call(
            "kommune_paamindelse_send",
            &[("hvem", hvem), ("emne", subject), ("tekst", body)],
        )
        .await
}

/// Wait until no message of `job` waits any more.
async fn settled(pool: &PgPool, job: i64) {
    for _ in 0..300 {
        let open: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM reminder_messages WHERE job_id = $1 AND status IN ('pending', 'sending')",
        )
        .bind(job)
        .fetch_one(pool)
        .await
        .unwrap();
        if open == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job} never finished");
}

async fn statuses(pool: &PgPool, job: i64) -> Vec<(String, String, Option<String>, i32, Option<String>)> {
    sqlx::query_as(
        "SELECT to_address, status, transport, attempts, last_error FROM reminder_messages WHERE job_id = $1 ORDER BY id",
    )
    .bind(job)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn reminders_reach_the_mail_server_with_the_right_recipients(pool: PgPool) {
    let app = spawn_app_with(pool, settings_with_smtp()).await;
    let smtp = test_smtp();
    let missing = institution_with_password(&app.pool, "R30001", 746, PASSWORD).await;
    institution_with_password(&app.pool, "R30002", 746, PASSWORD).await;
    institution_with_password(&app.pool, "R30003", 746, PASSWORD).await;
    institution_with_password(&app.pool, "R30004", 751, PASSWORD).await;
    // R30001 has a fresh letter code: it must never be in a mail.
    let code = issue_code(&app.pool, missing).await;
    let kommune = kommune_admin(&app, 746).await;
    let aarhus = kommune_admin(&app, 751).await;
    let (a, b, other) = (address("a"), address("b"), address("d"));
    kontakt(&kommune, "R30001", &a).await; // lacks four sections
    kontakt(&kommune, "R30002", &b).await; // complete
    fill_the_rest(&app.pool, "R30002").await;
    // R30003 lacks all five and has no e-mail; R30004 is another kommune's.
    kontakt(&aarhus, "R30004", &other).await;

    // The page lists who a reminder about missing sections would reach.
    let page = kommune
        .get("/kommune/paamindelser?hvem=mangler")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2 dagtilbud matcher. 1 af dem har en e-mailadresse"),
        "{page}"
    );
    assert!(page.contains("Testbørnehaven R30001") && page.contains("Testbørnehaven R30003"));
    assert!(!page.contains("Testbørnehaven R30002") && !page.contains("R30004"));
    assert!(page.contains("Ingen e-mail i kontaktoplysningerne"));
    assert!(
        page.contains("Profil er ikke udfyldt."),
        "the mail's content is previewed"
    );
    assert!(
        page.contains(r#"data-max-chars="5000""#) && page.contains(r#"href="/pkg/dagtilbud.js""#),
        "the wording's character count runs in the signed-in areas' bundle"
    );

    let subject = "Husk {navn}";
    let body = "Kære {navn}\n\n{mangler}\n\nLog ind på {adresse}\n\nHilsen {kommune} Kommune";
    let sent = send(&kommune, "mangler", subject, body).await;
    assert_eq!(sent.status(), 200);
    let job: i64 = sent.json().await.unwrap();

    let mails = smtp.wait_for(&a, 1).await;
    settled(&app.pool, job).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.subject, "Husk Testbørnehaven R30001");
    assert_eq!(mail.from, "noreply@dagtilbud.example");
    assert_eq!(mail.content_type, "text/plain");
    assert!(mail.body.contains("Kære Testbørnehaven R30001"), "{}", mail.body);
    assert!(
        mail.body
            .contains("- Profil er ikke udfyldt.\n- Madordning er ikke udfyldt."),
        "{}",
        mail.body
    );
    assert!(!mail.body.contains("Kontaktoplysninger er ikke udfyldt"));
    assert!(mail.body.contains("Log ind på http://localhost:3000/log-ind"));
    assert!(mail.body.contains("Hilsen Skanderborg Kommune"));
    for secret in [code.as_str(), &code.replace('-', ""), PASSWORD] {
        assert!(
            !mail.body.contains(secret) && !mail.subject.contains(secret),
            "no secret in a mail"
        );
    }
    // Nobody else got one.
    assert!(smtp.mails_to(&b).is_empty());
    assert!(smtp.mails_to(&other).is_empty());
    assert_eq!(
        statuses(&app.pool, job).await,
        vec![(a.clone(), "sent".into(), Some("smtp".into()), 1, None)]
    );

    // The kommune follows it: the job page, the list, and the saved wording.
    let job_page = kommune
        .get(&format!("/kommune/paamindelser/{job}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(job_page.contains("Færdig: 1 af 1 mails er sendt"), "{job_page}");
    assert!(job_page.contains(&a) && job_page.contains("Sendt "));
    assert!(
        job_page.contains(r#"<div id="paamindelse">"#) && job_page.contains(r#"href="/pkg/dagtilbud.js""#),
        "the progress is a region of the signed-in areas' bundle, no longer polled once done: {job_page}"
    );
    let list = kommune.get("/kommune/paamindelser").await.text().await.unwrap();
    assert!(list.contains(&format!("/kommune/paamindelser/{job}")));
    let next_time = kommune
        .get("/kommune/paamindelser?hvem=mangler")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        next_time.contains("Husk {navn}"),
        "the kommune's wording is kept for next time: {next_time}"
    );
    // The institution sees it on its start page, support on its timeline.
    // (The letter code replaced R30001's password; it gets R30002's again.)
    sqlx::query(
        "UPDATE institution_accounts SET code_hash = NULL, password_hash =
           (SELECT a.password_hash FROM institution_accounts a JOIN institutions i ON i.id = a.institution_id
            WHERE i.nummer = 'R30002')
         WHERE institution_id = $1",
    )
    .bind(missing)
    .execute(&app.pool)
    .await
    .unwrap();
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("R30001", PASSWORD).await.status(),
        200
    );
    let start = institution.get("/indberetning").await.text().await.unwrap();
    assert!(start.contains("Kommunen sendte jer en påmindelse"), "{start}");
    assert!(start.contains(&a));
    let support = crate::helpers::support_admin(&app).await;
    let timeline = support
        .get("/support/dagtilbud/R30001")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        timeline.contains("Påmindelse om at se oplysningerne efter")
            && timeline.contains(&format!("til {a}")),
        "{timeline}"
    );
    let audit: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT action, institution_id FROM audit_log WHERE action LIKE 'paamindelse%' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        audit,
        vec![
            ("paamindelse".into(), Some(missing)),
            ("paamindelser_sendt".into(), None)
        ]
    );

    // Another kommune neither sees the job nor its messages.
    assert_eq!(
        aarhus
            .call("kommune_paamindelse", &[("id", &job.to_string())])
            .await
            .status(),
        404
    );
    let theirs = aarhus.get("/kommune/udbakke").await.text().await.unwrap();
    assert!(!theirs.contains(&a), "another kommune's outbox is not shown");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn transient_failures_are_retried_and_refusals_recorded(pool: PgPool) {
    let app = spawn_app_with(pool, settings_with_smtp()).await;
    let smtp = test_smtp();
    for nummer in ["R30011", "R30012", "R30013"] {
        institution_with_password(&app.pool, nummer, 746, PASSWORD).await;
    }
    let kommune = kommune_admin(&app, 746).await;
    // The test server answers "try later" twice to vent-…, and refuses afvis-… for good.
    let (waits, refused, fine) = (address("vent"), address("afvis"), address("ok"));
    kontakt(&kommune, "R30011", &waits).await;
    kontakt(&kommune, "R30012", &refused).await;
    kontakt(&kommune, "R30013", &fine).await;

    let sent = send(&kommune, "aldrig", "Påmindelse", "Log ind på {adresse}").await;
    assert_eq!(sent.status(), 200);
    let job: i64 = sent.json().await.unwrap();
    smtp.wait_for(&waits, 1).await;
    settled(&app.pool, job).await;

    let found = statuses(&app.pool, job).await;
    let of = |to: &str| found.iter().find(|s| s.0 == to).cloned().unwrap();
    let (_, status, transport, attempts, error) = of(&waits);
    assert_eq!(
        (status.as_str(), transport.as_deref(), attempts),
        ("sent", Some("smtp"), 3)
    );
    assert!(error.is_none());
    let (_, status, _, attempts, error) = of(&refused);
    assert_eq!(
        (status.as_str(), attempts),
        ("failed", 1),
        "a refusal is not retried"
    );
    assert!(error.unwrap().contains("550"));
    assert_eq!(of(&fine).1, "sent");
    assert_eq!(smtp.mails_to(&waits).len(), 1, "sent once, after the retries");
    assert!(smtp.mails_to(&refused).is_empty());

    let page = kommune
        .get(&format!("/kommune/paamindelser/{job}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Færdig: 2 af 3 mails er sendt, 1 blev ikke sendt."),
        "{page}"
    );
    assert!(page.contains("Ikke sendt: Mailserveren afviste mailen"), "{page}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn without_a_mail_server_reminders_go_to_the_outbox(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "R30021", 746, PASSWORD).await;
    let kommune = kommune_admin(&app, 746).await;
    let to = address("udbakke");
    kontakt(&kommune, "R30021", &to).await;
    let page = kommune
        .get("/kommune/paamindelser?hvem=aldrig")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Der er ikke sat en mailserver op"), "{page}");

    let sent = send(
        &kommune,
        "aldrig",
        "Se jeres side efter",
        "Kære {navn}. Log ind på {adresse} <script>alert(1)</script>",
    )
    .await;
    let job: i64 = sent.json().await.unwrap();
    settled(&app.pool, job).await;
    assert_eq!(
        statuses(&app.pool, job).await,
        vec![(to.clone(), "sent".into(), Some("outbox".into()), 1, None)]
    );
    let outbox = kommune.get("/kommune/udbakke").await.text().await.unwrap();
    assert!(
        outbox.contains("Kære Testbørnehaven R30021. Log ind på http://localhost:3000/log-ind"),
        "{outbox}"
    );
    assert!(
        outbox.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the kommune's text stays text"
    );
    assert!(!outbox.contains("<script>alert(1)"));
    assert!(outbox.contains("Lagt i udbakken"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_restarted_sender_goes_on_without_sending_twice(pool: PgPool) {
    // No server runs a sender here: the test plays two servers' lives by hand.
    let app = spawn_app(pool).await;
    let smtp = test_smtp();
    let first = institution_with_password(&app.pool, "R30031", 746, PASSWORD).await;
    let second = institution_with_password(&app.pool, "R30032", 746, PASSWORD).await;
    let (unsent, cut_off) = (address("resume"), address("cutoff"));
    let job: i64 = sqlx::query_scalar(
        "INSERT INTO reminder_jobs (kommunekode, actor_label, chosen_by, subject, body)
         VALUES (746, 'admin746@kommune.example', 'aldrig', 'Emne', 'Log ind på {adresse}') RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // One message the stopped server never got to, one it was sending when it stopped.
    sqlx::query(
        "INSERT INTO reminder_messages (job_id, institution_id, to_address, subject, body, status, attempts, claimed_at)
         VALUES ($1, $2, $3, 'Emne', 'Tekst', 'pending', 0, NULL),
                ($1, $4, $5, 'Emne', 'Tekst', 'sending', 1, now() - interval '11 minutes')",
    )
    .bind(job)
    .bind(first)
    .bind(&unsent)
    .bind(second)
    .bind(&cut_off)
    .execute(&app.pool)
    .await
    .unwrap();

    let mailer = app::reminders::mailer::Mailer::new(Some(&smtp.settings())).unwrap();
    let attempted = app::reminders::worker::work(&app.pool, &mailer, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(attempted, 1);
    assert_eq!(smtp.mails_to(&unsent).len(), 1);
    assert!(
        smtp.mails_to(&cut_off).is_empty(),
        "an interrupted send is not repeated"
    );
    let found = statuses(&app.pool, job).await;
    assert_eq!(found[0].1, "sent");
    assert_eq!(found[1].1, "uncertain");
    assert!(found[1].4.as_deref().unwrap().contains("vides ikke"));

    // Another round, as after one more restart: nothing is sent again.
    let again = app::reminders::worker::work(&app.pool, &mailer, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(smtp.mails_to(&unsent).len(), 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_the_kommune_sends_and_bad_wording_is_refused_by_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "R30041", 746, PASSWORD).await;
    let kommune = kommune_admin(&app, 746).await;
    kontakt(&kommune, "R30041", &address("r")).await;

    // Institutions, support and anonymous callers may not.
    let institution = app.fresh_client();
    institution.login_institution("R30041", PASSWORD).await;
    let form = [
        ("hvem", "aldrig"),
        ("emne", "Hej"),
        ("tekst", "Log ind på {adresse}"),
    ];
    assert_eq!(
        institution.call("kommune_paamindelse_send", &form).await.status(),
        403
    );
    assert_eq!(institution.call("kommune_paamindelser", &[]).await.status(), 403);
    assert_eq!(
        institution
            .call("kommune_paamindelse", &[("id", "1")])
            .await
            .status(),
        403
    );
    assert_eq!(institution.call("kommune_udbakke", &[]).await.status(), 403);
    // The start page's own reminder is the institution's alone.
    assert_eq!(kommune.call("institution_paamindelse", &[]).await.status(), 403);
    assert_eq!(
        app.fresh_client()
            .call("institution_paamindelse", &[])
            .await
            .status(),
        401
    );
    let support = crate::helpers::support_admin(&app).await;
    assert_eq!(
        support.call("kommune_paamindelse_send", &form).await.status(),
        403
    );
    assert_eq!(support.call("kommune_udbakke", &[]).await.status(), 403);
    let anonymous = app.fresh_client();
    assert_eq!(
        anonymous.call("kommune_paamindelse_send", &form).await.status(),
        401
    );
    let page = anonymous.get("/kommune/paamindelser").await;
    assert!(
        location_of(&page).starts_with("/admin/log-ind"),
        "{}",
        location_of(&page)
    );
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM reminder_jobs")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);

    // Bad wording: each field named, nothing made.
    let bad = send(&kommune, "alle", "", "Hej {kode}").await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("hvem") && text.contains("Skriv et emne") && text.contains("{kode} findes ikke"),
        "{text}"
    );
    // Without JavaScript the page comes back with the text as typed, escaped.
    let typed = "Log ind på {adresse} </textarea><script>alert(1)</script> {ukendt}";
    let plain = kommune
        .post_plain(
            "kommune_paamindelse_send",
            &[("hvem", "aldrig"), ("emne", "Hej"), ("tekst", typed)],
            "/kommune/paamindelser?hvem=aldrig",
        )
        .await;
    assert_eq!(plain.status(), 303);
    let back = kommune.get(&location_of(&plain)).await.text().await.unwrap();
    assert!(back.contains("Feltet {ukendt} findes ikke"), "{back}");
    assert!(back.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!back.contains("<script>alert(1)"));
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM reminder_jobs")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(none, 0, "nothing half-made");

    // Nobody with an e-mail: refused with a way on.
    let nobody = send(&kommune, "foraeldet", "Hej", "Log ind på {adresse}").await;
    assert_eq!(nobody.status(), 422);
    assert!(nobody.text().await.unwrap().contains("Ingen af disse dagtilbud"));
}
