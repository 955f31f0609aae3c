//! Group commit: concurrent requests of one kind share one statement.
//!
//! Under load, most of what a small statement costs this service is not its
//! work but what surrounds it: a round trip to PostgreSQL and the wake-ups on
//! both sides, a commit with its WAL flush, and the test sqlx runs on every
//! connection handed back to the pool. A [`Batcher`] sends a call at once
//! when nothing of its kind is in flight (an idle server adds no wait), and
//! lets the calls that arrive meanwhile go together in the next statement: a
//! busy server sends fewer, larger statements, and the cost per call falls as
//! the load rises.
//!
//! Each kind has a few lanes, each with at most one batch in flight. Items
//! with the same key always take the same lane and never share a batch, so
//! two batches in flight never touch the same row (no deadlock between
//! them, and one row's writes keep their order). A batch that fails on a
//! database error about its data (a value one row cannot store) is sent again
//! one item at a time, so that one bad item fails alone; when the database is
//! away, every caller of the batch gets "prøv igen om lidt" at once.
//!
//! Written by hand: the crates for this (such as `batched`) batch a free
//! function with process-wide state and a time window, while this needs one
//! batcher per server state, keyed lanes, and no wait at all when idle.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::OnceLock;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

use crate::error::AppError;

/// One kind of statement that can carry many items.
pub trait BatchKind: Send + Sync + 'static {
    type Item: Send + Sync + 'static;
    type Output: Send + 'static;
    /// Names the kind in logs.
    const NAME: &'static str;
    /// Batches of this kind in flight at once. Two keep both cores of a
    /// small database machine busy without making batches small.
    const LANES: u64 = 2;
    /// Items with equal keys never share a batch and go in order.
    fn key(item: &Self::Item) -> u64;
    /// Run `items` in one statement: one output per item, in their order.
    fn run(
        pool: &PgPool,
        items: &[Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Output>, sqlx::Error>> + Send;
}

/// The most items in one statement.
const MAX_BATCH: usize = 128;

/// The outputs of `len` items from the rows a statement returned, each
/// numbered by `WITH ORDINALITY` (from 1); an item without a row gets `missing`.
pub fn by_ordinality<T: Clone>(len: usize, missing: T, rows: impl IntoIterator<Item = (i64, T)>) -> Vec<T> {
    let mut outputs = vec![missing; len];
    for (n, value) in rows {
        if let Some(output) = usize::try_from(n - 1).ok().and_then(|n| outputs.get_mut(n)) {
            *output = value;
        }
    }
    outputs
}

struct Job<K: BatchKind> {
    item: K::Item,
    reply: oneshot::Sender<Result<K::Output, AppError>>,
}

/// The lanes of one kind, started at the first call (inside the runtime).
pub struct Batcher<K: BatchKind> {
    pool: PgPool,
    lanes: OnceLock<Vec<mpsc::UnboundedSender<Job<K>>>>,
}

impl<K: BatchKind> std::fmt::Debug for Batcher<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batcher")
            .field("kind", &K::NAME)
            .field("started", &self.lanes.get().is_some())
            .finish()
    }
}

impl<K: BatchKind> Batcher<K> {
    pub fn new(pool: PgPool) -> Self {
        Batcher {
            pool,
            lanes: OnceLock::new(),
        }
    }

    /// Run `item` with whatever else of its kind is waiting.
    pub async fn call(&self, item: K::Item) -> Result<K::Output, AppError> {
        let lanes = self.lanes.get_or_init(|| {
            (0..K::LANES)
                .map(|_| {
                    let (sender, receiver) = mpsc::unbounded_channel();
                    tokio::spawn(lane::<K>(self.pool.clone(), receiver));
                    sender
                })
                .collect()
        });
        // The key's high bits pick the lane, so keys that differ only in a
        // low field (a section) still spread.
        let lane = (K::key(&item).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % K::LANES;
        let (reply, answer) = oneshot::channel();
        if lanes[lane as usize].send(Job { item, reply }).is_err() {
            tracing::error!(kind = K::NAME, "batch lane has stopped");
            return Err(AppError::Internal);
        }
        answer.await.unwrap_or_else(|_| {
            tracing::error!(kind = K::NAME, "batch ended without an answer");
            Err(AppError::Internal)
        })
    }
}

/// One lane: take what is waiting (each key once, oldest first), run it,
/// answer, repeat. Ends when its batcher is dropped.
async fn lane<K: BatchKind>(pool: PgPool, mut jobs: mpsc::UnboundedReceiver<Job<K>>) {
    let mut waiting: VecDeque<Job<K>> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match jobs.recv().await {
                Some(job) => waiting.push_back(job),
                None => return,
            }
        }
        while let Ok(job) = jobs.try_recv() {
            waiting.push_back(job);
        }
        let (batch, later) = take_batch::<K>(std::mem::take(&mut waiting));
        waiting = later;
        if batch.is_empty() {
            continue;
        }
        // A panic loses only this batch's answers (its callers get an
        // internal error), never the lane.
        if let Err(error) = tokio::spawn(run_batch::<K>(pool.clone(), batch)).await {
            tracing::error!(kind = K::NAME, %error, "batch panicked");
        }
    }
}

