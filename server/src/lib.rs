//! The server: configuration, database, routes and demo data. `main.rs` is a
//! thin command-line wrapper so that tests can start the same server on port 0.

pub mod accounts;
pub mod config;
pub mod db;
pub mod fn_requests;
pub mod health;
pub mod import;
pub mod retention;
pub mod seed;
pub mod telemetry;

use std::future::Future;
use std::sync::Arc;

use app::ssr::AppState;
use app::{shell, App};
use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// Responses smaller than this are sent uncompressed (see [`router`]).
pub const MIN_COMPRESSED_BYTES: u16 = 1024;

/// The session cookie's name; `__Host-` when served over https (Secure, no Domain, Path=/).
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-dagtilbud_session"
    } else {
        "dagtilbud_session"
    }
}

/// The app's routes, listed once per process.
///
/// Listing them runs the app with resource loading switched off through a
/// process-wide flag (leptos_server's `SuppressResourceLoad`). A resource
/// first polled by a page render while another thread lists routes waits
/// forever, so the page's body stalls mid-stream (leptos-rs/leptos#4773).
/// One server lists them before it serves; a process that starts several
/// (the tests start one per test) must not list them while another renders.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The header that carries a request's id.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Build the whole HTTP application around a state.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);

    // The public search's index (app/src/portal/index.rs): the page reads
    // it from the context, the open data API as an extension.
    let search_index = Arc::new(app::portal::index::SearchIndex::default());
    let context_state = state.clone();
    let context_index = search_index.clone();
    let provide_state = move || {
        leptos::prelude::provide_context(context_state.clone());
        leptos::prelude::provide_context(context_index.clone());
        app::ssr::csp::provide_request_nonce();
    };

    // The build step writes .br and .gz beside each file; ServeDir picks the best one.
    let pkg = Router::new()
        .fallback_service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300, must-revalidate"),
        ));

    let settings = state.settings.clone();
    let sessions = SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name(session_cookie_name(settings.secure_cookies))
        .with_secure(settings.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(settings.idle_timeout).unwrap_or(time::Duration::minutes(30)),
        ));
    let guard = axum::middleware::from_fn_with_state(state.clone(), app::auth::guard::guard);

    Router::new()
        .merge(health::routes())
        // Documents and the APIs: plain endpoints behind the same guard, each
        // area's routes from the area.
        .route("/api/v1/openapi.json", axum::routing::get(app::openapi_json))
        .route(
            app::documents::letters::LETTER_CSS_PATH,
            axum::routing::get(app::documents::letters::letter_css),
        )
        .route(
            app::auth::CONFIRM_PATH,
            axum::routing::post(app::auth::factor::confirm_setup),
        )
        .merge(app::portal::api::router())
        .merge(app::kommune::router())
        .merge(app::support::router())
        .merge(app::workspace::receipt::router())
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide_state,
            shell,
        ))
        // `/` renders from what this loaded (inside the extension below).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::portal::preload_landing,
        ))
        .layer(axum::Extension(search_index))
        .layer(axum::middleware::from_fn(fn_requests::form_bodies_only))
        .layer(guard)
        .layer(sessions)
        .layer(axum::middleware::from_fn(session_store_down))
        // Outside the sessions: an anonymous page read from the cache costs no lookup.
        .layer(axum::middleware::from_fn_with_state(
            state.page_cache.clone(),
            app::published::cache::serve,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Outside the page cache, which swaps the nonce into a kept page.
        .layer(axum::middleware::from_fn_with_state(
            settings.secure_cookies,
            app::ssr::csp::content_security_policy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            settings.request_timeout,
            deadline,
        ))
        // A body under one packet gains nothing from compression, and setting
        // up a brotli encoder for a server function's 100-byte answer cost a
        // tenth of the server's CPU in the save benchmark.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(MIN_COMPRESSED_BYTES))),
        )
        // Every log line of a request carries its id, which the answer
        // repeats in `x-request-id` (one a proxy set in front is kept). Only
        // the path is logged: query strings can hold search words and e-mails.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// tower-sessions answers a bare 500 when its store (PostgreSQL) cannot be
/// reached. Our own 500s always carry a body, so an empty one is the store:
/// answer "prøv igen om lidt" with 503, like every request while the database
/// is away (JSON for server functions, a page otherwise).
async fn session_store_down(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::body::HttpBody;
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || response.body().size_hint().exact() != Some(0)
    {
        return response;
    }
    tracing::warn!(%path, "session store unavailable: answering 503");
    app::documents::plain::failed_request(&path, &app::error::AppError::Unavailable)
}

/// Answer 503 (and log the path) when a request has not produced its response
/// in time. Every page renders in full before its headers are sent, so this
/// also bounds a render that waits on a stuck query.
async fn deadline(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%path, limit_secs = limit.as_secs(), "request timed out");
            app::documents::plain::unavailable()
        }
    }
}

/// Serve until `shutdown` resolves, letting requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Expired sessions are swept every minute until shutdown.
    let sweeper = tokio::spawn(
        tower_sessions::session_store::ExpiredDeletion::continuously_delete_expired(
            PostgresStore::new(state.pool.clone()),
            std::time::Duration::from_secs(60),
        ),
    );
    let follower = tokio::spawn(app::published::cache::follow_changes(
        state.page_cache.clone(),
        state.pool.clone(),
    ));
    let announcer = tokio::spawn(app::published::cache::announce_changes(
        state.page_cache.clone(),
        state.pool.clone(),
    ));
    let retention = tokio::spawn(retention::continuously(state.pool.clone()));
    let reminders = tokio::spawn(app::reminders::worker::run(state.clone()));
    let (page_cache, pool) = (state.page_cache.clone(), state.pool.clone());
    let app = router(state);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    retention.abort();
    reminders.abort();
    follower.abort();
    announcer.abort();
    // Saves answered during shutdown are announced before the process ends.
    if let Err(error) = page_cache.announce_pending(&pool).await {
        tracing::warn!(%error, "changed public pages could not be announced before shutdown");
    }
    served
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
