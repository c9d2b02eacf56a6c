//! `specs/CONTRACT.md` is generated (`lattice-conformance docs`) from the rule catalogue and the
//! committed snapshots; these tests fail when the committed file is stale or incomplete.

use std::path::Path;

use lattice_report::{diff, docs};
use lattice_spec::Catalogue;

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(docs::CONTRACT_PATH);
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn the_committed_contract_documentation_is_current() {
    let (old, new) = (committed(), docs::render());
    assert!(
        old == new,
        "specs/CONTRACT.md is stale (hint: `cargo run -- docs` rewrites it):\n{}",
        diff::unified(&old, &new, 2)
    );
}

#[test]
fn every_rule_is_linked_to_its_source_and_has_an_example_or_a_reason() {
    let doc = committed();
    for rule in Catalogue::embedded().rules() {
        let start = doc
            .find(&format!("### {}: ", rule.id))
            .unwrap_or_else(|| panic!("{} has no section", rule.id));
        let section = &doc[start..];
        let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
        assert!(
            section.contains(&format!("<{}>", rule.url)),
            "{}: no source link",
            rule.id
        );
        assert!(section.contains("- **Basis:** "), "{}: no basis", rule.id);
        assert!(
            section.contains("- **Checked by:** "),
            "{}: no check",
            rule.id
        );
        assert!(
            section.contains("- **Example:** "),
            "{}: no example",
            rule.id
        );
        if rule.is_ambiguous() {
            assert!(section.contains("(ambiguous)"), "{}: outcomes", rule.id);
        }
    }
}
