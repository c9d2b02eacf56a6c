//! Client verification: a fault plan that makes chosen Create calls answer 500, 429 or an
//! unmodelled error once (so that clients retry, and surface errors), and a recorder that
//! appends one JSON line per received request to a file (the format of
//! `lattice_spec::recording`, without secrets) for `lattice-conformance check-client`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use lattice_spec::recording::{
    AuthSummary, ClientRequest, RecordLine, Recording, RecordingHeader, FORMAT_VERSION,
    RECORDED_HEADERS,
};

use crate::errors::ApiError;

/// What a faulted call answers instead of being served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAnswer {
    /// 500 `InternalServerException` (`Retry-After: 1`).
    Internal,
    /// 429 `ThrottlingException` (`Retry-After: 0`).
    Throttling,
    /// 400 with `X-Amzn-Errortype: SomethingNewException`, an error type the model lacks.
    Unknown,
}

/// One entry of a fault plan: the `nth` Create request received (every attempt counts, from 1)
/// answers `answer` instead of being served. Written `create#N=500|429|unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// Which Create request, counting every signed Create the endpoint received, from 1.
    pub nth: usize,
    /// What it answers.
    pub answer: FaultAnswer,
}

impl Fault {
    /// The fault plan the SDK drivers' scenario expects (`--fault sdk-scenario`): the 3rd Create
    /// answers 500 and the 6th 429 (both retried), the 8th 429 (sent with retries off, so the
    /// ThrottlingException is surfaced), the 9th an unmodelled error.
    pub const SDK_SCENARIO: &'static str =
        "create#3=500,create#6=429,create#8=429,create#9=unknown";

    /// Parses a comma-separated plan: `create#N=500|429|unknown` entries, or `sdk-scenario`.
    pub fn parse_plan(spec: &str) -> Result<Vec<Fault>, String> {
        spec.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .flat_map(|s| {
                if s == "sdk-scenario" {
                    Fault::SDK_SCENARIO.split(',').collect::<Vec<_>>()
                } else {
                    vec![s]
                }
            })
            .map(str::parse)
            .collect()
    }

    /// The error the faulted call answers.
    pub(crate) fn error(&self) -> ApiError {
        let message = format!("injected by the fault plan ({self})");
        match self.answer {
            FaultAnswer::Internal => ApiError::Internal { message },
            FaultAnswer::Throttling => ApiError::Throttling {
                message,
                retry_after: 0,
            },
            FaultAnswer::Unknown => ApiError::Unmodelled {
                name: "SomethingNewException",
                status: 400,
                message,
            },
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = match self.answer {
            FaultAnswer::Internal => "500",
            FaultAnswer::Throttling => "429",
            FaultAnswer::Unknown => "unknown",
        };
        write!(f, "create#{}={answer}", self.nth)
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("bad fault `{s}` (hint: create#N=500, create#N=429 or create#N=unknown, N counting Create requests from 1; or sdk-scenario)")
        };
        let (target, answer) = s.trim().split_once('=').ok_or_else(bad)?;
        let nth = target
            .strip_prefix("create#")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(bad)?;
        let answer = match answer {
            "500" => FaultAnswer::Internal,
            "429" => FaultAnswer::Throttling,
            "unknown" => FaultAnswer::Unknown,
            _ => return Err(bad()),
        };
        Ok(Fault { nth, answer })
    }
}

/// What a response was, for the recording.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answered {
    pub(crate) status: u16,
    pub(crate) error_type: Option<String>,
    pub(crate) retry_after: Option<String>,
    pub(crate) error_body: Option<String>,
    pub(crate) fault: Option<String>,
}

/// Appends one JSON line per received request to a file.
#[derive(Debug)]
pub(crate) struct Recorder {
    out: Mutex<BufWriter<File>>,
    started: Instant,
}

impl Recorder {
    /// Creates (truncates) the file and writes the header line.
    pub(crate) fn create(
        path: &Path,
        endpoint: &str,
        region: &str,
        faults: &[Fault],
    ) -> std::io::Result<Recorder> {
        let mut out = BufWriter::new(File::create(path)?);
        let header = RecordLine::Header(RecordingHeader {
            format: FORMAT_VERSION,
            endpoint: endpoint.to_owned(),
            region: region.to_owned(),
            started: crate::clock::rfc3339(SystemTime::now()),
            faults: faults.iter().map(ToString::to_string).collect(),
        });
        writeln!(out, "{}", Recording::line(&header))?;
        out.flush()?;
        Ok(Recorder {
            out: Mutex::new(out),
            started: Instant::now(),
        })
    }

    /// Records one request (its head as received, its body as read) and its answer (write errors
    /// are reported on stderr, once per line).
    pub(crate) fn record(
        &self,
        index: usize,
        head: &http::request::Parts,
        body: &[u8],
        answered: Answered,
    ) {
        let mut headers = BTreeMap::new();
        for name in RECORDED_HEADERS {
            let values: Vec<&str> = head
                .headers
                .get_all(*name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            if !values.is_empty() {
                headers.insert((*name).to_owned(), values.join(","));
            }
        }
        let authorization = head
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(AuthSummary::from_header);
        let line = RecordLine::Request(ClientRequest {
            index,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
            method: head.method.as_str().to_owned(),
            path: head.uri.path().to_owned(),
            query: head.uri.query().map(str::to_owned),
            headers,
            authorization,
            body: String::from_utf8_lossy(body).into_owned(),
            status: answered.status,
            error_type: answered.error_type,
            retry_after: answered.retry_after,
            response_body: answered.error_body,
            fault: answered.fault,
        });
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = writeln!(out, "{}", Recording::line(&line)).and_then(|()| out.flush()) {
            eprintln!("error: cannot append to the recording: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_plans_parse_and_print_back() {
        let plan = Fault::parse_plan("create#2=500, create#4=429,create#9=unknown").unwrap();
        assert_eq!(
            plan,
            [
                Fault {
                    nth: 2,
                    answer: FaultAnswer::Internal
                },
                Fault {
                    nth: 4,
                    answer: FaultAnswer::Throttling
                },
                Fault {
                    nth: 9,
                    answer: FaultAnswer::Unknown
                },
            ]
        );
        let text: Vec<String> = plan.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["create#2=500", "create#4=429", "create#9=unknown"]);
        assert_eq!(
            Fault::parse_plan("sdk-scenario").unwrap().len(),
            Fault::SDK_SCENARIO.split(',').count()
        );
        for bad in [
            "create#0=500",
            "create#2=503",
            "delete#1=500",
            "create#x=429",
            "500",
        ] {
            let err = Fault::parse_plan(bad).unwrap_err();
            assert!(err.contains("hint"), "{bad}: {err}");
        }
    }
}
