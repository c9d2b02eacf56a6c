//! The embedded scenarios load, and the loader names the scenario and the step of what is wrong.

use super::*;
use crate::{Family, Role, RuleId};

#[test]
fn the_embedded_scenarios_load_and_every_family_has_one() {
    let scenarios = parse(SCENARIOS_TOML).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenarios, all());
    for family in Family::ALL {
        if family.is_client_side() {
            continue; // judged from a client's recording, not from an endpoint's answers
        }
        assert!(
            all().iter().any(|s| s.rule.family() == family
                || s.illustrates.iter().any(|i| i.rule.family() == family)),
            "no scenario for {family}"
        );
    }
    assert_eq!(
        by_name("happy-path").map(|s| s.rule),
        Some(RuleId::OwnBothOwned)
    );
}

#[test]
fn a_step_reads_as_its_request() {
    let s = by_name("own-outsider").expect("scenario");
    assert_eq!(s.roles(), [Role::Owner, Role::Outsider]);
    let get = &s.steps[2];
    assert_eq!(
        (get.label.as_str(), get.by),
        ("get as outsider", Role::Outsider)
    );
    assert_eq!(
        get.call,
        ScenarioCall::Get(Field::Ref(Reference::Step {
            index: 0,
            member: Member::Arn
        }))
    );
    let create = by_name("idemp-token-forms").expect("scenario");
    let ScenarioCall::Create(body) = &create.steps[0].call else {
        panic!("not a create");
    };
    assert_eq!(
        body.to_string(),
        r#"{"serviceIdentifier":"${r0}","serviceNetworkIdentifier":"${r1}","clientToken":"${token:a:64}"}"#
    );
    assert_eq!(
        by_name("happy-path").unwrap().shows(RuleId::LifeDeleteGone),
        Some("get after delete")
    );
    assert_eq!(
        by_name("happy-path").unwrap().shows(RuleId::HttpSnapshot),
        Some("")
    );
}

/// A one-scenario file around these steps (two owner resources, `r0` and `r1`).
fn file(steps: &str) -> String {
    format!(
        "[[scenario]]\nname = \"broken\"\nrule = \"IDEMP-REPLAY\"\nsummary = \"x\"\n\
         setup = [{{ service = \"owner\" }}, {{ network = \"owner\" }}]\n{steps}"
    )
}

const CREATE: &str = "[[scenario.step]]\nlabel = \"create\"\nby = \"owner\"\n\
    create = { serviceIdentifier = { setup = 0 }, serviceNetworkIdentifier = { setup = 1 } }\n";

