//! The rule catalogue (`specs/rules.toml`), embedded at build time: every rule the suite checks,
//! with its stable id, statement, source, and the outcomes that are all acceptable.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::errors::SpecError;
use crate::rule_ids::RuleId;

/// The catalogue file, as shipped in `specs/`.
pub const CATALOGUE_TOML: &str = include_str!("../../../specs/rules.toml");

/// A rule family; the id prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    /// Input validation.
    #[serde(rename = "VAL")]
    Val,
    /// Tag constraints and tag attachment.
    #[serde(rename = "TAG")]
    Tag,
    /// Idempotency through `clientToken`.
    #[serde(rename = "IDEMP")]
    Idemp,
    /// Conflicts with existing or deleting associations and resources.
    #[serde(rename = "CONFLICT")]
    Conflict,
    /// Ownership and sharing across accounts.
    #[serde(rename = "OWN")]
    Own,
    /// Existence of referenced resources.
    #[serde(rename = "EXIST")]
    Exist,
    /// Status lifecycle.
    #[serde(rename = "LIFE")]
    Life,
    /// Service quotas.
    #[serde(rename = "QUOTA")]
    Quota,
    /// HTTP and restJson1 wire format.
    #[serde(rename = "HTTP")]
    Http,
    /// Signatures and credentials.
    #[serde(rename = "AUTH")]
    Auth,
    /// The association's neighbouring operations: Get, List, Delete and ListTagsForResource.
    #[serde(rename = "NEIGH")]
    Neigh,
    /// Client-side rules: what an SDK sends (judged by `check-client` from a recording).
    #[serde(rename = "SDK")]
    Sdk,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 12] = [
        Family::Val,
        Family::Tag,
        Family::Idemp,
        Family::Conflict,
        Family::Own,
        Family::Exist,
        Family::Life,
        Family::Quota,
        Family::Http,
        Family::Auth,
        Family::Neigh,
        Family::Sdk,
    ];

    /// The id prefix (`VAL`, `TAG`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Val => "VAL",
            Family::Tag => "TAG",
            Family::Idemp => "IDEMP",
            Family::Conflict => "CONFLICT",
            Family::Own => "OWN",
            Family::Exist => "EXIST",
            Family::Life => "LIFE",
            Family::Quota => "QUOTA",
            Family::Http => "HTTP",
            Family::Auth => "AUTH",
            Family::Neigh => "NEIGH",
            Family::Sdk => "SDK",
        }
    }

    /// Whether the family's rules judge a client (an SDK's requests, from a recording) rather
    /// than an endpoint: `run` never selects them; `check-client` judges them.
    pub fn is_client_side(self) -> bool {
        self == Family::Sdk
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether AWS text says so, real AWS was seen to do it, or we infer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The model or the AWS documentation states it.
    Documented,
    /// Real AWS behaviour seen in public AWS-maintained code, acceptance-test runs or issue
    /// threads; the citation names the source and what was seen.
    Observed,
    /// Our reading, with the reasoning stated in `inference`.
    Inferred,
}

impl Basis {
    /// The name as the catalogue writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Documented => "documented",
            Basis::Observed => "observed",
            Basis::Inferred => "inferred",
        }
    }
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The official model (Smithy or botocore).
    Model,
    /// AWS documentation.
    Docs,
    /// Our inference.
    Inferred,
}

/// One acceptable outcome of a rule's decisive request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum ExpectedOutcome {
    /// A success with this status.
    Success(u16),
    /// An error with this status and, if given, this (sanitised) error type name.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error type, when the rule fixes it.
        error: Option<String>,
    },
    /// Any 4xx refusal.
    AnyClientError,
}

impl ExpectedOutcome {
    /// Parses `"200"`, `"409 ConflictException"`, `"403"` or `"4xx"`.
    pub fn parse(s: &str) -> Result<Self, SpecError> {
        let s = s.trim();
        if s == "4xx" {
            return Ok(ExpectedOutcome::AnyClientError);
        }
        let (status, error) = match s.split_once(' ') {
            Some((st, e)) => (st, Some(e.trim().to_owned())),
            None => (s, None),
        };
        let status: u16 = status.parse().map_err(|_| {
            SpecError::Catalogue(format!(
                "bad outcome `{s}` (hint: \"200\" or \"409 ConflictException\")"
            ))
        })?;
        Ok(if (200..300).contains(&status) && error.is_none() {
            ExpectedOutcome::Success(status)
        } else {
            ExpectedOutcome::Error { status, error }
        })
    }

