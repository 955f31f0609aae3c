//! Load generator: N concurrent clients, each logged in as its own institution,
//! saving a section over and over with the version the server last returned;
//! or the same clients requesting a plain URL (the baseline). Prints
//! requests/s, p50, p99 and the count of non-2xx answers.
//!
//! Without `--rate` each client sends its next request the moment the last
//! one is answered (the most the server can do). With `--rate R` the clients
//! together send R requests a second on a fixed schedule, and each latency
//! counts from when its request was due, not when it went out, so a server
//! that falls behind shows it in the percentiles instead of hiding it. `users` simulates
//! institution users for the reliability run (see `users.rs`).

mod users;

use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// Save Åbningstider as logged-in institutions.
    Saves,
    /// GET a URL (the baseline).
    Get,
    /// Simulated institution users (log in, open, change, save; conflicts).
    Users,
}

#[derive(Parser)]
struct Args {
    #[arg(value_enum)]
    mode: Mode,
    /// Base URL of the server, e.g. http://127.0.0.1:3000
    #[arg(long)]
    base: String,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Institution numbers to log in as (one per client), comma-separated.
    #[arg(long, default_value = "")]
    numbers: String,
    #[arg(long, default_value = "")]
    password: String,
    /// Requests per second of all clients together, sent on a fixed schedule
    /// (0: each client sends again as soon as it is answered).
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Path for `get` mode.
    #[arg(long, default_value = "/healthz")]
    path: String,
    /// A Cookie header for `get` mode (a logged-in session).
    #[arg(long)]
    cookie: Option<String>,
    /// `users` mode: more servers (comma-separated) to go round-robin over with `--base`.
    #[arg(long, default_value = "")]
    more_bases: String,
    /// `users` mode: write every acknowledged save here as `nummer,section,version`.
    #[arg(long)]
    acked: Option<std::path::PathBuf>,
}

struct Outcome {
    latencies: Vec<Duration>,
    failures: usize,
}

/// Every client logs in first; the measured run starts for all of them at
/// once (the first to pass the barrier sets the time).
struct Start {
    barrier: tokio::sync::Barrier,
    at: std::sync::OnceLock<Instant>,
}

/// Log in as institution `number` and return the version its Åbningstider
/// were loaded at.
async fn log_in_and_load(http: &reqwest::Client, args: &Args, number: &str) -> Result<i64, &'static str> {
    // Every client logs in at once; the server's bounded password queue
    // answers 503 with Retry-After when it is full, as it would to people,
    // so a client waits and tries again like a browser user would.
    let mut tries = 0;
    loop {
        let login = http
            .post(format!("{}/api/fn/log_ind", args.base))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("institutionsnummer", number),
                ("kodeord", args.password.as_str()),
            ])
            .send()
            .await;
        match login.map(|r| r.status()) {
            Ok(status) if status.is_success() => break,
            Ok(reqwest::StatusCode::SERVICE_UNAVAILABLE) if tries < 50 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            _ => return Err("log-in failed"),
        }
    }
    let empty: [(&str, &str); 0] = [];
    let loaded: serde_json::Value = match http
        .post(format!("{}/api/fn/aabningstider_hent", args.base))
        .header("sec-fetch-site", "same-origin")
        .form(&empty)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r.json().await.unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    if loaded.is_null() {
        return Err("loading Åbningstider failed");
    }
    Ok(loaded["meta"]["version"].as_i64().unwrap_or(0))
}

