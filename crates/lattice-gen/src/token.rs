//! Client tokens: valid tokens across the whole allowed space, and tokens that break exactly one
//! of the two `clientToken` rules.
//!
//! `ClientToken` is 1..=64 scalar values and `[!-~]+` with search semantics: at least one
//! printable ASCII character anywhere. The empty string breaks both rules (too short, and no
//! printable character), so it is never a single-rule input.

use proptest::prelude::*;

use crate::chars::{
    pattern, CharTable, Text, PRINTABLE_ASCII, TOKEN_NON_PRINTABLE_TEXT, TOKEN_TEXTS,
};

/// The `@length` bounds of `ClientToken`, in scalar values.
pub const TOKEN_MIN_LEN: usize = 1;
/// See [`TOKEN_MIN_LEN`].
pub const TOKEN_MAX_LEN: usize = 64;

/// A token of `len` scalar values (`len` ≥ 1) drawn from `chars`, with one printable ASCII
/// character at a random position.
fn token_of_len(len: usize, chars: &'static [(u32, CharTable)]) -> impl Strategy<Value = String> {
    (
        Text::new(chars, len - 1, len - 1),
        PRINTABLE_ASCII.char(),
        0..len,
    )
        .prop_map(|(rest, p, at)| {
            let mut cs: Vec<char> = rest.chars().collect();
            cs.insert(at, p);
            cs.into_iter().collect()
        })
}

/// A valid client token: 1 to 64 scalar values, at least one printable ASCII character; the rest
/// printable ASCII and space, or mixed with non-ASCII letters, CJK, emoji and non-ASCII spaces,
/// or (one token in eight) with control characters too.
/// Lengths 1 and 64 are drawn often; a quarter of the tokens are UUID v4 strings like SDKs send.
pub fn client_token() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => pattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").boxed(),
        3 => prop_oneof![Just(TOKEN_MIN_LEN), Just(TOKEN_MAX_LEN), TOKEN_MIN_LEN..=TOKEN_MAX_LEN]
            .prop_flat_map(|n| token_of_len(n, TOKEN_TEXTS))
            .boxed(),
    ]
}

/// A token longer than 64 scalar values that does contain printable ASCII: it breaks only the
/// length rule. With a note.
pub fn too_long_token() -> BoxedStrategy<(String, String)> {
    prop_oneof![
        Just(TOKEN_MAX_LEN + 1)
            .prop_flat_map(|n| token_of_len(n, &[(1, PRINTABLE_ASCII)]))
            .boxed(),
        (TOKEN_MAX_LEN + 1..=TOKEN_MAX_LEN * 3)
            .prop_flat_map(|n| token_of_len(n, TOKEN_TEXTS))
            .boxed(),
    ]
    .prop_map(|t| {
        let note = format!("token of {} scalar values (max 64)", t.chars().count());
        (t, note)
    })
    .boxed()
}

/// A token of 1 to 64 scalar values with no printable ASCII character (white space, controls,
/// DEL, non-ASCII only): it breaks only the pattern rule. With a note.
pub fn pattern_breaking_token() -> BoxedStrategy<(String, String)> {
    prop_oneof![Just(1usize), Just(TOKEN_MAX_LEN), 1..=TOKEN_MAX_LEN]
        .prop_flat_map(|n| Text::new(&[(1, TOKEN_NON_PRINTABLE_TEXT)], n, n))
        .prop_map(|t| {
            let note = format!(
                "token of {} scalar values without printable ASCII: {t:?}",
                t.chars().count()
            );
            (t, note)
        })
        .boxed()
}