    /// Whether an observed status and error type satisfy this outcome.
    pub fn admits(&self, status: u16, error: Option<&str>) -> bool {
        match self {
            ExpectedOutcome::Success(s) => *s == status,
            ExpectedOutcome::Error {
                status: s,
                error: e,
            } => *s == status && e.as_deref().is_none_or(|e| Some(e) == error),
            ExpectedOutcome::AnyClientError => (400..500).contains(&status),
        }
    }
}

impl fmt::Display for ExpectedOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedOutcome::Success(s) => write!(f, "{s}"),
            ExpectedOutcome::Error {
                status,
                error: Some(e),
            } => write!(f, "{status} {e}"),
            ExpectedOutcome::Error {
                status,
                error: None,
            } => write!(f, "{status}"),
            ExpectedOutcome::AnyClientError => f.write_str("4xx"),
        }
    }
}

/// A rule as written in `specs/rules.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, `FAMILY-WORDS`.
    pub id: String,
    /// The family (the id prefix).
    pub family: Family,
    /// Short title.
    pub title: String,
    /// One testable sentence.
    pub statement: String,
    /// Documented or inferred.
    pub basis: Basis,
    /// Model, docs, or inferred.
    pub source: SourceKind,
    /// The exact citation: trait, doc page and quote.
    pub citation: String,
    /// A link to the source.
    pub url: String,
    /// The reasoning, for inferred rules (and inferred error names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<String>,
    /// Cross reference into the research notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The check that covers the rule.
    pub check: String,
    /// Properties that add cases to the rule besides its check (`stateful`, `concurrency`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    /// The acceptable outcomes of the decisive request (any one passes).
    pub expect: Vec<String>,
    /// Which readings the docs allow, when more than one outcome is acceptable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguity: Option<String>,
    /// Whether a run against a live account (or any economy run) checks the rule; such runs
    /// report a rule that is not live-safe as skipped, with [`Rule::live_reason`].
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub live_safe: bool,
    /// Why the rule is not live-safe (required when `live_safe` is false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_reason: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Rule {
    /// The acceptable outcomes, parsed.
    pub fn outcomes(&self) -> Vec<ExpectedOutcome> {
        self.expect
            .iter()
            .filter_map(|s| ExpectedOutcome::parse(s).ok())
            .collect()
    }

    /// Whether the contract leaves a choice here (more than one acceptable outcome).
    pub fn is_ambiguous(&self) -> bool {
        self.expect.len() > 1
    }

    /// Why a run against a live account skips the rule: `None` for a live-safe rule.
    pub fn not_live_safe(&self) -> Option<&str> {
        (!self.live_safe).then(|| self.live_reason.as_deref().unwrap_or_default())
    }
}

#[derive(Deserialize)]
struct File {
    rule: Vec<Rule>,
}

/// The whole catalogue, in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    rules: Vec<Rule>,
}

