//! The endpoint's state: services, service networks, associations, idempotency records, tags,
//! RAM shares and invitations, across every account. Statuses are not stored: they follow
//! lazily from timestamps (see [`crate::lifecycle`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::SystemTime;

use lattice_spec::wire::Tags;

use crate::idgen::IdGen;

/// A resource named by its account and id (what an identifier resolves to, syntactically).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResourceRef {
    /// The owning account (the ARN's, or the caller's for a bare id).
    pub(crate) account: String,
    /// The resource id (`svc-…`, `sn-…`).
    pub(crate) id: String,
}

/// A VPC Lattice service.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Service {
    /// `svc-…`.
    pub(crate) id: String,
    /// Creation order, for stable listing and pagination.
    pub(crate) seq: u64,
    /// The owner.
    pub(crate) account: String,
    /// The name, unique in the account.
    pub(crate) name: String,
    /// `NONE` or `AWS_IAM`.
    pub(crate) auth_type: String,
    /// Optional custom domain name.
    pub(crate) custom_domain_name: Option<String>,
    /// Optional certificate ARN.
    pub(crate) certificate_arn: Option<String>,
    /// Idle timeout (60..600).
    pub(crate) idle_timeout_seconds: i64,
    /// The generated DNS name.
    pub(crate) domain_name: String,
    /// Creation time.
    pub(crate) created_at: SystemTime,
    /// When deletion was requested.
    pub(crate) deleting_since: Option<SystemTime>,
}

/// A VPC Lattice service network.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Network {
    /// `sn-…`.
    pub(crate) id: String,
    /// Creation order, for stable listing and pagination.
    pub(crate) seq: u64,
    /// The owner.
    pub(crate) account: String,
    /// The name, unique in the account.
    pub(crate) name: String,
    /// `NONE` or `AWS_IAM`.
    pub(crate) auth_type: String,
    /// `sharingConfig.enabled`, when given.
    pub(crate) sharing_enabled: Option<bool>,
    /// Creation time.
    pub(crate) created_at: SystemTime,
    /// When deletion was requested.
    pub(crate) deleting_since: Option<SystemTime>,
}

/// A service network service association.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Association {
    /// `snsa-…` (the same id in every account that sees it).
    pub(crate) id: String,
    /// Creation order, for stable listing and pagination.
    pub(crate) seq: u64,
    /// The service (account and id).
    pub(crate) service: ResourceRef,
    /// The service network (account and id).
    pub(crate) network: ResourceRef,
    /// The account that created it.
    pub(crate) creator: String,
    /// Creation time.
    pub(crate) created_at: SystemTime,
    /// When the pair check starts seeing it (later than `created_at` only under `race-on-duplicate`).
    pub(crate) visible_from: SystemTime,
    /// When deletion was requested.
    pub(crate) deleting_since: Option<SystemTime>,
    /// The failure plan entry that makes its creation end `CREATE_FAILED`, if one does.
    pub(crate) create_failure: Option<String>,
    /// The failure plan entry that makes its current deletion end `DELETE_FAILED`, if one does.
    pub(crate) delete_failure: Option<String>,
}

impl Association {
    /// Whether `account` is the creator or owns one side: who may see and delete it.
    pub(crate) fn involves(&self, account: &str) -> bool {
        self.creator == account
            || self.service.account == account
            || self.network.account == account
    }
}

/// What a create with a client token did, to recognise its replays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRecord {
    /// The association the token created.
    pub(crate) association_id: String,
    /// The service it named.
    pub(crate) service: ResourceRef,
    /// The network it named.
    pub(crate) network: ResourceRef,
    /// The tags it carried (absent = empty).
    pub(crate) tags: Tags,
    /// What the Create answered (replayed once the association is gone, under
    /// `token-outlives-association`).
    pub(crate) answer: serde_json::Value,
}

