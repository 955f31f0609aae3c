//! Rendered public institution pages, kept in memory and dropped the moment
//! what they show changes.
//!
//! Parents read `/dagtilbud/{nummer}` far more often than institutions save,
//! so an anonymous request for it is answered from here when possible. A page
//! is dropped:
//! - at once by this process after its own save or close
//!   ([`PageCache::invalidate`]), so the saver's next read sees the change;
//! - by every process when PostgreSQL announces a change on [`CHANNEL`], so N
//!   servers behind a load balancer stay consistent. A trigger on institutions
//!   and key figures sends it at commit; a saved section is announced by the
//!   server that saved it ([`PageCache::announce`]), a batch at a time, since
//!   a notifying commit holds a lock that lets only one such commit flush at a
//!   time, which under many saves made every save wait for the others;
//! - all at once whenever this process is not listening (it cannot know what
//!   it missed), and after [`TIME_TO_LIVE`] in any case (the page names the
//!   current year).
//!
//! Only anonymous requests (no cookie at all) for the canonical upper-case
//! number without a query are served or stored, and only complete 200 pages.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;

/// The PostgreSQL channel that announces changes to public data: the payload
/// is an institution's number, or `*` for anything every page may show.
pub const CHANNEL: &str = "dagtilbud_offentlig";
/// The payload that announces new institutions: no page changed, but lists
/// of the register (the search, the CSV) did.
pub const REGISTER_GREW: &str = "+";
/// The longest any page is kept.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(10 * 60);
/// Memory for kept pages (bytes of body), beyond which the least used go.
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// A page bigger than this is not kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// Says whether a response came from here (for tests and benchmarks).
pub const CACHE_HEADER: &str = "x-side-cache";

/// A kept page: its headers, and its body cut where the render's script
/// nonce stood, so that each answer joins the pieces with its own nonce
/// without searching the page again (see [`crate::ssr::csp`]).
#[derive(Clone)]
struct Page {
    headers: HeaderMap,
    pieces: Arc<[Bytes]>,
    /// The nonce the pieces were cut at, for an answer without its own.
    nonce: Option<leptos::nonce::Nonce>,
    /// The body's length as rendered.
    len: usize,
}

impl Page {
    /// Whether the request's `If-None-Match` names this page's ETag (pages
    /// without one, the HTML pages, never match).
    fn unchanged_for(&self, request: &HeaderMap) -> bool {
        let Some(tag) = self.headers.get(header::ETAG).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag))
    }

    fn new(headers: HeaderMap, body: Bytes, nonce: Option<leptos::nonce::Nonce>) -> Page {
        let len = body.len();
        let pieces = match &nonce {
            // The nonce is 22 random URL-safe characters: it occurs nowhere
            // but in the attributes that carry it.
            Some(nonce) if !nonce.is_empty() => {
                let needle = nonce.as_bytes();
                let mut pieces = Vec::new();
                let mut start = 0;
                let mut at = 0;
                while at + needle.len() <= body.len() {
                    if &body[at..at + needle.len()] == needle {
                        pieces.push(body.slice(start..at));
                        at += needle.len();
                        start = at;
                    } else {
                        at += 1;
                    }
                }
                pieces.push(body.slice(start..));
                pieces
            }
            _ => vec![body],
        };
        Page {
            headers,
            pieces: pieces.into(),
            nonce,
            len,
        }
    }

    /// The body for an answer whose policy names `nonce`: the pieces joined
    /// with it into one buffer (a page is a few kilobytes; one buffer goes
    /// out in one write, where separate pieces cost a write each).
    fn body(&self, nonce: Option<&leptos::nonce::Nonce>) -> Body {
        if let [whole] = &*self.pieces {
            return Body::from(whole.clone());
        }
        let nonce = nonce.or(self.nonce.as_ref()).map_or(&[][..], |n| n.as_bytes());
        let mut body = Vec::with_capacity(self.len + nonce.len() * self.pieces.len());
        for (n, piece) in self.pieces.iter().enumerate() {
            if n > 0 {
                body.extend_from_slice(nonce);
            }
            body.extend_from_slice(piece);
        }
        Body::from(body)
    }
}

