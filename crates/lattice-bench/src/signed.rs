//! Signed requests built ahead of time (the bare loop of part 1) or just before sending (the
//! request mix of part 3), with the harness's own SigV4 function over the exact body bytes.

use std::time::{Duration, SystemTime};

use anyhow::{anyhow, Context};
use lattice_transport::credentials::{Credentials, Secret};
use lattice_transport::driver::{host_of, sigv4_headers};

/// Who signs: keys, region, and extra headers sent unsigned (as the driver does, for example
/// moto's `x-moto-account-id`).
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    /// The credentials.
    pub(crate) credentials: Credentials,
    /// The signing region.
    pub(crate) region: String,
    /// Extra headers, sent unsigned.
    pub(crate) headers: Vec<(String, String)>,
}

impl Signer {
    /// A signer for static keys.
    pub(crate) fn new(access_key: &str, secret: &str, region: &str) -> Self {
        Self {
            credentials: Credentials {
                access_key_id: access_key.to_owned(),
                secret_access_key: Secret::new(secret.to_owned()),
                session_token: None,
            },
            region: region.to_owned(),
            headers: vec![],
        }
    }

    /// Builds a signed request (`url` already percent-encoded) ready for `Client::execute`.
    pub(crate) fn build(
        &self,
        client: &reqwest::Client,
        method: &str,
        url: &str,
        body: Vec<u8>,
        service: &str,
    ) -> anyhow::Result<reqwest::Request> {
        let mut headers = vec![("host".to_owned(), host_of(url))];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let auth = sigv4_headers(
            method,
            url,
            &headers,
            &body,
            &self.credentials,
            &self.region,
            service,
            SystemTime::now(),
        )
        .map_err(|e| anyhow!("signing `{method} {url}` failed: {e}"))?;
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .with_context(|| format!("bad method `{method}`"))?;
        let mut req = client.request(method, url).body(body);
        for (k, v) in headers
            .iter()
            .filter(|(k, _)| k != "host")
            .chain(auth.iter())
            .chain(self.headers.iter())
        {
            req = req.header(k.as_str(), v.as_str());
        }
        req.build().context("building a request")
    }
}

/// A client configured as the harness's driver configures its own: connect and request
/// timeouts, no redirects, a warm pool (so the bare loop differs from the harness only in what
/// the harness does around each request).
pub(crate) fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(64)
        .build()
        .context("building the HTTP client")
}

/// Sends a request and reads the whole body; returns the status and the body.
pub(crate) async fn send(
    client: &reqwest::Client,
    req: reqwest::Request,
) -> anyhow::Result<(u16, Vec<u8>)> {
    let resp = client.execute(req).await.context("sending")?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await.context("reading the body")?;
    Ok((status, body.to_vec()))
}
