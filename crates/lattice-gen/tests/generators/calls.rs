//! Call sequences: every reference points backwards, and the reference state machine runs
//! under proptest-state-machine's runner.

use lattice_gen::calls::without_call;
use lattice_gen::calls::{
    network_owner, service_owner, tag_set, AssociationRef, CallState, ReplayChange, ResourceSlot,
    TagChoice, TokenChoice, NETWORKS, SERVICES, TAG_SETS, TOKEN_SLOTS,
};
use lattice_gen::{call_sequence, Call, CallModel};
use lattice_spec::Role;
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
            service,
            network,
            token,
            ..
        } => {
            service < SERVICES
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

#[test]
fn resources_belong_to_the_roles_in_profile_order() {
    let owners: Vec<Role> = (0..SERVICES).map(service_owner).collect();
    assert_eq!(owners[0], Role::Owner);
    assert_eq!(owners[SERVICES - 1], Role::Outsider);
    assert_eq!(network_owner(2), Role::Peer);
}

fn create(principal: Role, service: usize, network: usize, token: Option<TokenChoice>) -> Call {
    Call::Create {
        principal,
        service,
        network,
        token,
        tags: TagChoice::Absent,
        service_by_arn: false,
        network_by_arn: false,
    }
}

fn state_after(calls: &[Call]) -> CallState {
    calls.iter().fold(CallState::default(), CallModel::apply)
}

#[test]
fn resolved_calls_name_the_same_create_whatever_its_index() {
    let tokened = create(Role::Owner, 0, 0, Some(TokenChoice::Slot(1)));
    let other = create(Role::Peer, 2, 2, None);
    let get = |n| Call::Get {
        principal: Role::Peer,
        association: AssociationRef::Created(n),
    };
    let replay = |create| Call::Replay {
        create,
        change: ReplayChange::Identical,
    };
    let long = state_after(&[other.clone(), tokened.clone()]);
    let short = state_after(std::slice::from_ref(&tokened));
    assert_eq!(long.resolve(&get(1)), short.resolve(&get(0)));
    assert_eq!(long.resolve(&replay(1)), short.resolve(&replay(0)));
    assert_ne!(long.resolve(&get(0)), short.resolve(&get(0)));
    // Two identical creates are told apart by their rank.
    let twice = state_after(&[tokened.clone(), tokened]);
    assert_ne!(twice.resolve(&get(0)), twice.resolve(&get(1)));
    assert_eq!(
        short
            .resolve(&Call::Get {
                principal: Role::Peer,
                association: AssociationRef::Unknown
            })
            .create,
        None
    );
}

#[test]
fn without_a_create_its_references_go_and_later_ones_are_renumbered() {
    let first = create(Role::Owner, 0, 0, Some(TokenChoice::Slot(0)));
    let second = create(Role::Peer, 2, 2, Some(TokenChoice::Fresh));
    let on = |n| Call::Delete {
        principal: Role::Owner,
        association: AssociationRef::Created(n),
    };
    let replay = |create| Call::Replay {
        create,
        change: ReplayChange::Identical,
    };
    let calls = vec![first.clone(), second.clone(), on(0), replay(1), on(1)];
    assert_eq!(
        without_call(&calls, 0),
        vec![second.clone(), replay(0), on(0)]
    );
    assert_eq!(without_call(&calls, 1), vec![first.clone(), on(0)]);
    // Any other call goes alone.
    assert_eq!(
        without_call(&calls, 2),
        vec![first, second, replay(1), on(1)]
    );
    assert_plausible(&without_call(&calls, 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_call_removed_keeps_every_other_reference_on_its_create(calls in call_sequence(20), i in 0..20usize) {
        let shorter = without_call(&calls, i);
        prop_assert!(shorter.len() < calls.len() || i >= calls.len());
        // Dropping a share may leave an unshare without its share; anything else stays plausible.
        if !matches!(calls.get(i), Some(Call::Share { .. })) {
            assert_plausible(&shorter);
        }
        // Every call left names a create the original sequence named in the same way.
        let resolved = |calls: &[Call]| -> Vec<_> {
            let mut state = CallState::default();
            calls
                .iter()
                .map(|c| {
                    let r = state.resolve(c);
                    state = CallModel::apply(std::mem::take(&mut state), c);
                    (r.call, r.create.map(|(record, _)| record))
                })
                .collect()
        };
        let all = resolved(&calls);
        prop_assert!(resolved(&shorter).iter().all(|r| all.contains(r)), "{:?}", shorter);
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
