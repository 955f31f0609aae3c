//! API keys of kommune systems: made, shown once, stored as a hash, and
//! limited to a request budget per key.

use std::num::NonZeroU32;

use sha2::{Digest, Sha256};

use crate::auth::codes::generate_code;

/// Requests per key and process, counted per minute.
pub type KeyLimiter = governor::DefaultKeyedRateLimiter<i64>;

/// A limiter that lets each key make `per_minute` requests a minute, all at once if it likes.
pub fn limiter(per_minute: u32) -> KeyLimiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
}

/// A new API key: `dtk_` and 36 characters of the codes' unambiguous
/// alphabet (180 bits). Returned once; only [`key_hash`] is stored.
pub fn generate_key() -> String {
    format!("dtk_{}{}{}", generate_code(), generate_code(), generate_code())
}

/// What is stored of a key: its SHA-256 in hex.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a key is shown in lists: its first characters.
pub fn key_prefix(key: &str) -> String {
    format!("{}…", key.chars().take(12).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_stored_only_as_their_hash() {
        let key = generate_key();
        assert!(key.starts_with("dtk_") && key.len() == 40, "{key}");
        assert_ne!(key, generate_key());
        let hash = key_hash(&key);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&key[4..]));
        assert_eq!(key_prefix(&key), format!("{}…", &key[..12]));
    }

    #[test]
    fn the_budget_is_per_key() {
        let limiter = limiter(2);
        assert!(limiter.check_key(&1).is_ok());
        assert!(limiter.check_key(&1).is_ok());
        assert!(limiter.check_key(&1).is_err());
        assert!(limiter.check_key(&2).is_ok(), "another key has its own budget");
    }
}
