//! From an abstract call to a concrete one, and what the model knows of a sequence so far. Pure:
//! the endpoint's run ([`super::machine`]) and the model's replays of shrunk sequences
//! ([`super::shrink`]) plan, judge and record every call through the same [`Replica`].

use std::collections::{BTreeMap, BTreeSet};

use lattice_checks::{sequence, Exchange, Verdict};
use lattice_gen::calls::{
    network_owner, service_owner, tag_set, AssociationRef, Call, ListBy, ReplayChange,
    ResourceSlot, TagChoice, TokenChoice, TOKEN_SLOTS,
};
use lattice_spec::model::{Phase, Prediction, World};
use lattice_spec::wire::{CreateAssociationRequest, Tags};
use lattice_spec::{ResourceKind, Role, RuleId};
use lattice_transport::fixtures::CreatedResource;

/// A well-formed association id that is never created: what a reference to a create that
/// failed, or to no create at all, names.
const GHOST_ID: &str = "snsa-0000000000000000z";

/// The real resources of one sequence's universe (made by the fixtures), its token slots and
/// the accounts of its principals.
#[derive(Debug, Clone)]
pub(super) struct Universe {
    /// Services, numbered as `lattice_gen::calls` numbers them.
    pub(super) services: Vec<CreatedResource>,
    /// Service networks, numbered likewise.
    pub(super) networks: Vec<CreatedResource>,
    /// One token per slot.
    pub(super) tokens: Vec<String>,
    /// Each principal's account.
    pub(super) accounts: BTreeMap<Role, String>,
}

impl Universe {
    /// A principal's account (empty when the endpoint never told it).
    pub(super) fn account(&self, role: Role) -> &str {
        self.accounts.get(&role).map_or("", String::as_str)
    }

    /// The resource in a slot.
    pub(super) fn resource(&self, slot: ResourceSlot) -> &CreatedResource {
        match slot {
            ResourceSlot::Service(s) => &self.services[s],
            ResourceSlot::Network(n) => &self.networks[n],
        }
    }

    fn token(&self, choice: TokenChoice, fresh: &mut dyn FnMut() -> String) -> String {
        match choice {
            TokenChoice::Fresh => fresh(),
            TokenChoice::Slot(n) => self.tokens[n % TOKEN_SLOTS].clone(),
            TokenChoice::SlotOtherCase(n) => self.tokens[n % TOKEN_SLOTS].to_uppercase(),
        }
    }
}

/// What a planned call does on the endpoint.
#[derive(Debug, Clone)]
pub(super) enum Action {
    /// A Create (or a replay of one) with this request.
    Create {
        /// The request.
        request: CreateAssociationRequest,
        /// Whether it is a `Call::Create` (association references count those, not replays).
        counted: bool,
    },
    /// Get an association.
    Get(String),
    /// Delete an association (once it is past CREATE_IN_PROGRESS).
    Delete(String),
    /// Tag an association (its ARN is read with a Get first) with a tag set.
    Tag(String, usize),
    /// List associations by `key=value`.
    List {
        /// `serviceIdentifier` or `serviceNetworkIdentifier`.
        key: &'static str,
        /// The identifier sent.
        value: String,
    },
    /// Share a resource through RAM with a principal.
    Share(ResourceSlot, Role),
    /// End a share.
    Unshare(ResourceSlot, Role),
    /// Nothing is sent (`ListTags`, which the model does not predict).
    Nothing,
}

/// What the model expects of a planned call.
#[derive(Debug, Clone)]
pub(super) enum Expectation {
    /// One of the prediction's outcomes.
    Outcome(Prediction),
    /// A List showing every id of `must` and none outside `must` and `may`.
    Listing(BTreeSet<String>, BTreeSet<String>),
    /// A share or unshare: setup, not judged.
    Setup(RuleId),
}

