//! The checks: each one sets up what it needs, sends requests through the driver, and judges the
//! exchanges with the pure functions of `lattice-checks` against the catalogue's outcomes.
//! Wire-format rules are judged afterwards on every exchange of the run (see `observe`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use lattice_checks::judge::succeeded;
use lattice_checks::wait::Poll;
pub use lattice_checks::{unjudgeable, CaseResult};
use lattice_checks::{Exchange, Verdict};
use lattice_spec::{Check, Operation, Property, Role, RuleId};

use lattice_transport::driver::{ApiCall, Driver};
use lattice_transport::fixtures::{Fixtures, SetupError};
use lattice_transport::profile::Profile;

pub mod concurrency;
pub mod conflict;
pub mod existence;
pub mod idempotency;
pub mod lifecycle;
pub mod neighbours;
pub mod ownership;
pub mod signature;
pub mod snapshot;
pub mod stateful;
pub mod tags;
pub mod validation;

/// ListServiceNetworkServiceAssociations filtered by `key` = `value`.
fn list_call(principal: Role, key: &str, value: &str) -> ApiCall {
    let mut call = ApiCall::labelled(
        Operation::ListServiceNetworkServiceAssociations,
        principal,
        "",
    );
    call.query = vec![(key.into(), value.into())];
    call
}

/// How long a List is polled for a new association on a target that is not live: AWS's own lag
/// is covered by the live targets' full status timeout; an emulator's List that lags at all does
/// so for well under this.
pub const LIST_LAG_PATIENCE: Duration = Duration::from_secs(5);

/// Options of a run that checks read.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Generated cases per property.
    pub cases: u32,
    /// The seed of every generator.
    pub seed: u64,
    /// Requests a failing case may spend shrinking on the endpoint after model shrinking.
    pub shrink_budget: u32,
    /// How long an association may take to become ACTIVE or gone.
    pub status_timeout: Duration,
    /// Independent checks run at once.
    pub concurrency: usize,
    /// Concurrency levels of the linearizability property.
    pub race_levels: Vec<usize>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            cases: 16,
            seed: 0,
            shrink_budget: 32,
            status_timeout: Duration::from_secs(30),
            concurrency: 4,
            race_levels: vec![2, 8, 32],
        }
    }
}

/// What a check hands the run loop: everything it needs.
#[derive(Debug)]
pub struct Ctx {
    /// The driver.
    pub driver: Arc<Driver>,
    /// The run's fixtures.
    pub fx: Arc<Fixtures>,
    /// The target profile.
    pub profile: Arc<Profile>,
    /// Run options.
    pub options: RunOptions,
    /// The selected rules (checks may skip work for rules that are not selected).
    pub selected: Vec<RuleId>,
}

/// Inconclusive results for `rules` when setup failed (not a failure of the rules).
pub fn setup_failed(rules: &[RuleId], err: &SetupError) -> Vec<CaseResult> {
    lattice_checks::setup_failed(rules, &err.to_string(), &err.exchange)
}

impl Ctx {
    /// Whether a rule is selected for this run (or VAL-BEFORE-EXIST, which rides on the others).
    pub fn selected(&self, rule: RuleId) -> bool {
        self.selected.contains(&rule)
            || (rule != RuleId::ValBeforeExist
                && self.selected.contains(&RuleId::ValBeforeExist)
                && rule.family() == lattice_spec::Family::Val)
    }

    /// Sends a Create with a JSON body as `principal` and tracks a created association.
    pub async fn create(&self, principal: Role, body: &Value) -> Exchange {
        let e = self
            .driver
            .send(&ApiCall::json(
                Operation::CreateServiceNetworkServiceAssociation,
                principal,
                body,
            ))
            .await;
        self.fx.track_association(principal, &e);
        e
    }

    /// Sends a Create prepared with [`Driver::prepare`] as `principal`.
    pub async fn create_prepared(
        &self,
        principal: Role,
        call: lattice_transport::driver::Prepared,
    ) -> Exchange {
        let e = self.driver.send_prepared(call).await;
        self.fx.track_association(principal, &e);
        e
    }

    /// Get an association.
    pub async fn get(&self, principal: Role, id: &str) -> Exchange {
        self.driver
            .send(&ApiCall::labelled(
                Operation::GetServiceNetworkServiceAssociation,
                principal,
                id,
            ))
            .await
    }

