//! The context one request is served in: the state (locked), the configuration, the caller's
//! account and the clock with the defects switched on.

use std::time::Duration;

use lattice_spec::ids::ResourceKind;

use crate::choice::{Choice, Choices};
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

    /// Whether a choice is switched on.
    pub(crate) fn chose(&self, choice: Choice) -> bool {
        self.clock.choices.has(choice)
    }

    /// The choices switched on.
    pub(crate) fn choices(&self) -> Choices {
        self.clock.choices
    }

    /// How long a new association is not readable: the `transient-not-found` choice's lag, or
    /// live-like mode's (the longer).
    pub(crate) fn read_lag(&self) -> Duration {
        let chosen = if self.chose(Choice::TransientNotFound) {
            crate::ops::associations::READ_LAG
        } else {
            Duration::ZERO
        };
        let live = self
            .config
            .live_like
            .map_or(Duration::ZERO, |l| l.real(l.read_lag));
        chosen.max(live)
    }

    /// Whether a new association is left out of List while it is not readable (live-like
    /// mode: reads lag alike; the `transient-not-found` choice delays Get only).
    pub(crate) fn list_lags(&self) -> bool {
        self.config.live_like.is_some()
    }

    /// How long RAM takes to deliver an invitation, and an acceptance (zero unless live-like).
    pub(crate) fn ram_lag(&self) -> Duration {
        self.config
            .live_like
            .map_or(Duration::ZERO, |l| l.real(l.ram_lag))
    }

    /// A new 17-character id suffix (hexadecimal, or the whole `[0-9a-z]` alphabet under
    /// `ids-beyond-hex`).
    pub(crate) fn id_suffix(&mut self) -> String {
        if self.chose(Choice::IdsBeyondHex) {
            self.world.ids.id_suffix_base36()
        } else {
            self.world.ids.id_suffix()
        }
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
