//! The simulator's shared state and the request pipeline every Graph request goes through,
//! whether it arrived over HTTP or inside a `$batch`:
//! authentication → throttling → faults (before) → permission → handler → faults (after) →
//! standard headers → request log.

use crate::auth::{AuthError, Principal, Tokens};
use crate::clock::{now_stamp, Clock};
use crate::faults::{FaultDice, FaultEffect, Faults, Phase};
use crate::graph::{GraphError, GraphRequest, Reply};
use crate::log::{recorded_body, redact_authorization, BoundedLog, RecordedRequest};
use crate::state::State;
use crate::tenant::{self, Tenant};
use crate::throttle::{retry_after_secs, Limits, Throttle};
use crate::{batch, routes, SimConfig};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

/// Everything the simulator knows.
pub struct Sim {
    pub config: SimConfig,
    pub clock: Clock,
    state: Mutex<State>,
    requests: Mutex<BoundedLog<RecordedRequest>>,
    tokens: Mutex<Tokens>,
    throttle: Mutex<Throttle>,
    faults: RwLock<Faults>,
    limits: RwLock<Limits>,
    seq: AtomicU64,
}

/// The result of running one request through the pipeline.
#[derive(Debug)]
pub struct Outcome {
    pub reply: Reply,
    /// Close the connection instead of answering.
    pub drop: bool,
    /// Cut the body short.
    pub malformed: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sim {
    pub fn new(config: SimConfig) -> anyhow::Result<Self> {
        let clock = Clock::new(config.time_scale);
        let tenant = Self::make_tenant(&config, &clock)?;
        let state = State::new(
            tenant,
            config.timing.clone(),
            config.seed,
            clock.clone(),
            config.log_capacity,
        );
        Ok(Sim {
            requests: Mutex::new(BoundedLog::new(config.log_capacity)),
            faults: RwLock::new(config.faults.clone()),
            limits: RwLock::new(config.limits.clone()),
            state: Mutex::new(state),
            tokens: Mutex::new(Tokens::new()),
            throttle: Mutex::new(Throttle::new()),
            seq: AtomicU64::new(0),
            clock,
            config,
        })
    }

    fn make_tenant(config: &SimConfig, clock: &Clock) -> anyhow::Result<Tenant> {
        match &config.tenant_file {
            Some(path) => tenant::load(path, config.seed),
            None => Ok(tenant::generate(config.devices, config.seed, clock)),
        }
    }

    /// Regenerates (or reloads) the tenant, clears both logs and refills throttling budgets.
    /// Issued tokens stay valid.
    pub fn reset(&self) -> anyhow::Result<()> {
        let tenant = Self::make_tenant(&self.config, &self.clock)?;
        let state = State::new(
            tenant,
            self.config.timing.clone(),
            self.config.seed,
            self.clock.clone(),
            self.config.log_capacity,
        );
        *lock(&self.state) = state;
        lock(&self.requests).clear();
        lock(&self.throttle).reset();
        self.seq.store(0, Ordering::SeqCst);
        Ok(())
    }

    /// The tenant state, settled to the current instant.
    pub fn state(&self) -> MutexGuard<'_, State> {
        let mut s = lock(&self.state);
        s.settle(self.clock.now());
        s
    }

