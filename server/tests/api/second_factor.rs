//! The administrators' second factor (TOTP, RFC 6238) over real HTTP against
//! a real database: set-up at the first log-in, the code step at every
//! log-in, the replay guard, recovery codes, throttling shared with the
//! password, support's reset, and what each role may do on the new endpoints.

use std::time::Duration;

use crate::helpers::{
    admin, admin_without_factor, app_error, institution_with_password, location_of, set_up_second_factor,
    spawn_app, TestApp, SAME_ORIGIN,
};
use app::auth::totp::TotpSecret;
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";
const SKANDERBORG: i16 = 746;
const KOMMUNE_EMAIL: &str = "k@kommune.example";
const SUPPORT_EMAIL: &str = "s@stil.example";

async fn confirm(client: &TestApp, code: &str) -> reqwest::Response {
    client
        .client
        .post(format!("{}/admin/totrin/bekraeft", client.address))
        .header(SAME_ORIGIN.0, SAME_ORIGIN.1)
        .form(&[("kode", code)])
        .send()
        .await
        .expect("request")
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn logout(client: &TestApp) {
    assert_eq!(client.call("log_ud", &[]).await.status(), 200);
}

/// Six-digit codes that are not valid for `secret` now (nor a step either side).
fn wrong_codes<'a>(secret: &'a TotpSecret, app: &TestApp) -> impl Iterator<Item = String> + 'a {
    let now = app.clock.now().unix_timestamp();
    (0..1000)
        .map(|n| format!("{:06}", n * 997))
        .filter(move |c| secret.matching_step(c, now).is_none())
}

async fn secret_of(pool: &PgPool, email: &str) -> TotpSecret {
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT totp_secret FROM admin_accounts WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap();
    TotpSecret::from_bytes(bytes)
}

