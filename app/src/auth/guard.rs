//! The request guard: protected areas, pending steps, cross-site posts
//! and the caller's address (server only).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::session::{resolve, ClientIp, CurrentAuth, STEP_PAGES};
use super::Role;
use crate::audit;
use crate::ssr::AppState;

/// Which role a protected page area belongs to.
fn area_of(path: &str) -> Option<Role> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/indberetning") {
        Some(Role::Institution)
    } else if under("/kommune") {
        Some(Role::Kommune)
    } else if under("/support") {
        Some(Role::Support)
    } else {
        None
    }
}

/// What a caller with a step still to do may reach besides the step's own pages.
pub(super) fn allowed_while_pending(path: &str) -> bool {
    use super::{CurrentViewer, Logout, TakeFormFlash};
    use leptos::server_fn::ServerFn;
    [Logout::PATH, CurrentViewer::PATH, TakeFormFlash::PATH].contains(&path)
        || matches!(
            path,
            "/healthz" | "/readyz" | "/favicon.svg" | "/tilgaengelighed" | "/cookies"
        )
        || path.starts_with("/pkg/")
}

fn client_address(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
    crate::ssr::client_ip::client_address(state.settings.trusted_proxies, headers, peer)
}

/// A state-changing request from another site (CSRF) is refused. Browsers send
/// `Sec-Fetch-Site` and `Origin` on every POST; clients without them are not
/// browsers and carry no ambient cookies of a victim.
fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split("://").nth(1).unwrap_or_default();
        return origin == "null" || origin_host != host;
    }
    false
}

/// Runs before every route: client address, CSRF, session validity, and the
/// role of the protected page areas.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let ip = client_address(&state, request.headers(), peer);
    request.extensions_mut().insert(ClientIp(ip));

    let method = request.method().clone();
    let path = request.uri().path().to_string();
    if crate::ssr::budget::is_costly(&method, &path, request.uri().query()) {
        let key = ip.map_or_else(|| "ukendt".to_string(), crate::ssr::client_ip::address_key);
        if let Err(refused) = crate::ssr::budget::take(&state.address_limiter, &key, &path) {
            return *refused;
        }
    }
    if cross_site(&method, request.headers()) {
        tracing::warn!(%path, ?ip, "cross-site request refused");
        audit::refused(
            &state.pool,
            None,
            ip,
            "anmodning fra et andet websted",
            serde_json::json!({ "sti": path }),
        )
        .await;
        return crate::documents::plain::page(
            StatusCode::FORBIDDEN,
            "Handlingen blev afvist",
            "Formularen blev sendt fra et andet websted, så vi har afvist den for at beskytte dig. Gå til siden og prøv igen.",
        );
    }

    let auth = match request.extensions().get::<Session>().cloned() {
        Some(session) => match resolve(&state, &session).await {
            Ok(auth) => auth,
            Err(error) => return crate::documents::plain::failed_request(&path, &error),
        },
        None => None,
    };
    request.extensions_mut().insert(CurrentAuth(auth.clone()));

    let full_path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or(path.clone());

    if let Some(auth) = &auth {
        match auth.pending() {
            Some(step) if !step.allows(&path) => {
                return if method == Method::GET && !path.starts_with("/api/") {
                    Redirect::to(step.page()).into_response()
                } else {
                    (StatusCode::FORBIDDEN, step.refusal()).into_response()
                };
            }
            None if STEP_PAGES.contains(&path.as_str()) => {
                return Redirect::to(auth.principal.role().start_page()).into_response();
            }
            _ => {}
        }
    } else if path == "/vaelg-adgangskode" {
        return Redirect::to("/log-ind").into_response();
    } else if STEP_PAGES.contains(&path.as_str()) {
        return Redirect::to("/admin/log-ind").into_response();
    }

    if let Some(area) = area_of(&path) {
        match &auth {
            None => {
                let target = format!("{}?naeste={}", area.login_page(), urlencoding_path(&full_path));
                return Redirect::to(&target).into_response();
            }
            Some(auth) if auth.principal.role() != area => {
                audit::refused(
                    &state.pool,
                    Some(&auth.principal),
                    ip,
                    "en anden rolles side",
                    serde_json::json!({ "sti": path }),
                )
                .await;
                return crate::documents::plain::page(
                    StatusCode::FORBIDDEN,
                    "Ingen adgang",
                    "Du er logget ind med en konto, der ikke har adgang til denne side.",
                );
            }
            Some(_) => {}
        }
    }
    // Pages and data for a logged-in user (often on a shared institution
    // computer) are never kept by the browser or anything between; the
    // build's scripts, styles and images are the same for everyone.
    let personal =
        auth.is_some() && !path.starts_with("/pkg/") && !path.ends_with(".css") && !path.ends_with(".svg");
    let mut response = next.run(request).await;
    if personal {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Percent-encode a local path for a query parameter.
pub(super) fn urlencoding_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_posts_are_detected() {
        let mut headers = HeaderMap::new();
        assert!(
            !cross_site(&Method::POST, &headers),
            "no browser headers: not a browser"
        );
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(!cross_site(&Method::POST, &headers));
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&Method::POST, &headers));
        assert!(
            !cross_site(&Method::GET, &headers),
            "links from other sites are fine"
        );
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        headers.insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
        assert!(!cross_site(&Method::POST, &headers));
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(cross_site(&Method::POST, &headers));
    }

    #[test]
    fn areas() {
        assert_eq!(area_of("/indberetning"), Some(Role::Institution));
        assert_eq!(area_of("/indberetning/profil"), Some(Role::Institution));
        assert_eq!(area_of("/kommune/breve"), Some(Role::Kommune));
        assert_eq!(area_of("/kommuner/101"), None);
        assert_eq!(area_of("/support"), Some(Role::Support));
        assert_eq!(area_of("/"), None);
    }
}