/// An AWS RAM resource share.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Share {
    /// `arn:aws:ram:REGION:ACCOUNT:resource-share/UUID`.
    pub(crate) arn: String,
    /// The name.
    pub(crate) name: String,
    /// The owning account.
    pub(crate) owner: String,
    /// The shared resources (service or network refs).
    pub(crate) resources: Vec<ResourceRef>,
    /// `allowExternalPrincipals`.
    pub(crate) allow_external: bool,
    /// Creation time.
    pub(crate) created_at: SystemTime,
    /// Whether the share was deleted.
    pub(crate) deleted: bool,
}

/// What a `CreateResourceShare` with a client token asked for, to tell its replays from a
/// reuse of the token with other parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareRequest {
    /// The share the token created.
    pub(crate) share_arn: String,
    /// `name`.
    pub(crate) name: String,
    /// `resourceArns`, as a set.
    pub(crate) resource_arns: BTreeSet<String>,
    /// `principals`, as a set.
    pub(crate) principals: BTreeSet<String>,
    /// `allowExternalPrincipals` (absent = `true`).
    pub(crate) allow_external: bool,
}

impl ShareRequest {
    /// Whether two requests ask for the same share (the ARN it created aside).
    pub(crate) fn same_parameters(&self, other: &ShareRequest) -> bool {
        (
            &self.name,
            &self.resource_arns,
            &self.principals,
            self.allow_external,
        ) == (
            &other.name,
            &other.resource_arns,
            &other.principals,
            other.allow_external,
        )
    }
}

/// The state of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InvitationStatus {
    /// Waiting for the receiver.
    Pending,
    /// Accepted: the resources are shared with the receiver.
    Accepted,
    /// Rejected: nothing is shared with the receiver, and the invitation cannot be accepted.
    Rejected,
}

impl InvitationStatus {
    /// The value on the wire.
    pub(crate) fn wire(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "PENDING",
            InvitationStatus::Accepted => "ACCEPTED",
            InvitationStatus::Rejected => "REJECTED",
        }
    }
}

/// An AWS RAM resource share invitation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invitation {
    /// `arn:aws:ram:REGION:ACCOUNT:resource-share-invitation/UUID`.
    pub(crate) arn: String,
    /// The share it invites to.
    pub(crate) share_arn: String,
    /// The share owner.
    pub(crate) sender: String,
    /// The invited account.
    pub(crate) receiver: String,
    /// Pending, accepted or rejected.
    pub(crate) status: InvitationStatus,
    /// Creation time.
    pub(crate) created_at: SystemTime,
    /// When the receiver starts seeing it (later than `created_at` in live-like mode).
    pub(crate) visible_from: SystemTime,
    /// When the share's resources become usable by the receiver: set when it is accepted (later
    /// than the acceptance in live-like mode).
    pub(crate) usable_from: Option<SystemTime>,
}

/// How many services, service networks and associations (across every account).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Services.
    pub services: usize,
    /// Service networks.
    pub networks: usize,
    /// Service network service associations.
    pub associations: usize,
}

/// What exists and existed: resources alive now (deleting ones included, until they are gone),
/// the most alive at any one moment since start (or the last reset), and how many were created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    /// Alive now.
    pub alive: Counts,
    /// The most alive at once, per kind.
    pub peak: Counts,
    /// Created in all.
    pub created: Counts,
}

/// A kind counted by the [`Census`].
#[derive(Debug, Clone, Copy)]
enum Counted {
    Service,
    Network,
    Association,
}

impl Census {
    fn slot(counts: &mut Counts, kind: Counted) -> &mut usize {
        match kind {
            Counted::Service => &mut counts.services,
            Counted::Network => &mut counts.networks,
            Counted::Association => &mut counts.associations,
        }
    }

    fn born(&mut self, kind: Counted) {
        *Self::slot(&mut self.created, kind) += 1;
        let alive = Self::slot(&mut self.alive, kind);
        *alive += 1;
        let now = *alive;
        let peak = Self::slot(&mut self.peak, kind);
        *peak = (*peak).max(now);
    }

    fn gone(&mut self, kind: Counted) {
        let alive = Self::slot(&mut self.alive, kind);
        *alive = alive.saturating_sub(1);
    }
}

