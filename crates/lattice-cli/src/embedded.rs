//! The embedded reference endpoint: started in process for a profile whose endpoint is
//! `embedded`, then handed to the harness as a URL and principals like any other target (the
//! harness does not depend on the system under test).

use std::collections::BTreeSet;
use std::time::Duration;

use lattice_reference::{Choice, Config, Defect, LiveLike, ReferenceEndpoint};
use lattice_transport::target::{LocalPrincipal, Target};
use lattice_transport::{Profile, TransportError};

/// The target of a profile: the embedded reference endpoint (started here, with the profile's
/// settings, its defects plus `extra_defects` and its choices plus `extra_choices`), or the
/// profile's own endpoint with its credentials resolved from `env`. The endpoint handle keeps
/// the embedded server alive.
pub async fn target(
    profile: &Profile,
    extra_defects: &[String],
    extra_choices: &[String],
    env: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<(Option<ReferenceEndpoint>, Target), TransportError> {
    if profile.endpoint != "embedded" {
        return Ok((None, Target::resolve(profile, env)?));
    }
    let (endpoint, target) = start(profile, extra_defects, extra_choices).await?;
    Ok((Some(endpoint), target))
}

/// The defects or choices (`what`) of these names, or what names none (with a hint to the
/// `serve` option that lists them).
pub fn named<'a, T: Ord>(
    names: impl IntoIterator<Item = &'a String>,
    from_name: fn(&str) -> Option<T>,
    what: &str,
) -> Result<BTreeSet<T>, String> {
    names
        .into_iter()
        .map(|name| {
            from_name(name).ok_or_else(|| {
                format!(
                    "unknown {what} `{name}` (hint: `lattice-conformance serve --list-{what}s`)"
                )
            })
        })
        .collect()
}

/// Starts the embedded reference endpoint with the profile's `[embedded]` settings, defects
/// (plus `extra_defects`) and choices (plus `extra_choices`), and returns it with its target.
pub async fn start(
    profile: &Profile,
    extra_defects: &[String],
    extra_choices: &[String],
) -> Result<(ReferenceEndpoint, Target), TransportError> {
    let bad = |message| TransportError::BadProfile {
        name: profile.name.clone(),
        message,
    };
    let defects = named(
        profile.embedded.defects.iter().chain(extra_defects),
        Defect::from_name,
        "defect",
    )
    .map_err(bad)?;
    let choices = named(
        profile.embedded.choices.iter().chain(extra_choices),
        Choice::from_name,
        "choice",
    )
    .map_err(bad)?;
    let settings = &profile.embedded;
    let base = if settings.live_like {
        Config::live_like(LiveLike::at_speedup(settings.speedup.unwrap_or(1)))
    } else {
        Config {
            transition_delay: Duration::from_millis(settings.transition_delay_ms),
            service_creation_delay: Duration::from_millis(settings.service_creation_delay_ms),
            quota_per_network: settings
                .quota_per_network
                .unwrap_or(Config::default().quota_per_network),
            ..Config::default()
        }
    };
    let config = Config {
        region: profile.region.clone(),
        defects,
        choices,
        throttle_every: settings.throttle_every,
        ..base
    };
    let endpoint = ReferenceEndpoint::start(config).await;
    let principals: Vec<LocalPrincipal> = endpoint
        .config()
        .principals
        .iter()
        .filter_map(|p| {
            Some(LocalPrincipal {
                role: lattice_spec::Role::from_name(&p.name)?,
                access_key_id: p.access_key.clone(),
                secret_access_key: p.secret_key.clone(),
                account: p.account.clone(),
            })
        })
        .collect();
    let target = Target::local(endpoint.url(), &principals);
    Ok((endpoint, target))
}
