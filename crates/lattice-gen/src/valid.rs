//! Valid create bodies: every member within its constraints.

use proptest::option;
use proptest::prelude::*;
use serde_json::Value;

use crate::body::{create_body, Extras};
use crate::identifiers::{service_identifier, service_network_identifier};
use crate::tags::{valid_tag_map, TAG_COUNT_SAFE_MAX};
use crate::token::client_token;

/// The optional members of a valid body: a token (present three times in four) and tags
/// (absent, empty or up to 50 entries).
pub(crate) fn valid_extras(max_tags: usize) -> BoxedStrategy<Extras> {
    (
        option::weighted(0.75, client_token()),
        option::weighted(0.6, valid_tag_map(max_tags)),
    )
        .prop_map(|(token, tags)| Extras { token, tags })
        .boxed()
}

/// A create body the contract accepts, with identifiers drawn from the whole valid space (ids
/// and ARNs; well-formed but, with overwhelming likelihood, nonexistent). Use
/// [`valid_create_body_with`] to pin real identifiers.
pub fn valid_create_body() -> impl Strategy<Value = Value> {
    (service_identifier(), service_network_identifier())
        .prop_flat_map(|(svc, sn)| valid_create_body_with(svc, sn))
}

/// A create body the contract accepts, around the given identifiers (kept verbatim): only the
/// token and the tags (≤ 50 entries) vary. Pass nonexistent ids for validation checks and real
/// ones for acceptance checks.
pub fn valid_create_body_with(service: String, network: String) -> impl Strategy<Value = Value> {
    valid_create_body_with_tags(service, network, TAG_COUNT_SAFE_MAX)
}

/// As [`valid_create_body_with`], with tag maps of up to `max_tags` entries (clamped to 200;
/// 51..=200 is the ambiguous `TAG-COUNT-50` range).
pub fn valid_create_body_with_tags(
    service: String,
    network: String,
    max_tags: usize,
) -> impl Strategy<Value = Value> {
    valid_extras(max_tags).prop_map(move |extras| create_body(&service, &network, &extras))
}
