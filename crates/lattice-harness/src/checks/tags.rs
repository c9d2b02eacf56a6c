//! Tags that the contract allows are accepted and attached to the association
//! (ListTagsForResource on its ARN returns exactly them); the ambiguous ranges (51..=200 tags,
//! `aws:` in other letter cases) are sent and the reading the endpoint chose is recorded.

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{json, Value};

use lattice_checks::judge::{created_id, succeeded, tags as judge};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::Operation;
use lattice_spec::{Role, RuleId, TagsRule};

use super::validation::runner;
use super::{setup_failed, CaseResult, Ctx};
use lattice_transport::driver::ApiCall;

/// Under the fixture economy: the boundary-valid bodies sent, and the ambiguous inputs sent per
/// rule (the first ones: a live run's request budget).
const ECONOMY_VALID_BODIES: (usize, usize) = (6, 2);

/// One valid tag map on a fresh pair: accepted (TAG-VALID-ACCEPTED) and attached (TAG-ATTACHED).
async fn one_case(ctx: &Ctx, tags: &BTreeMap<String, String>) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::TagValidAccepted, RuleId::TagAttached], &e),
    };
    let create = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("tags"))
                .tags(Some(tags.clone()))
                .to_json(),
        )
        .await;
    let note = format!(
        "{} tag(s), longest key {} chars",
        tags.len(),
        tags.keys().map(|k| k.chars().count()).max().unwrap_or(0)
    );
    let mut out = vec![judge::accepted(&create, &note)];
    if !succeeded(&create) {
        return out;
    }
    let list = list_tags(ctx, &create).await;
    out.push(judge::attached(tags, &create, list.as_ref(), &note));
    out
}

/// ListTagsForResource on the `arn` a create answered (`None` when it answered none).
async fn list_tags(
    ctx: &Ctx,
    create: &lattice_checks::Exchange,
) -> Option<lattice_checks::Exchange> {
    let arn = lattice_checks::state::member_of(create, "arn")?;
    let call = ApiCall::labelled(Operation::ListTagsForResource, Role::Owner, &arn);
    Some(ctx.driver.send(&call).await)
}

/// Runs the tag cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    // A live run's economy sends the first boundary inputs of each kind only.
    let economy = ctx.fx.economy().is_some();
    let (valid_cap, ambiguous_cap) = if economy {
        ECONOMY_VALID_BODIES
    } else {
        (usize::MAX, usize::MAX)
    };
    // Boundary-valid bodies first (keys and values at their exact maximum lengths ...).
    for body in lattice_gen::boundary_valid_bodies()
        .into_iter()
        .take(valid_cap)
    {
        if let Some(tags) = body
            .get("tags")
            .and_then(|t| serde_json::from_value::<BTreeMap<String, String>>(t.clone()).ok())
        {
            if !tags.is_empty() && tags.len() <= 50 {
                out.extend(one_case(&ctx, &tags).await);
            }
        }
    }
    let generated: Vec<BTreeMap<String, String>> = {
        let strategy = lattice_gen::valid_tag_map(50);
        let mut runner = runner(ctx.options.seed, "tags");
        (0..ctx.options.cases.div_ceil(2))
            .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
            .collect()
    };
    for tags in &generated {
        out.extend(one_case(&ctx, tags).await);
    }
    // Ambiguous inputs: either reading passes; record which one the endpoint chose.
    let mut pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => {
            out.extend(setup_failed(
                &[RuleId::TagCount50, RuleId::TagAwsPrefixCase],
                &e,
            ));
            return out;
        }
    };
    let mut sent: BTreeMap<TagsRule, usize> = BTreeMap::new();
    for input in lattice_gen::boundary_ambiguous_inputs() {
        let n = sent.entry(input.rule).or_default();
        *n += 1;
        if *n > ambiguous_cap {
            continue;
        }
        let mut body: Value = input.body.clone();
        body["serviceIdentifier"] = json!(pair.0.id);
        body["serviceNetworkIdentifier"] = json!(pair.1.id);
        let e = ctx.create(Role::Owner, &body).await;
        match body.get("tags").cloned().map(serde_json::from_value) {
            // The 200 reading of TAG-COUNT-50 keeps every tag: read them back.
            Some(Ok(tags)) if input.rule == TagsRule::TagCount50 && succeeded(&e) => {
                let list = list_tags(&ctx, &e).await;
                let note = &input.note;
                out.push(judge::count_fifty_attached(&tags, &e, list.as_ref(), note));
            }
            _ => out.push(judge::ambiguous(input.rule, &e, &input.note)),
        }
        if let Some(id) = created_id(&e) {
            // Free the pair for the next ambiguous input, or take a fresh one when the target
            // cannot delete.
            if !ctx.free_pair(Role::Owner, &id).await {
                match ctx.fx.pair(Role::Owner).await {
                    Ok(p) => pair = p,
                    Err(e) => {
                        out.extend(setup_failed(
                            &[RuleId::TagCount50, RuleId::TagAwsPrefixCase],
                            &e,
                        ));
                        return out;
                    }
                }
            }
        }
    }
    out
}
