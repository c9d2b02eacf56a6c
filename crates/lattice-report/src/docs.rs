//! The contract documentation, `specs/CONTRACT.md`, generated from the rule catalogue, the
//! canonical scenarios (`specs/scenarios.toml`) and their committed snapshots: for every rule its statement, its source (with the link), whether it is
//! documented or inferred, the acceptable outcomes where the contract is ambiguous, the check
//! that covers it, and one example exchange (request and redacted response) taken from the
//! snapshot of a canonical scenario; and, at the end, the ambiguities and their reasoning: the
//! rules with several acceptable outcomes, the rules that rest on our reasoning, and every
//! other reading the reference endpoint can take (`specs/choices.toml`). `lattice-conformance
//! docs` writes it; a test fails when the committed file is stale.

use std::fmt::Write as _;

use serde_json::Value;

use lattice_spec::{Basis, Catalogue, Check, Choice, Family, Rule, RuleId};

use crate::snapshots;
use lattice_spec::scenario::{self, Scenario};

/// Where the generated file lives, relative to the repository root.
pub const CONTRACT_PATH: &str = "specs/CONTRACT.md";

/// Why a rule has no canonical scenario.
fn no_scenario(rule: &str) -> &'static str {
    match rule {
        "CONFLICT-DELETING-ASSOC"
        | "CONFLICT-DELETING-RESOURCE"
        | "CONFLICT-DELETE-CREATING"
        | "CONFLICT-RESOURCE-CREATING" => {
            "timing-dependent: the decisive request must fall inside a transition (`*_IN_PROGRESS`), so its exchange is not stable enough for a snapshot; a failing run shows the exchange in its report"
        }
        r if r.starts_with("SDK-") => {
            "client-side: judged by `lattice-conformance check-client` from a recording of what an SDK sent to `serve --record` (README, \"Verify your SDK\"), not from an endpoint's answer"
        }
        "HTTP-RETRY-AFTER" => {
            "passive: the suite never provokes a 429 or 500; the rule is judged on any such response a run happens to receive"
        }
        _ => "no canonical scenario; a failing run shows the exchange in its report",
    }
}

fn family_title(f: Family) -> &'static str {
    match f {
        Family::Val => "Input validation",
        Family::Tag => "Tags",
        Family::Idemp => "Idempotency (clientToken)",
        Family::Conflict => "Conflicts",
        Family::Own => "Ownership and sharing across accounts",
        Family::Exist => "Existence of referenced resources",
        Family::Life => "Status lifecycle",
        Family::Quota => "Quotas",
        Family::Http => "HTTP and restJson1 wire format",
        Family::Auth => "Signatures (SigV4)",
        Family::Neigh => "The association's neighbours: Get, List, Delete, ListTagsForResource",
        Family::Sdk => "Clients and SDKs (judged from a recording by check-client)",
    }
}

