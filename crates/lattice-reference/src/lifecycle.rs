//! Status lifecycle, computed lazily from timestamps: an association is `CREATE_IN_PROGRESS` for
//! the transition delay and then `ACTIVE` (`CREATE_FAILED` when the failure plan says so); a
//! deleted association, service or network is `DELETE_IN_PROGRESS` for the delay and then gone
//! (an association whose deletion the plan makes fail: `DELETE_FAILED`). With a zero delay,
//! creation is settled at once and deletion removes at once.

use std::time::{Duration, SystemTime};

use crate::choice::{Choice, Choices};
use crate::defect::{Defect, Defects};
use crate::world::{Association, Service, World};

/// Where a resource stands in its lifecycle at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// `CREATE_IN_PROGRESS`.
    Creating,
    /// `ACTIVE`.
    Active,
    /// `DELETE_IN_PROGRESS`.
    Deleting,
    /// Deleted: no longer exists.
    Gone,
    /// `CREATE_FAILED` (associations only): settled, until deleted.
    CreateFailed,
    /// `DELETE_FAILED` (associations only): settled, until deleted again.
    DeleteFailed,
}

impl Phase {
    /// The association status on the wire (`ACTIVE` becomes `AVAILABLE` under
    /// `status-outside-enum`).
    pub(crate) fn wire(self, defects: Defects) -> &'static str {
        match self {
            Phase::Creating => "CREATE_IN_PROGRESS",
            Phase::Active if defects.has(Defect::StatusOutsideEnum) => "AVAILABLE",
            Phase::Active => "ACTIVE",
            Phase::Deleting | Phase::Gone => "DELETE_IN_PROGRESS",
            Phase::CreateFailed => "CREATE_FAILED",
            Phase::DeleteFailed => "DELETE_FAILED",
        }
    }
}

/// The time rules: the delay and the defects that bend them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// The instant the request is served at.
    pub(crate) now: SystemTime,
    /// How long transitions last.
    pub(crate) delay: Duration,
    /// How long a new service is `CREATE_IN_PROGRESS`.
    pub(crate) service_delay: Duration,
    /// The defects switched on.
    pub(crate) defects: Defects,
    /// The choices switched on.
    pub(crate) choices: Choices,
}

impl Clock {
    fn elapsed(&self, since: SystemTime) -> bool {
        self.now
            .duration_since(since)
            .map(|d| d >= self.delay)
            .unwrap_or(self.delay.is_zero())
    }

    /// The phase of an association.
    pub(crate) fn association(&self, a: &Association) -> Phase {
        match a.deleting_since {
            Some(since)
                if self.elapsed(since) && !self.defects.has(Defect::DeleteNeverCompletes) =>
            {
                if a.delete_failure.is_some() {
                    Phase::DeleteFailed
                } else {
                    Phase::Gone
                }
            }
            Some(_) => Phase::Deleting,
            None if (self.elapsed(a.created_at)
                || self.choices.has(Choice::CreateActiveAtOnce))
                && !self.defects.has(Defect::StuckInProgress) =>
            {
                if a.create_failure.is_some() {
                    Phase::CreateFailed
                } else {
                    Phase::Active
                }
            }
            None => Phase::Creating,
        }
    }

    /// The phase of a service: `CREATE_IN_PROGRESS` for the service creation delay (never under
    /// `services-active-at-once`), then as [`Clock::resource`].
    pub(crate) fn service(&self, s: &Service) -> Phase {
        let creating = !self.choices.has(Choice::ServicesActiveAtOnce)
            && s.deleting_since.is_none()
            && self
                .now
                .duration_since(s.created_at)
                .map_or(!self.service_delay.is_zero(), |age| {
                    age < self.service_delay
                });
        if creating {
            Phase::Creating
        } else {
            self.resource(s.deleting_since)
        }
    }

    /// The phase of a service or network (active at once; deletion takes the delay).
    pub(crate) fn resource(&self, deleting_since: Option<SystemTime>) -> Phase {
        match deleting_since {
            Some(since) if self.elapsed(since) => Phase::Gone,
            Some(_) => Phase::Deleting,
            None => Phase::Active,
        }
    }

