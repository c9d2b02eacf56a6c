//! Failure injection: a plan of the associations whose creation ends `CREATE_FAILED` or whose
//! deletion ends `DELETE_FAILED` (`serve --fail-create`, `--fail-delete`), so that clients and
//! rules can meet the failed statuses a conformant endpoint otherwise never shows.

use std::fmt;

/// The step of an association's lifecycle that a plan makes fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailStep {
    /// Creation: the association ends `CREATE_FAILED` instead of `ACTIVE`.
    Create,
    /// Deletion: the association ends `DELETE_FAILED` instead of being gone.
    Delete,
}

impl FailStep {
    /// `create` or `delete`, as the plan's `#N` entries are written.
    pub fn name(self) -> &'static str {
        match self {
            FailStep::Create => "create",
            FailStep::Delete => "delete",
        }
    }
}

/// Which associations a step fails for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailOn {
    /// The n-th association created (for [`FailStep::Create`]), or the n-th deletion started
    /// (for [`FailStep::Delete`]; a retry is a deletion of its own), counting from 1 across
    /// every account since the endpoint started or was last reset. Written `create#N` or
    /// `delete#N`.
    Nth(usize),
    /// Every association (every deletion of every association, for [`FailStep::Delete`]) of
    /// the service with this name or id, in any account. Written `service=NAME_OR_ID`.
    Service(String),
}

/// One plan entry, written as it is parsed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a>(pub(crate) FailStep, pub(crate) &'a FailOn);

impl fmt::Display for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            FailOn::Nth(n) => write!(f, "{}#{n}", self.0.name()),
            FailOn::Service(s) => write!(f, "service={s}"),
        }
    }
}

/// Which associations fail to be created and which fail to be deleted (default: none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailurePlan {
    /// Associations whose creation fails.
    pub create: Vec<FailOn>,
    /// Deletions that fail.
    pub delete: Vec<FailOn>,
}

impl FailurePlan {
    /// Adds a comma-separated plan for `step`: `create#N` (for deletion `delete#N`) and
    /// `service=NAME_OR_ID` entries.
    pub fn add(&mut self, step: FailStep, spec: &str) -> Result<(), String> {
        for entry in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let on = parse_entry(step, entry)?;
            self.entries_mut(step).push(on);
        }
        Ok(())
    }

    /// The entries for `step`.
    pub fn entries(&self, step: FailStep) -> &[FailOn] {
        match step {
            FailStep::Create => &self.create,
            FailStep::Delete => &self.delete,
        }
    }

    fn entries_mut(&mut self, step: FailStep) -> &mut Vec<FailOn> {
        match step {
            FailStep::Create => &mut self.create,
            FailStep::Delete => &mut self.delete,
        }
    }

    /// The plan for `step` as it is written (`create#2,service=billing`); empty when none.
    pub fn describe(&self, step: FailStep) -> String {
        let entries: Vec<String> = self
            .entries(step)
            .iter()
            .map(|on| Entry(step, on).to_string())
            .collect();
        entries.join(",")
    }

    /// The first entry that makes `step` fail for the `nth` association created (deletion
    /// started) of the service with this id and name, written as in the plan.
    pub(crate) fn matching(
        &self,
        step: FailStep,
        nth: usize,
        service_id: &str,
        service_name: Option<&str>,
    ) -> Option<String> {
        self.entries(step)
            .iter()
            .find(|on| match on {
                FailOn::Nth(n) => *n == nth,
                FailOn::Service(s) => s == service_id || Some(s.as_str()) == service_name,
            })
            .map(|on| Entry(step, on).to_string())
    }
}

fn parse_entry(step: FailStep, entry: &str) -> Result<FailOn, String> {
    let bad = || {
        format!(
            "bad {step} failure `{entry}` (hint: {step}#N, N counting from 1, or service=NAME_OR_ID)",
            step = step.name()
        )
    };
    if let Some(service) = entry.strip_prefix("service=") {
        return if service.is_empty() {
            Err(bad())
        } else {
            Ok(FailOn::Service(service.to_owned()))
        };
    }
    entry
        .strip_prefix(step.name())
        .and_then(|rest| rest.strip_prefix('#'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .map(FailOn::Nth)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse_and_are_written_back_as_given() {
        let mut plan = FailurePlan::default();
        plan.add(FailStep::Create, "create#2, service=billing")
            .unwrap();
        plan.add(FailStep::Delete, "delete#1").unwrap();
        assert_eq!(
            plan.create,
            [FailOn::Nth(2), FailOn::Service("billing".into())]
        );
        assert_eq!(plan.describe(FailStep::Create), "create#2,service=billing");
        assert_eq!(plan.describe(FailStep::Delete), "delete#1");
        for bad in [
            "create#0", "create#x", "delete#1", "service=", "2", "create",
        ] {
            let err = FailurePlan::default()
                .add(FailStep::Create, bad)
                .unwrap_err();
            assert!(err.contains("hint"), "{bad}: {err}");
        }
    }

    #[test]
    fn an_entry_matches_by_position_or_by_service_name_or_id() {
        let mut plan = FailurePlan::default();
        plan.add(FailStep::Create, "create#3,service=billing,service=svc-9")
            .unwrap();
        let m = |nth, id, name| plan.matching(FailStep::Create, nth, id, name);
        assert_eq!(m(3, "svc-1", None).as_deref(), Some("create#3"));
        assert_eq!(m(2, "svc-1", Some("other")), None);
        assert_eq!(
            m(1, "svc-1", Some("billing")).as_deref(),
            Some("service=billing")
        );
        assert_eq!(m(1, "svc-9", None).as_deref(), Some("service=svc-9"));
        assert_eq!(plan.matching(FailStep::Delete, 3, "svc-1", None), None);
    }
}