pub struct PageCache {
    pages: moka::sync::Cache<String, Page>,
    /// Bumped by every change heard of, the register growing included: what
    /// was read at another value (the search index, the CSV) is out of date.
    generation: AtomicU64,
    /// Bumped by every change a kept page may show (not by the register
    /// growing); a render that saw another value when it started may have
    /// read old data and is not kept.
    page_generation: AtomicU64,
    /// Orders "check the generation, then insert" against "bump, then drop".
    writes: Mutex<()>,
    /// True only while this process listens on [`CHANNEL`].
    live: AtomicBool,
    /// Numbers whose change is still to be announced on [`CHANNEL`].
    unannounced: Mutex<HashSet<String>>,
    /// Wakes [`announce_changes`] when `unannounced` gains a number.
    to_announce: tokio::sync::Notify,
    /// The open data CSV of every active institution (see [`PageCache::kept_csv`]).
    csv: Mutex<Option<KeptCsv>>,
}

/// The CSV of every active institution as last made, with its ETag.
#[derive(Clone)]
pub struct KeptCsv {
    pub tag: String,
    pub body: Bytes,
    generation: u64,
    made: std::time::Instant,
}

/// The longest a kept CSV is served, a backstop for changes nothing
/// announces (new institutions are announced, see [`REGISTER_GREW`]).
const CSV_TIME_TO_LIVE: Duration = Duration::from_secs(60);

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("pages", &self.pages.entry_count())
            .field("live", &self.live.load(Ordering::Relaxed))
            .finish()
    }
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            pages: moka::sync::Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .weigher(|key: &String, page: &Page| u32::try_from(key.len() + page.len).unwrap_or(u32::MAX))
                .time_to_live(TIME_TO_LIVE)
                .build(),
            generation: AtomicU64::new(0),
            page_generation: AtomicU64::new(0),
            writes: Mutex::new(()),
            live: AtomicBool::new(false),
            unannounced: Mutex::default(),
            to_announce: tokio::sync::Notify::new(),
            csv: Mutex::default(),
        }
    }
}

impl PageCache {
    /// Drop the page of institution `nummer` (any case).
    pub fn invalidate(&self, nummer: &str) {
        let _writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.page_generation.fetch_add(1, Ordering::AcqRel);
        let nummer = nummer.to_ascii_uppercase();
        self.pages.invalidate(&format!("{nummer}{CALENDAR}"));
        self.pages.invalidate(&nummer);
    }

    /// Drop the page of institution `nummer` here at once and, soon after,
    /// on every server (for changes no trigger announces: saved sections).
    /// Call after the change is committed.
    pub fn announce(&self, nummer: &str) {
        let nummer = nummer.to_ascii_uppercase();
        self.invalidate(&nummer);
        self.unannounced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(nummer);
        self.to_announce.notify_one();
    }

    /// Send every change not yet announced, in one statement. What could not
    /// be sent is kept for the next try.
    pub async fn announce_pending(&self, pool: &PgPool) -> Result<(), sqlx::Error> {
        let numbers: Vec<String> =
            std::mem::take(&mut *self.unannounced.lock().unwrap_or_else(|e| e.into_inner()))
                .into_iter()
                .collect();
        if numbers.is_empty() {
            return Ok(());
        }
        // pg_notify returns void, which the checked query macros cannot describe.
        let sent = sqlx::query("SELECT pg_notify($1, nummer) FROM unnest($2::text[]) AS nummer")
            .bind(CHANNEL)
            .bind(&numbers)
            .execute(pool)
            .await;
        if sent.is_err() {
            self.unannounced
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(numbers);
        }
        sent.map(|_| ())
    }

    /// The current generation; pass it to [`PageCache::keep_csv`] for a CSV
    /// made after reading it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The kept CSV, if no institution changed since it was made, it is
    /// young enough, and this process hears about changes at all.
    pub fn kept_csv(&self) -> Option<KeptCsv> {
        let kept = self.csv.lock().unwrap_or_else(|e| e.into_inner()).clone()?;
        (self.is_live() && kept.generation == self.generation() && kept.made.elapsed() < CSV_TIME_TO_LIVE)
            .then_some(kept)
    }

    /// Keep a CSV made from data read at `generation` (kept only while that
    /// generation lasts), and return it with its ETag.
    pub fn keep_csv(&self, generation: u64, body: Bytes) -> KeptCsv {
        let kept = KeptCsv {
            tag: crate::api::etag_of(&body),
            body,
            generation,
            made: std::time::Instant::now(),
        };
        *self.csv.lock().unwrap_or_else(|e| e.into_inner()) = Some(kept.clone());
        kept
    }

