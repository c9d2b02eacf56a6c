//! Shrinking a failing sequence against the model alone: no request is sent.
//!
//! The endpoint's run failed at one call (the decisive one) with an answer the model's
//! prediction excludes. proptest-state-machine's tree proposes smaller sequences (dropping the
//! calls never sent, then calls from the back, then simplifying calls); then, since the tree
//! cannot drop a create that a later call names by index, a last pass drops calls one at a time
//! with their references renumbered (`lattice_gen::calls::without_call`). Each candidate is
//! replayed on a fresh [`Replica`] in which the model answers every call itself (its first
//! acceptable outcome, new associations getting ids of its own). A candidate is kept when it
//! still reaches the decisive situation ([`Decisive::reached_by`]): its last call names the same
//! thing as the failing call, the model's state around that call is the same
//! ([`Situation`](super::plan::Situation): the uses of its token, the associations of its pair or
//! target, the shares of its resources), and the endpoint's answer, its association ids
//! translated into the candidate's, still fails lattice-checks' judgement with the same kinds of
//! violation, against a prediction attributed to the same rule. The situation is what keeps the
//! calls that made the endpoint answer as it did: without it, a 409 that an earlier use of the
//! token in another account provoked would shrink to the lone create, which the endpoint accepts.
//!
//! Association ids differ between the endpoint's run and a replay, so both name associations by
//! [`AssociationKey`](super::plan::AssociationKey) (creator, pair, rank): an id of the endpoint's
//! answer becomes the candidate's id for the same key, or stays an id the candidate never saw.

use std::mem::Discriminant;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use proptest::strategy::ValueTree;
use serde_json::json;

use lattice_checks::{Exchange, RecordedRequest, RecordedResponse, Verdict, Violation};
use lattice_gen::calls::{without_call, CallState, ResolvedCall};
use lattice_gen::{Call, CallModel};
use lattice_spec::model::Expected;
use lattice_spec::RuleId;
use proptest_state_machine::ReferenceStateMachine;

use super::machine::{Ending, EndpointRun};
use super::plan::{AssociationKey, Expectation, Planned, Replica, Situation, Universe};

/// Candidates replayed on the model at most, per failing sequence.
pub(super) const MAX_MODEL_CANDIDATES: usize = 4096;

/// The value of the reference state machine's sequential strategy.
pub(super) type Sequence = (CallState, Vec<Call>, Option<Arc<AtomicUsize>>);

/// Where and how the endpoint's run failed, in terms that survive shrinking.
#[derive(Debug)]
pub(super) struct Decisive {
    /// The failing call, its references resolved.
    call: ResolvedCall,
    /// The rule the model named for it.
    rule: RuleId,
    /// The model's state around it.
    situation: Situation,
    /// The endpoint's answer.
    exchange: Exchange,
    /// The kinds of violation it was judged to show.
    kinds: Vec<Discriminant<Violation>>,
    /// The association ids of the answer that the run had seen, with their keys.
    ids: Vec<(String, AssociationKey)>,
}

fn kinds(violations: &[Violation]) -> Vec<Discriminant<Violation>> {
    violations.iter().map(std::mem::discriminant).collect()
}

impl Decisive {
    /// The decisive situation of a failed run of `calls` (none if the run did not fail).
    pub(super) fn of(run: &EndpointRun, calls: &[Call]) -> Option<Self> {
        let (Ending::Failed, Some(step)) = (&run.ending, run.steps.last()) else {
            return None;
        };
        let Verdict::Fail(violations) = &step.verdict else {
            return None;
        };
        let at = run.applied.checked_sub(1)?;
        let before = calls[..at]
            .iter()
            .fold(CallState::default(), CallModel::apply);
        let planned = run
            .replica
            .plan(&run.universe, calls.get(at)?, &mut String::new);
        let exchange = step.exchange.clone()?;
        let body = exchange
            .ok()
            .map(|r| r.body.to_string())
            .unwrap_or_default();
        let ids = run
            .replica
            .ids()
            .filter(|(id, _)| body.contains(id.as_str()))
            .map(|(id, key)| (id.clone(), key.clone()))
            .collect();
        Some(Self {
            call: before.resolve(calls.get(at)?),
            rule: step.rule,
            situation: run.replica.situation(&run.universe, &planned),
            exchange,
            kinds: kinds(violations),
            ids,
        })
    }

