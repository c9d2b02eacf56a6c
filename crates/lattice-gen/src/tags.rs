//! Tag maps: valid maps of up to a chosen number of entries, and maps that break exactly one tag
//! rule or sit in an ambiguous range.
//!
//! Valid keys and values stay clear of everything the user guide adds to the model: no leading
//! or trailing white space ("Do not use leading or trailing spaces") and no `aws:` prefix in any
//! letter case, on keys or values ("Do not use the aws: prefix in your tag names or values").
//! Keys and values do reach the model's maxima (128 and 256 scalar values), which the user guide
//! gives as 127 and 255.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use lattice_spec::constraints::{ShapeKind, RESERVED_TAG_PREFIX, TAG_MAP};
use lattice_spec::wire::Tags;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::chars::{pattern, Text, TAG_FORBIDDEN_CHARS, TAG_TEXTS};

/// `TagKey` maximum, in scalar values.
pub const TAG_KEY_MAX_LEN: usize = 128;
/// `TagValue` maximum, in scalar values.
pub const TAG_VALUE_MAX_LEN: usize = 256;
/// The model's `TagMap` maximum (200).
pub const TAG_COUNT_MODEL_MAX: usize = match TAG_MAP.kind {
    ShapeKind::TagMap { max } => max,
    _ => 200,
};
/// The user guide's per-resource tag limit (50): the default size bound of valid tag maps,
/// because 51..=200 entries is an ambiguous range (`TAG-COUNT-50`).
pub const TAG_COUNT_SAFE_MAX: usize = 50;

/// Whether `s` begins with `aws:` in any letter case (the first four characters, lower-cased,
/// are `aws:`).
pub fn has_aws_prefix_any_case(s: &str) -> bool {
    s.chars()
        .take(4)
        .flat_map(char::to_lowercase)
        .eq(RESERVED_TAG_PREFIX.chars())
}

/// Replaces the character at byte `at` of `s` with `with`.
fn replace_char_at(s: &mut String, at: usize, with: char) {
    if let Some(c) = s[at..].chars().next() {
        s.replace_range(at..at + c.len_utf8(), with.encode_utf8(&mut [0; 4]));
    }
}

/// Makes a generated text a safe tag text: no white space at either end, no `aws:` prefix in
/// any case. Keeps the length in scalar values; works in place (tag maps hold hundreds of texts).
fn tidy(mut text: String) -> String {
    if text.chars().next().is_some_and(char::is_whitespace) {
        replace_char_at(&mut text, 0, 'k');
    }
    if let Some((at, c)) = text.char_indices().next_back() {
        if c.is_whitespace() {
            replace_char_at(&mut text, at, 'k');
        }
    }
    if has_aws_prefix_any_case(&text) {
        replace_char_at(&mut text, 0, 'x');
    }
    text
}

/// Tag text of `min..=max` scalar values: letters, digits, symbols and interior spaces, or (a
/// quarter of the time) only multi-byte letters and digits.
pub fn tag_text(min: usize, max: usize) -> impl Strategy<Value = String> + Clone {
    Text::new(TAG_TEXTS, min, max).prop_map(tidy)
}

/// A valid tag key: 1 to 128 scalar values.
pub fn tag_key() -> impl Strategy<Value = String> + Clone {
    tag_text(1, TAG_KEY_MAX_LEN)
}

/// A valid tag value: 0 to 256 scalar values.
pub fn tag_value() -> impl Strategy<Value = String> + Clone {
    tag_text(0, TAG_VALUE_MAX_LEN)
}

/// Turns pairs into a map of exactly as many entries, renaming duplicate keys (the end of the
/// key becomes `-N`, which keeps it valid and within 128 scalar values).
pub fn unique_tags(pairs: Vec<(String, String)>) -> Tags {
    let mut out = Tags::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        let mut key = k;
        let mut attempt = 0usize;
        while out.contains_key(&key) {
            let tail = format!("-{i}-{attempt}");
            let keep = TAG_KEY_MAX_LEN.saturating_sub(tail.len());
            key = key.chars().take(keep).collect::<String>() + &tail;
            attempt += 1;
        }
        out.insert(key, v);
    }
    out
}

/// A map of exactly `n` valid entries.
pub fn tags_of_len(n: usize) -> BoxedStrategy<Tags> {
    vec((tag_key(), tag_value()), n)
        .prop_map(unique_tags)
        .boxed()
}

/// A valid tag map of 0 to `max_entries` entries (clamped to the model's 200). Empty maps and
/// maps of exactly `max_entries` are drawn often. Keep `max_entries` ≤ 50 for maps every
/// endpoint must accept: 51..=200 is the ambiguous `TAG-COUNT-50` range.
pub fn valid_tag_map(max_entries: usize) -> impl Strategy<Value = BTreeMap<String, String>> {
    let max = max_entries.min(TAG_COUNT_MODEL_MAX);
    let pairs = |n: RangeInclusive<usize>| vec((tag_key(), tag_value()), n);
    prop_oneof![
        1 => pairs(0..=0),
        1 => pairs(max..=max),
        6 => pairs(0..=max.min(6)),
        2 => pairs(0..=max),
    ]
    .prop_map(unique_tags)
}

