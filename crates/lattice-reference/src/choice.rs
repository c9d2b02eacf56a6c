//! The readings the contract leaves open ([`Choice`], listed in `specs/choices.toml`): each
//! switched on replaces one of this endpoint's default readings by another conformant one, so
//! that the suite can prove it accepts every reading the contract allows.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

pub use lattice_spec::Choice;

fn bit(choice: Choice) -> u64 {
    // `Choice::ALL` lists every choice once, in declaration order; a test keeps it under 64.
    1u64 << (choice as u32)
}

/// A snapshot of the choices switched on, cheap to copy and query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Choices(u64);

impl Choices {
    /// Whether `choice` is switched on.
    pub(crate) fn has(self, choice: Choice) -> bool {
        self.0 & bit(choice) != 0
    }

    /// The snapshot of a set of choices.
    pub(crate) fn of(set: &BTreeSet<Choice>) -> Self {
        Self(set.iter().fold(0, |acc, c| acc | bit(*c)))
    }
}

/// The live choice switches, changed at run time without a lock.
#[derive(Debug, Default)]
pub(crate) struct ChoiceSwitch(AtomicU64);

impl ChoiceSwitch {
    /// Replaces the switched-on choices.
    pub(crate) fn set(&self, set: &BTreeSet<Choice>) {
        self.0.store(Choices::of(set).0, Ordering::SeqCst);
    }

    /// The choices switched on now.
    pub(crate) fn get(&self) -> Choices {
        Choices(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_holds_exactly_the_switched_choices() {
        assert!(Choice::ALL.len() <= 64);
        let set: BTreeSet<Choice> = [Choice::ALL[0], Choice::ALL[Choice::ALL.len() - 1]].into();
        let snap = Choices::of(&set);
        for c in Choice::ALL {
            assert_eq!(snap.has(*c), set.contains(c), "{c}");
        }
    }
}