    /// The endpoint's answer with its association ids as `candidate` names them.
    fn translated(&self, candidate: &Replica) -> Exchange {
        let Ok(response) = &self.exchange.response else {
            return self.exchange.clone();
        };
        let mut body = response.body.to_string();
        for (id, key) in &self.ids {
            if let Some(new) = candidate.id_of(key) {
                body = body.replace(id.as_str(), new);
            }
        }
        self.exchange.with_response(Ok(RecordedResponse {
            body: body.into(),
            ..response.clone()
        }))
    }

    /// Whether replaying `calls` on the model alone reaches this situation at its last call.
    pub(super) fn reached_by(
        &self,
        universe: &Universe,
        quota: Option<usize>,
        calls: &[Call],
    ) -> bool {
        let Some((last, prefix)) = calls.split_last() else {
            return false;
        };
        let mut replica = Replica::new(universe, quota);
        let mut state = CallState::default();
        let mut fresh = 0;
        let mut token = || {
            fresh += 1;
            format!("model-fresh-{fresh}")
        };
        for call in prefix {
            let planned = replica.plan(universe, call, &mut token);
            let answer = imagined(&replica, &planned);
            replica.record(universe, &planned, answer.as_ref(), true);
            state = CallModel::apply(state, call);
        }
        if state.resolve(last) != self.call {
            return false;
        }
        let planned = replica.plan(universe, last, &mut token);
        if planned.rule() != self.rule || replica.situation(universe, &planned) != self.situation {
            return false;
        }
        let answer = self.translated(&replica);
        match replica.judge(universe, &planned, &answer) {
            Verdict::Fail(violations) => kinds(&violations) == self.kinds,
            _ => false,
        }
    }
}

/// The model's own answer to a planned call: its first acceptable outcome (a new association
/// gets an id of the model's), none for a share or a List (which change nothing).
fn imagined(replica: &Replica, planned: &Planned) -> Option<Exchange> {
    let Expectation::Outcome(prediction) = &planned.expectation else {
        return None;
    };
    let (status, error, body) = match prediction.acceptable.first()? {
        Expected::Created => {
            let id = format!("snsa-model{:012}", replica.ids_seen());
            (200, None, json!({ "id": id }))
        }
        Expected::Replayed { id } => (200, None, json!({ "id": id })),
        Expected::Ok => (200, None, json!({})),
        Expected::Error(e) => (e.status(), Some(e.name()), json!({})),
    };
    Some(json_answer(status, error, &body))
}

/// An exchange whose response is `status`, the error type `error` and a JSON `body`.
fn json_answer(status: u16, error: Option<&str>, body: &serde_json::Value) -> Exchange {
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    headers.extend(error.map(|e| ("x-amzn-errortype".to_owned(), e.to_owned())));
    let request = RecordedRequest {
        operation: "model".into(),
        principal: String::new(),
        method: String::new(),
        path: String::new(),
        body: String::new(),
        signing: "none".into(),
    };
    let response = RecordedResponse {
        status,
        headers,
        body: body.to_string().into(),
        truncated: false,
    };
    Exchange::new(request, Ok(response))
}

/// The smallest sequence found against the model, and how many candidates it took.
#[derive(Debug, Clone)]
pub(super) struct Shrunk {
    /// The sequence, the decisive call last.
    pub(super) calls: Vec<Call>,
    /// Candidates replayed on the model.
    pub(super) candidates: usize,
    /// Whether the model reaches the failure from the sequence as run (else nothing was tried).
    pub(super) reached: bool,
}

