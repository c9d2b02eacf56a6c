//! Validation: every member, every constraint, malformed bodies, and validation before existence.
//! Each rule runs its deterministic boundary inputs first, then generated ones. A failing case is
//! shrunk against the model (the oracle must still name exactly the same rule), and only the
//! minimal case is confirmed on the endpoint.

use std::sync::Arc;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use lattice_checks::judge::validation as judge;
use lattice_gen::{InvalidInput, RawBody};
use lattice_spec::validate::{validate_create_body, validate_create_value};
use lattice_spec::{Role, RuleId, ValidationRule};

use super::{setup_failed, CaseResult, Ctx};
use lattice_transport::driver::{ApiCall, Prepared};

const CREATE: lattice_spec::Operation =
    lattice_spec::Operation::CreateServiceNetworkServiceAssociation;

/// Whether a rule's invalid inputs are sent with a real pair (so that an endpoint that accepts
/// them answers 200, not 404): the tag rules, whose inputs are about the tags, not the resources.
fn needs_real_pair(rule: ValidationRule) -> bool {
    rule.id().family() == lattice_spec::Family::Tag
}

/// A deterministic RNG for one property, from the run seed and a label.
pub fn rng_for(seed: u64, label: &str) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in label.bytes().enumerate() {
        bytes[8 + i % 24] ^= b.wrapping_mul(31).wrapping_add(i as u8);
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// 17 random characters of `[0-9a-z]`: the suffix of a well-formed id.
pub fn id_suffix(runner: &mut TestRunner) -> String {
    let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let picks = proptest::collection::vec(0..36usize, 17)
        .new_tree(runner)
        .map(|t| t.current())
        .unwrap_or_default();
    picks.into_iter().map(|i| alphabet[i] as char).collect()
}

/// A runner for one property.
pub fn runner(seed: u64, label: &str) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        rng_for(seed, label),
    )
}

/// Whether the oracle names exactly `rule` (and nothing else) for a body.
fn breaks_exactly(rule: ValidationRule, body: &RawBody) -> bool {
    let result = match body {
        RawBody::Json(v) => validate_create_value(v),
        RawBody::Bytes(b) => validate_create_body(b),
    };
    matches!(result, Err(v) if v.len() == 1 && v[0].rule == rule.id())
}

/// Shrinks a failing tree against the model: simplify while the oracle still names the same
/// single rule. Returns the minimal input (no traffic).
pub fn shrink_against_model(
    tree: &mut impl ValueTree<Value = InvalidInput>,
    max_steps: usize,
) -> InvalidInput {
    let mut best = tree.current();
    let mut steps = 0;
    if !tree.simplify() {
        return best;
    }
    loop {
        steps += 1;
        let cand = tree.current();
        let still = breaks_exactly(cand.rule, &cand.body) && cand.rule == best.rule;
        let moved = if still {
            best = cand;
            tree.simplify()
        } else {
            tree.complicate()
        };
        if !moved || steps >= max_steps {
            return best;
        }
    }
}

