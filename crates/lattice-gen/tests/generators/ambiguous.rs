//! Ambiguous generators: valid to the model, and inside the range their rule names.

use lattice_gen::{
    ambiguous_create_input, ambiguous_create_input_for, ambiguous_rules, boundary_ambiguous_inputs,
    AmbiguousInput,
};
use lattice_spec::validate::{tag_count_is_ambiguous, tag_prefix_case_is_ambiguous};
use lattice_spec::wire::Tags;
use lattice_spec::TagsRule;
use proptest::prelude::*;

use crate::support::assert_valid;

fn check(input: &AmbiguousInput) {
    assert_valid(&input.body);
    let tags: Tags = serde_json::from_value(input.body["tags"].clone()).expect("tags present");
    match input.rule {
        TagsRule::TagCount50 => {
            assert!(tag_count_is_ambiguous(&tags), "{}", input.note);
            assert!(!tags.keys().any(|k| tag_prefix_case_is_ambiguous(k)));
        }
        TagsRule::TagAwsPrefixCase => {
            assert!(
                tags.keys().any(|k| tag_prefix_case_is_ambiguous(k)),
                "{}",
                input.note
            );
            assert!(!tag_count_is_ambiguous(&tags));
        }
        other => panic!("unexpected rule {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ambiguous_inputs_are_valid_and_ambiguous(input in ambiguous_create_input()) {
        check(&input);
    }
}

#[test]
fn ambiguous_boundaries_cover_both_rules() {
    let inputs = boundary_ambiguous_inputs();
    inputs.iter().for_each(check);
    for rule in ambiguous_rules() {
        assert!(inputs.iter().any(|i| i.rule == rule), "{rule}");
        assert!(ambiguous_create_input_for(rule).is_some());
    }
}