/// A call made concrete in a universe, with the model's expectation.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    /// Who sends it.
    pub(super) principal: Role,
    /// The call in words (`owner: Get snsa-…`).
    pub(super) text: String,
    /// What it does.
    pub(super) action: Action,
    /// What the model expects.
    pub(super) expectation: Expectation,
}

impl Planned {
    /// The rule that decides the call, as the model names it. A List is attributed to
    /// OWN-OUTSIDER (who may see an association).
    pub(super) fn rule(&self) -> RuleId {
        match &self.expectation {
            Expectation::Outcome(p) => p.rule,
            Expectation::Listing(..) => RuleId::OwnOutsider,
            Expectation::Setup(rule) => *rule,
        }
    }

    /// Whether the model expects the call to succeed (and so the association it names to be
    /// there).
    pub(super) fn expects_success(&self) -> bool {
        matches!(&self.expectation, Expectation::Outcome(p) if p.is_success())
    }

    /// What the model expects, in words.
    pub(super) fn expected_text(&self) -> String {
        match &self.expectation {
            Expectation::Outcome(p) => sequence::prediction_text(p),
            Expectation::Listing(must, _) => format!("{} listed", must.len()),
            Expectation::Setup(_) => "done".into(),
        }
    }
}

/// An association, named by who created it for which pair and how many such came before: the
/// same in the endpoint's run and in the model's replay of a shrunk sequence, whatever ids each
/// gave it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct AssociationKey {
    creator: String,
    service: String,
    network: String,
    rank: usize,
}

/// The part of the model's state that a call's outcome depends on, associations named by key:
/// the uses of its client token (by whom, in the same letter case or not, bound to what), the
/// associations of its pair or of the resource it lists by or the one it names, and with whom
/// its resources are shared. Two sequences that reach a call in the same situation give the
/// endpoint the same reasons to answer it the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Situation {
    tokens: BTreeSet<(String, bool, Option<AssociationKey>)>,
    associations: Vec<(Option<AssociationKey>, Phase)>,
    shares: Vec<BTreeSet<String>>,
}

/// A create as sent, and the association it made.
#[derive(Debug, Clone)]
struct SentCreate {
    principal: Role,
    request: CreateAssociationRequest,
    id: Option<String>,
}

/// What the model knows of a sequence so far: its world, the creates sent (association
/// references count them) and the key of every association id seen.
#[derive(Debug, Clone)]
pub(super) struct Replica {
    world: World,
    creates: Vec<SentCreate>,
    keys: BTreeMap<String, AssociationKey>,
}

fn tags_of(choice: TagChoice) -> Option<Tags> {
    match choice {
        TagChoice::Absent => None,
        TagChoice::Empty => Some(Tags::new()),
        TagChoice::Set(n) => Some(tag_set(n)),
    }
}

fn ident(res: &CreatedResource, by_arn: bool) -> String {
    if by_arn {
        res.arn.clone()
    } else {
        res.id.clone()
    }
}

/// The other form of an identifier of one of `all` (id ↔ ARN), or itself.
fn flip(ident: &str, all: &[CreatedResource]) -> String {
    all.iter()
        .find_map(|r| {
            (r.id == ident)
                .then(|| r.arn.clone())
                .or_else(|| (r.arn == ident).then(|| r.id.clone()))
        })
        .unwrap_or_else(|| ident.to_owned())
}

impl Replica {
    /// The model of a fresh universe: its resources and their owners, nothing else.
    pub(super) fn new(universe: &Universe, quota: Option<usize>) -> Self {
        let mut world = World::new();
        world.quota_per_network = quota;
        for (i, s) in universe.services.iter().enumerate() {
            let owner = universe.account(service_owner(i));
            world.add_resource(&s.id, ResourceKind::Service, owner);
        }
        for (i, n) in universe.networks.iter().enumerate() {
            let owner = universe.account(network_owner(i));
            world.add_resource(&n.id, ResourceKind::ServiceNetwork, owner);
        }
        Self {
            world,
            creates: Vec::new(),
            keys: BTreeMap::new(),
        }
    }

