//! Typed references: the values a scenario cannot write out, because the run makes them (what
//! was set up, what an earlier step answered, a client token unique to the run) or because they
//! are too long to read (a run of 65 `x`). A run resolves them through [`Resolve`]; reviewers see
//! them in the snapshots' `info` as `${...}` (their [`fmt::Display`]).

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

/// Which member of a setup resource or of a step's answer a reference takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Member {
    /// The id (`svc-…`, `sn-…`, `snsa-…`; a share's ARN, which is its only name).
    #[default]
    Id,
    /// The ARN.
    Arn,
}

impl Member {
    /// The member's name in an answer (`id`, `arn`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Member::Id => "id",
            Member::Arn => "arn",
        }
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a step uses a run's client token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenForm {
    /// As the run made it.
    #[default]
    AsIs,
    /// Upper-cased.
    Upper,
    /// Padded with `x` (or cut) to exactly this many characters.
    PaddedTo(usize),
}

impl TokenForm {
    /// The token sent for the run's token `raw`.
    pub fn apply(self, raw: &str) -> String {
        match self {
            TokenForm::AsIs => raw.to_owned(),
            TokenForm::Upper => raw.to_uppercase(),
            TokenForm::PaddedTo(n) => raw.chars().chain(std::iter::repeat('x')).take(n).collect(),
        }
    }

    /// The redactor's placeholder for the token `label` in this form (`[token-a upper-cased]`).
    pub fn placeholder(self, label: &str) -> String {
        match self {
            TokenForm::AsIs => format!("[token-{label}]"),
            TokenForm::Upper => format!("[token-{label} upper-cased]"),
            TokenForm::PaddedTo(n) => format!("[token-{label} padded to {n} characters]"),
        }
    }
}

/// A value the scenario names instead of writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A member of setup resource `index` (`{ setup = 1, member = "arn" }`).
    Setup {
        /// The position in the scenario's `setup`.
        index: usize,
        /// Its id or its ARN.
        member: Member,
    },
    /// A member of the answer to step `index` (`{ step = "create", member = "arn" }`; the file
    /// names the step by its label, the loader turns it into the position).
    Step {
        /// The position of the step, always an earlier, recorded one.
        index: usize,
        /// Its id or its ARN.
        member: Member,
    },
    /// A client token unique to the run, the same for every use of `label` in the scenario
    /// (`{ token = "a" }`, `{ token = "a", form = "upper" }`, `{ token = "a", padded_to = 64 }`).
    Token {
        /// Names the token within the scenario.
        label: String,
        /// How this use changes it.
        form: TokenForm,
    },
    /// One character `times` times (`{ repeat = "x", times = 65 }`).
    Repeat {
        /// The character.
        ch: char,
        /// How many of it.
        times: usize,
    },
}

/// What a run knows when it resolves the references of a step. `Err` says what is missing.
pub trait Resolve {
    /// The id or ARN of setup resource `index`.
    fn setup(&mut self, index: usize, member: Member) -> Result<String, String>;
    /// The `id` or `arn` member of the answer to step `index`.
    fn answer(&mut self, index: usize, member: Member) -> Result<String, String>;
    /// The run's token `label`, in `form` (the same token for every use of the label).
    fn token(&mut self, label: &str, form: TokenForm) -> String;
}

impl Reference {
    /// Its value in a run.
    pub fn resolve(&self, run: &mut dyn Resolve) -> Result<String, String> {
        match self {
            Reference::Setup { index, member } => run.setup(*index, *member),
            Reference::Step { index, member } => run.answer(*index, *member),
            Reference::Token { label, form } => Ok(run.token(label, *form)),
            Reference::Repeat { ch, times } => Ok(std::iter::repeat_n(*ch, *times).collect()),
        }
    }
}

