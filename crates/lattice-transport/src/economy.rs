//! The fixture economy of a live run ([`Economy`]): instead of a fresh service and service
//! network for every case, each principal keeps a small pool (one service network, and a few
//! services for the owner, one for the others) shared by the checks. A "fresh pair" is a pooled
//! service not handed out since the last release, with the principal's pooled network; a check
//! that needs more gets extras (a second network, a service of its own to delete or to catch in
//! `CREATE_IN_PROGRESS`). A release (between checks, or when the pool runs dry) deletes every
//! association and every extra the run made since the last one and hands the pool out afresh, so
//! that a live account never holds more than a few services and networks at once.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use lattice_checks::Exchange;
use lattice_spec::Role;

use crate::fixtures::{CreatedResource, Fixtures, Kind, SetupError};

/// How a live run economises on resources (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Economy {
    /// Services in the owner's pool (the peer's and the outsider's hold one each).
    pub owner_services: usize,
    /// The first pause between two polls of a status (doubling up to 2 s): on a live target,
    /// polling faster than its transitions only spends requests.
    pub first_poll: Duration,
}

impl Economy {
    /// The economy of a live run: 7 pooled services for the owner, so that with the one each
    /// other principal pools and the extras a check may hold (3 services caught in
    /// `CREATE_IN_PROGRESS` and 1 to delete), at most 12 services and 3 service networks
    /// exist at once; polls start 1 s apart.
    pub const LIVE: Economy = Economy {
        owner_services: 7,
        first_poll: Duration::from_secs(1),
    };

    /// The economy with another first poll pause.
    pub fn with_first_poll(self, first_poll: Duration) -> Self {
        Self { first_poll, ..self }
    }

    fn services_of(&self, principal: Role) -> usize {
        if principal == Role::Owner {
            self.owner_services
        } else {
            1
        }
    }
}

/// What the economy keeps: each principal's pooled services and network, and what has been
/// handed out since the last release.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    services: BTreeMap<Role, Vec<CreatedResource>>,
    networks: BTreeMap<Role, CreatedResource>,
    /// Pooled services handed out since the last release.
    leased: BTreeSet<String>,
    /// Principals whose pooled network was handed out since the last release.
    networks_handed: BTreeSet<Role>,
    /// Releases so far.
    pub(crate) releases: usize,
}

impl Pool {
    fn is_pooled(&self, id: &str) -> bool {
        self.networks.values().any(|n| n.id == id)
            || self.services.values().flatten().any(|s| s.id == id)
    }

    fn free_service(&mut self, principal: Role) -> Option<CreatedResource> {
        let free = self
            .services
            .get(&principal)?
            .iter()
            .find(|s| !self.leased.contains(&s.id))?
            .clone();
        self.leased.insert(free.id.clone());
        Some(free)
    }
}

impl Fixtures {
    /// A pooled service of `principal` not handed out since the last release (created when the
    /// pool still has room; after a release when it has none).
    pub(crate) async fn pooled_service(
        &self,
        economy: Economy,
        principal: Role,
    ) -> Result<CreatedResource, SetupError> {
        for _ in 0..2 {
            let (free, room) = {
                let mut pool = self.pool();
                let free = pool.free_service(principal);
                let have = pool.services.get(&principal).map_or(0, Vec::len);
                (free, have < economy.services_of(principal))
            };
            if let Some(s) = free {
                return Ok(s);
            }
            if room {
                let new = self.fresh_service(principal).await?;
                let mut pool = self.pool();
                pool.leased.insert(new.id.clone());
                pool.services
                    .entry(principal)
                    .or_default()
                    .push(new.clone());
                return Ok(new);
            }
            self.release().await;
        }
        Err(self.pool_dry(principal))
    }

    /// The pooled network of `principal` the first time it is asked for since the last
    /// release (`for_pair`: for a pair, which may always share it), an extra one otherwise.
    pub(crate) async fn pooled_network(
        &self,
        principal: Role,
        for_pair: bool,
    ) -> Result<CreatedResource, SetupError> {
        let pooled = {
            let mut pool = self.pool();
            let first = pool.networks_handed.insert(principal);
            match pool.networks.get(&principal) {
                Some(n) if first || for_pair => return Ok(n.clone()),
                Some(_) => false,
                None => true,
            }
        };
        let network = self.fresh_network(principal).await?;
        if pooled {
            self.pool().networks.insert(principal, network.clone());
        }
        Ok(network)
    }

