//! Inputs the model accepts but the user guide may refuse: tag maps of 51..=200 entries
//! (`TAG-COUNT-50`) and keys that begin with `aws:` in another letter case
//! (`TAG-AWS-PREFIX-CASE`). Either outcome the rule allows is conformant, so these are kept apart
//! from the valid and the invalid generators.

use lattice_spec::TagsRule;
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::Union;

use crate::body::{create_body, AmbiguousInput, Extras};
use crate::invalid::Ids;
use crate::tags::{aws_prefix_in_other_case, tags_51_to_200};
use crate::token::client_token;

/// Every rule an ambiguous-input generator covers.
pub fn ambiguous_rules() -> Vec<TagsRule> {
    TagsRule::ALL
        .iter()
        .copied()
        .filter(|r| for_rule(*r, &Ids::Generated).is_some())
        .collect()
}

/// The ambiguous inputs of a tags rule: every tags rule is named, so a new one does not compile
/// until it says whether it has such inputs.
pub(crate) fn for_rule(rule: TagsRule, ids: &Ids) -> Option<BoxedStrategy<AmbiguousInput>> {
    let tags = match rule {
        TagsRule::TagCount50 => tags_51_to_200(),
        TagsRule::TagAwsPrefixCase => aws_prefix_in_other_case(),
        TagsRule::TagValidAccepted | TagsRule::TagAttached => return None,
    };
    Some(
        (ids.strategy(), option::weighted(0.75, client_token()), tags)
            .prop_map(move |((s, n), token, (tags, note))| AmbiguousInput {
                rule,
                body: create_body(
                    &s,
                    &n,
                    &Extras {
                        token,
                        tags: Some(tags),
                    },
                ),
                note: format!("`tags`: {note}"),
            })
            .boxed(),
    )
}

fn any_rule(ids: &Ids) -> BoxedStrategy<AmbiguousInput> {
    Union::new(TagsRule::ALL.iter().filter_map(|rule| for_rule(*rule, ids))).boxed()
}

/// A body in an ambiguous range, any of [`ambiguous_rules`], with generated identifiers.
pub fn ambiguous_create_input() -> impl Strategy<Value = AmbiguousInput> {
    any_rule(&Ids::Generated)
}

/// As [`ambiguous_create_input`], around the given identifiers (kept verbatim).
pub fn ambiguous_create_input_with(
    service: String,
    network: String,
) -> impl Strategy<Value = AmbiguousInput> {
    any_rule(&Ids::Pinned { service, network })
}

/// Ambiguous bodies for one rule; `None` if the rule has no ambiguous generator.
pub fn ambiguous_create_input_for(rule: TagsRule) -> Option<BoxedStrategy<AmbiguousInput>> {
    for_rule(rule, &Ids::Generated)
}
