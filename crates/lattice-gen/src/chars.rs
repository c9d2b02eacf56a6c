//! Character pools shared by the token, tag and identifier generators, drawn through cheap
//! weighted tables (one integer per character, shrinking towards the table's first character).
//!
//! The tag pools stay inside the intersection of two readings of the documented character set
//! ("Unicode letters, digits, white space, and `_ . : / = + - @`"): the spec crate's
//! [`lattice_spec::constraints::tag_chars_ok`] (Rust `is_alphabetic`, `is_numeric`,
//! `is_whitespace`) and the `[\p{L}\p{Z}\p{N}_.:/=+\-@]` class other AWS services publish. The two
//! differ on control white space (tab, line feed, U+0085: white space for Rust, `Cc` for
//! `\p{Z}`) and on combining marks that Rust counts as alphabetic; valid generators use neither,
//! and neither is offered as a `TAG-CHARSET` break.

use proptest::prelude::*;

/// Strings matching a regular expression, parsed once here. (A `&str` used as a strategy is
/// parsed again for every value it draws, which cost more than drawing the value.)
pub(crate) fn pattern(re: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(re).unwrap_or_else(|e| panic!("pattern {re:?}: {e}"))
}

/// Letters outside ASCII: accented Latin, Greek, Cyrillic, Arabic, CJK, Hangul, title case,
/// modifier letters and letters outside the Basic Multilingual Plane (4 bytes in UTF-8).
pub const NON_ASCII_LETTERS: &[char] = &[
    'é', 'ß', 'ñ', 'Å', 'ı', 'Ω', 'λ', 'ж', 'Я', 'ا', 'ع', '中', '日', '語', '한', '글', 'ǅ', 'ʰ',
    '𠀀', '𝒜',
];

/// Digits outside ASCII: Arabic-Indic, Devanagari, full-width, a Roman numeral (`Nl`) and a
/// vulgar fraction (`No`); all `\p{N}` and Rust `is_numeric`.
pub const NON_ASCII_DIGITS: &[char] = &['٣', '५', '０', 'Ⅻ', '½'];

/// White space that is a space separator (`Zs`), so valid under both readings; used only inside
/// keys and values, never at either end (the user guide says "Do not use leading or trailing
/// spaces").
pub const TAG_SPACES: &[char] = &[' ', '\u{a0}', '\u{2003}', '\u{3000}'];

/// Characters the documented tag character set refuses: ASCII punctuation outside the allowed
/// symbols, control characters that are not white space, emoji, currency and math symbols, format
/// characters, private use, and a combining mark.
pub const TAG_FORBIDDEN: &[char] = &[
    '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', ',', ';', '<', '>', '?', '[', '\\', ']',
    '^', '`', '{', '|', '}', '~', '\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{80}', '\u{9f}', '😀',
    '🚀', '€', '©', '→', '✓', '\u{200b}', '\u{feff}', '\u{e000}', '\u{301}',
];

/// Characters that are not printable ASCII (`!`..`~`): a token made only of these breaks the
/// `ClientToken` pattern. Space, controls, DEL, and non-ASCII letters, spaces and emoji.
pub const TOKEN_NON_PRINTABLE: &[char] = &[
    ' ', '\t', '\n', '\r', '\0', '\u{1f}', '\u{7f}', '\u{80}', '\u{a0}', '\u{3000}', 'é', 'ß',
    '中', '😀', '€', '٣', '\u{feff}',
];

/// A set of characters to draw from: an inclusive range (no surrogates inside) or a list.
#[derive(Debug, Clone, Copy)]
pub enum Pool {
    /// `start..=end`.
    Range(char, char),
    /// Exactly these.
    List(&'static [char]),
}

impl Pool {
    fn len(self) -> u64 {
        match self {
            Pool::Range(a, b) => u64::from(b as u32 - a as u32 + 1),
            Pool::List(l) => l.len() as u64,
        }
    }

