//! argon2id password hashing, off the async runtime and bounded by the cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// At most one hash per core runs at a time; the rest wait their turn instead
/// of starving the runtime's other requests.
fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Semaphore::new(cores)
    })
}

/// Hashes that may wait for a core, per core. A burst of log-ins beyond that
/// is answered "prøv igen om lidt" (503) at once instead of queueing without
/// limit: at about 25 hashes a second per core, the last in line waits less
/// than a second.
const WAITING_PER_CORE: usize = 16;

/// Admission to the queue in front of [`permits`].
fn admission() -> &'static Semaphore {
    static ADMISSION: OnceLock<Semaphore> = OnceLock::new();
    ADMISSION.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Semaphore::new(cores * (1 + WAITING_PER_CORE))
    })
}

/// A place in `queue` (or 503 when it is full), then a core from `cores`.
async fn turn<'a>(
    queue: &'a Semaphore,
    cores: &'a Semaphore,
) -> Result<(tokio::sync::SemaphorePermit<'a>, tokio::sync::SemaphorePermit<'a>), AppError> {
    let place = queue.try_acquire().map_err(|_| {
        tracing::warn!("password hashing queue is full: answering 503");
        AppError::Unavailable
    })?;
    let core = cores.acquire().await.map_err(|_| AppError::Unavailable)?;
    Ok((place, core))
}

/// Hash a secret with argon2id and the crate's defaults (m=19 MiB, t=2, p=1).
pub async fn hash(secret: SecretString) -> Result<String, AppError> {
    let _turn = turn(admission(), permits()).await?;
    tokio::task::spawn_blocking(move || hash_now(&secret))
        .await
        .map_err(|error| AppError::internal("password hashing task", &error))?
}

/// Hash many secrets one after another on one blocking thread holding one
/// permit, so that bulk work (hundreds of log-in letters) leaves the other
/// cores to people logging in. `done` counts the hashes finished so far.
pub async fn hash_many(secrets: Vec<SecretString>, done: Arc<AtomicUsize>) -> Result<Vec<String>, AppError> {
    let _permit = permits().acquire().await.map_err(|_| AppError::Unavailable)?;
    tokio::task::spawn_blocking(move || {
        secrets
            .iter()
            .map(|secret| {
                let hashed = hash_now(secret);
                done.fetch_add(1, Ordering::Relaxed);
                hashed
            })
            .collect()
    })
    .await
    .map_err(|error| AppError::internal("password hashing task", &error))?
}

fn hash_now(secret: &SecretString) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

/// A valid hash of a random secret nobody knows, used when an account does not
/// exist so that the answer takes as long as for a real one.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        let secret = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(secret.as_str().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Check a secret against a stored hash, or against the dummy hash when there is none.
/// Returns true only when a real hash matched.
pub async fn verify(secret: SecretString, stored: Option<String>) -> Result<bool, AppError> {
    let _turn = turn(admission(), permits()).await?;
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            tracing::error!("stored password hash is not a valid PHC string");
            return Ok(false);
        };
        let matches = Argon2::default()
            .verify_password(secret.expose_secret().as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
    .map_err(|error| AppError::internal("password verification task", &error))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let stored = hash(SecretString::from("korrekt hest batteri")).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify(SecretString::from("korrekt hest batteri"), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify(SecretString::from("forkert"), Some(stored)).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_answers_at_once_instead_of_waiting() {
        let (queue, cores) = (Semaphore::new(2), Semaphore::new(1));
        let first = turn(&queue, &cores).await.expect("a core is free");
        // A second caller holds the last place in the queue, waiting for the core.
        let waiting = queue.try_acquire().expect("a place in the queue");
        // A third finds the queue full and is answered at once.
        assert_eq!(turn(&queue, &cores).await.unwrap_err(), AppError::Unavailable);
        drop((first, waiting));
        assert!(turn(&queue, &cores).await.is_ok(), "places come back");
    }

    #[tokio::test]
    async fn unknown_account_never_matches() {
        assert!(!verify(SecretString::from("hvad som helst"), None).await.unwrap());
    }
}
