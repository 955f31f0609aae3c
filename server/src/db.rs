//! Connection pool and migrations.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::config::Config;

/// Connect lazily: the server starts (and `/readyz` reports 503) even while the database is down.
pub fn pool(config: &Config) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(config.max_connections)
        .acquire_timeout(config.acquire_timeout)
        // No ping before every checkout: it doubled the round trips of a
        // request. A connection that died is found by its next query, which
        // fails that request and is dropped from the pool.
        .test_before_acquire(false)
        .connect_lazy(&config.database_url)
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}