/// The kommune administrator most tests log in as, with a confirmed factor.
async fn kommune_account(app: &TestApp) -> i64 {
    admin(
        &app.pool,
        KOMMUNE_EMAIL,
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await
}

fn field_error(error: AppError, field: &str) -> String {
    match error {
        AppError::Validation(errors) => errors
            .get(field)
            .cloned()
            .unwrap_or_else(|| panic!("no error for {field}: {errors:?}")),
        other => panic!("a validation error expected, got {other:?}"),
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_first_log_in_sets_up_the_factor_and_every_later_one_asks_for_a_code(pool: PgPool) {
    let app = spawn_app(pool).await;
    admin_without_factor(
        &app.pool,
        KOMMUNE_EMAIL,
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await;

    // The password alone opens only the set-up page.
    let login = app.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    assert_eq!(login.status(), 200);
    assert_eq!(location_of(&login), "/admin/totrin/opsaet");
    assert_eq!(location_of(&app.get("/kommune").await), "/admin/totrin/opsaet");
    assert_eq!(app.call("kommune_oversigt", &[]).await.status(), 403);
    assert_eq!(
        location_of(&app.get("/admin/totrin").await),
        "/admin/totrin/opsaet"
    );

    // The page: a QR code drawn as SVG with attributes only, the secret as text.
    let page = app.get("/admin/totrin/opsaet").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    let svg_start = html.find("<svg").expect("the QR code is in the page");
    let svg = &html[svg_start..svg_start + html[svg_start..].find("</svg>").unwrap()];
    assert!(
        svg.contains("fill=\"#000000\"") && !svg.contains("style"),
        "{svg}"
    );
    assert!(html.contains("autocomplete=\"one-time-code\"") && html.contains("inputmode=\"numeric\""));
    assert!(html.contains("<label for=\"kode\""), "the code field has a label");
    let secret = secret_of(&app.pool, KOMMUNE_EMAIL).await;
    assert!(
        html.contains(&secret.grouped_base32()),
        "the secret as text in groups of four"
    );
    // Reloading shows the same secret until it is confirmed.
    let again = app.get("/admin/totrin/opsaet").await.text().await.unwrap();
    assert!(again.contains(&secret.grouped_base32()));
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM admin_accounts WHERE totp_confirmed_at IS NOT NULL"
        )
        .await,
        0
    );

    // A wrong first code goes back to the page with a message on the field.
    let wrong = confirm(&app, &wrong_codes(&secret, &app).next().unwrap()).await;
    assert_eq!(wrong.status(), 303);
    assert_eq!(location_of(&wrong), "/admin/totrin/opsaet");
    let shown = app.get("/admin/totrin/opsaet").await.text().await.unwrap();
    assert!(shown.contains("Koden passer ikke"), "{shown}");
    let malformed = confirm(&app, "12ab").await;
    assert_eq!(malformed.status(), 303);
    let shown = app.get("/admin/totrin/opsaet").await.text().await.unwrap();
    assert!(
        shown.contains("Koden fra godkendelsesappen er 6 cifre"),
        "{shown}"
    );

    // The right code turns it on and shows ten recovery codes, once.
    let code = secret.code_at(app.clock.now().unix_timestamp()).unwrap();
    let confirmed = confirm(&app, &code).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.headers()["cache-control"], "no-store");
    let html = confirmed.text().await.unwrap();
    let codes: Vec<String> = html
        .split("<code>")
        .skip(1)
        .filter_map(|part| part.split("</code>").next())
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    assert!(codes.iter().all(|c| c.len() == 29));
    assert_eq!(app.get("/kommune").await.status(), 200);
    assert_eq!(location_of(&app.get("/admin/totrin/opsaet").await), "/kommune");

    // Stored: the confirmed secret and only hashes of the recovery codes.
    assert_eq!(
        count(&app.pool, "SELECT count(*) FROM admin_recovery_codes").await,
        10
    );
    let hashes: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM admin_recovery_codes")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for code in &codes {
        assert!(hashes.contains(&app::auth::totp::recovery_hash(code)));
        assert!(!hashes.iter().any(|h| h == code.as_bytes()));
    }
    let audit: String = sqlx::query_scalar(
        "SELECT string_agg(action || ' ' || details::text, ' | ') FROM audit_log WHERE actor_label = $1",
    )
    .bind(KOMMUNE_EMAIL)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(audit.contains("totrin_oprettet"), "{audit}");
    assert!(
        !audit.contains(&secret.grouped_base32().replace(' ', "")[..8]),
        "{audit}"
    );
    assert!(!codes.iter().any(|c| audit.contains(c.as_str())), "{audit}");

    // Every later log-in: password, then a code; nothing opens before it.
    logout(&app).await;
    app.clock.advance(Duration::from_secs(30));
    let login = app.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    assert_eq!(location_of(&login), "/admin/totrin");
    assert_eq!(location_of(&app.get("/kommune").await), "/admin/totrin");
    assert_eq!(
        location_of(&app.get("/admin/totrin/opsaet").await),
        "/admin/totrin"
    );
    assert_eq!(app.call("kommune_oversigt", &[]).await.status(), 403);
    assert_eq!(app.get("/kommune/eksport.csv").await.status(), 303);
    let page = app.get("/admin/totrin").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<label for=\"kode\"") && html.contains("<label for=\"gendannelseskode\""));
    assert!(html.contains("autocomplete=\"one-time-code\"") && html.contains("inputmode=\"numeric\""));

    let code = secret.code_at(app.clock.now().unix_timestamp()).unwrap();
    let passed = app.call("admin_totrin", &[("kode", &code)]).await;
    assert_eq!(passed.status(), 200);
    assert_eq!(location_of(&passed), "/kommune");
    assert_eq!(app.get("/kommune").await.status(), 200);
    assert_eq!(location_of(&app.get("/admin/totrin").await), "/kommune");
    let log_ins = count(
        &app.pool,
        "SELECT count(*) FROM audit_log WHERE action = 'log_ind' AND details->>'totrin' = 'app'",
    )
    .await;
    assert_eq!(log_ins, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_code_works_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    kommune_account(&app).await;

    let first = app.fresh_client();
    first.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    let code = first.totp_code(KOMMUNE_EMAIL).await;
    assert_eq!(
        location_of(&first.call("admin_totrin", &[("kode", &code)]).await),
        "/kommune"
    );

    // The same code again, from another browser within its 30 seconds: refused.
    let second = app.fresh_client();
    second.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    let replay = second.call("admin_totrin", &[("kode", &code)]).await;
    assert_eq!(replay.status(), 422);
    assert!(field_error(app_error(replay).await, "kode").contains("allerede brugt"));
    assert_eq!(second.call("kommune_oversigt", &[]).await.status(), 403);
    // An older code (the step before) is refused too: steps only move forward.
    let earlier = second
        .totp_code_at(KOMMUNE_EMAIL, app.clock.now().unix_timestamp() - 30)
        .await;
    assert_eq!(
        second.call("admin_totrin", &[("kode", &earlier)]).await.status(),
        422
    );
    let refused = count(
        &app.pool,
        "SELECT count(*) FROM audit_log WHERE action = 'log_ind_afvist' AND details->>'aarsag' LIKE '%allerede brugt%'",
    )
    .await;
    assert_eq!(refused, 2);

    // The next step's code works.
    app.clock.advance(Duration::from_secs(30));
    let next = second.totp_code(KOMMUNE_EMAIL).await;
    assert_ne!(next, code);
    assert_eq!(
        location_of(&second.call("admin_totrin", &[("kode", &next)]).await),
        "/kommune"
    );
    assert_eq!(second.call("kommune_oversigt", &[]).await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_recovery_code_works_once_instead_of_the_app(pool: PgPool) {
    let app = spawn_app(pool).await;
    admin_without_factor(&app.pool, SUPPORT_EMAIL, "support", None, PASSWORD, false).await;
    app.admin_password_step(SUPPORT_EMAIL, PASSWORD).await;
    let (_, codes) = set_up_second_factor(&app).await;
    assert_eq!(codes.len(), 10);
    logout(&app).await;

    // Typed in lowercase with spaces: still the code.
    app.admin_password_step(SUPPORT_EMAIL, PASSWORD).await;
    let typed = codes[3].to_lowercase().replace('-', " ");
    let used = app
        .call("admin_gendannelseskode", &[("gendannelseskode", &typed)])
        .await;
    assert_eq!(used.status(), 200);
    assert_eq!(location_of(&used), "/support");
    assert_eq!(app.get("/support").await.status(), 200);
    assert_eq!(
        count(&app.pool, "SELECT count(*) FROM admin_recovery_codes").await,
        9
    );
    let left: String = sqlx::query_scalar(
        "SELECT details->>'gendannelseskoder_tilbage' FROM audit_log WHERE action = 'log_ind' AND details->>'totrin' = 'gendannelseskode'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(left, "9");
    logout(&app).await;

    // A second use fails; the page says so on the field.
    app.admin_password_step(SUPPORT_EMAIL, PASSWORD).await;
    let again = app
        .call("admin_gendannelseskode", &[("gendannelseskode", &codes[3])])
        .await;
    assert_eq!(again.status(), 422);
    assert!(field_error(app_error(again).await, "gendannelseskode").contains("allerede brugt"));
    let malformed = app
        .call("admin_gendannelseskode", &[("gendannelseskode", "ABCD")])
        .await;
    assert!(field_error(app_error(malformed).await, "gendannelseskode").contains("24 tegn"));
    assert_eq!(app.call("support_oversigt", &[]).await.status(), 403);
    // Another one still works.
    let other = app
        .call("admin_gendannelseskode", &[("gendannelseskode", &codes[4])])
        .await;
    assert_eq!(location_of(&other), "/support");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn wrong_codes_count_in_the_password_throttle(pool: PgPool) {
    let app = spawn_app(pool).await;
    kommune_account(&app).await;
    let right = app.totp_code(KOMMUNE_EMAIL).await;
    let secret = secret_of(&app.pool, KOMMUNE_EMAIL).await;
    let mut wrong_codes = wrong_codes(&secret, &app);

    app.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    for _ in 0..3 {
        let wrong = app
            .call("admin_totrin", &[("kode", &wrong_codes.next().unwrap())])
            .await;
        assert_eq!(wrong.status(), 422);
    }
    // A right password again does not reset the count of wrong codes.
    let login = app.fresh_client();
    assert_eq!(
        location_of(&login.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await),
        "/admin/totrin"
    );
    for _ in 0..2 {
        let wrong = login
            .call("admin_totrin", &[("kode", &wrong_codes.next().unwrap())])
            .await;
        assert_eq!(wrong.status(), 422);
    }
    // Five failures: blocked, the right code and the password step alike.
    let blocked = login.call("admin_totrin", &[("kode", &right)]).await;
    assert_eq!(blocked.status(), 429);
    assert!(app_error(blocked)
        .await
        .to_string()
        .contains("for mange forkerte forsøg"));
    assert_eq!(
        app.fresh_client()
            .admin_password_step(KOMMUNE_EMAIL, PASSWORD)
            .await
            .status(),
        429
    );
    let failures: i32 = sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
        .bind(format!("konto:{KOMMUNE_EMAIL}"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(failures, 5);

    // After the wait, the right code logs in and the count is forgotten.
    app.clock.advance(Duration::from_secs(31));
    let code = login.totp_code(KOMMUNE_EMAIL).await;
    assert_eq!(
        location_of(&login.call("admin_totrin", &[("kode", &code)]).await),
        "/kommune"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM login_throttle WHERE key LIKE 'konto:%'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_code_step_ends_ten_minutes_after_the_password(pool: PgPool) {
    let app = spawn_app(pool).await;
    kommune_account(&app).await;
    app.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    app.clock.advance(Duration::from_secs(11 * 60));
    let code = app.totp_code(KOMMUNE_EMAIL).await;
    let late = app.call("admin_totrin", &[("kode", &code)]).await;
    assert_eq!(late.status(), 422);
    assert!(field_error(app_error(late).await, "form").contains("Log ind igen"));
    // The half log-in is gone.
    assert_eq!(location_of(&app.get("/admin/totrin").await), "/admin/log-ind");
    assert_eq!(
        location_of(&app.get("/kommune").await),
        "/admin/log-ind?naeste=/kommune"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_code_comes_before_a_new_password_and_the_set_up_after_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    // A reset password on an account with a factor: code first, then the new password.
    admin(
        &app.pool,
        KOMMUNE_EMAIL,
        "kommune",
        Some(SKANDERBORG),
        "genereret-start-kode",
        true,
    )
    .await;
    assert_eq!(
        location_of(
            &app.admin_password_step(KOMMUNE_EMAIL, "genereret-start-kode")
                .await
        ),
        "/admin/totrin"
    );
    let choose = [
        ("ny_adgangskode", "solsikker i vinden"),
        ("gentag_adgangskode", "solsikker i vinden"),
    ];
    assert_eq!(app.call("vaelg_adgangskode", &choose).await.status(), 403);
    assert_eq!(location_of(&app.get("/vaelg-adgangskode").await), "/admin/totrin");
    let code = app.totp_code(KOMMUNE_EMAIL).await;
    assert_eq!(
        location_of(&app.call("admin_totrin", &[("kode", &code)]).await),
        "/vaelg-adgangskode"
    );
    assert_eq!(location_of(&app.get("/kommune").await), "/vaelg-adgangskode");
    assert_eq!(
        location_of(&app.call("vaelg_adgangskode", &choose).await),
        "/kommune"
    );

    // A new account: the new password first, then the set-up.
    let new = app.fresh_client();
    admin_without_factor(
        &app.pool,
        SUPPORT_EMAIL,
        "support",
        None,
        "genereret-start-kode",
        true,
    )
    .await;
    assert_eq!(
        location_of(
            &new.admin_password_step(SUPPORT_EMAIL, "genereret-start-kode")
                .await
        ),
        "/vaelg-adgangskode"
    );
    assert_eq!(
        location_of(&new.get("/admin/totrin/opsaet").await),
        "/vaelg-adgangskode"
    );
    assert_eq!(new.call("totrin_opsaetning", &[]).await.status(), 403);
    assert_eq!(
        location_of(&new.call("vaelg_adgangskode", &choose).await),
        "/admin/totrin/opsaet"
    );
    assert_eq!(location_of(&new.get("/support").await), "/admin/totrin/opsaet");
    set_up_second_factor(&new).await;
    assert_eq!(new.get("/support").await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_new_endpoints_refuse_everyone_but_their_step(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "T10001", SKANDERBORG, PASSWORD).await;
    kommune_account(&app).await;
    let anonymous = app.fresh_client();
    let institution = app.fresh_client();
    assert_eq!(
        institution.login_institution("T10001", PASSWORD).await.status(),
        200
    );
    let kommune = app.fresh_client();
    assert_eq!(
        location_of(&kommune.login_admin(KOMMUNE_EMAIL, PASSWORD).await),
        "/kommune"
    );
    let secret_before: Vec<u8> =
        sqlx::query_scalar("SELECT totp_secret FROM admin_accounts WHERE email = $1")
            .bind(KOMMUNE_EMAIL)
            .fetch_one(&app.pool)
            .await
            .unwrap();

    // (client, status of the server functions, status of the plain confirm post)
    for (who, client, fn_status) in [
        ("anonymous", &anonymous, 401),
        ("institution", &institution, 403),
        ("logged-in kommune", &kommune, 403),
    ] {
        for (endpoint, form) in [
            ("admin_totrin", vec![("kode", "123456")]),
            (
                "admin_gendannelseskode",
                vec![("gendannelseskode", "ABCD-EFGH-JKLM-NPQR")],
            ),
            ("totrin_opsaetning", vec![]),
        ] {
            assert_eq!(
                client.call(endpoint, &form).await.status(),
                fn_status,
                "{who}: {endpoint}"
            );
        }
        assert_eq!(confirm(client, "123456").await.status(), 403, "{who}: confirm");
    }
    assert_eq!(
        location_of(&anonymous.get("/admin/totrin").await),
        "/admin/log-ind"
    );
    assert_eq!(
        location_of(&anonymous.get("/admin/totrin/opsaet").await),
        "/admin/log-ind"
    );
    assert_eq!(
        location_of(&institution.get("/admin/totrin").await),
        "/indberetning"
    );
    assert_eq!(
        location_of(&kommune.get("/admin/totrin/opsaet").await),
        "/kommune"
    );

    // Nobody but support resets a factor: not the account's own kommune admin either.
    let target = admin(
        &app.pool,
        "anden@kommune.example",
        "kommune",
        Some(SKANDERBORG),
        PASSWORD,
        false,
    )
    .await;
    let id = target.to_string();
    for (who, client, status) in [
        ("anonymous", &anonymous, 401),
        ("institution", &institution, 403),
        ("kommune", &kommune, 403),
    ] {
        let reset = client.call("support_nulstil_totrin", &[("id", &id)]).await;
        assert_eq!(reset.status(), status, "{who}");
    }
    let kept = count(
        &app.pool,
        "SELECT count(*) FROM admin_accounts WHERE totp_confirmed_at IS NOT NULL",
    )
    .await;
    assert_eq!(kept, 2);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'totrin_nulstillet'"
        )
        .await,
        0
    );

    // A session between password and code reaches nothing but its step.
    let half = app.fresh_client();
    half.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    assert_eq!(half.call("totrin_opsaetning", &[]).await.status(), 403);
    assert_eq!(confirm(&half, "123456").await.status(), 403);
    assert_eq!(half.call("kommune_oversigt", &[]).await.status(), 403);
    assert_eq!(
        half.call("support_nulstil_totrin", &[("id", &id)]).await.status(),
        403
    );
    let secret_after: Vec<u8> = sqlx::query_scalar("SELECT totp_secret FROM admin_accounts WHERE email = $1")
        .bind(KOMMUNE_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        secret_before, secret_after,
        "the confirmed secret never changes by visiting"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn support_resets_another_administrators_factor(pool: PgPool) {
    let app = spawn_app(pool).await;
    let kommune_id = kommune_account(&app).await;
    let support_id = admin(&app.pool, SUPPORT_EMAIL, "support", None, PASSWORD, false).await;
    sqlx::query("INSERT INTO admin_recovery_codes (admin_id, code_hash) VALUES ($1, sha256('x'::bytea))")
        .bind(kommune_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let kommune = app.fresh_client();
    assert_eq!(
        location_of(&kommune.login_admin(KOMMUNE_EMAIL, PASSWORD).await),
        "/kommune"
    );
    let support = app.fresh_client();
    assert_eq!(
        location_of(&support.login_admin(SUPPORT_EMAIL, PASSWORD).await),
        "/support"
    );

    let page = support
        .get(&format!("/support/konti/{kommune_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Slået til") && page.contains("Nulstil totrinsbekræftelse"),
        "{page}"
    );

    let reset = support
        .call("support_nulstil_totrin", &[("id", &kommune_id.to_string())])
        .await;
    assert_eq!(reset.status(), 200);
    assert_eq!(
        location_of(&reset),
        format!("/support/konti/{kommune_id}?totrin-nulstillet=1")
    );
    // Their sessions end; the factor and the recovery codes are gone.
    assert_eq!(kommune.call("kommune_oversigt", &[]).await.status(), 401);
    let (secret_gone, confirmed_gone): (bool, bool) = sqlx::query_as(
        "SELECT totp_secret IS NULL, totp_confirmed_at IS NULL FROM admin_accounts WHERE id = $1",
    )
    .bind(kommune_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(secret_gone && confirmed_gone);
    assert_eq!(
        count(&app.pool, "SELECT count(*) FROM admin_recovery_codes").await,
        0
    );
    let (actor, details): (String, serde_json::Value) =
        sqlx::query_as("SELECT actor_label, details FROM audit_log WHERE action = 'totrin_nulstillet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(actor, SUPPORT_EMAIL);
    assert_eq!(details["email"], KOMMUNE_EMAIL);
    // The next log-in sets up a new factor.
    assert_eq!(
        location_of(&kommune.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await),
        "/admin/totrin/opsaet"
    );
    let page = support
        .get(&format!("/support/konti/{kommune_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Ikke sat op endnu"), "{page}");

    // Not support's own factor, and not an account that does not exist.
    let own = support
        .call("support_nulstil_totrin", &[("id", &support_id.to_string())])
        .await;
    assert_eq!(own.status(), 422);
    assert!(field_error(app_error(own).await, "form").contains("egen"));
    assert_eq!(
        support
            .call("support_nulstil_totrin", &[("id", "999999")])
            .await
            .status(),
        404
    );
    assert_eq!(
        support.get("/support").await.status(),
        200,
        "support stays logged in"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_code_step_works_without_javascript(pool: PgPool) {
    let app = spawn_app(pool).await;
    kommune_account(&app).await;
    app.admin_password_step(KOMMUNE_EMAIL, PASSWORD).await;
    let wrong = app
        .post_plain("admin_totrin", &[("kode", "12")], "/admin/totrin")
        .await;
    assert_eq!(wrong.status(), 303);
    assert_eq!(location_of(&wrong), "/admin/totrin");
    let page = app.get("/admin/totrin").await.text().await.unwrap();
    assert!(
        page.contains("error-summary") && page.contains("6 cifre, fx 123456"),
        "{page}"
    );

    let code = app.totp_code(KOMMUNE_EMAIL).await;
    let passed = app
        .post_plain("admin_totrin", &[("kode", &code)], "/admin/totrin")
        .await;
    assert_eq!(passed.status(), 302, "{:?}", passed.headers());
    assert_eq!(location_of(&passed), "/kommune");
    assert_eq!(app.get("/kommune").await.status(), 200);
}
