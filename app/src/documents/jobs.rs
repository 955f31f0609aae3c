//! Letter jobs: issuing codes for hundreds of institutions takes a while
//! (one argon2id hash each), so it runs as a background task whose progress
//! the administrator follows on a page that refreshes itself (no JavaScript
//! needed). The finished letters, the only place the codes exist in plain
//! text, are kept in this process's memory for [`KEEP_FOR`] and are readable
//! only by the administrator who asked for them.
//!
//! Jobs live in memory, so with several server processes a job's page must be
//! served by the process that runs it (sticky sessions); a restart loses the
//! letters but not the codes' effect, and new letters can be issued.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::documents::letters::Letter;
use crate::error::AppError;

/// How long finished letters can be fetched again (print, PDF, CSV).
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 60);

/// One administrator's request for letters.
pub struct LetterJob {
    pub owner_admin_id: i64,
    pub kommunekode: i16,
    pub kommune: String,
    pub total: usize,
    /// Codes hashed so far.
    pub done: Arc<AtomicUsize>,
    started: Instant,
    outcome: Mutex<Option<Result<Arc<Vec<Letter>>, AppError>>>,
    finished: Notify,
}

/// What a job's page shows.
pub enum JobState {
    Running { done: usize, total: usize },
    Finished(Arc<Vec<Letter>>),
    Failed(AppError),
}

impl LetterJob {
    pub fn state(&self) -> JobState {
        match &*self.outcome.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(letters)) => JobState::Finished(letters.clone()),
            Some(Err(error)) => JobState::Failed(error.clone()),
            None => JobState::Running {
                done: self.done.load(Ordering::Relaxed).min(self.total),
                total: self.total,
            },
        }
    }

    /// The state once the job has finished or `wait` has passed, whichever is first.
    pub async fn state_within(&self, wait: Duration) -> JobState {
        let notified = self.finished.notified();
        tokio::pin!(notified);
        // Register interest before looking, so a finish in between is not missed.
        notified.as_mut().enable();
        if let state @ (JobState::Finished(_) | JobState::Failed(_)) = self.state() {
            return state;
        }
        let _ = tokio::time::timeout(wait, notified).await;
        self.state()
    }

    fn finish(&self, outcome: Result<Vec<Letter>, AppError>) {
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome.map(Arc::new));
        self.finished.notify_waiters();
    }
}

/// A job's work: given the progress counter, the letters.
pub type Work = Pin<Box<dyn Future<Output = Result<Vec<Letter>, AppError>> + Send>>;

/// The jobs of this process, by unguessable id.
#[derive(Default)]
pub struct LetterJobs {
    jobs: Mutex<HashMap<String, Arc<LetterJob>>>,
}

impl std::fmt::Debug for LetterJobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.jobs.lock().map(|jobs| jobs.len()).unwrap_or_default();
        f.debug_struct("LetterJobs").field("jobs", &count).finish()
    }
}

impl LetterJobs {
    /// Start `work` as a job of `owner_admin_id`; returns the job's id. Jobs
    /// older than [`KEEP_FOR`] are dropped with their letters.
    pub fn start<F>(
        &self,
        owner_admin_id: i64,
        kommunekode: i16,
        kommune: String,
        total: usize,
        work: F,
    ) -> String
    where
        F: FnOnce(Arc<AtomicUsize>) -> Work,
    {
        let id = format!("{:032x}", rand::random::<u128>());
        let job = Arc::new(LetterJob {
            owner_admin_id,
            kommunekode,
            kommune,
            total,
            done: Arc::new(AtomicUsize::new(0)),
            started: Instant::now(),
            outcome: Mutex::new(None),
            finished: Notify::new(),
        });
        let future = work(job.done.clone());
        {
            let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
            jobs.retain(|_, job| job.started.elapsed() < KEEP_FOR);
            jobs.insert(id.clone(), job.clone());
        }
        // The work goes on when the administrator closes the page: the codes
        // are issued either way, and the letters can be fetched later.
        tokio::spawn(async move {
            let outcome = future.await;
            if let Err(error) = &outcome {
                tracing::error!(?error, total = job.total, "letter job failed");
            }
            job.finish(outcome);
        });
        id
    }

    /// The job with `id` if `admin_id` of `kommunekode` started it.
    pub fn get(&self, id: &str, admin_id: i64, kommunekode: i16) -> Option<Arc<LetterJob>> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.get(id)
            .filter(|job| job.started.elapsed() < KEEP_FOR)
            .filter(|job| job.owner_admin_id == admin_id && job.kommunekode == kommunekode)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(n: &str) -> Letter {
        Letter {
            nummer: n.into(),
            navn: "Solsikken".into(),
            street: "Vej 1".into(),
            city: "8000 Aarhus C".into(),
            code: "ABCD-EFGH-JKLM".into(),
            valid_until: "4.3.2027".into(),
        }
    }

    #[tokio::test]
    async fn a_job_reports_progress_then_its_letters_to_its_owner_only() {
        let jobs = LetterJobs::default();
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let id = jobs.start(7, 751, "Aarhus Kommune".into(), 2, |done| {
            Box::pin(async move {
                done.fetch_add(1, Ordering::Relaxed);
                let _ = wait.await;
                Ok(vec![letter("A00001"), letter("A00002")])
            })
        });
        assert!(jobs.get(&id, 8, 751).is_none(), "another administrator");
        assert!(jobs.get(&id, 7, 101).is_none(), "another kommune");
        assert!(jobs.get("0000", 7, 751).is_none(), "unknown id");
        let job = jobs.get(&id, 7, 751).expect("owner sees the job");
        // Let the task count its first code.
        tokio::time::sleep(Duration::from_millis(20)).await;
        match job.state_within(Duration::from_millis(10)).await {
            JobState::Running { done, total } => assert_eq!((done, total), (1, 2)),
            _ => panic!("the job must still run"),
        }
        go.send(()).unwrap();
        match job.state_within(Duration::from_secs(5)).await {
            JobState::Finished(letters) => assert_eq!(letters.len(), 2),
            _ => panic!("the job must have finished"),
        }
    }

    #[tokio::test]
    async fn a_failed_job_says_so() {
        let jobs = LetterJobs::default();
        let id = jobs.start(1, 101, "København Kommune".into(), 1, |_| {
            Box::pin(async { Err(AppError::Unavailable) })
        });
        let job = jobs.get(&id, 1, 101).unwrap();
        assert!(matches!(
            job.state_within(Duration::from_secs(5)).await,
            JobState::Failed(AppError::Unavailable)
        ));
    }
}