fn anchor(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// The harness check that decides a rule, in words.
fn covered_by(rule: &Rule) -> String {
    let check = RuleId::from_id(&rule.id).map(RuleId::check);
    let harness = check
        .filter(|c| !matches!(c, Check::Observed | Check::Client))
        .map(|c| format!("the `{c}` check (`crates/lattice-harness/src/checks/`)"));
    let observed = (check == Some(Check::Observed))
        .then(|| "judged on every exchange of a run (`lattice-checks` observers)".to_owned());
    let client = rule.family.is_client_side().then(|| {
        "`lattice-conformance check-client RECORDING` (`lattice_checks::client`), from a recording of `serve --record` and the driver's `--client-report`".to_owned()
    });
    let how = [harness, observed, client]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
    if how.is_empty() {
        format!("catalogue check `{}`", rule.check)
    } else {
        format!("catalogue check `{}`: {how}", rule.check)
    }
}

/// The example of a rule: the scenario and the step label (`""`: the whole scenario).
fn example_of(rule: &str) -> Option<(&'static Scenario, &'static str)> {
    let rule = RuleId::from_id(rule)?;
    let all = scenario::all();
    all.iter()
        .find_map(|s| (s.rule == rule).then_some((s, "")))
        .or_else(|| all.iter().find_map(|s| s.shows(rule).map(|l| (s, l))))
}

fn fenced(out: &mut String, step: &Value) {
    let text = |k: &str| step.get(k).and_then(Value::as_str).unwrap_or_default();
    out.push_str("```text\n");
    if let Some(why) = step.get("notSent").and_then(Value::as_str) {
        let _ = writeln!(out, "{}: not sent ({why})", text("step"));
        out.push_str("```\n\n");
        return;
    }
    let _ = writeln!(out, "# {}", text("step"));
    let _ = writeln!(out, "{}", text("request"));
    if let Some(body) = step.get("requestBody") {
        let _ = writeln!(out, "{}", snapshots::to_text(body));
    }
    let status = step.get("status").map(Value::to_string).unwrap_or_default();
    let error = step
        .get("errorType")
        .and_then(Value::as_str)
        .map(|e| format!(" {e}"))
        .unwrap_or_default();
    let media = step
        .get("contentType")
        .and_then(Value::as_str)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let _ = writeln!(out, "→ {status}{error}{media}");
    match step.get("body") {
        Some(Value::Null) | None => {}
        Some(body) => {
            let _ = writeln!(out, "{}", snapshots::to_text(body));
        }
    }
    out.push_str("```\n\n");
}

fn example(out: &mut String, rule: &Rule) {
    let Some((scenario, label)) = example_of(&rule.id) else {
        let _ = writeln!(out, "- **Example:** none — {}.\n", no_scenario(&rule.id));
        return;
    };
    let file = format!("snapshots/{}.snap", scenario.name);
    let Some(committed) = snapshots::committed(&scenario.name) else {
        let _ = writeln!(
            out,
            "- **Example:** scenario `{}` has no committed snapshot yet (`{file}`).\n",
            scenario.name
        );
        return;
    };
    let doc: Value = serde_json::from_str(snapshots::body_of(committed)).unwrap_or(Value::Null);
    let steps: Vec<&Value> = doc
        .get("steps")
        .and_then(Value::as_array)
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    let shown: Vec<&Value> = if label.is_empty() {
        steps
    } else {
        steps
            .into_iter()
            .filter(|s| s.get("step").and_then(Value::as_str) == Some(label))
            .take(1)
            .collect()
    };
    let step = if label.is_empty() {
        String::new()
    } else {
        format!("; step `{label}`")
    };
    let whose = if scenario.rule.as_str() == rule.id {
        String::new()
    } else {
        format!(
            ", the example of [{}](#{}){step}",
            scenario.rule,
            anchor(scenario.rule.as_str())
        )
    };
    let _ = writeln!(
        out,
        "- **Example:** scenario `{}` ([`{file}`](../{file}){whose}): {}.\n",
        scenario.name, scenario.summary
    );
    for step in shown {
        fenced(out, step);
    }
}

/// Renders `specs/CONTRACT.md`.
pub fn render() -> String {
    let cat = Catalogue::embedded();
    let rules = cat.rules();
    let count = |b: Basis| rules.iter().filter(|r| r.basis == b).count();
    let (documented, observed) = (count(Basis::Documented), count(Basis::Observed));
    let snapshots = snapshots::embedded().len();
    let mut out = String::new();
    out.push_str("# The CreateServiceNetworkServiceAssociation contract\n\n");
    out.push_str(
        "<!-- Generated by `lattice-conformance docs` (`cargo run -- docs`) from specs/rules.toml, \
         specs/choices.toml, the scenarios in specs/scenarios.toml and their snapshots in snapshots/. Do not edit by hand: a test fails when this file is stale. -->\n\n",
    );
    let _ = writeln!(
        out,
        "Every rule the suite checks on AWS VPC Lattice `CreateServiceNetworkServiceAssociation` \
         (`POST /servicenetworkserviceassociations`, restJson1, SigV4 signing name `vpc-lattice`): \
         {} rules in {} families, {documented} documented by AWS (the official model or documentation), \
         {observed} observed (real AWS behaviour seen in public AWS-maintained code, acceptance-test runs \
         or issue threads, cited) and {} inferred (our reading, with the reasoning). Each rule gives its source, the outcomes \
         that are acceptable (several where the contract is ambiguous), the check that covers it, and \
         an example exchange from the {} canonical scenarios, whose responses are recorded, redacted, \
         in {snapshots} reviewed snapshots (`snapshots/`). In the examples, placeholders keep identity: \
         `[snsa-1]` is the same association wherever it appears, `[account-owner]` the caller's \
         account, `[message]` a free text the contract does not fix. The last section, \
         [Ambiguities and reasoning](#ambiguities-and-reasoning), gathers what the contract \
         leaves open: the readings accepted, the reasoning behind the inferred rules, and the {} \
         other readings the reference endpoint can be switched to.\n",
        rules.len(),
        Family::ALL.len(),
        rules.len() - documented - observed,
        scenario::all().len(),
        Choice::ALL.len(),
    );
    out.push_str("## Rules\n\n| rule | basis | title |\n|---|---|---|\n");
    for r in rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            r.id,
            anchor(&r.id),
            basis(r.basis),
            r.title.replace('|', "\\|")
        );
    }
    out.push('\n');
    for family in Family::ALL {
        let members: Vec<&Rule> = rules.iter().filter(|r| r.family == family).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {family}: {}\n", family_title(family));
        for r in members {
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", anchor(&r.id));
            let _ = writeln!(out, "### {}: {}\n", r.id, r.title);
            let _ = writeln!(out, "{}\n", r.statement);
            let _ = writeln!(
                out,
                "- **Basis:** {} (source: {}).",
                basis(r.basis),
                source(r)
            );
            if let Some(inference) = &r.inference {
                let _ = writeln!(out, "- **Reasoning:** {inference}");
            }
            let _ = writeln!(out, "- **Source:** {} <{}>", r.citation, r.url);
            let outcomes = outcome_list(r);
            if r.is_ambiguous() {
                let _ = writeln!(out, "- **Acceptable outcomes (ambiguous):** {outcomes}.");
                if let Some(a) = &r.ambiguity {
                    let _ = writeln!(out, "- **Why several:** {a}");
                }
            } else {
                let _ = writeln!(out, "- **Outcome:** {outcomes}.");
            }
            let _ = writeln!(out, "- **Checked by:** {}.", covered_by(r));
            if let Some(why) = r.not_live_safe() {
                let _ = writeln!(
                    out,
                    "- **Live runs:** not checked (reported skipped): {why}."
                );
            }
            example(&mut out, r);
        }
    }
    ambiguities(&mut out, rules);
    out.trim_end().to_owned() + "\n"
}

