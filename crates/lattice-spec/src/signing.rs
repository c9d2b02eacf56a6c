//! How a request is signed: correctly, or broken on purpose for the AUTH rules.

/// How a request is signed: correctly, or broken on purpose for the AUTH rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignMode {
    /// SigV4 with the principal's credentials and the operation's signing name.
    SigV4,
    /// No `Authorization` header at all.
    Unsigned,
    /// A correct signature with one hex digit changed.
    BadSignature,
    /// Signed with an access key the endpoint cannot know.
    UnknownKey,
    /// Signed for another service (`ec2`) in the credential scope.
    WrongService,
}

impl SignMode {
    /// Every mode, in declaration order (what scenarios may name by label).
    pub const ALL: &'static [SignMode] = &[
        SignMode::SigV4,
        SignMode::Unsigned,
        SignMode::BadSignature,
        SignMode::UnknownKey,
        SignMode::WrongService,
    ];

    /// The mode with this label.
    pub fn from_label(label: &str) -> Option<SignMode> {
        Self::ALL.iter().copied().find(|m| m.label() == label)
    }

    /// The label recorded with the exchange.
    pub fn label(self) -> &'static str {
        match self {
            SignMode::SigV4 => "sigv4",
            SignMode::Unsigned => "unsigned",
            SignMode::BadSignature => "bad-signature",
            SignMode::UnknownKey => "unknown-key",
            SignMode::WrongService => "wrong-service",
        }
    }
}
