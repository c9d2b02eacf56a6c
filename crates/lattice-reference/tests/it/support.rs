//! Test support: a raw HTTP client that signs with `aws-sigv4` (the real AWS signer, so the
//! endpoint's verifier is checked against it), and fixtures for services, networks, RAM shares
//! and associations.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use lattice_reference::{Config, ReferenceEndpoint, TestPrincipal};
use lattice_spec::operations::encode_label;
use lattice_spec::Operation;
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// A response, with its body parsed as JSON when it is JSON.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) json: Value,
}

impl Resp {
    /// The `x-amzn-ErrorType` header, if any.
    pub(crate) fn error_type(&self) -> Option<String> {
        self.headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// `STATUS ErrorType` (or `STATUS -`): the usual thing to compare.
    pub(crate) fn outcome(&self) -> String {
        format!(
            "{} {}",
            self.status,
            self.error_type().unwrap_or_else(|| "-".into())
        )
    }

    /// A string member at a JSON pointer (`""` when absent).
    pub(crate) fn s(&self, pointer: &str) -> String {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    /// The `Content-Type` header.
    pub(crate) fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

/// How to sign a request (the defaults sign correctly).
#[derive(Debug, Clone, Default)]
pub(crate) struct Signing {
    /// Send no signature at all.
    pub(crate) unsigned: bool,
    /// Sign for this service instead of the path's own.
    pub(crate) service: Option<String>,
    /// Sign with this secret instead of the principal's.
    pub(crate) secret: Option<String>,
    /// Sign with this access key instead of the principal's.
    pub(crate) access_key: Option<String>,
    /// Sign for this region.
    pub(crate) region: Option<String>,
    /// Replace the body after signing.
    pub(crate) tamper_body: Option<Vec<u8>>,
    /// Sign with temporary credentials carrying this session token.
    pub(crate) session_token: Option<String>,
    /// Sign at this time instead of now.
    pub(crate) time: Option<SystemTime>,
    /// Send (and sign) `x-amz-content-sha256` with the hash of the body signed.
    pub(crate) content_sha256: bool,
    /// Leave `host` out of `SignedHeaders`.
    pub(crate) unsigned_host: bool,
}

/// A signing client for one principal.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) principal: TestPrincipal,
    pub(crate) region: String,
}

static NAMES: AtomicUsize = AtomicUsize::new(0);

/// A fresh resource name (names must be unique per account).
pub(crate) fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", NAMES.fetch_add(1, Ordering::SeqCst))
}

/// Whether a path is one of AWS RAM's (signed for `ram`).
fn is_ram_path(path: &str) -> bool {
    Operation::ALL
        .iter()
        .any(|op| op.is_ram() && op.path_template() == path)
}

/// The official botocore model of a service in `specs/upstream/` (`vpc-lattice-2022-11-30` or
/// `ram-2018-01-04`).
pub(crate) fn model(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs/upstream")
        .join(format!("{name}.service-2.json"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the model is JSON")
}

impl Client {
    /// The endpoint's `HOST:PORT`, for raw connections.
    pub(crate) fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// The account id.
    pub(crate) fn account(&self) -> &str {
        &self.principal.account
    }

    /// Sends a signed request (`path` may carry a query string).
    pub(crate) async fn send(&self, method: &str, path: &str, body: Option<&[u8]>) -> Resp {
        self.send_with(method, path, body, &Signing::default())
            .await
    }

    /// Sends a request signed as `signing` says.
    pub(crate) async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        signing: &Signing,
    ) -> Resp {
        // Signed as it goes on the wire: the HTTP client resolves dot segments (`//..`) before
        // sending, so the signature must cover the resolved path.
        let raw = format!("{}{path}", self.base);
        let url = reqwest::Url::parse(&raw).map_or(raw, String::from);
        let body = body.unwrap_or_default();
        let mut headers: Vec<(String, String)> = Vec::new();
        if !body.is_empty() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        if !signing.unsigned {
            let signed = self.sign(method, &url, &headers, SignableBody::Bytes(body), signing);
            headers.extend(signed);
        }
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, &url);
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        let sent = signing.tamper_body.clone().unwrap_or_else(|| body.to_vec());
        let resp = req
            .body(sent)
            .send()
            .await
            .expect("request reaches the endpoint");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            json,
        }
    }

