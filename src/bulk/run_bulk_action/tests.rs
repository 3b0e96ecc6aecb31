use std::cell::Cell;
use std::rc::Rc;

use serde_json::json;

use super::*;
use crate::bulk::follow::{reconcile, ReconcileOptions};
use crate::bulk::outcome::FollowPhase;
use crate::bulk::strategy::Strategy;
use crate::bulk::testing::*;
use crate::graph::models::ReprovisionParams;

fn summary(ok: u32, failed: u32, running: u32, pending: u32, ns: u32) -> serde_json::Value {
    json!({"successfulCount": ok, "failedCount": failed, "inProgressCount": running, "pendingCount": pending, "notSupportedCount": ns})
}

/// pc000, pc001: running at poll 1, done at 2. pc002: fails at 2. pc003: business, counted not
/// supported by Graph, never shows an action. pc004: running from 1, done at 3.
fn scripted_bulk_graph(polls: Rc<Cell<u32>>) -> Env {
    env(move |method, path, body| {
        let p = polls.get();
        let start = T0 + 5_000;
        match (method, path) {
            ("POST", "/deviceManagement/virtualEndpoint/bulkActions") => {
                let body = body.unwrap();
                assert_eq!(
                    body["@odata.type"],
                    "#microsoft.graph.cloudPcBulkReprovision"
                );
                assert_eq!(body["displayName"], "Console run run-1");
                assert_eq!(
                    body["cloudPcIds"],
                    json!(["pc000", "pc001", "pc002", "pc003", "pc004"])
                );
                json_answer(
                    201,
                    json!({"id": "ba1", "status": "pending", "cloudPcIds": body["cloudPcIds"], "actionSummary": summary(0, 0, 0, 5, 0)}),
                )
            }
            ("GET", "/deviceManagement/virtualEndpoint/bulkActions/ba1") => {
                polls.set(p + 1);
                let (status, s) = match p + 1 {
                    1 => ("pending", summary(0, 0, 3, 1, 1)),
                    2 => ("pending", summary(2, 1, 1, 0, 1)),
                    _ => ("failed", summary(3, 1, 0, 0, 1)),
                };
                json_answer(
                    200,
                    json!({"id": "ba1", "status": status, "cloudPcIds": ["pc000", "pc001", "pc002", "pc003", "pc004"], "actionSummary": s}),
                )
            }
            ("GET", _) => {
                let id = pc_id(path).unwrap();
                let state = match (id, p) {
                    ("pc003", _) => None,
                    ("pc000" | "pc001", 1) | ("pc002", 1) | ("pc004", 1 | 2) => Some("active"),
                    ("pc002", _) => Some("failed"),
                    (_, 0) => None,
                    _ => Some("done"),
                };
                if path.ends_with("retrieveCloudPcRemoteActionResults") {
                    match state {
                        Some(s) => json_answer(200, actions_json(s, start)),
                        None => json_answer(200, json!({"value": []})),
                    }
                } else {
                    let status = match state {
                        Some("active") => "provisioning",
                        Some("failed") => "failed",
                        _ => "provisioned",
                    };
                    json_answer(200, cloud_pc_json(id, status))
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    })
}

#[tokio::test]
async fn follows_the_summary_and_settles_every_device() {
    let polls = Rc::new(Cell::new(0));
    let e = scripted_bulk_graph(polls.clone());
    let all = ids(5);
    let aside = Reason::console(codes::STATUS_NOT_ELIGIBLE, "provisioning");
    let sink = e.sink(ledger_of(
        Strategy::BulkAction,
        ReprovisionParams::default(),
        &all,
        &[("aside", aside)],
    ));
    let options = BulkActionOptions {
        poll_interval: Duration::from_secs(10),
        ..BulkActionOptions::default()
    };
    let report = run_bulk_action(&e.client, &sink, &all, &options, &CancelFlag::new()).await;
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
    assert_eq!(report.bulk_action_id.as_deref(), Some("ba1"));
    assert_eq!(report.end, BulkEnd::Completed);
    assert_eq!(report.polls, 3);
    assert_eq!(report.send.sent, 5);

    let l = sink.snapshot();
    let cat = |id: &str| l.device(id).unwrap().category;
    assert_eq!(cat("pc000"), Category::Successful);
    assert_eq!(cat("pc001"), Category::Successful);
    assert_eq!(cat("pc004"), Category::Successful);
    assert_eq!(cat("pc002"), Category::Failed);
    assert_eq!(cat("pc003"), Category::NotSupported);
    assert_eq!(cat("aside"), Category::NotSupported);
    let failed = l.device("pc002").unwrap().reason.clone().unwrap();
    assert_eq!(failed.code.as_deref(), Some("internalServerError"));
    assert_eq!(failed.message, "Image copy failed");
    assert!(l
        .device("pc003")
        .unwrap()
        .reason
        .as_ref()
        .unwrap()
        .is_console(codes::FROM_SUMMARY));
    assert_eq!(
        l.device("pc004").unwrap().tracking.as_ref().unwrap().phase,
        FollowPhase::Provisioned
    );
    let c = l.counts();
    assert_eq!(c.total(), 6);
    assert_eq!((c.successful, c.failed, c.not_supported), (3, 1, 2));
    let info = l.bulk_action.clone().unwrap();
    assert_eq!(info.status.as_deref(), Some("failed"));
    assert_eq!(info.summary.unwrap().successful_count, 3);
    assert!(l.finished_at.is_some());
    assert_eq!(e.slept.borrow().as_slice(), &[Duration::from_secs(10); 3]);
    assert_eq!(e.graph.count("POST"), 1, "one destructive request");
}

#[tokio::test]
async fn right_after_creation_devices_are_queued() {
    let e = env(|method, _, body| match method {
        "POST" => json_answer(
            201,
            json!({"id": "ba9", "status": "pending", "cloudPcIds": body.unwrap()["cloudPcIds"]}),
        ),
        _ => panic!("no read expected"),
    });
    let all = ids(3);
    let sink = e.sink(ledger_of(
        Strategy::BulkAction,
        ReprovisionParams::default(),
        &all,
        &[],
    ));
    let options = BulkActionOptions {
        max_polls: 0,
        ..BulkActionOptions::default()
    };
    let report = run_bulk_action(&e.client, &sink, &all, &options, &CancelFlag::new()).await;
    assert!(matches!(report.end, BulkEnd::StoppedFollowing(_)));
    let l = sink.snapshot();
    assert_eq!(l.counts().pending, 3);
    assert!(l
        .devices()
        .iter()
        .all(|d| d.attempts == 1 && !d.awaiting_answer));
    assert_eq!(
        l.device("pc000")
            .unwrap()
            .reason
            .as_ref()
            .unwrap()
            .request_id
            .as_deref(),
        Some("rid-201")
    );
    assert_eq!(l.bulk_action.as_ref().unwrap().id, "ba9");
}

#[tokio::test]
async fn completed_with_inconclusive_devices_leaves_them_unknown() {
    // Graph says 1 successful and 1 failed; neither device shows anything of the run.
    let e = env(|_, path, _| {
        if path.ends_with("/bulkActions/ba1") {
            json_answer(
                200,
                json!({"id": "ba1", "status": "failed", "actionSummary": summary(1, 1, 0, 0, 0)}),
            )
        } else if path.ends_with("retrieveCloudPcRemoteActionResults") {
            json_answer(200, json!({"value": []}))
        } else {
            json_answer(200, cloud_pc_json(pc_id(path).unwrap(), "provisioned"))
        }
    });
    let all = ids(2);
    let mut ledger = ledger_of(
        Strategy::BulkAction,
        ReprovisionParams::default(),
        &all,
        &[],
    );
    ledger
        .apply(&Change::Sent {
            ids: all.clone(),
            at: T0,
        })
        .unwrap();
    ledger
        .apply(&Change::BulkActionCreated {
            id: "ba1".into(),
            at: T0,
        })
        .unwrap();
    for id in &all {
        ledger
            .apply(&Change::Device {
                id: id.clone(),
                to: Category::Pending,
                reason: None,
                at: T0,
            })
            .unwrap();
    }
    let sink = e.sink(ledger);
    let report = follow_bulk_action(
        &e.client,
        &sink,
        &BulkActionOptions::default(),
        &CancelFlag::new(),
    )
    .await;
    assert_eq!(report.end, BulkEnd::Completed);
    let l = sink.snapshot();
    assert_eq!(l.counts().unknown, 2);
    assert!(l
        .devices()
        .iter()
        .all(|d| d.reason.as_ref().unwrap().is_console(codes::UNSETTLED)));
}

#[tokio::test]
async fn ambiguous_creation_is_unknown_then_reconciled_by_name() {
    let listed = Rc::new(Cell::new(true));
    let listed2 = listed.clone();
    let e = env(move |method, path, _| match (method, path) {
        ("POST", _) => graph_error(502, "BadGateway", "rid-create"),
        ("GET", "/deviceManagement/virtualEndpoint/bulkActions") => {
            let value = if listed2.get() {
                json!([{"id": "other", "displayName": "Someone else's"}, {"id": "ba7", "displayName": "Console run run-1"}])
            } else {
                json!([])
            };
            json_answer(200, json!({ "value": value }))
        }
        ("GET", p) if p.ends_with("retrieveCloudPcRemoteActionResults") => {
            json_answer(200, json!({"value": []}))
        }
        ("GET", p) => json_answer(200, cloud_pc_json(pc_id(p).unwrap(), "provisioned")),
        other => panic!("{other:?}"),
    });
    let all = ids(2);
    let sink = e.sink(ledger_of(
        Strategy::BulkAction,
        ReprovisionParams::default(),
        &all,
        &[],
    ));
    let report = run_bulk_action(
        &e.client,
        &sink,
        &all,
        &BulkActionOptions::default(),
        &CancelFlag::new(),
    )
    .await;
    assert_eq!(report.end, BulkEnd::NotCreated);
    let l = sink.snapshot();
    assert_eq!(l.counts().unknown, 2);
    assert_eq!(
        l.device("pc000")
            .unwrap()
            .reason
            .as_ref()
            .unwrap()
            .request_id
            .as_deref(),
        Some("rid-create")
    );
    assert_eq!(e.graph.count("POST"), 1, "never re-sent");

    // Found by its name: Graph has it, the devices are in progress.
    let snapshot = sink.snapshot();
    let found = reconcile(&e.client, &sink, &ReconcileOptions::default()).await;
    assert_eq!(found.bulk_action_found.as_deref(), Some("ba7"));
    let l = sink.snapshot();
    assert_eq!(l.counts().in_progress, 2);
    assert_eq!(l.bulk_action.as_ref().unwrap().id, "ba7");
    assert_eq!(
        l.device("pc000")
            .unwrap()
            .reason
            .as_ref()
            .unwrap()
            .request_id
            .as_deref(),
        Some("rid-create"),
        "ids kept"
    );

    // Not in the list, and long enough ago: not started, eligible for an approved re-send.
    listed.set(false);
    e.clock.advance(10 * 60 * 1000);
    let sink = e.sink(snapshot);
    let report = reconcile(&e.client, &sink, &ReconcileOptions::default()).await;
    assert_eq!(report.not_started.len(), 2);
    let l = sink.snapshot();
    assert_eq!(l.counts().failed, 2);
    assert!(l
        .device("pc001")
        .unwrap()
        .reason
        .as_ref()
        .unwrap()
        .is_console(codes::NOT_STARTED));
    assert_eq!(
        e.graph.count("POST"),
        1,
        "reconcile sends nothing destructive"
    );
}
