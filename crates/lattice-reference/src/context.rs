//! The context one request is served in: the state (locked), the configuration, the caller's
//! account and the clock with the defects switched on.

use lattice_spec::ids::ResourceKind;

use crate::config::Config;
use crate::defect::{Defect, Defects};
use crate::lifecycle::Clock;
use crate::world::World;

/// Everything an operation handler may use.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    /// The state, locked for the whole request.
    pub(crate) world: &'a mut World,
    /// The endpoint's configuration.
    pub(crate) config: &'a Config,
    /// The caller's account.
    pub(crate) caller: &'a str,
    /// The instant, the delay and the defects.
    pub(crate) clock: Clock,
}

impl Ctx<'_> {
    /// Whether a defect is switched on.
    pub(crate) fn has(&self, defect: Defect) -> bool {
        self.clock.defects.has(defect)
    }

    /// The defects switched on.
    pub(crate) fn defects(&self) -> Defects {
        self.clock.defects
    }

    /// The ARN of a resource as seen from `account`.
    pub(crate) fn arn(&self, account: &str, kind: ResourceKind, id: &str) -> String {
        format!(
            "arn:{}:vpc-lattice:{}:{account}:{}/{id}",
            self.config.partition,
            self.config.region,
            kind.arn_type()
        )
    }
}