    /// The id this sequence gave the association of `key`.
    pub(super) fn id_of(&self, key: &AssociationKey) -> Option<&str> {
        self.keys
            .iter()
            .find_map(|(id, k)| (k == key).then_some(id.as_str()))
    }

    /// Every association id this sequence has seen, with its key.
    pub(super) fn ids(&self) -> impl Iterator<Item = (&String, &AssociationKey)> {
        self.keys.iter()
    }

    /// How many association ids this sequence has seen.
    pub(super) fn ids_seen(&self) -> usize {
        self.keys.len()
    }

    /// The situation of a planned call in this sequence (see [`Situation`]).
    pub(super) fn situation(&self, universe: &Universe, planned: &Planned) -> Situation {
        let id_in = |ident: &str, all: &[CreatedResource]| {
            all.iter()
                .find(|r| r.id == ident || r.arn == ident)
                .map_or_else(|| ident.to_owned(), |r| r.id.clone())
        };
        let mut situation = Situation::default();
        let (service, network) = match &planned.action {
            Action::Create { request, .. } => {
                let token = request.client_token.as_deref().unwrap_or_default();
                situation.tokens = (self.world.token_uses(token))
                    .filter(|_| request.client_token.is_some())
                    .map(|(account, sent, id)| {
                        (
                            account.to_owned(),
                            sent == token,
                            self.keys.get(id).cloned(),
                        )
                    })
                    .collect();
                let service = id_in(&request.service_identifier, &universe.services);
                let network = id_in(&request.service_network_identifier, &universe.networks);
                (Some(service), Some(network))
            }
            Action::List { key, value } if *key == "serviceIdentifier" => {
                (Some(id_in(value, &universe.services)), None)
            }
            Action::List { value, .. } => (None, Some(id_in(value, &universe.networks))),
            Action::Get(id) | Action::Delete(id) | Action::Tag(id, _) => {
                let a = self.world.association(id);
                situation.associations = a
                    .map(|a| (self.keys.get(id).cloned(), a.phase))
                    .into_iter()
                    .collect();
                return situation;
            }
            _ => return situation,
        };
        let on = |res: &Option<String>, id: &String| res.as_ref().is_none_or(|r| r == id);
        situation.associations = (self.world.associations().iter())
            .filter(|(_, a)| on(&service, &a.service) && on(&network, &a.network))
            .map(|(id, a)| (self.keys.get(id).cloned(), a.phase))
            .collect();
        situation.associations.sort_by(|a, b| a.0.cmp(&b.0));
        situation.shares = [service, network]
            .iter()
            .flatten()
            .filter_map(|id| self.world.resource(id))
            .map(|r| r.shared_with.clone())
            .collect();
        situation
    }

    /// The id of an association reference, and the model's prediction of a call on it.
    fn on(
        &self,
        universe: &Universe,
        principal: Role,
        a: AssociationRef,
        predict: fn(&World, &str, &str) -> Prediction,
    ) -> (String, Prediction) {
        let id = match a {
            AssociationRef::Created(n) => self.creates.get(n).and_then(|c| c.id.clone()),
            AssociationRef::Unknown => None,
        }
        .unwrap_or_else(|| GHOST_ID.to_owned());
        let prediction = predict(&self.world, universe.account(principal), &id);
        (id, prediction)
    }