/// Runs the validation property for every rule.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    // Well-formed ids that do not exist, in the caller's own account.
    let mut ids = runner(ctx.options.seed, "ghost-ids");
    let (ghost_svc, ghost_sn) = (
        format!("svc-{}", id_suffix(&mut ids)),
        format!("sn-{}", id_suffix(&mut ids)),
    );
    // A second real pair, used only by inputs sent around real resources (the tag rules' pair
    // may hold what an endpoint wrongly accepted).
    let around = match ctx.fx.economy() {
        Some(_) => None,
        None => ctx.fx.pair(Role::Owner).await.ok(),
    };
    let mut leftovers = Vec::new();
    let real = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => Some(p),
        Err(e) => {
            let tag_rules: Vec<RuleId> = ValidationRule::ALL
                .iter()
                .filter(|r| needs_real_pair(**r))
                .map(|r| r.id())
                .collect();
            out.extend(setup_failed(&tag_rules, &e));
            None
        }
    };
    for rule in ValidationRule::ALL
        .iter()
        .copied()
        .filter(|r| *r != ValidationRule::ValBeforeExist && ctx.selected(r.id()))
    {
        let (svc, sn) = if needs_real_pair(rule) {
            match &real {
                Some((s, n)) => (s.id.clone(), n.id.clone()),
                None => continue,
            }
        } else {
            (ghost_svc.clone(), ghost_sn.clone())
        };
        if lattice_gen::invalid_create_input_for(rule).is_none() {
            out.push(CaseResult::skipped(
                rule.id(),
                "no generator breaks this rule alone",
            ));
            continue;
        }
        // The inputs (boundary ones, then generated ones) are made, serialised and signed on a
        // thread of their own while earlier ones are on the wire.
        let (mut inputs, producer) = produce(&ctx, rule, &svc, &sn);
        let mut stopped = false;
        while let Some((source, note, prepared)) = inputs.recv().await {
            let (case, before) = send_case(&ctx, rule, &note, prepared).await;
            let Source::Generated(i) = source else {
                out.push(case.with_note(format!("boundary: {note}")));
                out.extend(before);
                continue;
            };
            if case.verdict.is_fail() {
                let minimal =
                    lattice_gen::invalid_create_input_for_with(rule, svc.clone(), sn.clone())
                        .and_then(|s| {
                            s.new_tree(&mut runner(ctx.options.seed, &case_label(rule, i)))
                                .ok()
                        })
                        .map(|mut tree| shrink_against_model(&mut tree, 4096));
                let mut confirmed = None;
                if let Some(m) = &minimal {
                    let call = ctx.driver.prepare(
                        ApiCall::raw(CREATE, Role::Owner, m.body.to_bytes()).deliberately_invalid(),
                    );
                    let (c, before_min) = send_case(&ctx, rule, &m.note, call).await;
                    if c.verdict.is_fail() {
                        confirmed = Some((c, before_min, &m.note));
                    }
                }
                match confirmed {
                    Some((c, before_min, minimal_note)) => {
                        out.push(c.with_note(format!(
                            "shrunk against the model, confirmed on the endpoint: {minimal_note}"
                        )));
                        out.extend(before_min);
                    }
                    None => {
                        out.push(case.with_note(format!(
                            "not shrunk (the minimal case passed on the endpoint): {note}"
                        )));
                        out.extend(before);
                    }
                }
                stopped = true;
                break;
            }
            out.push(case);
            out.extend(before);
        }
        // The inputs ran out: because the producer made them all, or because it panicked (a bug
        // of ours, which must not pass for a rule checked on fewer cases than asked).
        if let (false, Err(e)) = (stopped, producer.await) {
            out.push(CaseResult::inconclusive(
                rule.id(),
                format!("internal error in the input generator: {e}"),
                vec![],
            ));
        }
        // A live run's economy leaves them to emulator runs (its request budget).
        let economy = ctx.fx.economy().is_some();
        if let (false, false, false, Some((s, n))) =
            (stopped, needs_real_pair(rule), economy, &around)
        {
            out.extend(around_real(&ctx, rule, (&s.id, &n.id), &mut leftovers).await);
        }
    }
    out
}

/// The label of generated case `i` of a rule: its runner's seed is derived from it, so that a
/// failing case can be regenerated identically and shrunk.
fn case_label(rule: ValidationRule, i: u32) -> String {
    format!("{rule}#{i}")
}

/// How many inputs the producer may prepare ahead of the one on the wire. Enough that, at the
/// default and benchmark case counts, it never waits for room (each wait costs the sending side
/// a wake-up of the producer); small enough to bound memory when `--cases` is large.
const PREPARED_AHEAD: usize = 1024;

/// Boundary inputs per rule under the fixture economy (a live run's request budget).
const ECONOMY_BOUNDARY_INPUTS: usize = 2;

/// Where an input comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The deterministic boundary set.
    Boundary,
    /// Generated case `i`.
    Generated(u32),
}

