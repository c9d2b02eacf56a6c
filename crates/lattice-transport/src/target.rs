//! A resolved target: where requests go and who signs them. An external target is resolved from
//! its profile (credentials from the profile, a credentials file or the environment); a local
//! endpoint the caller started (the embedded reference endpoint) hands its URL and principals
//! over as they are, so that nothing here depends on the system under test.

use std::collections::BTreeMap;

use lattice_spec::Role;

use crate::credentials::{self, Credentials, Secret};
use crate::driver::Principal;
use crate::errors::TransportError;
use crate::profile::Profile;

/// Where a run sends its requests, and who signs them.
#[derive(Debug, Clone)]
pub struct Target {
    /// The VPC Lattice endpoint URL.
    pub endpoint: String,
    /// The AWS RAM endpoint URL, when RAM is served elsewhere.
    pub ram_endpoint: Option<String>,
    /// The principals, `owner` first.
    pub principals: Vec<Principal>,
    /// Accounts known before the run, by role (the others are learnt from the first ARN).
    pub accounts: BTreeMap<Role, String>,
    /// Whether the target outlives the process (what a run creates is journalled for
    /// `cleanup --run-id`).
    pub outlives_run: bool,
}

/// A principal of a local endpoint: its role, keys and account.
#[derive(Debug, Clone)]
pub struct LocalPrincipal {
    /// The role it plays.
    pub role: Role,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The account the key belongs to.
    pub account: String,
}

impl Target {
    /// A local endpoint with known principals (for example the embedded reference endpoint):
    /// nothing to resolve, and nothing outlives the process.
    pub fn local(endpoint: String, principals: &[LocalPrincipal]) -> Target {
        let mut ordered = Vec::new();
        let mut accounts = BTreeMap::new();
        for role in Role::ALL {
            if let Some(p) = principals.iter().find(|p| p.role == role) {
                ordered.push(Principal {
                    role,
                    credentials: Credentials {
                        access_key_id: p.access_key_id.clone(),
                        secret_access_key: Secret::new(p.secret_access_key.clone()),
                        session_token: None,
                    },
                    headers: vec![],
                });
                accounts.insert(role, p.account.clone());
            }
        }
        Target {
            endpoint,
            ram_endpoint: None,
            principals: ordered,
            accounts,
            outlives_run: false,
        }
    }

    /// Resolves an external profile: its endpoint, and each principal's credentials (static keys
    /// in the profile, a named profile of the credentials file, or the environment; the owner
    /// falls back to `AWS_PROFILE` and the standard variables).
    pub fn resolve(
        profile: &Profile,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, TransportError> {
        let mut principals = Vec::new();
        for role in Role::ALL {
            let Some(spec) = profile.principals.iter().find(|p| p.role == role) else {
                continue;
            };
            let creds = match (
                &spec.access_key_id,
                &spec.secret_access_key,
                &spec.profile,
                &spec.source,
            ) {
                (Some(id), Some(secret), _, _) => Credentials {
                    access_key_id: id.clone(),
                    secret_access_key: Secret::new(secret.clone()),
                    session_token: spec.session_token.clone().map(Secret::new),
                },
                (_, _, Some(name), _) => credentials::from_profile(role.as_str(), name, env)?,
                (_, _, None, _) if role == Role::Owner => {
                    match env("AWS_PROFILE").filter(|p| !p.is_empty() && spec.source.is_none()) {
                        Some(name) => credentials::from_profile(role.as_str(), &name, env)?,
                        None => credentials::from_environment(role.as_str(), env)?,
                    }
                }
                _ => credentials::from_environment(role.as_str(), env)?,
            };
            principals.push(Principal {
                role,
                credentials: creds,
                headers: spec.headers.clone().into_iter().collect(),
            });
        }
        if principals.is_empty() {
            principals.push(Principal {
                role: Role::Owner,
                credentials: credentials::from_environment("owner", env)?,
                headers: vec![],
            });
        }
        Ok(Target {
            endpoint: profile.endpoint.clone(),
            ram_endpoint: profile.ram_endpoint.clone(),
            principals,
            accounts: BTreeMap::new(),
            outlives_run: true,
        })
    }

    /// Every endpoint the target may be sent requests at.
    pub fn endpoints(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.endpoint.as_str()).chain(self.ram_endpoint.as_deref())
    }
}