    pub fn tokens(&self) -> MutexGuard<'_, Tokens> {
        lock(&self.tokens)
    }

    pub fn faults(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    pub fn limits(&self) -> Limits {
        self.limits
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_limits(&self, limits: Limits) {
        *self.limits.write().unwrap_or_else(|e| e.into_inner()) = limits;
        lock(&self.throttle).reset();
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).snapshot()
    }

    pub fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Runs a request through the pipeline and records it. `batch` names the outer batch
    /// (its seq) and the sub-request id for `$batch` sub-requests.
    pub fn process(&self, req: &GraphRequest, seq: u64, batch: Option<(u64, String)>) -> Outcome {
        let time = now_stamp();
        let request_id = uuid::Uuid::new_v4().to_string();
        let client_request_id = req.header("client-request-id").map(str::to_string);
        let faults = self.faults();
        let dice = FaultDice::new(self.config.seed, seq);
        let in_batch = batch.is_some();
        let (reply, drop) = self.run(req, &request_id, &faults, &dice, seq, in_batch);
        let mut reply = match reply {
            Ok(r) => r,
            Err(e) => Reply::error(&e, &request_id, client_request_id.as_deref()),
        };
        reply
            .headers
            .push(("request-id".into(), request_id.clone()));
        if let Some(c) = &client_request_id {
            reply.headers.push(("client-request-id".into(), c.clone()));
        }
        let malformed = !in_batch && !drop && dice.malformed(&faults);
        self.record(
            req,
            seq,
            time,
            if drop { 0 } else { reply.status },
            request_id,
            batch,
        );
        Outcome {
            reply,
            drop: drop && !in_batch,
            malformed,
        }
    }

    fn run(
        &self,
        req: &GraphRequest,
        request_id: &str,
        faults: &Faults,
        dice: &FaultDice,
        seq: u64,
        in_batch: bool,
    ) -> (Result<Reply, GraphError>, bool) {
        // Authentication.
        let principal = match self
            .tokens()
            .authenticate(req.header("authorization"), faults.token_lifetime_secs)
        {
            Ok(p) => p,
            Err(e) => return (Err(unauthenticated(&e)), false),
        };
        let is_batch = routes::is_batch(&req.path);
        // Throttling (the outer `$batch` is free; its sub-requests are throttled one by one).
        if !is_batch {
            let limits = self.limits();
            let admitted = lock(&self.throttle).admit(
                &limits,
                &principal.app_id,
                req.is_write(),
                self.clock.now(),
            );
            if let Err(wait) = admitted {
                let secs = retry_after_secs(wait, self.clock.scale());
                return (
                    Err(
                        GraphError::new(429, "TooManyRequests", "Please retry again later.")
                            .with_header("Retry-After", secs.to_string()),
                    ),
                    false,
                );
            }
        }
        // Faults before the operation.
        match dice.strike(faults, Phase::Before, &req.method, &req.path) {
            Some(FaultEffect::Status(s)) => return (Err(server_error(s)), false),
            Some(FaultEffect::Drop) if !in_batch => return (Err(server_error(500)), true),
            _ => {}
        }
        // Permission.
        if req.is_write() && !is_batch && (!principal.can_write() || faults.read_only_tokens) {
            return (Err(forbidden(&principal)), false);
        }
        let result = if is_batch {
            batch::handle(self, req, seq, &principal)
        } else {
            routes::dispatch(self, req, &principal, request_id)
        };
        // Faults after the operation: it happened, but the caller cannot know.
        match dice.strike(faults, Phase::After, &req.method, &req.path) {
            Some(FaultEffect::Status(s)) => (Err(server_error(s)), false),
            Some(FaultEffect::Drop) if !in_batch => (result, true),
            _ => (result, false),
        }
    }

    /// Records a sub-request answered without running it (a failed dependency, an invalid
    /// url) and returns its reply.
    pub fn record_failed_dependency(
        &self,
        req: &GraphRequest,
        seq: u64,
        outer_seq: u64,
        sub_id: &str,
        err: &GraphError,
    ) -> Reply {
        let request_id = uuid::Uuid::new_v4().to_string();
        let mut reply = Reply::error(err, &request_id, req.header("client-request-id"));
        reply
            .headers
            .push(("request-id".into(), request_id.clone()));
        self.record(
            req,
            seq,
            now_stamp(),
            reply.status,
            request_id,
            Some((outer_seq, sub_id.to_string())),
        );
        reply
    }

    fn record(
        &self,
        req: &GraphRequest,
        seq: u64,
        time: String,
        status: u16,
        request_id: String,
        batch: Option<(u64, String)>,
    ) {
        let mut headers = BTreeMap::new();
        for (n, v) in &req.headers {
            let value = if n == "authorization" {
                redact_authorization(v)
            } else {
                v.clone()
            };
            headers.insert(n.clone(), value);
        }
        let (batch_id, sub_id) = match batch {
            Some((b, s)) => (Some(b), Some(s)),
            None => (None, None),
        };
        let entry = RecordedRequest {
            seq,
            time,
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers,
            body: recorded_body(&req.body),
            status,
            request_id,
            batch_id,
            sub_id,
        };
        lock(&self.requests).push(entry);
    }
}

fn unauthenticated(e: &AuthError) -> GraphError {
    GraphError::new(401, "InvalidAuthenticationToken", e.message()).with_header(
        "WWW-Authenticate",
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
    )
}

fn forbidden(p: &Principal) -> GraphError {
    GraphError::new(
        403,
        "Forbidden",
        format!(
            "Missing scope permissions on the request. API requires one of 'CloudPC.ReadWrite.All'. Scopes on the request '{}'",
            p.scopes.join(", ")
        ),
    )
}

/// Graph's answers for injected server errors.
pub fn server_error(status: u16) -> GraphError {
    match status {
        502 => GraphError::new(
            502,
            "BadGateway",
            "The service is temporarily unavailable. Please try again later.",
        ),
        503 => GraphError::new(
            503,
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
        )
        .with_header("Retry-After", "5"),
        504 => GraphError::new(
            504,
            "GatewayTimeout",
            "The operation timed out. Please try again later.",
        ),
        _ => GraphError::new(
            500,
            "InternalServerError",
            "An internal server error occurred while processing the request.",
        ),
    }
}
