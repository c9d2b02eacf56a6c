//! What a status poll makes of each answer: the end it waits for, the progress it expects on the
//! way, or a decisive answer that shows the wait cannot succeed. A poll goes on only through the
//! expected progress; on anything else it stops at once and the rule judges that answer (a
//! `400 ResourceNotFoundException` where 404 is awaited, a validation error on the endpoint's
//! own id, an error type the wait does not expect, a throttled or failed exchange), instead of
//! waiting out the status budget on an answer that will never change.

use lattice_spec::wire::AssociationStatus;

use crate::exchange::Exchange;
use crate::state::status_of;

/// One polled answer, as the wait sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Poll {
    /// The end the wait is for.
    Done,
    /// The expected progress on the way there: ask again.
    Pending,
    /// Any other answer: the wait cannot succeed, so it stops and the rule judges this answer.
    Decisive,
}

impl From<bool> for Poll {
    /// A predicate's answer: `true` is the end of the wait, `false` keeps it going.
    fn from(done: bool) -> Self {
        if done {
            Poll::Done
        } else {
            Poll::Pending
        }
    }
}

/// The association status of a successful answer; `None` for anything else.
fn success_status(e: &Exchange) -> Option<Option<AssociationStatus>> {
    e.ok().filter(|r| r.is_success()).map(|_| status_of(e))
}

/// Waiting for a new association to reach `ACTIVE` or `CREATE_FAILED` (LIFE-REACHES-ACTIVE):
/// `CREATE_IN_PROGRESS` is the progress, and so is a 404 (a read may lag the create on real AWS:
/// it is polled through, and fails the rule only if it lasts the whole budget).
pub fn until_active(e: &Exchange) -> Poll {
    if crate::state::not_found(e) {
        return Poll::Pending;
    }
    match success_status(e) {
        Some(Some(AssociationStatus::Active | AssociationStatus::CreateFailed)) => Poll::Done,
        Some(Some(AssociationStatus::CreateInProgress)) => Poll::Pending,
        _ => Poll::Decisive,
    }
}

/// Waiting for a deleted association to be gone: a 404 ends the wait (the rule judges its error
/// type), `DELETE_IN_PROGRESS` is the only progress.
pub fn until_gone(e: &Exchange) -> Poll {
    if e.ok().is_some_and(|r| r.status == 404) {
        return Poll::Done;
    }
    match success_status(e) {
        Some(Some(AssociationStatus::DeleteInProgress)) => Poll::Pending,
        _ => Poll::Decisive,
    }
}

/// Waiting for an association the run created to be visible and out of `CREATE_IN_PROGRESS` (a
/// delete or a status check comes next): a 404 is a read lagging the create and is polled
/// through, like `CREATE_IN_PROGRESS`; every other answer, another refusal included, ends the
/// wait.
pub fn until_settled(e: &Exchange) -> Poll {
    if status_of(e) == Some(AssociationStatus::CreateInProgress) || crate::state::not_found(e) {
        Poll::Pending
    } else {
        Poll::Done
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::exchange::TransportFailure;
    use crate::judge::testing::{err, ex, throttled};

    #[test]
    fn waiting_for_active_goes_on_only_while_creating_or_not_yet_visible() {
        let creating = ex(200, json!({"status": "CREATE_IN_PROGRESS"}));
        assert_eq!(until_active(&creating), Poll::Pending);
        // A read may lag the create: a 404 is polled through.
        let lagging = err(404, "ResourceNotFoundException", json!({}));
        assert_eq!(until_active(&lagging), Poll::Pending);
        assert_eq!(
            until_active(&ex(200, json!({"status": "ACTIVE"}))),
            Poll::Done
        );
        assert_eq!(
            until_active(&ex(200, json!({"status": "CREATE_FAILED"}))),
            Poll::Done
        );
        for decisive in [
            err(400, "ResourceNotFoundException", json!({})),
            err(400, "ValidationException", json!({})),
            ex(200, json!({"status": "AVAILABLE"})),
            ex(200, json!({"status": "DELETE_IN_PROGRESS"})),
            ex(200, json!({})),
            throttled(),
            creating.with_response(Err(TransportFailure::Timeout)),
        ] {
            assert_eq!(until_active(&decisive), Poll::Decisive, "{decisive:?}");
        }
    }

    #[test]
    fn waiting_for_gone_stops_on_a_not_found_with_the_wrong_status() {
        assert_eq!(
            until_gone(&err(404, "ResourceNotFoundException", json!({}))),
            Poll::Done
        );
        assert_eq!(
            until_gone(&ex(200, json!({"status": "DELETE_IN_PROGRESS"}))),
            Poll::Pending
        );
        for decisive in [
            err(400, "ResourceNotFoundException", json!({})),
            err(400, "ValidationException", json!({})),
            err(409, "ConflictException", json!({})),
            ex(200, json!({"status": "ACTIVE"})),
            ex(200, json!({"status": "DELETE_FAILED"})),
            throttled(),
        ] {
            assert_eq!(until_gone(&decisive), Poll::Decisive, "{decisive:?}");
        }
    }

    #[test]
    fn waiting_to_settle_ends_on_anything_but_creating_or_not_yet_visible() {
        assert_eq!(
            until_settled(&ex(200, json!({"status": "CREATE_IN_PROGRESS"}))),
            Poll::Pending
        );
        assert_eq!(
            until_settled(&err(404, "ResourceNotFoundException", json!({}))),
            Poll::Pending
        );
        assert_eq!(
            until_settled(&err(400, "ValidationException", json!({}))),
            Poll::Done
        );
        assert_eq!(Poll::from(true), Poll::Done);
        assert_eq!(Poll::from(false), Poll::Pending);
    }
}
