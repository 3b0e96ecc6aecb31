//! The Graph client: headers, tokens, the retry policy and the console-wide limiter around a
//! [`Transport`]. Typed calls per endpoint are in `endpoints.rs`; `$batch` in
//! [`crate::graph::batch`].

mod endpoints;

use std::rc::Rc;

use super::cloud::GraphBase;
use super::error::{ErrorKind, GraphError, INTERACTION_REQUIRED};
use super::http_date::parse_retry_after;
use super::limiter::{RequestLimiter, SendMark};
use super::request::GraphRequest;
use super::retry::{Decision, Outcome, RequestTraits, RetryPolicy, RetryState};
use super::transport::{
    random_unit, HttpRequest, HttpResponse, RandomRequestIds, RequestIds, Sleeper, TokenProvider,
    Transport, TransportError,
};

/// `Prefer` value sent on every request, so newer enum members (e.g. `movingRegion`) come back.
pub const PREFER_UNKNOWN_ENUMS: &str = "include-unknown-enum-members";

/// A Microsoft Graph client for one cloud and one set of scopes.
pub struct GraphClient<T: Transport, A: TokenProvider, S: Sleeper> {
    base: GraphBase,
    scopes: Vec<String>,
    transport: T,
    tokens: A,
    sleeper: S,
    policy: RetryPolicy,
    limiter: RequestLimiter,
    ids: Rc<dyn RequestIds>,
    jitter: Rc<dyn Fn() -> f64>,
}

impl<T: Transport, A: TokenProvider, S: Sleeper> GraphClient<T, A, S> {
    /// A client with the default retry policy and its own limiter
    /// ([`crate::graph::limiter::DEFAULT_MAX_IN_FLIGHT`] requests in flight).
    pub fn new(base: GraphBase, scopes: Vec<String>, transport: T, tokens: A, sleeper: S) -> Self {
        GraphClient {
            base,
            scopes,
            transport,
            tokens,
            sleeper,
            policy: RetryPolicy::default(),
            limiter: RequestLimiter::default(),
            ids: Rc::new(RandomRequestIds),
            jitter: Rc::new(random_unit),
        }
    }

    /// Replaces the retry policy.
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Shares `limiter` (e.g. between a read client and a write client of the same console).
    pub fn with_limiter(mut self, limiter: RequestLimiter) -> Self {
        self.limiter = limiter;
        self
    }

    /// Uses a limiter of its own allowing `n` requests in flight.
    pub fn with_max_in_flight(mut self, n: usize) -> Self {
        self.limiter = RequestLimiter::new(n);
        self
    }

    /// Replaces the source of `client-request-id` GUIDs.
    pub fn with_request_ids(mut self, ids: impl RequestIds + 'static) -> Self {
        self.ids = Rc::new(ids);
        self
    }

    /// Replaces the source of back-off jitter (numbers in `[0, 1)`).
    pub fn with_jitter(mut self, jitter: impl Fn() -> f64 + 'static) -> Self {
        self.jitter = Rc::new(jitter);
        self
    }

