//! Validation: every member, every constraint, malformed bodies, and validation before existence.
//! Each rule runs its deterministic boundary inputs first, then generated ones. A failing case is
//! shrunk against the model (the oracle must still name exactly the same rule), and only the
//! minimal case is confirmed on the endpoint.

use std::sync::Arc;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use lattice_gen::{InvalidInput, RawBody};
use lattice_spec::rule_ids as r;
use lattice_spec::validate::{validate_create_body, validate_create_value};

use super::{setup_failed, CaseResult, Ctx};

/// Rules this check decides.
pub const RULES: &[&str] = &[
    r::VAL_SVC_REQUIRED,
    r::VAL_SN_REQUIRED,
    r::VAL_SVC_LENGTH,
    r::VAL_SVC_PATTERN,
    r::VAL_SN_LENGTH,
    r::VAL_SN_PATTERN,
    r::VAL_TOKEN_LENGTH,
    r::VAL_TOKEN_PATTERN,
    r::VAL_BODY_MALFORMED,
    r::VAL_BODY_TYPES,
    r::VAL_BEFORE_EXIST,
    r::TAG_COUNT_MAX,
    r::TAG_KEY_LENGTH,
    r::TAG_VALUE_LENGTH,
    r::TAG_CHARSET,
    r::TAG_AWS_PREFIX,
];

/// Rules whose invalid inputs are sent with a real pair (so that an endpoint that accepts them
/// answers 200, not 404).
const REAL_PAIR_RULES: &[&str] = &[
    r::TAG_COUNT_MAX,
    r::TAG_KEY_LENGTH,
    r::TAG_VALUE_LENGTH,
    r::TAG_CHARSET,
    r::TAG_AWS_PREFIX,
];

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
fn breaks_exactly(rule: &str, body: &RawBody) -> bool {
    let result = match body {
        RawBody::Json(v) => validate_create_value(v),
        RawBody::Bytes(b) => validate_create_body(b),
    };
    matches!(result, Err(v) if v.len() == 1 && v[0].rule == rule)
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

/// A not-found or access-denied answer (by status, or by error type under any status) shows the
/// endpoint looked the identifiers up before validating the input.
fn is_before_exist_failure(e: &lattice_checks::Exchange) -> bool {
    e.ok().is_some_and(|r| {
        r.status == 404
            || r.status == 403
            || matches!(
                r.error_type().as_deref(),
                Some("ResourceNotFoundException" | "AccessDeniedException")
            )
    })
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
    let real = match ctx.fx.pair(0).await {
        Ok(p) => Some(p),
        Err(e) => {
            out.extend(setup_failed(REAL_PAIR_RULES, &e));
            None
        }
    };
    for rule in RULES
        .iter()
        .copied()
        .filter(|r| *r != r::VAL_BEFORE_EXIST && ctx.selected(r))
    {
        let (svc, sn) = if REAL_PAIR_RULES.contains(&rule) {
            match &real {
                Some((s, n)) => (s.id.clone(), n.id.clone()),
                None => continue,
            }
        } else {
            (ghost_svc.clone(), ghost_sn.clone())
        };
        // Strategy trees are not `Send`: each case is generated in a synchronous block from its own
        // seeded runner, so a failing case can be regenerated identically and shrunk against the
        // model (no traffic) without holding a tree across an await.
        let case_label = |i: u32| format!("{rule}#{i}");
        let generated: Option<Vec<InvalidInput>> =
            lattice_gen::invalid_create_input_for_with(rule, svc.clone(), sn.clone()).map(
                |strategy| {
                    (0..ctx.options.cases)
                        .filter_map(|i| {
                            strategy
                                .new_tree(&mut runner(ctx.options.seed, &case_label(i)))
                                .ok()
                                .map(|t| t.current())
                        })
                        .collect()
                },
            );
        let Some(generated) = generated else {
            out.push(CaseResult::skipped(
                rule,
                "no generator breaks this rule alone",
            ));
            continue;
        };
        // Boundary inputs first, then generated ones.
        let boundary: Vec<InvalidInput> =
            lattice_gen::boundary_inputs_with(svc.clone(), sn.clone())
                .into_iter()
                .filter(|i| i.rule == rule)
                .collect();
        for input in boundary {
            let (case, before) = send_case(&ctx, rule, &input).await;
            out.push(case.with_note(format!("boundary: {}", input.note)));
            out.extend(before);
        }
        for (i, input) in generated.into_iter().enumerate() {
            let (case, before) = send_case(&ctx, rule, &input).await;
            if case.verdict.is_fail() {
                let minimal = {
                    let strategy =
                        lattice_gen::invalid_create_input_for_with(rule, svc.clone(), sn.clone());
                    let tree = strategy.and_then(|s| {
                        s.new_tree(&mut runner(ctx.options.seed, &case_label(i as u32)))
                            .ok()
                    });
                    match tree {
                        Some(mut tree) => shrink_against_model(&mut tree, 4096),
                        None => input.clone(),
                    }
                };
                let (confirmed, before_min) = send_case(&ctx, rule, &minimal).await;
                if confirmed.verdict.is_fail() {
                    out.push(confirmed.with_note(format!(
                        "shrunk against the model, confirmed on the endpoint: {}",
                        minimal.note
                    )));
                    out.extend(before_min);
                } else {
                    out.push(case.with_note(format!(
                        "not shrunk (the minimal case passed on the endpoint): {}",
                        input.note
                    )));
                    out.extend(before);
                }
                break;
            }
            out.push(case);
            out.extend(before);
        }
    }
    out
}

/// Sends one invalid input and judges it; also judges VAL-BEFORE-EXIST for inputs sent with a
/// nonexistent id (a not-found or access-denied answer there means existence was checked first).
async fn send_case(
    ctx: &Ctx,
    rule: &'static str,
    input: &InvalidInput,
) -> (CaseResult, Vec<CaseResult>) {
    let e = ctx.create_raw(0, input.body.to_bytes()).await;
    if let Some(id) = super::id_of(&e).filter(|_| super::succeeded(&e)) {
        // The endpoint accepted an invalid input: remove what it created.
        ctx.remove(0, &id).await;
    }
    let case = ctx.judge(rule, &e, vec![]).with_note(input.note.clone());
    let mut extra = Vec::new();
    if !REAL_PAIR_RULES.contains(&rule) {
        let mut before = ctx.judge(r::VAL_BEFORE_EXIST, &e, vec![]);
        if !is_before_exist_failure(&e) {
            before.verdict = match super::unjudgeable(&e) {
                Some(reason) => lattice_checks::Verdict::Inconclusive(reason),
                None => lattice_checks::Verdict::Pass,
            };
        }
        extra.push(before.with_note(format!(
            "invalid `{rule}` input with a nonexistent identifier"
        )));
    }
    (case, extra)
}
