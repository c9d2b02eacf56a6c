//! Inputs the model accepts but the user guide may refuse: tag maps of 51..=200 entries
//! (`TAG-COUNT-50`) and keys that begin with `aws:` in another letter case
//! (`TAG-AWS-PREFIX-CASE`). Either outcome the rule allows is conformant, so these are kept apart
//! from the valid and the invalid generators.

use lattice_spec::rule_ids as r;
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::Union;

use crate::body::{create_body, AmbiguousInput, Extras};
use crate::invalid::Ids;
use crate::tags::ambiguous_tags;
use crate::token::client_token;

/// Every rule an ambiguous-input generator covers.
pub const AMBIGUOUS_RULES: &[&str] = &[r::TAG_COUNT_50, r::TAG_AWS_PREFIX_CASE];

pub(crate) fn for_rule(rule: &str, ids: &Ids) -> Option<BoxedStrategy<AmbiguousInput>> {
    let rule: &'static str = AMBIGUOUS_RULES.iter().copied().find(|x| *x == rule)?;
    let tags = ambiguous_tags(rule)?;
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
    Union::new(
        AMBIGUOUS_RULES
            .iter()
            .filter_map(|rule| for_rule(rule, ids)),
    )
    .boxed()
}

/// A body in an ambiguous range, any of [`AMBIGUOUS_RULES`], with generated identifiers.
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
pub fn ambiguous_create_input_for(rule: &str) -> Option<BoxedStrategy<AmbiguousInput>> {
    for_rule(rule, &Ids::Generated)
}
