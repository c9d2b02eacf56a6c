//! Call sequences for stateful runs, over a small fixed universe that the harness maps to real
//! accounts and resources.
//!
//! The universe: [`PRINCIPALS`] accounts (0 the owner, 1 a peer, 2 an outsider), each owning
//! [`SERVICES_PER_PRINCIPAL`] services and [`NETWORKS_PER_PRINCIPAL`] service networks.
//! Services and networks are numbered globally: service `i` belongs to principal
//! `i / SERVICES_PER_PRINCIPAL` (see [`service_owner`]). Associations are named by the `Create`
//! call that made them ([`AssociationRef::Created`]`(n)`: the `n`-th `Create`, counting from 0),
//! tokens by slot ([`TokenChoice`]) and tag maps by set ([`tag_set`]).
//!
//! Two ways to draw sequences:
//! - [`call_sequence`]: a plain `Vec<Call>` strategy. Calls are drawn independently, then every
//!   reference is made to point at something earlier in the sequence (replays at creates that
//!   sent a token, association references at earlier creates, unshares at live shares).
//! - [`CallModel`]: a `proptest_state_machine::ReferenceStateMachine` over a small abstract
//!   state that only proposes plausible calls and keeps them plausible while shrinking. Run it
//!   through `proptest_state_machine::StateMachineTest` (or `prop_state_machine!`), which counts
//!   the transitions seen: mapping `sequential_strategy` to its `Vec` outside that runner
//!   breaks its shrinking.
//!
//! Neither predicts outcomes: that is `lattice_spec`'s model.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest_state_machine::ReferenceStateMachine;

/// Number of principals (accounts) in the universe.
pub const PRINCIPALS: usize = 3;
/// The principal that owns the resources under test.
pub const OWNER: usize = 0;
/// A second account that shares with the owner.
pub const PEER: usize = 1;
/// An account nothing is shared with unless a `Share` says so.
pub const OUTSIDER: usize = 2;
/// Services each principal owns.
pub const SERVICES_PER_PRINCIPAL: usize = 2;
/// Service networks each principal owns.
pub const NETWORKS_PER_PRINCIPAL: usize = 2;
/// Services in the universe.
pub const SERVICES: usize = PRINCIPALS * SERVICES_PER_PRINCIPAL;
/// Service networks in the universe.
pub const NETWORKS: usize = PRINCIPALS * NETWORKS_PER_PRINCIPAL;
/// Named token slots a sequence may reuse.
pub const TOKEN_SLOTS: usize = 3;
/// Named tag sets (see [`tag_set`]).
pub const TAG_SETS: usize = 3;

/// The principal that owns service `service`.
pub fn service_owner(service: usize) -> usize {
    service / SERVICES_PER_PRINCIPAL
}

/// The principal that owns service network `network`.
pub fn network_owner(network: usize) -> usize {
    network / NETWORKS_PER_PRINCIPAL
}

/// The tag map of a named set; sets 0 and 2 differ only in one value, so a replay that swaps
/// them changes exactly one parameter.
pub fn tag_set(set: usize) -> lattice_spec::wire::Tags {
    let pairs: &[(&str, &str)] = match set % TAG_SETS {
        0 => &[("env", "test")],
        1 => &[("team", "lattice"), ("cost-center", "42")],
        _ => &[("env", "prod")],
    };
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Which client token a create sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenChoice {
    /// A new token, never sent before in the run.
    Fresh,
    /// The token of slot `n` (the harness makes one token per slot per run).
    Slot(usize),
    /// Slot `n`'s token in another letter case (tokens are case-sensitive).
    SlotOtherCase(usize),
}

/// Which tags a create sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TagChoice {
    /// No `tags` member.
    Absent,
    /// `"tags": {}`.
    Empty,
    /// The tag map [`tag_set`]`(n)`.
    Set(usize),
}

/// One parameter a replay changes (or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReplayChange {
    /// The identical request again.
    Identical,
    /// Another service.
    Service(usize),
    /// Another service network.
    Network(usize),
    /// Other tags.
    Tags(TagChoice),
    /// The same request from this principal (which may be the original caller).
    Principal(usize),
    /// The same resources named in the other form (id ↔ ARN), for both identifiers.
    IdentifierForm,
}

/// An association, by the create that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssociationRef {
    /// The association made by the `n`-th `Create` of the sequence (counting from 0); if that
    /// create failed, the harness uses a well-formed id that does not exist.
    Created(usize),
    /// A well-formed association id that was never created.
    Unknown,
}