    pub fn base(&self) -> &GraphBase {
        &self.base
    }

    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    pub fn limiter(&self) -> &RequestLimiter {
        &self.limiter
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn sleeper(&self) -> &S {
        &self.sleeper
    }

    /// Sends one request under the retry policy; returns the 2xx response or the error.
    pub async fn send(&self, req: &GraphRequest) -> Result<HttpResponse, GraphError> {
        let traits = RequestTraits {
            idempotent: req.is_idempotent(),
            destructive: req.destructive,
        };
        self.execute(req, traits, false).await
    }

    /// The retry loop. `force_refresh` asks for a fresh token on the first attempt.
    pub(crate) async fn execute(
        &self,
        req: &GraphRequest,
        traits: RequestTraits,
        force_refresh: bool,
    ) -> Result<HttpResponse, GraphError> {
        let mut sent = self.limiter.send_mark();
        self.execute_marked(req, traits, force_refresh, &mut sent)
            .await
    }

    /// [`GraphClient::execute`], telling in `last_sent` when its last attempt went on the wire
    /// (for `$batch`, whose sub-requests are throttled one by one after the answer is read).
    pub(crate) async fn execute_marked(
        &self,
        req: &GraphRequest,
        traits: RequestTraits,
        mut force_refresh: bool,
        last_sent: &mut SendMark,
    ) -> Result<HttpResponse, GraphError> {
        let mut state = RetryState::default();
        loop {
            self.limiter.wait_open().await;
            // Offline: hold the request (and its token request) until the network is back.
            self.transport.wait_until_online().await;
            // The token first: a slow token provider must not hold a slot on the wire.
            let token = self.token(force_refresh).await?;
            force_refresh = false;
            let permit = self.limiter.acquire().await;
            // The gate may have closed while this request waited for its slot.
            self.limiter.wait_open().await;
            let http = self.http_request(req, &token);
            let client_request_id = http.header("client-request-id").map(str::to_owned);
            let sent = self.limiter.send_mark();
            *last_sent = sent;
            let result = self.transport.send(http).await;
            drop(permit);

            let outcome = match &result {
                Ok(resp) => Outcome::Status {
                    status: resp.status,
                    retry_after: retry_after_of(resp),
                },
                Err(e) => Outcome::Transport(e),
            };
            match self
                .policy
                .decide(&mut state, outcome, traits, (self.jitter)())
            {
                Decision::Success => return result.map_err(|_| unreachable_error()),
                Decision::Retry {
                    after,
                    throttled: true,
                } => match self.limiter.pause_since(sent) {
                    Some(_everyone_waits) => self.sleeper.sleep(after).await,
                    // The gate closed after this request was sent: that pause covers it.
                    None => self.limiter.wait_open().await,
                },
                Decision::Retry {
                    after,
                    throttled: false,
                } => self.sleeper.sleep(after).await,
                Decision::RefreshTokenAndRetry => force_refresh = true,
                Decision::Fail(kind) => {
                    return Err(failure(req, kind, result, client_request_id));
                }
            }
        }
    }

    async fn token(&self, force_refresh: bool) -> Result<String, GraphError> {
        self.tokens
            .access_token(&self.scopes, force_refresh)
            .await
            .map_err(|e| {
                let mut err = GraphError::new(ErrorKind::Auth, e.message);
                if e.interaction_required {
                    err.code = Some(INTERACTION_REQUIRED.to_owned());
                }
                err
            })
    }

    /// The HTTP request for `req`: absolute URL and every header Graph needs.
    pub(crate) fn http_request(&self, req: &GraphRequest, token: &str) -> HttpRequest {
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {token}")),
            ("client-request-id".to_owned(), self.ids.fresh()),
            ("Prefer".to_owned(), PREFER_UNKNOWN_ENUMS.to_owned()),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        let body = req.body.as_ref().map(|b| {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            b.to_string()
        });
        HttpRequest {
            method: req.method,
            url: self.base.url(&req.path),
            headers,
            body,
        }
    }

    pub(crate) fn fresh_id(&self) -> String {
        self.ids.fresh()
    }

    pub(crate) fn jitter(&self) -> f64 {
        (self.jitter)()
    }
}

/// The `Retry-After` of a response, as a delay.
pub(crate) fn retry_after_of(resp: &HttpResponse) -> Option<std::time::Duration> {
    parse_retry_after(resp.header("retry-after")?, resp.header("date"))
}

fn unreachable_error() -> GraphError {
    GraphError::new(ErrorKind::InvalidResponse, "success without a response")
}

/// The error for a request that will not be repeated.
fn failure(
    req: &GraphRequest,
    kind: ErrorKind,
    result: Result<HttpResponse, TransportError>,
    client_request_id: Option<String>,
) -> GraphError {
    let mut err = match result {
        Ok(resp) => {
            let mut e = GraphError::from_response(kind, resp.status, &resp.headers, &resp.body);
            if kind == ErrorKind::Ambiguous {
                e.message = format!(
                    "{} answered HTTP {}; it is unknown whether it was carried out. Check the Cloud PC's \
                     state or action history before trying again. ({})",
                    req.describe(),
                    resp.status,
                    e.message
                );
            }
            e
        }
        Err(t) => {
            let message = if kind == ErrorKind::Ambiguous {
                format!(
                    "{} got no answer ({t}); it is unknown whether it was carried out. Check the Cloud PC's \
                     state or action history before trying again.",
                    req.describe()
                )
            } else {
                format!("{}: {t}", req.describe())
            };
            GraphError::new(kind, message)
        }
    };
    if err.client_request_id.is_none() {
        err.client_request_id = client_request_id;
    }
    err
}

#[cfg(test)]
mod tests;
