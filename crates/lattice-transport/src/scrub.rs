//! Scrubbing: the run's own secrets never leave the process, even when an endpoint sends them
//! back. Every response is scrubbed as it is recorded (status line, headers, body), before any
//! check, report, journal line or console message can see it.
//!
//! What is scrubbed: every principal's secret access key and session token (as written,
//! percent-encoded, and inside JSON strings whatever their escapes: `\/`, `\u002b`, …), the signature of
//! the request the response answers, and every `Signature=` followed by hex digits (a signature
//! of any other request). Each becomes `[redacted]`. Access key ids are not secret (they say who
//! signed) and are kept.

use crate::credentials::Credentials;

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not scrubbed (they would match ordinary text); no AWS secret
/// key (40 characters) or session token is this short.
const SHORTEST_SECRET: usize = 8;

/// The secrets of one run.
#[derive(Clone, Default)]
pub struct Scrubber {
    /// Every spelling of every secret, longest first (so that no shorter one cuts a longer).
    needles: Vec<String>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} spellings)", self.needles.len())
    }
}

impl Scrubber {
    /// A scrubber for these principals' credentials.
    pub fn new<'a>(credentials: impl IntoIterator<Item = &'a Credentials>) -> Self {
        let mut s = Self::default();
        for c in credentials {
            s.add(c.secret_access_key.expose());
            if let Some(t) = &c.session_token {
                s.add(t.expose());
            }
        }
        s
    }

    /// Adds a secret (and its JSON-escaped spellings).
    pub fn add(&mut self, secret: &str) {
        if secret.len() < SHORTEST_SECRET {
            return;
        }
        for spelling in spellings(secret) {
            if !self.needles.contains(&spelling) {
                self.needles.push(spelling);
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// This scrubber and the signature of one request (from its `Authorization` value).
    pub fn with_request(&self, authorization: Option<&str>) -> Scrubber {
        let mut s = self.clone();
        if let Some(sig) = authorization.and_then(signature_of) {
            s.add(sig);
        }
        s
    }

    /// `text` without any secret.
    pub fn scrub(&self, text: &str) -> String {
        let raw = self.scrub_raw(text);
        let out = if raw.contains('\\') {
            scrub_json(self, &raw).unwrap_or(raw)
        } else {
            raw
        };
        scrub_signatures(&out)
    }

    fn scrub_raw(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), REDACTED);
            }
        }
        out
    }

    /// Whether `text` holds a secret (used by tests and by the journal's own check).
    pub fn finds_secret(&self, text: &str) -> bool {
        self.scrub(text) != text
    }
}

/// The signature of an `Authorization` header value.
fn signature_of(authorization: &str) -> Option<&str> {
    let (_, rest) = authorization.split_once("Signature=")?;
    let sig = rest.split([',', ' ']).next()?;
    (!sig.is_empty()).then_some(sig)
}

/// The spellings a secret may have as raw text: as is and percent-encoded. (JSON escapes of any
/// character are handled by decoding, in [`scrub_json`].)
fn spellings(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_owned(), percent_encode(secret)];
    out.dedup();
    out
}

/// A JSON text whose strings (decoded: `\/`, `\u002b` and every other escape) hold a secret,
/// with those strings scrubbed and the text written anew; `None` when it is not JSON or holds
/// none (then it is left byte for byte).
fn scrub_json(s: &Scrubber, text: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut found = false;
    scrub_value(s, &mut value, &mut found);
    found.then(|| value.to_string())
}

fn scrub_value(s: &Scrubber, value: &mut serde_json::Value, found: &mut bool) {
    use serde_json::Value;
    match value {
        Value::String(text) if s.needles.iter().any(|n| text.contains(n.as_str())) => {
            *text = s.scrub_raw(text);
            *found = true;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub_value(s, v, found)),
        Value::Object(map) => {
            if map
                .keys()
                .any(|k| s.needles.iter().any(|n| k.contains(n.as_str())))
            {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (s.scrub_raw(&k), v))
                    .collect();
                *found = true;
            }
            map.values_mut().for_each(|v| scrub_value(s, v, found));
        }
        _ => {}
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Replaces the hex digits after every `Signature=` (any request's signature).
fn scrub_signatures(text: &str) -> String {
    const KEY: &str = "Signature=";
    if !text.contains(KEY) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        let hex = tail
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(tail.len());
        if hex > 0 {
            out.push_str(REDACTED);
        }
        rest = &tail[hex..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "AKIAEXAMPLE000000000".into(),
            secret_access_key: Secret::new("wJalr/XUtnFEMI+K7MDENG=bPxRfiCYEXAMPLEKEY"),
            session_token: Some(Secret::new("IQoJb3JpZ2luX2VjEPT//////////token+x=")),
        }
    }

    #[test]
    fn secrets_are_scrubbed_in_every_spelling() {
        let c = creds();
        let s = Scrubber::new([&c]);
        let secret = c.secret_access_key.expose();
        let token = c.session_token.as_ref().unwrap().expose();
        for text in [
            format!("echo {secret} back"),
            serde_json::json!({ "m": secret }).to_string(),
            format!("{{\"m\":\"{}\"}}", secret.replace('/', "\\/")),
            format!("{{\"m\":\"{}\"}}", secret.replace('+', "\\u002b")),
            format!("{{\"m\":\"{}\"}}", secret.replace('+', "\\u002B")),
            format!("{{\"m\":\"\\u0077{}\"}}", &secret[1..]),
            format!("{{\"{secret}\":[1]}}"),
            format!("x-amz-security-token: {token}"),
            format!("?t={}", percent_encode(token)),
        ] {
            let out = s.scrub(&text);
            assert!(out.contains(REDACTED), "{text} → {out}");
            assert!(!s.finds_secret(&out), "{text} → {out}");
            assert!(
                !out.contains("EXAMPLEKEY") && !out.contains("token+x"),
                "{out}"
            );
        }
        assert!(s.finds_secret(secret));
        assert_eq!(
            s.scrub("AKIAEXAMPLE000000000 signed"),
            "AKIAEXAMPLE000000000 signed"
        );
    }

    #[test]
    fn signatures_are_scrubbed_with_and_without_their_key() {
        let sig = "0123456789abcdef".repeat(4);
        let auth = format!("AWS4-HMAC-SHA256 Credential=AKIA/20261207/us-east-1/vpc-lattice/aws4_request, SignedHeaders=host, Signature={sig}");
        let s = Scrubber::default().with_request(Some(&auth));
        let out = s.scrub(&format!("{{\"auth\":\"{auth}\",\"sig\":\"{sig}\"}}"));
        assert!(!out.contains(&sig), "{out}");
        assert!(out.contains("Credential=AKIA/20261207"), "{out}");
        // Another request's signature, behind its key.
        let other = "f".repeat(64);
        let out = Scrubber::default().scrub(&format!("Signature={other}, x"));
        assert_eq!(out, "Signature=[redacted], x");
        assert_eq!(Scrubber::default().scrub("Signature="), "Signature=");
    }

    #[test]
    fn short_secrets_and_debug_reveal_nothing() {
        let mut s = Scrubber::default();
        s.add("abc");
        assert_eq!(s.scrub("abc abc"), "abc abc");
        let s = Scrubber::new([&creds()]);
        assert!(!format!("{s:?}").contains("EXAMPLE"));
    }
}