    /// The SigV4 headers for a request to `url` with these headers and body, signed as
    /// `signing` says.
    pub(crate) fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: SignableBody<'_>,
        signing: &Signing,
    ) -> Vec<(String, String)> {
        let parsed = reqwest::Url::parse(url).expect("url");
        let bare_path = parsed.path();
        let service = signing.service.clone().unwrap_or_else(|| {
            if is_ram_path(bare_path) {
                "ram".into()
            } else {
                "vpc-lattice".into()
            }
        });
        let identity: Identity = Credentials::new(
            signing
                .access_key
                .clone()
                .unwrap_or_else(|| self.principal.access_key.clone()),
            signing
                .secret
                .clone()
                .unwrap_or_else(|| self.principal.secret_key.clone()),
            signing.session_token.clone(),
            None,
            "test",
        )
        .into();
        let region = signing
            .region
            .clone()
            .unwrap_or_else(|| self.region.clone());
        let mut settings = SigningSettings::default();
        if signing.content_sha256 {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        if signing.unsigned_host {
            settings
                .excluded_headers
                .get_or_insert_with(Vec::new)
                .push("host".into());
        }
        let params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name(&service)
            .time(signing.time.unwrap_or_else(SystemTime::now))
            .settings(settings)
            .build()
            .expect("signing params")
            .into();
        let signable = SignableRequest::new(
            method,
            url,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            body,
        )
        .expect("signable request");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// A correctly signed request head (up to its blank line) for a raw connection: `Host`,
    /// `headers` (lower-case names) and the signature over them and `body`.
    pub(crate) fn signed_head(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: SignableBody<'_>,
    ) -> String {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let url = format!("{}{path}", self.base);
        let signed = self.sign(method, &url, &headers, body, &Signing::default());
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr());
        for (k, v) in headers.iter().chain(&signed) {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head + "\r\n"
    }

    /// POSTs a JSON body.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send("POST", path, Some(body.to_string().as_bytes()))
            .await
    }

    /// Creates a service network; returns its (id, arn).
    pub(crate) async fn network(&self) -> (String, String) {
        let r = self
            .post("/servicenetworks", &json!({ "name": unique("net") }))
            .await;
        assert_eq!(r.status, 201, "CreateServiceNetwork: {:?}", r.json);
        (r.s("/id"), r.s("/arn"))
    }

    /// Creates a service; returns its (id, arn).
    pub(crate) async fn service(&self) -> (String, String) {
        let r = self
            .post("/services", &json!({ "name": unique("service") }))
            .await;
        assert_eq!(r.status, 201, "CreateService: {:?}", r.json);
        (r.s("/id"), r.s("/arn"))
    }

    /// Shares resources with `peer` through RAM and has the peer accept; returns the share ARN.
    pub(crate) async fn share(&self, resource_arns: &[&str], peer: &Client) -> String {
        let (share_arn, invitation) = self.invite(resource_arns, peer).await;
        let accepted = peer
            .post(
                "/acceptresourceshareinvitation",
                &json!({ "resourceShareInvitationArn": invitation }),
            )
            .await;
        assert_eq!(
            accepted.s("/resourceShareInvitation/status"),
            "ACCEPTED",
            "{:?}",
            accepted.json
        );
        share_arn
    }

    /// Creates a RAM share of `resource_arns` with `peer`, leaving the invitation pending;
    /// returns the share ARN and the invitation ARN.
    pub(crate) async fn invite(&self, resource_arns: &[&str], peer: &Client) -> (String, String) {
        let r = self
            .post(
                "/createresourceshare",
                &json!({ "name": unique("share"), "resourceArns": resource_arns, "principals": [peer.account()] }),
            )
            .await;
        assert_eq!(r.status, 200, "CreateResourceShare: {:?}", r.json);
        let share_arn = r.s("/resourceShare/resourceShareArn");
        let invitations = peer
            .post(
                "/getresourceshareinvitations",
                &json!({ "resourceShareArns": [share_arn] }),
            )
            .await;
        let invitation = invitations.s("/resourceShareInvitations/0/resourceShareInvitationArn");
        (share_arn, invitation)
    }

    /// Deletes a RAM share.
    pub(crate) async fn unshare(&self, share_arn: &str) -> Resp {
        self.send(
            "DELETE",
            &format!(
                "/deleteresourceshare?resourceShareArn={}",
                encode_label(share_arn)
            ),
            None,
        )
        .await
    }

    /// Creates an association.
    pub(crate) async fn associate(
        &self,
        service: &str,
        network: &str,
        token: Option<&str>,
    ) -> Resp {
        let mut body = json!({ "serviceIdentifier": service, "serviceNetworkIdentifier": network });
        if let Some(t) = token {
            body["clientToken"] = json!(t);
        }
        self.post("/servicenetworkserviceassociations", &body).await
    }

    /// Creates an association from a raw JSON body.
    pub(crate) async fn associate_body(&self, body: &Value) -> Resp {
        self.post("/servicenetworkserviceassociations", body).await
    }

    /// Gets an association by id or ARN.
    pub(crate) async fn get_association(&self, ident: &str) -> Resp {
        self.send(
            "GET",
            &format!("/servicenetworkserviceassociations/{}", encode_label(ident)),
            None,
        )
        .await
    }

    /// Deletes an association by id or ARN.
    pub(crate) async fn delete_association(&self, ident: &str) -> Resp {
        self.send(
            "DELETE",
            &format!("/servicenetworkserviceassociations/{}", encode_label(ident)),
            None,
        )
        .await
    }

    /// Lists associations with a raw query string.
    pub(crate) async fn list(&self, query: &str) -> Resp {
        self.send(
            "GET",
            &format!("/servicenetworkserviceassociations?{query}"),
            None,
        )
        .await
    }

    /// Deletes a service by id or ARN.
    pub(crate) async fn delete_service(&self, ident: &str) -> Resp {
        self.send(
            "DELETE",
            &format!("/services/{}", encode_label(ident)),
            None,
        )
        .await
    }

    /// Lists the associations on a service network (`ListServiceNetworkServiceAssociations`
    /// filtered by `serviceNetworkIdentifier`).
    pub(crate) async fn list_on(&self, network: &str) -> Resp {
        self.list(&format!("serviceNetworkIdentifier={network}"))
            .await
    }

    /// Lists service networks (`ListServiceNetworks`) with a raw query string.
    pub(crate) async fn list_networks(&self, query: &str) -> Resp {
        self.send("GET", &format!("/servicenetworks?{query}"), None)
            .await
    }

    /// Lists services (`ListServices`) with a raw query string.
    pub(crate) async fn list_services(&self, query: &str) -> Resp {
        self.send("GET", &format!("/services?{query}"), None).await
    }

    /// Lists the tags of a resource.
    pub(crate) async fn tags_of(&self, arn: &str) -> Resp {
        self.send("GET", &format!("/tags/{}", encode_label(arn)), None)
            .await
    }
}