/// The notation of the snapshots' `info`: `${r1}`, `${r1.arn}`, `${s0}`, `${s0.arn}`,
/// `${token:a}`, `${token:a:upper}`, `${token:a:64}`, `${repeat:x:65}`.
impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let member = |m: &Member| match m {
            Member::Id => "",
            Member::Arn => ".arn",
        };
        match self {
            Reference::Setup { index, member: m } => write!(f, "${{r{index}{}}}", member(m)),
            Reference::Step { index, member: m } => write!(f, "${{s{index}{}}}", member(m)),
            Reference::Token { label, form } => match form {
                TokenForm::AsIs => write!(f, "${{token:{label}}}"),
                TokenForm::Upper => write!(f, "${{token:{label}:upper}}"),
                TokenForm::PaddedTo(n) => write!(f, "${{token:{label}:{n}}}"),
            },
            Reference::Repeat { ch, times } => write!(f, "${{repeat:{ch}:{times}}}"),
        }
    }
}

/// A value in a request: written out (any JSON value: a string, or `42` where a string belongs)
/// or named by a [`Reference`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Sent as written.
    Literal(Value),
    /// Resolved when the step runs.
    Ref(Reference),
}

impl Field {
    /// Its value as text, for a path segment or a query value (a literal string as is).
    pub fn text(&self, run: &mut dyn Resolve) -> Result<String, String> {
        match self {
            Field::Literal(Value::String(s)) => Ok(s.clone()),
            Field::Literal(other) => Ok(other.to_string()),
            Field::Ref(r) => r.resolve(run),
        }
    }

    /// The reference, if it is one.
    pub fn reference(&self) -> Option<&Reference> {
        match self {
            Field::Ref(r) => Some(r),
            Field::Literal(_) => None,
        }
    }
}

/// A literal string as is, any other literal as JSON, a reference in its `${...}` notation.
impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Literal(Value::String(s)) => f.write_str(s),
            Field::Literal(other) => write!(f, "{other}"),
            Field::Ref(r) => write!(f, "{r}"),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A run whose setup resources are `r{index}-{member}`, whose answers are all missing, and
    /// whose token `a` is `run-a`.
    pub(in crate::scenario) struct Run;

    impl Resolve for Run {
        fn setup(&mut self, index: usize, member: Member) -> Result<String, String> {
            Ok(format!("r{index}-{member}"))
        }
        fn answer(&mut self, index: usize, _: Member) -> Result<String, String> {
            Err(format!("the answer to step {index} has no `id`"))
        }
        fn token(&mut self, label: &str, form: TokenForm) -> String {
            form.apply(&format!("run-{label}"))
        }
    }

    #[test]
    fn references_resolve_and_show_their_notation() {
        let cases = [
            (
                Reference::Setup {
                    index: 1,
                    member: Member::Arn,
                },
                Ok("r1-arn"),
                "${r1.arn}",
            ),
            (
                Reference::Step {
                    index: 0,
                    member: Member::Id,
                },
                Err("the answer to step 0 has no `id`"),
                "${s0}",
            ),
            (
                Reference::Token {
                    label: "a".into(),
                    form: TokenForm::Upper,
                },
                Ok("RUN-A"),
                "${token:a:upper}",
            ),
            (
                Reference::Repeat { ch: 'x', times: 3 },
                Ok("xxx"),
                "${repeat:x:3}",
            ),
        ];
        for (r, value, notation) in cases {
            assert_eq!(
                r.resolve(&mut Run),
                value.map(str::to_owned).map_err(str::to_owned)
            );
            assert_eq!(r.to_string(), notation);
        }
    }

    #[test]
    fn token_forms_pad_cut_and_name_their_placeholder() {
        assert_eq!(TokenForm::PaddedTo(6).apply("abc"), "abcxxx");
        assert_eq!(TokenForm::PaddedTo(2).apply("abc"), "ab");
        assert_eq!(
            TokenForm::PaddedTo(64).placeholder("a"),
            "[token-a padded to 64 characters]"
        );
        assert_eq!(TokenForm::AsIs.placeholder("b"), "[token-b]");
    }
}
