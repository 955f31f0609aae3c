//! Start the real server on port 0 with its own database, like zero2prod's `spawn_app`.

use app::ssr::AppState;
use sqlx::PgPool;
use tokio::net::TcpListener;

pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    pub client: reqwest::Client,
    pub clock: app::ssr::Clock,
}

pub fn init_logging() {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init();
    }
}

/// Start the server on a free port against `pool` (the reference data is loaded first).
pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, app::ssr::Settings::default()).await
}

/// The app with non-default settings.
pub async fn spawn_app_with(pool: PgPool, settings: app::ssr::Settings) -> TestApp {
    init_logging();
    // The pool `#[sqlx::test]` hands out borrows its connections from one
    // process-wide parent pool shared by every test's runtime. Now and then a
    // request then waited the whole acquire timeout (30 s) for a connection
    // after another test's runtime had ended. The server gets its own pool on
    // the same test database instead.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(5)
        .connect_lazy_with((*pool.connect_options()).clone());
    server::seed::reference_data(&pool).await.expect("reference data");
    let leptos_options = server::config::leptos_options().expect("leptos options");
    let state = AppState::new(pool.clone(), leptos_options, settings);
    let clock = state.clock.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    let client = http_client();
    TestApp {
        address,
        pool,
        client,
        clock,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request")
    }
}

/// A browser-like same-origin form post (what the WASM's fetch sends).
pub const SAME_ORIGIN: (&str, &str) = ("sec-fetch-site", "same-origin");

impl TestApp {
    /// POST a form to a server function the way the WASM does (JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}/api/fn/{}", self.address, endpoint))
            .header(SAME_ORIGIN.0, SAME_ORIGIN.1)
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// POST a form the way a browser without JavaScript does (expects a redirect).
    pub async fn post_plain(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        referer: &str,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/fn/{}", self.address, endpoint))
            .header(SAME_ORIGIN.0, SAME_ORIGIN.1)
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}{}", self.address, referer))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// A fresh client without cookies against the same server.
    pub fn fresh_client(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            pool: self.pool.clone(),
            client: http_client(),
            clock: self.clock.clone(),
        }
    }

    /// This client (and its cookies) against the server of `other`: one
    /// browser talking to two servers behind a load balancer.
    pub fn same_browser_at(&self, other: &TestApp) -> TestApp {
        TestApp {
            address: other.address.clone(),
            pool: other.pool.clone(),
            client: self.client.clone(),
            clock: other.clock.clone(),
        }
    }

    pub async fn login_institution(&self, nummer: &str, secret: &str) -> reqwest::Response {
        self.call("log_ind", &[("institutionsnummer", nummer), ("kodeord", secret)])
            .await
    }

    /// Log in as an administrator: the password, and when the code step
    /// follows, a code computed from the account's stored secret.
    pub async fn login_admin(&self, email: &str, password: &str) -> reqwest::Response {
        let response = self.admin_password_step(email, password).await;
        if location_of(&response).split('?').next() != Some("/admin/totrin") {
            return response;
        }
        // Tests log the same account in many times within one 30-second
        // step, which the replay guard refuses (it has its own tests): the
        // helper forgets the last accepted step first.
        sqlx::query("UPDATE admin_accounts SET totp_last_step = NULL WHERE email = lower(trim($1))")
            .bind(email)
            .execute(&self.pool)
            .await
            .expect("forget the last step");
        let code = self.totp_code(email).await;
        self.call("admin_totrin", &[("kode", &code)]).await
    }

    /// Only the password step of an administrator's log-in.
    pub async fn admin_password_step(&self, email: &str, password: &str) -> reqwest::Response {
        self.call("admin_log_ind", &[("email", email), ("adgangskode", password)])
            .await
    }

    /// The current code of the account's second factor, by the server's clock.
    pub async fn totp_code(&self, email: &str) -> String {
        self.totp_code_at(email, self.clock.now().unix_timestamp()).await
    }

    /// The code of the account's second factor at unix time `unix`.
    pub async fn totp_code_at(&self, email: &str, unix: i64) -> String {
        let secret: Vec<u8> =
            sqlx::query_scalar("SELECT totp_secret FROM admin_accounts WHERE email = lower(trim($1))")
                .bind(email)
                .fetch_one(&self.pool)
                .await
                .expect("the account has a TOTP secret");
        app::auth::totp::TotpSecret::from_bytes(secret)
            .code_at(unix)
            .expect("code")
    }
}

/// Where a response sends the browser (`Location`), or "".
pub fn location_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A cookie-keeping client that does not follow redirects, with a time limit
/// above the server's own, so a stuck request fails its test instead of
/// hanging the run.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("http client")
}

/// The `AppError` in a server function's error answer.
pub async fn app_error(response: reqwest::Response) -> app::error::AppError {
    let body = response.text().await.expect("body");
    serde_json::from_str(&body).unwrap_or_else(|_| panic!("not an AppError: {body}"))
}

