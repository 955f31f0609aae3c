//! Simulated institution users for the reliability run: each logs in, opens a
//! section, changes it and saves, again and again with a short pause. Two
//! users share each institution, so saves over a stale version (conflicts)
//! happen now and then, as in real life with two browser tabs.
//!
//! Every save the server acknowledges is written to `--acked` as
//! `nummer,section,version`, so the caller can check afterwards that each is
//! in the database with its history row. Requests go round-robin over
//! `--bases` (one or more servers sharing one database).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one user saw.
#[derive(Default)]
pub struct Tally {
    pub latencies: Vec<Duration>,
    pub saves: usize,
    pub conflicts: usize,
    /// 503 "prøv igen om lidt" answers (expected only while the database is down).
    pub unavailable: usize,
    /// The longest wait for a 503.
    pub slowest_unavailable: Duration,
    /// Log-ins told to try again while every user logged in at once.
    pub busy_logins: usize,
    /// Any other 5xx: must stay 0.
    pub server_errors: usize,
    /// No answer at all (the server was down or restarting).
    pub connection_errors: usize,
    /// An answer whose body broke off after its head (a request cut short).
    pub cut_off: usize,
    /// A session the server no longer knew (must stay 0 across a restart).
    pub sessions_lost: usize,
    pub logins: usize,
    pub acked: Vec<String>,
}

pub struct Plan {
    pub bases: Vec<String>,
    pub password: String,
    pub until: Instant,
}

const SECTION: &str = "aabningstider";

enum Answer {
    Ok(serde_json::Value),
    Status(u16),
    Nothing,
    CutOff,
}

struct User {
    http: reqwest::Client,
    plan: Arc<Plan>,
    turn: Arc<AtomicUsize>,
    tally: Tally,
}

impl User {
    fn base(&self) -> &str {
        let i = self.turn.fetch_add(1, Ordering::Relaxed);
        &self.plan.bases[i % self.plan.bases.len()]
    }

    async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        let url = format!("{}/api/fn/{endpoint}", self.base());
        let started = Instant::now();
        let sent = self
            .http
            .post(url)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await;
        let answer = match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(body) if status < 300 => Answer::Ok(serde_json::from_slice(&body).unwrap_or_default()),
                    Ok(_) => Answer::Status(status),
                    Err(_) => Answer::CutOff,
                }
            }
            Err(_) => Answer::Nothing,
        };
        let took = started.elapsed();
        match &answer {
            Answer::Ok(_) => self.tally.latencies.push(took),
            // A log-in storm (every user at once) may wait for a hashing slot
            // and be told to try again; that is load, not the database.
            Answer::Status(503) if endpoint == "log_ind" => self.tally.busy_logins += 1,
            Answer::Status(503) => {
                self.tally.unavailable += 1;
                self.tally.slowest_unavailable = self.tally.slowest_unavailable.max(took);
            }
            Answer::Status(status) if *status >= 500 => {
                eprintln!("{status} from {endpoint}");
                self.tally.server_errors += 1;
            }
            Answer::Status(_) => {}
            Answer::Nothing => self.tally.connection_errors += 1,
            Answer::CutOff => self.tally.cut_off += 1,
        }
        answer
    }

    async fn pause_after_failure(&self) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    async fn log_in(&mut self, nummer: &str) -> bool {
        while Instant::now() < self.plan.until {
            let password = self.plan.password.clone();
            match self
                .call(
                    "log_ind",
                    &[("institutionsnummer", nummer), ("kodeord", &password)],
                )
                .await
            {
                Answer::Ok(_) => {
                    self.tally.logins += 1;
                    return true;
                }
                _ => self.pause_after_failure().await,
            }
        }
        false
    }
}

/// One user until the plan's end.
pub async fn run(plan: Arc<Plan>, nummer: String, seed: u64) -> Tally {
    let mut user = User {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client"),
        turn: Arc::new(AtomicUsize::new(seed as usize)),
        plan,
        tally: Tally::default(),
    };
    if !user.log_in(&nummer).await {
        return user.tally;
    }
    let mut round = seed;
    while Instant::now() < user.plan.until {
        round += 1;
        // Open the section (the version it was loaded at) ...
        let version = match user.call(&format!("{SECTION}_hent"), &[]).await {
            Answer::Ok(loaded) => loaded["meta"]["version"].as_i64().unwrap_or(0),
            Answer::Status(401) => {
                user.tally.sessions_lost += 1;
                if !user.log_in(&nummer).await {
                    break;
                }
                continue;
            }
            _ => {
                user.pause_after_failure().await;
                continue;
            }
        };
        // ... think a little, change it and save.
        tokio::time::sleep(Duration::from_millis(20 + (round * 37 % 80))).await;
        let closes = format!("{}:{:02}", 15 + round % 3, (round * 7) % 60);
        let version_text = version.to_string();
        let form = [
            ("version", version_text.as_str()),
            ("mandag_aaben", "on"),
            ("mandag_fra", "06:30"),
            ("mandag_til", closes.as_str()),
            ("fredag_aaben", "on"),
            ("fredag_fra", "06:30"),
            ("fredag_til", "16:00"),
        ];
        match user.call(&format!("{SECTION}_gem"), &form).await {
            Answer::Ok(meta) => {
                user.tally.saves += 1;
                if let Some(saved) = meta["version"].as_i64() {
                    user.tally.acked.push(format!("{nummer},{SECTION},{saved}"));
                }
            }
            Answer::Status(409) => user.tally.conflicts += 1,
            Answer::Status(401) => {
                user.tally.sessions_lost += 1;
                if !user.log_in(&nummer).await {
                    break;
                }
            }
            Answer::Status(422) => {
                eprintln!("a valid save was refused as invalid: {closes}");
                user.tally.server_errors += 1;
            }
            _ => user.pause_after_failure().await,
        }
    }
    user.tally
}
