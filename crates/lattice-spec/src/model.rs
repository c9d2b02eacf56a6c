//! The reference model: a [`World`] of accounts, services, service networks, RAM shares,
//! associations and client tokens, and the acceptable outcomes of any association call from any
//! account. The checks and the stateful property compare an endpoint against it.
//!
//! Order of checks for Create: parse → validation → existence → ownership → idempotency replay →
//! conflict → quota (the order after validation is inferred).
//! Where the contract is ambiguous a prediction holds every acceptable outcome.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::errors::ErrorType;
use crate::ids::{Identifier, ResourceKind};
use crate::validate::validate_create_value;
use crate::wire::{CreateAssociationRequest, Tags};
use crate::RuleId;

/// The lifecycle of a modelled resource or association, as far as the model can know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Created (CREATE_IN_PROGRESS or ACTIVE: the model does not track the difference).
    Live,
    /// A delete was accepted; the endpoint may still show it (DELETE_IN_PROGRESS) or not.
    Deleting,
    /// CREATE_FAILED: still occupies the pair until deleted (CONFLICT-5, inferred).
    Failed,
}

/// A service or service network in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Owner account.
    pub owner: String,
    /// Its kind.
    pub kind: ResourceKind,
    /// Its phase.
    pub phase: Phase,
    /// Accounts it is shared with through an accepted RAM share.
    pub shared_with: BTreeSet<String>,
}

/// An association in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    /// Service id.
    pub service: String,
    /// Service network id.
    pub network: String,
    /// The account that created it (`createdBy`).
    pub creator: String,
    /// Its phase.
    pub phase: Phase,
    /// Tags given on create.
    pub tags: Tags,
}

/// The parameters a client token is bound to (what "identical parameters" compares).
#[derive(Debug, Clone, PartialEq, Eq)]
struct TokenRecord {
    association: String,
    service: String,
    network: String,
    tags: Tags,
    /// The request as sent (identifiers and tags literally), for IDEMP-6's ambiguity.
    literal: CreateAssociationRequest,
}

/// What a call may return, as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Success creating a new association (200).
    Created,
    /// Success returning this existing association again (200, same id).
    Replayed {
        /// The association's id.
        id: String,
    },
    /// Success of a read or delete (200).
    Ok,
    /// A modelled error.
    Error(ErrorType),
}

impl Expected {
    /// The HTTP status this outcome carries.
    pub fn status(&self) -> u16 {
        match self {
            Expected::Error(e) => e.status(),
            _ => 200,
        }
    }

    /// Whether an observed status and sanitised error type satisfy it.
    pub fn admits(&self, status: u16, error: Option<&str>) -> bool {
        match self {
            Expected::Error(e) => status == e.status() && error == Some(e.name()),
            _ => status == 200,
        }
    }
}

/// The model's answer for one call: every acceptable outcome, and the rule that decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// Any of these is conformant.
    pub acceptable: Vec<Expected>,
    /// The rule id that decides the outcome.
    pub rule: RuleId,
}

impl Prediction {
    fn one(e: Expected, rule: RuleId) -> Self {
        Self {
            acceptable: vec![e],
            rule,
        }
    }

    fn err(e: ErrorType, rule: RuleId) -> Self {
        Self::one(Expected::Error(e), rule)
    }

    /// Whether an observed status and error type satisfy the prediction.
    pub fn admits(&self, status: u16, error: Option<&str>) -> bool {
        self.acceptable.iter().any(|e| e.admits(status, error))
    }

    /// Whether the prediction is a success of any kind.
    pub fn is_success(&self) -> bool {
        self.acceptable
            .iter()
            .all(|e| !matches!(e, Expected::Error(_)))
    }
}

/// Whether two requests name their members literally the same way (token aside).
fn literal_eq(a: &CreateAssociationRequest, b: &CreateAssociationRequest) -> bool {
    a.service_identifier == b.service_identifier
        && a.service_network_identifier == b.service_network_identifier
        && a.tags == b.tags
}

/// The refusals accepted for an ownership violation (OWN-8: 403 or 404).
const OWNERSHIP_REFUSALS: [Expected; 2] = [
    Expected::Error(ErrorType::AccessDeniedException),
    Expected::Error(ErrorType::ResourceNotFoundException),
];