/// An active institution in kommune `kommunekode` with an account whose password is `password`.
pub async fn institution_with_password(pool: &PgPool, nummer: &str, kommunekode: i16, password: &str) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO institutions (nummer, navn, institution_type, ejerform, kommunekode, vejnavn, husnummer, postnummer, postby)
         VALUES ($1, 'Testbørnehaven ' || $1, 'boernehave', 'kommunal', $2, 'Skolevej', '1', 8660, 'Skanderborg') RETURNING id",
    )
    .bind(nummer)
    .bind(kommunekode)
    .fetch_one(pool)
    .await
    .expect("institution");
    let hash = app::ssr::password::hash(password.to_string().into())
        .await
        .expect("hash");
    sqlx::query("INSERT INTO institution_accounts (institution_id, password_hash) VALUES ($1, $2)")
        .bind(id)
        .bind(hash)
        .execute(pool)
        .await
        .expect("account");
    id
}

/// Issue a letter code for an institution, as the kommune would.
pub async fn issue_code(pool: &PgPool, institution_id: i64) -> String {
    app::auth::codes::issue_institution_code(pool, institution_id, &app::audit::Actor::system("test"), None)
        .await
        .expect("code")
}

/// An admin account (`role` kommune or support) with a confirmed second
/// factor (a random TOTP secret; [`TestApp::login_admin`] reads it).
pub async fn admin(
    pool: &PgPool,
    email: &str,
    role: &str,
    kommunekode: Option<i16>,
    password: &str,
    must_change: bool,
) -> i64 {
    let id = admin_without_factor(pool, email, role, kommunekode, password, must_change).await;
    let secret = app::auth::totp::TotpSecret::generate();
    sqlx::query("UPDATE admin_accounts SET totp_secret = $2, totp_confirmed_at = now() WHERE id = $1")
        .bind(id)
        .bind(secret.as_bytes())
        .execute(pool)
        .await
        .expect("second factor");
    id
}

/// An admin account that has not set up its second factor yet.
pub async fn admin_without_factor(
    pool: &PgPool,
    email: &str,
    role: &str,
    kommunekode: Option<i16>,
    password: &str,
    must_change: bool,
) -> i64 {
    let hash = app::ssr::password::hash(password.to_string().into())
        .await
        .expect("hash");
    sqlx::query_scalar(
        "INSERT INTO admin_accounts (email, navn, role, kommunekode, password_hash, must_change_password, one_time_until)
         VALUES ($1, 'Test', $2, $3, $4, $5, CASE WHEN $5 THEN now() + interval '72 hours' END) RETURNING id",
    )
    .bind(email)
    .bind(role)
    .bind(kommunekode)
    .bind(hash)
    .bind(must_change)
    .fetch_one(pool)
    .await
    .expect("admin")
}

