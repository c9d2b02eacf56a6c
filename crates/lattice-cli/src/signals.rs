//! The signals that stop a run: Ctrl-C (SIGINT) and, on Unix, SIGTERM (what CI sends when a job
//! is cancelled). Listening starts when [`Signals`] is made and a signal that arrives between
//! two waits is kept, so that none is lost between the checks and the cleanup.

/// A stream of stop signals.
pub(crate) struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    /// Starts listening.
    pub(crate) fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                streams: signal(SignalKind::interrupt())
                    .and_then(|i| Ok((i, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next signal's name (`interrupted` for Ctrl-C, `terminated` for SIGTERM).
    pub(crate) async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        if let Some((int, term)) = &mut self.streams {
            return tokio::select! {
                _ = int.recv() => "interrupted",
                _ = term.recv() => "terminated",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    }
}