/// Adds one entry to a map (replacing a same-named one), keeping the map's size otherwise.
fn with_entry(mut tags: Tags, key: String, value: String) -> Tags {
    tags.insert(key, value);
    tags
}

/// A few valid entries to sit next to a broken one (at most `TAG_COUNT_SAFE_MAX - 1`).
fn companions() -> BoxedStrategy<Tags> {
    prop_oneof![3 => 0..=4usize, 1 => 0..TAG_COUNT_SAFE_MAX]
        .prop_flat_map(tags_of_len)
        .boxed()
}

/// More than 200 entries (`TAG-COUNT-MAX`).
pub fn too_many_tags() -> BoxedStrategy<(Tags, String)> {
    prop_oneof![
        Just(TAG_COUNT_MODEL_MAX + 1),
        (TAG_COUNT_MODEL_MAX + 1)..=(TAG_COUNT_MODEL_MAX + 40)
    ]
    .prop_flat_map(|n| vec((tag_text(1, 24), tag_text(0, 24)), n))
    .prop_map(|pairs| {
        let tags = unique_tags(pairs);
        let note = format!("{} tags (max 200)", tags.len());
        (tags, note)
    })
    .boxed()
}

/// A key of 0 or more than 128 scalar values (`TAG-KEY-LENGTH`).
pub fn bad_length_tag_key() -> BoxedStrategy<(Tags, String)> {
    (
        companions(),
        prop_oneof![
            1 => Just(String::new()),
            3 => tag_text(TAG_KEY_MAX_LEN + 1, TAG_KEY_MAX_LEN * 2),
        ],
        tag_value(),
    )
        .prop_map(|(tags, k, v)| {
            let note = format!("tag key of {} scalar values (1..=128)", k.chars().count());
            (with_entry(tags, k, v), note)
        })
        .boxed()
}

/// A value of more than 256 scalar values (`TAG-VALUE-LENGTH`).
pub fn too_long_tag_value() -> BoxedStrategy<(Tags, String)> {
    (
        companions(),
        tag_key(),
        tag_text(TAG_VALUE_MAX_LEN + 1, TAG_VALUE_MAX_LEN * 2),
    )
        .prop_map(|(tags, k, v)| {
            let note = format!("tag value of {} scalar values (max 256)", v.chars().count());
            (with_entry(tags, k, v), note)
        })
        .boxed()
}

/// A key or value with a character outside the tag class (`TAG-CHARSET`).
pub fn tag_with_forbidden_character() -> BoxedStrategy<(Tags, String)> {
    (
        companions(),
        tag_key(),
        tag_value(),
        TAG_FORBIDDEN_CHARS.char(),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(tags, k, v, c, in_key, at)| {
            let put = |s: &str, max: usize| -> String {
                let mut cs: Vec<char> = s.chars().collect();
                if cs.len() >= max {
                    cs.pop();
                }
                cs.insert(at.index(cs.len() + 1), c);
                cs.into_iter().collect()
            };
            let (k, v) = if in_key {
                let k = put(&k, TAG_KEY_MAX_LEN);
                // A forbidden character at the front cannot form an `aws:` prefix; elsewhere
                // the key's first four characters were already clear of it.
                (k, v)
            } else {
                (k, put(&v, TAG_VALUE_MAX_LEN))
            };
            let note = format!(
                "forbidden {c:?} in the tag {}",
                if in_key { "key" } else { "value" }
            );
            (with_entry(tags, k, v), note)
        })
        .boxed()
}

/// The prefix of AWS CloudFormation's system tag keys (`aws:cloudformation:stack-id`, …), which
/// CloudFormation's handler for this resource sends in this Create's tags, so real AWS accepts
/// them at least from CloudFormation (see `TAG-AWS-PREFIX` in `specs/rules.toml`).
pub const CLOUDFORMATION_TAG_PREFIX: &str = "aws:cloudformation:";

/// Whether a tag key begins with `aws:cloudformation:` (in any letter case): a key the
/// `TAG-AWS-PREFIX` generators never use.
pub fn is_cloudformation_key(key: &str) -> bool {
    key.chars()
        .take(CLOUDFORMATION_TAG_PREFIX.chars().count())
        .collect::<String>()
        .to_lowercase()
        == CLOUDFORMATION_TAG_PREFIX
}