    /// Makes `call` concrete in `universe` and predicts it; `fresh` makes a token never sent.
    pub(super) fn plan(
        &self,
        universe: &Universe,
        call: &Call,
        fresh: &mut dyn FnMut() -> String,
    ) -> Planned {
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
                let (s, n) = (&universe.services[service], &universe.networks[network]);
                let request = CreateAssociationRequest {
                    client_token: token.map(|t| universe.token(t, fresh)),
                    service_identifier: ident(s, service_by_arn),
                    service_network_identifier: ident(n, network_by_arn),
                    tags: tags_of(tags),
                };
                let text = format!(
                    "Create svc[{service}] ({}{}) + sn[{network}] ({}{}), token {:?}, tags {tags:?}",
                    service_owner(service),
                    if service_by_arn { ", by ARN" } else { "" },
                    network_owner(network),
                    if network_by_arn { ", by ARN" } else { "" },
                    request.client_token,
                );
                self.plan_create(universe, principal, text, request, true)
            }
            Call::Replay { create, change } => self.plan_replay(universe, create, change),
            Call::Get {
                principal,
                association,
            } => {
                let (id, p) = self.on(universe, principal, association, World::predict_get);
                self.planned(principal, format!("Get {id}"), Action::Get(id), p)
            }
            Call::Delete {
                principal,
                association,
            } => {
                let (id, p) = self.on(universe, principal, association, World::predict_delete);
                self.planned(principal, format!("Delete {id}"), Action::Delete(id), p)
            }
            Call::Tag {
                principal,
                association,
                tags,
            } => {
                // Tagging is allowed to those who may read the association.
                let (id, p) = self.on(universe, principal, association, World::predict_get);
                let text = format!("Tag {id} with set {tags}");
                self.planned(principal, text, Action::Tag(id, tags), p)
            }
            Call::List { principal, by } => self.plan_list(universe, principal, by),
            Call::ListTags { principal, .. } => Planned {
                principal,
                text: format!("{principal}: ListTags (not sent)"),
                action: Action::Nothing,
                expectation: Expectation::Setup(RuleId::OwnOutsider),
            },
            Call::Share {
                owner,
                resource,
                with,
            } => Planned {
                principal: owner,
                text: format!(
                    "{owner}: Share {} with {with}",
                    universe.resource(resource).id
                ),
                action: Action::Share(resource, with),
                expectation: Expectation::Setup(RuleId::OwnSharedNetwork),
            },
            Call::Unshare {
                owner,
                resource,
                with,
            } => Planned {
                principal: owner,
                text: format!(
                    "{owner}: Unshare {} from {with}",
                    universe.resource(resource).id
                ),
                action: Action::Unshare(resource, with),
                expectation: Expectation::Setup(RuleId::OwnUnshare),
            },
        }
    }

    fn planned(&self, principal: Role, text: String, action: Action, p: Prediction) -> Planned {
        Planned {
            principal,
            text: format!("{principal}: {text}"),
            action,
            expectation: Expectation::Outcome(p),
        }
    }

    fn plan_create(
        &self,
        universe: &Universe,
        principal: Role,
        text: String,
        request: CreateAssociationRequest,
        counted: bool,
    ) -> Planned {
        let caller = universe.account(principal);
        let p = self.world.predict_create(caller, &request.to_json());
        self.planned(principal, text, Action::Create { request, counted }, p)
    }

    /// The `create`-th create again, from its principal unless the change says otherwise.
    fn plan_replay(&self, universe: &Universe, create: usize, change: ReplayChange) -> Planned {
        let Some(original) = self.creates.get(create) else {
            // The reference state machine's preconditions make this unreachable.
            return Planned {
                principal: Role::Owner,
                text: format!("Replay create #{} (no such create: not sent)", create + 1),
                action: Action::Nothing,
                expectation: Expectation::Setup(RuleId::IdempReplay),
            };
        };
        let mut request = original.request.clone();
        let mut principal = original.principal;
        match change {
            ReplayChange::Identical => {}
            ReplayChange::Service(s) => {
                request.service_identifier = universe.services[s].arn.clone()
            }
            ReplayChange::Network(n) => {
                request.service_network_identifier = universe.networks[n].arn.clone()
            }
            ReplayChange::Tags(t) => request.tags = tags_of(t),
            ReplayChange::Principal(p) => principal = p,
            ReplayChange::IdentifierForm => {
                request.service_identifier = flip(&request.service_identifier, &universe.services);
                request.service_network_identifier =
                    flip(&request.service_network_identifier, &universe.networks);
            }
        }
        let text = format!("Replay create #{} ({change:?})", create + 1);
        self.plan_create(universe, principal, text, request, false)
    }

    fn plan_list(&self, universe: &Universe, principal: Role, by: ListBy) -> Planned {
        let (key, value, service, network) = match by {
            ListBy::Service { service, by_arn } => {
                let s = &universe.services[service];
                (
                    "serviceIdentifier",
                    ident(s, by_arn),
                    Some(s.id.clone()),
                    None,
                )
            }
            ListBy::Network { network, by_arn } => {
                let n = &universe.networks[network];
                (
                    "serviceNetworkIdentifier",
                    ident(n, by_arn),
                    None,
                    Some(n.id.clone()),
                )
            }
        };
        let (must, may) = self.world.expected_list(
            universe.account(principal),
            service.as_deref(),
            network.as_deref(),
        );
        Planned {
            principal,
            text: format!("{principal}: List by {key}={value}"),
            action: Action::List { key, value },
            expectation: Expectation::Listing(must, may),
        }
    }

    /// Judges what the endpoint answered to a planned call (lattice-checks' pure judgements).
    pub(super) fn judge(&self, universe: &Universe, planned: &Planned, e: &Exchange) -> Verdict {
        match (&planned.expectation, &planned.action) {
            (Expectation::Outcome(p), Action::Create { .. }) => {
                sequence::judge_create(p, &self.world, universe.account(planned.principal), e)
            }
            (Expectation::Outcome(p), _) => sequence::judge_call(p, e),
            (Expectation::Listing(must, may), _) => sequence::judge_list(must, may, e),
            (Expectation::Setup(_), _) => Verdict::Pass,
        }
    }

    /// Applies what a judged call did to the model: a 200 Create records its association (and
    /// the key of a new id), every `Call::Create` is counted, a 200 Delete marks the
    /// association deleting (and forgets it when `gone`), shares change visibility.
    pub(super) fn record(
        &mut self,
        universe: &Universe,
        planned: &Planned,
        answer: Option<&Exchange>,
        gone: bool,
    ) {
        let status = answer.and_then(Exchange::ok).map(|r| r.status);
        let caller = universe.account(planned.principal).to_owned();
        match &planned.action {
            Action::Create { request, counted } => {
                let id = answer
                    .filter(|_| status == Some(200))
                    .and_then(|e| lattice_checks::state::member_of(e, "id"));
                if let Some(id) = &id {
                    self.world.record_create(&caller, request, id);
                    self.learn_key(id);
                }
                if *counted {
                    let (principal, request) = (planned.principal, request.clone());
                    self.creates.push(SentCreate {
                        principal,
                        request,
                        id,
                    });
                }
            }
            Action::Delete(id) if status == Some(200) => {
                self.world.record_delete(id);
                if gone {
                    self.world.record_gone(id);
                }
            }
            Action::Share(slot, with) => {
                let res = universe.resource(*slot);
                self.world.share(&res.id, universe.account(*with));
            }
            Action::Unshare(slot, with) => {
                let res = universe.resource(*slot);
                self.world.unshare(&res.id, universe.account(*with));
            }
            _ => {}
        }
    }

    fn learn_key(&mut self, id: &str) {
        let Some(a) = self.world.association(id) else {
            return;
        };
        if self.keys.contains_key(id) {
            return;
        }
        let mut key = AssociationKey {
            creator: a.creator.clone(),
            service: a.service.clone(),
            network: a.network.clone(),
            rank: 0,
        };
        key.rank = self
            .keys
            .values()
            .filter(|k| {
                (&k.creator, &k.service, &k.network) == (&key.creator, &key.service, &key.network)
            })
            .count();
        self.keys.insert(id.to_owned(), key);
    }
}
