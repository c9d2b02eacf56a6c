//! Compares an endpoint's rendering of a canonical scenario with the committed snapshot as far as
//! the contract fixes it (rule HTTP-SNAPSHOT). The snapshot records what the reference endpoint
//! answered; another conformant endpoint may answer differently where the contract leaves a
//! choice, so the comparison accepts:
//!
//! - at a step the scenario marks `judged_by = RULE`, any outcome that rule accepts (a different
//!   acceptable outcome is checked for the shape of that outcome only, since its body differs);
//! - a `status` of `ACTIVE` where the snapshot has `CREATE_IN_PROGRESS` (and the reverse): both
//!   are what an association may report while or after it is created (LIFE-REACHES-ACTIVE);
//! - any text in `message`, any enum value in `reason` (VAL-ERROR-SHAPE judges it), any string in
//!   `resourceType`, and any number of well-formed `fieldList` entries or none (it is optional);
//! - a `resourceId` that names the same resource by its id or by its ARN (which one is
//!   undocumented);
//! - optional members absent, and members the snapshot does not have (clients ignore them).
//!
//! It still catches a changed status or error type, a missing required member (of the error
//! shape, or `id`/`arn`/`status`/`items` where the snapshot has them), a member of another JSON
//! type, a changed literal value, and a broken identity relation (a placeholder such as
//! `[snsa-1]` that names another value than in the snapshot).

use serde_json::{Map, Value};

use lattice_spec::scenario::Scenario;
use lattice_spec::{ErrorType, ExpectedOutcome};

/// Members a success body must keep where the snapshot has them: they carry the identity the
/// other steps refer to.
const KEPT_SUCCESS_MEMBERS: &[&str] = &["id", "arn", "status", "items"];

/// Statuses that are one another's alternative at the same point of the lifecycle.
const STATUS_ALTERNATIVES: &[&str] = &["CREATE_IN_PROGRESS", "ACTIVE"];

