//! Content-Security-Policy with a fresh nonce per response, and HSTS over https.
//!
//! The nonce is made before the request reaches anything else and put into
//! the request's extensions: the Leptos render takes it from there for its
//! hydration and resource scripts ([`provide_request_nonce`]), the page cache
//! swaps it into a kept page, and the policy sent with the answer names it.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// The policy of every HTML answer, with `{nonce}` for the request's nonce.
/// `'wasm-unsafe-eval'` lets the page compile its WebAssembly and nothing else.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// HSTS for two years once the service is reached over https.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The nonce of the request being answered, made by [`content_security_policy`].
pub fn request_nonce(request: &Request) -> Option<Nonce> {
    request.extensions().get::<Nonce>().cloned()
}

/// Inside a Leptos render or server function: use the nonce the policy names
/// instead of the one leptos_axum made for itself (which no header carries).
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned())
    {
        provide_context(nonce);
    }
}

/// Middleware: a nonce for the request, the policy on HTML answers, HSTS when `https`.
pub async fn content_security_policy(
    State(https): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        match HeaderValue::try_from(policy(&nonce)) {
            Ok(value) => {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
            Err(error) => tracing::error!(%error, "the content security policy is not a valid header"),
        }
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_nonce_and_allows_no_inline_style_or_plugin() {
        let policy = policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(policy.contains("style-src 'self';"));
        assert!(policy.contains("object-src 'none'") && policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(HeaderValue::try_from(policy).is_ok());
    }
}
