//! Generates one test per canonical scenario for `tests/integration/snapshots.rs`:
//! `scenario_{name}` (`-` as `_`), so that `cargo test --test integration scenario_happy_path`
//! runs just that one. The names come from the `name = "..."` line of each `[[scenario]]` in
//! `specs/scenarios.toml`; lattice-spec reads and checks the whole file, and the test
//! `snapshots::the_generated_tests_are_the_scenarios` checks these names against it.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let path = manifest.join("specs/scenarios.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("specs/scenarios.toml is readable");
    let mut out = String::from(
        "/// The scenarios the tests below were generated from, in file order.\n\
         const GENERATED: &[&str] = &[\n",
    );
    let names = names(&text);
    for name in &names {
        let _ = writeln!(out, "    {name:?},");
    }
    out.push_str("];\n");
    for name in &names {
        let _ = write!(
            out,
            "\n/// `snapshots/{name}.snap`.\n\
             #[tokio::test(flavor = \"multi_thread\", worker_threads = 2)]\n\
             async fn scenario_{}() {{\n    scenario_matches_its_snapshot({name:?}).await;\n}}\n",
            name.replace('-', "_")
        );
    }
    let target =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("scenario_tests.rs");
    std::fs::write(target, out).expect("write the scenario tests");
}

/// The `name` of every `[[scenario]]` table (the key line before the table's first sub-table).
fn names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_scenario = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_scenario = line == "[[scenario]]";
            continue;
        }
        let Some(value) = line.strip_prefix("name") else {
            continue;
        };
        let Some(value) = value.trim_start().strip_prefix('=') else {
            continue;
        };
        if in_scenario {
            let name = value.trim().trim_matches('"');
            assert!(
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "specs/scenarios.toml: scenario name `{name}` (hint: write `name = \"lower-case-words\"`)"
            );
            names.push(name.to_owned());
        }
    }
    names
}