/// Removes `id` from the index entry `key`, dropping the entry when it empties.
fn unindex<K: std::hash::Hash + Eq>(map: &mut HashMap<K, BTreeSet<String>>, key: K, id: &str) {
    if let Some(set) = map.get_mut(&key) {
        set.remove(id);
        if set.is_empty() {
            map.remove(&key);
        }
    }
}

/// How many removed associations `deleted-stays-listed` keeps listing.
pub(crate) const GONE_KEPT: usize = 64;

/// Everything the endpoint remembers; `reset` replaces it with a fresh one.
#[derive(Debug)]
pub(crate) struct World {
    /// Services by id.
    pub(crate) services: BTreeMap<String, Service>,
    /// Service networks by id.
    pub(crate) networks: BTreeMap<String, Network>,
    /// Associations by id.
    pub(crate) associations: BTreeMap<String, Association>,
    /// The last associations removed, kept only under `deleted-stays-listed` (at most
    /// [`GONE_KEPT`]).
    pub(crate) gone: std::collections::VecDeque<Association>,
    /// Tags by resource id (services, networks and associations).
    pub(crate) tags: HashMap<String, Tags>,
    /// Association idempotency records by (account scope, token).
    pub(crate) association_tokens: HashMap<(String, String), TokenRecord>,
    /// Service and network idempotency records by (account, operation, token) → (name, id).
    pub(crate) resource_tokens: HashMap<(String, &'static str, String), (String, String)>,
    /// RAM shares by ARN.
    pub(crate) shares: BTreeMap<String, Share>,
    /// RAM share idempotency records by (account, token).
    pub(crate) share_tokens: HashMap<(String, String), ShareRequest>,
    /// RAM invitations by ARN.
    pub(crate) invitations: BTreeMap<String, Invitation>,
    /// The next creation sequence number (of associations, services and networks alike).
    next_seq: u64,
    /// Associations created so far (the failure plan's `create#N` counts these).
    pub(crate) associations_created: usize,
    /// Association deletions started so far (the failure plan's `delete#N` counts these).
    pub(crate) deletions_started: usize,
    /// The id generator.
    pub(crate) ids: IdGen,
    /// Index: association ids by (service id, network id).
    by_pair: HashMap<(String, String), BTreeSet<String>>,
    /// Index: association ids by network id.
    by_network: HashMap<String, BTreeSet<String>>,
    /// Index: association ids by service id.
    by_service: HashMap<String, BTreeSet<String>>,
    /// Index: service and network ids by (account, id prefix, name).
    names: HashMap<(String, &'static str, String), String>,
    /// Ids of everything whose deletion was requested and has not completed.
    pub(crate) deleting: BTreeSet<String>,
    /// What is alive, was alive at most at once, and was created.
    pub(crate) census: Census,
    /// The instant of the request being served (RAM propagation is read against it).
    pub(crate) now: SystemTime,
    /// The (service id, network id) pairs whose association was deleted and is gone (read only
    /// under the `pair-blocked-after-delete` defect).
    pub(crate) retired_pairs: HashSet<(String, String)>,
}

impl World {
    /// An empty world.
    pub(crate) fn new() -> Self {
        Self {
            services: BTreeMap::new(),
            networks: BTreeMap::new(),
            associations: BTreeMap::new(),
            gone: std::collections::VecDeque::new(),
            tags: HashMap::new(),
            association_tokens: HashMap::new(),
            resource_tokens: HashMap::new(),
            shares: BTreeMap::new(),
            share_tokens: HashMap::new(),
            invitations: BTreeMap::new(),
            next_seq: 0,
            associations_created: 0,
            deletions_started: 0,
            ids: IdGen::new(),
            by_pair: HashMap::new(),
            by_network: HashMap::new(),
            by_service: HashMap::new(),
            names: HashMap::new(),
            deleting: BTreeSet::new(),
            census: Census::default(),
            now: SystemTime::UNIX_EPOCH,
            retired_pairs: HashSet::new(),
        }
    }

    /// A new creation sequence number: creation order across everything created.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Adds an association (and indexes it).
    pub(crate) fn insert_association(&mut self, a: Association) {
        let id = a.id.clone();
        self.by_pair
            .entry((a.service.id.clone(), a.network.id.clone()))
            .or_default()
            .insert(id.clone());
        self.by_network
            .entry(a.network.id.clone())
            .or_default()
            .insert(id.clone());
        self.by_service
            .entry(a.service.id.clone())
            .or_default()
            .insert(id.clone());
        self.associations.insert(id, a);
        self.census.born(Counted::Association);
    }

    /// Forgets an association with its tags, and the tokens that name it unless `keep_tokens`.
    pub(crate) fn remove_association(&mut self, id: &str, keep_tokens: bool) {
        let Some(a) = self.associations.remove(id) else {
            return;
        };
        self.census.gone(Counted::Association);
        let pair = (a.service.id.clone(), a.network.id.clone());
        unindex(&mut self.by_pair, pair.clone(), id);
        self.retired_pairs.insert(pair);
        unindex(&mut self.by_network, a.network.id, id);
        unindex(&mut self.by_service, a.service.id, id);
        self.tags.remove(id);
        self.deleting.remove(id);
        if !keep_tokens {
            self.association_tokens
                .retain(|_, rec| rec.association_id != id);
        }
    }

    fn indexed<'a>(
        &'a self,
        ids: Option<&'a BTreeSet<String>>,
    ) -> impl Iterator<Item = &'a Association> {
        ids.into_iter()
            .flatten()
            .filter_map(|id| self.associations.get(id))
    }