    /// Note a change that no kept page shows (see [`REGISTER_GREW`]): what
    /// was read of the whole register before it is out of date, while pages
    /// being rendered may still be kept.
    pub fn register_changed(&self) {
        let _writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Drop every page.
    pub fn invalidate_all(&self) {
        let _writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.page_generation.fetch_add(1, Ordering::AcqRel);
        self.pages.invalidate_all();
    }

    fn set_live(&self, live: bool) {
        self.live.store(live, Ordering::Release);
        self.invalidate_all();
    }

    /// Whether this process hears of every change (else nothing is kept).
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    fn get(&self, nummer: &str) -> Option<Page> {
        if self.is_live() {
            self.pages.get(nummer)
        } else {
            None
        }
    }

    fn insert_if_unchanged(&self, generation: u64, nummer: String, page: Page) {
        let _writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        if self.is_live() && self.page_generation.load(Ordering::Acquire) == generation {
            self.pages.insert(nummer, page);
        }
    }

    /// How many pages are kept now (after pending evictions).
    pub fn len(&self) -> u64 {
        self.pages.run_pending_tasks();
        self.pages.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The institution number when `request` may be answered from the cache.
fn cacheable(request: &Request) -> Option<String> {
    if request.method() != Method::GET
        || request.uri().query().is_some()
        || request.headers().contains_key(header::COOKIE)
        || request.headers().contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    let rest = request.uri().path().strip_prefix("/dagtilbud/")?;
    // The page, or its closing days as a calendar (kept under `{nummer}{CALENDAR}`).
    let nummer = rest.strip_suffix(CALENDAR).unwrap_or(rest);
    let canonical = nummer.len() == 6
        && nummer
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    canonical.then(|| rest.to_owned())
}

/// The closing-days calendar's path after the number (`portal::calendar`).
const CALENDAR: &str = "/lukkedage.ics";

fn respond(page: Page, nonce: Option<&leptos::nonce::Nonce>, state: &'static str) -> Response {
    let mut response = Response::new(page.body(nonce));
    *response.headers_mut() = page.headers;
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(state));
    response
}

/// Middleware: answer from the cache, or render and keep the page.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(nummer) = cacheable(&request) else {
        return next.run(request).await;
    };
    let nonce = crate::ssr::csp::request_nonce(&request);
    if let Some(page) = cache.get(&nummer) {
        // A calendar asks again with the ETag it has.
        if page.unchanged_for(request.headers()) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::ETAG, header::CACHE_CONTROL, header::LAST_MODIFIED] {
                if let Some(value) = page.headers.get(&name) {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            return response;
        }
        return respond(page, nonce.as_ref(), "hit");
    }
    let generation = cache.page_generation.load(Ordering::Acquire);
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html") || v.starts_with("text/calendar"));
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => {
            let page = Page::new(parts.headers, body, nonce.clone());
            cache.insert_if_unchanged(generation, nummer, page.clone());
            respond(page, nonce.as_ref(), "miss")
        }
        Err(error) => {
            // The body was too big or broke off while rendering; the client
            // cannot get a complete page either way.
            tracing::error!(%error, "public page body could not be read");
            crate::documents::plain::unavailable()
        }
    }
}

