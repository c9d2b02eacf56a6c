//! The gate every request of a run passes: the run's deadline, the circuit breaker, and the
//! allowance of time spent waiting on throttling. Once the gate is shut (the deadline passed, or
//! the breaker opened after `threshold` failed exchanges in a row), no request goes out: each
//! send fails at once with a [`TransportFailure`] that judging treats as inconclusive, and the
//! requests in flight are cut short with it.
//!
//! The breaker counts the final exchange of each send (after the driver's retries) as
//! [`Health`]: a usable answer closes the count, a [`Fault`] adds to it, and an exchange that says
//! nothing about the endpoint's health (not sent, or the endpoint's answer to a request the suite
//! broke on purpose) leaves it as it is. Once open it stays open until the end of the checks;
//! cleanup then gets one more chance ([`Gate::half_open`]): its first failure opens it again.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use lattice_checks::TransportFailure;

/// Why an exchange shows an endpoint in trouble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No whole answer within the request timeout (a hang, a late or a dripping answer).
    Timeout,
    /// No connection, or the connection broke before the answer was read.
    Connection,
    /// An answer that cannot be read: bytes that are not UTF-8 in its body or a header, a body
    /// cut at the size cap, or a body that is not JSON.
    Unparsable(&'static str),
    /// Still 429 (or 503) once the retries were spent.
    Throttled(u16),
    /// Still a 5xx once the retries were spent.
    ServerError(u16),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Timeout => f.write_str("timed out"),
            Fault::Connection => f.write_str("connection failed"),
            Fault::Unparsable(why) => write!(f, "unparsable answer: {why}"),
            Fault::Throttled(status) => write!(f, "throttled ({status}) after the retries"),
            Fault::ServerError(status) => write!(f, "server error ({status}) after the retries"),
        }
    }
}

/// What one exchange says about the endpoint's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// A usable answer: the count of failures in a row starts again.
    Usable,
    /// Nothing either way (not sent, or an answer to a request broken on purpose).
    Neutral,
    /// A failure of the endpoint.
    Failed(Fault),
}

/// The gate's state, shared with every request waiting on it.
#[derive(Debug, Clone, Default)]
struct State {
    deadline: Option<Instant>,
    open: Option<String>,
}

/// The deadline, the circuit breaker and the throttling allowance of one run.
#[derive(Debug)]
pub struct Gate {
    threshold: u32,
    failures: AtomicU32,
    state: watch::Sender<State>,
    first_opened: Mutex<Option<String>>,
    throttle_left: Mutex<Duration>,
}

impl Gate {
    /// A gate whose breaker opens after `threshold` failures in a row (at least 1), with
    /// `throttle_allowance` of waiting on throttling for the whole run, and no deadline yet.
    pub fn new(threshold: u32, throttle_allowance: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            failures: AtomicU32::new(0),
            state: watch::Sender::new(State::default()),
            first_opened: Mutex::new(None),
            throttle_left: Mutex::new(throttle_allowance),
        }
    }

    /// Sets (or clears) the moment after which nothing is sent.
    pub fn set_deadline(&self, deadline: Option<Instant>) {
        self.state.send_modify(|s| s.deadline = deadline);
    }

    /// The moment after which nothing is sent, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.state.borrow().deadline
    }

    /// Why nothing may be sent now, if the gate is shut.
    pub fn shut(&self) -> Option<TransportFailure> {
        shut_by(&self.state.borrow())
    }

    /// Resolves when the gate shuts (at once when it is shut): the failure a request cut short
    /// by it records.
    pub async fn closing(&self) -> TransportFailure {
        let mut rx = self.state.subscribe();
        loop {
            let state = rx.borrow_and_update().clone();
            if let Some(failure) = shut_by(&state) {
                return failure;
            }
            match state.deadline {
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        changed = rx.changed() => if changed.is_err() {
                            tokio::time::sleep_until(at).await;
                        },
                    }
                }
                None => {
                    if rx.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
            }
        }
    }

    /// Counts the final exchange of a send; opens the breaker at the threshold.
    pub fn record(&self, health: &Health) {
        match health {
            Health::Usable => self.failures.store(0, Ordering::Relaxed),
            Health::Neutral => {}
            Health::Failed(fault) => {
                let n = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
                if n >= self.threshold && self.state.borrow().open.is_none() {
                    let why = format!("{n} exchanges in a row failed, the last: {fault}");
                    self.first_opened
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert_with(|| why.clone());
                    self.state.send_modify(|s| s.open = Some(why));
                }
            }
        }
    }

    /// Why the breaker opened the first time in this run, if it did.
    pub fn opened(&self) -> Option<String> {
        self.first_opened
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Lets requests through again until `deadline` (for cleanup), with a breaker that opens
    /// again at the first failure if it had opened.
    pub fn half_open(&self, deadline: Instant) {
        if self.state.borrow().open.is_some() {
            self.failures
                .store(self.threshold.saturating_sub(1), Ordering::Relaxed);
        }
        self.state.send_modify(|s| {
            s.open = None;
            s.deadline = Some(deadline);
        });
    }

    /// How long a wait on throttling (`want`: a `Retry-After`, a backoff or a pacing pause) may
    /// last, taken from the run's allowance; `None` once the allowance is spent (a wait of zero
    /// is always granted).
    pub fn grant_throttle_wait(&self, want: Duration) -> Option<Duration> {
        if want.is_zero() {
            return Some(want);
        }
        let mut left = self.throttle_left.lock().unwrap_or_else(|e| e.into_inner());
        if left.is_zero() {
            return None;
        }
        let granted = want.min(*left);
        *left -= granted;
        Some(granted)
    }
}

