//! The canonical scenarios: at least one per rule family, each a short sequence of driver calls
//! on fixtures of its own, written as data. Their redacted responses are the snapshots in the
//! top-level `snapshots/` folder (rendered by `lattice-report`); `cargo test` checks them with insta
//! and `lattice-conformance run` with the rule HTTP-SNAPSHOT.
//!
//! Templates in bodies, labels and query values name what the scenario set up or received:
//! `${r0}` / `${r0.arn}` the id / ARN of setup resource 0 (a share's `${rN}` is its ARN),
//! `${s2}` / `${s2.arn}` the `id` / `arn` member of step 2's answer, `${token:a}` a client token
//! unique to the run (`${token:a:upper}` upper-cased, `${token:a:64}` padded to 64 characters),
//! `${repeat:x:65}` a run of one character, `${tags:201}` that many `"kN":"vN"` tag entries.
//!
//! Every step that reports a status runs on a settled association (`Settle` first), so that the
//! snapshot does not depend on timing; timing-dependent rules (CONFLICT-DELETING-*,
//! CONFLICT-DELETE-CREATING) have no scenario.

use crate::signing::SignMode;
use crate::{Role, RuleId};

/// Something a scenario creates before its steps (never snapshotted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// A service owned by this principal.
    Service(Role),
    /// A service network owned by this principal.
    Network(Role),
    /// Shares setup resource `n` with this principal through AWS RAM (invitation accepted).
    Share(usize, Role),
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioCall {
    /// CreateServiceNetworkServiceAssociation with this body template (sent as written, so it
    /// may be malformed on purpose).
    Create(&'static str),
    /// GetServiceNetworkServiceAssociation of this identifier template.
    Get(&'static str),
    /// DeleteServiceNetworkServiceAssociation of this identifier template.
    Delete(&'static str),
    /// ListServiceNetworkServiceAssociations filtered by this query member and value template.
    List(&'static str, &'static str),
    /// ListTagsForResource on this ARN template.
    ListTags(&'static str),
    /// Waits until Get shows the association settled (not `CREATE_IN_PROGRESS`). Not recorded.
    Settle(&'static str),
    /// Waits until Get answers 404. Not recorded.
    Gone(&'static str),
    /// Ends the share that setup resource `n` is. Not recorded.
    Unshare(usize),
    /// Fills this network up to the target's small quota (`capabilities.quota_probe`) with fresh
    /// services. Not recorded.
    FillQuota(&'static str),
}

impl ScenarioCall {
    /// Whether the step's exchange goes into the snapshot.
    pub fn recorded(self) -> bool {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioStep {
    /// A short label (`create`, `replay`, `get as peer`).
    pub label: &'static str,
    /// Role sends it.
    pub by: Role,
    /// What it does.
    pub call: ScenarioCall,
    /// How it is signed.
    pub sign: SignMode,
}

const fn step(label: &'static str, by: Role, call: ScenarioCall) -> ScenarioStep {
    ScenarioStep {
        label,
        by,
        call,
        sign: SignMode::SigV4,
    }
}

const fn signed(mut s: ScenarioStep, sign: SignMode) -> ScenarioStep {
    s.sign = sign;
    s
}

/// A canonical scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// The snapshot's name: `snapshots/{name}.snap`.
    pub name: &'static str,
    /// The rule it demonstrates (the snapshot's description).
    pub rule: RuleId,
    /// Other rules it is the example of in `specs/CONTRACT.md`, each with the label of the step
    /// that shows it (empty: the whole scenario).
    pub illustrates: &'static [(RuleId, &'static str)],
    /// One sentence: what happens.
    pub summary: &'static str,
    /// What is created first.
    pub setup: &'static [Setup],
    /// The calls, in order.
    pub steps: &'static [ScenarioStep],
}

impl Scenario {
    /// The roles it needs.
    pub fn roles(&self) -> Vec<Role> {
        let mut out = vec![Role::Owner];
        let setup = self.setup.iter().map(|s| match s {
            Setup::Service(w) | Setup::Network(w) | Setup::Share(_, w) => *w,
        });
        for w in setup.chain(self.steps.iter().map(|s| s.by)) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// Whether it shares through RAM.
    pub fn needs_ram(&self) -> bool {
        self.setup.iter().any(|s| matches!(s, Setup::Share(..)))
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

    /// Whether this scenario is the example of `rule`: `Some("")` for its own rule (the whole
    /// scenario), `Some(label)` for a rule one of its steps illustrates.
    pub fn shows(&self, rule: RuleId) -> Option<&'static str> {
        if self.rule == rule {
            return Some("");
        }
        self.illustrates
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, label)| *label)
    }
}

use Role::{Outsider, Owner, Peer};
use ScenarioCall::*;

const OWN_PAIR: &[Setup] = &[Setup::Service(Owner), Setup::Network(Owner)];
const CREATE_PAIR: &str = r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#;

/// A validation scenario: one Create on the owner's own pair with one member broken.
const fn invalid(
    name: &'static str,
    rule: RuleId,
    summary: &'static str,
    steps: &'static [ScenarioStep],
) -> Scenario {
    Scenario {
        name,
        rule,
        illustrates: &[],
        summary,
        setup: OWN_PAIR,
        steps,
    }
}

/// A signature scenario: a valid Create sent with a broken signature, then a List that shows
/// nothing was created.
const fn unsigned(
    name: &'static str,
    rule: RuleId,
    summary: &'static str,
    steps: &'static [ScenarioStep],
) -> Scenario {
    Scenario {
        name,
        rule,
        illustrates: &[],
        summary,
        setup: OWN_PAIR,
        steps,
    }
}

/// Every canonical scenario, in report order (by family).
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "happy-path",
        rule: RuleId::OwnBothOwned,
        illustrates: &[
            (RuleId::HttpSuccessStatus, "create"),
            (RuleId::HttpContentType, "create"),
            (RuleId::HttpResponseShape, "get when settled"),
            (RuleId::LifeStatusEnum, "create"),
            (RuleId::LifeReachesActive, "get when settled"),
            (RuleId::LifeDeleteGone, "get after delete"),
            (RuleId::HttpSnapshot, ""),
        ],
        summary: "the owner of a service and a service network associates them, reads the association once it is ACTIVE, lists it, deletes it, and reads it again once it is gone",
        setup: OWN_PAIR,
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step("settle", Owner, Settle("${s0}")),
            step("get when settled", Owner, Get("${s0}")),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
            step("delete", Owner, Delete("${s0}")),
            step("wait until gone", Owner, Gone("${s0}")),
            step("get after delete", Owner, Get("${s0}")),
        ],
    },
    // VAL
    Scenario {
        illustrates: &[(RuleId::ValErrorShape, "create")],
        ..invalid(
        "val-svc-required",
        RuleId::ValSvcRequired,
        "a Create without serviceIdentifier",
        &[step(
            "create",
            Owner,
            Create(r#"{"serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#),
        )],
    )
    },
    invalid(
        "val-sn-required",
        RuleId::ValSnRequired,
        "a Create without serviceNetworkIdentifier",
        &[step(
            "create",
            Owner,
            Create(r#"{"serviceIdentifier":"${r0}","clientToken":"${token:a}"}"#),
        )],
    ),
    invalid(
        "val-svc-length",
        RuleId::ValSvcLength,
        "a Create whose serviceIdentifier has 8 characters (17 at least)",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"svc-0123","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
            ),
        )],
    ),
    invalid(
        "val-svc-pattern",
        RuleId::ValSvcPattern,
        "a Create whose serviceIdentifier is a svc- id with upper-case characters",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"svc-0123456789ABCDEF0","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
            ),
        )],
    ),
    invalid(
        "val-sn-length",
        RuleId::ValSnLength,
        "a Create whose serviceNetworkIdentifier has 2 characters (3 at least)",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"sn","clientToken":"${token:a}"}"#,
            ),
        )],
    ),
    invalid(
        "val-sn-pattern",
        RuleId::ValSnPattern,
        "a Create whose serviceNetworkIdentifier is a service network name",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"my-network","clientToken":"${token:a}"}"#,
            ),
        )],
    ),
    invalid(
        "val-token-length",
        RuleId::ValTokenLength,
        "a Create with a clientToken of 65 characters (64 at most)",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${repeat:x:65}"}"#,
            ),
        )],
    ),
    invalid(
        "val-token-pattern",
        RuleId::ValTokenPattern,
        "a Create with a clientToken of three spaces (no printable ASCII character)",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"   "}"#,
            ),
        )],
    ),
    invalid(
        "val-body-malformed",
        RuleId::ValBodyMalformed,
        "a Create whose body is truncated JSON",
        &[step(
            "create",
            Owner,
            Create(r#"{"serviceIdentifier":"#),
        )],
    ),
    invalid(
        "val-body-types",
        RuleId::ValBodyTypes,
        "a Create whose serviceIdentifier is a JSON number",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":42,"serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
            ),
        )],
    ),
    Scenario {
        name: "val-before-exist",
        rule: RuleId::ValBeforeExist,
        illustrates: &[],
        summary: "a Create naming a well-formed service id that does not exist, with a clientToken of 65 characters: validation comes first",
        setup: &[Setup::Network(Owner)],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"svc-00000000000000000","serviceNetworkIdentifier":"${r0}","clientToken":"${repeat:x:65}"}"#,
            ),
        )],
    },
    // TAG
    invalid(
        "tag-count-max",
        RuleId::TagCountMax,
        "a Create with 201 tags",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{${tags:201}}}"#,
            ),
        )],
    ),
    invalid(
        "tag-count-50",
        RuleId::TagCount50,
        "a Create with 51 valid tags (more than the 50 the tagging docs allow, fewer than the model's 200)",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{${tags:51}}}"#,
            ),
        )],
    ),
    invalid(
        "tag-key-length",
        RuleId::TagKeyLength,
        "a Create with a tag key of 129 characters",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"${repeat:k:129}":"v"}}"#,
            ),
        )],
    ),
    invalid(
        "tag-value-length",
        RuleId::TagValueLength,
        "a Create with a tag value of 257 characters",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"team":"${repeat:v:257}"}}"#,
            ),
        )],
    ),
    invalid(
        "tag-charset",
        RuleId::TagCharset,
        "a Create with a tag key containing '#'",
        &[step(
            "create",
            Owner,
            Create(
                r##"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"team#1":"v"}}"##,
            ),
        )],
    ),
    invalid(
        "tag-aws-prefix",
        RuleId::TagAwsPrefix,
        "a Create with the tag key 'aws:team'",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"aws:team":"v"}}"#,
            ),
        )],
    ),
    invalid(
        "tag-aws-prefix-case",
        RuleId::TagAwsPrefixCase,
        "a Create with the tag key 'AWS:team'",
        &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"AWS:team":"v"}}"#,
            ),
        )],
    ),
    Scenario {
        name: "tags-round-trip",
        rule: RuleId::TagAttached,
        illustrates: &[(RuleId::TagValidAccepted, "create")],
        summary: "a Create with valid tags (Unicode letters, white space, every allowed symbol, an empty value), then ListTagsForResource on the association's ARN",
        setup: OWN_PAIR,
        steps: &[
            step(
                "create",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"team":"conformance","Équipe été 2026":"a_b.c:d/e=f+g-h@i","empty":""}}"#,
                ),
            ),
            step("list tags", Owner, ListTags("${s0.arn}")),
        ],
    },
    // IDEMP
    Scenario {
        name: "idemp-replay",
        rule: RuleId::IdempReplay,
        illustrates: &[],
        summary: "the same Create (same clientToken, same parameters, tags) twice, then a List of the network",
        setup: OWN_PAIR,
        steps: &[
            step(
                "create",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"team":"conformance"}}"#,
                ),
            ),
            step("settle", Owner, Settle("${s0}")),
            step(
                "replay",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"team":"conformance"}}"#,
                ),
            ),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
        ],
    },
    Scenario {
        name: "idemp-mismatch",
        rule: RuleId::IdempMismatch,
        illustrates: &[],
        summary: "a Create, then the same clientToken with another service",
        setup: &[
            Setup::Service(Owner),
            Setup::Network(Owner),
            Setup::Service(Owner),
        ],
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step(
                "same token, another service",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r2}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
                ),
            ),
        ],
    },
    Scenario {
        name: "idemp-account-scope",
        rule: RuleId::IdempAccountScope,
        illustrates: &[],
        summary: "the owner and the peer send the same clientToken, each for a pair of its own",
        setup: &[
            Setup::Service(Owner),
            Setup::Network(Owner),
            Setup::Service(Peer),
            Setup::Network(Peer),
        ],
        steps: &[
            step("create as owner", Owner, Create(CREATE_PAIR)),
            step(
                "create as peer, same token",
                Peer,
                Create(
                    r#"{"serviceIdentifier":"${r2}","serviceNetworkIdentifier":"${r3}","clientToken":"${token:a}"}"#,
                ),
            ),
        ],
    },
    Scenario {
        name: "idemp-no-token",
        rule: RuleId::IdempNoToken,
        illustrates: &[],
        summary: "the same Create without clientToken twice",
        setup: OWN_PAIR,
        steps: &[
            step(
                "create",
                Owner,
                Create(r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}"}"#),
            ),
            step(
                "again",
                Owner,
                Create(r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}"}"#),
            ),
        ],
    },
    Scenario {
        name: "idemp-case-sensitive",
        rule: RuleId::IdempCaseSensitive,
        illustrates: &[],
        summary: "a Create, then the same pair with the clientToken upper-cased",
        setup: OWN_PAIR,
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step(
                "token upper-cased",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a:upper}"}"#,
                ),
            ),
        ],
    },
    Scenario {
        name: "idemp-token-forms",
        rule: RuleId::IdempTokenForms,
        illustrates: &[],
        summary: "a Create with a clientToken of exactly 64 characters",
        setup: OWN_PAIR,
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a:64}"}"#,
            ),
        )],
    },
    // CONFLICT
    Scenario {
        name: "conflict-duplicate",
        rule: RuleId::ConflictDuplicate,
        illustrates: &[
            (RuleId::HttpErrorStatus, "same pair, new token"),
            (RuleId::HttpErrorTypeHeader, "same pair, new token"),
            (RuleId::HttpErrorMembers, "same pair, new token"),
        ],
        summary: "a Create, then another Create for the same pair with a new clientToken",
        setup: OWN_PAIR,
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step(
                "same pair, new token",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:b}"}"#,
                ),
            ),
        ],
    },
    Scenario {
        name: "conflict-reassociate",
        rule: RuleId::ConflictReassociate,
        illustrates: &[],
        summary: "a Create, a Delete once it is ACTIVE, and a new Create for the same pair once the first one is gone",
        setup: OWN_PAIR,
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step("settle", Owner, Settle("${s0}")),
            step("delete", Owner, Delete("${s0}")),
            step("wait until gone", Owner, Gone("${s0}")),
            step(
                "create again",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:b}"}"#,
                ),
            ),
        ],
    },
    // EXIST
    Scenario {
        name: "exist-service",
        rule: RuleId::ExistService,
        illustrates: &[],
        summary: "a Create naming a well-formed service id that does not exist",
        setup: &[Setup::Network(Owner)],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"svc-00000000000000000","serviceNetworkIdentifier":"${r0}","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "exist-network",
        rule: RuleId::ExistNetwork,
        illustrates: &[],
        summary: "a Create naming a well-formed service network id that does not exist",
        setup: &[Setup::Service(Owner)],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"sn-00000000000000000","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "exist-association",
        rule: RuleId::ExistAssociation,
        illustrates: &[],
        summary: "Get and Delete of a well-formed association id that does not exist",
        setup: &[],
        steps: &[
            step("get", Owner, Get("snsa-00000000000000000")),
            step("delete", Owner, Delete("snsa-00000000000000000")),
        ],
    },
    // OWN
    Scenario {
        name: "own-shared-network",
        rule: RuleId::OwnSharedNetwork,
        illustrates: &[],
        summary: "cross-account with ARN: the owner associates its service with the peer's network, shared through RAM and named by ARN; the peer then sees the association",
        setup: &[
            Setup::Service(Owner),
            Setup::Network(Peer),
            Setup::Share(1, Owner),
        ],
        steps: &[
            step(
                "create",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1.arn}","clientToken":"${token:a}"}"#,
                ),
            ),
            step("settle", Owner, Settle("${s0}")),
            step("get as peer", Peer, Get("${s0}")),
            step(
                "list as peer",
                Peer,
                List("serviceNetworkIdentifier", "${r1}"),
            ),
        ],
    },
    Scenario {
        name: "own-shared-service",
        rule: RuleId::OwnSharedService,
        illustrates: &[],
        summary: "the owner associates the peer's service, shared through RAM and named by ARN, with its own network",
        setup: &[
            Setup::Service(Peer),
            Setup::Network(Owner),
            Setup::Share(0, Owner),
        ],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0.arn}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "own-both-shared",
        rule: RuleId::OwnBothShared,
        illustrates: &[],
        summary: "both shared: the owner names the peer's service and network, both only shared with it",
        setup: &[
            Setup::Service(Peer),
            Setup::Network(Peer),
            Setup::Share(0, Owner),
            Setup::Share(1, Owner),
        ],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0.arn}","serviceNetworkIdentifier":"${r1.arn}","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "own-not-shared",
        rule: RuleId::OwnNotShared,
        illustrates: &[],
        summary: "the owner names, by ARN, the outsider's network, which was never shared",
        setup: &[Setup::Service(Owner), Setup::Network(Outsider)],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1.arn}","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "own-bare-id",
        rule: RuleId::OwnBareId,
        illustrates: &[],
        summary: "the owner names the peer's shared network by its bare sn- id instead of its ARN",
        setup: &[
            Setup::Service(Owner),
            Setup::Network(Peer),
            Setup::Share(1, Owner),
        ],
        steps: &[step(
            "create",
            Owner,
            Create(
                r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}"}"#,
            ),
        )],
    },
    Scenario {
        name: "own-outsider",
        rule: RuleId::OwnOutsider,
        illustrates: &[],
        summary: "outsider: an account with no share Gets, Deletes and Lists the owner's association by ARN",
        setup: OWN_PAIR,
        steps: &[
            step("create", Owner, Create(CREATE_PAIR)),
            step("settle", Owner, Settle("${s0}")),
            step("get as outsider", Outsider, Get("${s0.arn}")),
            step("delete as outsider", Outsider, Delete("${s0.arn}")),
            step(
                "list as outsider",
                Outsider,
                List("serviceNetworkIdentifier", "${r1.arn}"),
            ),
            step("get as owner", Owner, Get("${s0}")),
        ],
    },
    Scenario {
        name: "own-delete-either",
        rule: RuleId::OwnDeleteEither,
        illustrates: &[],
        summary: "the peer, owner of the shared network, deletes the association the owner created with it",
        setup: &[
            Setup::Service(Owner),
            Setup::Network(Peer),
            Setup::Share(1, Owner),
        ],
        steps: &[
            step(
                "create",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1.arn}","clientToken":"${token:a}"}"#,
                ),
            ),
            step("settle", Owner, Settle("${s0}")),
            step("delete as peer", Peer, Delete("${s0}")),
        ],
    },
    Scenario {
        name: "own-unshare",
        rule: RuleId::OwnUnshare,
        illustrates: &[],
        summary: "after the peer ends the share of its network, the existing association persists and a new one is refused",
        setup: &[
            Setup::Service(Owner),
            Setup::Service(Owner),
            Setup::Network(Peer),
            Setup::Share(2, Owner),
        ],
        steps: &[
            step(
                "create",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r2.arn}","clientToken":"${token:a}"}"#,
                ),
            ),
            step("settle", Owner, Settle("${s0}")),
            step("end the share", Peer, Unshare(3)),
            step("get after the share ended", Owner, Get("${s0}")),
            step(
                "create after the share ended",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r1}","serviceNetworkIdentifier":"${r2.arn}","clientToken":"${token:b}"}"#,
                ),
            ),
        ],
    },
    // QUOTA
    Scenario {
        name: "quota-associations",
        rule: RuleId::QuotaAssociations,
        illustrates: &[],
        summary: "a network filled up to the target's small quota (capabilities.quota_probe), then one more Create",
        setup: &[Setup::Network(Owner), Setup::Service(Owner)],
        steps: &[
            step("fill the quota", Owner, FillQuota("${r0}")),
            step(
                "one more",
                Owner,
                Create(
                    r#"{"serviceIdentifier":"${r1}","serviceNetworkIdentifier":"${r0}","clientToken":"${token:a}"}"#,
                ),
            ),
        ],
    },
    // AUTH
    unsigned(
        "auth-unsigned",
        RuleId::AuthUnsigned,
        "unsigned: a valid Create with no signature, then a List showing nothing was created",
        &[
            signed(step("create, unsigned", Owner, Create(CREATE_PAIR)), SignMode::Unsigned),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
        ],
    ),
    unsigned(
        "auth-bad-signature",
        RuleId::AuthBadSignature,
        "a valid Create with one hex digit of the signature changed, then a List",
        &[
            signed(
                step("create, bad signature", Owner, Create(CREATE_PAIR)),
                SignMode::BadSignature,
            ),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
        ],
    ),
    unsigned(
        "auth-unknown-key",
        RuleId::AuthUnknownKey,
        "a valid Create signed with an access key the endpoint cannot know, then a List",
        &[
            signed(
                step("create, unknown key", Owner, Create(CREATE_PAIR)),
                SignMode::UnknownKey,
            ),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
        ],
    ),
    unsigned(
        "auth-wrong-service",
        RuleId::AuthWrongService,
        "a valid Create signed for another service (ec2) in the credential scope, then a List",
        &[
            signed(
                step("create, wrong service", Owner, Create(CREATE_PAIR)),
                SignMode::WrongService,
            ),
            step("list the network", Owner, List("serviceNetworkIdentifier", "${r1}")),
        ],
    ),
];

/// The scenario with this name.
pub fn by_name(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_a_scenario_and_names_are_unique() {
        let mut names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), SCENARIOS.len());
        for family in crate::Family::ALL {
            if family.is_client_side() {
                continue; // judged from a client's recording, not from an endpoint's answers
            }
            assert!(
                SCENARIOS.iter().any(|s| s.rule.family() == family
                    || s.illustrates.iter().any(|(r, _)| r.family() == family)),
                "no scenario for {family}"
            );
        }
        for s in SCENARIOS {
            for (_, label) in s.illustrates {
                assert!(
                    label.is_empty() || s.steps.iter().any(|x| x.label == *label),
                    "{}: no step `{label}`",
                    s.name
                );
            }
            assert!(
                s.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                s.name
            );
        }
    }
}
