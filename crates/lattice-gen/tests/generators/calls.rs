//! Call sequences: every reference points backwards, and the reference state machine runs
//! under proptest-state-machine's runner.

use lattice_gen::calls::{
    tag_set, AssociationRef, CallState, ResourceSlot, TokenChoice, NETWORKS, PRINCIPALS, SERVICES,
    TAG_SETS, TOKEN_SLOTS,
};
use lattice_gen::{call_sequence, Call, CallModel};
use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};

/// Every call is allowed by the model's preconditions in the state the calls before it left.
fn assert_plausible(calls: &[Call]) {
    let mut state = CallState::default();
    for (i, call) in calls.iter().enumerate() {
        assert!(
            CallModel::preconditions(&state, call),
            "call {i} implausible: {call:?}\nafter {state:?}"
        );
        state = CallModel::apply(state, call);
    }
}

fn indices_in_range(call: &Call) -> bool {
    match *call {
        Call::Create {
            principal,
            service,
            network,
            token,
            ..
        } => {
            principal < PRINCIPALS
                && service < SERVICES
                && network < NETWORKS
                && !matches!(token, Some(TokenChoice::Slot(n) | TokenChoice::SlotOtherCase(n)) if n >= TOKEN_SLOTS)
        }
        Call::Share {
            owner,
            resource,
            with,
        }
        | Call::Unshare {
            owner,
            resource,
            with,
        } => {
            owner == resource.owner()
                && with != owner
                && with < PRINCIPALS
                && match resource {
                    ResourceSlot::Service(s) => s < SERVICES,
                    ResourceSlot::Network(n) => n < NETWORKS,
                }
        }
        Call::Tag { tags, .. } => tags < TAG_SETS,
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn call_sequences_only_refer_backwards(calls in call_sequence(40)) {
        prop_assert!(calls.len() <= 40);
        prop_assert!(calls.iter().all(indices_in_range));
        assert_plausible(&calls);
    }
}

#[test]
fn call_sequences_use_every_kind_of_call() {
    let all: Vec<Call> = crate::support::sample(call_sequence(40), 200)
        .into_iter()
        .flatten()
        .collect();
    let kinds = |f: fn(&Call) -> bool| all.iter().any(f);
    assert!(kinds(|c| matches!(c, Call::Create { .. })));
    assert!(kinds(|c| matches!(c, Call::Replay { .. })));
    assert!(kinds(|c| matches!(
        c,
        Call::Get {
            association: AssociationRef::Created(_),
            ..
        }
    )));
    assert!(kinds(|c| matches!(
        c,
        Call::Get {
            association: AssociationRef::Unknown,
            ..
        }
    )));
    assert!(kinds(|c| matches!(c, Call::List { .. })));
    assert!(kinds(|c| matches!(c, Call::Delete { .. })));
    assert!(kinds(|c| matches!(c, Call::Tag { .. })));
    assert!(kinds(|c| matches!(c, Call::ListTags { .. })));
    assert!(kinds(|c| matches!(c, Call::Share { .. })));
    assert!(kinds(|c| matches!(c, Call::Unshare { .. })));
}

#[test]
fn tag_sets_are_valid_and_distinct() {
    let sets: Vec<_> = (0..TAG_SETS).map(tag_set).collect();
    for (i, s) in sets.iter().enumerate() {
        assert!(lattice_spec::validate::tag_violations(s).is_empty());
        assert!(sets[i + 1..].iter().all(|t| t != s));
    }
}

/// A stand-in system under test: the abstract state itself, re-derived call by call, so the
/// run checks that generation, preconditions and `apply` agree through shrinking.
struct Mirror;

impl StateMachineTest for Mirror {
    type SystemUnderTest = CallState;
    type Reference = CallModel;

    fn init_test(ref_state: &CallState) -> CallState {
        ref_state.clone()
    }

    fn apply(state: CallState, ref_state: &CallState, call: Call) -> CallState {
        assert!(indices_in_range(&call), "{call:?}");
        if let Call::Replay { create, .. } = call {
            assert!(state.creates[create].token.is_some());
        }
        let next = CallModel::apply(state, &call);
        assert_eq!(&next, ref_state);
        next
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn call_model_drives_a_state_machine_test(sequential 1..40 => Mirror);
}
