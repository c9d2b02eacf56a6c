//! Idempotency through `clientToken`: replays, mismatches, account scope, absent tokens, case
//! sensitivity, and the token forms the model allows. Tokens carry the run id, so reruns against
//! a real endpoint never collide with earlier runs.

use std::sync::Arc;

use serde_json::json;

use lattice_checks::state::{listed_count, same_member};
use lattice_checks::{Verdict, Violation};
use lattice_spec::wire::{tags, CreateAssociationRequest};
use lattice_spec::ExpectedOutcome;
use lattice_spec::{Role, RuleId};

use super::{id_of, setup_failed, succeeded, unjudgeable, CaseResult, Ctx};

/// Rules this check decides.
pub const RULES: &[RuleId] = &[
    RuleId::IdempReplay,
    RuleId::IdempMismatch,
    RuleId::IdempAccountScope,
    RuleId::IdempNoToken,
    RuleId::IdempCaseSensitive,
    RuleId::IdempTokenForms,
];

fn ok200() -> Vec<ExpectedOutcome> {
    vec![ExpectedOutcome::Success(200)]
}

async fn replay(ctx: &Ctx) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::IdempReplay], &e),
    };
    let token = ctx.fx.token("replay");
    let team = tags([("team", "conformance")]);
    let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
        .token(&token)
        .tags(Some(team))
        .to_json();
    let first = ctx.create(Role::Owner, &body).await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::IdempReplay, &ok200(), &first, vec![])
            .with_note("the first create must succeed")];
    }
    let second = ctx.create(Role::Owner, &body).await;
    let mut case = ctx.judge(RuleId::IdempReplay, &second, vec![first.clone()]);
    if case.verdict == Verdict::Pass {
        let mut v = Vec::new();
        for m in ["id", "arn", "createdBy"] {
            v.extend(same_member(&first, &second, m));
        }
        let id = id_of(&first).unwrap_or_default();
        let list = ctx.list_by_network(Role::Owner, &pair.1.id).await;
        if unjudgeable(&list).is_none() {
            v.extend(listed_count(&list, &id, 1, "after the replay"));
        }
        case.evidence.push(list);
        if !v.is_empty() {
            case.verdict = Verdict::Fail(v);
        }
    }
    vec![case.with_note("same token, same parameters, twice")]
}

async fn mismatch(ctx: &Ctx) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let (mut a, b, c) = match (
        ctx.fx.pair(Role::Owner).await,
        ctx.fx.service(Role::Owner).await,
        ctx.fx.network(Role::Owner).await,
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return setup_failed(&[RuleId::IdempMismatch], &e)
        }
    };
    for what in ["other tags", "another service", "another network"] {
        let mut changed = match what {
            "other tags" => CreateAssociationRequest::new(&a.0.id, &a.1.id)
                .tags(Some(tags([("changed", "yes")])))
                .to_json(),
            "another service" => CreateAssociationRequest::new(&b.id, &a.1.id).to_json(),
            _ => CreateAssociationRequest::new(&a.0.id, &c.id).to_json(),
        };
        let token = ctx.fx.token("mismatch");
        let first = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&a.0.id, &a.1.id)
                    .token(&token)
                    .to_json(),
            )
            .await;
        if !succeeded(&first) {
            out.push(
                ctx.judge_with(RuleId::IdempMismatch, &ok200(), &first, vec![])
                    .with_note("the first create must succeed"),
            );
            continue;
        }
        changed["clientToken"] = json!(token);
        let second = ctx.create(Role::Owner, &changed).await;
        out.push(
            ctx.judge(RuleId::IdempMismatch, &second, vec![first.clone()])
                .with_note(format!("same token, {what}")),
        );
        // Free the pair for the next variant, or take a fresh one when the target cannot delete.
        if let Some(id) = id_of(&first) {
            if !ctx.remove(Role::Owner, &id).await {
                match ctx.fx.pair(Role::Owner).await {
                    Ok(p) => a = p,
                    Err(e) => {
                        out.extend(setup_failed(&[RuleId::IdempMismatch], &e));
                        break;
                    }
                }
            }
        }
    }
    out
}

