//! A reprovision Graph refused may still have been carried out by the same request: when a
//! connection drops before the answer, the browser itself sends the request again (Chromium does
//! so, POSTs included, for a request on a reused connection that got no answer), unseen by the
//! console. The first delivery was carried out; the second is refused because the Cloud PC is
//! already reprovisioning. Shown as "failed", the device would invite a retry and a second wipe.
//!
//! So after sending, every device refused with 400 or 409 is read once (GETs only): if its
//! reprovision started after the run's request went out, the refusal was the echo of an
//! accepted request, and the device is `Successful` (accepted), with a reason that says so.
//! Otherwise the refusal stands.

use super::follow::{judge, observe, Verdict};
use super::outcome::{codes, Category, Change, Reason, ReasonSource};
use super::sink::RunSink;
use crate::graph::client::GraphClient;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// A refusal that a duplicate delivery of an accepted request would also get: Graph's own
/// 400 or 409 answer.
pub fn may_echo_an_accepted_request(reason: &Reason) -> bool {
    reason.source == ReasonSource::Graph && matches!(reason.status, Some(400 | 409))
}

/// Reads the devices of `ids` that are `Failed` with such a refusal and moves those whose
/// reprovision started after their request to `Successful`. Returns the ids moved.
pub async fn recheck_refusals<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    ids: &[String],
) -> Vec<String>
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let refused: Vec<String> = sink.with_ledger(|l| {
        ids.iter()
            .filter(|id| {
                l.device(id).is_some_and(|d| {
                    d.category == Category::Failed
                        && d.reason.as_ref().is_some_and(may_echo_an_accepted_request)
                })
            })
            .cloned()
            .collect()
    });
    if refused.is_empty() {
        return Vec::new();
    }
    let mut moved = Vec::new();
    for (id, sighting) in observe(client, &refused).await {
        let now = sink.now();
        let Some((since, previous, refusal)) = sink.with_ledger(|l| {
            l.device(&id).map(|d| {
                (
                    d.last_sent_at.or(l.started_at).unwrap_or(l.created_at),
                    d.tracking.clone(),
                    d.reason.clone().unwrap_or_default(),
                )
            })
        }) else {
            continue;
        };
        let (verdict, tracking) = judge(&sighting, since, previous.as_ref(), now);
        if !matches!(verdict, Verdict::Queued | Verdict::Running | Verdict::Done) {
            continue;
        }
        sink.apply(Change::Tracked {
            id: id.clone(),
            tracking,
        });
        let reason = Reason::console(
            codes::ACCEPTED,
            format!(
                "Graph answered \"{}\", but the Cloud PC's reprovision started after this run sent \
                 it: the request reached Graph twice (the browser re-sends a request whose \
                 connection dropped) and the first was carried out. Do not send it again.",
                refusal.message
            ),
        )
        .with_ids_of(&refusal);
        sink.apply(Change::Device {
            id: id.clone(),
            to: Category::Successful,
            reason: Some(reason),
            at: now,
        });
        moved.push(id);
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::testing::*;
    use crate::bulk::Strategy;
    use crate::graph::models::ReprovisionParams;

    /// pc000 reprovisioning since just after the run's request; pc001 unchanged; pc002
    /// refused for a not-supported product, never read.
    fn graph() -> Env {
        env(|method, path, _| {
            assert_eq!(method, "GET", "a recheck only reads");
            let id = pc_id(path).unwrap();
            let started = id == "pc000";
            if path.ends_with("retrieveCloudPcRemoteActionResults") {
                if started {
                    json_answer(200, actions_json("active", T0 + 500))
                } else {
                    json_answer(200, serde_json::json!({"value": []}))
                }
            } else {
                json_answer(
                    200,
                    cloud_pc_json(
                        id,
                        if started {
                            "provisioning"
                        } else {
                            "provisioned"
                        },
                    ),
                )
            }
        })
    }

    fn refused(status: u16, code: &str) -> Reason {
        Reason {
            source: ReasonSource::Graph,
            code: Some(code.into()),
            message: format!("{code}: the Cloud PC cannot be reprovisioned now"),
            status: Some(status),
            request_id: Some(format!("rid-{status}")),
            client_request_id: Some("crid".into()),
            date: None,
        }
    }

    #[tokio::test]
    async fn a_refusal_whose_reprovision_started_was_an_echo_of_the_accepted_request() {
        let e = graph();
        let all = ids(3);
        let sink = e.sink(ledger_of(
            Strategy::PerDevice,
            ReprovisionParams::default(),
            &all,
            &[],
        ));
        sink.apply(Change::Started { at: T0 });
        sink.apply(Change::Sent {
            ids: all.clone(),
            at: T0,
        });
        for (id, reason) in [
            ("pc000", refused(400, "BadRequest")),
            ("pc001", refused(409, "Conflict")),
            ("pc002", refused(403, "Forbidden")),
        ] {
            sink.apply(Change::Device {
                id: id.into(),
                to: Category::Failed,
                reason: Some(reason),
                at: T0 + 100,
            });
        }
        let moved = recheck_refusals(&e.client, &sink, &all).await;
        assert_eq!(moved, vec!["pc000".to_owned()]);
        let l = sink.snapshot();
        let d = l.device("pc000").unwrap();
        assert_eq!(d.category, Category::Successful);
        let r = d.reason.clone().unwrap();
        assert_eq!(r.code.as_deref(), Some(codes::ACCEPTED));
        assert!(r.message.contains("reached Graph twice"), "{}", r.message);
        assert_eq!(
            r.request_id.as_deref(),
            Some("rid-400"),
            "support can trace it"
        );
        assert_eq!(l.device("pc001").unwrap().category, Category::Failed);
        assert_eq!(l.device("pc002").unwrap().category, Category::Failed);
        assert_eq!(
            e.graph.count("pc002"),
            0,
            "a 403 is no echo: not read at all"
        );
        assert!(e.graph.log().iter().all(|r| r.starts_with("GET")));
    }
}
