//! Addresses of list pages: query values percent-encoded, the query string
//! of a GET form's filters, and page numbers.

/// A query value with everything but the unreserved characters (RFC 3986)
/// percent-encoded as UTF-8.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `?key=value&…` of the non-empty values (encoded), with `side=N` after
/// them from page 2 on: the address of one page of a list's GET form.
pub fn query_string(pairs: &[(&str, &str)], side: i64) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    if side > 1 {
        parts.push(format!("side={side}"));
    }
    format!("?{}", parts.join("&"))
}

/// The page a list asks for: `side` between 1 and `last`, 1 if it is no number.
pub fn page_number(side: &str, last: i64) -> i64 {
    side.parse::<i64>().unwrap_or(1).clamp(1, last)
}

/// How many pages `matching` rows fill, `per_page` to a page; at least one.
pub fn page_count(matching: i64, per_page: i64) -> i64 {
    ((matching + per_page - 1) / per_page).max(1)
}