fn shut_by(state: &State) -> Option<TransportFailure> {
    if let Some(why) = &state.open {
        return Some(TransportFailure::CircuitOpen(why.clone()));
    }
    match state.deadline {
        Some(at) if Instant::now() >= at => Some(TransportFailure::DeadlinePassed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_opens_after_the_threshold_of_failures_in_a_row() {
        let gate = Gate::new(3, Duration::ZERO);
        gate.record(&Health::Failed(Fault::Timeout));
        gate.record(&Health::Failed(Fault::Timeout));
        gate.record(&Health::Usable);
        gate.record(&Health::Failed(Fault::Timeout));
        gate.record(&Health::Neutral);
        gate.record(&Health::Failed(Fault::Connection));
        assert_eq!(gate.shut(), None);
        gate.record(&Health::Failed(Fault::Throttled(429)));
        let shut = gate.shut().expect("open");
        assert!(
            shut.to_string().contains("3 exchanges in a row failed")
                && shut.to_string().contains("throttled (429)"),
            "{shut}"
        );
        // Cleanup gets one more chance: the first failure opens it again.
        gate.half_open(Instant::now() + Duration::from_secs(60));
        assert_eq!(gate.shut(), None);
        gate.record(&Health::Failed(Fault::Timeout));
        assert!(matches!(
            gate.shut(),
            Some(TransportFailure::CircuitOpen(_))
        ));
        assert!(gate.opened().unwrap().contains("throttled"));
    }

    #[test]
    fn throttling_waits_come_out_of_one_allowance() {
        let gate = Gate::new(8, Duration::from_secs(5));
        assert_eq!(
            gate.grant_throttle_wait(Duration::from_secs(3)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            gate.grant_throttle_wait(Duration::from_secs(3)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(gate.grant_throttle_wait(Duration::from_secs(1)), None);
        assert_eq!(
            gate.grant_throttle_wait(Duration::ZERO),
            Some(Duration::ZERO)
        );
    }

    #[tokio::test]
    async fn a_passed_deadline_shuts_the_gate_and_cuts_waiting_requests_short() {
        let gate = Gate::new(8, Duration::ZERO);
        assert_eq!(gate.shut(), None);
        gate.set_deadline(Some(Instant::now() + Duration::from_millis(50)));
        let closing = gate.closing();
        let failure = tokio::time::timeout(Duration::from_secs(10), closing)
            .await
            .expect("the deadline ends the wait");
        assert_eq!(failure, TransportFailure::DeadlinePassed);
        assert_eq!(gate.shut(), Some(TransportFailure::DeadlinePassed));
    }
}