/// Shrinks the tree of a failed run against the model (see the module documentation), from the
/// calls the run applied; the tree's counter of transitions seen drops the others first.
pub(super) fn against_model(
    tree: &mut impl ValueTree<Value = Sequence>,
    run: &EndpointRun,
    calls: &[Call],
    quota: Option<usize>,
    playable: super::Playable,
) -> Shrunk {
    let mut best = Shrunk {
        calls: calls[..run.applied.min(calls.len())].to_vec(),
        candidates: 1,
        reached: false,
    };
    let Some(decisive) = Decisive::of(run, calls) else {
        return best;
    };
    // The model must reach the situation from the sequence as run, or it cannot judge smaller
    // ones (it chose another acceptable outcome than the endpoint somewhere before).
    best.reached = decisive.reached_by(&run.universe, quota, &best.calls);
    if !best.reached || !tree.simplify() {
        return best;
    }
    loop {
        best.candidates += 1;
        let (_, candidate, _) = tree.current();
        let candidate = playable.filter(candidate);
        let moved = if decisive.reached_by(&run.universe, quota, &candidate) {
            best.calls = candidate;
            tree.simplify()
        } else {
            tree.complicate()
        };
        if !moved || best.candidates >= MAX_MODEL_CANDIDATES {
            break;
        }
    }
    drop_calls(&mut best, &decisive, &run.universe, quota);
    best
}

/// Drops calls one at a time (never the decisive last one), references renumbered, while the
/// model still reaches the decisive situation.
fn drop_calls(best: &mut Shrunk, decisive: &Decisive, universe: &Universe, quota: Option<usize>) {
    let mut i = 0;
    while i + 1 < best.calls.len() && best.candidates < MAX_MODEL_CANDIDATES {
        best.candidates += 1;
        let candidate = without_call(&best.calls, i);
        if plausible(&candidate) && decisive.reached_by(universe, quota, &candidate) {
            best.calls = candidate;
        } else {
            i += 1;
        }
    }
}