    /// Deletes every association and every extra (service, network, RAM share) made since the
    /// last release, the associations first (all deletes sent, then each waited for until it is
    /// gone), and hands the whole pool out afresh. Returns what could not be deleted (it stays
    /// tracked, for cleanup to try again).
    pub async fn release(&self) -> Vec<lattice_checks::Leak> {
        let Some(economy) = self.economy() else {
            return vec![];
        };
        let doomed: Vec<CreatedResource> = {
            let mut pool = self.pool();
            pool.leased.clear();
            pool.networks_handed.clear();
            pool.releases += 1;
            let created = self.created_now();
            created
                .into_iter()
                .filter(|r| !pool.is_pooled(&r.id))
                .collect()
        };
        let (associations, rest): (Vec<_>, Vec<_>) = doomed
            .into_iter()
            .partition(|r| r.kind == Kind::Association);
        let mut leaks = Vec::new();
        let deleted = self.delete_all(&associations).await;
        if !deleted.is_empty() {
            tokio::time::sleep(economy.first_poll).await;
        }
        for res in &deleted {
            let (_, gone) = self
                .poll_association(
                    res.principal,
                    &res.id,
                    self.status_budget(),
                    lattice_checks::wait::until_gone,
                )
                .await;
            if gone {
                self.forget(res);
            }
        }
        for res in rest.iter().rev() {
            match self.delete(res, self.status_budget()).await {
                None => self.forget(res),
                Some(leak) => leaks.push(leak),
            }
        }
        // A network being deleted still counts against the account's quota: the next check
        // starts once the extras are gone.
        for res in rest.iter().filter(|r| r.kind == Kind::Network) {
            self.until_gone(res).await;
        }
        leaks
    }

    /// Sends the Delete of every association, oldest first; one refused while it is still
    /// `CREATE_IN_PROGRESS` is sent again after a pause (doubling) before the next one (those
    /// after it are younger: waiting for it is waiting for them). Returns those whose Delete
    /// was accepted.
    async fn delete_all(&self, associations: &[CreatedResource]) -> Vec<CreatedResource> {
        let first = self.economy().map_or(Duration::ZERO, |e| e.first_poll);
        let mut accepted = Vec::new();
        for res in associations {
            let start = std::time::Instant::now();
            let mut pause = first;
            loop {
                match self.send_delete(res).await {
                    Some(s) if (200..300).contains(&s) => accepted.push(res.clone()),
                    Some(404) => self.forget(res),
                    Some(409) if start.elapsed() + pause <= self.status_budget() => {
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(Duration::from_secs(2));
                        continue;
                    }
                    _ => {}
                }
                break;
            }
        }
        accepted
    }

    /// Polls GetServiceNetwork (or GetService) until it answers 404, within the status timeout.
    async fn until_gone(&self, res: &CreatedResource) {
        let op = match res.kind {
            Kind::Network => lattice_spec::Operation::GetServiceNetwork,
            _ => lattice_spec::Operation::GetService,
        };
        let start = std::time::Instant::now();
        let mut pause = self.economy().map_or(Duration::ZERO, |e| e.first_poll);
        loop {
            let call = crate::driver::ApiCall::labelled(op, res.principal, &res.id);
            let e = self.driver().send(&call).await;
            let gone = e.ok().is_none_or(|r| r.status == 404);
            if gone || start.elapsed() + pause > self.status_budget() {
                return;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }

    fn pool_dry(&self, principal: Role) -> SetupError {
        let e = Exchange::from(lattice_checks::ExchangeParts {
            request: lattice_checks::RecordedRequest {
                operation: "CreateService".into(),
                principal: principal.as_str().into(),
                method: String::new(),
                path: String::new(),
                body: String::new(),
                signing: String::new(),
            },
            response: Err(lattice_checks::TransportFailure::Broken(
                "the fixture pool is spent".into(),
            )),
        });
        SetupError {
            what: "a pooled service (every one is held and a release freed none)".into(),
            exchange: Box::new(e),
        }
    }
}
