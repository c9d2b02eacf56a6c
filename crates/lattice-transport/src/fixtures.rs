//! Fixtures of one run: a run id, unique names, a run tag on everything created, services
//! (ready to be associated: ACTIVE) and networks per principal, sharing through RAM, and cleanup
//! in reverse order (tolerant of 404) that lists whatever it could not delete as a leak.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize as _;
use serde_json::{json, Value};

use lattice_checks::wait::Poll;
use lattice_checks::Exchange;
use lattice_spec::wire::ram;
use lattice_spec::{LatticeArn, Operation, Role};

use crate::driver::{ApiCall, Driver};

/// The tag key put on every resource a run creates; its value is the run id.
pub const RUN_TAG: &str = "lattice-conformance-run";

/// A resource created by the run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreatedResource {
    /// The id (`svc-…`, `sn-…`, `snsa-…`, or a share ARN).
    pub id: String,
    /// The ARN.
    pub arn: String,
    /// The owning principal (journals written before roles were named hold its index).
    #[serde(deserialize_with = "role_or_index")]
    pub principal: Role,
    /// The kind.
    pub kind: Kind,
}

/// A role by name, or by its index in [`Role::ALL`] (older journals).
fn role_or_index<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Either {
        Name(Role),
        Index(usize),
    }
    match Either::deserialize(d)? {
        Either::Name(r) => Ok(r),
        Either::Index(i) => Role::ALL
            .get(i)
            .copied()
            .ok_or_else(|| serde::de::Error::custom(format!("no principal #{i}"))),
    }
}

impl CreatedResource {
    /// The 12-digit account in the ARN.
    pub fn account(&self) -> Option<String> {
        arn_account(&self.arn)
    }
}

/// The 12-digit account of a VPC Lattice ARN. Lenient about the resource part: the ids of the
/// services and networks a target creates are the target's business (moto's carry hyphens), and
/// only the account is needed here.
pub fn arn_account(arn: &str) -> Option<String> {
    if let Ok(a) = LatticeArn::parse(arn) {
        return Some(a.account);
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "vpc-lattice", _, account, _]
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some((*account).to_owned())
        }
        _ => None,
    }
}

/// Kinds of created things, in creation order (cleanup runs in reverse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A service.
    Service,
    /// A service network.
    Network,
    /// An association.
    Association,
    /// A RAM resource share.
    Share,
}

/// A setup step that did not work: the exchange shows why.
#[derive(Debug, Clone)]
pub struct SetupError {
    /// What was being set up.
    pub what: String,
    /// The exchange that failed.
    pub exchange: Box<Exchange>,
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.exchange.response {
            Ok(r) => write!(
                f,
                "setup `{}` failed: {} {}",
                self.what,
                r.outcome(),
                lattice_checks::shape::preview(&r.body)
            ),
            Err(e) => write!(f, "setup `{}` failed: {e}", self.what),
        }
    }
}

pub use lattice_checks::Leak;

/// What a receiver found of a share's invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Invited {
    /// An invitation, now accepted.
    Accepted,
    /// No invitation (yet, or ever: inside an organisation).
    Nothing,
}

/// The fixtures of one run.
#[derive(Debug)]
pub struct Fixtures {
    driver: Arc<Driver>,
    run_id: String,
    counter: AtomicUsize,
    /// What the run created and cleanup has not yet deleted (or given up on).
    created: Mutex<Vec<CreatedResource>>,
    /// What cleanup gave up on so far.
    leaked: Mutex<Vec<Leak>>,
    accounts: Mutex<BTreeMap<Role, String>>,
    journal: Option<std::path::PathBuf>,
    /// How long a new service may take to become ACTIVE.
    ready_budget: Duration,
    /// The fixture economy of a live run, when it is on.
    economy: Option<crate::economy::Economy>,
    /// The first pause between two polls (without the economy).
    poll: Duration,
    pool: Mutex<crate::economy::Pool>,
}

/// A service just created, with the answer that created it (its status may still be
/// `CREATE_IN_PROGRESS`).
#[derive(Debug, Clone)]
pub struct NewService {
    /// The service.
    pub resource: CreatedResource,
    /// The CreateService exchange.
    pub answer: Exchange,
}

