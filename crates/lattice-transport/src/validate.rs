//! Every value of a target profile checked against its range before any request: a value that
//! would hang the run, send nothing, or smuggle a header is a usage error naming its key, never
//! an "unreachable endpoint" found later.

use std::ops::RangeInclusive;

use crate::profile::{
    EmbeddedSettings, Limits, PrincipalSpec, Profile, BREAKER_RANGE, DEADLINE_RANGE,
};

/// Range of `[limits] connect_timeout_ms` and `request_timeout_ms` (1 ms to 10 minutes).
pub const TIMEOUT_MS: RangeInclusive<u64> = 1..=600_000;
/// Range of `[limits] max_body_bytes` (1 KiB to 256 MiB).
pub const BODY_BYTES: RangeInclusive<usize> = 1024..=(256 << 20);
/// Range of `[limits] retries`.
pub const RETRIES: RangeInclusive<u32> = 0..=20;
/// Range of `[limits] max_retry_wait_ms` (up to 10 minutes).
pub const RETRY_WAIT_MS: RangeInclusive<u64> = 0..=600_000;
/// Range of `[limits] max_throttle_wait_ms` (up to 24 hours).
pub const THROTTLE_WAIT_MS: RangeInclusive<u64> = 0..=86_400_000;
/// Range of `[limits] poll_ms` (1 ms to 1 minute).
pub const POLL_MS: RangeInclusive<u64> = 1..=60_000;
/// Range of `[embedded] transition_delay_ms` (up to 10 minutes).
pub const TRANSITION_DELAY_MS: RangeInclusive<u64> = 0..=600_000;

/// What is wrong with a profile's values, if anything: the first problem, naming its key.
pub fn profile(p: &Profile) -> Option<String> {
    if p.endpoint != "embedded" {
        if let Some(problem) = endpoint("endpoint", &p.endpoint) {
            return Some(problem);
        }
    }
    if let Some(problem) = p
        .ram_endpoint
        .as_deref()
        .and_then(|u| endpoint("ram_endpoint", u))
    {
        return Some(problem);
    }
    if let Some(problem) = region(&p.region) {
        return Some(problem);
    }
    if p.budget == Some(0) {
        return Some("budget `0` sends nothing (hint: at least 1 request)".into());
    }
    limits(&p.limits)
        .or_else(|| embedded(&p.embedded))
        .or_else(|| p.principals.iter().find_map(principal))
}

/// An endpoint URL: printable, no whitespace, an http(s) URL with a host and a port above 0.
pub fn endpoint(key: &str, url: &str) -> Option<String> {
    let shown = crate::live::shown(url);
    let shown = shown.escape_debug();
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some(format!(
            "{key} `{shown}` contains whitespace or a control character (hint: a URL such as http://127.0.0.1:5000)"
        ));
    }
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) => u,
        Err(e) => {
            return Some(format!(
                "{key} `{shown}` is not a URL: {e} (hint: a URL such as http://127.0.0.1:5000)"
            ))
        }
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some(format!("{key} `{shown}` is not an http(s) URL"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Some(format!("{key} `{shown}` has no host"));
    }
    if parsed.port() == Some(0) {
        return Some(format!("{key} `{shown}` has port 0"));
    }
    None
}

/// A signing region: lower-case letters, digits and hyphens, starting with a letter.
pub fn region(r: &str) -> Option<String> {
    let ok = (1..=32).contains(&r.len())
        && r.starts_with(|c: char| c.is_ascii_lowercase())
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!ok).then(|| {
        format!(
            "region `{}` is not a region name (hint: such as us-east-1; AWS_REGION and AWS_DEFAULT_REGION override it)",
            r.escape_debug()
        )
    })
}

fn out_of<T: PartialOrd + std::fmt::Display>(
    key: &str,
    value: Option<T>,
    range: &RangeInclusive<T>,
    unit: &str,
) -> Option<String> {
    let v = value?;
    (!range.contains(&v)).then(|| {
        format!(
            "{key} `{v}` is out of range (hint: from {} to {}{unit})",
            range.start(),
            range.end()
        )
    })
}

/// The `[limits]` table.
pub fn limits(l: &Limits) -> Option<String> {
    if let Some(d) = l.deadline.filter(|d| !DEADLINE_RANGE.contains(d)) {
        return Some(format!(
            "[limits] deadline `{}` is out of range (hint: from 1s to 24h)",
            crate::time::format_duration(d)
        ));
    }
    out_of(
        "[limits] breaker_threshold",
        l.breaker_threshold,
        &BREAKER_RANGE,
        " failed exchanges in a row",
    )
    .or_else(|| out_of("[limits] poll_ms", l.poll_ms, &POLL_MS, " ms"))
    .or_else(|| {
        out_of(
            "[limits] connect_timeout_ms",
            l.connect_timeout_ms,
            &TIMEOUT_MS,
            " ms",
        )
    })
    .or_else(|| {
        out_of(
            "[limits] request_timeout_ms",
            l.request_timeout_ms,
            &TIMEOUT_MS,
            " ms",
        )
    })
    .or_else(|| {
        out_of(
            "[limits] max_body_bytes",
            l.max_body_bytes,
            &BODY_BYTES,
            " bytes",
        )
    })
    .or_else(|| out_of("[limits] retries", l.retries, &RETRIES, ""))
    .or_else(|| {
        out_of(
            "[limits] max_retry_wait_ms",
            l.max_retry_wait_ms,
            &RETRY_WAIT_MS,
            " ms",
        )
    })
    .or_else(|| {
        out_of(
            "[limits] max_throttle_wait_ms",
            l.max_throttle_wait_ms,
            &THROTTLE_WAIT_MS,
            " ms",
        )
    })
}

