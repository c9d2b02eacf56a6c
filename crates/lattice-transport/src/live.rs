//! Which endpoints are live AWS: one classification for every URL a run may contact (the VPC
//! Lattice endpoint, the RAM endpoint, any other), made before anything is resolved or
//! connected, so that a live one is refused without `--allow-live`.
//!
//! The URL is normalised first: scheme and user info dropped, the host lower-cased, a trailing
//! dot and the port removed. A host is live when it is, or ends in `.`, one of the DNS suffixes
//! of an AWS partition, standard or dual-stack (FIPS endpoints use the same suffixes). The
//! suffixes are those of the AWS SDKs' partition table
//! (<https://github.com/aws/aws-sdk-go-v2/blob/main/internal/endpoints/awsrulesfn/partitions.json>).

/// The DNS suffixes of every AWS partition: `dnsSuffix` and `dualStackDnsSuffix` of `aws` (and
/// `aws-us-gov`), `aws-cn`, `aws-eusc`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`.
pub const AWS_DNS_SUFFIXES: &[&str] = &[
    "amazonaws.com",
    "api.aws",
    "amazonaws.com.cn",
    "api.amazonwebservices.com.cn",
    "amazonaws.eu",
    "api.amazonwebservices.eu",
    "c2s.ic.gov",
    "api.aws.ic.gov",
    "sc2s.sgov.gov",
    "api.aws.scloud",
    "cloud.adc-e.uk",
    "api.cloud-aws.adc-e.uk",
    "csp.hci.ic.gov",
    "api.aws.hci.ic.gov",
    // AWS's own pre-production domain (service teams' beta and gamma stages).
    "aws.dev",
];

/// The host of a URL, normalised: lower case, without scheme, user info, port or trailing dots
/// (`https://user:pw@VPC-Lattice.us-east-1.amazonaws.com.:443/` → `vpc-lattice.us-east-1.amazonaws.com`).
pub fn host(url: &str) -> String {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// A URL fit to print: a password in its user info becomes `***`
/// (`https://user:pw@host/` → `https://user:***@host/`).
pub fn shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = user_info.split(':').next().unwrap_or_default();
    let user_info = if user_info.contains(':') {
        format!("{user}:***")
    } else {
        user.to_owned()
    };
    let scheme = if scheme.is_empty() {
        String::new()
    } else {
        format!("{scheme}://")
    };
    format!("{scheme}{user_info}@{host}{tail}")
}

/// Whether a URL names live AWS.
pub fn is_live(url: &str) -> bool {
    let host = host(url);
    AWS_DNS_SUFFIXES
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_live_host_is_live() {
        for url in [
            "https://vpc-lattice.us-east-1.amazonaws.com",
            "https://vpc-lattice.us-east-1.amazonaws.com.",
            "https://vpc-lattice.us-east-1.amazonaws.com.:443/",
            "https://user:pw@vpc-lattice.us-east-1.amazonaws.com",
            "HTTPS://VPC-LATTICE.US-EAST-1.AMAZONAWS.COM",
            "https://vpc-lattice-fips.us-gov-west-1.amazonaws.com",
            "https://vpc-lattice.us-east-1.api.aws",
            "https://vpc-lattice.cn-north-1.amazonaws.com.cn",
            "https://vpc-lattice.eusc-de-east-1.amazonaws.eu",
            "https://vpc-lattice.us-iso-east-1.c2s.ic.gov",
            "https://vpc-lattice.us-isob-east-1.sc2s.sgov.gov",
            "https://vpc-lattice.eu-isoe-west-1.cloud.adc-e.uk",
            "https://vpc-lattice.us-isof-south-1.csp.hci.ic.gov",
            "https://ram.us-east-1.amazonaws.com",
            "vpc-lattice.us-east-1.amazonaws.com",
            "https://vpc-lattice.us-west-2.beta.aws.dev",
            " https://vpc-lattice.us-east-1.amazonaws.com ",
        ] {
            assert!(is_live(url), "{url}");
        }
    }

    #[test]
    fn local_and_lookalike_hosts_are_not_live() {
        for url in [
            "http://127.0.0.1:5000",
            "http://[::1]:8471/",
            "http://localhost:4566",
            "http://amazonaws.com.evil.example",
            "http://notamazonaws.com",
            "http://amazonaws.com@127.0.0.1:5000/",
        ] {
            assert!(!is_live(url), "{url}");
        }
        assert_eq!(host("http://a:b@[::1]:80/x"), "::1");
    }

    #[test]
    fn passwords_in_urls_are_never_shown() {
        assert_eq!(
            shown("https://user:pw@vpc-lattice.us-east-1.amazonaws.com/x"),
            "https://user:***@vpc-lattice.us-east-1.amazonaws.com/x"
        );
        assert_eq!(shown("http://u@h:1"), "http://u@h:1");
        assert_eq!(
            shown("http://127.0.0.1:5000/a@b"),
            "http://127.0.0.1:5000/a@b"
        );
    }
}
