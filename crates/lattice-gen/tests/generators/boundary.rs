//! The deterministic boundary sets.

use std::collections::BTreeSet;

use lattice_gen::{
    boundary_inputs, boundary_inputs_with, boundary_valid_bodies, boundary_valid_bodies_with,
    generated_rules, RawBody,
};

use crate::support::{assert_breaks_exactly_its_rule, assert_valid, str_member};

#[test]
fn every_boundary_input_breaks_exactly_its_rule() {
    for input in boundary_inputs() {
        assert_breaks_exactly_its_rule(&input);
    }
}

#[test]
fn boundary_inputs_cover_every_generated_rule() {
    let labels: BTreeSet<_> = boundary_inputs().iter().map(|i| i.rule).collect();
    let generated: BTreeSet<_> = generated_rules().into_iter().collect();
    assert_eq!(labels, generated);
}

#[test]
fn every_boundary_valid_body_is_valid() {
    let bodies = boundary_valid_bodies();
    assert!(bodies.len() > 40);
    bodies.iter().for_each(assert_valid);
}

#[test]
fn boundary_sets_keep_pinned_identifiers() {
    let (svc, sn) = (
        "svc-00000000000000001",
        "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-00000000000000001",
    );
    for body in boundary_valid_bodies_with(svc.into(), sn.into()) {
        assert_valid(&body);
        assert_eq!(str_member(&body, "serviceIdentifier"), Some(svc));
        assert_eq!(str_member(&body, "serviceNetworkIdentifier"), Some(sn));
    }
    for input in boundary_inputs_with(svc.into(), sn.into()) {
        assert_breaks_exactly_its_rule(&input);
        if let (RawBody::Json(body), false) = (
            &input.body,
            input.rule.id().as_str().starts_with("VAL-SVC-")
                || input.rule.id().as_str().starts_with("VAL-BODY-"),
        ) {
            assert_eq!(
                str_member(body, "serviceIdentifier"),
                Some(svc),
                "{}",
                input.note
            );
        }
    }
}

#[test]
fn identifier_edges_reach_both_length_bounds() {
    let lens: BTreeSet<usize> = boundary_valid_bodies()
        .iter()
        .flat_map(|b| {
            [
                str_member(b, "serviceIdentifier"),
                str_member(b, "serviceNetworkIdentifier"),
            ]
        })
        .flatten()
        .map(|s| s.chars().count())
        .collect();
    for n in [20, 21, 62, 68, 2047, 2048] {
        assert!(lens.contains(&n), "no identifier of {n} characters");
    }
}

#[test]
fn boundary_sets_are_deterministic() {
    let a: Vec<Vec<u8>> = boundary_inputs()
        .iter()
        .map(|i| i.body.to_bytes())
        .collect();
    let b: Vec<Vec<u8>> = boundary_inputs()
        .iter()
        .map(|i| i.body.to_bytes())
        .collect();
    assert_eq!(a, b);
    assert_eq!(boundary_valid_bodies(), boundary_valid_bodies());
}