/// Whether a GetService (or CreateService) answer shows the service ready to be associated: a
/// success whose status is not `CREATE_IN_PROGRESS` (a 404 is a read lagging the create).
fn service_ready(e: &Exchange) -> bool {
    status_ok(e) && json_of(e).get("status").and_then(Value::as_str) != Some("CREATE_IN_PROGRESS")
}

fn status_ok(e: &Exchange) -> bool {
    e.ok().is_some_and(|r| r.is_success())
}

fn json_of(e: &Exchange) -> Value {
    e.ok().and_then(|r| r.json()).unwrap_or(Value::Null)
}

impl Fixtures {
    /// Fixtures for a run with this id.
    pub fn new(driver: Arc<Driver>, run_id: &str, known_accounts: BTreeMap<Role, String>) -> Self {
        Self {
            driver,
            run_id: run_id.to_owned(),
            counter: AtomicUsize::new(0),
            created: Mutex::new(Vec::new()),
            leaked: Mutex::new(Vec::new()),
            accounts: Mutex::new(known_accounts),
            journal: None,
            ready_budget: Duration::from_secs(30),
            economy: None,
            poll: Duration::from_millis(20),
            pool: Mutex::new(crate::economy::Pool::default()),
        }
    }

    /// Turns the fixture economy on (see [`crate::economy`]): pooled services and networks,
    /// released between checks.
    pub fn with_economy(mut self, economy: crate::economy::Economy) -> Self {
        self.economy = Some(economy);
        self
    }

    /// Sets the first pause between two polls (without the economy).
    pub fn with_first_poll(mut self, first_poll: Duration) -> Self {
        self.poll = first_poll;
        self
    }

    /// The fixture economy, when it is on.
    pub fn economy(&self) -> Option<crate::economy::Economy> {
        self.economy
    }

    /// Releases so far (see [`Fixtures::release`]).
    pub fn releases(&self) -> usize {
        self.pool().releases
    }

    pub(crate) fn pool(&self) -> std::sync::MutexGuard<'_, crate::economy::Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What the run created and cleanup has not dealt with yet, in creation order.
    pub(crate) fn created_now(&self) -> Vec<CreatedResource> {
        self.created
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets a resource found deleted before the cleanup (a release deleted it).
    pub(crate) fn forget(&self, res: &CreatedResource) {
        self.resolved(res, None);
    }

    /// Forgets an association a check deleted and saw gone: neither a release nor the cleanup
    /// need to delete it again.
    pub fn deleted(&self, id: &str) {
        self.created
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| !(c.kind == Kind::Association && c.id == id));
    }

    /// How long a status may take to change (the run's status timeout).
    pub(crate) fn status_budget(&self) -> Duration {
        self.ready_budget
    }

    /// The first pause between two polls (20 ms, or the economy's).
    fn first_poll(&self) -> Duration {
        self.economy.map_or(self.poll, |e| e.first_poll)
    }

    /// Under the economy, waits one first poll pause before a poll's first request: a status
    /// asked for at once has not changed yet on a live target, and the answer would only spend
    /// a request.
    async fn economise_first_poll(&self) {
        if let Some(e) = self.economy {
            tokio::time::sleep(e.first_poll).await;
        }
    }

    /// A network on which the caller will associate only services of its own making (so it may
    /// carry other associations): under the economy the pooled one, else a fresh one.
    pub async fn any_network(&self, principal: Role) -> Result<CreatedResource, SetupError> {
        match self.economy {
            Some(_) => self.pooled_network(principal, true).await,
            None => self.fresh_network(principal).await,
        }
    }

    /// Sends the Delete of an association; its status, if it was answered.
    pub(crate) async fn send_delete(&self, res: &CreatedResource) -> Option<u16> {
        let call = ApiCall::labelled(
            Operation::DeleteServiceNetworkServiceAssociation,
            res.principal,
            &res.id,
        );
        self.driver.send(&call).await.ok().map(|r| r.status)
    }

    /// Sets how long a new service may take to become ACTIVE (the run's status timeout).
    pub fn with_status_timeout(mut self, budget: Duration) -> Self {
        self.ready_budget = budget;
        self
    }

