//! The endpoint: the crate's own server ([`crate::server`]) hands every request to one handler
//! that authenticates, routes and serves it against the shared state (one `std::sync::Mutex`).

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use lattice_spec::Operation;
use serde_json::json;

use crate::body::ReadBody;
use crate::choice::{Choice, ChoiceSwitch, Choices};
use crate::config::Config;
use crate::context::Ctx;
use crate::defect::{Defect, DefectSwitch, Defects};
use crate::errors::ApiError;
use crate::faults::{Fault, Recorder};
use crate::lifecycle::Clock;
use crate::live_like::Limiter;
use crate::ops;
use crate::reply::Reply;
use crate::route::{accepted_scopes, route, CENSUS_PATH, RESET_PATH};
use crate::server::{Answer, Received, Serve, Server};
use crate::sigv4::{self, Signable};
use crate::world::Census;
use crate::world::World;

/// What the responder and the handle share.
#[derive(Debug)]
struct Shared {
    config: Config,
    defects: DefectSwitch,
    choices: ChoiceSwitch,
    world: Mutex<World>,
    received: AtomicUsize,
    /// Signed Create requests received (the fault plan counts these).
    creates: AtomicUsize,
    recorder: Option<Recorder>,
    /// Live-like mode's rate limit per account.
    limiter: Option<Limiter>,
    /// Requests answered 429 by that rate limit.
    rate_limited: AtomicUsize,
}

impl Shared {
    fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The reply to a request, and the fault of the plan that decided it, if one did.
    fn reply(
        &self,
        req: &Received,
        nth: usize,
        defects: Defects,
        choices: Choices,
    ) -> (Reply, Option<Fault>) {
        let now = SystemTime::now();
        let method = req.head.method.as_str();
        let path = req.head.uri.path();
        let query = req.head.uri.query();
        if req.body == ReadBody::OverLimit {
            return (ops::body_too_large(path, defects), None);
        }
        let body = req.bytes();
        let mut world = self.world();
        if method == "POST" && path == RESET_PATH {
            *world = World::new();
            return (Reply::json(200, json!({ "reset": true })), None);
        }
        if method == "GET" && path == CENSUS_PATH {
            self.clock(now, defects, choices).sweep(&mut world);
            return (Reply::json(200, self.census_json(world.census)), None);
        }
        let found = route(method, path);
        let signable = Signable {
            method,
            path,
            query,
            headers: &req.head.headers,
            body,
        };
        let scopes = accepted_scopes(found.as_ref());
        let principal = match sigv4::verify(&signable, &self.config, scopes, defects, now) {
            Err(e) => return (Reply::Error(e.into()), None),
            Ok(principal) => principal,
        };
        let Some(found) = found else {
            return (
                Reply::Error(ApiError::unknown_operation(method, path)),
                None,
            );
        };
        if found.op == Operation::CreateServiceNetworkServiceAssociation {
            if let Some(fault) = self.next_create_fault() {
                return (Reply::Error(fault.error()), Some(fault));
            }
        }
        // Only operations whose model lists ThrottlingException are throttled.
        let throttled = if !found
            .op
            .errors()
            .contains(&lattice_spec::ErrorType::ThrottlingException)
        {
            None
        } else if self
            .config
            .throttle_every
            .is_some_and(|n| n > 0 && nth % n == 0)
        {
            Some(ApiError::Throttling {
                message: "Rate exceeded (the reference endpoint's throttle_every)".into(),
                retry_after: 0,
            })
        } else {
            self.rate_limited(&principal.account)
        };
        let reply = if let Some(throttled) = throttled {
            Reply::Error(throttled)
        } else {
            let clock = self.clock(now, defects, choices);
            clock.sweep(&mut world);
            world.now = now;
            let mut ctx = Ctx {
                world: &mut world,
                config: &self.config,
                caller: &principal.account,
                clock,
            };
            ops::dispatch(&mut ctx, &found, query, body)
        };
        (reply, None)
    }

    /// The time rules at `now`.
    fn clock(&self, now: SystemTime, defects: Defects, choices: Choices) -> Clock {
        Clock {
            now,
            delay: self.config.transition_delay,
            service_delay: self.config.service_creation_delay,
            defects,
            choices,
        }
    }

    /// The census as JSON (what [`CENSUS_PATH`] answers).
    fn census_json(&self, census: Census) -> serde_json::Value {
        let counts = |c: crate::world::Counts| {
            json!({
                "services": c.services,
                "serviceNetworks": c.networks,
                "associations": c.associations,
            })
        };
        json!({
            "alive": counts(census.alive),
            "peak": counts(census.peak),
            "created": counts(census.created),
            "received": self.received.load(Ordering::SeqCst),
            "rateLimited": self.rate_limited.load(Ordering::SeqCst),
        })
    }

