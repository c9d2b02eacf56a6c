//! Call sequences for stateful runs, over a small fixed universe that the harness maps to real
//! accounts and resources.
//!
//! The universe: [`PRINCIPALS`] accounts, one per [`Role`] (the owner, a peer, an outsider),
//! each owning [`SERVICES_PER_PRINCIPAL`] services and [`NETWORKS_PER_PRINCIPAL`] service
//! networks. Services and networks are numbered globally: service `i` belongs to the role at
//! position `i / SERVICES_PER_PRINCIPAL` of [`Role::ALL`] (see [`service_owner`]). Associations are named by the `Create`
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
//!   breaks its shrinking. This is what the harness's stateful property runs.
//!
//! Neither predicts outcomes: that is `lattice_spec`'s model. To compare a call of one sequence
//! with a call of another (a shrunk one), [`CallState::resolve`] replaces its references by the
//! creates they name.

use std::collections::{BTreeMap, BTreeSet};

use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest_state_machine::ReferenceStateMachine;

use lattice_spec::Role;

/// Number of principals (accounts) in the universe: one per [`Role`].
pub const PRINCIPALS: usize = Role::ALL.len();
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

/// The principal that owns service `service` (`service < SERVICES`).
pub fn service_owner(service: usize) -> Role {
    Role::ALL[service / SERVICES_PER_PRINCIPAL % PRINCIPALS]
}

/// The principal that owns service network `network` (`network < NETWORKS`).
pub fn network_owner(network: usize) -> Role {
    Role::ALL[network / NETWORKS_PER_PRINCIPAL % PRINCIPALS]
}

/// The principal `steps` places after `role` in [`Role::ALL`], wrapping around.
fn role_after(role: Role, steps: usize) -> Role {
    Role::ALL[(role.index() + steps) % PRINCIPALS]
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
    Principal(Role),
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
    pub fn owner(self) -> Role {
        match self {
            ResourceSlot::Service(s) => service_owner(s),
            ResourceSlot::Network(n) => network_owner(n),
        }
    }

    /// Whether it names a resource of the universe.
    pub fn in_range(self) -> bool {
        match self {
            ResourceSlot::Service(s) => s < SERVICES,
            ResourceSlot::Network(n) => n < NETWORKS,
        }
    }
}

/// One call of a stateful run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Call {
    /// `CreateServiceNetworkServiceAssociation`.
    Create {
        /// Who calls.
        principal: Role,
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
        principal: Role,
        /// The association.
        association: AssociationRef,
    },
    /// `ListServiceNetworkServiceAssociations`.
    List {
        /// Who calls.
        principal: Role,
        /// The filter.
        by: ListBy,
    },
    /// `DeleteServiceNetworkServiceAssociation`.
    Delete {
        /// Who calls.
        principal: Role,
        /// The association.
        association: AssociationRef,
    },
    /// `TagResource` on the association's ARN.
    Tag {
        /// Who calls.
        principal: Role,
        /// The association.
        association: AssociationRef,
        /// The tag set to add.
        tags: usize,
    },
    /// `ListTagsForResource` on the association's ARN.
    ListTags {
        /// Who calls.
        principal: Role,
        /// The association.
        association: AssociationRef,
    },
    /// Share a resource with another principal (AWS RAM share, accepted).
    Share {
        /// The resource's owner, who shares.
        owner: Role,
        /// The resource.
        resource: ResourceSlot,
        /// The principal it is shared with.
        with: Role,
    },
    /// Stop sharing a resource.
    Unshare {
        /// The resource's owner.
        owner: Role,
        /// The resource.
        resource: ResourceSlot,
        /// The principal it was shared with.
        with: Role,
    },
}