/// Split the waiting jobs into the next batch and those that wait on: a key
/// already in the batch waits for the next one, and so does anything past
/// [`MAX_BATCH`]. A caller that has given up (its request was cancelled or
/// timed out) before its batch was sent is dropped.
fn take_batch<K: BatchKind>(waiting: VecDeque<Job<K>>) -> (Vec<Job<K>>, VecDeque<Job<K>>) {
    let mut keys = HashSet::new();
    let mut batch = Vec::new();
    let mut later = VecDeque::new();
    for job in waiting {
        if job.reply.is_closed() {
            continue;
        }
        if batch.len() < MAX_BATCH && keys.insert(K::key(&job.item)) {
            batch.push(job);
        } else {
            later.push_back(job);
        }
    }
    (batch, later)
}

async fn run_batch<K: BatchKind>(pool: PgPool, batch: Vec<Job<K>>) {
    let (items, replies): (Vec<K::Item>, Vec<_>) = batch.into_iter().map(|j| (j.item, j.reply)).unzip();
    match K::run(&pool, &items).await {
        Ok(outputs) if outputs.len() == items.len() => {
            for (reply, output) in replies.into_iter().zip(outputs) {
                let _ = reply.send(Ok(output));
            }
        }
        Ok(outputs) => {
            tracing::error!(
                kind = K::NAME,
                items = items.len(),
                answers = outputs.len(),
                "batch answered the wrong number of items"
            );
            for reply in replies {
                let _ = reply.send(Err(AppError::Internal));
            }
        }
        Err(error) if items.len() > 1 && about_the_data(&error) => {
            tracing::warn!(
                kind = K::NAME,
                items = items.len(),
                %error,
                "batch refused by the database: sending its items one at a time"
            );
            for (item, reply) in items.iter().zip(replies) {
                let answer = match K::run(&pool, std::slice::from_ref(item)).await {
                    Ok(mut outputs) if outputs.len() == 1 => Ok(outputs.remove(0)),
                    Ok(_) => Err(AppError::Internal),
                    Err(error) => Err(AppError::from(error)),
                };
                let _ = reply.send(answer);
            }
        }
        Err(error) => {
            let error = AppError::from(error);
            for reply in replies {
                let _ = reply.send(Err(error.clone()));
            }
        }
    }
}