/// What a `List` filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListBy {
    /// `serviceIdentifier=…` (by ARN when `by_arn`).
    Service {
        /// The service.
        service: usize,
        /// Name it by ARN instead of id.
        by_arn: bool,
    },
    /// `serviceNetworkIdentifier=…` (by ARN when `by_arn`).
    Network {
        /// The service network.
        network: usize,
        /// Name it by ARN instead of id.
        by_arn: bool,
    },
}

/// A resource that can be shared through AWS RAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceSlot {
    /// Service `n`.
    Service(usize),
    /// Service network `n`.
    Network(usize),
}

impl ResourceSlot {
    /// The principal that owns it.
    pub fn owner(self) -> usize {
        match self {
            ResourceSlot::Service(s) => service_owner(s),
            ResourceSlot::Network(n) => network_owner(n),
        }
    }
}

/// One call of a stateful run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Call {
    /// `CreateServiceNetworkServiceAssociation`.
    Create {
        /// Who calls.
        principal: usize,
        /// The service.
        service: usize,
        /// The service network.
        network: usize,
        /// The token, if one is sent.
        token: Option<TokenChoice>,
        /// The tags.
        tags: TagChoice,
        /// Name the service by ARN instead of id.
        service_by_arn: bool,
        /// Name the service network by ARN instead of id (required across accounts).
        network_by_arn: bool,
    },
    /// The `create`-th `Create` again with the same token (same principal unless the change
    /// says otherwise), changing at most one parameter.
    Replay {
        /// Which create (counting `Create` calls from 0); it sent a token.
        create: usize,
        /// What differs.
        change: ReplayChange,
    },
    /// `GetServiceNetworkServiceAssociation`.
    Get {
        /// Who calls.
        principal: usize,
        /// The association.
        association: AssociationRef,
    },
    /// `ListServiceNetworkServiceAssociations`.
    List {
        /// Who calls.
        principal: usize,
        /// The filter.
        by: ListBy,
    },
    /// `DeleteServiceNetworkServiceAssociation`.
    Delete {
        /// Who calls.
        principal: usize,
        /// The association.
        association: AssociationRef,
    },
    /// `TagResource` on the association's ARN.
    Tag {
        /// Who calls.
        principal: usize,
        /// The association.
        association: AssociationRef,
        /// The tag set to add.
        tags: usize,
    },
    /// `ListTagsForResource` on the association's ARN.
    ListTags {
        /// Who calls.
        principal: usize,
        /// The association.
        association: AssociationRef,
    },
    /// Share a resource with another principal (AWS RAM share, accepted).
    Share {
        /// The resource's owner, who shares.
        owner: usize,
        /// The resource.
        resource: ResourceSlot,
        /// The principal it is shared with.
        with: usize,
    },
    /// Stop sharing a resource.
    Unshare {
        /// The resource's owner.
        owner: usize,
        /// The resource.
        resource: ResourceSlot,
        /// The principal it was shared with.
        with: usize,
    },
}

fn principal() -> impl Strategy<Value = usize> + Clone {
    prop_oneof![3 => Just(OWNER), 2 => Just(PEER), 1 => Just(OUTSIDER)]
}

fn token_choice() -> impl Strategy<Value = Option<TokenChoice>> + Clone {
    option::weighted(
        0.8,
        prop_oneof![
            2 => Just(TokenChoice::Fresh),
            3 => (0..TOKEN_SLOTS).prop_map(TokenChoice::Slot),
            1 => (0..TOKEN_SLOTS).prop_map(TokenChoice::SlotOtherCase),
        ],
    )
}

fn tag_choice() -> impl Strategy<Value = TagChoice> + Clone {
    prop_oneof![3 => Just(TagChoice::Absent), 1 => Just(TagChoice::Empty), 2 => (0..TAG_SETS).prop_map(TagChoice::Set)]
}

fn replay_change() -> impl Strategy<Value = ReplayChange> + Clone {
    prop_oneof![
        4 => Just(ReplayChange::Identical),
        1 => (0..SERVICES).prop_map(ReplayChange::Service),
        1 => (0..NETWORKS).prop_map(ReplayChange::Network),
        1 => tag_choice().prop_map(ReplayChange::Tags),
        1 => (0..PRINCIPALS).prop_map(ReplayChange::Principal),
        1 => Just(ReplayChange::IdentifierForm),
    ]
}