    /// Delete an association.
    pub async fn delete(&self, principal: Role, id: &str) -> Exchange {
        self.driver
            .send(&ApiCall::labelled(
                Operation::DeleteServiceNetworkServiceAssociation,
                principal,
                id,
            ))
            .await
    }

    /// List associations of a service network.
    pub async fn list_by_network(&self, principal: Role, network: &str) -> Exchange {
        self.list_by(principal, "serviceNetworkIdentifier", network)
            .await
    }

    /// List associations filtered by `serviceNetworkIdentifier` or `serviceIdentifier`.
    pub async fn list_by(&self, principal: Role, key: &str, value: &str) -> Exchange {
        self.driver.send(&list_call(principal, key, value)).await
    }

    /// Lists associations filtered by `key` = `value`, polled until the new association `id`
    /// shows (a List may lag a Create, as Get does): within the status timeout on a live target,
    /// within [`LIST_LAG_PATIENCE`] on others (an emulator whose List never shows an item would
    /// otherwise hold every such rule for the whole timeout). An answer that is not a success is
    /// decisive and ends the wait. The last answer when it never shows, for the judge.
    pub async fn list_showing(
        &self,
        principal: Role,
        key: &str,
        value: &str,
        id: &str,
    ) -> Exchange {
        let patience = match self.fx.economy() {
            Some(_) => self.options.status_timeout,
            None => self.options.status_timeout.min(LIST_LAG_PATIENCE),
        };
        let shows = |list: &Exchange| {
            if list.ok().is_none_or(|r| !r.is_success()) {
                Poll::Decisive
            } else if lattice_checks::state::listed_ids(list)
                .iter()
                .any(|i| i == id)
            {
                Poll::Done
            } else {
                Poll::Pending
            }
        };
        let call = list_call(principal, key, value);
        self.fx.poll(&call, patience, shows).await.0
    }

    /// Reads an association the run created and expects to exist: Get, polled through 404
    /// answers within the status timeout (reads may lag the create, as AWS CloudFormation's and
    /// Terraform's waiters expect); the last answer when it never shows up.
    pub async fn read_created(&self, principal: Role, id: &str) -> Exchange {
        let present = |e: &Exchange| !lattice_checks::state::not_found(e);
        self.fx
            .poll_association(principal, id, self.options.status_timeout, present)
            .await
            .0
    }

    /// Waits until Get answers 404 for an association (deleted and gone); stops at once on an
    /// answer that shows it never will (see `lattice_checks::wait::until_gone`).
    pub async fn wait_gone(&self, principal: Role, id: &str) -> (Exchange, bool) {
        let (last, gone) = self
            .fx
            .poll_association(
                principal,
                id,
                self.options.status_timeout,
                lattice_checks::wait::until_gone,
            )
            .await;
        if gone {
            self.fx.deleted(id);
        }
        (last, gone)
    }

    /// Waits until an association the run created is visible and no longer CREATE_IN_PROGRESS
    /// (a delete before is refused; a lagging 404 does not count).
    pub async fn settle(&self, principal: Role, id: &str) -> (Exchange, bool) {
        self.fx
            .poll_association(
                principal,
                id,
                self.options.status_timeout,
                lattice_checks::wait::until_settled,
            )
            .await
    }

    /// Waits until the owner's association is ACTIVE (or an answer shows it never will be).
    pub async fn until_active(&self, id: &str) -> (Exchange, bool) {
        self.fx
            .poll_association(
                Role::Owner,
                id,
                self.options.status_timeout,
                lattice_checks::wait::until_active,
            )
            .await
    }

    /// Deletes an association to free its pair: waits until it is settled (a delete before is
    /// refused), deletes it, and waits until it is gone. Returns whether the pair is free again
    /// (never on a target without delete operations, where nothing is sent).
    pub async fn remove(&self, principal: Role, id: &str) -> bool {
        if !self.profile.capabilities.delete {
            return false;
        }
        let _ = self.settle(principal, id).await;
        let delete = self.delete(principal, id).await;
        // A refused delete leaves the association in place: do not poll for its disappearance.
        succeeded(&delete) && self.wait_gone(principal, id).await.1
    }

