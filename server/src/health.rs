//! Liveness and readiness probes for load balancers and orchestration.

use std::time::Duration;

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is alive and answering.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers within two seconds; 503 otherwise.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let probe = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.pool);
    match tokio::time::timeout(Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