    /// The rate limit's answer to a request of `account`, when it refuses it.
    fn rate_limited(&self, account: &str) -> Option<ApiError> {
        let retry_after = self
            .limiter
            .as_ref()?
            .take(account, std::time::Instant::now())?;
        self.rate_limited.fetch_add(1, Ordering::SeqCst);
        Some(ApiError::Throttling {
            message: format!(
                "Rate exceeded (the live-like reference endpoint allows {} requests per second per account)",
                self.config.live_like.map_or(0, |l| l.rate_limit)
            ),
            retry_after,
        })
    }

    /// Counts a signed Create; the plan's fault for it, if any.
    fn next_create_fault(&self) -> Option<Fault> {
        let n = self.creates.fetch_add(1, Ordering::SeqCst) + 1;
        self.config.faults.iter().find(|f| f.nth == n).copied()
    }
}

impl Serve for Shared {
    /// Counts, answers and records one request.
    fn serve(&self, req: &Received) -> Answer {
        let nth = self.received.fetch_add(1, Ordering::SeqCst) + 1;
        let (defects, choices) = (self.defects.get(), self.choices.get());
        let (reply, fault) = self.reply(req, nth, defects, choices);
        if let Some(recorder) = &self.recorder {
            let mut answered = reply.answered(defects, choices);
            answered.fault = fault.map(|f| f.to_string());
            recorder.record(nth, &req.head, req.bytes(), answered);
        }
        let request_id = self.world().ids.uuid();
        Answer {
            hold: reply.hold(),
            response: reply.into_response(&request_id, defects, choices),
        }
    }
}

/// A running reference endpoint. Dropping it stops the server: it stops accepting at once, and
/// open connections may finish the request they are on for a few seconds.
pub struct ReferenceEndpoint {
    server: Server,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ReferenceEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferenceEndpoint")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl ReferenceEndpoint {
    /// Starts the endpoint on a random loopback port.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound at all (the machine has no loopback interface), or
    /// [`Config::record`] names a file that cannot be created.
    pub async fn start(config: Config) -> ReferenceEndpoint {
        let listener = TcpListener::bind("127.0.0.1:0")
            .expect("cannot bind a loopback port for the reference endpoint");
        Self::start_with(config, listener)
            .await
            .expect("cannot create the recording file")
    }

    /// Starts the endpoint on a fixed loopback port (for `serve`); fails when the port cannot
    /// be bound or the recording file ([`Config::record`]) cannot be created.
    pub async fn start_on(config: Config, port: u16) -> std::io::Result<ReferenceEndpoint> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        Self::start_with(config, listener).await
    }

    async fn start_with(
        config: Config,
        listener: TcpListener,
    ) -> std::io::Result<ReferenceEndpoint> {
        let defects = DefectSwitch::default();
        defects.set(&config.defects);
        let choices = ChoiceSwitch::default();
        choices.set(&config.choices);
        let url = format!("http://{}", listener.local_addr()?);
        let recorder = match &config.record {
            Some(path) => Some(Recorder::create(
                path,
                &url,
                &config.region,
                &config.faults,
            )?),
            None => None,
        };
        let shared = Arc::new(Shared {
            defects,
            choices,
            world: Mutex::new(World::new()),
            received: AtomicUsize::new(0),
            creates: AtomicUsize::new(0),
            recorder,
            limiter: config.live_like.as_ref().map(Limiter::new),
            rate_limited: AtomicUsize::new(0),
            config,
        });
        let server = Server::start(listener, Arc::clone(&shared) as Arc<dyn Serve>)?;
        Ok(ReferenceEndpoint { server, shared })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The configuration the endpoint was started with (see [`ReferenceEndpoint::set_defects`]
    /// for the defects switched on now).
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Forgets all state: resources, associations, tokens, tags and shares.
    pub fn reset(&self) {
        *self.shared.world() = World::new();
    }

    /// Switches the defects at run time (replacing the set given at start).
    pub fn set_defects(&self, defects: BTreeSet<Defect>) {
        self.shared.defects.set(&defects);
    }

    /// Switches the choices at run time (replacing the set given at start).
    pub fn set_choices(&self, choices: BTreeSet<Choice>) {
        self.shared.choices.set(&choices);
    }

    /// How many requests the endpoint has served.
    pub fn received_count(&self) -> usize {
        self.shared.received.load(Ordering::SeqCst)
    }

    /// How many requests the live-like rate limit answered 429.
    pub fn rate_limited_count(&self) -> usize {
        self.shared.rate_limited.load(Ordering::SeqCst)
    }

    /// Services, service networks and associations (every account): alive now (what finished
    /// being deleted by now no longer counts), the most alive at once since start or the last
    /// reset, and created in all.
    pub fn census(&self) -> Census {
        let (defects, choices) = (self.shared.defects.get(), self.shared.choices.get());
        let mut world = self.shared.world();
        self.shared
            .clock(SystemTime::now(), defects, choices)
            .sweep(&mut world);
        world.census
    }
}