/// A response read off a raw connection.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

/// Reads one response (head and `Content-Length` body); `None` when the connection ends first.
pub(crate) async fn read_response(stream: &mut TcpStream) -> Option<RawResponse> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = Duration::from_secs(20);
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                return Some(RawResponse { status, head, body });
            }
        }
        match tokio::time::timeout(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
}

/// A running endpoint with a client per built-in principal.
pub(crate) struct Fixture {
    pub(crate) endpoint: ReferenceEndpoint,
    pub(crate) owner: Client,
    pub(crate) peer: Client,
    pub(crate) outsider: Client,
}

impl Fixture {
    /// Starts an endpoint with this configuration.
    pub(crate) async fn start(config: Config) -> Fixture {
        let endpoint = ReferenceEndpoint::start(config).await;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(32)
            .build()
            .expect("http client");
        let client = |name: &str| Client {
            http: http.clone(),
            base: endpoint.url(),
            principal: endpoint
                .config()
                .principal(name)
                .expect("built-in principal")
                .clone(),
            region: endpoint.config().region.clone(),
        };
        let (owner, peer, outsider) = (client("owner"), client("peer"), client("outsider"));
        Fixture {
            endpoint,
            owner,
            peer,
            outsider,
        }
    }

    /// Starts a conformant endpoint with the default configuration.
    pub(crate) async fn correct() -> Fixture {
        Self::start(Config::default()).await
    }

    /// Starts a conformant endpoint with a transition delay.
    pub(crate) async fn with_delay(delay: Duration) -> Fixture {
        Self::start(Config {
            transition_delay: delay,
            ..Config::default()
        })
        .await
    }
}

/// The owner's service and network: (service id, network id).
pub(crate) async fn pair(f: &Fixture) -> (String, String) {
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    (svc, sn)
}

/// Waits (at most `budget`) until the owner's association `id` reads ACTIVE.
pub(crate) async fn until_active(f: &Fixture, id: &str, budget: Duration) -> bool {
    eventually(budget, || async {
        f.owner.get_association(id).await.s("/status") == "ACTIVE"
    })
    .await
}