/// Makes a rule's inputs on a blocking thread, in the order they are sent: its boundary inputs,
/// then `cases` generated ones; each arrives through a bounded channel already serialised and
/// signed ([`lattice_transport::driver::Driver::prepare`]), so that generating and signing the next inputs
/// overlaps the round trip of the current one. Strategy trees are not `Send`, so each generated
/// input is made in that thread from its own seeded runner (`case_label`), exactly as a shrink
/// regenerates it. Dropping the receiver (after a failure) stops the thread at its next input;
/// the handle tells whether it ended normally.
fn produce(
    ctx: &Ctx,
    rule: ValidationRule,
    svc: &str,
    sn: &str,
) -> (
    tokio::sync::mpsc::Receiver<(Source, String, Prepared)>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(PREPARED_AHEAD);
    let (svc, sn) = (svc.to_owned(), sn.to_owned());
    let (driver, seed, cases) = (ctx.driver.clone(), ctx.options.seed, ctx.options.cases);
    // A live run's economy sends a rule's first boundary inputs only.
    let boundary = if ctx.fx.economy().is_some() {
        ECONOMY_BOUNDARY_INPUTS
    } else {
        usize::MAX
    };
    let producer = tokio::task::spawn_blocking(move || {
        let send = |source, input: InvalidInput| {
            let prepared = driver.prepare(
                ApiCall::raw(CREATE, Role::Owner, input.body.to_bytes()).deliberately_invalid(),
            );
            tx.blocking_send((source, input.note, prepared)).is_ok()
        };
        for input in lattice_gen::boundary_inputs_with(svc.clone(), sn.clone())
            .into_iter()
            .filter(|i| i.rule == rule)
            .take(boundary)
        {
            if !send(Source::Boundary, input) {
                return;
            }
        }
        let Some(strategy) = lattice_gen::invalid_create_input_for_with(rule, svc, sn) else {
            return;
        };
        for i in 0..cases {
            let Ok(tree) = strategy.new_tree(&mut runner(seed, &case_label(rule, i))) else {
                continue;
            };
            if !send(Source::Generated(i), tree.current()) {
                return;
            }
        }
    });
    (rx, producer)
}

/// Sends one invalid input and judges it; also judges VAL-BEFORE-EXIST for inputs sent with a
/// nonexistent id (a not-found or access-denied answer there means existence was checked first).
async fn send_case(
    ctx: &Ctx,
    rule: ValidationRule,
    note: &str,
    call: Prepared,
) -> (CaseResult, Vec<CaseResult>) {
    let e = ctx.create_prepared(Role::Owner, call).await;
    if let Some(id) = lattice_checks::judge::created_id(&e) {
        // The endpoint accepted an invalid input: remove what it created.
        ctx.remove(Role::Owner, &id).await;
    }
    let case = judge::invalid_input(rule, &e, note);
    let mut extra = Vec::new();
    if !needs_real_pair(rule) {
        extra.push(judge::before_exist(rule, &e));
    }
    (case, extra)
}

/// Generated inputs per rule sent around a real, usable pair (every member but the one the
/// input breaks names the pair): they must be refused as well, and List of the pair's network
/// must then show that nothing was created.
const AROUND_REAL: u32 = 2;

/// The inputs of `rule` sent around the real pair `(service, network)`; `leftovers` collects
/// associations accepted inputs left behind where the target cannot delete them (later Lists
/// do not count them against another rule).
async fn around_real(
    ctx: &Ctx,
    rule: ValidationRule,
    pair: (&str, &str),
    leftovers: &mut Vec<String>,
) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for i in 0..AROUND_REAL {
        let input =
            lattice_gen::invalid_create_input_for_with(rule, pair.0.to_owned(), pair.1.to_owned())
                .and_then(|s| {
                    s.new_tree(&mut runner(ctx.options.seed, &format!("{rule}#real{i}")))
                        .ok()
                })
                .map(|tree| tree.current());
        let Some(input) = input else { break };
        let call = ctx
            .driver
            .prepare(ApiCall::raw(CREATE, Role::Owner, input.body.to_bytes()));
        let e = ctx.create_prepared(Role::Owner, call).await;
        let note = format!("around real resources: {}", input.note);
        out.push(judge::invalid_input(rule, &e, &note));
        let listed = ctx.list_by_network(Role::Owner, pair.1).await;
        out.push(judge::nothing_created(rule, &listed, leftovers, &note));
        if let Some(id) = lattice_checks::judge::created_id(&e) {
            if !ctx.remove(Role::Owner, &id).await {
                leftovers.push(id);
            }
        }
    }
    out
}
