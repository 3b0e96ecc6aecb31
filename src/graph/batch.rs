//! JSON `$batch`: up to 20 sub-requests per POST, each read on its own.
//!
//! - Packing: unique ids, relative URLs, `Content-Type: application/json` on bodies, and the
//!   console's `Prefer` and a fresh `client-request-id` on every sub-request.
//! - Reading: responses come in any order and are matched by id; each sub-response goes through
//!   the retry policy by itself. Sub-requests answered 429 (and GETs answered 503/504) are re-sent
//!   in a new batch once their own `Retry-After` has passed, everyone else waiting too; the
//!   others are final.
//! - Destructive sub-requests answered 5xx, missing from the answer, or inside a batch POST that
//!   failed ambiguously are [`ErrorKind::Ambiguous`] and never re-sent.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::client::{retry_after_of, GraphClient, PREFER_UNKNOWN_ENUMS};
use super::error::{ErrorKind, GraphError};
use super::limiter::SendMark;
use super::parse;
use super::request::{GraphRequest, Method};
use super::retry::{Decision, Outcome, RequestTraits, RetryState};
use super::transport::{HttpResponse, Sleeper, TokenProvider, Transport};

/// Graph's limit of sub-requests per batch.
pub const MAX_BATCH_SIZE: usize = 20;

/// The result of one sub-request: its 2xx response or its error.
pub type SubOutcome = Result<HttpResponse, GraphError>;

/// One sub-request ready to pack: its batch id and `client-request-id`.
#[derive(Debug, Clone, PartialEq)]
pub struct SubRequest<'a> {
    pub id: String,
    pub client_request_id: String,
    pub request: &'a GraphRequest,
}

/// The `$batch` body for `subs` (at most [`MAX_BATCH_SIZE`], ids unique).
pub fn pack(subs: &[SubRequest<'_>]) -> Value {
    let requests: Vec<Value> = subs
        .iter()
        .map(|s| {
            let mut headers = Map::new();
            headers.insert(
                "client-request-id".into(),
                s.client_request_id.clone().into(),
            );
            headers.insert("Prefer".into(), PREFER_UNKNOWN_ENUMS.into());
            let mut r = json!({
                "id": s.id,
                "method": s.request.method.as_str(),
                "url": s.request.path,
            });
            // Graph refuses a write in a batch without a body and Content-Type ("Write request
            // id : 1 does not contain Content-Type header or body."): a bodyless POST (e.g. a
            // reprovision without parameters) is sent with `{}`, which means the same.
            let body = match (&s.request.body, s.request.method) {
                (Some(body), _) => Some(body.clone()),
                (None, Method::Post | Method::Patch) => Some(json!({})),
                (None, _) => None,
            };
            if let Some(body) = body {
                headers.insert("Content-Type".into(), "application/json".into());
                r["body"] = body;
            }
            r["headers"] = Value::Object(headers);
            r
        })
        .collect();
    json!({ "requests": requests })
}

/// The batch POST for `subs`: destructive when any sub-request is.
pub fn batch_request(subs: &[SubRequest<'_>]) -> GraphRequest {
    GraphRequest {
        method: Method::Post,
        path: super::calls::BATCH.to_owned(),
        body: Some(pack(subs)),
        destructive: subs.iter().any(|s| s.request.destructive),
    }
}

/// Reads a `$batch` answer into `(id, response)` pairs. A sub-response's JSON body is kept as
/// its JSON text; its headers fall back on the batch's `request-id` and `Date`.
pub fn read(resp: &HttpResponse) -> Result<Vec<(String, HttpResponse)>, GraphError> {
    let value: Value = parse::json(resp)?;
    let Some(items) = value.get("responses").and_then(Value::as_array) else {
        return Err(parse::invalid(resp, "a $batch answer without `responses`"));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(parse::invalid(resp, "a $batch sub-response without `id`")),
        };
        let Some(status) = item
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
        else {
            return Err(parse::invalid(
                resp,
                "a $batch sub-response without `status`",
            ));
        };
        let mut headers: Vec<(String, String)> = item
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str()
                                .map(str::to_owned)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        for name in ["request-id", "date"] {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
                if let Some(v) = resp.header(name) {
                    headers.push((name.to_owned(), v.to_owned()));
                }
            }
        }
        let body = match item.get("body") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        out.push((
            id,
            HttpResponse {
                status,
                headers,
                body,
            },
        ));
    }
    Ok(out)
}

/// Sends `requests` in `$batch`es; returns one outcome per request, in order.
pub async fn send_batch<T: Transport, A: TokenProvider, S: Sleeper>(
    client: &GraphClient<T, A, S>,
    requests: &[GraphRequest],
) -> Vec<SubOutcome> {
    client.send_batch(requests).await
}

struct Pending {
    index: usize,
    state: RetryState,
}