async fn client_loop(args: &Args, index: usize, number: Option<String>, start: &Start) -> Outcome {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        // Each client is its own institution at its own address, as behind a
        // load balancer (the server runs with TRUST_PROXY=1), so the
        // per-address log-in throttle sees 64 people, not one.
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::HeaderName::from_static("x-forwarded-for"),
            reqwest::header::HeaderValue::from_str(&format!("10.0.{}.{}", index / 250, 1 + index % 250))
                .expect("an address"),
        )]))
        .build()
        .expect("client");
    let mut outcome = Outcome {
        latencies: Vec::new(),
        failures: 0,
    };
    let mut version = 0i64;
    if let (Mode::Saves, Some(number)) = (args.mode, &number) {
        match log_in_and_load(&http, args, number).await {
            Ok(loaded) => version = loaded,
            Err(problem) => {
                eprintln!("{problem} for {number}");
                outcome.failures += 1;
                start.barrier.wait().await;
                return outcome;
            }
        }
    }
    start.barrier.wait().await;
    let begin = *start.at.get_or_init(Instant::now);
    let until = begin + Duration::from_secs(args.seconds);
    // With a rate, client `index` of N sends at begin + (index + k·N) / rate.
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(args.clients as f64 / args.rate));
    let mut due = begin + interval.map_or(Duration::ZERO, |i| i.mul_f64(index as f64 / args.clients as f64));
    let mut round = 0u32;
    loop {
        let started = match interval {
            // Every request due within the run is sent, however late.
            Some(interval) if due < until => {
                tokio::time::sleep_until(due.into()).await;
                let started = due;
                due += interval;
                started
            }
            None if Instant::now() < until => Instant::now(),
            _ => break,
        };
        round += 1;
        let result = match args.mode {
            Mode::Get => {
                let request = http.get(format!("{}{}", args.base, args.path));
                match &args.cookie {
                    Some(cookie) => request.header("cookie", cookie).send().await,
                    None => request.send().await,
                }
            }
            Mode::Saves => {
                // Alternate the closing time so every save is a real change with a history row.
                let closes = if round.is_multiple_of(2) { "17:00" } else { "16:30" };
                let version_text = version.to_string();
                let form = [
                    ("version", version_text.as_str()),
                    ("mandag_aaben", "on"),
                    ("mandag_fra", "06:30"),
                    ("mandag_til", closes),
                    ("fredag_aaben", "on"),
                    ("fredag_fra", "06:30"),
                    ("fredag_til", "16:00"),
                ];
                http.post(format!("{}/api/fn/aabningstider_gem", args.base))
                    .header("sec-fetch-site", "same-origin")
                    .form(&form)
                    .send()
                    .await
            }
            Mode::Users => unreachable!("users mode runs in users.rs"),
        };
        match result {
            Ok(response) if response.status().is_success() => {
                if let Mode::Saves = args.mode {
                    let meta: serde_json::Value = response.json().await.unwrap_or_default();
                    version = meta["version"].as_i64().unwrap_or(version);
                } else {
                    let _ = response.bytes().await;
                }
                outcome.latencies.push(started.elapsed());
            }
            failed => {
                if outcome.failures == 0 {
                    match failed {
                        Ok(response) => eprintln!("first failure: HTTP {}", response.status()),
                        Err(error) => eprintln!("first failure: {error}"),
                    }
                }
                outcome.failures += 1;
            }
        }
    }
    outcome
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args = Box::leak(Box::new(Args::parse()));
    let numbers: Vec<String> = args
        .numbers
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if matches!(args.mode, Mode::Saves) && numbers.len() < args.clients {
        eprintln!("need {} institution numbers, got {}", args.clients, numbers.len());
        std::process::exit(2);
    }
    if matches!(args.mode, Mode::Users) {
        let until = Instant::now() + Duration::from_secs(args.seconds);
        run_users(args, numbers, until).await;
        return;
    }
    let start: &'static Start = Box::leak(Box::new(Start {
        barrier: tokio::sync::Barrier::new(args.clients),
        at: std::sync::OnceLock::new(),
    }));
    let mut tasks = Vec::new();
    for i in 0..args.clients {
        let number = numbers.get(i).cloned();
        let args: &'static Args = args;
        tasks.push(tokio::spawn(
            async move { client_loop(args, i, number, start).await },
        ));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        if let Ok(outcome) = task.await {
            latencies.extend(outcome.latencies);
            failures += outcome.failures;
        }
    }
    let elapsed = start.at.get().map_or(f64::NAN, |at| at.elapsed().as_secs_f64());
    latencies.sort();
    println!(
        "requests/s={:.0} ok={} failures={} p50={:.1}ms p99={:.1}ms",
        latencies.len() as f64 / elapsed,
        latencies.len(),
        failures,
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0)
    );
}

async fn run_users(args: &Args, numbers: Vec<String>, until: Instant) {
    if numbers.is_empty() {
        eprintln!("users mode needs --numbers");
        std::process::exit(2);
    }
    let mut bases = vec![args.base.clone()];
    bases.extend(
        args.more_bases
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from),
    );
    let plan = std::sync::Arc::new(users::Plan {
        bases,
        password: args.password.clone(),
        until,
    });
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            let nummer = numbers[i % numbers.len()].clone();
            tokio::spawn(users::run(plan.clone(), nummer, i as u64))
        })
        .collect();
    let mut all = users::Tally::default();
    for task in tasks {
        let Ok(t) = task.await else { continue };
        all.latencies.extend(t.latencies);
        all.saves += t.saves;
        all.conflicts += t.conflicts;
        all.unavailable += t.unavailable;
        all.slowest_unavailable = all.slowest_unavailable.max(t.slowest_unavailable);
        all.busy_logins += t.busy_logins;
        all.server_errors += t.server_errors;
        all.connection_errors += t.connection_errors;
        all.cut_off += t.cut_off;
        all.sessions_lost += t.sessions_lost;
        all.logins += t.logins;
        all.acked.extend(t.acked);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    if let Some(path) = &args.acked {
        let mut text = all.acked.join("\n");
        text.push('\n');
        std::fs::write(path, text).expect("write the acknowledged saves");
    }
    println!(
        "requests/s={:.0} saves/s={:.0} saves={} conflicts={} p50={:.1}ms p99={:.1}ms unavailable_503={} slowest_503={:.2}s busy_logins={} server_errors_5xx={} no_answer={} cut_off={} sessions_lost={} logins={}",
        all.latencies.len() as f64 / elapsed,
        all.saves as f64 / elapsed,
        all.saves,
        all.conflicts,
        percentile(&all.latencies, 50.0),
        percentile(&all.latencies, 99.0),
        all.unavailable,
        all.slowest_unavailable.as_secs_f64(),
        all.busy_logins,
        all.server_errors,
        all.connection_errors,
        all.cut_off,
        all.sessions_lost,
        all.logins,
    );
}
