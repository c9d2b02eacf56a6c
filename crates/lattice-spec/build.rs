//! Generates the rule ids from the catalogue (`specs/rules.toml`), so that the catalogue is the
//! one list of rules: `RuleId` (every rule), `Check` (the check that covers each rule, from the
//! `check` field), `Property` (the properties that add cases to a rule, from `properties`), and
//! one enum per check (`ValidationRule`, `IdempotencyRule`, …) over the rules it covers. Code that
//! must do something for every rule of a check matches over that check's enum, so a new rule
//! without its generator, oracle or check code does not compile. It also generates `Choice`
//! from `specs/choices.toml`, the one list of the readings the contract leaves open.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    rule: Vec<Rule>,
}

#[derive(Deserialize)]
struct ChoiceFile {
    choice: Vec<ChoiceName>,
}

/// Only the name: the loader in `src/choices.rs` reads (and checks) the rest.
#[derive(Deserialize)]
struct ChoiceName {
    name: String,
}

#[derive(Deserialize)]
struct Rule {
    id: String,
    family: String,
    check: String,
    #[serde(default)]
    properties: Vec<String>,
}

/// `VAL-SVC-REQUIRED` → `ValSvcRequired`; `tags-accepted` → `TagsAccepted`.
fn camel(s: &str) -> String {
    s.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn main() {
    let path =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../specs/rules.toml");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("read specs/rules.toml");
    let file: File = toml::from_str(&text).expect("specs/rules.toml parses");
    let mut checks: BTreeMap<String, Vec<&Rule>> = BTreeMap::new();
    let mut properties: BTreeMap<String, Vec<&Rule>> = BTreeMap::new();
    for r in &file.rule {
        checks.entry(r.check.clone()).or_default().push(r);
        for p in &r.properties {
            properties.entry(p.clone()).or_default().push(r);
        }
    }
    let mut out = String::new();
    out.push_str(&rule_id(&file.rule));
    out.push_str(&group(
        "Check",
        "check",
        "the check that covers it",
        &checks,
    ));
    out.push_str(&group(
        "Property",
        "property",
        "a property that adds cases to it",
        &properties,
    ));
    for (check, rules) in &checks {
        out.push_str(&per_check(check, rules));
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rule_ids.rs");
    std::fs::write(dest, out).expect("write rule_ids.rs");

    let path = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../../specs/choices.toml");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("read specs/choices.toml");
    let file: ChoiceFile = toml::from_str(&text).expect("specs/choices.toml parses");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("choice_ids.rs");
    std::fs::write(dest, choice_enum(&file.choice)).expect("write choice_ids.rs");
}

fn choice_enum(choices: &[ChoiceName]) -> String {
    let mut o = String::new();
    o.push_str("/// A reading the contract leaves open that the reference endpoint can take (generated from\n/// `specs/choices.toml`; [`Choice::info`] has its question, reading and sources).\n");
    o.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    o.push_str("pub enum Choice {\n");
    for c in choices {
        let _ = writeln!(o, "    /// `{}`.\n    {},", c.name, camel(&c.name));
    }
    o.push_str("}\n\nimpl Choice {\n");
    o.push_str("    /// Every choice, in file order.\n    pub const ALL: &'static [Choice] = &[\n");
    for c in choices {
        let _ = writeln!(o, "        Choice::{},", camel(&c.name));
    }
    o.push_str("    ];\n\n");
    o.push_str("    /// The stable kebab-case name (`bare-id-through-share`).\n    pub const fn name(self) -> &'static str {\n        match self {\n");
    for c in choices {
        let _ = writeln!(
            o,
            "            Choice::{} => \"{}\",",
            camel(&c.name),
            c.name
        );
    }
    o.push_str("        }\n    }\n\n");
    o.push_str("    /// The choice with this name.\n    pub fn from_name(name: &str) -> Option<Choice> {\n        match name {\n");
    for c in choices {
        let _ = writeln!(
            o,
            "            \"{}\" => Some(Choice::{}),",
            c.name,
            camel(&c.name)
        );
    }
    o.push_str("            _ => None,\n        }\n    }\n}\n");
    o
}

fn rule_id(rules: &[Rule]) -> String {
    let mut o = String::new();
    o.push_str(
        "/// A rule of the catalogue, by its stable id (generated from `specs/rules.toml`).\n",
    );
    o.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    o.push_str("pub enum RuleId {\n");
    for r in rules {
        let _ = writeln!(o, "    /// `{}`.\n    {},", r.id, camel(&r.id));
    }
    o.push_str("}\n\nimpl RuleId {\n");
    o.push_str(
        "    /// Every rule, in catalogue order.\n    pub const ALL: &'static [RuleId] = &[\n",
    );
    for r in rules {
        let _ = writeln!(o, "        RuleId::{},", camel(&r.id));
    }
    o.push_str("    ];\n\n");
    o.push_str("    /// The stable id (`VAL-SVC-REQUIRED`).\n    pub const fn as_str(self) -> &'static str {\n        match self {\n");
    for r in rules {
        let _ = writeln!(o, "            RuleId::{} => \"{}\",", camel(&r.id), r.id);
    }
    o.push_str("        }\n    }\n\n");
    o.push_str("    /// The rule's family (the id prefix).\n    pub const fn family(self) -> crate::catalogue::Family {\n        match self {\n");
    for r in rules {
        let _ = writeln!(
            o,
            "            RuleId::{} => crate::catalogue::Family::{},",
            camel(&r.id),
            camel(&r.family)
        );
    }
    o.push_str("        }\n    }\n\n");
    o.push_str("    /// The check that covers the rule (the catalogue's `check`).\n    pub const fn check(self) -> Check {\n        match self {\n");
    for r in rules {
        let _ = writeln!(
            o,
            "            RuleId::{} => Check::{},",
            camel(&r.id),
            camel(&r.check)
        );
    }
    o.push_str("        }\n    }\n\n");
    o.push_str("    /// The properties that add cases to the rule (the catalogue's `properties`).\n    pub const fn properties(self) -> &'static [Property] {\n        match self {\n");
    for r in rules {
        let props: Vec<String> = r
            .properties
            .iter()
            .map(|p| format!("Property::{}", camel(p)))
            .collect();
        let _ = writeln!(
            o,
            "            RuleId::{} => &[{}],",
            camel(&r.id),
            props.join(", ")
        );
    }
    o.push_str("        }\n    }\n\n");
    o.push_str("    /// The rule with this id.\n    pub fn from_id(id: &str) -> Option<RuleId> {\n        match id {\n");
    for r in rules {
        let _ = writeln!(
            o,
            "            \"{}\" => Some(RuleId::{}),",
            r.id,
            camel(&r.id)
        );
    }
    o.push_str("            _ => None,\n        }\n    }\n}\n\n");
    o
}

fn group(name: &str, what: &str, role: &str, members: &BTreeMap<String, Vec<&Rule>>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "/// A {what} named in the catalogue: for each rule, {role}."
    );
    o.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    let _ = writeln!(o, "pub enum {name} {{");
    for m in members.keys() {
        let _ = writeln!(o, "    /// `{m}`.\n    {},", camel(m));
    }
    let _ = writeln!(o, "}}\n\nimpl {name} {{");
    let _ = writeln!(
        o,
        "    /// Every {what}, by name.\n    pub const ALL: &'static [{name}] = &["
    );
    for m in members.keys() {
        let _ = writeln!(o, "        {name}::{},", camel(m));
    }
    o.push_str("    ];\n\n");
    let _ = writeln!(
        o,
        "    /// The name as the catalogue writes it.\n    pub const fn name(self) -> &'static str {{\n        match self {{"
    );
    for m in members.keys() {
        let _ = writeln!(o, "            {name}::{} => \"{m}\",", camel(m));
    }
    o.push_str("        }\n    }\n\n");
    let _ = writeln!(
        o,
        "    /// Its rules, in catalogue order.\n    pub const fn rules(self) -> &'static [RuleId] {{\n        match self {{"
    );
    for (m, rules) in members {
        let ids: Vec<String> = rules
            .iter()
            .map(|r| format!("RuleId::{}", camel(&r.id)))
            .collect();
        let _ = writeln!(
            o,
            "            {name}::{} => &[{}],",
            camel(m),
            ids.join(", ")
        );
    }
    o.push_str("        }\n    }\n}\n\n");
    o
}

fn per_check(check: &str, rules: &[&Rule]) -> String {
    let name = format!("{}Rule", camel(check));
    let mut o = String::new();
    let _ = writeln!(
        o,
        "/// The rules the `{check}` check covers (generated from the catalogue's `check` field)."
    );
    o.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    let _ = writeln!(o, "pub enum {name} {{");
    for r in rules {
        let _ = writeln!(o, "    /// `{}`.\n    {},", r.id, camel(&r.id));
    }
    let _ = writeln!(o, "}}\n\nimpl {name} {{");
    let _ = writeln!(o, "    /// Every rule of the check, in catalogue order.\n    pub const ALL: &'static [{name}] = &[");
    for r in rules {
        let _ = writeln!(o, "        {name}::{},", camel(&r.id));
    }
    o.push_str("    ];\n\n");
    o.push_str(
        "    /// The rule id.\n    pub const fn id(self) -> RuleId {\n        match self {\n",
    );
    for r in rules {
        let _ = writeln!(o, "            {name}::{0} => RuleId::{0},", camel(&r.id));
    }
    o.push_str("        }\n    }\n}\n\n");
    let _ = writeln!(
        o,
        "impl From<{name}> for RuleId {{\n    fn from(r: {name}) -> RuleId {{\n        r.id()\n    }}\n}}\n"
    );
    let _ = writeln!(
        o,
        "impl std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(self.id().as_str())\n    }}\n}}\n"
    );
    let _ = writeln!(o, "impl TryFrom<RuleId> for {name} {{");
    o.push_str("    type Error = RuleId;\n\n    fn try_from(r: RuleId) -> Result<Self, RuleId> {\n        match r {\n");
    for r in rules {
        let _ = writeln!(
            o,
            "            RuleId::{0} => Ok({name}::{0}),",
            camel(&r.id)
        );
    }
    o.push_str("            other => Err(other),\n        }\n    }\n}\n\n");
    o
}
