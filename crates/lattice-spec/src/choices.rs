//! The choices the contract leaves open (`specs/choices.toml`), embedded at build time: for each
//! acceptable reading the reference endpoint does not take by default, what is open, what the
//! reading does, what the reference does instead, and the public text that allows it. The build
//! script generates [`Choice`] from the same file, so it is the one list of choices.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::errors::SpecError;
use crate::rule_ids::RuleId;

include!(concat!(env!("OUT_DIR"), "/choice_ids.rs"));

/// The choices file, as shipped in `specs/`.
pub const CHOICES_TOML: &str = include_str!("../../../specs/choices.toml");

/// A choice as written in `specs/choices.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceInfo {
    /// The stable kebab-case name.
    pub name: String,
    /// Choices of one group are alternatives of each other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The rules whose decisive answer or judgement the reading touches.
    pub rules: Vec<RuleId>,
    /// What the contract leaves open.
    pub question: String,
    /// What an endpoint does under this choice.
    pub reading: String,
    /// What the reference endpoint does without it.
    pub reference: String,
    /// Why the reading is conformant.
    pub why: String,
    /// The public sources (https URLs or repository files) `why` rests on.
    pub sources: Vec<String>,
    /// Rules the reading leaves inconclusive: their decisive behaviour cannot happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<RuleId>,
    /// Why those rules cannot be decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecided_why: Option<String>,
}

#[derive(Deserialize)]
struct File {
    choice: Vec<ChoiceInfo>,
}

/// Parses and checks a choices text: unique kebab-case names, at least one rule and one source,
/// sources that are https URLs or files of this repository, and a reason for undecided rules.
pub fn parse(text: &str) -> Result<Vec<ChoiceInfo>, SpecError> {
    let file: File = toml::from_str(text).map_err(|e| SpecError::Catalogue(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for c in &file.choice {
        let bad = |what: &str| Err(SpecError::Catalogue(format!("choice `{}`: {what}", c.name)));
        if !seen.insert(c.name.clone()) {
            return bad("duplicate name");
        }
        if c.name.is_empty()
            || !c
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return bad("the name is not kebab-case");
        }
        if c.rules.is_empty() {
            return bad("no rule (hint: name the rules whose answer the reading touches)");
        }
        if c.sources.is_empty() {
            return bad("no source (hint: the public text or observation that allows it)");
        }
        if let Some(s) = c
            .sources
            .iter()
            .find(|s| !s.starts_with("https://") && !s.starts_with("specs/"))
        {
            return bad(&format!(
                "source `{s}` is neither an https URL nor a file under specs/"
            ));
        }
        if !c.undecided.is_empty() && c.undecided_why.as_deref().is_none_or(str::is_empty) {
            return bad("undecided rules without `undecided_why`");
        }
        for field in [&c.question, &c.reading, &c.reference, &c.why] {
            if field.trim().is_empty() {
                return bad("an empty text field");
            }
        }
    }
    Ok(file.choice)
}

/// The embedded choices, in file order (parsed once).
pub fn embedded() -> &'static [ChoiceInfo] {
    static ALL: OnceLock<Vec<ChoiceInfo>> = OnceLock::new();
    ALL.get_or_init(|| parse(CHOICES_TOML).expect("the embedded choices are checked by tests"))
}

impl Choice {
    /// What the choices file says of it.
    pub fn info(self) -> &'static ChoiceInfo {
        // The generated enum lists the file's choices in file order.
        &embedded()[self as usize]
    }

    /// Its group, when it has alternatives of its own.
    pub fn group(self) -> Option<&'static str> {
        self.info().group.as_deref()
    }

    /// Sets of choices to switch on together: one choice of every group in each set (the i-th
    /// member of each group in the i-th set, or its last when the group is smaller), and every
    /// choice without a group in each set. Together they switch every choice on at least once.
    pub fn combined_sets() -> Vec<Vec<Choice>> {
        let mut groups: BTreeMap<&str, Vec<Choice>> = BTreeMap::new();
        let mut free = Vec::new();
        for c in Choice::ALL {
            match c.group() {
                Some(g) => groups.entry(g).or_default().push(*c),
                None => free.push(*c),
            }
        }
        let widest = groups.values().map(Vec::len).max().unwrap_or(1).max(1);
        (0..widest)
            .map(|i| {
                let mut set = free.clone();
                for members in groups.values() {
                    set.push(members[i.min(members.len() - 1)]);
                }
                set.sort();
                set
            })
            .collect()
    }
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Choice {
    type Err = SpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Choice::from_name(s).ok_or_else(|| {
            SpecError::Catalogue(format!(
                "unknown choice `{s}` (hint: `lattice-conformance serve --list-choices`)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_choices_parse_in_the_generated_order() {
        let all = embedded();
        assert_eq!(all.len(), Choice::ALL.len());
        for c in Choice::ALL {
            assert_eq!(c.info().name, c.name());
            assert_eq!(Choice::from_name(c.name()), Some(*c));
            assert_eq!(c.name().parse::<Choice>().ok(), Some(*c));
        }
        assert!("no-such-choice".parse::<Choice>().is_err());
    }

    #[test]
    fn every_group_has_alternatives() {
        let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
        for c in Choice::ALL {
            if let Some(g) = c.group() {
                *groups.entry(g).or_default() += 1;
            }
        }
        assert!(groups.values().all(|n| *n >= 2), "{groups:?}");
    }

    #[test]
    fn the_combined_sets_take_one_of_each_group_and_cover_every_choice() {
        let sets = Choice::combined_sets();
        for set in &sets {
            let mut groups: Vec<&str> = set.iter().filter_map(|c| c.group()).collect();
            let n = groups.len();
            groups.dedup();
            assert_eq!(groups.len(), n, "two choices of one group in {set:?}");
        }
        for c in Choice::ALL {
            assert!(sets.iter().any(|s| s.contains(c)), "{c}");
        }
    }

    #[test]
    fn inconsistent_choices_are_refused() {
        let base = r#"[[choice]]
name = "x"
rules = ["VAL-BODY-MALFORMED"]
question = "q"
reading = "r"
reference = "d"
why = "w"
sources = ["https://example.org"]
"#;
        assert!(parse(base).is_ok());
        let err = parse(&base.replace("https://example.org", "notes.md"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("neither"), "{err}");
        let err = parse(&base.replace("rules = [\"VAL-BODY-MALFORMED\"]", "rules = []"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no rule"), "{err}");
        let err = parse(&format!("{base}undecided = [\"VAL-BODY-MALFORMED\"]\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("undecided_why"), "{err}");
        assert!(parse(&base.replace("VAL-BODY-MALFORMED", "VAL-NOPE")).is_err());
        assert!(parse(&format!("{base}{base}")).is_err());
    }
}
