//! The character pools agree with the oracle and with the AWS-style tag class.

use lattice_gen::chars::{
    NON_ASCII_DIGITS, NON_ASCII_LETTERS, TAG_FORBIDDEN, TAG_FORBIDDEN_CHARS, TAG_NON_ASCII_TEXT,
    TAG_SPACES, TAG_TEXT, TOKEN_NON_PRINTABLE_TEXT,
};
use lattice_gen::valid_tag_map;
use lattice_spec::constraints::{tag_chars_ok, TAG_SYMBOLS};
use regex::Regex;

use crate::support::sample;

/// The class other AWS services publish for tag keys and values.
fn aws_tag_class() -> Regex {
    Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").unwrap()
}

#[test]
fn allowed_pools_pass_both_readings_of_the_tag_character_set() {
    let re = aws_tag_class();
    let tables: Vec<char> = TAG_TEXT
        .samples()
        .into_iter()
        .chain(TAG_NON_ASCII_TEXT.samples())
        .collect();
    for c in NON_ASCII_LETTERS
        .iter()
        .chain(NON_ASCII_DIGITS)
        .chain(TAG_SPACES)
        .chain(TAG_SYMBOLS)
        .chain(&tables)
    {
        let s = c.to_string();
        assert!(tag_chars_ok(&s), "{c:?} refused by the oracle");
        assert!(re.is_match(&s), "{c:?} refused by the AWS class");
    }
}

#[test]
fn forbidden_pool_fails_both_readings() {
    let re = aws_tag_class();
    for c in TAG_FORBIDDEN.iter().chain(&TAG_FORBIDDEN_CHARS.samples()) {
        let s = c.to_string();
        assert!(!tag_chars_ok(&s), "{c:?} accepted by the oracle");
        assert!(!re.is_match(&s), "{c:?} accepted by the AWS class");
    }
}

#[test]
fn non_printable_pool_has_no_printable_ascii() {
    assert!(TOKEN_NON_PRINTABLE_TEXT
        .samples()
        .iter()
        .all(|c| !('!'..='~').contains(c)));
}

#[test]
fn generated_tags_pass_the_aws_class_and_have_no_edge_spaces() {
    let re = aws_tag_class();
    for tags in sample(valid_tag_map(50), 300) {
        for (k, v) in &tags {
            assert!(re.is_match(k) && re.is_match(v), "{k:?} = {v:?}");
            for s in [k, v] {
                assert!(
                    !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace),
                    "{s:?}"
                );
                assert!(!s.to_lowercase().starts_with("aws:"), "{s:?}");
            }
        }
    }
}

#[test]
fn text_shrinks_to_the_shortest_failing_run_of_the_first_character() {
    use lattice_gen::chars::Text;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestError, TestRunner};

    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&Text::new(&[(1, TAG_TEXT)], 0, 100), |s| {
        prop_assert!(s.chars().count() < 10);
        Ok(())
    });
    match result {
        Err(TestError::Fail(_, minimal)) => assert_eq!(minimal, "a".repeat(10)),
        other => panic!("expected a failure, got {other:?}"),
    }
}