fn rule_link(id: RuleId) -> String {
    format!("[{id}](#{})", anchor(id.as_str()))
}

/// A source as a link: an https URL as is, a repository file relative to `specs/`.
fn source_link(s: &str) -> String {
    if s.starts_with("https://") {
        format!("<{s}>")
    } else {
        format!("[`{s}`](../{s})")
    }
}

/// The section "Ambiguities and reasoning": the ambiguous rules with their readings, the rules
/// that rest on our reasoning, and every choice of the reference endpoint.
fn ambiguities(out: &mut String, rules: &[Rule]) {
    out.push_str(
        "## Ambiguities and reasoning

",
    );
    out.push_str(
        "Where the contract leaves something open, the suite accepts every reading that AWS text, \
         the official model or observed AWS behaviour allows, and records which one an endpoint \
         took (`endpoint chose: …` in the report). This section gathers them: the rules with \
         several acceptable outcomes, the rules that rest on our reasoning, and the readings the \
         reference endpoint can be switched to. The alternatives matrix \
         (`tests/integration/alternatives.rs`) runs the whole suite against the reference endpoint \
         under each of those readings and under all of them at once, and requires that no rule \
         fails.\n\n",
    );
    out.push_str("### Rules with several acceptable outcomes\n\n");
    for r in rules.iter().filter(|r| r.is_ambiguous()) {
        let outcomes = outcome_list(r);
        let id = RuleId::from_id(&r.id).map_or_else(|| r.id.clone(), rule_link);
        let why = r.ambiguity.as_deref().unwrap_or_default();
        let _ = writeln!(out, "- **{id}**: {outcomes}. {why}");
    }
    out.push_str("\n### Rules that rest on our reasoning\n\n");
    out.push_str(
        "Inferred rules state what no AWS text states; observed ones rest on real AWS behaviour \
         seen in public code, tests or threads. The reasoning of each:\n\n",
    );
    for r in rules.iter().filter(|r| r.basis != Basis::Documented) {
        let id = RuleId::from_id(&r.id).map_or_else(|| r.id.clone(), rule_link);
        let reasoning = r.inference.as_deref().unwrap_or_default();
        let _ = writeln!(out, "- **{id}** ({}): {reasoning}", basis(r.basis));
    }
    let _ = writeln!(
        out,
        "\n### Readings the reference endpoint can take\n\n\
         {} readings the contract allows that the reference endpoint does not take by default \
         (`specs/choices.toml`). Each is switched on with `lattice-conformance serve --choice NAME` \
         or `lattice-conformance run --choice NAME` (`serve --list-choices` lists them); choices of \
         one group are alternatives of each other.\n",
        Choice::ALL.len()
    );
    for c in Choice::ALL {
        let info = c.info();
        let group = info
            .group
            .as_deref()
            .map(|g| format!(" (group `{g}`)"))
            .unwrap_or_default();
        let _ = writeln!(out, "#### `{}`{group}\n", c.name());
        let _ = writeln!(out, "- **Open:** {}", info.question);
        let _ = writeln!(out, "- **This reading:** {}", info.reading);
        let _ = writeln!(
            out,
            "- **The reference endpoint by default:** {}",
            info.reference
        );
        let _ = writeln!(out, "- **Why it is conformant:** {}", info.why);
        let sources: Vec<String> = info.sources.iter().map(|s| source_link(s)).collect();
        let _ = writeln!(out, "- **Sources:** {}", sources.join(", "));
        let touched: Vec<String> = info.rules.iter().map(|r| rule_link(*r)).collect();
        let _ = writeln!(out, "- **Rules it touches:** {}", touched.join(", "));
        if !info.undecided.is_empty() {
            let undecided: Vec<String> = info.undecided.iter().map(|r| rule_link(*r)).collect();
            let _ = writeln!(
                out,
                "- **Left inconclusive:** {}: {}",
                undecided.join(", "),
                info.undecided_why.as_deref().unwrap_or_default()
            );
        }
        out.push('\n');
    }
}

