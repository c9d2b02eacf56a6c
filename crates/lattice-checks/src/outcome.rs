//! Judging a decisive exchange against the outcomes a rule accepts.

use lattice_spec::ExpectedOutcome;

use crate::exchange::Exchange;
use crate::verdict::{Verdict, Violation};

/// Judges one exchange against acceptable outcomes: a throttled or missing response is
/// inconclusive (never a failure); otherwise the status and error type must match one outcome.
pub fn judge_outcome(acceptable: &[ExpectedOutcome], exchange: &Exchange) -> Verdict {
    let response = match &exchange.response {
        Ok(r) => r,
        Err(e) => return Verdict::Inconclusive(e.to_string()),
    };
    if exchange.is_throttled() {
        return Verdict::Inconclusive(format!("throttled ({})", response.status));
    }
    let error = response.error_type();
    let error = if response.is_success() {
        None
    } else {
        error.as_deref()
    };
    if acceptable.iter().any(|o| o.admits(response.status, error)) {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Violation::WrongOutcome {
            expected: acceptable.iter().map(ToString::to_string).collect(),
            found: response.outcome(),
        }])
    }
}

/// Which of several acceptable outcomes an endpoint chose (for ambiguous rules' reports).
pub fn chosen_outcome(acceptable: &[ExpectedOutcome], exchange: &Exchange) -> Option<String> {
    let response = exchange.ok()?;
    let error = response.error_type();
    let error = if response.is_success() {
        None
    } else {
        error.as_deref()
    };
    acceptable
        .iter()
        .find(|o| o.admits(response.status, error))
        .map(|_| response.outcome())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{ExchangeParts, RecordedRequest, RecordedResponse, TransportFailure};

    fn ex(status: u16, error: Option<&str>) -> Exchange {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if let Some(e) = error {
            headers.push(("x-amzn-errortype".to_owned(), e.to_owned()));
        }
        Exchange::from(ExchangeParts {
            request: RecordedRequest {
                operation: "CreateServiceNetworkServiceAssociation".into(),
                principal: "owner".into(),
                method: "POST".into(),
                path: "/servicenetworkserviceassociations".into(),
                body: "{}".into(),
                signing: "sigv4".into(),
            },
            response: Ok(RecordedResponse {
                status,
                headers,
                body: "{}".into(),
                truncated: false,
            }),
        })
    }

    #[test]
    fn outcomes_pass_fail_and_throttling_is_inconclusive() {
        let acceptable = [
            ExpectedOutcome::parse("409 ConflictException").unwrap(),
            ExpectedOutcome::parse("400 ValidationException").unwrap(),
        ];
        assert_eq!(
            judge_outcome(&acceptable, &ex(409, Some("ConflictException:http://x"))),
            Verdict::Pass
        );
        assert!(judge_outcome(&acceptable, &ex(200, None)).is_fail());
        assert!(judge_outcome(&acceptable, &ex(409, Some("ValidationException"))).is_fail());
        assert_eq!(
            judge_outcome(&acceptable, &ex(429, Some("ThrottlingException"))).name(),
            "inconclusive"
        );
        let broken = ex(200, None).with_response(Err(TransportFailure::Timeout));
        assert_eq!(judge_outcome(&acceptable, &broken).name(), "inconclusive");
        assert_eq!(
            chosen_outcome(&acceptable, &ex(400, Some("ValidationException"))).as_deref(),
            Some("400 ValidationException")
        );
    }
}
