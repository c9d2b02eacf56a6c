//! Errors of the transport: bad profiles, bad credentials, unusable endpoints.

use std::path::PathBuf;

/// What can stop a run before or outside the checks.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The named target is neither a shipped profile nor a readable file.
    #[error("no target profile `{name}` (hint: use one of {known} or a path to a .toml file)")]
    UnknownTarget {
        /// The name given.
        name: String,
        /// The shipped profile names.
        known: String,
    },
    /// The profile file could not be read.
    #[error("cannot read target profile `{path}`: {source}")]
    ReadProfile {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The profile does not parse or is inconsistent.
    #[error("target profile `{name}`: {message}")]
    BadProfile {
        /// The profile's name or path.
        name: String,
        /// What is wrong (never containing a secret).
        message: String,
    },
    /// A principal's credentials could not be found.
    #[error("credentials for principal `{role}`: {message}")]
    Credentials {
        /// The principal's role.
        role: String,
        /// What is missing (never the secret itself).
        message: String,
    },
    /// A live AWS endpoint without `--allow-live`.
    #[error("`{endpoint}` is live AWS (hint: pass --allow-live to run against it, and --plan to see what it would do first)")]
    LiveRefused {
        /// The endpoint URL.
        endpoint: String,
    },
    /// The endpoint URL is not usable.
    #[error("endpoint `{endpoint}`: {message}")]
    BadEndpoint {
        /// The URL given.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// The endpoint could not be reached at all.
    #[error("endpoint `{endpoint}` is unreachable: {message} (hint: is the server running? check --endpoint)")]
    Unreachable {
        /// The URL.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// The endpoint answered the first request, but not usably.
    #[error("endpoint `{endpoint}` answers, but not usably: {fault} (hint: the first request is a Get of a nonexistent association, which AWS answers 404 ResourceNotFoundException in JSON)")]
    Unusable {
        /// The URL.
        endpoint: String,
        /// What was wrong with the answer.
        fault: String,
    },
    /// A report could not be written.
    #[error("cannot write report `{path}`")]
    WriteReport {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}