/// The modelled state of an endpoint.
#[derive(Debug, Clone, Default)]
pub struct World {
    resources: BTreeMap<String, Resource>,
    associations: BTreeMap<String, Association>,
    tokens: BTreeMap<(String, String), TokenRecord>,
    /// Associations allowed per service network (500 by default on AWS; `None` = not modelled).
    pub quota_per_network: Option<usize>,
}

/// The service and service network identifiers of a Create, when both parse.
fn identifiers(req: &CreateAssociationRequest) -> Option<(Identifier, Identifier)> {
    Some((
        Identifier::parse(ResourceKind::Service, &req.service_identifier).ok()?,
        Identifier::parse(
            ResourceKind::ServiceNetwork,
            &req.service_network_identifier,
        )
        .ok()?,
    ))
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a service or service network owned by `owner`.
    pub fn add_resource(&mut self, id: &str, kind: ResourceKind, owner: &str) {
        let res = Resource {
            owner: owner.to_owned(),
            kind,
            phase: Phase::Live,
            shared_with: BTreeSet::new(),
        };
        self.resources.insert(id.to_owned(), res);
    }

    /// Records an accepted RAM share of `id` with `account`.
    pub fn share(&mut self, id: &str, account: &str) {
        if let Some(res) = self.resources.get_mut(id) {
            res.shared_with.insert(account.to_owned());
        }
    }

    /// Records the end of a share (OWN-6: existing associations persist).
    pub fn unshare(&mut self, id: &str, account: &str) {
        if let Some(res) = self.resources.get_mut(id) {
            res.shared_with.remove(account);
        }
    }

    /// Marks a service or network as being deleted.
    pub fn start_resource_delete(&mut self, id: &str) {
        if let Some(res) = self.resources.get_mut(id) {
            res.phase = Phase::Deleting;
        }
    }

    /// A resource of the world.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.get(id)
    }

    /// An association of the world.
    pub fn association(&self, id: &str) -> Option<&Association> {
        self.associations.get(id)
    }

    /// All associations, by id.
    pub fn associations(&self) -> &BTreeMap<String, Association> {
        &self.associations
    }

    /// The recorded uses of client tokens equal to `token` ignoring ASCII case: the account that
    /// sent each, the token as sent, and the association it is bound to.
    pub fn token_uses<'a>(
        &'a self,
        token: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str, &'a str)> + 'a {
        self.tokens
            .iter()
            .filter(move |((_, t), _)| t.eq_ignore_ascii_case(token))
            .map(|((account, t), rec)| (account.as_str(), t.as_str(), rec.association.as_str()))
    }

    /// Resolves an identifier as the caller sees it: a bare id in the caller's account, an ARN in
    /// the ARN's account. `None` when no such resource exists there.
    fn resolve(&self, caller: &str, ident: &Identifier) -> Option<(&str, &Resource)> {
        let id = ident.id().to_string();
        let (key, res) = self.resources.get_key_value(&id)?;
        (res.owner == ident.account(caller) && res.kind == ident.id().kind())
            .then_some((key.as_str(), res))
    }

    /// The ARN form of a bare id that names another account's resource shared with the caller
    /// (`None` for anything else).
    fn through_share(&self, caller: &str, ident: &Identifier) -> Option<Identifier> {
        let Identifier::Id(id) = ident else {
            return None;
        };
        let res = self.resources.get(&id.to_string())?;
        (res.owner != caller && res.kind == id.kind() && Self::visible_to(res, caller)).then(|| {
            Identifier::Arn(crate::ids::LatticeArn::new(
                "aws",
                "us-east-1",
                &res.owner,
                id.clone(),
            ))
        })
    }

    /// A create naming a shared resource by its bare id: what the same create by ARN may
    /// answer, or 404 ResourceNotFoundException (OWN-BARE-ID accepts both readings).
    fn either_reading(
        &self,
        caller: &str,
        req: &CreateAssociationRequest,
        svc: &Identifier,
        sn: &Identifier,
    ) -> Prediction {
        let mut p = self.predict_stages(caller, req, svc, sn);
        p.acceptable
            .push(Expected::Error(ErrorType::ResourceNotFoundException));
        p.rule = RuleId::OwnBareId;
        p
    }

    fn visible_to(res: &Resource, caller: &str) -> bool {
        res.owner == caller || res.shared_with.contains(caller)
    }

    /// Predicts the outcome of a Create with this raw JSON body from `caller`.
    pub fn predict_create(&self, caller: &str, body: &Value) -> Prediction {
        let req = match validate_create_value(body) {
            Ok(req) => req,
            Err(violations) => {
                let rule = violations
                    .first()
                    .map_or(RuleId::ValBodyMalformed, |v| v.rule);
                // VAL-5: other names for an unparsable body (SerializationException) are accepted by
                // the catalogue's `expect`, which the checks use; the model names the modelled one.
                return Prediction::err(ErrorType::ValidationException, rule);
            }
        };
        self.predict_valid_create(caller, &req)
    }

    /// Predicts a Create whose input is already valid.
    pub fn predict_valid_create(&self, caller: &str, req: &CreateAssociationRequest) -> Prediction {
        let Some((svc, sn)) = identifiers(req) else {
            return Prediction::err(ErrorType::ValidationException, RuleId::ValSvcPattern);
        };
        let mut p = self.predict_stages(caller, req, &svc, &sn);
        // Where the token check stands relative to existence and ownership is undocumented: when
        // the caller's token is already bound to other parameters, a mismatch refusal is
        // acceptable too.
        let early = [
            RuleId::ExistService,
            RuleId::ExistNetwork,
            RuleId::OwnBareId,
            RuleId::OwnNotShared,
            RuleId::OwnBothShared,
        ];
        let bound_elsewhere = req
            .client_token
            .as_ref()
            .and_then(|t| self.tokens.get(&(caller.to_owned(), t.clone())))
            .is_some_and(|rec| !literal_eq(&rec.literal, req));
        if early.contains(&p.rule) && bound_elsewhere {
            p.acceptable
                .push(Expected::Error(ErrorType::ConflictException));
            p.acceptable
                .push(Expected::Error(ErrorType::ValidationException));
        }
        p
    }

    /// The stages after validation, in the model's order.
    fn predict_stages(
        &self,
        caller: &str,
        req: &CreateAssociationRequest,
        svc: &Identifier,
        sn: &Identifier,
    ) -> Prediction {
        // Existence (and visibility): a resource the caller cannot see is not found; a bare id of
        // another account's resource resolves in the caller's account (OWN-BARE-ID).
        let service = self.resolve(caller, svc);
        let network = self.resolve(caller, sn);
        let not_found_rule = |ident: &Identifier, exist_rule| {
            if matches!(ident, Identifier::Id(_))
                && self.resources.contains_key(&ident.id().to_string())
            {
                RuleId::OwnBareId
            } else {
                exist_rule
            }
        };
        // OWN-BARE-ID: a bare id of another account's resource shared with the caller may be
        // resolved through the share (seen on real AWS) or name nothing (404): both readings.
        if service.is_none() {
            if let Some(alt) = self.through_share(caller, svc) {
                return self.either_reading(caller, req, &alt, sn);
            }
        }
        if network.is_none() {
            if let Some(alt) = self.through_share(caller, sn) {
                return self.either_reading(caller, req, svc, &alt);
            }
        }
        let Some((svc_id, service)) = service else {
            return Prediction::err(
                ErrorType::ResourceNotFoundException,
                not_found_rule(svc, RuleId::ExistService),
            );
        };
        let Some((sn_id, network)) = network else {
            return Prediction::err(
                ErrorType::ResourceNotFoundException,
                not_found_rule(sn, RuleId::ExistNetwork),
            );
        };
        // Ownership: owns one side, and can see the other (OWN-1..3); both shared is refused.
        let owns_service = service.owner == caller;
        let owns_network = network.owner == caller;
        if !owns_service && !owns_network {
            let rule = if Self::visible_to(service, caller) && Self::visible_to(network, caller) {
                RuleId::OwnBothShared
            } else {
                RuleId::OwnNotShared
            };
            return Prediction {
                acceptable: OWNERSHIP_REFUSALS.to_vec(),
                rule,
            };
        }
        if !Self::visible_to(service, caller) || !Self::visible_to(network, caller) {
            return Prediction {
                acceptable: OWNERSHIP_REFUSALS.to_vec(),
                rule: RuleId::OwnNotShared,
            };
        }
        if let Some(p) = self
            .token_stage(caller, req, svc_id, sn_id)
            .or_else(|| self.state_stage(svc_id, sn_id, service, network))
        {
            return p;
        }
        let rule = if owns_service && owns_network {
            RuleId::OwnBothOwned
        } else if owns_service {
            RuleId::OwnSharedNetwork
        } else {
            RuleId::OwnSharedService
        };
        Prediction::one(Expected::Created, rule)
    }

    /// Idempotency, scoped to the caller's account: what a Create with a token the caller has
    /// used before may answer (`None`: the token is new, or absent).
    fn token_stage(
        &self,
        caller: &str,
        req: &CreateAssociationRequest,
        svc_id: &str,
        sn_id: &str,
    ) -> Option<Prediction> {
        let token = req.client_token.as_ref()?;
        let rec = self.tokens.get(&(caller.to_owned(), token.clone()))?;
        let tags = req.tags.clone().unwrap_or_default();
        let same = rec.service == svc_id && rec.network == sn_id && rec.tags == tags;
        let replay = Expected::Replayed {
            id: rec.association.clone(),
        };
        let mismatch = [
            Expected::Error(ErrorType::ConflictException),
            Expected::Error(ErrorType::ValidationException),
        ];
        let gone = self
            .associations
            .get(&rec.association)
            .is_none_or(|a| a.phase == Phase::Deleting);
        Some(if same && gone {
            // IDEMP-4/5: whether a token outlives its deleted association is undocumented.
            let mut acceptable = vec![replay, Expected::Created];
            acceptable.extend(mismatch);
            Prediction {
                acceptable,
                rule: RuleId::IdempReplay,
            }
        } else if same && literal_eq(&rec.literal, req) {
            Prediction::one(replay, RuleId::IdempReplay)
        } else if same {
            // IDEMP-6: the same resources named in another form (id vs ARN, absent vs
            // empty tags) may count as identical parameters or not.
            let mut acceptable = vec![replay];
            acceptable.extend(mismatch);
            Prediction {
                acceptable,
                rule: RuleId::IdempReplay,
            }
        } else if gone {
            // IDEMP-5: the token's retention after its association is gone is
            // undocumented: a mismatch refusal or a fresh association are both readings.
            let mut acceptable = mismatch.to_vec();
            acceptable.push(Expected::Created);
            Prediction {
                acceptable,
                rule: RuleId::IdempMismatch,
            }
        } else {
            // IDEMP-2: the error for a mismatch is undocumented.
            Prediction {
                acceptable: mismatch.to_vec(),
                rule: RuleId::IdempMismatch,
            }
        })
    }

    /// Conflicts and the quota: an association for the pair in any phase, a resource being
    /// deleted, a full network (`None`: none of them).
    fn state_stage(
        &self,
        svc_id: &str,
        sn_id: &str,
        service: &Resource,
        network: &Resource,
    ) -> Option<Prediction> {
        if let Some(existing) = self
            .associations
            .values()
            .find(|a| a.service == svc_id && a.network == sn_id)
        {
            let rule = match existing.phase {
                Phase::Deleting => {
                    // The endpoint may already have finished the delete: then the create succeeds.
                    return Some(Prediction {
                        acceptable: vec![
                            Expected::Error(ErrorType::ConflictException),
                            Expected::Created,
                        ],
                        rule: RuleId::ConflictDeletingAssoc,
                    });
                }
                _ => RuleId::ConflictDuplicate,
            };
            return Some(Prediction::err(ErrorType::ConflictException, rule));
        }
        if service.phase == Phase::Deleting || network.phase == Phase::Deleting {
            return Some(Prediction {
                acceptable: vec![
                    Expected::Error(ErrorType::ConflictException),
                    Expected::Error(ErrorType::ResourceNotFoundException),
                ],
                rule: RuleId::ConflictDeletingResource,
            });
        }
        if let Some(quota) = self.quota_per_network {
            if self
                .associations
                .values()
                .filter(|a| a.network == sn_id)
                .count()
                >= quota
            {
                return Some(Prediction::err(
                    ErrorType::ServiceQuotaExceededException,
                    RuleId::QuotaAssociations,
                ));
            }
        }
        None
    }

    /// Applies an observed successful Create: records a new association (and its token), or
    /// nothing for a replay.
    pub fn record_create(&mut self, caller: &str, req: &CreateAssociationRequest, id: &str) {
        let Some((svc, sn)) = identifiers(req) else {
            return;
        };
        let tags = req.tags.clone().unwrap_or_default();
        let service = svc.id().to_string();
        let network = sn.id().to_string();
        if let Some(token) = &req.client_token {
            let record = TokenRecord {
                association: id.to_owned(),
                service: service.clone(),
                network: network.clone(),
                tags: tags.clone(),
                literal: req.clone(),
            };
            let key = (caller.to_owned(), token.clone());
            // A token whose association is gone may be bound anew (IDEMP-4/5).
            let stale = self.tokens.get(&key).is_some_and(|old| {
                old.association != id
                    && self
                        .associations
                        .get(&old.association)
                        .is_none_or(|a| a.phase == Phase::Deleting)
            });
            if stale || !self.tokens.contains_key(&key) {
                self.tokens.insert(key, record);
            }
        }
        self.associations
            .entry(id.to_owned())
            .or_insert(Association {
                service,
                network,
                creator: caller.to_owned(),
                phase: Phase::Live,
                tags,
            });
    }

    /// Who may see (Get, List) an association: its creator and both resource owners (OWN-4).
    pub fn can_see(&self, caller: &str, id: &str) -> bool {
        let Some(a) = self.associations.get(id) else {
            return false;
        };
        a.creator == caller
            || self
                .resources
                .get(&a.service)
                .is_some_and(|s| s.owner == caller)
            || self
                .resources
                .get(&a.network)
                .is_some_and(|n| n.owner == caller)
    }

    /// Predicts a Get of an association id.
    pub fn predict_get(&self, caller: &str, id: &str) -> Prediction {
        self.predict_on_association(caller, id, RuleId::LifeStatusEnum)
    }

    /// Predicts a Delete of an association id: either resource owner or the creator may delete
    /// (OWN-5); nobody else.
    pub fn predict_delete(&self, caller: &str, id: &str) -> Prediction {
        self.predict_on_association(caller, id, RuleId::OwnDeleteEither)
    }

    /// Get and Delete alike: allowed for those who can see it (`ok_rule` decides), possibly gone
    /// while deleting, refused to others, not found when it never existed.
    fn predict_on_association(&self, caller: &str, id: &str, ok_rule: RuleId) -> Prediction {
        match self.associations.get(id) {
            Some(a) if self.can_see(caller, id) => match a.phase {
                // Deleting: may already be gone.
                Phase::Deleting => Prediction {
                    acceptable: vec![
                        Expected::Ok,
                        Expected::Error(ErrorType::ResourceNotFoundException),
                    ],
                    rule: RuleId::LifeDeleteGone,
                },
                _ => Prediction::one(Expected::Ok, ok_rule),
            },
            Some(_) => Prediction {
                acceptable: OWNERSHIP_REFUSALS.to_vec(),
                rule: RuleId::OwnOutsider,
            },
            None => Prediction::err(
                ErrorType::ResourceNotFoundException,
                RuleId::ExistAssociation,
            ),
        }
    }

    /// Applies an accepted Delete: the association is deleting (and may be gone already).
    pub fn record_delete(&mut self, id: &str) {
        if let Some(a) = self.associations.get_mut(id) {
            a.phase = Phase::Deleting;
        }
    }

    /// Forgets an association once the endpoint reports it gone (404 after a delete).
    pub fn record_gone(&mut self, id: &str) {
        self.associations.remove(id);
    }

    /// The associations a List by network or by service must show to `caller` (deleting ones may
    /// or may not appear, so they are returned separately).
    pub fn expected_list(
        &self,
        caller: &str,
        service: Option<&str>,
        network: Option<&str>,
    ) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut must = BTreeSet::new();
        let mut may = BTreeSet::new();
        for (id, a) in &self.associations {
            if service.is_some_and(|s| s != a.service) || network.is_some_and(|n| n != a.network) {
                continue;
            }
            if !self.can_see(caller, id) {
                continue;
            }
            if a.phase == Phase::Deleting {
                may.insert(id.clone());
            } else {
                must.insert(id.clone());
            }
        }
        (must, may)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    const OWNER: &str = "111111111111";
    const PEER: &str = "222222222222";
    const OUTSIDER: &str = "333333333333";
    const SVC_O: &str = "svc-0000000000000000o";
    const SN_O: &str = "sn-0000000000000000o";
    const SVC_P: &str = "svc-0000000000000000p";
    const SN_P: &str = "sn-0000000000000000p";

    fn arn(kind: ResourceKind, account: &str, id: &str) -> String {
        format!(
            "arn:aws:vpc-lattice:us-east-1:{account}:{}/{id}",
            kind.arn_type()
        )
    }

    fn world() -> World {
        let mut w = World::new();
        w.add_resource(SVC_O, ResourceKind::Service, OWNER);
        w.add_resource(SN_O, ResourceKind::ServiceNetwork, OWNER);
        w.add_resource(SVC_P, ResourceKind::Service, PEER);
        w.add_resource(SN_P, ResourceKind::ServiceNetwork, PEER);
        w
    }

    fn body(svc: &str, sn: &str, token: Option<&str>) -> Value {
        let mut b = json!({"serviceIdentifier": svc, "serviceNetworkIdentifier": sn});
        if let Some(t) = token {
            b["clientToken"] = json!(t);
        }
        b
    }

    fn create(w: &mut World, caller: &str, b: &Value, id: &str) {
        let req: CreateAssociationRequest = serde_json::from_value(b.clone()).unwrap();
        w.record_create(caller, &req, id);
    }

    #[rstest]
    #[case::validation_before_existence(
        body("svc-X", "sn-0000000000000000z", None),
        RuleId::ValSvcLength
    )]
    #[case::missing_service(body("svc-0000000000000000z", SN_O, None), RuleId::ExistService)]
    #[case::missing_network(body(SVC_O, "sn-0000000000000000z", None), RuleId::ExistNetwork)]
    #[case::both_owned(body(SVC_O, SN_O, None), RuleId::OwnBothOwned)]
    #[case::peer_bare_id(body(SVC_O, SN_P, None), RuleId::OwnBareId)]
    #[case::peer_arn_not_shared(body(SVC_O, &arn(ResourceKind::ServiceNetwork, PEER, SN_P), None), RuleId::OwnNotShared)]
    fn create_is_decided_by_the_first_failing_stage(#[case] b: Value, #[case] rule: RuleId) {
        assert_eq!(world().predict_create(OWNER, &b).rule, rule);
    }

    #[test]
    fn a_bare_id_of_a_shared_network_may_resolve_through_the_share_or_name_nothing() {
        let mut w = world();
        // Not shared: the bare id names nothing in the caller's account.
        let p = w.predict_create(OWNER, &body(SVC_O, SN_P, None));
        assert_eq!(p.rule, RuleId::OwnBareId);
        assert!(!p.admits(200, None));
        // Shared: resolved through the share (as by ARN), or 404 — both readings.
        w.share(SN_P, OWNER);
        let p = w.predict_create(OWNER, &body(SVC_O, SN_P, None));
        assert_eq!(p.rule, RuleId::OwnBareId);
        assert!(p.admits(200, None) && p.admits(404, Some("ResourceNotFoundException")));
        assert!(!p.admits(403, Some("AccessDeniedException")));
    }

    #[test]
    fn sharing_allows_exactly_one_foreign_side() {
        let mut w = world();
        let sn_arn = arn(ResourceKind::ServiceNetwork, PEER, SN_P);
        let svc_arn = arn(ResourceKind::Service, PEER, SVC_P);
        w.share(SN_P, OWNER);
        let p = w.predict_create(OWNER, &body(SVC_O, &sn_arn, None));
        assert_eq!((p.rule, p.is_success()), (RuleId::OwnSharedNetwork, true));
        w.share(SVC_P, OWNER);
        let p = w.predict_create(OWNER, &body(&svc_arn, &sn_arn, None));
        assert_eq!(p.rule, RuleId::OwnBothShared);
        assert!(
            p.admits(403, Some("AccessDeniedException"))
                && p.admits(404, Some("ResourceNotFoundException"))
        );
        w.unshare(SN_P, OWNER);
        assert_eq!(
            w.predict_create(OWNER, &body(SVC_O, &sn_arn, None)).rule,
            RuleId::OwnNotShared
        );
    }

    #[test]
    fn tokens_replay_per_account_and_refuse_mismatches() {
        let mut w = world();
        let b = body(SVC_O, SN_O, Some("tok"));
        create(&mut w, OWNER, &b, "snsa-00000000000000001");
        assert_eq!(
            w.predict_create(OWNER, &b).acceptable,
            vec![Expected::Replayed {
                id: "snsa-00000000000000001".into()
            }]
        );
        let mut tagged = b.clone();
        tagged["tags"] = json!({"k": "v"});
        let p = w.predict_create(OWNER, &tagged);
        assert_eq!(p.rule, RuleId::IdempMismatch);
        assert!(
            p.admits(409, Some("ConflictException")) && p.admits(400, Some("ValidationException"))
        );
        assert_eq!(
            w.predict_create(OWNER, &body(SVC_O, SN_O, Some("TOK")))
                .rule,
            RuleId::ConflictDuplicate
        );
        assert_eq!(
            w.predict_create(OWNER, &body(SVC_O, SN_O, None)).rule,
            RuleId::ConflictDuplicate
        );
        let uses: Vec<_> = w.token_uses("TOK").collect();
        assert_eq!(uses, vec![(OWNER, "tok", "snsa-00000000000000001")]);
        // Another account's identical token is its own: here it cannot even see the owner's pair.
        w.share(SN_O, PEER);
        let sn_arn = arn(ResourceKind::ServiceNetwork, OWNER, SN_O);
        let p = w.predict_create(PEER, &body(SVC_P, &sn_arn, Some("tok")));
        assert_eq!((p.rule, p.is_success()), (RuleId::OwnSharedNetwork, true));
    }

    #[test]
    fn replays_in_another_form_or_after_a_delete_accept_every_reading() {
        let mut w = world();
        let b = body(SVC_O, SN_O, Some("tok"));
        create(&mut w, OWNER, &b, "snsa-00000000000000001");
        let by_arn = body(&arn(ResourceKind::Service, OWNER, SVC_O), SN_O, Some("tok"));
        let p = w.predict_create(OWNER, &by_arn);
        assert_eq!(p.rule, RuleId::IdempReplay);
        assert!(p.admits(200, None) && p.admits(409, Some("ConflictException")));
        w.record_delete("snsa-00000000000000001");
        w.record_gone("snsa-00000000000000001");
        let p = w.predict_create(OWNER, &b);
        assert!(
            p.acceptable.contains(&Expected::Created)
                && p.acceptable.contains(&Expected::Replayed {
                    id: "snsa-00000000000000001".into()
                })
        );
    }

    #[test]
    fn deleting_associations_and_resources_conflict_or_are_gone() {
        let mut w = world();
        let b = body(SVC_O, SN_O, None);
        create(&mut w, OWNER, &b, "snsa-00000000000000001");
        w.record_delete("snsa-00000000000000001");
        let p = w.predict_create(OWNER, &b);
        assert_eq!(p.rule, RuleId::ConflictDeletingAssoc);
        assert!(p.admits(409, Some("ConflictException")) && p.admits(200, None));
        w.record_gone("snsa-00000000000000001");
        assert_eq!(w.predict_create(OWNER, &b).rule, RuleId::OwnBothOwned);
        w.start_resource_delete(SVC_O);
        assert_eq!(
            w.predict_create(OWNER, &b).rule,
            RuleId::ConflictDeletingResource
        );
    }

    #[test]
    fn visibility_and_deletion_follow_ownership() {
        let mut w = world();
        w.share(SN_P, OWNER);
        let b = body(SVC_O, &arn(ResourceKind::ServiceNetwork, PEER, SN_P), None);
        create(&mut w, OWNER, &b, "snsa-00000000000000001");
        let id = "snsa-00000000000000001";
        assert!(w.predict_get(PEER, id).is_success());
        assert!(w.predict_get(OWNER, id).is_success());
        assert_eq!(w.predict_get(OUTSIDER, id).rule, RuleId::OwnOutsider);
        assert_eq!(w.predict_delete(OUTSIDER, id).rule, RuleId::OwnOutsider);
        assert_eq!(w.predict_delete(PEER, id).rule, RuleId::OwnDeleteEither);
        assert_eq!(w.expected_list(PEER, None, Some(SN_P)).0.len(), 1);
        assert!(w.expected_list(OUTSIDER, None, Some(SN_P)).0.is_empty());
        assert_eq!(
            w.predict_get(OWNER, "snsa-0000000000000000z").rule,
            RuleId::ExistAssociation
        );
    }

    #[test]
    fn quota_counts_associations_per_network() {
        let mut w = world();
        w.quota_per_network = Some(1);
        w.add_resource("svc-0000000000000000q", ResourceKind::Service, OWNER);
        create(
            &mut w,
            OWNER,
            &body(SVC_O, SN_O, None),
            "snsa-00000000000000001",
        );
        let p = w.predict_create(OWNER, &body("svc-0000000000000000q", SN_O, None));
        assert_eq!(p.rule, RuleId::QuotaAssociations);
        assert!(p.admits(402, Some("ServiceQuotaExceededException")));
    }
}
