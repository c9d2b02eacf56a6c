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
use crate::ops;
use crate::reply::Reply;
use crate::route::{accepted_scopes, route, RESET_PATH};
use crate::server::{Answer, Received, Serve, Server};
use crate::sigv4::{self, Signable};
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
        let reply = if found
            .op
            .errors()
            .contains(&lattice_spec::ErrorType::ThrottlingException)
            && self
                .config
                .throttle_every
                .is_some_and(|n| n > 0 && nth % n == 0)
        {
            Reply::Error(ApiError::Throttling {
                message: "Rate exceeded (the reference endpoint's throttle_every)".into(),
            })
        } else {
            let clock = Clock {
                now,
                delay: self.config.transition_delay,
                service_delay: self.config.service_creation_delay,
                defects,
                choices,
            };
            clock.sweep(&mut world);
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
            config,
            defects,
            choices,
            world: Mutex::new(World::new()),
            received: AtomicUsize::new(0),
            creates: AtomicUsize::new(0),
            recorder,
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
}
