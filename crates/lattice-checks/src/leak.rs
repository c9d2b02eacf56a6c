//! What a run left behind: a resource it created and could not verify deleted.

use serde::Serialize;

/// A resource cleanup could not verify deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leak {
    /// The kind, as a word.
    pub kind: String,
    /// The id or ARN.
    pub id: String,
    /// What the endpoint said.
    pub reason: String,
}
