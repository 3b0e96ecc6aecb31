//! Strategy 1: one `POST cloudPCs/{id}/reprovision` per Cloud PC with the run's parameters,
//! packed 20 to a `$batch`, several batches in flight. Throttled sub-requests are re-sent by the
//! client itself (they were not carried out); each other answer is final and mapped by
//! [`classify_reprovision`].

use std::cell::RefCell;
use std::collections::VecDeque;

use futures_util::future::join_all;

use super::outcome::{Category, Change, Reason};
use super::sink::{CancelFlag, RunSink};
use crate::graph::batch::{SubOutcome, MAX_BATCH_SIZE};
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::error::ErrorKind;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Batches in flight at once by default (the client's limiter bounds requests on the wire too).
pub const DEFAULT_BATCHES_IN_FLIGHT: usize = 4;

/// What a request phase did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Devices whose reprovision was sent.
    pub sent: usize,
    /// Devices asked for but not sent (not pending, or the run was stopped first).
    pub not_sent: usize,
    pub canceled: bool,
}

/// The category and reason of one reprovision answer:
/// - 2xx → `Successful` (Graph accepted the reprovision; following tells how it ends);
/// - 404 → `NotFound`;
/// - an error whose `code` says not supported (`…NotSupported…`, `…Unsupported…`) → `NotSupported`;
/// - `Ambiguous` (5xx, no answer, missing from its batch) and an unreadable batch answer →
///   `Unknown`: it may have been carried out and must be checked before any re-send;
/// - anything else (400, 403, 409, throttled past the retries, sign-in failed…) → `Failed`.
pub fn classify_reprovision(outcome: &SubOutcome) -> (Category, Reason) {
    match outcome {
        Ok(resp) => (
            Category::Successful,
            Reason::accepted(
                resp,
                format!("Graph accepted the reprovision (HTTP {}).", resp.status),
            ),
        ),
        Err(e) => {
            let category = match e.kind {
                _ if e.outcome_unknown() => Category::Unknown,
                ErrorKind::NotFound => Category::NotFound,
                _ if is_not_supported_code(e.code.as_deref()) => Category::NotSupported,
                _ => Category::Failed,
            };
            (category, Reason::from_error(e))
        }
    }
}

/// Graph codes that say the action is not supported for the device.
pub fn is_not_supported_code(code: Option<&str>) -> bool {
    code.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("notsupported") || c.contains("unsupported")
    })
}

/// Sends the reprovision of each device of `ids` that is `Pending` in the sink's ledger, with
/// the ledger's parameters, `MAX_BATCH_SIZE` to a `$batch` and up to `batches_in_flight`
/// batches at once; reports every change to `sink`. Devices that are not pending are skipped
/// (so an `Unknown` or answered device is never sent again by accident). Stops taking new
/// batches once `cancel` is set.
pub async fn run_per_device<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    ids: &[String],
    batches_in_flight: usize,
    cancel: &CancelFlag,
) -> SendReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let params = sink.with_ledger(|l| l.params.clone());
    sink.apply(Change::Started { at: sink.now() });
    let queue: RefCell<VecDeque<Vec<String>>> =
        RefCell::new(ids.chunks(MAX_BATCH_SIZE).map(<[String]>::to_vec).collect());
    let report = RefCell::new(SendReport::default());

    let worker = || async {
        loop {
            if cancel.is_canceled() {
                break;
            }
            let Some(chunk) = queue.borrow_mut().pop_front() else {
                break;
            };
            let chunk: Vec<String> = sink.with_ledger(|l| {
                chunk
                    .into_iter()
                    .filter(|id| {
                        l.device(id)
                            .is_some_and(|d| d.category == Category::Pending && !d.awaiting_answer)
                    })
                    .collect()
            });
            if chunk.is_empty() {
                continue;
            }
            let requests: Vec<_> = chunk
                .iter()
                .map(|id| calls::reprovision(id, &params))
                .collect();
            sink.apply(Change::Sent {
                ids: chunk.clone(),
                at: sink.now(),
            });
            report.borrow_mut().sent += chunk.len();
            let outcomes = client.send_batch(&requests).await;
            let at = sink.now();
            for (id, outcome) in chunk.into_iter().zip(&outcomes) {
                let (to, reason) = classify_reprovision(outcome);
                sink.apply(Change::Device {
                    id,
                    to,
                    reason: Some(reason),
                    at,
                });
            }
        }
    };
    join_all((0..batches_in_flight.max(1)).map(|_| worker())).await;
    // A refusal may be the echo of an accepted request the browser delivered twice.
    super::recheck::recheck_refusals(client, sink, ids).await;

    let mut report = report.into_inner();
    report.canceled = cancel.is_canceled();
    report.not_sent = ids.len().saturating_sub(report.sent);
    sink.apply(Change::Finished { at: sink.now() });
    report
}

#[cfg(test)]
mod tests;