/// Follow [`CHANNEL`] until the task is aborted: drop the announced pages,
/// and keep the cache off (and empty) whenever not listening.
pub async fn follow_changes(cache: Arc<PageCache>, pool: PgPool) {
    // Its own connection, so that listening never takes one from the pool.
    let listener_pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with((*pool.connect_options()).clone());
    loop {
        match listen(&listener_pool).await {
            Ok(mut listener) => {
                cache.set_live(true);
                tracing::debug!("following changes to public pages");
                loop {
                    match listener.try_recv().await {
                        Ok(Some(change)) if change.payload() == "*" => cache.invalidate_all(),
                        Ok(Some(change)) if change.payload() == REGISTER_GREW => cache.register_changed(),
                        Ok(Some(change)) => cache.invalidate(change.payload()),
                        Ok(None) => {
                            tracing::warn!("lost the connection that announces changes; public pages are not cached until it is back");
                            break;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "announcements of changes failed; public pages are not cached until they are back");
                            break;
                        }
                    }
                }
                cache.set_live(false);
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for changes; public pages are not cached");
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Announce saved changes (see [`PageCache::announce`]) until the task is
/// aborted. While one batch is sent the next gathers, so under many saves
/// there are far fewer notifying commits than saves.
pub async fn announce_changes(cache: Arc<PageCache>, pool: PgPool) {
    loop {
        cache.to_announce.notified().await;
        if let Err(error) = cache.announce_pending(&pool).await {
            tracing::warn!(%error, "cannot announce changed public pages; trying again in a second");
            tokio::time::sleep(Duration::from_secs(1)).await;
            cache.to_announce.notify_one();
        }
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &'static str) -> Page {
        Page::new(HeaderMap::new(), Bytes::from_static(text.as_bytes()), None)
    }

    async fn text(body: Body) -> String {
        String::from_utf8(axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_kept_page_carries_the_nonce_of_the_request_it_answers() {
        let old = leptos::nonce::Nonce::from_value("OldNonce0123456789abcd");
        let new = leptos::nonce::Nonce::from_value("NewNonce0123456789abcd");
        let kept = Page::new(
            HeaderMap::new(),
            Bytes::from_static(
                br#"<script type="module" nonce="OldNonce0123456789abcd">x</script><script nonce="OldNonce0123456789abcd">y</script>"#,
            ),
            Some(old.clone()),
        );
        assert_eq!(kept.pieces.len(), 3, "cut at both places");
        let answer = kept.body(Some(&new));
        assert_eq!(
            text(answer).await,
            r#"<script type="module" nonce="NewNonce0123456789abcd">x</script><script nonce="NewNonce0123456789abcd">y</script>"#
        );
        assert!(text(kept.body(None)).await.contains("OldNonce0123456789abcd"));
        assert_eq!(
            text(page("no nonce here").body(Some(&new))).await,
            "no nonce here"
        );
    }

    #[test]
    fn only_anonymous_canonical_page_requests_are_cacheable() {
        let get = |uri: &str| Request::builder().uri(uri).body(Body::empty()).unwrap();
        assert_eq!(cacheable(&get("/dagtilbud/G10234")).as_deref(), Some("G10234"));
        assert_eq!(cacheable(&get("/dagtilbud/g10234")), None);
        assert_eq!(cacheable(&get("/dagtilbud/G10234?x=1")), None);
        assert_eq!(cacheable(&get("/dagtilbud/G10234/x")), None);
        assert_eq!(
            cacheable(&get("/dagtilbud/G10234/lukkedage.ics")).as_deref(),
            Some("G10234/lukkedage.ics")
        );
        assert_eq!(cacheable(&get("/dagtilbud/g10234/lukkedage.ics")), None);
        assert_eq!(cacheable(&get("/kommuner/101")), None);
        let with_cookie = Request::builder()
            .uri("/dagtilbud/G10234")
            .header(header::COOKIE, "a=b")
            .body(Body::empty())
            .unwrap();
        assert_eq!(cacheable(&with_cookie), None);
        let post = Request::builder()
            .method(Method::POST)
            .uri("/dagtilbud/G10234")
            .body(Body::empty())
            .unwrap();
        assert_eq!(cacheable(&post), None);
    }

    #[test]
    fn a_render_that_started_before_an_invalidation_is_not_kept() {
        let cache = PageCache::default();
        cache.set_live(true);
        let before = cache.page_generation.load(Ordering::Acquire);
        cache.invalidate("G10234");
        cache.insert_if_unchanged(before, "G10234".into(), page("old"));
        assert!(cache.get("G10234").is_none());

        let now = cache.page_generation.load(Ordering::Acquire);
        cache.insert_if_unchanged(now, "G10234".into(), page("new"));
        assert_eq!(
            &*cache.get("G10234").unwrap().pieces,
            [Bytes::from_static(b"new")]
        );
        cache.invalidate("g10234");
        assert!(cache.get("G10234").is_none());
    }

    #[test]
    fn nothing_is_kept_or_served_while_not_listening() {
        let cache = PageCache::default();
        let now = cache.page_generation.load(Ordering::Acquire);
        cache.insert_if_unchanged(now, "G10234".into(), page("x"));
        assert!(cache.is_empty());

        cache.set_live(true);
        let now = cache.page_generation.load(Ordering::Acquire);
        cache.insert_if_unchanged(now, "G10234".into(), page("x"));
        assert!(cache.get("G10234").is_some());
        cache.set_live(false);
        assert!(cache.get("G10234").is_none());
        assert!(cache.is_empty());
    }

    #[test]
    fn a_growing_register_keeps_a_render_but_dates_the_whole_register() {
        let cache = PageCache::default();
        cache.set_live(true);
        let (page_before, before) = (cache.page_generation.load(Ordering::Acquire), cache.generation());
        cache.register_changed();
        // A new institution changes no other institution's page.
        cache.insert_if_unchanged(page_before, "G10234".into(), page("x"));
        assert!(cache.get("G10234").is_some());
        // But what was read of the whole register (CSV, search index) is old.
        assert_ne!(cache.generation(), before);
    }
}
