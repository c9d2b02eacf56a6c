//! How a request is signed: correctly, or broken on purpose for the AUTH rules.

use std::time::Duration;

/// How far from the time of sending [`SignMode::Expired`] and [`SignMode::NotYetValid`] date
/// their signatures: well outside the five minutes SigV4 allows (and the 15 some services allow).
pub const SKEWED_SIGNATURE_OFFSET: Duration = Duration::from_secs(20 * 60);

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
    /// Signed correctly, but at a time [`SKEWED_SIGNATURE_OFFSET`] before the request is sent.
    Expired,
    /// Signed correctly, but at a time [`SKEWED_SIGNATURE_OFFSET`] after the request is sent.
    NotYetValid,
    /// Signed over the body with a signed `x-amz-content-sha256` header carrying its hash, then
    /// sent with one space appended to the body (the same JSON, other bytes).
    BodyAltered,
    /// Signed correctly over every header but `host`, which `SignedHeaders` leaves out.
    HostUnsigned,
    /// Signed correctly for another region (scope and signing key).
    WrongRegion,
}

impl SignMode {
    /// Every mode, in declaration order (what scenarios may name by label).
    pub const ALL: &'static [SignMode] = &[
        SignMode::SigV4,
        SignMode::Unsigned,
        SignMode::BadSignature,
        SignMode::UnknownKey,
        SignMode::WrongService,
        SignMode::Expired,
        SignMode::NotYetValid,
        SignMode::BodyAltered,
        SignMode::HostUnsigned,
        SignMode::WrongRegion,
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
            SignMode::Expired => "expired",
            SignMode::NotYetValid => "not-yet-valid",
            SignMode::BodyAltered => "body-altered",
            SignMode::HostUnsigned => "host-unsigned",
            SignMode::WrongRegion => "wrong-region",
        }
    }

    /// The body that goes on the wire for a call whose signed body is `signed`: the same bytes,
    /// except for [`SignMode::BodyAltered`], which appends one space after signing.
    pub fn sent_body(self, signed: &[u8]) -> Vec<u8> {
        let mut body = signed.to_vec();
        if self == SignMode::BodyAltered {
            body.push(b' ');
        }
        body
    }
}

/// The region a [`SignMode::WrongRegion`] request is signed for when the target is in `region`:
/// `us-west-2`, or `us-east-1` when the target is in `us-west-2`.
pub fn other_region(region: &str) -> &'static str {
    if region == "us-west-2" {
        "us-east-1"
    } else {
        "us-west-2"
    }
}

#[cfg(test)]
mod all_modes {
    use super::SignMode;

    /// The position a mode must have in [`SignMode::ALL`]; the match is exhaustive, so a new mode
    /// does not compile until it is placed here, and the test fails until it is listed in `ALL`.
    fn position(mode: SignMode) -> usize {
        match mode {
            SignMode::SigV4 => 0,
            SignMode::Unsigned => 1,
            SignMode::BadSignature => 2,
            SignMode::UnknownKey => 3,
            SignMode::WrongService => 4,
            SignMode::Expired => 5,
            SignMode::NotYetValid => 6,
            SignMode::BodyAltered => 7,
            SignMode::HostUnsigned => 8,
            SignMode::WrongRegion => 9,
        }
    }

    #[test]
    fn all_lists_every_mode_once_and_labels_round_trip() {
        for (i, mode) in SignMode::ALL.iter().enumerate() {
            assert_eq!(position(*mode), i, "{mode:?} out of place in SignMode::ALL");
            assert_eq!(SignMode::from_label(mode.label()), Some(*mode));
        }
        assert_eq!(
            SignMode::ALL.len(),
            10,
            "a mode is missing from SignMode::ALL"
        );
    }
}