/// `aws:` and `rest`, unless that begins `aws:cloudformation:`: then its `c` becomes `x`
/// (`aws:xloudformation:…`, still `aws:`, no longer CloudFormation's).
pub fn aws_prefixed(rest: &str) -> String {
    let key = format!("{RESERVED_TAG_PREFIX}{rest}");
    if is_cloudformation_key(&key) {
        format!(
            "{RESERVED_TAG_PREFIX}x{}",
            &key[RESERVED_TAG_PREFIX.len() + 1..]
        )
    } else {
        key
    }
}

/// A key that begins with the reserved `aws:` (`TAG-AWS-PREFIX`), and never with
/// `aws:cloudformation:`, the system tags real AWS accepts from CloudFormation.
pub fn aws_prefixed_tag_key() -> BoxedStrategy<(Tags, String)> {
    (companions(), tag_text(0, TAG_KEY_MAX_LEN - 4), tag_value())
        .prop_map(|(tags, rest, v)| {
            let k = aws_prefixed(&rest);
            let note = format!(
                "tag key `{}` begins with `aws:`",
                k.chars().take(24).collect::<String>()
            );
            (with_entry(tags, k, v), note)
        })
        .boxed()
}

/// Letter-case variants of `aws:` other than all lower case (`TAG-AWS-PREFIX-CASE`).
pub const AWS_PREFIX_CASES: &[&str] = &["AWS:", "Aws:", "aWs:", "awS:", "AWs:", "aWS:", "AwS:"];

/// 51..=200 entries: the model allows them, the user guide says 50 (`TAG-COUNT-50`).
pub fn tags_51_to_200() -> BoxedStrategy<(Tags, String)> {
    prop_oneof![
        Just(TAG_COUNT_SAFE_MAX + 1),
        Just(TAG_COUNT_MODEL_MAX),
        (TAG_COUNT_SAFE_MAX + 1)..=TAG_COUNT_MODEL_MAX
    ]
    .prop_flat_map(|n| vec((tag_text(1, 24), tag_text(0, 24)), n))
    .prop_map(|pairs| {
        let tags = unique_tags(pairs);
        let note = format!("{} tags (model max 200, user guide 50)", tags.len());
        (tags, note)
    })
    .boxed()
}

/// A key that begins with `aws:` in another letter case (`TAG-AWS-PREFIX-CASE`).
pub fn aws_prefix_in_other_case() -> BoxedStrategy<(Tags, String)> {
    (
        companions(),
        select(AWS_PREFIX_CASES),
        pattern("[a-zA-Z0-9_.:/=+@-]{0,16}"),
        tag_value(),
    )
        .prop_map(|(tags, p, rest, v)| {
            let k = format!("{p}{rest}");
            let note = format!("tag key `{k}` begins with `{p}`");
            (with_entry(tags, k, v), note)
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain reading of `tidy`, over a vector of characters.
    fn tidy_by_chars(text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        if n > 0 && chars[0].is_whitespace() {
            chars[0] = 'k';
        }
        if n > 0 && chars[n - 1].is_whitespace() {
            chars[n - 1] = 'k';
        }
        let lower: String = chars.iter().take(4).collect::<String>().to_lowercase();
        if lower == RESERVED_TAG_PREFIX {
            chars[0] = 'x';
        }
        chars.into_iter().collect()
    }

    #[test]
    fn aws_prefixed_keys_stay_outside_cloudformation_s_system_tags() {
        assert_eq!(aws_prefixed("team"), "aws:team");
        assert_eq!(
            aws_prefixed("cloudformation:stack-id"),
            "aws:xloudformation:stack-id"
        );
        assert_eq!(
            aws_prefixed("CloudFormation:logical-id"),
            "aws:xloudFormation:logical-id"
        );
        assert_eq!(aws_prefixed("cloudformation"), "aws:cloudformation");
        for rest in ["cloudformation:", "CLOUDFORMATION:x", "cloud", ""] {
            let key = aws_prefixed(rest);
            assert!(key.starts_with(RESERVED_TAG_PREFIX), "{key}");
            assert!(!is_cloudformation_key(&key), "{key}");
        }
    }

    #[test]
    fn tidy_fixes_the_ends_and_the_prefix() {
        for (text, want) in [
            ("", ""),
            (" ", "k"),
            ("\u{3000}a\u{a0}", "kak"),
            ("AwS:x", "xwS:x"),
            (" aws:", "kaws:"),
            ("éa ", "éak"),
            ("aws", "aws"),
            ("İaws:", "İaws:"),
        ] {
            assert_eq!(tidy(text.to_owned()), want, "{text:?}");
            assert_eq!(tidy_by_chars(text), want, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn tidy_agrees_with_the_plain_reading(
            text in "[ \u{a0}aAwWsS:éİK\u{212a}\u{3000}x]{0,8}"
        ) {
            prop_assert_eq!(tidy(text.clone()), tidy_by_chars(&text));
        }
    }
}