async fn account_scope(ctx: &Ctx) -> Vec<CaseResult> {
    let Some(peer) = ctx.principal(Role::Peer) else {
        return vec![CaseResult::skipped(
            RuleId::IdempAccountScope,
            "the target profile has no `peer` principal",
        )];
    };
    let (mine, theirs) = match (ctx.fx.pair(Role::Owner).await, ctx.fx.pair(peer).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return setup_failed(&[RuleId::IdempAccountScope], &e),
    };
    let token = ctx.fx.token("scope");
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&mine.0.id, &mine.1.id)
                .token(&token)
                .to_json(),
        )
        .await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::IdempAccountScope, &ok200(), &first, vec![])
            .with_note("the owner's create must succeed")];
    }
    let second = ctx
        .create(
            peer,
            &CreateAssociationRequest::new(&theirs.0.id, &theirs.1.id)
                .token(&token)
                .to_json(),
        )
        .await;
    let mut case = ctx.judge(RuleId::IdempAccountScope, &second, vec![first.clone()]);
    if case.verdict == Verdict::Pass && id_of(&first) == id_of(&second) {
        case.verdict = Verdict::Fail(vec![Violation::Contradiction {
            message: "the peer's create with the owner's token returned the owner's association"
                .into(),
        }]);
    }
    vec![case.with_note("the same token from two accounts, each on its own pair")]
}

async fn no_token(ctx: &Ctx) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::IdempNoToken], &e),
    };
    let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id).to_json();
    let first = ctx.create(Role::Owner, &body).await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::IdempNoToken, &ok200(), &first, vec![])
            .with_note("the first create must succeed")];
    }
    let second = ctx.create(Role::Owner, &body).await;
    vec![ctx
        .judge(RuleId::IdempNoToken, &second, vec![first])
        .with_note("the same body twice without a token")]
}

async fn case_sensitive(ctx: &Ctx) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::IdempCaseSensitive], &e),
    };
    let token = format!("Case-{}", ctx.fx.token("tok"));
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&token)
                .to_json(),
        )
        .await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::IdempCaseSensitive, &ok200(), &first, vec![])
            .with_note("the first create must succeed")];
    }
    let upper = token.to_uppercase();
    let second = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&upper)
                .to_json(),
        )
        .await;
    vec![ctx
        .judge(RuleId::IdempCaseSensitive, &second, vec![first])
        .with_note(format!("`{token}` then `{upper}` for the same pair"))]
}

async fn token_forms(ctx: &Ctx) -> Vec<CaseResult> {
    let run = ctx.fx.token("f");
    let long: String = format!("{run}{}", "x".repeat(64))
        .chars()
        .take(64)
        .collect();
    let forms = [
        (
            "a 1-character token",
            format!("{}", (b'!' + (ctx.options.seed % 94) as u8) as char),
        ),
        ("a 64-character token", long),
        (
            "non-ASCII mixed with printable ASCII",
            format!("é-{run}-ß漢"),
        ),
        ("white space around printable ASCII", format!(" {run} ")),
    ];
    let mut out = Vec::new();
    for (what, token) in forms {
        let pair = match ctx.fx.pair(Role::Owner).await {
            Ok(p) => p,
            Err(e) => return setup_failed(&[RuleId::IdempTokenForms], &e),
        };
        let e = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                    .token(&token)
                    .to_json(),
            )
            .await;
        let mut case = ctx
            .judge(RuleId::IdempTokenForms, &e, vec![])
            .with_note(what);
        // A 1-character token cannot carry the run id: an earlier run may have used it.
        let collided = e.ok().is_some_and(|r| {
            r.status == 409
                || r.status == 400 && r.error_type().as_deref() != Some("ValidationException")
        });
        if token.chars().count() == 1 && case.verdict.is_fail() && collided {
            case.verdict = Verdict::Inconclusive(
                "a 1-character token may have been used by an earlier run".into(),
            );
        }
        out.push(case);
    }
    out
}

/// Runs the idempotency cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = replay(&ctx).await;
    out.extend(mismatch(&ctx).await);
    out.extend(account_scope(&ctx).await);
    out.extend(no_token(&ctx).await);
    out.extend(case_sensitive(&ctx).await);
    out.extend(token_forms(&ctx).await);
    out
}