    /// Forgets everything whose deletion has completed, with its tags and idempotency records;
    /// an association whose deletion failed stays, no longer being deleted.
    pub(crate) fn sweep(&self, world: &mut World) {
        if world.deleting.is_empty() {
            return;
        }
        let mut gone = Vec::new();
        let mut failed = Vec::new();
        for id in &world.deleting {
            let phase = if let Some(a) = world.associations.get(id) {
                self.association(a)
            } else if let Some(s) = world.services.get(id) {
                self.resource(s.deleting_since)
            } else if let Some(n) = world.networks.get(id) {
                self.resource(n.deleting_since)
            } else {
                Phase::Gone
            };
            match phase {
                Phase::Gone => gone.push(id.clone()),
                Phase::DeleteFailed => failed.push(id.clone()),
                _ => {}
            }
        }
        for id in failed {
            world.deleting.remove(&id);
        }
        for id in gone {
            if let Some(a) = world
                .associations
                .get(&id)
                .filter(|_| self.defects.has(Defect::DeletedStaysListed))
            {
                world.gone.push_back(a.clone());
                if world.gone.len() > crate::world::GONE_KEPT {
                    world.gone.pop_front();
                }
            }
            world.remove_association(&id, self.choices.has(Choice::TokenOutlivesAssociation));
            world.remove_resource(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::ResourceRef;
    use std::collections::BTreeSet;

    fn assoc(created_at: SystemTime) -> Association {
        let r = ResourceRef {
            account: "1".into(),
            id: "x".into(),
        };
        Association {
            id: "snsa-1".into(),
            seq: 0,
            service: r.clone(),
            network: r,
            creator: "1".into(),
            created_at,
            visible_from: created_at,
            deleting_since: None,
            create_failure: None,
            delete_failure: None,
        }
    }

    /// A clock `ms` milliseconds after `t0`, with a transition delay of 100 ms.
    fn clock_at(t0: SystemTime, ms: u64) -> Clock {
        Clock {
            now: t0 + Duration::from_millis(ms),
            delay: Duration::from_millis(100),
            service_delay: Duration::ZERO,
            defects: Defects::default(),
            choices: Choices::default(),
        }
    }

    #[test]
    fn an_association_becomes_active_after_the_delay_and_gone_after_deletion() {
        let t0 = SystemTime::now();
        let clock = |ms: u64| clock_at(t0, ms);
        let mut a = assoc(t0);
        assert_eq!(clock(50).association(&a), Phase::Creating);
        assert_eq!(clock(100).association(&a), Phase::Active);
        a.deleting_since = Some(t0 + Duration::from_millis(200));
        assert_eq!(clock(250).association(&a), Phase::Deleting);
        assert_eq!(clock(300).association(&a), Phase::Gone);
    }

    #[test]
    fn with_no_delay_creation_is_active_and_deletion_is_immediate() {
        let t0 = SystemTime::now();
        let clock = Clock {
            now: t0,
            delay: Duration::ZERO,
            service_delay: Duration::ZERO,
            defects: Defects::default(),
            choices: Choices::default(),
        };
        let mut a = assoc(t0);
        assert_eq!(clock.association(&a), Phase::Active);
        a.deleting_since = Some(t0);
        assert_eq!(clock.association(&a), Phase::Gone);
    }

    #[test]
    fn a_planned_failure_settles_in_the_failed_status_after_the_delay() {
        let t0 = SystemTime::now();
        let clock = |ms: u64| clock_at(t0, ms);
        let mut a = assoc(t0);
        a.create_failure = Some("create#1".into());
        assert_eq!(clock(50).association(&a), Phase::Creating);
        assert_eq!(clock(100).association(&a), Phase::CreateFailed);
        assert_eq!(
            Phase::CreateFailed.wire(Defects::default()),
            "CREATE_FAILED"
        );
        a.deleting_since = Some(t0 + Duration::from_millis(200));
        assert_eq!(clock(250).association(&a), Phase::Deleting);
        assert_eq!(
            clock(300).association(&a),
            Phase::Gone,
            "a failed association can be deleted"
        );
        a.delete_failure = Some("delete#1".into());
        assert_eq!(clock(250).association(&a), Phase::Deleting);
        assert_eq!(clock(300).association(&a), Phase::DeleteFailed);
        assert_eq!(
            Phase::DeleteFailed.wire(Defects::default()),
            "DELETE_FAILED"
        );
    }

    #[test]
    fn lifecycle_defects_freeze_the_status() {
        let t0 = SystemTime::now();
        let set: BTreeSet<Defect> = [Defect::StuckInProgress, Defect::DeleteNeverCompletes].into();
        let clock = Clock {
            now: t0 + Duration::from_secs(60),
            delay: Duration::ZERO,
            service_delay: Duration::ZERO,
            defects: Defects::of(&set),
            choices: Choices::default(),
        };
        let mut a = assoc(t0);
        assert_eq!(clock.association(&a), Phase::Creating);
        a.deleting_since = Some(t0);
        assert_eq!(clock.association(&a), Phase::Deleting);
    }
}