/// The differences that matter between the committed document and this endpoint's, one line
/// each (`step `create`: …`); empty when the endpoint honours everything the snapshot fixes.
pub fn differences(scenario: &Scenario, committed: &Value, found: &Value) -> Vec<String> {
    let (old, new) = (steps(committed), steps(found));
    let labels = |s: &[Value]| -> Vec<String> {
        s.iter()
            .map(|x| x["step"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    if labels(old) != labels(new) {
        return vec![format!(
            "the steps: the snapshot has {:?}, this endpoint {:?}",
            labels(old),
            labels(new)
        )];
    }
    let mut out = Vec::new();
    for (o, n) in old.iter().zip(new) {
        let label = o["step"].as_str().unwrap_or_default();
        let judged_by = scenario
            .steps
            .iter()
            .find(|s| s.label == label)
            .and_then(|s| s.judged_by);
        let mut diff = Diff {
            out: &mut out,
            at: format!("step `{label}`"),
        };
        diff.step(
            o,
            n,
            judged_by.map(|r| r.rule().outcomes()).unwrap_or_default(),
        );
    }
    out
}

fn steps(doc: &Value) -> &[Value] {
    doc.get("steps")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Where the comparison is, and the lines it found.
struct Diff<'a> {
    out: &'a mut Vec<String>,
    at: String,
}

impl Diff<'_> {
    fn push(&mut self, what: String) {
        self.out.push(format!("{}: {what}", self.at));
    }

    fn step(&mut self, o: &Value, n: &Value, acceptable: Vec<ExpectedOutcome>) {
        for key in ["notSent", "noResponse", "request", "requestBody"] {
            if o.get(key) != n.get(key) {
                self.push(format!(
                    "{key}: the snapshot has {}, this endpoint {}",
                    show(o.get(key)),
                    show(n.get(key))
                ));
            }
        }
        let outcome = |s: &Value| {
            (
                s["status"].as_u64(),
                s["errorType"].as_str().map(str::to_owned),
            )
        };
        let (old, new) = (outcome(o), outcome(n));
        if old == new {
            self.same_outcome(o, n);
            return;
        }
        let status = new.0.and_then(|s| u16::try_from(s).ok()).unwrap_or(0);
        if acceptable
            .iter()
            .any(|a| a.admits(status, new.1.as_deref()))
        {
            self.other_outcome(n, new.1.as_deref());
            return;
        }
        self.push(format!(
            "answered {} where the snapshot has {}{}",
            show_outcome(&new),
            show_outcome(&old),
            if acceptable.is_empty() {
                String::new()
            } else {
                format!(
                    " (acceptable: {})",
                    lattice_checks::case::outcomes_text(&acceptable)
                )
            }
        ));
    }

    /// The same outcome as the snapshot: the content type and the body as the contract fixes them.
    fn same_outcome(&mut self, o: &Value, n: &Value) {
        if o.get("contentType") != n.get("contentType") {
            self.push(format!(
                "content type {} where the snapshot has {}",
                show(n.get("contentType")),
                show(o.get("contentType"))
            ));
        }
        let error = o["errorType"].as_str().and_then(ErrorType::from_wire);
        let required: Vec<&str> = match error {
            Some(e) => e.required_members().to_vec(),
            None => KEPT_SUCCESS_MEMBERS.to_vec(),
        };
        let at = std::mem::take(&mut self.at);
        self.at = format!("{at}, body");
        self.value(&o["body"], &n["body"], "", &required);
        self.at = at;
    }

    /// Another outcome the step's rule accepts: its body has that outcome's required members.
    fn other_outcome(&mut self, n: &Value, error: Option<&str>) {
        let body = n.get("body").and_then(Value::as_object);
        if let Some(e) = error.and_then(ErrorType::from_wire) {
            for m in e.required_members() {
                if !body.is_some_and(|b| b.get(*m).is_some_and(Value::is_string)) {
                    self.push(format!("{} lacks its required member `{m}`", e.name()));
                }
            }
        } else if error.is_none() && body.is_none() {
            self.push("a success without a JSON object body".into());
        }
    }

    /// Compares a value of the snapshot with this endpoint's; `key` is the member it is the
    /// value of, and `required` the members an object must keep (top level only).
    fn value(&mut self, o: &Value, n: &Value, key: &str, required: &[&str]) {
        match key {
            "message" | "reason" | "resourceType" => return self.kind(o, n, key),
            "resourceId" if same_resource(o, n) => return,
            "fieldList" => return self.field_list(n),
            "status" if is_alternative(o) && is_alternative(n) => return,
            _ => {}
        }
        match (o, n) {
            (Value::Object(a), Value::Object(b)) => self.object(a, b, required),
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (x, y) in a.iter().zip(b) {
                    self.value(x, y, key, &[]);
                }
            }
            (Value::Array(a), Value::Array(b)) => self.push(format!(
                "`{key}` has {} entries where the snapshot has {}",
                b.len(),
                a.len()
            )),
            _ if o == n => {}
            _ => self.push(format!(
                "`{key}` is {} where the snapshot has {}",
                show(Some(n)),
                show(Some(o))
            )),
        }
    }

    fn object(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, required: &[&str]) {
        for (k, v) in a {
            match b.get(k) {
                Some(w) => self.value(v, w, k, &[]),
                None if required.contains(&k.as_str()) => {
                    self.push(format!("the required member `{k}` is missing"));
                }
                None => {}
            }
        }
    }

    /// Free values: only their JSON type is fixed.
    fn kind(&mut self, o: &Value, n: &Value, key: &str) {
        if std::mem::discriminant(o) != std::mem::discriminant(n) {
            self.push(format!(
                "`{key}` is {} where the snapshot has a value of another JSON type, {}",
                show(Some(n)),
                show(Some(o))
            ));
        }
    }

    /// `fieldList` is optional, of any length; each entry has a `name` and a `message`.
    fn field_list(&mut self, n: &Value) {
        let Some(items) = n.as_array() else {
            self.push(format!("`fieldList` is {}, not a list", show(Some(n))));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            for m in ["name", "message"] {
                if !item.get(m).is_some_and(Value::is_string) {
                    self.push(format!("`fieldList[{i}]` lacks its required member `{m}`"));
                }
            }
        }
    }
}

/// Whether two redacted identifiers name the same resource, one by its id placeholder
/// (`[snsa-1]`) and the other by an ARN ending in it (`arn:…:servicenetworkserviceassociation/[snsa-1]`),
/// or both alike.
fn same_resource(o: &Value, n: &Value) -> bool {
    let id = |v: &Value| {
        v.as_str()
            .map(|s| s.rsplit_once('/').map_or(s, |(_, id)| id).to_owned())
    };
    id(o).is_some() && id(o) == id(n)
}

fn is_alternative(v: &Value) -> bool {
    v.as_str().is_some_and(|s| STATUS_ALTERNATIVES.contains(&s))
}

fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "nothing".into(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 120 {
                format!("{}…", s.chars().take(120).collect::<String>())
            } else {
                s
            }
        }
    }
}

