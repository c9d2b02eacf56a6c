//! Rule ids, generated from the catalogue (`specs/rules.toml`) by the build script: [`RuleId`]
//! for every rule, [`Check`] and [`Property`] with the rules each one covers, and one enum per
//! check (`ValidationRule`, `IdempotencyRule`, …). Adding a `[[rule]]` to the catalogue adds its
//! variant everywhere; code that matches over a check's enum then names what the new rule lacks.

use std::fmt;

include!(concat!(env!("OUT_DIR"), "/rule_ids.rs"));

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = crate::SpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::from_id(s).ok_or_else(|| {
            crate::SpecError::Catalogue(format!(
                "unknown rule `{s}` (hint: `lattice-conformance rules` lists them)"
            ))
        })
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        RuleId::from_id(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{s}`")))
    }
}

impl RuleId {
    /// Whether the rule matches a selection pattern: its exact id, its family (`OWN`), or a
    /// prefix ending in `*` (`VAL-SVC-*`).
    pub fn matches(self, pattern: &str) -> bool {
        let p = pattern.trim();
        if p.is_empty() {
            return false;
        }
        let id = self.as_str();
        match p.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => id == p || self.family().as_str() == p,
        }
    }

    /// The first selection pattern that matches no rule of the catalogue, if any (a typo in
    /// `--rules` is a usage error, never a silently smaller run).
    pub fn unknown_pattern(patterns: &[String]) -> Option<&str> {
        patterns
            .iter()
            .map(|p| p.trim())
            .find(|p| !p.is_empty() && !Self::ALL.iter().any(|r| r.matches(p)))
    }

    /// The catalogue entry of this rule.
    pub fn rule(self) -> &'static crate::Rule {
        crate::Catalogue::embedded().rule(self)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_follow_the_catalogue_order() {
        let cat = crate::Catalogue::embedded();
        assert_eq!(RuleId::ALL.len(), cat.rules().len());
        for (id, rule) in RuleId::ALL.iter().zip(cat.rules()) {
            assert_eq!(id.as_str(), rule.id);
            assert_eq!(RuleId::from_id(&rule.id), Some(*id));
            assert_eq!(id.check().name(), rule.check);
            assert_eq!(id.family(), rule.family);
            assert!(id.check().rules().contains(id));
        }
        assert_eq!(RuleId::from_id("NOPE-X"), None);
    }

    #[test]
    fn every_rule_of_a_check_enum_maps_back() {
        for r in ValidationRule::ALL {
            assert_eq!(ValidationRule::try_from(r.id()), Ok(*r));
            assert_eq!(r.id().check(), Check::Validation);
        }
        assert_eq!(
            ValidationRule::try_from(RuleId::IdempReplay),
            Err(RuleId::IdempReplay)
        );
    }

    #[test]
    fn unknown_patterns_are_named() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            RuleId::unknown_pattern(&p(&["VAL-SVC-REQUIRED", "OWN", "VAL-*"])),
            None
        );
        assert_eq!(
            RuleId::unknown_pattern(&p(&["VAL-SVC-REQUIRED", "NOPE-X", "ALSO-NOPE"])),
            Some("NOPE-X")
        );
        assert_eq!(RuleId::unknown_pattern(&p(&["ZZZ-*"])), Some("ZZZ-*"));
        assert_eq!(RuleId::unknown_pattern(&p(&[" ", ""])), None);
    }
}
