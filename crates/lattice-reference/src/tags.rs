//! Tag rules: at most 200 entries, keys of 1..128 and values of 0..256 Unicode scalar values,
//! the documented character set (Unicode letters, digits, white space and `_ . : / = + - @`),
//! and no key beginning with the reserved `aws:` prefix in any letter case (lower case only under
//! `aws-prefix-case-sensitive`; under `user-guide-tag-restrictions` also no white space at either
//! end of a key or value and no `aws:` at the start of a value).

use lattice_spec::constraints::ShapeKind;
use lattice_spec::constraints::{
    scalar_len, tag_chars_ok, RESERVED_TAG_PREFIX, TAG_KEY, TAG_MAP, TAG_VALUE,
};
use lattice_spec::wire::Tags;

use crate::choice::{Choice, Choices};
use crate::defect::{Defect, Defects};
use crate::errors::FieldError;

fn bounds(kind: ShapeKind) -> (usize, usize) {
    match kind {
        ShapeKind::String { min, max, .. } => (min.unwrap_or(0), max.unwrap_or(usize::MAX)),
        ShapeKind::TagMap { max } | ShapeKind::TagKeyList { max } => (0, max),
        _ => (0, usize::MAX),
    }
}

/// Whether a tag text begins with `aws:` in any letter case (`AWS:`, `Aws:` are refused too).
pub(crate) fn is_reserved_key(key: &str) -> bool {
    key.get(..RESERVED_TAG_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(RESERVED_TAG_PREFIX))
}

/// Whether a tag text keeps to the documented character set (under `refuse-tag-at-plus`, a set
/// that forgets `@` and `+`).
fn chars_ok(text: &str, defects: Defects) -> bool {
    if defects.has(Defect::SkipTagCharset) {
        return true;
    }
    tag_chars_ok(text) && !(defects.has(Defect::RefuseTagAtPlus) && text.contains(['@', '+']))
}

/// Whether a tag key is reserved as the choices read the prefix: in any letter case, or in lower
/// case only (`aws-prefix-case-sensitive`).
fn reserved(key: &str, choices: Choices) -> bool {
    if choices.has(Choice::AwsPrefixCaseSensitive) {
        key.starts_with(RESERVED_TAG_PREFIX)
    } else {
        is_reserved_key(key)
    }
}

/// Under `user-guide-tag-restrictions`, what the user guide adds to the model for a key or a
/// value (`what`): no white space at either end, and (values) no `aws:` at the start.
fn user_guide(text: &str, what: &str, value: bool, member: &str, errs: &mut Vec<FieldError>) {
    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
    if edge(text.chars().next()) || edge(text.chars().last()) {
        errs.push(FieldError::new(
            member,
            format!("{what} may not begin or end with white space"),
        ));
    }
    if value && is_reserved_key(text) {
        errs.push(FieldError::new(
            member,
            format!("{what} may not begin with the reserved prefix aws:"),
        ));
    }
}

/// Checks a tag map, recording every violation under `member`.
pub(crate) fn check_tags(
    tags: &Tags,
    member: &str,
    defects: Defects,
    choices: Choices,
    errs: &mut Vec<FieldError>,
) {
    let (_, max_entries) = bounds(TAG_MAP.kind);
    if tags.len() > max_entries && !defects.has(Defect::AcceptTooManyTags) {
        errs.push(FieldError::new(
            member,
            format!("Member must have at most {max_entries} entries"),
        ));
    }
    for (key, value) in tags {
        check_key(key, member, defects, choices, errs);
        if choices.has(Choice::UserGuideTagRestrictions) {
            user_guide(key, &format!("Tag key `{key}`"), false, member, errs);
            user_guide(
                value,
                &format!("The value of tag `{key}`"),
                true,
                member,
                errs,
            );
        }
        let (_, max_value) = bounds(TAG_VALUE.kind);
        if scalar_len(value) > max_value && !defects.has(Defect::AcceptLongTagValue) {
            errs.push(FieldError::new(
                member,
                format!(
                    "The value of tag `{key}` must have length less than or equal to {max_value}"
                ),
            ));
        }
        if !chars_ok(value, defects) {
            errs.push(FieldError::new(
                member,
                format!("The value of tag `{key}` may only contain Unicode letters, digits, white space and _ . : / = + - @"),
            ));
        }
    }
}

fn check_key(
    key: &str,
    member: &str,
    defects: Defects,
    choices: Choices,
    errs: &mut Vec<FieldError>,
) {
    let (min_key, max_key) = bounds(TAG_KEY.kind);
    let len = scalar_len(key);
    if len < min_key {
        errs.push(FieldError::new(
            member,
            format!("Tag keys must have length greater than or equal to {min_key}"),
        ));
    }
    if len > max_key && !defects.has(Defect::AcceptLongTagKey) {
        errs.push(FieldError::new(
            member,
            format!("Tag key `{key}` must have length less than or equal to {max_key}"),
        ));
    }
    if !chars_ok(key, defects) {
        errs.push(FieldError::new(
            member,
            format!("Tag key `{key}` may only contain Unicode letters, digits, white space and _ . : / = + - @"),
        ));
    }
    if reserved(key, choices) && !defects.has(Defect::AcceptAwsTagPrefix) {
        errs.push(FieldError::new(
            member,
            format!("Tag key `{key}` may not begin with the reserved prefix aws:"),
        ));
    }
}

/// Checks the keys of an UntagResource request (count and key length only).
pub(crate) fn check_tag_keys(keys: &[String], member: &str, errs: &mut Vec<FieldError>) {
    if keys.is_empty() {
        errs.push(FieldError::new(member, "Member is required"));
    }
    if keys.len() > 200 {
        errs.push(FieldError::new(
            member,
            "Member must have at most 200 members",
        ));
    }
    let (min_key, max_key) = bounds(TAG_KEY.kind);
    for key in keys {
        let len = scalar_len(key);
        if len < min_key || len > max_key {
            errs.push(FieldError::new(
                member,
                format!("Tag keys must have length between {min_key} and {max_key}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn errors(key: &str, value: &str) -> usize {
        let tags: Tags = [(key.to_owned(), value.to_owned())].into();
        let mut errs = Vec::new();
        check_tags(
            &tags,
            "tags",
            Defects::default(),
            Choices::default(),
            &mut errs,
        );
        errs.len()
    }

    #[rstest]
    #[case("env", "prod", 0)]
    #[case("Ünïcödé key 1", "a_b.c:d/e=f+g-h@i", 0)]
    #[case("", "x", 1)]
    #[case("a#b", "x", 1)]
    #[case("k", "💥", 1)]
    #[case("aws:team", "x", 1)]
    #[case("AWS:team", "x", 1)]
    #[case("Aws:team", "x", 1)]
    #[case("team", "aws:value", 0)]
    fn tags_follow_the_documented_rules(#[case] key: &str, #[case] value: &str, #[case] n: usize) {
        assert_eq!(errors(key, value), n, "{key:?}={value:?}");
    }

    #[test]
    fn tag_lengths_count_scalar_values() {
        assert_eq!(errors(&"é".repeat(128), &"é".repeat(256)), 0);
        assert_eq!(errors(&"é".repeat(129), "x"), 1);
        assert_eq!(errors("k", &"é".repeat(257)), 1);
        let many: Tags = (0..201).map(|i| (format!("k{i}"), String::new())).collect();
        let mut errs = Vec::new();
        check_tags(
            &many,
            "tags",
            Defects::default(),
            Choices::default(),
            &mut errs,
        );
        assert_eq!(errs.len(), 1);
    }
}