/// The `[embedded]` table.
fn embedded(e: &EmbeddedSettings) -> Option<String> {
    out_of(
        "[embedded] transition_delay_ms",
        Some(e.transition_delay_ms),
        &TRANSITION_DELAY_MS,
        " ms",
    )
    .or_else(|| {
        out_of(
            "[embedded] throttle_every",
            e.throttle_every,
            &(1..=usize::MAX),
            "",
        )
    })
    .or_else(|| {
        out_of(
            "[embedded] quota_per_network",
            e.quota_per_network,
            &(1..=usize::MAX),
            "",
        )
    })
}

/// A principal's access key and extra headers: nothing that could split or smuggle a header.
fn principal(p: &PrincipalSpec) -> Option<String> {
    let role = p.role;
    if let Some(key) = &p.access_key_id {
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(format!(
                "principal `{role}`: access_key_id `{}` is not an access key id (letters and digits)",
                key.escape_debug()
            ));
        }
    }
    for (name, value) in &p.headers {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Some(format!(
                "principal `{role}`: header name `{}` is not a valid HTTP header name",
                name.escape_debug()
            ));
        }
        if value.chars().any(|c| c.is_control())
            || reqwest::header::HeaderValue::from_str(value).is_err()
        {
            return Some(format!(
                "principal `{role}`: the value of header `{name}` contains a control character"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(extra: &str) -> Option<String> {
        let text = format!("name = 'x'\nendpoint = 'http://127.0.0.1:5000'\n{extra}\n");
        match Profile::parse("x", &text) {
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    #[test]
    fn every_bad_value_is_refused_naming_its_key() {
        assert_eq!(problem(""), None);
        for (extra, key) in [
            ("region = \"us-east-1\\n\"", "region"),
            ("region = \"\"", "region"),
            ("region = \"US-EAST-1\"", "region"),
            ("budget = 0", "budget"),
            ("ram_endpoint = \"http://127.0.0.1:99999\"", "ram_endpoint"),
            ("ram_endpoint = \"ftp://127.0.0.1\"", "ram_endpoint"),
            ("[limits]\nrequest_timeout_ms = 0", "request_timeout_ms"),
            ("[limits]\nrequest_timeout_ms = 18446744073709551615", "request_timeout_ms"),
            ("[limits]\nconnect_timeout_ms = 0", "connect_timeout_ms"),
            ("[limits]\nretries = 4294967295", "retries"),
            ("[limits]\nmax_body_bytes = 10", "max_body_bytes"),
            ("[limits]\nmax_retry_wait_ms = 18446744073709551615", "max_retry_wait_ms"),
            ("[limits]\nmax_throttle_wait_ms = 18446744073709551615", "max_throttle_wait_ms"),
            ("[embedded]\ntransition_delay_ms = 18446744073709551615", "transition_delay_ms"),
            ("[embedded]\nthrottle_every = 0", "throttle_every"),
            ("[[principals]]\nrole = 'owner'\naccess_key_id = \"AKIA X\"\nsecret_access_key = 's'", "access_key_id"),
            ("[[principals]]\nrole = 'owner'\nsource = 'environment'\n[principals.headers]\n\"x-a\" = \"1\\r\\nx-b: 2\"", "x-a"),
            ("[[principals]]\nrole = 'owner'\nsource = 'environment'\n[principals.headers]\n\"x a\" = \"1\"", "header name"),
        ] {
            let p = problem(extra).unwrap_or_else(|| panic!("{extra} was accepted"));
            assert!(p.contains(key), "{extra}: {p}");
            assert!(!p.contains('\n') && !p.contains('\r'), "{extra}: {p}");
        }
    }

    #[test]
    fn endpoints_are_urls_without_control_characters() {
        for bad in [
            "http://127.0.0.1:5000\r\nX-Injected: 1",
            "http://127.0.0.1:70000",
            "http://127.0.0.1:0",
            "http:// 127.0.0.1",
            "127.0.0.1:5000",
            "http://",
        ] {
            assert!(endpoint("endpoint", bad).is_some(), "{bad}");
        }
        for good in [
            "http://127.0.0.1:5000",
            "https://vpc-lattice.us-east-1.amazonaws.com",
            "http://[::1]:8080/",
            "http://localhost:4566",
        ] {
            assert_eq!(endpoint("endpoint", good), None, "{good}");
        }
    }
}