fn error(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("loads:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_reference_to_a_missing_step_names_the_scenario_and_the_step() {
    let text = file(&format!(
        "{CREATE}[[scenario.step]]\nlabel = \"get it\"\nby = \"owner\"\nget = {{ step = \"craete\" }}\n"
    ));
    let e = error(&text);
    assert!(e.contains("scenario `broken`, step `get it` (s1)"), "{e}");
    assert!(
        e.contains("`{ step = \"craete\" }` names no earlier step"),
        "{e}"
    );
    assert_eq!(
        parse(&text),
        Err(ScenarioError::Invalid {
            scenario: "broken".into(),
            place: Place::Step { index: 1, label: "get it".into() },
            message: "`{ step = \"craete\" }` names no earlier step (hint: a step refers to the answer of a step before it, by label)".into(),
        })
    );
}

#[rstest::rstest]
#[case::later_step(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = { step = \"later\" }\n[[scenario.step]]\nlabel = \"later\"\nby = \"owner\"\nget = \"x\"\n",
    "step `get` (s1): `{ step = \"later\" }` names no earlier step"
)]
#[case::step_without_answer(
    "[[scenario.step]]\nlabel = \"wait\"\nby = \"owner\"\nsettle = { step = \"create\" }\n[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = { step = \"wait\" }\n",
    "step `get` (s2): `{ step = \"wait\" }` names a step that sends no request"
)]
#[case::missing_setup(
    "[[scenario.step]]\nlabel = \"list\"\nby = \"owner\"\nlist = { serviceNetworkIdentifier = { setup = 2 } }\n",
    "step `list` (s1): `{ setup = 2 }` names no setup resource (this scenario sets up 2)"
)]
#[case::duplicate_label(
    "[[scenario.step]]\nlabel = \"create\"\nby = \"owner\"\nget = \"snsa-00000000000000000\"\n",
    "step `create` (s1): an earlier step has this label"
)]
#[case::two_calls(
    "[[scenario.step]]\nlabel = \"both\"\nby = \"owner\"\nget = \"x\"\ndelete = \"x\"\n",
    "step `both` (s1): a step has exactly one of `create`"
)]
#[case::two_kinds(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = { setup = 0, token = \"a\" }\n",
    "a reference has exactly one of `setup`, `step`, `token`, `repeat`"
)]
#[case::misspelt_reference(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = { setpu = 0 }\n",
    "step `get` (s1): not a reference: unknown field `setpu`"
)]
#[case::number_as_identifier(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = 7\n",
    "step `get` (s1): `7` where a string or a reference belongs"
)]
#[case::unshare_of_a_network(
    "[[scenario.step]]\nlabel = \"end\"\nby = \"owner\"\nunshare = { setup = 1 }\n",
    "step `end` (s1): `unshare` names `r1`, which is not a share"
)]
#[case::unknown_sign(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nsign = \"sigv2\"\nget = \"x\"\n",
    "step `get` (s1): unknown sign `sigv2` (hint: one of sigv4, unsigned"
)]
#[case::raw_with_members(
    "[[scenario.step]]\nlabel = \"raw\"\nby = \"owner\"\ncreate = { raw = \"{\", clientToken = \"t\" }\n",
    "step `raw` (s1): a `raw` body has no other member"
)]
#[case::stray_times(
    "[[scenario.step]]\nlabel = \"get\"\nby = \"owner\"\nget = { token = \"a\", times = 3 }\n",
    "`times` belongs to a `repeat` reference"
)]
fn broken_steps_are_refused_with_their_place(#[case] step: &str, #[case] expected: &str) {
    let e = error(&file(&format!("{CREATE}{step}")));
    assert!(
        e.starts_with("`specs/scenarios.toml`: scenario `broken`"),
        "{e}"
    );
    assert!(e.contains(expected), "{e}\n(expected `{expected}`)");
}

#[test]
fn broken_setups_illustrations_and_files_are_refused() {
    let with_create = |from: &str, to: &str| file(CREATE).replace(from, to);
    let cases = [
        (
            with_create(
                "{ network = \"owner\" }]",
                "{ network = \"owner\" }, { share = 1, with = \"peer\" }, { share = 2, with = \"owner\" }]",
            ),
            "scenario `broken`, setup `r3`: `r2` is a share",
        ),
        (
            with_create("[{ service", "[{ share = 1, with = \"peer\" }, { service"),
            "scenario `broken`, setup `r0`: shares `r1`, which is not set up before it",
        ),
        (
            with_create(
                "summary = \"x\"\n",
                "summary = \"x\"\nillustrates = [{ rule = \"HTTP-SNAPSHOT\", step = \"nope\" }]\n",
            ),
            "scenario `broken`, illustrates `HTTP-SNAPSHOT`: no step `nope`",
        ),
        (
            format!("{}\n{}", file(CREATE), file(CREATE)),
            "scenario `broken`: a second scenario has this name",
        ),
        (
            with_create("by = \"owner\"", "by = \"owner\"\nwho = \"me\""),
            "unknown field `who`",
        ),
        (file(""), "scenario `broken`: no step"),
        (
            with_create("name = \"broken\"", "name = \"Broken\""),
            "scenario `Broken`: a name is lower-case letters",
        ),
    ];
    for (text, expected) in cases {
        let e = error(&text);
        assert!(e.contains(expected), "{e}\n(expected `{expected}`)");
    }
}

#[test]
fn an_unknown_rule_id_is_refused_at_its_line() {
    let e = error(&file(CREATE).replace("IDEMP-REPLAY", "IDEMP-REPLAYED"));
    assert!(e.contains("does not parse"), "{e}");
    assert!(e.contains("unknown rule `IDEMP-REPLAYED`"), "{e}");
    assert!(e.contains("line 3"), "the position of the bad rule id: {e}");
}