/// A database error that one item's values may have caused (a constraint, a
/// character PostgreSQL cannot store), as opposed to the database being away.
fn about_the_data(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(_)) && !crate::error::database_unavailable(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Numbers;

    impl BatchKind for Numbers {
        type Item = u64;
        type Output = u64;
        const NAME: &'static str = "numbers";
        fn key(item: &u64) -> u64 {
            *item
        }
        async fn run(_: &PgPool, items: &[u64]) -> Result<Vec<u64>, sqlx::Error> {
            Ok(items.to_vec())
        }
    }

    type Answer = oneshot::Receiver<Result<u64, AppError>>;

    fn jobs(keys: &[u64]) -> (VecDeque<Job<Numbers>>, Vec<Answer>) {
        keys.iter()
            .map(|&item| {
                let (reply, answer) = oneshot::channel();
                (Job { item, reply }, answer)
            })
            .unzip()
    }

    #[test]
    fn a_key_goes_once_per_batch_and_keeps_its_order() {
        let (waiting, _answers) = jobs(&[1, 2, 1, 3, 1]);
        let (batch, later) = take_batch::<Numbers>(waiting);
        assert_eq!(batch.iter().map(|j| j.item).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(later.iter().map(|j| j.item).collect::<Vec<_>>(), [1, 1]);
        let (batch, later) = take_batch::<Numbers>(later);
        assert_eq!(batch.iter().map(|j| j.item).collect::<Vec<_>>(), [1]);
        assert_eq!(later.len(), 1);
    }

    #[test]
    fn a_batch_holds_at_most_max_batch_items() {
        let keys: Vec<u64> = (0..MAX_BATCH as u64 + 5).collect();
        let (waiting, _answers) = jobs(&keys);
        let (batch, later) = take_batch::<Numbers>(waiting);
        assert_eq!(batch.len(), MAX_BATCH);
        assert_eq!(
            later.iter().map(|j| j.item).collect::<Vec<_>>(),
            keys[MAX_BATCH..]
        );
    }

    #[test]
    fn rows_answer_their_own_item_and_numbers_out_of_range_are_ignored() {
        assert_eq!(
            by_ordinality(
                3,
                None,
                [(3, Some('c')), (1, Some('a')), (0, Some('x')), (4, Some('y'))]
            ),
            [Some('a'), None, Some('c')]
        );
    }

    #[test]
    fn callers_that_gave_up_are_not_sent() {
        let (waiting, mut answers) = jobs(&[1, 2, 3]);
        drop(answers.remove(1));
        let (batch, later) = take_batch::<Numbers>(waiting);
        assert_eq!(batch.iter().map(|j| j.item).collect::<Vec<_>>(), [1, 3]);
        assert!(later.is_empty());
    }

    /// A kind whose "statement" waits for the test's go-ahead, records each
    /// batch it was given, and fails like PostgreSQL would on a bad item.
    struct Recorded;

    static BATCHES: std::sync::Mutex<Vec<Vec<u64>>> = std::sync::Mutex::new(Vec::new());
    static GATE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(0);

    /// Item 13 cannot be stored; item 98 finds the database away.
    #[derive(Debug)]
    struct Refused;

    impl std::fmt::Display for Refused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("new row violates check constraint")
        }
    }

    impl std::error::Error for Refused {}

    impl sqlx::error::DatabaseError for Refused {
        fn message(&self) -> &str {
            "new row violates check constraint"
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some("23514".into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::CheckViolation
        }
    }

    impl BatchKind for Recorded {
        type Item = u64;
        type Output = u64;
        const NAME: &'static str = "recorded";
        const LANES: u64 = 1;
        fn key(item: &u64) -> u64 {
            *item % 10
        }
        async fn run(_: &PgPool, items: &[u64]) -> Result<Vec<u64>, sqlx::Error> {
            GATE.acquire().await.expect("gate open").forget();
            BATCHES.lock().unwrap().push(items.to_vec());
            if items.contains(&98) {
                return Err(sqlx::Error::PoolTimedOut);
            }
            if items.contains(&13) {
                return Err(sqlx::Error::Database(Box::new(Refused)));
            }
            Ok(items.iter().map(|i| i * 2).collect())
        }
    }

    fn lazy_pool() -> PgPool {
        sqlx::postgres::PgPoolOptions::new()
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .expect("a lazy pool never connects")
    }

    /// Let the spawned calls reach their lane.
    async fn settle() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    /// Call `items` while the batch of `blocker` is in flight, let `statements`
    /// statements run, and return every answer, the blocker's first.
    async fn behind(
        batcher: &std::sync::Arc<Batcher<Recorded>>,
        blocker: u64,
        items: &[u64],
        statements: usize,
    ) -> Vec<Result<u64, AppError>> {
        let call = |item: u64| {
            let batcher = batcher.clone();
            tokio::spawn(async move { batcher.call(item).await })
        };
        let first = call(blocker);
        settle().await;
        let waiting: Vec<_> = items.iter().copied().map(call).collect();
        settle().await;
        GATE.add_permits(statements);
        let mut answers = vec![first.await.unwrap()];
        for answer in waiting {
            answers.push(answer.await.unwrap());
        }
        answers
    }

    // One test, so that the shared recorder sees only its own batches.
    #[tokio::test]
    async fn calls_go_alone_when_idle_together_when_busy_and_fail_alone() {
        let batcher = std::sync::Arc::new(Batcher::<Recorded>::new(lazy_pool()));

        // Idle: a call is sent at once, alone.
        GATE.add_permits(1);
        assert_eq!(batcher.call(1).await, Ok(2));
        assert_eq!(BATCHES.lock().unwrap().pop(), Some(vec![1]));

        // Busy: what arrives while a batch is in flight goes in the next one,
        // except a second call of a key already in it (2 and 12), which waits
        // for the one after.
        assert_eq!(
            behind(&batcher, 21, &[2, 3, 12, 4], 3).await,
            [Ok(42), Ok(4), Ok(6), Ok(24), Ok(8)]
        );
        assert_eq!(
            std::mem::take(&mut *BATCHES.lock().unwrap()),
            [vec![21], vec![2, 3, 4], vec![12]]
        );

        // A batch refused for one item's value is sent again item by item:
        // only that item fails, with the user's generic message.
        assert_eq!(
            behind(&batcher, 5, &[6, 13, 7], 5).await,
            [Ok(10), Ok(12), Err(AppError::Internal), Ok(14)]
        );
        assert_eq!(
            std::mem::take(&mut *BATCHES.lock().unwrap()),
            [vec![5], vec![6, 13, 7], vec![6], vec![13], vec![7]]
        );

        // The database away: everyone in the batch hears it at once, and
        // nothing is sent again.
        assert_eq!(
            behind(&batcher, 8, &[9, 98], 2).await,
            [Ok(16), Err(AppError::Unavailable), Err(AppError::Unavailable)]
        );
        assert_eq!(
            std::mem::take(&mut *BATCHES.lock().unwrap()),
            [vec![8], vec![9, 98]]
        );
    }
}
