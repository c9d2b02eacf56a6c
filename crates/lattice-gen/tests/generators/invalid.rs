//! Invalid generators: every input breaks exactly its labelled rule.

use lattice_gen::{
    generated_rules, invalid_create_input, invalid_create_input_for, invalid_create_input_for_with,
    invalid_create_input_with, RawBody,
};
use lattice_spec::ValidationRule;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{assert_breaks_exactly_its_rule, str_member};

const SVC: &str = "svc-0000000000000000z";
const SN: &str = "sn-0000000000000000z";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_invalid_input_breaks_exactly_its_rule(input in invalid_create_input()) {
        assert_breaks_exactly_its_rule(&input);
    }

    #[test]
    fn pinned_identifiers_survive_where_the_rule_is_not_about_them(input in invalid_create_input_with(SVC.into(), SN.into())) {
        assert_breaks_exactly_its_rule(&input);
        if let RawBody::Json(body) = &input.body {
            let about_svc = input.rule.id().as_str().starts_with("VAL-SVC-");
            let about_sn = input.rule.id().as_str().starts_with("VAL-SN-");
            let about_shape = input.rule == ValidationRule::ValBodyTypes || input.rule == ValidationRule::ValBodyMalformed;
            if !about_svc && !about_shape {
                prop_assert_eq!(str_member(body, "serviceIdentifier"), Some(SVC), "{}", input.note);
            }
            if !about_sn && !about_shape {
                prop_assert_eq!(str_member(body, "serviceNetworkIdentifier"), Some(SN), "{}", input.note);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// AWS CloudFormation sends its own `aws:cloudformation:` system tags in this Create, so real
    /// AWS accepts those keys: the `aws:` generator never uses them.
    #[test]
    fn aws_prefixed_keys_are_never_cloudformation_s(
        input in invalid_create_input_for(ValidationRule::TagAwsPrefix).expect("generated")
    ) {
        if let RawBody::Json(body) = &input.body {
            let keys = body["tags"].as_object().map(|t| t.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
            prop_assert!(keys.iter().any(|k| k.starts_with("aws:")), "{}", input.note);
            for k in &keys {
                prop_assert!(!lattice_gen::tags::is_cloudformation_key(k), "{k}");
            }
        }
    }
}

#[test]
fn each_rule_generator_breaks_exactly_that_rule() {
    for rule in generated_rules() {
        for ids in [None, Some((SVC.to_owned(), SN.to_owned()))] {
            let strategy = match ids {
                None => invalid_create_input_for(rule),
                Some((s, n)) => invalid_create_input_for_with(rule, s, n),
            }
            .unwrap_or_else(|| panic!("no generator for {rule}"));
            let mut runner = TestRunner::new(Config {
                cases: 96,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&strategy, |input| {
                    prop_assert_eq!(input.rule, rule);
                    assert_breaks_exactly_its_rule(&input);
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("{rule}: {e}"));
        }
    }
}

#[test]
fn every_validation_rule_has_a_generator_but_the_one_judged_on_the_others() {
    let without: Vec<ValidationRule> = ValidationRule::ALL
        .iter()
        .copied()
        .filter(|r| invalid_create_input_for(*r).is_none())
        .collect();
    assert_eq!(without, vec![ValidationRule::ValBeforeExist]);
    assert_eq!(generated_rules().len(), ValidationRule::ALL.len() - 1);
}
