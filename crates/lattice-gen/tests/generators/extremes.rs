//! The valid generators reach the edges of the space, not just its middle.

use lattice_gen::valid_create_body;
use serde_json::Value;

use crate::support::{sample, str_member};

#[derive(Debug, Default)]
struct Seen {
    token_64: bool,
    token_1: bool,
    token_non_ascii: bool,
    token_absent: bool,
    key_128: bool,
    key_128_multibyte: bool,
    value_256: bool,
    value_256_multibyte: bool,
    value_empty: bool,
    tags_empty: bool,
    tags_absent: bool,
    tags_50: bool,
    arn_upper_region: bool,
    arn_2048: bool,
    bare_ids: bool,
    non_aws_partition: bool,
    tag_non_ascii_space: bool,
    tag_symbol: bool,
}

fn is_arn_with_upper_region(s: &str) -> bool {
    s.starts_with("arn:")
        && s.split(':')
            .nth(3)
            .is_some_and(|r| r.chars().any(|c| c.is_ascii_uppercase()))
}

#[test]
fn valid_bodies_reach_every_extreme() {
    let mut seen = Seen::default();
    for body in sample(valid_create_body(), 2000) {
        match str_member(&body, "clientToken") {
            Some(t) => {
                let n = t.chars().count();
                seen.token_64 |= n == 64;
                seen.token_1 |= n == 1;
                seen.token_non_ascii |= !t.is_ascii();
            }
            None => seen.token_absent = true,
        }
        match body.get("tags").and_then(Value::as_object) {
            Some(tags) => {
                seen.tags_empty |= tags.is_empty();
                seen.tags_50 |= tags.len() == 50;
                for (k, v) in tags {
                    let v = v.as_str().unwrap();
                    let (kn, vn) = (k.chars().count(), v.chars().count());
                    seen.key_128 |= kn == 128;
                    seen.key_128_multibyte |= kn == 128 && k.len() > 128;
                    seen.value_256 |= vn == 256;
                    seen.value_256_multibyte |= vn == 256 && v.len() > 256;
                    seen.value_empty |= vn == 0;
                    seen.tag_non_ascii_space |= k
                        .chars()
                        .chain(v.chars())
                        .any(|c| c.is_whitespace() && !c.is_ascii());
                    seen.tag_symbol |= k.contains(['@', '=', '+', '/']);
                }
            }
            None => seen.tags_absent = true,
        }
        for name in ["serviceIdentifier", "serviceNetworkIdentifier"] {
            let id = str_member(&body, name).unwrap();
            seen.arn_upper_region |= is_arn_with_upper_region(id);
            seen.arn_2048 |= id.chars().count() == 2048;
            seen.bare_ids |= !id.starts_with("arn:");
            seen.non_aws_partition |= id.starts_with("arn:") && !id.starts_with("arn:aws");
        }
    }
    let dbg = format!("{seen:?}");
    assert!(!dbg.contains("false"), "some extremes never drawn: {dbg}");
}
