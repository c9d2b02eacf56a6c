//! Valid generators: everything they draw passes the oracle.

use lattice_gen::{
    client_token, service_identifier, service_network_identifier, valid_create_body,
    valid_create_body_with, valid_tag_map,
};
use lattice_spec::constraints::{
    matches_pattern, CLIENT_TOKEN, SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER,
};
use lattice_spec::validate::{
    tag_count_is_ambiguous, tag_prefix_case_is_ambiguous, tag_violations,
};
use proptest::prelude::*;

use crate::support::{assert_valid, str_member};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_valid_body_passes_the_oracle(body in valid_create_body()) {
        assert_valid(&body);
        if let Some(tags) = body.get("tags").and_then(|t| t.as_object()) {
            prop_assert!(tags.len() <= 50, "more than 50 tags by default");
            prop_assert!(!tags.keys().any(|k| tag_prefix_case_is_ambiguous(k)));
        }
    }

    #[test]
    fn pinned_identifiers_are_kept_verbatim(body in valid_create_body_with("svc-aaaaaaaaaaaaaaaaa".into(), "sn-bbbbbbbbbbbbbbbbb".into())) {
        assert_valid(&body);
        prop_assert_eq!(str_member(&body, "serviceIdentifier"), Some("svc-aaaaaaaaaaaaaaaaa"));
        prop_assert_eq!(str_member(&body, "serviceNetworkIdentifier"), Some("sn-bbbbbbbbbbbbbbbbb"));
    }

    #[test]
    fn identifiers_match_their_patterns(svc in service_identifier(), sn in service_network_identifier()) {
        prop_assert!(matches_pattern(&SERVICE_IDENTIFIER, &svc) && svc.chars().count() <= 2048, "{}", svc);
        prop_assert!(matches_pattern(&SERVICE_NETWORK_IDENTIFIER, &sn) && sn.chars().count() <= 2048, "{}", sn);
    }

    #[test]
    fn tokens_are_valid(token in client_token()) {
        let n = token.chars().count();
        prop_assert!((1..=64).contains(&n), "{} scalar values", n);
        prop_assert!(matches_pattern(&CLIENT_TOKEN, &token));
    }

    #[test]
    fn tag_maps_respect_their_size_bound(max in 0usize..=60, tags in valid_tag_map(60)) {
        prop_assert!(tags.len() <= 60);
        prop_assert!(tag_violations(&tags).is_empty(), "{:?}", tag_violations(&tags));
        let _ = max;
    }

    #[test]
    fn tag_maps_of_200_are_valid_but_may_be_ambiguous(tags in valid_tag_map(500)) {
        prop_assert!(tags.len() <= 200, "clamped to the model's maximum");
        prop_assert!(tag_violations(&tags).is_empty());
        prop_assert_eq!(tag_count_is_ambiguous(&tags), tags.len() > 50);
    }
}
