//! Reads `specs/scenarios.toml` into [`Scenario`]s and checks that it holds together: unique
//! scenario names and step labels, known rules, one call per step, references to setup resources
//! that exist and to earlier steps that sent a request, shares of services or networks,
//! illustrated steps that exist. Every error names the scenario and the setup resource or step.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::{CreateBody, CreateMembers, Tags};
use super::definition::{Illustration, ListFilter, Scenario, ScenarioCall, ScenarioStep, Setup};
use super::reference::{Field, Member, Reference, TokenForm};
use crate::role::Role;
use crate::rule_ids::RuleId;
use crate::signing::SignMode;

/// Where in a scenario a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The scenario as a whole (its name, its list of steps).
    Scenario,
    /// Setup resource `rN`.
    Setup(usize),
    /// A step, by position and label.
    Step {
        /// Its position (`sN`).
        index: usize,
        /// Its label.
        label: String,
    },
    /// An entry of `illustrates`.
    Illustration(RuleId),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Scenario => Ok(()),
            Place::Setup(i) => write!(f, ", setup `r{i}`"),
            Place::Step { index, label } => write!(f, ", step `{label}` (s{index})"),
            Place::Illustration(rule) => write!(f, ", illustrates `{rule}`"),
        }
    }
}

/// Why the scenarios file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The file is not TOML of the expected shape (unknown keys, wrong types, unknown rule ids).
    #[error("`specs/scenarios.toml` does not parse: {0}")]
    Syntax(String),
    /// A scenario does not hold together.
    #[error("`specs/scenarios.toml`: scenario `{scenario}`{place}: {message}")]
    Invalid {
        /// The scenario's name.
        scenario: String,
        /// Where in it.
        place: Place,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    scenario: Vec<ScenarioDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioDe {
    name: String,
    rule: RuleId,
    summary: String,
    #[serde(default)]
    illustrates: Vec<IllustrationDe>,
    #[serde(default)]
    setup: Vec<SetupDe>,
    #[serde(default)]
    step: Vec<StepDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IllustrationDe {
    rule: RuleId,
    step: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetupDe {
    service: Option<Role>,
    network: Option<Role>,
    share: Option<usize>,
    with: Option<Role>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepDe {
    label: String,
    by: Role,
    sign: Option<String>,
    judged_by: Option<RuleId>,
    create: Option<CreateDe>,
    get: Option<Value>,
    delete: Option<Value>,
    list: Option<ListDe>,
    list_tags: Option<Value>,
    settle: Option<Value>,
    gone: Option<Value>,
    unshare: Option<Value>,
    fill_quota: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateDe {
    service_identifier: Option<Value>,
    service_network_identifier: Option<Value>,
    client_token: Option<Value>,
    tags: Option<Value>,
    raw: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListDe {
    service_network_identifier: Option<Value>,
    service_identifier: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceDe {
    setup: Option<usize>,
    step: Option<String>,
    member: Option<Member>,
    token: Option<String>,
    form: Option<FormDe>,
    padded_to: Option<usize>,
    repeat: Option<char>,
    times: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum FormDe {
    Upper,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TagDe {
    key: Value,
    value: Value,
}

/// Reads and checks the scenarios file.
pub fn parse(text: &str) -> Result<Vec<Scenario>, ScenarioError> {
    let file: FileDe = toml::from_str(text).map_err(|e| ScenarioError::Syntax(e.to_string()))?;
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(file.scenario.len());
    for s in file.scenario {
        let scenario = convert(s)?;
        if !names.insert(scenario.name.clone()) {
            return Err(ScenarioError::Invalid {
                scenario: scenario.name,
                place: Place::Scenario,
                message: "a second scenario has this name (hint: names are the snapshot files' names, so they are unique)".into(),
            });
        }
        out.push(scenario);
    }
    Ok(out)
}

/// What the loader knows of the scenario it converts, for references and errors.
struct Scope<'a> {
    scenario: &'a str,
    setup: Vec<Setup>,
    /// The steps so far: label, and whether it sends a request (has an answer).
    earlier: Vec<(String, bool)>,
    place: Place,
}

impl Scope<'_> {
    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ScenarioError> {
        Err(ScenarioError::Invalid {
            scenario: self.scenario.to_owned(),
            place: self.place.clone(),
            message: message.into(),
        })
    }
}

fn convert(s: ScenarioDe) -> Result<Scenario, ScenarioError> {
    let mut scope = Scope {
        scenario: &s.name,
        setup: vec![],
        earlier: vec![],
        place: Place::Scenario,
    };
    let name_ok = !s.name.is_empty()
        && s.name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok {
        return scope.fail("a name is lower-case letters, digits and `-` (it names the snapshot file and the test)");
    }
    if s.step.is_empty() {
        return scope.fail("no step (hint: `[[scenario.step]]`)");
    }
    for (i, setup) in s.setup.into_iter().enumerate() {
        scope.place = Place::Setup(i);
        let made = setup_of(&scope, setup)?;
        scope.setup.push(made);
    }
    let mut steps = Vec::new();
    for (i, step) in s.step.into_iter().enumerate() {
        scope.place = Place::Step {
            index: i,
            label: step.label.clone(),
        };
        if step.label.is_empty() {
            return scope.fail("a step needs a label");
        }
        if scope.earlier.iter().any(|(l, _)| *l == step.label) {
            return scope.fail("an earlier step has this label (hint: labels name the steps in the snapshot, so they are unique)");
        }
        let step = step_of(&scope, step)?;
        scope
            .earlier
            .push((step.label.clone(), step.call.recorded()));
        steps.push(step);
    }
    let mut illustrates = Vec::new();
    for ill in s.illustrates {
        scope.place = Place::Illustration(ill.rule);
        if let Some(label) = &ill.step {
            if !steps.iter().any(|st| st.label == *label) {
                return scope.fail(format!("no step `{label}` to show it"));
            }
        }
        illustrates.push(Illustration {
            rule: ill.rule,
            step: ill.step,
        });
    }
    Ok(Scenario {
        name: s.name.clone(),
        rule: s.rule,
        illustrates,
        summary: s.summary,
        setup: scope.setup,
        steps,
    })
}

fn setup_of(scope: &Scope<'_>, s: SetupDe) -> Result<Setup, ScenarioError> {
    match (s.service, s.network, s.share, s.with) {
        (Some(who), None, None, None) => Ok(Setup::Service(who)),
        (None, Some(who), None, None) => Ok(Setup::Network(who)),
        (None, None, Some(resource), Some(with)) => match scope.setup.get(resource) {
            Some(Setup::Service(_) | Setup::Network(_)) => Ok(Setup::Share { resource, with }),
            Some(Setup::Share { .. }) => {
                scope.fail(format!("`r{resource}` is a share; only a service or a network is shared"))
            }
            None => scope.fail(format!(
                "shares `r{resource}`, which is not set up before it (hint: setup resources are numbered from `r0` in order)"
            )),
        },
        (None, None, Some(_), None) => scope.fail("a share needs `with` (the role it is shared with)"),
        _ => scope.fail(
            "a setup resource is one of `{ service = ROLE }`, `{ network = ROLE }`, `{ share = N, with = ROLE }`",
        ),
    }
}

fn step_of(scope: &Scope<'_>, s: StepDe) -> Result<ScenarioStep, ScenarioError> {
    let sign = match s.sign.as_deref() {
        None => SignMode::SigV4,
        Some(label) => match SignMode::from_label(label) {
            Some(mode) => mode,
            None => {
                let known: Vec<&str> = SignMode::ALL.iter().map(|m| m.label()).collect();
                return scope.fail(format!(
                    "unknown sign `{label}` (hint: one of {})",
                    known.join(", ")
                ));
            }
        },
    };
    let mut calls = Vec::new();
    if let Some(c) = s.create {
        calls.push(create_of(scope, c).map(ScenarioCall::Create));
    }
    for (value, make) in [
        (s.get, ScenarioCall::Get as fn(Field) -> ScenarioCall),
        (s.delete, ScenarioCall::Delete),
        (s.list_tags, ScenarioCall::ListTags),
        (s.settle, ScenarioCall::Settle),
        (s.gone, ScenarioCall::Gone),
    ] {
        if let Some(v) = value {
            calls.push(text_of(scope, v).map(make));
        }
    }
    if let Some(list) = s.list {
        calls.push(list_of(scope, list));
    }
    if let Some(v) = s.unshare {
        calls.push(
            setup_ref(scope, v, "unshare").and_then(|i| match scope.setup[i] {
                Setup::Share { .. } => Ok(ScenarioCall::Unshare(i)),
                _ => scope.fail(format!("`unshare` names `r{i}`, which is not a share")),
            }),
        );
    }
    if let Some(v) = s.fill_quota {
        calls.push(
            setup_ref(scope, v, "fill_quota").and_then(|i| match scope.setup[i] {
                Setup::Network(_) => Ok(ScenarioCall::FillQuota(Field::Ref(Reference::Setup {
                    index: i,
                    member: Member::Id,
                }))),
                _ => scope.fail(format!(
                    "`fill_quota` names `r{i}`, which is not a service network"
                )),
            }),
        );
    }
    if calls.len() != 1 {
        return scope.fail(format!(
            "a step has exactly one of `create`, `get`, `delete`, `list`, `list_tags`, `settle`, `gone`, `unshare`, `fill_quota` (found {})",
            calls.len()
        ));
    }
    Ok(ScenarioStep {
        label: s.label,
        by: s.by,
        call: calls.remove(0)?,
        sign,
        judged_by: s.judged_by,
    })
}

fn create_of(scope: &Scope<'_>, c: CreateDe) -> Result<CreateBody, ScenarioError> {
    let members = [
        &c.service_identifier,
        &c.service_network_identifier,
        &c.client_token,
        &c.tags,
    ];
    if let Some(raw) = c.raw {
        if members.iter().any(|m| m.is_some()) {
            return scope.fail("a `raw` body has no other member (it is sent exactly as written)");
        }
        return Ok(CreateBody::Raw(raw));
    }
    let field = |v: Option<Value>| v.map(|v| field_of(scope, v)).transpose();
    Ok(CreateBody::Members(CreateMembers {
        service_identifier: field(c.service_identifier)?,
        service_network_identifier: field(c.service_network_identifier)?,
        client_token: field(c.client_token)?,
        tags: c.tags.map(|t| tags_of(scope, t)).transpose()?,
    }))
}

fn list_of(scope: &Scope<'_>, l: ListDe) -> Result<ScenarioCall, ScenarioError> {
    let mut filters = Vec::new();
    for (filter, value) in [
        (
            ListFilter::ServiceNetworkIdentifier,
            l.service_network_identifier,
        ),
        (ListFilter::ServiceIdentifier, l.service_identifier),
    ] {
        if let Some(v) = value {
            filters.push((filter, text_of(scope, v)?));
        }
    }
    if filters.is_empty() {
        return scope.fail("`list` filters by `serviceNetworkIdentifier` or `serviceIdentifier`");
    }
    Ok(ScenarioCall::List(filters))
}

fn tags_of(scope: &Scope<'_>, v: Value) -> Result<Tags, ScenarioError> {
    let shape = "`tags` is `{ generated = N }` or a list of `{ key = ..., value = ... }`";
    match v {
        Value::Object(map) => match map.get("generated").and_then(Value::as_u64) {
            Some(n) if map.len() == 1 => Ok(Tags::Generated(n as usize)),
            _ => scope.fail(shape),
        },
        Value::Array(items) => {
            let mut entries = Vec::new();
            for item in items {
                let tag: TagDe = match serde_json::from_value(item) {
                    Ok(tag) => tag,
                    Err(e) => return scope.fail(format!("{shape}: {e}")),
                };
                entries.push((text_of(scope, tag.key)?, text_of(scope, tag.value)?));
            }
            Ok(Tags::Entries(entries))
        }
        _ => scope.fail(shape),
    }
}

/// Any JSON value, or a reference (a table).
fn field_of(scope: &Scope<'_>, v: Value) -> Result<Field, ScenarioError> {
    match v {
        Value::Object(map) => reference_of(scope, map).map(Field::Ref),
        other => Ok(Field::Literal(other)),
    }
}

/// A string, or a reference (a table).
fn text_of(scope: &Scope<'_>, v: Value) -> Result<Field, ScenarioError> {
    match v {
        Value::String(_) | Value::Object(_) => field_of(scope, v),
        other => scope.fail(format!("`{other}` where a string or a reference belongs")),
    }
}

/// A reference to a setup resource, as its index (`unshare`, `fill_quota`).
fn setup_ref(scope: &Scope<'_>, v: Value, key: &str) -> Result<usize, ScenarioError> {
    match field_of(scope, v)? {
        Field::Ref(Reference::Setup {
            index,
            member: Member::Id,
        }) => Ok(index),
        _ => scope.fail(format!("`{key}` names a setup resource: `{{ setup = N }}`")),
    }
}

fn reference_of(scope: &Scope<'_>, map: Map<String, Value>) -> Result<Reference, ScenarioError> {
    let r: ReferenceDe = match serde_json::from_value(Value::Object(map)) {
        Ok(r) => r,
        Err(e) => return scope.fail(format!("not a reference: {e}")),
    };
    let kinds = [
        r.setup.is_some(),
        r.step.is_some(),
        r.token.is_some(),
        r.repeat.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return scope.fail("a reference has exactly one of `setup`, `step`, `token`, `repeat`");
    }
    let stray = |present: bool, key: &str, of: &str| {
        if present {
            scope.fail(format!("`{key}` belongs to a `{of}` reference"))
        } else {
            Ok(())
        }
    };
    let not_member = r.setup.is_none() && r.step.is_none();
    stray(
        r.member.is_some() && not_member,
        "member",
        "setup` or `step",
    )?;
    stray(r.form.is_some() && r.token.is_none(), "form", "token")?;
    stray(
        r.padded_to.is_some() && r.token.is_none(),
        "padded_to",
        "token",
    )?;
    stray(r.times.is_some() && r.repeat.is_none(), "times", "repeat")?;
    let member = r.member.unwrap_or_default();
    if let Some(index) = r.setup {
        if index >= scope.setup.len() {
            return scope.fail(format!(
                "`{{ setup = {index} }}` names no setup resource (this scenario sets up {})",
                scope.setup.len()
            ));
        }
        return Ok(Reference::Setup { index, member });
    }
    if let Some(label) = r.step {
        return match scope.earlier.iter().position(|(l, _)| *l == label) {
            Some(index) if scope.earlier[index].1 => Ok(Reference::Step { index, member }),
            Some(_) => scope.fail(format!(
                "`{{ step = \"{label}\" }}` names a step that sends no request, so it has no answer"
            )),
            None => scope.fail(format!(
                "`{{ step = \"{label}\" }}` names no earlier step (hint: a step refers to the answer of a step before it, by label)"
            )),
        };
    }
    if let Some(label) = r.token {
        let form = match (r.form, r.padded_to) {
            (None, None) => TokenForm::AsIs,
            (Some(FormDe::Upper), None) => TokenForm::Upper,
            (None, Some(n)) => TokenForm::PaddedTo(n),
            (Some(_), Some(_)) => return scope.fail("a token is upper-cased or padded, not both"),
        };
        if label.is_empty() {
            return scope.fail("a token needs a label (`{ token = \"a\" }`)");
        }
        return Ok(Reference::Token { label, form });
    }
    match (r.repeat, r.times) {
        (Some(ch), Some(times)) => Ok(Reference::Repeat { ch, times }),
        _ => scope.fail("a `repeat` reference needs `times`"),
    }
}