impl<T: Transport, A: TokenProvider, S: Sleeper> GraphClient<T, A, S> {
    /// Sends `requests` in `$batch`es of at most 20 and returns, for each request in order,
    /// its 2xx response or its error (see the module documentation for the rules).
    pub async fn send_batch(&self, requests: &[GraphRequest]) -> Vec<SubOutcome> {
        let mut outcomes: Vec<Option<SubOutcome>> = vec![None; requests.len()];
        let mut pending: Vec<Pending> = (0..requests.len())
            .map(|index| Pending {
                index,
                state: RetryState::default(),
            })
            .collect();
        let mut force_refresh = false;
        while !pending.is_empty() {
            let mut next_round: Vec<Pending> = Vec::new();
            let mut wait = Duration::ZERO;
            let mut throttled_sent = None;
            let mut refresh_next = false;
            let mut rest = pending;
            while !rest.is_empty() {
                let tail = rest.split_off(rest.len().min(MAX_BATCH_SIZE));
                let chunk = std::mem::replace(&mut rest, tail);
                let subs: Vec<SubRequest<'_>> = chunk
                    .iter()
                    .map(|p| SubRequest {
                        id: (p.index + 1).to_string(),
                        client_request_id: self.fresh_id(),
                        request: &requests[p.index],
                    })
                    .collect();
                let outer = batch_request(&subs);
                let traits = RequestTraits {
                    idempotent: subs.iter().all(|s| s.request.is_idempotent()),
                    destructive: outer.destructive,
                };
                let mut sent = self.limiter().send_mark();
                let answer = self
                    .execute_marked(&outer, traits, force_refresh, &mut sent)
                    .await;
                let answers = answer.and_then(|resp| read(&resp).map(|subs| (resp, subs)));
                let (batch_resp, mut answers) = match answers {
                    Ok(ok) => ok,
                    Err(e) => {
                        for (p, s) in chunk.iter().zip(&subs) {
                            outcomes[p.index] = Some(Err(whole_batch_failed(&e, s)));
                        }
                        continue;
                    }
                };
                for (mut p, s) in chunk.into_iter().zip(&subs) {
                    let Some(pos) = answers.iter().position(|(id, _)| *id == s.id) else {
                        outcomes[p.index] = Some(Err(missing(&batch_resp, s)));
                        continue;
                    };
                    let (_, resp) = answers.swap_remove(pos);
                    let sub_traits = RequestTraits {
                        idempotent: s.request.is_idempotent(),
                        destructive: s.request.destructive,
                    };
                    let outcome = Outcome::Status {
                        status: resp.status,
                        retry_after: retry_after_of(&resp),
                    };
                    match self
                        .policy()
                        .decide(&mut p.state, outcome, sub_traits, self.jitter())
                    {
                        Decision::Success => outcomes[p.index] = Some(Ok(resp)),
                        Decision::Retry {
                            after,
                            throttled: t,
                        } => {
                            wait = wait.max(after);
                            if t {
                                // The latest throttled send decides: if the gate has not closed
                                // since it, this throttling is news and closes the gate.
                                throttled_sent =
                                    Some(throttled_sent.map_or(sent, |m: SendMark| m.max(sent)));
                            }
                            next_round.push(p);
                        }
                        Decision::RefreshTokenAndRetry => {
                            refresh_next = true;
                            next_round.push(p);
                        }
                        Decision::Fail(kind) => {
                            let mut e = GraphError::from_response(
                                kind,
                                resp.status,
                                &resp.headers,
                                &resp.body,
                            );
                            if e.client_request_id.is_none() {
                                e.client_request_id = Some(s.client_request_id.clone());
                            }
                            if kind == ErrorKind::Ambiguous {
                                e.message = format!(
                                    "{} answered HTTP {} inside a batch; it is unknown whether it was carried out. \
                                     Check the Cloud PC's state before trying again. ({})",
                                    s.request.describe(),
                                    resp.status,
                                    e.message
                                );
                            }
                            outcomes[p.index] = Some(Err(e));
                        }
                    }
                }
            }
            if !next_round.is_empty() && wait > Duration::ZERO {
                let pause = throttled_sent.map(|sent| self.limiter().pause_since(sent));
                match pause {
                    Some(Some(_everyone_waits)) => self.sleeper().sleep(wait).await,
                    // Throttled, but the gate closed after these were sent: that pause covers
                    // them (see limiter.rs).
                    Some(None) => self.limiter().wait_open().await,
                    None => self.sleeper().sleep(wait).await,
                }
            }
            next_round.sort_by_key(|p| p.index);
            pending = next_round;
            force_refresh = refresh_next;
        }
        outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| Err(GraphError::new(ErrorKind::InvalidResponse, "no outcome")))
            })
            .collect()
    }
}

/// The error of a sub-request whose whole batch POST failed.
fn whole_batch_failed(e: &GraphError, s: &SubRequest<'_>) -> GraphError {
    let mut err = e.clone();
    let unclear = e.kind == ErrorKind::Ambiguous
        || e.kind == ErrorKind::Network
        || (e.kind == ErrorKind::Graph && e.status.is_some_and(|st| st >= 500));
    if s.request.destructive && unclear {
        err.kind = ErrorKind::Ambiguous;
        err.message = format!(
            "{} was in a batch that got no clear answer; it is unknown whether it was carried out. \
             Check the Cloud PC's state before trying again. ({})",
            s.request.describe(),
            e.message
        );
    } else if e.kind == ErrorKind::Ambiguous {
        // A non-destructive sub-request in an ambiguous batch: nothing was changed by it.
        err.kind = if e.status.is_some() {
            ErrorKind::Graph
        } else {
            ErrorKind::Network
        };
    }
    err
}

/// The error of a sub-request absent from the batch answer.
fn missing(batch: &HttpResponse, s: &SubRequest<'_>) -> GraphError {
    let mut e = parse::invalid(
        batch,
        &format!("no sub-response for {}", s.request.describe()),
    );
    if s.request.destructive {
        e.kind = ErrorKind::Ambiguous;
        e.message = format!(
            "{} got no sub-response in its batch; it is unknown whether it was carried out. \
             Check the Cloud PC's state before trying again.",
            s.request.describe()
        );
    }
    e.client_request_id = Some(s.client_request_id.clone());
    e
}

#[cfg(test)]
mod tests;