fn principal() -> impl Strategy<Value = Role> + Clone {
    prop_oneof![3 => Just(Role::Owner), 2 => Just(Role::Peer), 1 => Just(Role::Outsider)]
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
        1 => (0..PRINCIPALS).prop_map(|p| ReplayChange::Principal(Role::ALL[p])),
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

/// The index of principal `p`'s `i`-th slot among `per` slots per principal.
fn own(p: Role, i: usize, per: usize) -> usize {
    p.index() * per + i % per
}

/// A create from `principal` that names at least one resource it owns (seven times in eight)
/// or any pair.
fn create_from(
    principal: impl Strategy<Value = Role> + Clone,
) -> impl Strategy<Value = Call> + Clone {
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

/// `calls` without call `i`, every other reference still naming the same create: when call `i`
/// is a `Create`, the calls that name it (its replays, the calls on its association) go with it
/// and references to later creates are renumbered. Dropping a `Share` may leave an `Unshare`
/// without its share: check the result with [`CallModel`]'s preconditions.
pub fn without_call(calls: &[Call], i: usize) -> Vec<Call> {
    let is_create = |c: &Call| matches!(c, Call::Create { .. });
    let removed = (calls.get(i).is_some_and(is_create))
        .then(|| calls[..i].iter().filter(|c| is_create(c)).count());
    // The new index of create `n`, or none for the removed one.
    let renumber = |n: &mut usize| match removed {
        Some(k) if *n == k => false,
        Some(k) if *n > k => {
            *n -= 1;
            true
        }
        _ => true,
    };
    let mut out = Vec::with_capacity(calls.len());
    for (j, call) in calls.iter().enumerate() {
        let mut call = call.clone();
        let keep = j != i
            && match &mut call {
                Call::Replay { create, .. } => renumber(create),
                Call::Get { association, .. }
                | Call::Delete { association, .. }
                | Call::Tag { association, .. }
                | Call::ListTags { association, .. } => match association {
                    AssociationRef::Created(n) => renumber(n),
                    AssociationRef::Unknown => true,
                },
                _ => true,
            };
        if keep {
            out.push(call);
        }
    }
    out
}

/// What a create sent, as far as later calls need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRecord {
    /// Who called.
    pub principal: Role,
    /// The service.
    pub service: usize,
    /// The service network.
    pub network: usize,
    /// The token sent, if any.
    pub token: Option<TokenChoice>,
    /// The tags sent.
    pub tags: TagChoice,
    /// Whether the service and the service network were named by ARN.
    pub by_arn: (bool, bool),
}

/// A call with its references replaced by what they name, so that a call of one sequence can be
/// compared with a call of another: in a shrunk sequence the same create has another index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCall {
    /// The call, with the create index of a [`Call::Replay`] and the index of an
    /// [`AssociationRef::Created`] set to 0.
    pub call: Call,
    /// The create the call names, and how many earlier creates sent the same (0 for the first).
    pub create: Option<(CreateRecord, usize)>,
}

/// The abstract state of [`CallModel`]: what has been asked so far (not what succeeded: that is
/// the spec model's business).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallState {
    /// Every create, in order.
    pub creates: Vec<CreateRecord>,
    /// Live shares: (resource, principal shared with).
    pub shares: BTreeSet<(ResourceSlot, Role)>,
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

    fn assoc_ok(&self, a: AssociationRef) -> bool {
        match a {
            AssociationRef::Created(i) => i < self.creates.len(),
            AssociationRef::Unknown => true,
        }
    }

    /// Whether principal `p` may see resource `r` (owns it, or it is shared with `p`).
    pub fn visible(&self, p: Role, r: ResourceSlot) -> bool {
        r.owner() == p || self.shares.contains(&(r, p))
    }

    /// The `n`-th create, and how many creates before it sent the same.
    fn create_named(&self, n: usize) -> Option<(CreateRecord, usize)> {
        let record = self.creates.get(n)?;
        let earlier = self.creates[..n].iter().filter(|c| *c == record).count();
        Some((record.clone(), earlier))
    }

    /// `call` (made in this state) with its references replaced by the creates they name.
    pub fn resolve(&self, call: &Call) -> ResolvedCall {
        let mut call = call.clone();
        let mut create = None;
        match &mut call {
            Call::Replay { create: n, .. } => {
                create = self.create_named(*n);
                *n = 0;
            }
            Call::Get { association, .. }
            | Call::Delete { association, .. }
            | Call::Tag { association, .. }
            | Call::ListTags { association, .. } => {
                if let AssociationRef::Created(n) = association {
                    create = self.create_named(*n);
                    *association = AssociationRef::Created(0);
                }
            }
            _ => {}
        }
        ResolvedCall { call, create }
    }
}