fn show_outcome(o: &(Option<u64>, Option<String>)) -> String {
    match o {
        (Some(s), Some(e)) => format!("{s} {e}"),
        (Some(s), None) => s.to_string(),
        (None, _) => "no answer".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn scenario(name: &str) -> &'static Scenario {
        lattice_spec::scenario::by_name(name).expect("a scenario of specs/scenarios.toml")
    }

    fn doc(steps: Value) -> Value {
        json!({ "scenario": "x", "rule": "X", "steps": steps })
    }

    fn create(status: u64, error: Option<&str>, body: Value) -> Value {
        json!({"step": "create", "request": "POST / as owner (sigv4)", "status": status,
               "errorType": error, "contentType": "application/json", "body": body})
    }

    #[test]
    fn another_status_of_creation_and_optional_members_absent_are_accepted() {
        let s = scenario("happy-path");
        let old = doc(json!([create(
            200,
            None,
            json!({"id": "[snsa-1]", "arn": "[arn-1]",
            "status": "CREATE_IN_PROGRESS", "dnsEntry": {"domainName": "[domain-1]"}})
        )]));
        let new = doc(json!([create(
            200,
            None,
            json!({"id": "[snsa-1]", "arn": "[arn-1]",
            "status": "ACTIVE", "customDomainName": "[string]"})
        )]));
        assert_eq!(differences(s, &old, &new), Vec::<String>::new());
    }

    #[test]
    fn a_changed_identity_type_or_required_member_is_caught() {
        let s = scenario("happy-path");
        let old = doc(json!([create(
            200,
            None,
            json!({"id": "[snsa-1]", "arn": "[arn-1]",
            "status": "ACTIVE"})
        )]));
        for body in [
            json!({"id": "[snsa-2]", "arn": "[arn-1]", "status": "ACTIVE"}),
            json!({"id": 7, "arn": "[arn-1]", "status": "ACTIVE"}),
            json!({"arn": "[arn-1]", "status": "ACTIVE"}),
            json!({"id": "[snsa-1]", "arn": "[arn-1]", "status": "DELETE_IN_PROGRESS"}),
        ] {
            let new = doc(json!([create(200, None, body.clone())]));
            assert_eq!(differences(s, &old, &new).len(), 1, "{body}");
        }
    }

    #[test]
    fn validation_details_are_free_but_their_shape_is_not() {
        let s = scenario("val-svc-length");
        let field = json!({"name": "[string]", "message": "[message]"});
        let old = doc(json!([create(
            400,
            Some("ValidationException"),
            json!({"message": "[message]",
            "reason": "fieldValidationFailed", "fieldList": [field.clone(), field.clone()]})
        )]));
        for body in [
            json!({"message": "[message]", "reason": "other", "fieldList": [field.clone()]}),
            json!({"message": "[message]", "reason": "fieldValidationFailed"}),
        ] {
            let new = doc(json!([create(400, Some("ValidationException"), body)]));
            assert_eq!(differences(s, &old, &new), Vec::<String>::new());
        }
        let broken = doc(json!([create(
            400,
            Some("ValidationException"),
            json!({"message": "[message]", "fieldList": [{"name": "[string]"}]})
        )]));
        assert_eq!(differences(s, &old, &broken).len(), 2);
        let other = doc(json!([create(409, Some("ConflictException"), json!({}))]));
        assert_eq!(differences(s, &old, &other).len(), 1);
    }

    #[test]
    fn a_resource_named_by_its_arn_instead_of_its_id_is_the_same_resource() {
        let s = scenario("exist-service");
        let nf = |id: &str| {
            doc(json!([create(
                404,
                Some("ResourceNotFoundException"),
                json!({"message": "[message]", "resourceId": id, "resourceType": "[string]"})
            )]))
        };
        let old = nf("[svc-1]");
        let arn = nf("arn:[partition]:vpc-lattice:[region]:[account-owner]:service/[svc-1]");
        assert_eq!(differences(s, &old, &arn), Vec::<String>::new());
        assert_eq!(differences(s, &arn, &old), Vec::<String>::new());
        let other = nf("arn:[partition]:vpc-lattice:[region]:[account-owner]:service/[svc-2]");
        assert_eq!(differences(s, &old, &other).len(), 1);
    }

    #[test]
    fn a_step_judged_by_an_ambiguous_rule_accepts_its_other_outcomes() {
        let s = scenario("own-both-shared");
        let old = doc(json!([create(
            403,
            Some("AccessDeniedException"),
            json!({"message": "[message]"})
        )]));
        let nf = doc(json!([create(
            404,
            Some("ResourceNotFoundException"),
            json!({"message": "m", "resourceId": "r", "resourceType": "SERVICE"})
        )]));
        assert_eq!(differences(s, &old, &nf), Vec::<String>::new());
        let bare = doc(json!([create(
            404,
            Some("ResourceNotFoundException"),
            json!({"message": "m"})
        )]));
        assert_eq!(differences(s, &old, &bare).len(), 2);
        let ok = doc(json!([create(200, None, json!({"id": "[snsa-1]"}))]));
        assert_eq!(differences(s, &old, &ok).len(), 1);
    }
}