/// A create by the owner of a fresh pair with these tags: its outcome.
pub(crate) async fn with_tags(f: &Fixture, tags: Value) -> String {
    let (svc, sn) = pair(f).await;
    f.owner
        .associate_body(
            &json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": tags }),
        )
        .await
        .outcome()
}

/// A CreateServiceNetwork by the owner signed as `signing` says: its outcome.
pub(crate) async fn create_network_signed(f: &Fixture, signing: Signing) -> String {
    let body = json!({ "name": unique("net") }).to_string();
    f.owner
        .send_with("POST", "/servicenetworks", Some(body.as_bytes()), &signing)
        .await
        .outcome()
}

/// A CreateServiceNetwork by the owner signed over its body with a signed
/// `x-amz-content-sha256`, then sent with one space appended: its outcome.
pub(crate) async fn create_network_body_altered(f: &Fixture) -> String {
    let body = json!({ "name": unique("net") }).to_string();
    let signing = Signing {
        content_sha256: true,
        tamper_body: Some(format!("{body} ").into_bytes()),
        ..Signing::default()
    };
    f.owner
        .send_with("POST", "/servicenetworks", Some(body.as_bytes()), &signing)
        .await
        .outcome()
}

impl Signing {
    /// Signed with a wrong secret key.
    pub(crate) fn wrong_secret() -> Self {
        Signing {
            secret: Some("wrong".into()),
            ..Signing::default()
        }
    }

    /// Signed with an access key the endpoint does not know.
    pub(crate) fn unknown_key() -> Self {
        Signing {
            access_key: Some("AKIDNOBODY0000000000".into()),
            ..Signing::default()
        }
    }

    /// Signed correctly 20 minutes ago (outside the 5-minute window).
    pub(crate) fn stale() -> Self {
        Signing {
            time: Some(SystemTime::now() - Duration::from_secs(20 * 60)),
            ..Signing::default()
        }
    }

    /// Signed correctly except that `SignedHeaders` leaves out `host`.
    pub(crate) fn unsigned_host() -> Self {
        Signing {
            unsigned_host: true,
            ..Signing::default()
        }
    }
}

/// The owner reuses token `t1` for another service on the same network: the second answer.
pub(crate) async fn token_reused(f: &Fixture) -> Resp {
    let (svc, sn) = pair(f).await;
    let (svc2, _) = f.owner.service().await;
    f.owner.associate(&svc, &sn, Some("t1")).await;
    f.owner.associate(&svc2, &sn, Some("t1")).await
}

/// The peer associates the owner's service and network, both shared with it.
pub(crate) async fn both_shared(f: &Fixture) -> Resp {
    let (_, sn_arn) = f.owner.network().await;
    let (_, svc_arn) = f.owner.service().await;
    f.owner.share(&[&sn_arn, &svc_arn], &f.peer).await;
    f.peer.associate(&svc_arn, &sn_arn, None).await
}

/// The peer associates its service with the owner's network, never shared with it.
pub(crate) async fn never_shared(f: &Fixture) -> Resp {
    let (_, sn_arn) = f.owner.network().await;
    let (psvc, _) = f.peer.service().await;
    f.peer.associate(&psvc, &sn_arn, None).await
}

/// The peer associates its service with the owner's network after its share was deleted.
pub(crate) async fn after_unshare(f: &Fixture) -> Resp {
    let (_, sn_arn) = f.owner.network().await;
    let share = f.owner.share(&[&sn_arn], &f.peer).await;
    f.owner.unshare(&share).await;
    let (psvc, _) = f.peer.service().await;
    f.peer.associate(&psvc, &sn_arn, None).await
}

/// A create naming a service that does not exist, with the owner's network.
pub(crate) async fn missing_service(f: &Fixture) -> Resp {
    let (_, sn) = pair(f).await;
    f.owner.associate("svc-0123456789abcdef0", &sn, None).await
}

/// Whether `s` is an association id of the model's pattern.
pub(crate) fn is_association_id(s: &str) -> bool {
    s.strip_prefix("snsa-").is_some_and(|rest| {
        rest.len() == 17
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// Waits until `f` returns true or `budget` runs out; returns whether it did.
pub(crate) async fn eventually<F, Fut>(budget: Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + budget;
    loop {
        if f().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