impl Catalogue {
    /// Parses and checks a catalogue text: unique ids, family prefixes, reasoning for inferred
    /// rules, ambiguity notes where several outcomes are accepted, outcomes that parse.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let file: File = toml::from_str(text).map_err(|e| SpecError::Catalogue(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for rule in &file.rule {
            let bad = |what: &str| Err(SpecError::Catalogue(format!("rule `{}`: {what}", rule.id)));
            if !seen.insert(rule.id.clone()) {
                return bad("duplicate id");
            }
            if !rule.id.starts_with(&format!("{}-", rule.family)) {
                return bad("id does not start with its family");
            }
            if rule.basis != Basis::Documented
                && rule.inference.as_deref().is_none_or(str::is_empty)
            {
                return bad("inferred or observed without `inference` (hint: state the reasoning)");
            }
            if rule.basis == Basis::Observed && !rule.citation.contains("https://") {
                return bad(
                    "observed without a public source (hint: cite the URL of what was seen)",
                );
            }
            if rule.expect.is_empty() {
                return bad("no `expect` outcome");
            }
            if rule.expect.len() > 1 && rule.ambiguity.as_deref().is_none_or(str::is_empty) {
                return bad("several outcomes accepted without `ambiguity`");
            }
            for e in &rule.expect {
                ExpectedOutcome::parse(e)?;
            }
            let reason = rule.live_reason.as_deref().is_some_and(|r| !r.is_empty());
            if !rule.live_safe && !reason {
                return bad(
                    "live_safe = false without `live_reason` (hint: say why in one sentence)",
                );
            }
            if rule.live_safe && rule.live_reason.is_some() {
                return bad("`live_reason` on a live-safe rule (hint: add live_safe = false, or drop the reason)");
            }
        }
        Ok(Self { rules: file.rule })
    }

    /// The embedded catalogue (parsed once).
    pub fn embedded() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| {
            Catalogue::parse(CATALOGUE_TOML).expect("the embedded catalogue is checked by tests")
        })
    }

    /// All rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The entry of a generated rule id (the embedded catalogue holds every [`RuleId`], in
    /// order; another catalogue is searched by id).
    ///
    /// # Panics
    ///
    /// When a catalogue other than the embedded one lacks the rule.
    pub fn rule(&self, id: RuleId) -> &Rule {
        match self.rules.get(id as usize) {
            Some(r) if r.id == id.as_str() => r,
            _ => self
                .get(id.as_str())
                .expect("the catalogue holds every generated rule id"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses() {
        let cat = Catalogue::parse(CATALOGUE_TOML).unwrap();
        assert_eq!(cat.rules().len(), RuleId::ALL.len());
        for id in RuleId::ALL {
            assert_eq!(cat.rule(*id).id, id.as_str());
        }
    }

    #[test]
    fn outcomes_parse_and_admit() {
        let o = ExpectedOutcome::parse("409 ConflictException").unwrap();
        assert!(o.admits(409, Some("ConflictException")));
        assert!(!o.admits(409, Some("ValidationException")));
        assert!(ExpectedOutcome::parse("200").unwrap().admits(200, None));
        assert!(ExpectedOutcome::parse("403")
            .unwrap()
            .admits(403, Some("InvalidSignatureException")));
        assert!(ExpectedOutcome::parse("4xx").unwrap().admits(404, None));
        assert!(ExpectedOutcome::parse("abc").is_err());
    }

    #[test]
    fn inconsistent_catalogues_are_refused() {
        let base = r#"[[rule]]
id = "VAL-X"
family = "VAL"
title = "t"
statement = "s"
basis = "inferred"
source = "inferred"
citation = "c"
url = "u"
check = "validation"
expect = ["400 ValidationException", "409 ConflictException"]
"#;
        let err = Catalogue::parse(base).unwrap_err().to_string();
        assert!(err.contains("inference"), "{err}");
        let with_inference = base.replace("check =", "inference = \"why\"\ncheck =");
        let err = Catalogue::parse(&with_inference).unwrap_err().to_string();
        assert!(err.contains("ambiguity"), "{err}");
        let single = with_inference.replace(", \"409 ConflictException\"", "");
        assert!(Catalogue::parse(&single).is_ok());
        let unsafe_without_reason = format!("{single}live_safe = false\n");
        let err = Catalogue::parse(&unsafe_without_reason)
            .unwrap_err()
            .to_string();
        assert!(err.contains("live_reason"), "{err}");
        let reason_on_safe = format!("{single}live_reason = \"r\"\n");
        let err = Catalogue::parse(&reason_on_safe).unwrap_err().to_string();
        assert!(err.contains("live-safe"), "{err}");
        let marked = format!("{single}live_safe = false\nlive_reason = \"too dear\"\n");
        let cat = Catalogue::parse(&marked).unwrap();
        assert_eq!(cat.rules()[0].not_live_safe(), Some("too dear"));
    }

    #[test]
    fn only_the_quota_probe_and_the_snapshot_scenarios_are_not_live_safe() {
        let marked: Vec<&str> = Catalogue::embedded()
            .rules()
            .iter()
            .filter(|r| r.not_live_safe().is_some())
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(marked, ["QUOTA-ASSOCIATIONS", "HTTP-SNAPSHOT"]);
    }
}
