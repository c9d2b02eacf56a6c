//! Routing: which operation a method and (percent-encoded) path are bound to, and the decoded
//! query parameters.

use lattice_spec::operations::Operation;

/// The test-only reset hook (unsigned), like moto's `/moto-api/reset`.
pub(crate) const RESET_PATH: &str = "/__reference/reset";

/// The test-only census (unsigned `GET`): services, service networks and associations alive
/// now, the most alive at once, and created in all; requests received and rate-limited.
pub(crate) const CENSUS_PATH: &str = "/__reference/census";

/// An operation and its raw (still percent-encoded) path label, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    /// The operation bound to the method and path.
    pub(crate) op: Operation,
    /// The single path label, as received.
    pub(crate) label: Option<String>,
}

/// Finds the operation bound to `method` and `path`; `None` when nothing is bound.
pub(crate) fn route(method: &str, path: &str) -> Option<Route> {
    use Operation::*;
    let trimmed = path.strip_prefix('/')?;
    let segments: Vec<&str> = trimmed.split('/').collect();
    let (op, label) = match (method, segments.as_slice()) {
        ("POST", ["servicenetworkserviceassociations"]) => {
            (CreateServiceNetworkServiceAssociation, None)
        }
        ("GET", ["servicenetworkserviceassociations"]) => {
            (ListServiceNetworkServiceAssociations, None)
        }
        ("GET", ["servicenetworkserviceassociations", l]) => {
            (GetServiceNetworkServiceAssociation, Some(*l))
        }
        ("DELETE", ["servicenetworkserviceassociations", l]) => {
            (DeleteServiceNetworkServiceAssociation, Some(*l))
        }
        ("POST", ["servicenetworks"]) => (CreateServiceNetwork, None),
        ("GET", ["servicenetworks"]) => (ListServiceNetworks, None),
        ("GET", ["servicenetworks", l]) => (GetServiceNetwork, Some(*l)),
        ("DELETE", ["servicenetworks", l]) => (DeleteServiceNetwork, Some(*l)),
        ("POST", ["services"]) => (CreateService, None),
        ("GET", ["services"]) => (ListServices, None),
        ("GET", ["services", l]) => (GetService, Some(*l)),
        ("DELETE", ["services", l]) => (DeleteService, Some(*l)),
        ("POST", ["tags", l]) => (TagResource, Some(*l)),
        ("DELETE", ["tags", l]) => (UntagResource, Some(*l)),
        ("GET", ["tags", l]) => (ListTagsForResource, Some(*l)),
        ("POST", ["createresourceshare"]) => (CreateResourceShare, None),
        ("POST", ["getresourceshares"]) => (GetResourceShares, None),
        ("POST", ["getresourceshareinvitations"]) => (GetResourceShareInvitations, None),
        ("POST", ["acceptresourceshareinvitation"]) => (AcceptResourceShareInvitation, None),
        ("POST", ["rejectresourceshareinvitation"]) => (RejectResourceShareInvitation, None),
        ("DELETE", ["deleteresourceshare"]) => (DeleteResourceShare, None),
        _ => return None,
    };
    Some(Route {
        op,
        label: label.map(str::to_owned),
    })
}

/// The services this endpoint hosts, by signing name: VPC Lattice first.
pub(crate) const HOSTED: [&str; 2] = ["vpc-lattice", "ram"];

/// The signing names a request may be signed for: its operation's own, or, when no operation
/// is bound to its method and path, either hosted service's, so that an unknown operation is
/// answered as unknown whichever of the two the client signed for.
pub(crate) fn accepted_scopes(found: Option<&Route>) -> &'static [&'static str] {
    match found.map(|r| r.op.signing_name()) {
        Some("ram") => &HOSTED[1..],
        Some(_) => &HOSTED[..1],
        None => &HOSTED,
    }
}

/// The signing name of a path, whatever the method: `ram` for RAM paths, else `vpc-lattice`
/// (the shape of an answer given before the request is routed).
pub(crate) fn signing_name(path: &str) -> &'static str {
    let ram = Operation::ALL
        .iter()
        .any(|op| op.is_ram() && op.path_template() == path);
    if ram {
        "ram"
    } else {
        "vpc-lattice"
    }
}

/// Decoded query parameters, in order; `None` when an escape is broken or not UTF-8.
pub(crate) fn parse_query(query: Option<&str>) -> Option<Vec<(String, String)>> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((decode_component(k)?, decode_component(v)?))
        })
        .collect()
}

/// Decodes one query component: `%XX` escapes and `+` as a space; `None` when broken.
fn decode_component(s: &str) -> Option<String> {
    lattice_spec::operations::decode_label(&s.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_reachable_at_its_modelled_method_and_path() {
        for op in Operation::ALL {
            let path = op.path_template().replace(
                &op.path_template()[op
                    .path_template()
                    .find('{')
                    .unwrap_or(op.path_template().len())..],
                "x",
            );
            let path = if op.path_template().contains('{') {
                path
            } else {
                op.path_template().to_owned()
            };
            let found =
                route(op.method().as_str(), &path).unwrap_or_else(|| panic!("{op:?} {path}"));
            assert_eq!(found.op, op);
            assert_eq!(signing_name(&path), op.signing_name());
            assert_eq!(accepted_scopes(Some(&found)), [op.signing_name()]);
        }
    }

    #[test]
    fn unbound_methods_and_paths_are_not_routed() {
        assert_eq!(route("PUT", "/servicenetworkserviceassociations"), None);
        assert_eq!(route("GET", "/services/a/b"), None);
        assert_eq!(route("GET", ""), None);
        assert_eq!(route("GET", "/"), None);
    }

    #[test]
    fn an_unbound_method_or_path_may_be_signed_for_either_hosted_service() {
        for (method, path) in [("GET", "/nothing"), ("PUT", "/createresourceshare")] {
            assert_eq!(accepted_scopes(route(method, path).as_ref()), HOSTED);
        }
    }

    #[test]
    fn query_components_are_decoded() {
        assert_eq!(
            parse_query(Some("tagKeys=a%20b&tagKeys=c+d&flag")),
            Some(vec![
                ("tagKeys".into(), "a b".into()),
                ("tagKeys".into(), "c d".into()),
                ("flag".into(), String::new())
            ])
        );
        assert_eq!(parse_query(Some("k=%G1")), None);
        assert_eq!(parse_query(Some("k=%FF")), None);
    }
}