/// Creates that use what has been shared with the caller, and unshares of live shares.
fn shared_choices(shared: Vec<(ResourceSlot, Role)>) -> Vec<(u32, BoxedStrategy<Call>)> {
    vec![
        (
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
                        ResourceSlot::Service(s) => (s, own(p, i, NETWORKS_PER_PRINCIPAL)),
                        ResourceSlot::Network(n) => (own(p, i, SERVICES_PER_PRINCIPAL), n),
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
        ),
        (
            1,
            select(shared)
                .prop_map(|(resource, with)| Call::Unshare {
                    owner: resource.owner(),
                    resource,
                    with,
                })
                .boxed(),
        ),
    ]
}

/// Calls on associations that were asked for (`state` has creates), mostly by a principal that
/// may see them.
fn association_choices(state: &CallState) -> Vec<(u32, BoxedStrategy<Call>)> {
    let mut choices = Vec::new();
    let n = state.creates.len();
    // Who may see each association (OWN-4): its creator and the owners of its resources.
    let seers: Vec<[Role; 3]> = state
        .creates
        .iter()
        .map(|c| {
            [
                c.principal,
                service_owner(c.service),
                network_owner(c.network),
            ]
        })
        .collect();
    let assoc = move || {
        let seers = seers.clone();
        // Its creator (4 in 10), the service's owner (2), the network's (2), anyone (2).
        let seer = select(vec![Some(0), Some(0), Some(1), Some(2), None]);
        prop_oneof![
            9 => (0..n, seer).prop_map(move |(i, seer)| (
                AssociationRef::Created(i),
                seer.map(|s: usize| seers[i][s])
            )),
            1 => Just((AssociationRef::Unknown, None)),
        ]
    };
    let who = |(a, p): (AssociationRef, Option<Role>), other: Role| (a, p.unwrap_or(other));
    // A call on one association, mostly by a principal that may see it.
    let on_association = |make: fn(Role, AssociationRef) -> Call| {
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
    choices
}

/// A reference state machine that proposes plausible calls: creates that name a resource the
/// caller owns or can see, replays of creates that sent a token, reads and deletes of
/// associations that were asked for (mostly by a principal that may see them: the creator or a
/// resource owner), shares by the owner and unshares of live shares.
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
                            with: role_after(owner, d),
                        }
                    })
                    .boxed(),
            ),
        ];
        let shared: Vec<(ResourceSlot, Role)> = state.shares.iter().copied().collect();
        if !shared.is_empty() {
            choices.extend(shared_choices(shared));
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
            choices.extend(association_choices(state));
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
                tags,
                service_by_arn,
                network_by_arn,
            } => {
                state.creates.push(CreateRecord {
                    principal,
                    service,
                    network,
                    token,
                    tags,
                    by_arn: (service_by_arn, network_by_arn),
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
        match *call {
            Call::Create {
                service,
                network,
                token,
                tags,
                ..
            } => {
                service < SERVICES
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
            Call::Get { association, .. }
            | Call::Delete { association, .. }
            | Call::ListTags { association, .. } => state.assoc_ok(association),
            Call::Tag {
                association, tags, ..
            } => state.assoc_ok(association) && tags < TAG_SETS,
            Call::List { .. } => true,
            Call::Share {
                owner,
                resource,
                with,
            } => resource.in_range() && owner == resource.owner() && with != owner,
            Call::Unshare {
                owner,
                resource,
                with,
            } => owner == resource.owner() && state.shares.contains(&(resource, with)),
        }
    }
}

/// 1 to `max_len` calls drawn as [`CallModel`] draws them (every reference points backwards and
/// every precondition holds): the transitions of a sequential run, without its initial state.
pub fn call_sequence(max_len: usize) -> impl Strategy<Value = Vec<Call>> {
    use proptest_state_machine::ReferenceStateMachine;
    CallModel::sequential_strategy(1..=max_len.max(1)).prop_map(|(_, calls, _)| calls)
}