/// Set up the second factor of the client's log-in from the set-up page, as
/// a person with an authenticator app would: read the secret shown as text,
/// confirm with its current code. Returns the secret and the recovery codes.
pub async fn set_up_second_factor(client: &TestApp) -> (app::auth::totp::TotpSecret, Vec<String>) {
    let page = client.get("/admin/totrin/opsaet").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    let element = html.find("id=\"totp-noegle\"").expect("the secret as text");
    let start = element + html[element..].find('>').expect("end of the tag") + 1;
    let text = &html[start..start + html[start..].find('<').expect("end of the secret")];
    let secret = app::auth::totp::TotpSecret::from_base32(text).expect("base32 secret");
    let code = secret.code_at(client.clock.now().unix_timestamp()).expect("code");
    let confirmed = client
        .client
        .post(format!("{}/admin/totrin/bekraeft", client.address))
        .header(SAME_ORIGIN.0, SAME_ORIGIN.1)
        .form(&[("kode", code.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(confirmed.status(), 200);
    let html = confirmed.text().await.expect("body");
    let codes = html
        .split("<code>")
        .skip(1)
        .filter_map(|part| part.split("</code>").next())
        .map(str::to_string)
        .collect();
    (secret, codes)
}

/// The value of the session cookie the client holds for the server.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dagtilbud_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

const ADMIN_PASSWORD: &str = "en lang og god adgangskode";

/// A logged-in kommune administrator of `kommunekode`.
/// A STIL support user (with a second factor), logged in.
pub async fn support_admin(app: &TestApp) -> TestApp {
    admin(
        &app.pool,
        "hjaelp@stil.example",
        "support",
        None,
        ADMIN_PASSWORD,
        false,
    )
    .await;
    let client = app.fresh_client();
    assert_eq!(
        client
            .login_admin("hjaelp@stil.example", ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    client
}

pub async fn kommune_admin(app: &TestApp, kommunekode: i16) -> TestApp {
    let email = format!("admin{kommunekode}@kommune.example");
    admin(
        &app.pool,
        &email,
        "kommune",
        Some(kommunekode),
        ADMIN_PASSWORD,
        false,
    )
    .await;
    let client = app.fresh_client();
    assert_eq!(client.login_admin(&email, ADMIN_PASSWORD).await.status(), 200);
    client
}

/// Log in as institution `nummer` and save Monday's opening hours (and `extra` fields).
pub async fn save_monday_hours(
    app: &TestApp,
    nummer: &str,
    password: &str,
    (opens, closes): (&str, &str),
    extra: &[(&str, &str)],
) -> TestApp {
    let client = app.fresh_client();
    assert_eq!(client.login_institution(nummer, password).await.status(), 200);
    let mut form = vec![
        ("version", "0"),
        ("mandag_aaben", "on"),
        ("mandag_fra", opens),
        ("mandag_til", closes),
    ];
    form.extend_from_slice(extra);
    assert_eq!(client.call("aabningstider_gem", &form).await.status(), 200);
    client
}

/// Poll `check` every 50 ms until it gives a value (for changes that reach a
/// server through PostgreSQL's notifications); fails the test after 5 s.
pub async fn eventually<T, F, Fut>(check: F) -> T
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the change did not show within 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `DATABASE_URL` with its database replaced by `database` (keeps any
/// `?host=` of a unix-socket URL).
pub fn url_of_database(database: &str) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let authority = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path = base[authority..]
        .find('/')
        .map(|i| authority + i)
        .unwrap_or(base.len());
    let query = base[path..].find('?').map(|i| path + i).unwrap_or(base.len());
    format!("{}/{}{}", &base[..path], database, &base[query..])
}

/// The connection URL of the test database behind `pool`.
pub async fn url_of(pool: &PgPool) -> String {
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(pool)
        .await
        .expect("current database");
    url_of_database(&database)
}

/// The number of rows in each of `tables`, in order.
pub async fn row_counts(pool: &PgPool, tables: &[&str]) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in tables {
        let sql = format!("SELECT count(*) FROM {table}");
        counts.push(
            sqlx::query_scalar(&sql)
                .fetch_one(pool)
                .await
                .expect("count rows"),
        );
    }
    counts
}

/// Today as the server counts days (Danish time: after 23:00 UTC it is
/// already tomorrow), written the Danish way: `24.11.2026`.
pub fn danish_today() -> String {
    let today = app::domain::calendar::danish_time(time::OffsetDateTime::now_utc()).date();
    format!("{}.{}.{}", today.day(), u8::from(today.month()), today.year())
}

/// The real SMTP server the tests send to (aiosmtpd, `scripts/smtp-test-server`):
/// the one the test command started (`SMTP_TEST_PORT`, `SMTP_TEST_DIR`), or,
/// for a bare `cargo test`, one this process starts.
pub struct TestSmtp {
    pub port: u16,
    pub dir: std::path::PathBuf,
}

pub fn test_smtp() -> &'static TestSmtp {
    static SMTP: std::sync::OnceLock<TestSmtp> = std::sync::OnceLock::new();
    SMTP.get_or_init(|| {
        if let (Ok(port), Ok(dir)) = (std::env::var("SMTP_TEST_PORT"), std::env::var("SMTP_TEST_DIR")) {
            return TestSmtp {
                port: port.parse().expect("SMTP_TEST_PORT is a port"),
                dir: dir.into(),
            };
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join(".tools/venv/bin/python");
        assert!(
            python.exists(),
            "the test SMTP server needs aiosmtpd: run ./scripts/setup (or ./scripts/test)"
        );
        let dir = std::env::temp_dir().join(format!("dagtilbud-smtp-{}", std::process::id()));
        let mut child = std::process::Command::new(python)
            .arg(root.join("scripts/smtp-test-server"))
            .arg(&dir)
            .arg("0")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the test SMTP server");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
            &mut line,
        )
        .expect("the test SMTP server says it is ready");
        let port = line
            .trim()
            .strip_prefix("ready ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected answer from the test SMTP server: {line}"));
        // It ends itself when this process ends.
        std::mem::forget(child);
        TestSmtp { port, dir }
    })
}

/// One mail the test SMTP server accepted.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub content_type: String,
    pub body: String,
}

impl TestSmtp {
    /// The settings that send through this server.
    pub fn settings(&self) -> app::reminders::mailer::SmtpSettings {
        app::reminders::mailer::SmtpSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: app::reminders::mailer::SmtpTls::None,
            user: None,
            password: None,
            from: "Dagtilbudsportalen <noreply@dagtilbud.example>".into(),
        }
    }

    /// Every mail accepted for `address` so far.
    pub fn mails_to(&self, address: &str) -> Vec<ReceivedMail> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|text| serde_json::from_str::<ReceivedMail>(&text).ok())
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Wait (up to 30 s) until `count` mails for `address` have arrived.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<ReceivedMail> {
        for _ in 0..300 {
            let mails = self.mails_to(address);
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{count} mail(s) to {address} never arrived");
    }
}