fn list_by() -> impl Strategy<Value = ListBy> + Clone {
    prop_oneof![
        (0..SERVICES, any::<bool>())
            .prop_map(|(service, by_arn)| ListBy::Service { service, by_arn }),
        (0..NETWORKS, any::<bool>())
            .prop_map(|(network, by_arn)| ListBy::Network { network, by_arn }),
    ]
}

fn resource() -> impl Strategy<Value = ResourceSlot> + Clone {
    prop_oneof![
        (0..SERVICES).prop_map(ResourceSlot::Service),
        (0..NETWORKS).prop_map(ResourceSlot::Network)
    ]
}

/// A create from `principal` that names at least one resource it owns (seven times in eight)
/// or any pair.
fn create_from(
    principal: impl Strategy<Value = usize> + Clone,
) -> impl Strategy<Value = Call> + Clone {
    let own = |p: usize, i: usize, per: usize| p * per + i % per;
    (
        principal,
        0..4u8,
        0..SERVICES,
        0..NETWORKS,
        token_choice(),
        tag_choice(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            move |(p, mode, s, n, token, tags, service_by_arn, network_by_arn)| {
                let (service, network) = match mode {
                    0 => (own(p, s, SERVICES_PER_PRINCIPAL), n),
                    1 => (s, own(p, n, NETWORKS_PER_PRINCIPAL)),
                    2 => (
                        own(p, s, SERVICES_PER_PRINCIPAL),
                        own(p, n, NETWORKS_PER_PRINCIPAL),
                    ),
                    _ => (s, n),
                };
                Call::Create {
                    principal: p,
                    service,
                    network,
                    token,
                    tags,
                    service_by_arn,
                    network_by_arn,
                }
            },
        )
}

/// A call with indices in range but references not yet tied to the sequence.
fn loose_call() -> impl Strategy<Value = Call> {
    let assoc = || prop_oneof![9 => any::<usize>().prop_map(AssociationRef::Created), 1 => Just(AssociationRef::Unknown)];
    prop_oneof![
        6 => create_from(principal()),
        2 => (any::<usize>(), replay_change()).prop_map(|(create, change)| Call::Replay { create, change }),
        2 => (principal(), assoc()).prop_map(|(principal, association)| Call::Get { principal, association }),
        1 => (principal(), list_by()).prop_map(|(principal, by)| Call::List { principal, by }),
        2 => (principal(), assoc()).prop_map(|(principal, association)| Call::Delete { principal, association }),
        1 => (principal(), assoc(), 0..TAG_SETS).prop_map(|(principal, association, tags)| Call::Tag { principal, association, tags }),
        1 => (principal(), assoc()).prop_map(|(principal, association)| Call::ListTags { principal, association }),
        2 => (resource(), 1..PRINCIPALS).prop_map(|(resource, d)| {
            let owner = resource.owner();
            Call::Share { owner, resource, with: (owner + d) % PRINCIPALS }
        }),
        1 => (resource(), 1..PRINCIPALS).prop_map(|(resource, d)| {
            let owner = resource.owner();
            Call::Unshare { owner, resource, with: (owner + d) % PRINCIPALS }
        }),
    ]
}

/// Ties every reference of a loosely drawn sequence to what came before it: replays point at
/// earlier creates that sent a token (or are dropped), association references at earlier
/// creates (or become [`AssociationRef::Unknown`]), and unshares at live shares (or are dropped).
pub fn tie_references(calls: Vec<Call>) -> Vec<Call> {
    let mut state = CallState::default();
    let mut out = Vec::with_capacity(calls.len());
    for call in calls {
        let tied = match call {
            Call::Replay { create, change } => {
                let tokened = state.tokened_creates();
                if tokened.is_empty() {
                    continue;
                }
                Call::Replay {
                    create: tokened[create % tokened.len()],
                    change,
                }
            }
            Call::Get {
                principal,
                association,
            } => Call::Get {
                principal,
                association: state.tie(association),
            },
            Call::Delete {
                principal,
                association,
            } => Call::Delete {
                principal,
                association: state.tie(association),
            },
            Call::Tag {
                principal,
                association,
                tags,
            } => Call::Tag {
                principal,
                association: state.tie(association),
                tags,
            },
            Call::ListTags {
                principal,
                association,
            } => Call::ListTags {
                principal,
                association: state.tie(association),
            },
            Call::Unshare {
                owner,
                resource,
                with,
            } if !state.shares.contains(&(resource, with)) => {
                let _ = owner;
                continue;
            }
            other => other,
        };
        state = CallModel::apply(state, &tied);
        out.push(tied);
    }
    out
}

/// A sequence of up to `max_len` calls whose references all point backwards (see
/// [`tie_references`]); a plain `Vec` strategy that shrinks by dropping and simplifying calls.
pub fn call_sequence(max_len: usize) -> impl Strategy<Value = Vec<Call>> {
    vec(loose_call(), 0..=max_len).prop_map(tie_references)
}

/// What a create sent, as far as later calls need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRecord {
    /// Who called.
    pub principal: usize,
    /// The service.
    pub service: usize,
    /// The service network.
    pub network: usize,
    /// The token sent, if any.
    pub token: Option<TokenChoice>,
}