    /// Frees a pair for the next case by deleting its association ([`Ctx::remove`]); under the
    /// fixture economy, nothing is sent and `false` tells the caller to take another pair (the
    /// next release deletes the association, without waiting on it alone).
    pub async fn free_pair(&self, principal: Role, id: &str) -> bool {
        if self.fx.economy().is_some() {
            return false;
        }
        self.remove(principal, id).await
    }

    /// The role, when the target has a principal for it.
    pub fn principal(&self, role: Role) -> Option<Role> {
        self.driver.principal(role).map(|p| p.role)
    }
}

/// The id member of a response.
pub fn id_of(e: &Exchange) -> Option<String> {
    lattice_checks::state::member_of(e, "id")
}

/// A boxed check future.
pub type CheckFuture = Pin<Box<dyn Future<Output = Vec<CaseResult>> + Send>>;

/// Runs one check or property.
pub type Runner = fn(Arc<Ctx>) -> CheckFuture;

/// A check or property of a run: its name and what runs it.
#[derive(Clone, Copy)]
pub struct Task {
    /// The name (the catalogue's `check` or `properties` value).
    pub name: &'static str,
    /// Runs it.
    pub run: Runner,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What runs the rules of a catalogue check. Every check is named, so a check added to the
/// catalogue does not compile until it runs somewhere; `None` for rules judged otherwise: on
/// every exchange of the run (`observed`) or from a client's recording (`client`).
pub fn check_runner(check: Check) -> Option<Runner> {
    Some(match check {
        Check::Validation => |c| Box::pin(validation::run(c)),
        Check::Existence => |c| Box::pin(existence::run(c)),
        Check::Tags => |c| Box::pin(tags::run(c)),
        Check::Idempotency => |c| Box::pin(idempotency::run(c)),
        Check::Conflict => |c| Box::pin(conflict::run(c)),
        Check::Ownership => |c| Box::pin(ownership::run(c)),
        Check::Lifecycle => |c| Box::pin(lifecycle::run(c)),
        Check::Neighbours => |c| Box::pin(neighbours::run(c)),
        Check::Quota => |c| Box::pin(lifecycle::quota(c)),
        Check::Signature => |c| Box::pin(signature::run(c)),
        Check::Snapshot => |c| Box::pin(snapshot::run(c)),
        Check::Observed | Check::Client => return None,
    })
}

/// What runs a property (cases it adds to the rules the catalogue lists for it).
pub fn property_runner(property: Property) -> Runner {
    match property {
        Property::Concurrency => |c| Box::pin(concurrency::run(c)),
        Property::Stateful => |c| Box::pin(stateful::run(c)),
    }
}

/// The order checks start in (the longest first, so that four at once finish together); a test
/// proves it names every check that has a runner.
const START_ORDER: &[Check] = &[
    Check::Validation,
    Check::Existence,
    Check::Neighbours,
    Check::Tags,
    Check::Idempotency,
    Check::Conflict,
    Check::Ownership,
    Check::Lifecycle,
    Check::Quota,
    Check::Signature,
    Check::Snapshot,
];

/// The checks and properties that decide at least one selected rule, in start order (checks,
/// then properties).
pub fn tasks(selected: &[RuleId]) -> Vec<Task> {
    let checks = START_ORDER.iter().filter_map(|c| {
        let run = check_runner(*c)?;
        c.rules()
            .iter()
            .any(|r| selected.contains(r))
            .then_some(Task {
                name: c.name(),
                run,
            })
    });
    let properties = Property::ALL.iter().filter_map(|p| {
        p.rules()
            .iter()
            .any(|r| selected.contains(r))
            .then_some(Task {
                name: p.name(),
                run: property_runner(*p),
            })
    });
    checks.chain(properties).collect()
}

/// Turns the observations of every exchange into case results.
pub fn observe(log: &[(Operation, Exchange)]) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for (op, e) in log {
        for o in lattice_checks::observe(*op, e) {
            let expected = lattice_checks::case::statement(o.rule);
            // The observers only look at responses they can judge (a 429 included: its
            // Retry-After is a rule of its own), so the verdict is the violations' alone.
            let mut case = CaseResult::new(o.rule, vec![], vec![e.clone()], expected);
            case.verdict = Verdict::from_violations(o.violations);
            case.chosen = o.chosen;
            out.push(case);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_with_a_runner_has_a_start_position() {
        for check in Check::ALL {
            assert_eq!(
                check_runner(*check).is_some(),
                START_ORDER.contains(check),
                "{check}"
            );
        }
    }
}
