//! Credentials: static keys, the environment, or a profile of the shared credentials file.
//! Secrets are wrapped so that no `Debug`, `Display` or report can show them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::errors::TransportError;

/// A secret string: prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The secret itself: only for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A principal's signing credentials.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The access key id (not secret; printed to say who signed).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token, for temporary credentials.
    pub session_token: Option<Secret>,
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from `env`.
pub fn from_environment(
    role: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, TransportError> {
    let missing = |var: &str| TransportError::Credentials {
        role: role.to_owned(),
        message: format!("`{var}` is not set (hint: export it, or name a profile in the target)"),
    };
    let access_key_id = env("AWS_ACCESS_KEY_ID")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("AWS_ACCESS_KEY_ID"))?;
    let secret = env("AWS_SECRET_ACCESS_KEY")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("AWS_SECRET_ACCESS_KEY"))?;
    Ok(Credentials {
        access_key_id,
        secret_access_key: Secret::new(secret),
        session_token: env("AWS_SESSION_TOKEN")
            .filter(|s| !s.is_empty())
            .map(Secret::new),
    })
}

/// Parses the shared credentials file's INI text into profile → key → value.
pub fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut section = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            let name = name
                .strip_prefix("profile ")
                .unwrap_or(name)
                .trim()
                .to_owned();
            out.entry(name.clone()).or_default();
            section = Some(name);
        } else if let (Some(s), Some((k, v))) = (&section, line.split_once('=')) {
            out.entry(s.clone())
                .or_default()
                .insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    out
}

/// Reads static keys of `profile` from the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`). SSO and role chains are not
/// resolved here: export the keys (for example with `aws configure export-credentials`).
pub fn from_profile(
    role: &str,
    profile: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, TransportError> {
    let path = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")))
        .ok_or_else(|| TransportError::Credentials {
            role: role.into(),
            message: "no HOME to find ~/.aws/credentials".into(),
        })?;
    let text = crate::files::read_bounded(&path, crate::files::MAX_PROFILE_BYTES).map_err(|e| {
        TransportError::Credentials {
            role: role.into(),
            message: format!("cannot read `{}`: {e}", path.display()),
        }
    })?;
    let ini = parse_ini(&text);
    let section = ini
        .get(profile)
        .ok_or_else(|| TransportError::Credentials {
            role: role.into(),
            message: format!("profile `{profile}` is not in `{}`", path.display()),
        })?;
    let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
    let (Some(id), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key")) else {
        return Err(TransportError::Credentials {
            role: role.into(),
            message: format!(
                "profile `{profile}` has no static keys (hint: for SSO or roles, export keys with `aws configure export-credentials --profile {profile} --format env`)"
            ),
        });
    };
    Ok(Credentials {
        access_key_id: id,
        secret_access_key: Secret::new(secret),
        session_token: get("aws_session_token").map(Secret::new),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let c = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: Secret::new("s3cr3t-value"),
            session_token: Some(Secret::new("t0ken-value")),
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("t0ken"),
            "{shown}"
        );
    }

    #[test]
    fn missing_environment_names_the_variable_not_the_secret() {
        let env = |k: &str| (k == "AWS_SECRET_ACCESS_KEY").then(|| "hidden-secret".to_owned());
        let err = from_environment("owner", &env).unwrap_err().to_string();
        assert!(
            err.contains("AWS_ACCESS_KEY_ID") && !err.contains("hidden-secret"),
            "{err}"
        );
    }

    #[test]
    fn ini_profiles_parse() {
        let ini = parse_ini("[default]\naws_access_key_id = A\n[profile peer]\naws_access_key_id=B\naws_secret_access_key = S\n");
        assert_eq!(ini["default"]["aws_access_key_id"], "A");
        assert_eq!(ini["peer"]["aws_secret_access_key"], "S");
    }
}