/// The abstract state of [`CallModel`]: what has been asked so far (not what succeeded: that is
/// the spec model's business).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallState {
    /// Every create, in order.
    pub creates: Vec<CreateRecord>,
    /// Live shares: (resource, principal shared with).
    pub shares: BTreeSet<(ResourceSlot, usize)>,
    /// Creates whose association a `Delete` has been sent for, with how many times.
    pub deletes: BTreeMap<usize, usize>,
}

impl CallState {
    fn tokened_creates(&self) -> Vec<usize> {
        self.creates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.token.is_some())
            .map(|(i, _)| i)
            .collect()
    }

    fn tie(&self, a: AssociationRef) -> AssociationRef {
        match a {
            AssociationRef::Created(i) if !self.creates.is_empty() => {
                AssociationRef::Created(i % self.creates.len())
            }
            _ => AssociationRef::Unknown,
        }
    }

    fn assoc_ok(&self, a: AssociationRef) -> bool {
        match a {
            AssociationRef::Created(i) => i < self.creates.len(),
            AssociationRef::Unknown => true,
        }
    }

    /// Whether principal `p` may see resource `r` (owns it, or it is shared with `p`).
    pub fn visible(&self, p: usize, r: ResourceSlot) -> bool {
        r.owner() == p || self.shares.contains(&(r, p))
    }
}

/// A reference state machine that proposes plausible calls: creates that name a resource the
/// caller owns or can see, replays of creates that sent a token, reads and deletes of
/// associations that were asked for, shares by the owner and unshares of live shares.
#[derive(Debug, Clone, Copy)]
pub struct CallModel;

impl ReferenceStateMachine for CallModel {
    type State = CallState;
    type Transition = Call;

    fn init_state() -> BoxedStrategy<CallState> {
        Just(CallState::default()).boxed()
    }