    /// Journals every created resource to `path` (one JSON line each, written as it is created),
    /// so that an interrupted run can be cleaned up later with `cleanup --run-id`.
    pub fn with_journal(mut self, path: std::path::PathBuf) -> Self {
        self.journal = Some(path);
        self
    }

    /// The journal file, if any.
    pub fn journal(&self) -> Option<&std::path::Path> {
        self.journal.as_deref()
    }

    /// The run id (also the value of the run tag).
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// The driver.
    pub fn driver(&self) -> &Arc<Driver> {
        &self.driver
    }

    /// A unique name for this run: `lc-{run}-{prefix}{n}`.
    pub fn name(&self, prefix: &str) -> String {
        format!(
            "lc-{}-{prefix}{}",
            self.run_id,
            self.counter.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// A token unique to this run: `{run}-{label}-{n}` (reruns never collide with earlier runs).
    pub fn token(&self, label: &str) -> String {
        format!(
            "{}-{label}-{}",
            self.run_id,
            self.counter.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// The account of a principal, once known (from the endpoint, or from a created ARN).
    pub fn account(&self, principal: Role) -> Option<String> {
        self.accounts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&principal)
            .cloned()
    }

    fn learn_account(&self, principal: Role, arn: &str) {
        if let Some(account) = arn_account(arn) {
            let mut acc = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
            acc.entry(principal).or_insert(account);
        }
    }

    /// Records something created outside the fixture helpers (for cleanup).
    pub fn track(&self, resource: CreatedResource) {
        // A replay answers with the association it made before: tracked once.
        let known = self
            .created
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|c| c.id == resource.id && c.kind == resource.kind);
        if known {
            return;
        }
        if let Some(path) = &self.journal {
            let line = serde_json::to_string(&resource).unwrap_or_default();
            let appended = crate::files::append_private(path, format!("{line}\n").as_bytes());
            if let Err(e) = appended {
                eprintln!(
                    "warning: cannot journal `{}` to `{}`: {e}",
                    resource.id,
                    path.display()
                );
            }
        }
        self.created
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(resource);
    }

    /// Records an association from a successful Create exchange (for cleanup).
    pub fn track_association(
        &self,
        principal: Role,
        exchange: &Exchange,
    ) -> Option<CreatedResource> {
        if !status_ok(exchange) {
            return None;
        }
        let body = json_of(exchange);
        let id = body
            .get("id")?
            .as_str()
            .filter(|s| !s.is_empty())?
            .to_owned();
        let arn = body
            .get("arn")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let res = CreatedResource {
            id,
            arn,
            principal,
            kind: Kind::Association,
        };
        self.track(res.clone());
        Some(res)
    }

    fn tags(&self) -> Value {
        json!({ RUN_TAG: self.run_id })
    }

    async fn create(
        &self,
        op: Operation,
        principal: Role,
        prefix: &str,
        kind: Kind,
    ) -> Result<CreatedResource, SetupError> {
        self.create_answered(op, principal, prefix, kind)
            .await
            .map(|(res, _)| res)
    }

    async fn create_answered(
        &self,
        op: Operation,
        principal: Role,
        prefix: &str,
        kind: Kind,
    ) -> Result<(CreatedResource, Exchange), SetupError> {
        let body = json!({
            "name": self.name(prefix),
            "clientToken": self.token(prefix),
            "tags": self.tags(),
        });
        let exchange = self.driver.send(&ApiCall::json(op, principal, &body)).await;
        let v = json_of(&exchange);
        match (
            status_ok(&exchange),
            // A resource without an id cannot be used, or deleted: a failed setup.
            v.get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty()),
            v.get("arn").and_then(Value::as_str),
        ) {
            (true, Some(id), Some(arn)) => {
                let res = CreatedResource {
                    id: id.to_owned(),
                    arn: arn.to_owned(),
                    principal,
                    kind,
                };
                self.learn_account(principal, arn);
                self.track(res.clone());
                Ok((res, exchange))
            }
            _ => Err(SetupError {
                what: op.name().to_owned(),
                exchange: Box::new(exchange),
            }),
        }
    }

    /// Creates a service owned by `principal`, ready to be associated: when CreateService
    /// answers `CREATE_IN_PROGRESS`, GetService is polled until the service is `ACTIVE` (a
    /// Create naming a service still being created is refused: CONFLICT-RESOURCE-CREATING).
    /// Under the economy, a pooled service not handed out since the last release.
    pub async fn service(&self, principal: Role) -> Result<CreatedResource, SetupError> {
        match self.economy {
            Some(economy) => self.pooled_service(economy, principal).await,
            None => self.fresh_service(principal).await,
        }
    }

    /// Creates a service owned by `principal` and waits until it is ready (never pooled).
    pub(crate) async fn fresh_service(
        &self,
        principal: Role,
    ) -> Result<CreatedResource, SetupError> {
        let new = self.new_service(principal).await?;
        self.ready(&new).await
    }

    /// Creates a service owned by `principal` without waiting for it to become `ACTIVE`.
    pub async fn new_service(&self, principal: Role) -> Result<NewService, SetupError> {
        let (resource, answer) = self
            .create_answered(Operation::CreateService, principal, "s", Kind::Service)
            .await?;
        Ok(NewService { resource, answer })
    }

    /// Waits until a new service is `ACTIVE` (GetService, polled through 404 answers, within the
    /// status budget); a service that never gets there is a setup failure.
    pub async fn ready(&self, new: &NewService) -> Result<CreatedResource, SetupError> {
        if service_ready(&new.answer) {
            return Ok(new.resource.clone());
        }
        let start = std::time::Instant::now();
        let mut wait = self.economy.map_or(self.first_poll() / 2, |e| e.first_poll);
        self.economise_first_poll().await;
        loop {
            let get = ApiCall::labelled(
                Operation::GetService,
                new.resource.principal,
                &new.resource.id,
            );
            let e = self.driver.send(&get).await;
            if service_ready(&e) {
                return Ok(new.resource.clone());
            }
            let lagging = e.ok().is_some_and(|r| r.status == 404);
            let creating =
                json_of(&e).get("status").and_then(Value::as_str) == Some("CREATE_IN_PROGRESS");
            if !(lagging || creating) || start.elapsed() + wait > self.ready_budget {
                return Err(SetupError {
                    what: "the service to become ACTIVE".into(),
                    exchange: Box::new(e),
                });
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(2));
        }
    }

    /// Creates a service network owned by `principal`; under the economy, its pooled network
    /// the first time since the last release, an extra one after that.
    pub async fn network(&self, principal: Role) -> Result<CreatedResource, SetupError> {
        match self.economy {
            Some(_) => self.pooled_network(principal, false).await,
            None => self.fresh_network(principal).await,
        }
    }

    /// Creates a service network owned by `principal` (never pooled).
    pub(crate) async fn fresh_network(
        &self,
        principal: Role,
    ) -> Result<CreatedResource, SetupError> {
        self.create(
            Operation::CreateServiceNetwork,
            principal,
            "n",
            Kind::Network,
        )
        .await
    }

    /// A fresh (service, network) pair owned by `principal`, the service ready to be associated
    /// (the network is created while the service becomes ACTIVE).
    pub async fn pair(
        &self,
        principal: Role,
    ) -> Result<(CreatedResource, CreatedResource), SetupError> {
        if let Some(economy) = self.economy {
            let svc = self.pooled_service(economy, principal).await?;
            return Ok((svc, self.pooled_network(principal, true).await?));
        }
        let svc = self.new_service(principal).await?;
        let sn = self.network(principal).await?;
        Ok((self.ready(&svc).await?, sn))
    }

    /// A pair whose service is the caller's to delete: always a new service (under the
    /// economy an extra, with the pooled network).
    pub async fn disposable_pair(
        &self,
        principal: Role,
    ) -> Result<(CreatedResource, CreatedResource), SetupError> {
        if self.economy.is_none() {
            return self.pair(principal).await;
        }
        let svc = self.fresh_service(principal).await?;
        Ok((svc, self.pooled_network(principal, true).await?))
    }

    /// Shares `resource` with `with` through RAM and accepts the invitation as `with` when one
    /// is pending. Returns the share's ARN.
    pub async fn share(
        &self,
        resource: &CreatedResource,
        with: Role,
    ) -> Result<String, SetupError> {
        let account = self.account(with).ok_or_else(|| SetupError {
            what: "RAM share (the peer's account is unknown: it has created nothing yet)".into(),
            exchange: Box::new(Exchange::from(lattice_checks::ExchangeParts {
                request: lattice_checks::RecordedRequest {
                    operation: "CreateResourceShare".into(),
                    principal: String::new(),
                    method: String::new(),
                    path: String::new(),
                    body: String::new(),
                    signing: String::new(),
                },
                response: Err(lattice_checks::TransportFailure::Broken(
                    "no account".into(),
                )),
            })),
        })?;
        let req = ram::CreateResourceShareRequest {
            name: self.name("share"),
            resource_arns: vec![resource.arn.clone()],
            principals: vec![account],
            allow_external_principals: Some(true),
            client_token: Some(self.token("share")),
        };
        let body = serde_json::to_value(&req).unwrap_or(Value::Null);
        let exchange = self
            .driver
            .send(&ApiCall::json(
                Operation::CreateResourceShare,
                resource.principal,
                &body,
            ))
            .await;
        let created: ram::CreateResourceShareResponse =
            serde_json::from_value(json_of(&exchange)).unwrap_or_default();
        let Some(share_arn) = created
            .resource_share
            .and_then(|s| s.resource_share_arn)
            .filter(|_| status_ok(&exchange))
        else {
            return Err(SetupError {
                what: "CreateResourceShare".into(),
                exchange: Box::new(exchange),
            });
        };
        // A share is known by its name (which carries the run id) and its ARN.
        self.track(CreatedResource {
            id: req.name.clone(),
            arn: share_arn.clone(),
            principal: resource.principal,
            kind: Kind::Share,
        });
        // Accept the invitation when one is pending (not needed inside an organisation). Under
        // the economy (a live target), an invitation, and an acceptance, take a moment to
        // arrive: wait for them within the status timeout.
        let start = std::time::Instant::now();
        let mut pause = self.first_poll();
        loop {
            match self.accept_invitation(&share_arn, with).await? {
                Invited::Accepted => break,
                Invited::Nothing if self.economy.is_none() => break,
                Invited::Nothing if self.usable(resource, with).await => break,
                Invited::Nothing => {}
            }
            if start.elapsed() + pause > self.ready_budget {
                break;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
        }
        if self.economy.is_some() {
            self.until_usable(resource, with).await;
        }
        Ok(share_arn)
    }

    /// Accepts, as `with`, the pending invitation of a share, when there is one.
    async fn accept_invitation(&self, share_arn: &str, with: Role) -> Result<Invited, SetupError> {
        let body = serde_json::to_value(ram::GetResourceShareInvitationsRequest {
            resource_share_arns: vec![share_arn.to_owned()],
            resource_share_invitation_arns: vec![],
        })
        .unwrap_or(Value::Null);
        let exchange = self
            .driver
            .send(&ApiCall::json(
                Operation::GetResourceShareInvitations,
                with,
                &body,
            ))
            .await;
        if !status_ok(&exchange) {
            return Err(SetupError {
                what: "GetResourceShareInvitations".into(),
                exchange: Box::new(exchange),
            });
        }
        let invitations: ram::GetResourceShareInvitationsResponse =
            serde_json::from_value(json_of(&exchange)).unwrap_or_default();
        let mut answer = Invited::Nothing;
        for inv in invitations.resource_share_invitations {
            if inv.status.as_deref() == Some("ACCEPTED") {
                answer = Invited::Accepted;
            }
            let (Some("PENDING"), Some(arn)) =
                (inv.status.as_deref(), inv.resource_share_invitation_arn)
            else {
                continue;
            };
            let body = serde_json::to_value(ram::AcceptResourceShareInvitationRequest {
                resource_share_invitation_arn: arn,
                client_token: Some(self.token("accept")),
            })
            .unwrap_or(Value::Null);
            let exchange = self
                .driver
                .send(&ApiCall::json(
                    Operation::AcceptResourceShareInvitation,
                    with,
                    &body,
                ))
                .await;
            if !status_ok(&exchange) {
                return Err(SetupError {
                    what: "AcceptResourceShareInvitation".into(),
                    exchange: Box::new(exchange),
                });
            }
            answer = Invited::Accepted;
        }
        Ok(answer)
    }

    /// Whether `with` can read a shared service or network (GetService or GetServiceNetwork by
    /// ARN answers 200).
    async fn usable(&self, resource: &CreatedResource, with: Role) -> bool {
        let op = match resource.kind {
            Kind::Service => Operation::GetService,
            Kind::Network => Operation::GetServiceNetwork,
            _ => return true,
        };
        let e = self
            .driver
            .send(&ApiCall::labelled(op, with, &resource.arn))
            .await;
        status_ok(&e)
    }

    /// Waits (within the status timeout) until `with` can read a resource shared with it: an
    /// accepted share takes a moment to reach the resource on a live target.
    async fn until_usable(&self, resource: &CreatedResource, with: Role) {
        let start = std::time::Instant::now();
        let mut pause = self.first_poll();
        while !self.usable(resource, with).await {
            if start.elapsed() + pause > self.ready_budget || self.driver.budget_spent() {
                return;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }

    /// Deletes a RAM share (as its owner).
    pub async fn unshare(&self, owner: Role, share_arn: &str) -> Result<(), SetupError> {
        let mut call = ApiCall::json(Operation::DeleteResourceShare, owner, &Value::Null);
        call.body.clear();
        call.query = vec![("resourceShareArn".into(), share_arn.into())];
        let exchange = self.driver.send(&call).await;
        if status_ok(&exchange) {
            Ok(())
        } else {
            Err(SetupError {
                what: "DeleteResourceShare".into(),
                exchange: Box::new(exchange),
            })
        }
    }

    /// Polls Get on an association (see [`Fixtures::poll`]).
    pub async fn poll_association<P: Into<Poll>>(
        &self,
        principal: Role,
        id: &str,
        budget: Duration,
        wait: impl Fn(&Exchange) -> P,
    ) -> (Exchange, bool) {
        let get = ApiCall::labelled(
            Operation::GetServiceNetworkServiceAssociation,
            principal,
            id,
        );
        self.poll(&get, budget, wait).await
    }

    /// Sends `call` again and again with backoff, within `budget`, while `wait` sees the
    /// expected progress ([`Poll::Pending`]; a predicate's `false`): it stops at the end it waits
    /// for ([`Poll::Done`]; `true`), and at once on a decisive answer ([`Poll::Decisive`]: the
    /// wait cannot succeed), a transport failure, a spent budget or a shut gate. Returns the last
    /// exchange and whether the wait reached its end.
    pub async fn poll<P: Into<Poll>>(
        &self,
        call: &ApiCall,
        budget: Duration,
        wait: impl Fn(&Exchange) -> P,
    ) -> (Exchange, bool) {
        let start = std::time::Instant::now();
        let mut pause = self.first_poll();
        self.economise_first_poll().await;
        loop {
            let e = self.driver.send(call).await;
            match wait(&e).into() {
                Poll::Done => return (e, true),
                Poll::Decisive => return (e, false),
                Poll::Pending => {}
            }
            // Stopped by the run's budget, deadline or breaker while the wait still expected
            // progress: the decisive observation was never made, and the last answer (a
            // status still in progress, a read lagging the create) must not be judged as one.
            let cut = if self.driver.budget_spent() {
                Some(lattice_checks::TransportFailure::BudgetSpent)
            } else {
                self.driver.gate().shut()
            };
            if let Some(cut) = cut.filter(|_| e.response.is_ok()) {
                return (Exchange::new(e.request.clone(), Err(cut)), false);
            }
            if start.elapsed() + pause > budget || e.response.is_err() {
                return (e, false);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }

    /// Deletes everything this run created, in reverse order, tolerant of 404; uses the
    /// target's reset hook instead when `reset` is given. On a target without delete operations
    /// (`can_delete` false) and without a working reset hook, every VPC Lattice resource is
    /// reported as a leak without a request. Returns what could not be deleted.
    ///
    /// Progress is kept as it goes: if the cleanup is stopped part way (a second Ctrl-C, the
    /// deadline), [`Fixtures::unresolved`] still lists every leak found and every resource not
    /// yet deleted.
    pub async fn cleanup(
        &self,
        reset: Option<&str>,
        can_delete: bool,
        wait_budget: Duration,
    ) -> Vec<Leak> {
        let created: Vec<CreatedResource> = self
            .created
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(hook) = reset {
            if self.reset(hook).await {
                self.created
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                return self.take_leaked();
            }
        }
        for res in created.iter().rev() {
            let leak = if !can_delete && res.kind != Kind::Share {
                Some(Leak {
                    kind: format!("{:?}", res.kind).to_lowercase(),
                    id: res.id.clone(),
                    reason: match reset {
                        Some(hook) => format!(
                            "the reset hook `{hook}` failed and the target has no delete operations"
                        ),
                        None => "the target has no delete operations (capabilities.delete = false) and no reset hook".into(),
                    },
                })
            } else {
                self.delete_with_orphans(res, &created, wait_budget).await
            };
            self.resolved(res, leak);
        }
        self.take_leaked()
    }

    /// Associations that join a service or network of the run but are not in its journal: created
    /// by a request the run never heard back from (it was interrupted while the request was in
    /// flight). They join the run's own resource, so they are the run's; left, they would block its
    /// deletion with a 409.
    pub async fn orphans(
        &self,
        res: &CreatedResource,
        known: &std::collections::BTreeSet<String>,
    ) -> Vec<CreatedResource> {
        let key = match res.kind {
            Kind::Service => "serviceIdentifier",
            Kind::Network => "serviceNetworkIdentifier",
            _ => return vec![],
        };
        let mut call = ApiCall::labelled(
            Operation::ListServiceNetworkServiceAssociations,
            res.principal,
            "",
        );
        call.query = vec![(key.into(), res.id.clone())];
        let list = self.driver.send(&call).await;
        let items = list
            .ok()
            .and_then(|r| r.json())
            .and_then(|b| b.get("items").and_then(|i| i.as_array()).cloned())
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|item| {
                let id = item.get("id")?.as_str()?;
                (!known.contains(id)).then(|| CreatedResource {
                    id: id.to_owned(),
                    arn: item
                        .get("arn")
                        .and_then(|a| a.as_str())
                        .unwrap_or(id)
                        .to_owned(),
                    principal: res.principal,
                    kind: Kind::Association,
                })
            })
            .collect()
    }

    /// Deletes a resource; a service or network that stays in conflict is cleared of orphan
    /// associations (see [`Fixtures::orphans`]) and deleted once more.
    async fn delete_with_orphans(
        &self,
        res: &CreatedResource,
        known: &[CreatedResource],
        wait_budget: Duration,
    ) -> Option<Leak> {
        let leak = self.delete(res, wait_budget).await?;
        if !leak.reason.starts_with("409") {
            return Some(leak);
        }
        let known: std::collections::BTreeSet<String> =
            known.iter().map(|r| r.id.clone()).collect();
        let orphans = self.orphans(res, &known).await;
        if orphans.is_empty() {
            return Some(leak);
        }
        for orphan in &orphans {
            let _ = self.delete(orphan, wait_budget).await;
        }
        self.delete(res, wait_budget).await
    }

    /// Marks a resource as dealt with by cleanup: deleted (`None`) or leaked.
    fn resolved(&self, res: &CreatedResource, leak: Option<Leak>) {
        let mut created = self.created.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = created.iter().rposition(|c| c == res) {
            created.remove(i);
        }
        if let Some(leak) = leak {
            self.leaked
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(leak);
        }
    }

    fn take_leaked(&self) -> Vec<Leak> {
        std::mem::take(&mut *self.leaked.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Everything not verified deleted: the leaks cleanup found so far, then every resource it
    /// has not dealt with yet (newest first), with `why` as the reason. For a run whose cleanup
    /// was stopped part way.
    pub fn unresolved(&self, why: &str) -> Vec<Leak> {
        let mut leaks = self.take_leaked();
        let created = self.created.lock().unwrap_or_else(|e| e.into_inner());
        leaks.extend(created.iter().rev().map(|res| Leak {
            kind: format!("{:?}", res.kind).to_lowercase(),
            id: match res.kind {
                Kind::Share => res.arn.clone(),
                _ => res.id.clone(),
            },
            reason: why.to_owned(),
        }));
        leaks
    }

    async fn reset(&self, hook: &str) -> bool {
        let (method, path) = hook.split_once(' ').unwrap_or(("POST", hook));
        let url = format!(
            "{}{}",
            self.driver.endpoint_for(Operation::CreateService),
            path.trim()
        );
        let client = reqwest::Client::new();
        let method =
            reqwest::Method::from_bytes(method.trim().as_bytes()).unwrap_or(reqwest::Method::POST);
        matches!(client.request(method, url).timeout(Duration::from_secs(10)).send().await, Ok(r) if r.status().is_success())
    }

    /// Deletes one resource (tolerant of 404; retries conflicts within `wait_budget`); `None`
    /// when it is gone.
    pub async fn delete(&self, res: &CreatedResource, wait_budget: Duration) -> Option<Leak> {
        let (op, label) = match res.kind {
            Kind::Association => (
                Operation::DeleteServiceNetworkServiceAssociation,
                res.id.as_str(),
            ),
            Kind::Service => (Operation::DeleteService, res.id.as_str()),
            Kind::Network => (Operation::DeleteServiceNetwork, res.id.as_str()),
            Kind::Share => {
                return self
                    .unshare(res.principal, &res.arn)
                    .await
                    .err()
                    .and_then(|e| {
                        let gone = e
                            .exchange
                            .ok()
                            .is_some_and(|r| r.status == 404 || r.status == 400);
                        (!gone).then(|| Leak {
                            kind: "share".into(),
                            id: res.arn.clone(),
                            reason: e.to_string(),
                        })
                    });
            }
        };
        // Deletes may conflict while an earlier delete is still in progress: retry within budget.
        let start = std::time::Instant::now();
        let mut wait = Duration::from_millis(50);
        loop {
            let e = self
                .driver
                .send(&ApiCall::labelled(op, res.principal, label))
                .await;
            match e.ok().map(|r| r.status) {
                Some(s) if (200..300).contains(&s) || s == 404 => {
                    if res.kind == Kind::Association && s != 404 {
                        self.poll_association(
                            res.principal,
                            &res.id,
                            wait_budget,
                            lattice_checks::wait::until_gone,
                        )
                        .await;
                    }
                    return None;
                }
                Some(409) if start.elapsed() < wait_budget => tokio::time::sleep(wait).await,
                _ => {
                    let reason = match &e.response {
                        Ok(r) => r.outcome(),
                        Err(t) => t.to_string(),
                    };
                    let kind = format!("{:?}", res.kind).to_lowercase();
                    return Some(Leak {
                        kind,
                        id: res.id.clone(),
                        reason,
                    });
                }
            }
            wait = (wait * 2).min(Duration::from_secs(2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{arn_account, CreatedResource, Kind, Role};

    #[test]
    fn journal_lines_name_the_role_and_older_index_lines_still_read() {
        let line = r#"{"id":"svc-1","arn":"a","principal":"peer","kind":"service"}"#;
        let r: CreatedResource = serde_json::from_str(line).unwrap();
        assert_eq!((r.principal, r.kind), (Role::Peer, Kind::Service));
        assert!(serde_json::to_string(&r)
            .unwrap()
            .contains(r#""principal":"peer""#));
        let old = r#"{"id":"svc-1","arn":"a","principal":2,"kind":"service"}"#;
        let r: CreatedResource = serde_json::from_str(old).unwrap();
        assert_eq!(r.principal, Role::Outsider);
        let bad = r#"{"id":"svc-1","arn":"a","principal":7,"kind":"service"}"#;
        assert!(serde_json::from_str::<CreatedResource>(bad).is_err());
    }

    #[test]
    fn the_account_is_read_from_any_vpc_lattice_arn() {
        let model = "arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0";
        assert_eq!(arn_account(model).as_deref(), Some("111122223333"));
        // moto's ids carry hyphens: not the model's pattern, but the account is still there.
        let moto = "arn:aws:vpc-lattice:us-east-1:111111111111:service/svc-4d874ce6-e0e2-41d";
        assert_eq!(arn_account(moto).as_deref(), Some("111111111111"));
        assert_eq!(
            arn_account("arn:aws:vpc-lattice:us-east-1::service/svc-x"),
            None
        );
        assert_eq!(
            arn_account("arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1"),
            None
        );
    }
}
