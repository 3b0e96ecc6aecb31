//! Test doubles for the Graph client: a scripted transport, a token provider and a sleeper that
//! record what they see into one shared event log.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use super::client::GraphClient;
use super::cloud::{Cloud, GraphBase};
use super::transport::{
    HttpRequest, HttpResponse, RequestIds, Sleeper, TokenError, TokenProvider, Transport,
    TransportError,
};

pub type Events = Rc<RefCell<Vec<String>>>;
pub type Reply = Result<HttpResponse, TransportError>;
type Handler = Box<dyn FnMut(&HttpRequest) -> Reply>;

/// Yields to the executor once (lets concurrent futures interleave).
pub async fn yield_now() {
    struct YieldNow(bool);
    impl Future for YieldNow {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
    YieldNow(false).await
}

/// The most requests that were on the wire at the same time, from an event log.
pub fn max_concurrency(events: &Events) -> usize {
    let (mut now, mut max) = (0usize, 0usize);
    for e in events.borrow().iter() {
        if e.starts_with("send ") {
            now += 1;
            max = max.max(now);
        } else if e.starts_with("answer ") {
            now -= 1;
        }
    }
    max
}

pub fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("request-id".into(), format!("req-{status}"))],
        body: body.into(),
    }
}

pub fn resp_with(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut r = resp(status, body);
    r.headers
        .extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    r
}

/// Transport answering from a handler and logging each request.
pub struct FakeTransport {
    handler: RefCell<Handler>,
    requests: RefCell<Vec<HttpRequest>>,
    pub events: Events,
    /// Yields before answering (simulates time on the wire).
    pub yields: usize,
}

impl FakeTransport {
    pub fn with_handler(
        events: Events,
        handler: impl FnMut(&HttpRequest) -> Reply + 'static,
    ) -> Rc<Self> {
        Rc::new(FakeTransport {
            handler: RefCell::new(Box::new(handler)),
            requests: RefCell::default(),
            events,
            yields: 1,
        })
    }

    /// Answers with `replies` in order; panics when they run out.
    pub fn scripted(events: Events, replies: Vec<Reply>) -> Rc<Self> {
        let mut queue: VecDeque<Reply> = replies.into();
        Self::with_handler(events, move |req| {
            queue
                .pop_front()
                .unwrap_or_else(|| panic!("unexpected request {} {}", req.method, req.url))
        })
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    pub fn request(&self, n: usize) -> HttpRequest {
        self.requests.borrow()[n].clone()
    }
}

impl Transport for FakeTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.events
            .borrow_mut()
            .push(format!("send {} {}", req.method, req.url));
        self.requests.borrow_mut().push(req.clone());
        for _ in 0..self.yields {
            yield_now().await;
        }
        let reply = (self.handler.borrow_mut())(&req);
        self.events.borrow_mut().push(format!(
            "answer {} {}",
            req.url,
            match &reply {
                Ok(r) => r.status.to_string(),
                Err(e) => e.to_string(),
            }
        ));
        reply
    }
}

/// Token provider handing out `token-1`, `token-2`… and recording `force_refresh` flags.
#[derive(Default)]
pub struct FakeTokens {
    pub issued: Cell<u32>,
    pub calls: RefCell<Vec<(Vec<String>, bool)>>,
    pub fail: RefCell<Option<TokenError>>,
}

impl TokenProvider for FakeTokens {
    async fn access_token(
        &self,
        scopes: &[String],
        force_refresh: bool,
    ) -> Result<String, TokenError> {
        self.calls
            .borrow_mut()
            .push((scopes.to_vec(), force_refresh));
        if let Some(e) = self.fail.borrow().clone() {
            return Err(e);
        }
        self.issued.set(self.issued.get() + 1);
        Ok(format!("token-{}", self.issued.get()))
    }
}

/// Sleeper that records each wait in the event log and yields a few times instead of waiting.
pub struct FakeSleeper {
    pub slept: RefCell<Vec<Duration>>,
    pub events: Events,
    pub yields: usize,
}

impl Sleeper for FakeSleeper {
    async fn sleep(&self, d: Duration) {
        self.slept.borrow_mut().push(d);
        self.events
            .borrow_mut()
            .push(format!("sleep {}ms", d.as_millis()));
        for _ in 0..self.yields {
            yield_now().await;
        }
        self.events
            .borrow_mut()
            .push(format!("woke {}ms", d.as_millis()));
    }
}

/// `crid-1`, `crid-2`…
#[derive(Default)]
pub struct SequentialIds(Cell<u32>);

impl RequestIds for SequentialIds {
    fn fresh(&self) -> String {
        self.0.set(self.0.get() + 1);
        format!("crid-{}", self.0.get())
    }
}

pub type TestClient = GraphClient<Rc<FakeTransport>, Rc<FakeTokens>, Rc<FakeSleeper>>;

pub struct Harness {
    pub client: TestClient,
    pub transport: Rc<FakeTransport>,
    pub tokens: Rc<FakeTokens>,
    pub sleeper: Rc<FakeSleeper>,
    pub events: Events,
}

impl Harness {
    pub fn scripted(replies: Vec<Reply>) -> Harness {
        let events = Events::default();
        Self::with_transport(FakeTransport::scripted(events.clone(), replies), events)
    }

    pub fn with_handler(handler: impl FnMut(&HttpRequest) -> Reply + 'static) -> Harness {
        let events = Events::default();
        Self::with_transport(FakeTransport::with_handler(events.clone(), handler), events)
    }

    /// Position of the first event starting with `prefix`.
    pub fn event_index(&self, prefix: &str) -> usize {
        self.events
            .borrow()
            .iter()
            .position(|e| e.starts_with(prefix))
            .unwrap_or_else(|| panic!("no event {prefix}: {:?}", self.events.borrow()))
    }

    fn with_transport(transport: Rc<FakeTransport>, events: Events) -> Harness {
        let tokens = Rc::new(FakeTokens::default());
        let sleeper = Rc::new(FakeSleeper {
            slept: RefCell::default(),
            events: events.clone(),
            yields: 5,
        });
        let client = GraphClient::new(
            GraphBase::for_cloud(Cloud::Global),
            Cloud::Global.scopes(true),
            transport.clone(),
            tokens.clone(),
            sleeper.clone(),
        )
        .with_request_ids(SequentialIds::default())
        .with_jitter(|| 0.0);
        Harness {
            client,
            transport,
            tokens,
            sleeper,
            events,
        }
    }

    pub fn slept(&self) -> Vec<Duration> {
        self.sleeper.slept.borrow().clone()
    }

    pub fn events(&self) -> Vec<String> {
        self.events.borrow().clone()
    }
}