/// Whether every call meets the reference state machine's preconditions where it stands.
fn plausible(calls: &[Call]) -> bool {
    let mut state = CallState::default();
    calls.iter().all(|call| {
        let ok = CallModel::preconditions(&state, call);
        state = CallModel::apply(std::mem::take(&mut state), call);
        ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::stateful::machine::Step;
    use lattice_gen::calls::{TagChoice, TokenChoice, NETWORKS, SERVICES};
    use lattice_spec::Role;
    use lattice_transport::fixtures::{CreatedResource, Kind};

    const FIRST: &str = "snsa-aaaaaaaaaaaaaaaaa";

    fn resource(kind: Kind, i: usize, owner: Role) -> CreatedResource {
        let (prefix, arn_type) = match kind {
            Kind::Service => ("svc", "service"),
            _ => ("sn", "servicenetwork"),
        };
        let id = format!("{prefix}-{i:017}");
        let account = format!("{}", 111111111111u64 * (owner.index() as u64 + 1));
        CreatedResource {
            arn: format!("arn:aws:vpc-lattice:us-east-1:{account}:{arn_type}/{id}"),
            id,
            principal: owner,
            kind,
        }
    }

    fn universe() -> Universe {
        use lattice_gen::calls::{network_owner, service_owner};
        Universe {
            services: (0..SERVICES)
                .map(|i| resource(Kind::Service, i, service_owner(i)))
                .collect(),
            networks: (0..NETWORKS)
                .map(|i| resource(Kind::Network, i, network_owner(i)))
                .collect(),
            tokens: vec!["slot0".into(), "slot1".into(), "slot2".into()],
            accounts: Role::ALL
                .into_iter()
                .map(|r| (r, format!("{}", 111111111111u64 * (r.index() as u64 + 1))))
                .collect(),
        }
    }

    fn create(principal: Role, service: usize, network: usize, by_arn: bool) -> Call {
        with_token(principal, service, network, by_arn, 0)
    }

    fn with_token(
        principal: Role,
        service: usize,
        network: usize,
        by_arn: bool,
        slot: usize,
    ) -> Call {
        Call::Create {
            principal,
            service,
            network,
            token: Some(TokenChoice::Slot(slot)),
            tags: TagChoice::Absent,
            service_by_arn: by_arn,
            network_by_arn: by_arn,
        }
    }

    fn answer(status: u16, error: Option<&str>, body: serde_json::Value) -> Exchange {
        json_answer(status, error, &body)
    }

    /// A run where the owner created with token slot 0, a peer create with another token
    /// followed, and the outsider's create with the same token (on a network the owner never
    /// shared with it) got 409, as if tokens were global: the model expected 403 or 404.
    fn failed_run(calls: &[Call]) -> EndpointRun {
        let u = universe();
        let mut replica = Replica::new(&u, None);
        let mut steps = Vec::new();
        let answers = [
            answer(
                200,
                None,
                json!({ "id": FIRST, "createdBy": "111111111111" }),
            ),
            answer(
                200,
                None,
                json!({ "id": "snsa-bbbbbbbbbbbbbbbbb", "createdBy": "222222222222" }),
            ),
            answer(409, Some("ConflictException"), json!({})),
        ];
        for (i, (call, exchange)) in calls.iter().zip(answers).enumerate() {
            let planned = replica.plan(&u, call, &mut String::new);
            let verdict = replica.judge(&u, &planned, &exchange);
            assert_eq!(verdict.is_fail(), i + 1 == calls.len(), "{verdict:?}");
            if !verdict.is_fail() {
                replica.record(&u, &planned, Some(&exchange), false);
            }
            steps.push(Step {
                text: planned.text.clone(),
                expected: planned.expected_text(),
                exchange: Some(exchange),
                rule: planned.rule(),
                verdict,
            });
        }
        EndpointRun {
            universe: u,
            replica,
            steps,
            applied: calls.len(),
            ending: Ending::Failed,
        }
    }

    #[test]
    fn the_model_keeps_the_calls_that_made_the_endpoint_answer_as_it_did() {
        let calls = [
            create(Role::Owner, 0, 1, false),
            with_token(Role::Peer, 2, 3, false, 1),
            create(Role::Outsider, 5, 1, true),
        ];
        let run = failed_run(&calls);
        let decisive = Decisive::of(&run, &calls).expect("the run failed");
        let reaches = |calls: &[Call]| decisive.reached_by(&run.universe, None, calls);
        assert!(reaches(&calls));
        // Without the peer's create the situation is the same; without the owner's, the token
        // was never used, and the lone create's 409 is not the same failure.
        assert!(reaches(&[calls[0].clone(), calls[2].clone()]));
        assert!(!reaches(&calls[1..]));
        assert!(!reaches(&calls[2..]));
        // The deletion pass finds the two calls, against the model alone.
        let mut shrunk = Shrunk {
            calls: calls.to_vec(),
            candidates: 0,
            reached: true,
        };
        drop_calls(&mut shrunk, &decisive, &run.universe, None);
        assert_eq!(shrunk.calls, vec![calls[0].clone(), calls[2].clone()]);
    }

    #[test]
    fn an_answer_names_the_candidate_s_association_for_the_same_key() {
        // The endpoint replayed the owner's association to the outsider: 200 with its id.
        let calls = [
            create(Role::Owner, 0, 1, false),
            create(Role::Outsider, 4, 4, false),
        ];
        let u = universe();
        let mut replica = Replica::new(&u, None);
        let planned = replica.plan(&u, &calls[0], &mut String::new);
        replica.record(
            &u,
            &planned,
            Some(&answer(200, None, json!({ "id": FIRST }))),
            false,
        );
        let planned = replica.plan(&u, &calls[1], &mut String::new);
        let replayed = answer(
            200,
            None,
            json!({ "id": FIRST, "createdBy": "111111111111" }),
        );
        let verdict = replica.judge(&u, &planned, &replayed);
        let step = Step {
            text: planned.text.clone(),
            expected: planned.expected_text(),
            exchange: Some(replayed),
            rule: planned.rule(),
            verdict,
        };
        let run = EndpointRun {
            universe: u,
            replica,
            steps: vec![step],
            applied: 2,
            ending: Ending::Failed,
        };
        let decisive = Decisive::of(&run, &calls).expect("an unexpected association fails");
        // In the model's replay the owner's association has an id of the model's: the answer
        // is translated to it, so the failure is still an association the model already knows.
        assert!(decisive.reached_by(&run.universe, None, &calls));
        assert!(!decisive.reached_by(&run.universe, None, &calls[1..]));
    }
}