    fn transitions(state: &CallState) -> BoxedStrategy<Call> {
        let mut choices: Vec<(u32, BoxedStrategy<Call>)> = vec![
            (6, create_from(principal()).boxed()),
            (
                1,
                (principal(), list_by())
                    .prop_map(|(principal, by)| Call::List { principal, by })
                    .boxed(),
            ),
            (
                2,
                (resource(), 1..PRINCIPALS)
                    .prop_map(|(resource, d)| {
                        let owner = resource.owner();
                        Call::Share {
                            owner,
                            resource,
                            with: (owner + d) % PRINCIPALS,
                        }
                    })
                    .boxed(),
            ),
        ];
        // Creates that use what has been shared with the caller.
        let shared: Vec<(ResourceSlot, usize)> = state.shares.iter().copied().collect();
        if !shared.is_empty() {
            choices.push((
                3,
                (
                    select(shared.clone()),
                    0..SERVICES_PER_PRINCIPAL.max(NETWORKS_PER_PRINCIPAL),
                    token_choice(),
                    tag_choice(),
                    any::<bool>(),
                )
                    .prop_map(|((r, p), i, token, tags, service_by_arn)| {
                        let (service, network) = match r {
                            ResourceSlot::Service(s) => {
                                (s, p * NETWORKS_PER_PRINCIPAL + i % NETWORKS_PER_PRINCIPAL)
                            }
                            ResourceSlot::Network(n) => {
                                (p * SERVICES_PER_PRINCIPAL + i % SERVICES_PER_PRINCIPAL, n)
                            }
                        };
                        Call::Create {
                            principal: p,
                            service,
                            network,
                            token,
                            tags,
                            service_by_arn,
                            network_by_arn: true,
                        }
                    })
                    .boxed(),
            ));
            choices.push((
                1,
                select(shared)
                    .prop_map(|(resource, with)| Call::Unshare {
                        owner: resource.owner(),
                        resource,
                        with,
                    })
                    .boxed(),
            ));
        }
        let tokened = state.tokened_creates();
        if !tokened.is_empty() {
            choices.push((
                3,
                (select(tokened), replay_change())
                    .prop_map(|(create, change)| Call::Replay { create, change })
                    .boxed(),
            ));
        }
        if !state.creates.is_empty() {
            let n = state.creates.len();
            let creators: Vec<usize> = state.creates.iter().map(|c| c.principal).collect();
            let assoc = move || {
                let creators = creators.clone();
                prop_oneof![
                    9 => (0..n, option::weighted(0.8, Just(()))).prop_map(move |(i, same)| (
                        AssociationRef::Created(i),
                        same.map(|_| creators[i])
                    )),
                    1 => Just((AssociationRef::Unknown, None)),
                ]
            };
            let who =
                |(a, p): (AssociationRef, Option<usize>), other: usize| (a, p.unwrap_or(other));
            // A call on one association, by its creator most of the time.
            let on_association = |make: fn(usize, AssociationRef) -> Call| {
                (assoc(), principal())
                    .prop_map(move |(a, o)| {
                        let (association, principal) = who(a, o);
                        make(principal, association)
                    })
                    .boxed()
            };
            choices.push((
                3,
                on_association(|principal, association| Call::Get {
                    principal,
                    association,
                }),
            ));
            choices.push((
                2,
                on_association(|principal, association| Call::Delete {
                    principal,
                    association,
                }),
            ));
            choices.push((
                1,
                (assoc(), principal(), 0..TAG_SETS)
                    .prop_map(move |(a, o, tags)| {
                        let (association, principal) = who(a, o);
                        Call::Tag {
                            principal,
                            association,
                            tags,
                        }
                    })
                    .boxed(),
            ));
            choices.push((
                1,
                on_association(|principal, association| Call::ListTags {
                    principal,
                    association,
                }),
            ));
        }
        proptest::strategy::Union::new_weighted(choices).boxed()
    }

    fn apply(mut state: CallState, call: &Call) -> CallState {
        match *call {
            Call::Create {
                principal,
                service,
                network,
                token,
                ..
            } => {
                state.creates.push(CreateRecord {
                    principal,
                    service,
                    network,
                    token,
                });
            }
            Call::Delete {
                association: AssociationRef::Created(i),
                ..
            } => {
                *state.deletes.entry(i).or_default() += 1;
            }
            Call::Share { resource, with, .. } => {
                state.shares.insert((resource, with));
            }
            Call::Unshare { resource, with, .. } => {
                state.shares.remove(&(resource, with));
            }
            _ => {}
        }
        state
    }

    fn preconditions(state: &CallState, call: &Call) -> bool {
        let p_ok = |p: usize| p < PRINCIPALS;
        match *call {
            Call::Create {
                principal,
                service,
                network,
                token,
                tags,
                ..
            } => {
                p_ok(principal)
                    && service < SERVICES
                    && network < NETWORKS
                    && match token {
                        Some(TokenChoice::Slot(n) | TokenChoice::SlotOtherCase(n)) => {
                            n < TOKEN_SLOTS
                        }
                        _ => true,
                    }
                    && !matches!(tags, TagChoice::Set(n) if n >= TAG_SETS)
            }
            Call::Replay { create, .. } => {
                state.creates.get(create).is_some_and(|c| c.token.is_some())
            }
            Call::Get {
                principal,
                association,
            }
            | Call::Delete {
                principal,
                association,
            }
            | Call::ListTags {
                principal,
                association,
            } => p_ok(principal) && state.assoc_ok(association),
            Call::Tag {
                principal,
                association,
                tags,
            } => p_ok(principal) && state.assoc_ok(association) && tags < TAG_SETS,
            Call::List { principal, .. } => p_ok(principal),
            Call::Share {
                owner,
                resource,
                with,
            } => owner == resource.owner() && p_ok(with) && with != owner,
            Call::Unshare {
                owner,
                resource,
                with,
            } => owner == resource.owner() && state.shares.contains(&(resource, with)),
        }
    }
}