    /// The associations of a (service, network) pair.
    pub(crate) fn associations_of_pair(
        &self,
        service_id: &str,
        network_id: &str,
    ) -> impl Iterator<Item = &Association> {
        self.indexed(
            self.by_pair
                .get(&(service_id.to_owned(), network_id.to_owned())),
        )
    }

    /// The associations of a service network.
    pub(crate) fn associations_on_network(
        &self,
        network_id: &str,
    ) -> impl Iterator<Item = &Association> {
        self.indexed(self.by_network.get(network_id))
    }

    /// How many associations a service network has.
    pub(crate) fn count_on_network(&self, network_id: &str) -> usize {
        self.by_network.get(network_id).map_or(0, BTreeSet::len)
    }

    /// The associations of a service.
    pub(crate) fn associations_of_service(
        &self,
        service_id: &str,
    ) -> impl Iterator<Item = &Association> {
        self.indexed(self.by_service.get(service_id))
    }

    /// Adds a service (and indexes its name).
    pub(crate) fn insert_service(&mut self, s: Service) {
        self.names
            .insert((s.account.clone(), "svc", s.name.clone()), s.id.clone());
        self.services.insert(s.id.clone(), s);
        self.census.born(Counted::Service);
    }

    /// Adds a service network (and indexes its name).
    pub(crate) fn insert_network(&mut self, n: Network) {
        self.names
            .insert((n.account.clone(), "sn", n.name.clone()), n.id.clone());
        self.networks.insert(n.id.clone(), n);
        self.census.born(Counted::Network);
    }

    /// The service named `name` in `account`.
    pub(crate) fn service_named(&self, account: &str, name: &str) -> Option<&Service> {
        self.names
            .get(&(account.to_owned(), "svc", name.to_owned()))
            .and_then(|id| self.services.get(id))
    }

    /// The service network named `name` in `account`.
    pub(crate) fn network_named(&self, account: &str, name: &str) -> Option<&Network> {
        self.names
            .get(&(account.to_owned(), "sn", name.to_owned()))
            .and_then(|id| self.networks.get(id))
    }

    /// Forgets a service or service network, its tags and its creation tokens.
    pub(crate) fn remove_resource(&mut self, id: &str) {
        if let Some(s) = self.services.remove(id) {
            self.names.remove(&(s.account, "svc", s.name));
            self.census.gone(Counted::Service);
        }
        if let Some(n) = self.networks.remove(id) {
            self.names.remove(&(n.account, "sn", n.name));
            self.census.gone(Counted::Network);
        }
        self.tags.remove(id);
        self.deleting.remove(id);
        self.resource_tokens.retain(|_, (_, rid)| rid != id);
    }

