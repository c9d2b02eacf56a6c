//! The principals of a run, by the role each plays in the contract's cross-account rules.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who sends a call: the run's principals, each in an account of its own.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Owns the resources most rules use (always present).
    #[default]
    Owner,
    /// Another account, which shares resources with the owner through AWS RAM.
    Peer,
    /// An account that owns nothing of the others' and has no share.
    Outsider,
}

impl Role {
    /// Every role, in profile order.
    pub const ALL: [Role; 3] = [Role::Owner, Role::Peer, Role::Outsider];

    /// The role's name in target profiles and reports (`owner`, `peer`, `outsider`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Peer => "peer",
            Role::Outsider => "outsider",
        }
    }

    /// The role with this name.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The role's position in [`Role::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_name(r.as_str()), Some(r));
            assert_eq!(Role::ALL[r.index()], r);
        }
        assert_eq!(Role::from_name("admin"), None);
    }
}
