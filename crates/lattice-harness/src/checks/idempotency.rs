//! Idempotency through `clientToken`: replays, mismatches, account scope, absent tokens, case
//! sensitivity, and the token forms the model allows (judged by
//! `lattice_checks::judge::idempotency`). Tokens carry the run id, so reruns against a real
//! endpoint never collide with earlier runs.

use std::sync::Arc;

use lattice_checks::judge::{answered_as, created_id, idempotency as judge, must_succeed};
use lattice_spec::wire::{tags, CreateAssociationRequest};
use lattice_spec::{Role, RuleId};

use super::{setup_failed, CaseResult, Ctx};

async fn replay(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::IdempReplay;
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
        .token(&ctx.fx.token("replay"))
        .tags(Some(tags([("team", "conformance")])))
        .to_json();
    let first = ctx.create(Role::Owner, &body).await;
    if let Some(case) = must_succeed(rule, &first, "the first create must succeed") {
        return vec![case];
    }
    let second = ctx.create(Role::Owner, &body).await;
    let list = match (answered_as(rule, &second), created_id(&first)) {
        (true, Some(id)) => Some(
            ctx.list_showing(Role::Owner, "serviceNetworkIdentifier", &pair.1.id, &id)
                .await,
        ),
        (true, None) => Some(ctx.list_by_network(Role::Owner, &pair.1.id).await),
        (false, _) => None,
    };
    vec![judge::replay(&first, &second, list.as_ref())]
}

async fn mismatch(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::IdempMismatch;
    let mut out = Vec::new();
    let (mut a, b, c) = match (
        ctx.fx.pair(Role::Owner).await,
        ctx.fx.service(Role::Owner).await,
        ctx.fx.network(Role::Owner).await,
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return setup_failed(&[rule], &e),
    };
    for what in ["other tags", "another service", "another network"] {
        let changed = match what {
            "other tags" => CreateAssociationRequest::new(&a.0.id, &a.1.id)
                .tags(Some(tags([("changed", "yes")]))),
            "another service" => CreateAssociationRequest::new(&b.id, &a.1.id),
            _ => CreateAssociationRequest::new(&a.0.id, &c.id),
        };
        let token = ctx.fx.token("mismatch");
        let original = CreateAssociationRequest::new(&a.0.id, &a.1.id).token(&token);
        let first = ctx.create(Role::Owner, &original.to_json()).await;
        if let Some(case) = must_succeed(rule, &first, "the first create must succeed") {
            out.push(case);
            continue;
        }
        // The token's own replay first: a refusal shows a mismatch only where tokens replay.
        let replay = ctx.create(Role::Owner, &original.to_json()).await;
        let second = ctx
            .create(Role::Owner, &changed.token(&token).to_json())
            .await;
        out.push(judge::mismatch(&first, &replay, &second, what));
        // Free the pair for the next variant, or take a fresh one when the target cannot delete.
        if let Some(id) = created_id(&first) {
            if !ctx.free_pair(Role::Owner, &id).await {
                match ctx.fx.pair(Role::Owner).await {
                    Ok(p) => a = p,
                    Err(e) => {
                        out.extend(setup_failed(&[rule], &e));
                        break;
                    }
                }
            }
        }
    }
    out
}

async fn account_scope(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::IdempAccountScope;
    let Some(peer) = ctx.principal(Role::Peer) else {
        return vec![CaseResult::skipped(
            rule,
            "the target profile has no `peer` principal",
        )];
    };
    let (mine, theirs) = match (ctx.fx.pair(Role::Owner).await, ctx.fx.pair(peer).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return setup_failed(&[rule], &e),
    };
    let token = ctx.fx.token("scope");
    let mine = CreateAssociationRequest::new(&mine.0.id, &mine.1.id)
        .token(&token)
        .to_json();
    let first = ctx.create(Role::Owner, &mine).await;
    if let Some(case) = must_succeed(rule, &first, "the owner's create must succeed") {
        return vec![case];
    }
    // The owner's own replay first: scope means something only where tokens replay.
    let replay = ctx.create(Role::Owner, &mine).await;
    let second = ctx
        .create(
            peer,
            &CreateAssociationRequest::new(&theirs.0.id, &theirs.1.id)
                .token(&token)
                .to_json(),
        )
        .await;
    vec![judge::account_scope(&first, &replay, &second)]
}

async fn no_token(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::IdempNoToken;
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id).to_json();
    let first = ctx.create(Role::Owner, &body).await;
    if let Some(case) = must_succeed(rule, &first, "the first create must succeed") {
        return vec![case];
    }
    let second = ctx.create(Role::Owner, &body).await;
    vec![judge::no_token(&first, &second)]
}

async fn case_sensitive(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::IdempCaseSensitive;
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let token = format!("Case-{}", ctx.fx.token("tok"));
    let request = |t: &str| {
        CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
            .token(t)
            .to_json()
    };
    let first = ctx.create(Role::Owner, &request(&token)).await;
    if let Some(case) = must_succeed(rule, &first, "the first create must succeed") {
        return vec![case];
    }
    // The token's own replay first: a 409 shows a new request only where tokens replay.
    let replay = ctx.create(Role::Owner, &request(&token)).await;
    let upper = token.to_uppercase();
    let second = ctx.create(Role::Owner, &request(&upper)).await;
    let tokens = judge::TokenCases {
        token: &token,
        other_case: &upper,
    };
    vec![judge::case_sensitive(&first, &replay, &second, tokens)]
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
        out.push(judge::token_form(&e, what, &token));
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
