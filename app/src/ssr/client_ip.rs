//! The client's address: from the connection, or from `X-Forwarded-For`
//! when the server runs behind a configured number of trusted proxies.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address. With `trusted_proxies` = N > 0 the server is behind
/// N proxies that each append the address they were reached from to
/// `X-Forwarded-For`; the client is then the N-th address from the right.
/// Everything left of it was written by the client and is ignored. A header
/// with fewer addresses than proxies was not set as configured, so the
/// connection's address is used.
pub fn client_address(trusted_proxies: u8, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
    if trusted_proxies > 0 {
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        if let Some(hop) = hops
            .len()
            .checked_sub(usize::from(trusted_proxies))
            .map(|i| hops[i])
        {
            return hop.parse().ok();
        }
    }
    peer.map(|p| p.ip())
}

/// What a per-address limit counts: an IPv4 address, or the /64 of an IPv6
/// address (one household or host gets a whole /64, so single addresses in
/// it cost an attacker nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_address_the_trusted_proxy_added_is_taken_never_the_clients_own() {
        let peer = Some("10.0.0.2:4000".parse().unwrap());
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // The client wrote 1.2.3.4 itself; the one proxy appended 203.0.113.9.
        let forged = headers(&["1.2.3.4, 203.0.113.9"]);
        assert_eq!(client_address(1, &forged, peer), ip("203.0.113.9"));
        assert_eq!(client_address(2, &forged, peer), ip("1.2.3.4"));
        assert_eq!(
            client_address(1, &headers(&["1.2.3.4", "203.0.113.9"]), peer),
            ip("203.0.113.9")
        );
        // Not trusted: the header is ignored.
        assert_eq!(client_address(0, &forged, peer), ip("10.0.0.2"));
        // Fewer hops than proxies, or none: the connection.
        assert_eq!(client_address(3, &forged, peer), ip("10.0.0.2"));
        assert_eq!(client_address(1, &HeaderMap::new(), peer), ip("10.0.0.2"));
        assert_eq!(client_address(1, &headers(&["garbage"]), peer), None);
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
    }
}
