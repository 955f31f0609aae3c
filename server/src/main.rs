//! `server`: serve the app, or run one maintenance task.

use std::process::ExitCode;

use app::ssr::AppState;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::{db, seed, telemetry};
use tokio::net::TcpListener;

// glibc's malloc showed up at ~13 % of the server's CPU under save load;
// mimalloc's thread-local free lists are much cheaper for many small, short-lived
// allocations across the runtime's worker threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", about = "Dagtilbudsportalen: frivillig indberetning")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Load reference data and the generated demo register (only into an empty register unless --force).
    Seed {
        #[arg(long)]
        force: bool,
    },
    /// Time one argon2id verification on this machine (ms, median), for capacity planning.
    HashTiming {
        #[arg(long, default_value_t = 20)]
        rounds: u32,
    },
    /// Import the register of institutions from a semicolon-separated UTF-8
    /// file like Dagtilbudsregisteret's export (columns: see
    /// data/dagtilbudsregister-eksempel.csv): upsert by number, never delete.
    /// Exits with 2 when any line was rejected; the good lines are imported.
    ImportRegister { file: std::path::PathBuf },
    /// Import kommune key figures from a semicolon-separated UTF-8 file
    /// (columns: see data/noegletal-opdigtet-eksempel.csv). Exits with 2 when
    /// any line was rejected; the good lines are imported all the same.
    ImportNoegletal { file: std::path::PathBuf },
    /// Create a STIL support account and print its generated password once;
    /// it must be replaced at the first log-in.
    CreateSupportUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        navn: String,
    },
    /// Issue a new single-use code for an institution (ends its sessions) and print it.
    IssueCode {
        /// The institution number, e.g. G10234.
        nummer: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    if let Command::HashTiming { rounds } = command {
        let stored = app::ssr::password::hash("kalibrering af hash".to_string().into()).await?;
        let mut times = Vec::new();
        for _ in 0..rounds.max(1) {
            let started = std::time::Instant::now();
            app::ssr::password::verify("kalibrering af hash".to_string().into(), Some(stored.clone()))
                .await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("{:.1}", times[times.len() / 2]);
        return Ok(());
    }
    let config = Config::from_env()?;
    let pool = db::pool(&config)?;
    db::migrate(&pool).await?;
    seed::reference_data(&pool).await?;

    match command {
        Command::Migrate | Command::HashTiming { .. } => Ok(()),
        Command::Seed { force } => {
            let added = seed::register(&pool, force).await?;
            tracing::info!(added, "demo register seeded");
            let reported = seed::demo_reports(&pool, time::OffsetDateTime::now_utc()).await?;
            tracing::info!(reported, "demo reports seeded");
            let today = app::domain::calendar::danish_time(time::OffsetDateTime::now_utc()).date();
            seed::demo_common_closing(&pool, today).await?;
            seed::demo_key_figures(&pool).await?;
            Ok(())
        }
        Command::ImportRegister { file } => {
            let text = read_import_file(&file)?;
            let bar = progress_bar();
            let report = server::import::register(&pool, &text, show_progress(&bar)).await?;
            finish_import(&bar, &report)
        }
        Command::ImportNoegletal { file } => {
            let text = read_import_file(&file)?;
            let bar = progress_bar();
            let report = server::import::key_figures(&pool, &text, show_progress(&bar)).await?;
            finish_import(&bar, &report)
        }
        Command::CreateSupportUser { email, navn } => {
            use secrecy::ExposeSecret;
            let password = server::accounts::create_support_user(&pool, &email, &navn).await?;
            // The one place this password is shown: the operator's terminal.
            println!("{}", password.expose_secret());
            Ok(())
        }
        Command::IssueCode { nummer } => {
            let nummer = app::domain::InstitutionNumber::parse(&nummer)?;
            let id = sqlx::query_scalar!("SELECT id FROM institutions WHERE nummer = $1", nummer.as_str())
                .fetch_optional(&pool)
                .await?
                .ok_or_else(|| format!("no institution with number {nummer}"))?;
            let actor = app::audit::Actor::system("kommandolinje");
            let code = app::auth::codes::issue_institution_code(&pool, id, &actor, None)
                .await
                .map_err(|e| format!("issuing the code failed: {e}"))?;
            // The one place a code is shown: the operator's terminal.
            println!("{}", app::auth::codes::format_code(&code));
            Ok(())
        }
        Command::Serve => {
            if config.demo {
                let added = seed::register(&pool, false).await?;
                if added > 0 {
                    tracing::info!(added, "empty register: generated the demo register");
                }
                seed::demo_accounts(&pool).await?;
                seed::demo_key_figures(&pool).await?;
                let reported = seed::demo_reports(&pool, time::OffsetDateTime::now_utc()).await?;
                if reported > 0 {
                    tracing::info!(reported, "generated the demo institutions' reports");
                }
                let today = app::domain::calendar::danish_time(time::OffsetDateTime::now_utc()).date();
                if seed::demo_common_closing(&pool, today).await? > 0 {
                    tracing::info!("added the demo kommune's fælles lukkedage");
                }
                print_demo_logins(&config);
            } else {
                let disabled = seed::disable_demo_accounts(&pool).await?;
                if disabled > 0 {
                    tracing::warn!(disabled, "not in demo mode: demo accounts disabled");
                }
            }
            let listener = TcpListener::bind(config.leptos.site_addr).await?;
            tracing::info!(address = %listener.local_addr()?, "listening");
            let state = AppState::new(pool.clone(), config.leptos.clone(), config.settings.clone());
            server::serve(listener, state, server::shutdown_signal()).await?;
            pool.close().await;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

fn read_import_file(file: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {} as UTF-8 text: {e}", file.display()))
}

/// A progress bar on a terminal (hidden when stderr is not one).
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} linjer") {
        bar.set_style(style);
    }
    bar
}

/// An import's progress callback drawing on `bar`.
fn show_progress(bar: &indicatif::ProgressBar) -> impl FnMut(usize, usize) + '_ {
    move |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }
}

/// Clear the bar, print the rejections and the summary; exit 2 if any line was rejected.
fn finish_import(
    bar: &indicatif::ProgressBar,
    report: &server::import::ImportReport,
) -> Result<(), Box<dyn std::error::Error>> {
    bar.finish_and_clear();
    println!("{report}");
    if report.rejected.is_empty() {
        Ok(())
    } else {
        std::process::exit(2)
    }
}

fn print_demo_logins(config: &Config) {
    let base = format!("http://{}", config.leptos.site_addr);
    println!("\nDemo mode: log in at {base} with");
    for login in &seed::DEMO_LOGINS {
        println!(
            "  {:<50} {}{}  {} / {}",
            login.role, base, login.login_page, login.username, login.password
        );
    }
    println!(
        "  The administrators' second factor (TOTP) in demo mode: add the key {} to an authenticator app.",
        seed::DEMO_TOTP_SECRET
    );
    println!();
}