fn basis(b: Basis) -> &'static str {
    b.as_str()
}

fn source(r: &Rule) -> &'static str {
    match serde_json::to_value(r.source)
        .ok()
        .as_ref()
        .and_then(Value::as_str)
    {
        Some("model") => "the official model",
        Some("docs") => "the AWS documentation",
        _ => "our inference",
    }
}

/// A rule's acceptable outcomes, each in backticks, joined by "or".
fn outcome_list(r: &Rule) -> String {
    r.expect
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_and_every_ambiguity_is_in_the_reasoning_section() {
        let doc = render();
        let section = doc
            .split_once("## Ambiguities and reasoning")
            .map(|(_, s)| s)
            .expect("the section");
        for c in Choice::ALL {
            assert!(section.contains(&format!("#### `{}`", c.name())), "{c}");
            for s in &c.info().sources {
                assert!(section.contains(s.as_str()), "{c}: {s}");
            }
        }
        for r in Catalogue::embedded().rules() {
            if let Some(a) = r.ambiguity.as_deref() {
                assert!(section.contains(a), "{}", r.id);
            }
            if r.basis != Basis::Documented {
                let reasoning = r.inference.as_deref().unwrap_or_default();
                assert!(section.contains(reasoning), "{}", r.id);
            }
        }
    }

    #[test]
    fn every_rule_is_documented_with_its_source() {
        let doc = render();
        for r in Catalogue::embedded().rules() {
            assert!(doc.contains(&format!("### {}: ", r.id)), "{}", r.id);
            assert!(doc.contains(&format!("<{}>", r.url)), "{}", r.id);
        }
    }
}