    /// Starts (or, after `DELETE_FAILED`, restarts) the deletion of an association; it ends
    /// `DELETE_FAILED` when `failure` names the plan entry that makes it fail.
    pub(crate) fn start_deleting_association(
        &mut self,
        id: &str,
        now: SystemTime,
        failure: Option<String>,
    ) {
        if let Some(a) = self.associations.get_mut(id) {
            a.deleting_since = Some(now);
            a.delete_failure = failure;
            self.deleting.insert(id.to_owned());
        }
    }

    /// Starts the deletion of a service or network.
    pub(crate) fn mark_deleting(&mut self, id: &str, now: SystemTime) {
        if let Some(s) = self.services.get_mut(id) {
            s.deleting_since = Some(now);
        } else if let Some(n) = self.networks.get_mut(id) {
            n.deleting_since = Some(now);
        } else {
            return;
        }
        self.deleting.insert(id.to_owned());
    }

    /// Whether the resource `target` (a service or network) is shared with `account` through a
    /// RAM share whose invitation `account` accepted (and whose acceptance has reached the
    /// resources by [`World::now`]); `include_deleted` counts deleted shares too.
    pub(crate) fn shared_with(
        &self,
        target: &ResourceRef,
        account: &str,
        include_deleted: bool,
    ) -> bool {
        self.shares.values().any(|share| {
            (include_deleted || !share.deleted)
                && share.owner == target.account
                && share.resources.contains(target)
                && self.invitations.values().any(|inv| {
                    inv.share_arn == share.arn
                        && inv.receiver == account
                        && inv.status == InvitationStatus::Accepted
                        && inv.usable_from.is_none_or(|t| t <= self.now)
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(account: &str, id: &str) -> ResourceRef {
        ResourceRef {
            account: account.into(),
            id: id.into(),
        }
    }

    #[test]
    fn a_resource_is_shared_only_through_an_accepted_invitation_of_a_live_share() {
        let mut w = World::new();
        let now = SystemTime::now();
        w.shares.insert(
            "s".into(),
            Share {
                arn: "s".into(),
                name: "n".into(),
                owner: "1".into(),
                resources: vec![r("1", "sn-a")],
                allow_external: true,
                created_at: now,
                deleted: false,
            },
        );
        w.invitations.insert(
            "i".into(),
            Invitation {
                arn: "i".into(),
                share_arn: "s".into(),
                sender: "1".into(),
                receiver: "2".into(),
                status: InvitationStatus::Pending,
                created_at: now,
                visible_from: now,
                usable_from: None,
            },
        );
        assert!(!w.shared_with(&r("1", "sn-a"), "2", false));
        if let Some(inv) = w.invitations.get_mut("i") {
            inv.status = InvitationStatus::Accepted;
            inv.usable_from = Some(now + std::time::Duration::from_secs(1));
        }
        // Accepted, but the acceptance has not reached the resource yet.
        w.now = now;
        assert!(!w.shared_with(&r("1", "sn-a"), "2", false));
        w.now = now + std::time::Duration::from_secs(1);
        assert!(w.shared_with(&r("1", "sn-a"), "2", false));
        assert!(!w.shared_with(&r("1", "sn-a"), "3", false));
        assert!(!w.shared_with(&r("1", "sn-b"), "2", false));
        if let Some(share) = w.shares.get_mut("s") {
            share.deleted = true;
        }
        assert!(!w.shared_with(&r("1", "sn-a"), "2", false));
        assert!(w.shared_with(&r("1", "sn-a"), "2", true));
    }
}

#[cfg(test)]
mod census_tests {
    use super::*;

    #[test]
    fn the_census_counts_what_is_alive_the_most_at_once_and_what_was_created() {
        let mut c = Census::default();
        c.born(Counted::Service);
        c.born(Counted::Service);
        c.gone(Counted::Service);
        c.born(Counted::Service);
        c.born(Counted::Network);
        c.gone(Counted::Network);
        assert_eq!(
            c.alive,
            Counts {
                services: 2,
                networks: 0,
                associations: 0
            }
        );
        assert_eq!(c.peak.services, 2);
        assert_eq!(c.peak.networks, 1);
        assert_eq!(c.created.services, 3);
    }
}