    fn get(self, i: u64) -> char {
        match self {
            Pool::Range(a, _) => {
                char::from_u32(a as u32 + i as u32).expect("ranges hold no surrogates")
            }
            Pool::List(l) => l[i as usize],
        }
    }
}

/// Weighted pools; a draw is one `u32`, so long strings stay cheap to generate and shrink.
#[derive(Debug, Clone, Copy)]
pub struct CharTable(pub &'static [(u32, Pool)]);

const SLOTS_PER_WEIGHT: u32 = 1 << 16;

impl CharTable {
    fn total(self) -> u32 {
        self.0.iter().map(|(w, _)| w * SLOTS_PER_WEIGHT).sum()
    }

    /// The character of draw `r` (below [`Self::total`]): the high bits (`r / 2^16`, a unit of
    /// weight) choose the pool, the low 16 bits the character within it (scaled onto the pool's
    /// length, which is at most 2^16). Draw 0 is the first character of the first pool. (The plain
    /// reading; [`Text`] draws through a [`Layout`], which gives the same characters faster.)
    fn pick(self, r: u32) -> char {
        let mut unit = r / SLOTS_PER_WEIGHT;
        for (w, pool) in self.0 {
            if unit < *w {
                return pool.get((u64::from(r % SLOTS_PER_WEIGHT) * pool.len()) >> 16);
            }
            unit -= w;
        }
        unreachable!("draws are below the table's total")
    }

    /// One character.
    pub fn char(self) -> impl Strategy<Value = char> + Clone {
        (0..self.total()).prop_map(move |r| self.pick(r))
    }

    /// Every character the table can draw, for tests (ranges give their ends).
    pub fn samples(self) -> Vec<char> {
        self.0
            .iter()
            .flat_map(|(_, p)| match *p {
                Pool::Range(a, b) => vec![a, b],
                Pool::List(l) => l.to_vec(),
            })
            .collect()
    }
}

/// A [`CharTable`] laid out for drawing many characters: one slot per unit of weight, each with
/// its pool in a form read without a branch on the pool's kind (character `i` is
/// `list[i & mask] + first + (i & !mask)`: a range keeps `list = ['\0']`, `mask = 0` and its first
/// character in `first`; a list keeps `first = 0` and `mask = !0`). A draw then costs two loads
/// and a multiply, where walking the pools cost a chain of compares and a mispredicted branch on
/// the kind; this is what [`Text`] draws its characters with (tag maps hold hundreds of texts).
#[derive(Debug)]
pub(crate) struct Layout {
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    list: &'static [char],
    mask: u32,
    first: u32,
    len: u64,
}

impl Layout {
    pub(crate) fn new(table: CharTable) -> Self {
        let mut slots = Vec::new();
        for (w, pool) in table.0 {
            let slot = match *pool {
                Pool::Range(a, _) => Slot {
                    list: &['\0'],
                    mask: 0,
                    first: a as u32,
                    len: pool.len(),
                },
                Pool::List(l) => Slot {
                    list: l,
                    mask: !0,
                    first: 0,
                    len: pool.len(),
                },
            };
            slots.extend(std::iter::repeat_n(slot, *w as usize));
        }
        Self { slots }
    }

    /// Every draw is below this.
    fn total(&self) -> u32 {
        self.slots.len() as u32 * SLOTS_PER_WEIGHT
    }

    /// The character of draw `r`: the same as [`CharTable::pick`].
    #[inline]
    fn pick(&self, r: u32) -> char {
        let slot = self.slots[(r / SLOTS_PER_WEIGHT) as usize];
        let i = ((u64::from(r % SLOTS_PER_WEIGHT) * slot.len) >> 16) as u32;
        let code = slot.list[(i & slot.mask) as usize] as u32 + slot.first + (i & !slot.mask);
        char::from_u32(code).expect("ranges hold no surrogates")
    }

    /// Appends the characters of `draws` to `out`.
    fn extend(&self, out: &mut String, draws: &[u32]) {
        out.reserve(draws.len());
        for r in draws {
            out.push(self.pick(*r));
        }
    }
}

/// Printable ASCII, `!`..`~` (what the token pattern requires at least once).
pub const PRINTABLE_ASCII: CharTable = CharTable(&[(1, Pool::Range('!', '~'))]);

/// Printable ASCII and space.
pub const TOKEN_ASCII_TEXT: CharTable = CharTable(&[(1, Pool::Range(' ', '~'))]);

/// Printable ASCII and space mixed with non-ASCII letters, CJK, emoji and non-ASCII spaces.
pub const TOKEN_MIXED_TEXT: CharTable = CharTable(&[
    (8, Pool::Range(' ', '~')),
    (2, Pool::List(NON_ASCII_LETTERS)),
    (1, Pool::Range('\u{4e00}', '\u{9fa5}')),
    (1, Pool::Range('\u{1f600}', '\u{1f64f}')),
    (1, Pool::List(&['\u{a0}', '\u{3000}', '\u{2003}'])),
]);

/// As [`TOKEN_MIXED_TEXT`], with control characters (C0, tab, line feed) as well.
pub const TOKEN_CONTROL_TEXT: CharTable = CharTable(&[
    (8, Pool::Range(' ', '~')),
    (2, Pool::List(NON_ASCII_LETTERS)),
    (2, Pool::Range('\u{0}', '\u{1f}')),
]);

/// What a valid client token may contain around its one required printable character: printable
/// ASCII only (half the tokens), mixed with non-ASCII (three in eight), or with control
/// characters too (one in eight), all of which the pattern's search semantics allow.
pub const TOKEN_TEXTS: &[(u32, CharTable)] = &[
    (4, TOKEN_ASCII_TEXT),
    (3, TOKEN_MIXED_TEXT),
    (1, TOKEN_CONTROL_TEXT),
];

/// Characters that are not printable ASCII: a token of only these breaks the pattern.
pub const TOKEN_NON_PRINTABLE_TEXT: CharTable = CharTable(&[
    (3, Pool::List(TOKEN_NON_PRINTABLE)),
    (1, Pool::Range('\u{4e00}', '\u{9fa5}')),
    (1, Pool::Range('\u{80}', '\u{2ff}')),
]);

/// Tag text: letters (ASCII and not), digits (ASCII and not), every allowed symbol, and
/// space separators (which the tag generators keep off both ends).
pub const TAG_TEXT: CharTable = CharTable(&[
    (12, Pool::Range('a', 'z')),
    (4, Pool::Range('A', 'Z')),
    (4, Pool::Range('0', '9')),
    (4, Pool::List(lattice_spec::constraints::TAG_SYMBOLS)),
    (4, Pool::List(NON_ASCII_LETTERS)),
    (2, Pool::Range('α', 'ω')),
    (2, Pool::Range('а', 'я')),
    (2, Pool::Range('\u{4e00}', '\u{9fa5}')),
    (2, Pool::Range('가', '힣')),
    (2, Pool::List(NON_ASCII_DIGITS)),
    (2, Pool::List(TAG_SPACES)),
]);

/// Tag text of multi-byte letters and digits only.
pub const TAG_NON_ASCII_TEXT: CharTable = CharTable(&[
    (3, Pool::List(NON_ASCII_LETTERS)),
    (1, Pool::Range('\u{4e00}', '\u{9fa5}')),
    (1, Pool::List(NON_ASCII_DIGITS)),
]);

/// Tag texts: mixed three times in four, multi-byte only once.
pub const TAG_TEXTS: &[(u32, CharTable)] = &[(3, TAG_TEXT), (1, TAG_NON_ASCII_TEXT)];

/// Characters that break the documented tag character set.
pub const TAG_FORBIDDEN_CHARS: CharTable = CharTable(&[(1, Pool::List(TAG_FORBIDDEN))]);

/// `[a-z0-9-]`: partition characters.
pub const PARTITION_TEXT: CharTable = CharTable(&[
    (26, Pool::Range('a', 'z')),
    (10, Pool::Range('0', '9')),
    (1, Pool::List(&['-'])),
]);

/// `[a-zA-Z0-9-]`: region characters.
pub const REGION_TEXT: CharTable = CharTable(&[
    (26, Pool::Range('a', 'z')),
    (26, Pool::Range('A', 'Z')),
    (10, Pool::Range('0', '9')),
    (1, Pool::List(&['-'])),
]);

/// `n` draws below `total`, two from each 64-bit word of `rng`, each mapped onto `0..total` by a
/// multiply and a shift (Lemire's method without the rejection step: the bias is below
/// `total / 2^32`, under 0.1 % for the largest table, and buys one multiply per character instead
/// of a distribution object per character).
fn draws(total: u32, rng: &mut impl Rng, n: usize) -> Vec<u32> {
    let total = u64::from(total);
    let scale = |x: u64| (((x & 0xffff_ffff) * total) >> 32) as u32;
    let mut out = Vec::with_capacity(n);
    while out.len() + 1 < n {
        let word = rng.next_u64();
        out.push(scale(word));
        out.push(scale(word >> 32));
    }
    if out.len() < n {
        out.push(scale(rng.next_u64()));
    }
    out
}

/// Strings of `min..=max` characters, each string drawn entirely from one of several weighted
/// tables, with the length drawn as `min`, `max`, short (up to 12) or anywhere in between.
///
/// A hand-written strategy because tag maps hold hundreds of strings: one draw per character,
/// no nested unions (each of which clones the runner). It shrinks by shortening the string
/// (binary search towards `min`), then by turning characters, one at a time, into the table's
/// first character.
#[derive(Debug, Clone)]
pub struct Text {
    tables: std::sync::Arc<[(u32, std::sync::Arc<Layout>)]>,
    min: usize,
    max: usize,
}

impl Text {
    /// Text from `tables` (weight, table): one table per string.
    pub fn new(tables: &'static [(u32, CharTable)], min: usize, max: usize) -> Self {
        assert!(min <= max, "min {min} > max {max}");
        assert!(!tables.is_empty(), "no table");
        let tables = tables
            .iter()
            .map(|(w, t)| (*w, std::sync::Arc::new(Layout::new(*t))))
            .collect();
        Self { tables, min, max }
    }
}

impl Strategy for Text {
    type Tree = TextTree;
    type Value = String;

    fn new_tree(
        &self,
        runner: &mut proptest::test_runner::TestRunner,
    ) -> proptest::strategy::NewTree<Self> {
        use proptest::num::sample_uniform_incl as uniform;
        let total_weight: u32 = self.tables.iter().map(|(w, _)| w).sum();
        let mut pick = uniform(runner, 0, total_weight - 1);
        let mut table = &self.tables[0].1;
        for (w, t) in self.tables.iter() {
            if pick < *w {
                table = t;
                break;
            }
            pick -= w;
        }
        let short = self.min.max(12).min(self.max);
        let len = match uniform(runner, 0u8, 7) {
            0 => self.min,
            1 => self.max,
            2..=5 => uniform(runner, self.min, short),
            _ => uniform(runner, self.min, self.max),
        };
        let draws = draws(table.total(), runner.rng(), len);
        Ok(TextTree {
            table: table.clone(),
            draws,
            len,
            phase: Phase::Len {
                lo: self.min,
                hi: len,
            },
            undo: None,
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Len { lo: usize, hi: usize },
    Chars { next: usize },
    Done,
}

#[derive(Debug, Clone, Copy)]
enum Undo {
    Len { before: usize },
    Char { at: usize, draw: u32 },
}

/// The value tree of [`Text`].
#[derive(Debug, Clone)]
pub struct TextTree {
    table: std::sync::Arc<Layout>,
    draws: Vec<u32>,
    len: usize,
    phase: Phase,
    undo: Option<Undo>,
}

impl proptest::strategy::ValueTree for TextTree {
    type Value = String;

    fn current(&self) -> String {
        let mut s = String::new();
        self.table.extend(&mut s, &self.draws[..self.len]);
        s
    }

    fn simplify(&mut self) -> bool {
        loop {
            match self.phase {
                Phase::Len { lo, hi } if lo < hi => {
                    let mid = lo + (hi - lo) / 2;
                    self.undo = Some(Undo::Len { before: self.len });
                    self.len = mid;
                    self.phase = Phase::Len { lo, hi: mid };
                    return true;
                }
                Phase::Len { .. } => self.phase = Phase::Chars { next: 0 },
                Phase::Chars { next } if next < self.len => {
                    self.phase = Phase::Chars { next: next + 1 };
                    if self.draws[next] != 0 {
                        self.undo = Some(Undo::Char {
                            at: next,
                            draw: self.draws[next],
                        });
                        self.draws[next] = 0;
                        return true;
                    }
                }
                Phase::Chars { .. } => self.phase = Phase::Done,
                Phase::Done => return false,
            }
        }
    }

    fn complicate(&mut self) -> bool {
        match self.undo.take() {
            Some(Undo::Len { before }) => {
                // The shorter text passed: the shortest failing length is above it.
                self.phase = Phase::Len {
                    lo: self.len + 1,
                    hi: before,
                };
                self.len = before;
                true
            }
            Some(Undo::Char { at, draw }) => {
                self.draws[at] = draw;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: &[CharTable] = &[
        PRINTABLE_ASCII,
        TOKEN_ASCII_TEXT,
        TOKEN_MIXED_TEXT,
        TOKEN_CONTROL_TEXT,
        TOKEN_NON_PRINTABLE_TEXT,
        TAG_TEXT,
        TAG_NON_ASCII_TEXT,
        TAG_FORBIDDEN_CHARS,
        PARTITION_TEXT,
        REGION_TEXT,
    ];

    #[test]
    fn the_layout_draws_what_the_table_says_at_every_pool_edge() {
        for table in TABLES {
            let layout = Layout::new(*table);
            assert_eq!(layout.total(), table.total());
            let mut edge = 0;
            for (w, pool) in table.0 {
                assert!(
                    pool.len() <= 1 << 16,
                    "{pool:?}: the low 16 bits reach 2^16 characters"
                );
                let span = w * SLOTS_PER_WEIGHT;
                for r in [edge, edge + 1, edge + span / 2, edge + span - 1] {
                    assert_eq!(layout.pick(r), table.pick(r), "draw {r}");
                }
                // The pool's first and last characters are both drawn, at its edges.
                assert_eq!(layout.pick(edge), pool.get(0));
                assert_eq!(layout.pick(edge + span - 1), pool.get(pool.len() - 1));
                edge += span;
            }
            assert_eq!(edge, table.total());
        }
    }

    #[test]
    fn draws_stay_below_the_total_and_reach_every_pool() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for table in TABLES {
            for n in [0, 1, 2, 3, 4000] {
                let draws = draws(table.total(), runner.rng(), n);
                assert_eq!(draws.len(), n);
                assert!(draws.iter().all(|r| *r < table.total()));
            }
            let draws = draws(table.total(), runner.rng(), 4000);
            let mut edge = 0;
            for (w, pool) in table.0 {
                let span = w * SLOTS_PER_WEIGHT;
                assert!(
                    draws.iter().any(|r| (edge..edge + span).contains(r)),
                    "no draw from {pool:?}"
                );
                edge += span;
            }
        }
    }

    proptest! {
        #[test]
        fn the_layout_draws_what_the_table_says(t in 0..TABLES.len(), r in any::<u32>()) {
            let table = TABLES[t];
            let r = r % table.total();
            prop_assert_eq!(Layout::new(table).pick(r), table.pick(r));
        }
    }
}
