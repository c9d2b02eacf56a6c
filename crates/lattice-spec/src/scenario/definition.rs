//! What a canonical scenario is: its setup resources, its steps and the call each one makes,
//! and the rules it is the example of. Read from `specs/scenarios.toml` by the loader.

use super::body::CreateBody;
use super::reference::Field;
use crate::role::Role;
use crate::rule_ids::RuleId;
use crate::signing::SignMode;

/// Something a scenario creates before its steps (never snapshotted); the file numbers them
/// from `r0` in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// A service owned by this principal (`{ service = "owner" }`).
    Service(Role),
    /// A service network owned by this principal (`{ network = "peer" }`).
    Network(Role),
    /// Shares an earlier setup resource (a service or a network) with this principal through
    /// AWS RAM, invitation accepted (`{ share = 1, with = "owner" }`). Its id is its ARN.
    Share {
        /// The position of the shared resource.
        resource: usize,
        /// Who it is shared with.
        with: Role,
    },
}

impl Setup {
    /// The role it needs: the owner of a service or a network, the role a share is shared with
    /// (the owner of what is shared is the one who shares it).
    pub fn role(self) -> Role {
        match self {
            Setup::Service(w) | Setup::Network(w) | Setup::Share { with: w, .. } => w,
        }
    }
}

/// The member a List filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    /// `serviceNetworkIdentifier`.
    ServiceNetworkIdentifier,
    /// `serviceIdentifier`.
    ServiceIdentifier,
}

impl ListFilter {
    /// The query member's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ListFilter::ServiceNetworkIdentifier => "serviceNetworkIdentifier",
            ListFilter::ServiceIdentifier => "serviceIdentifier",
        }
    }
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioCall {
    /// CreateServiceNetworkServiceAssociation with this body.
    Create(CreateBody),
    /// GetServiceNetworkServiceAssociation of this identifier.
    Get(Field),
    /// DeleteServiceNetworkServiceAssociation of this identifier.
    Delete(Field),
    /// ListServiceNetworkServiceAssociations filtered by these query members.
    List(Vec<(ListFilter, Field)>),
    /// ListTagsForResource on this ARN.
    ListTags(Field),
    /// Waits until Get shows the association settled (not `CREATE_IN_PROGRESS`). Not recorded.
    Settle(Field),
    /// Waits until Get answers 404. Not recorded.
    Gone(Field),
    /// Ends the share that setup resource `n` is. Not recorded.
    Unshare(usize),
    /// Fills this network up to the target's small quota (`capabilities.quota_probe`) with fresh
    /// services. Not recorded.
    FillQuota(Field),
}

impl ScenarioCall {
    /// Whether the step's exchange goes into the snapshot (and it has an answer to refer to).
    pub fn recorded(&self) -> bool {
        matches!(
            self,
            ScenarioCall::Create(_)
                | ScenarioCall::Get(_)
                | ScenarioCall::Delete(_)
                | ScenarioCall::List(..)
                | ScenarioCall::ListTags(_)
        )
    }
}

/// One step of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioStep {
    /// A short label, unique in the scenario (`create`, `replay`, `get as peer`).
    pub label: String,
    /// Role sends it.
    pub by: Role,
    /// What it does.
    pub call: ScenarioCall,
    /// How it is signed (`sign = "unsigned"`; SigV4 unless said).
    pub sign: SignMode,
    /// The rule whose acceptable outcomes judge this step's answer when the endpoint's differs
    /// from the snapshot's (`judged_by = "IDEMP-MISMATCH"`): where the contract leaves a choice,
    /// any outcome the rule accepts matches. Unset: the snapshot's outcome only.
    pub judged_by: Option<RuleId>,
}

/// A rule a scenario is the example of in `specs/CONTRACT.md`, besides its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Illustration {
    /// The rule.
    pub rule: RuleId,
    /// The label of the step that shows it (`None`: the whole scenario).
    pub step: Option<String>,
}

/// A canonical scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The snapshot's name: `snapshots/{name}.snap`; also its test, `scenario_{name}` (with `_`).
    pub name: String,
    /// The rule it demonstrates (the snapshot's description).
    pub rule: RuleId,
    /// Other rules it is the example of in `specs/CONTRACT.md`.
    pub illustrates: Vec<Illustration>,
    /// One sentence: what happens.
    pub summary: String,
    /// What is created first.
    pub setup: Vec<Setup>,
    /// The calls, in order.
    pub steps: Vec<ScenarioStep>,
}

impl Scenario {
    /// The roles it needs.
    pub fn roles(&self) -> Vec<Role> {
        let mut out = vec![Role::Owner];
        let setup = self.setup.iter().map(|s| s.role());
        for w in setup.chain(self.steps.iter().map(|s| s.by)) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// Whether it shares through RAM.
    pub fn needs_ram(&self) -> bool {
        self.setup.iter().any(|s| matches!(s, Setup::Share { .. }))
    }

    /// Whether it needs a small quota to reach.
    pub fn needs_quota(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.call, ScenarioCall::FillQuota(_)))
    }

    /// Whether it deletes associations.
    pub fn needs_delete(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.call, ScenarioCall::Delete(_) | ScenarioCall::Gone(_)))
    }

    /// Whether this scenario is the example of `rule`: `Some("")` for its own rule or a rule the
    /// whole scenario illustrates, `Some(label)` for a rule one of its steps illustrates.
    pub fn shows(&self, rule: RuleId) -> Option<&str> {
        if self.rule == rule {
            return Some("");
        }
        self.illustrates
            .iter()
            .find(|i| i.rule == rule)
            .map(|i| i.step.as_deref().unwrap_or(""))
    }
}
