use std::collections::HashMap;

use serde_json::json;

use super::*;
use crate::bulk::outcome::codes;
use crate::bulk::sink::SharedLedger;
use crate::bulk::strategy::Strategy;
use crate::bulk::testing::*;
use crate::graph::models::{OsVersion, ReprovisionParams, UserAccountType};

fn params() -> ReprovisionParams {
    ReprovisionParams {
        os_version: Some(OsVersion::Windows11),
        user_account_type: Some(UserAccountType::StandardUser),
    }
}

/// pc000..: by index mod 10: 0-4 → 204; 5 → 429 once then 204; 6 → 503; 7 → 404;
/// 8 → 400 with a not-supported code; 9 → 403.
fn mixed_graph() -> Env {
    let mut seen: HashMap<String, u32> = HashMap::new();
    env(move |method, path, body| {
        assert_eq!(method, "POST");
        assert_eq!(
            body,
            Some(&json!({"osVersion": "windows11", "userAccountType": "standardUser"}))
        );
        let id = pc_id(path).unwrap().to_owned();
        assert!(path.ends_with("/reprovision"));
        let n: usize = id[2..].parse().unwrap();
        let times = seen.entry(id.clone()).or_default();
        *times += 1;
        match n % 10 {
            5 if *times == 1 => throttled(2),
            6 => graph_error(503, "ServiceUnavailable", &format!("rid-{id}")),
            7 => graph_error(404, "ResourceNotFound", &format!("rid-{id}")),
            8 => graph_error(400, "ReprovisionNotSupported", &format!("rid-{id}")),
            9 => graph_error(403, "Forbidden", &format!("rid-{id}")),
            _ => status(204),
        }
    })
}

#[tokio::test]
async fn maps_every_answer_of_a_mixed_batch_run() {
    let e = mixed_graph();
    let all = ids(45);
    let sink: SharedLedger = e.sink(ledger_of(Strategy::PerDevice, params(), &all, &[]));
    let report = run_per_device(&e.client, &sink, &all, 4, &CancelFlag::new()).await;
    assert_eq!(
        report,
        SendReport {
            sent: 45,
            not_sent: 0,
            canceled: false
        }
    );
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());

    let l = sink.snapshot();
    let cat = |i: usize| l.device(&all[i]).unwrap().category;
    for i in 0..45 {
        let expected = match i % 10 {
            0..=5 => Category::Successful,
            6 => Category::Unknown,
            7 => Category::NotFound,
            8 => Category::NotSupported,
            _ => Category::Failed,
        };
        assert_eq!(cat(i), expected, "device {i}");
    }
    let c = l.counts();
    assert_eq!(c.total(), 45);
    assert_eq!(
        (
            c.successful,
            c.unknown,
            c.not_found,
            c.not_supported,
            c.failed
        ),
        (29, 4, 4, 4, 4)
    );
    assert!(l.devices().iter().all(|d| !d.awaiting_answer));

    // Reasons carry Graph's code, message and request-id.
    let forbidden = l.device(&all[9]).unwrap().reason.clone().unwrap();
    assert_eq!(forbidden.code.as_deref(), Some("Forbidden"));
    assert_eq!(forbidden.request_id.as_deref(), Some("rid-pc009"));
    assert_eq!(forbidden.status, Some(403));
    assert!(
        forbidden.client_request_id.is_some(),
        "the sub-request's client-request-id"
    );
    let unknown = l.device(&all[6]).unwrap().reason.clone().unwrap();
    assert_eq!(unknown.request_id.as_deref(), Some("rid-pc006"));
    assert!(unknown.message.contains("unknown whether"));
    let ok = l.device(&all[0]).unwrap().reason.clone().unwrap();
    assert_eq!(ok.code.as_deref(), Some(codes::ACCEPTED));
    assert_eq!(ok.status, Some(204));

    // Throttled sub-requests were re-sent after their Retry-After; nothing else was.
    assert_eq!(e.graph.count("/pc005/reprovision"), 2);
    assert_eq!(
        e.graph.count("/pc006/reprovision"),
        1,
        "ambiguous never re-sent"
    );
    assert_eq!(
        e.graph.log().len(),
        45 + 4,
        "pc005, pc015, pc025, pc035 twice"
    );
    assert!(e
        .slept
        .borrow()
        .contains(&std::time::Duration::from_secs(2)));
    // 45 devices: three batches, several in flight.
    let batches = e
        .graph
        .raw
        .borrow()
        .iter()
        .filter(|r| r.url.ends_with("/$batch"))
        .count();
    assert_eq!(
        batches,
        3 + 2,
        "three batches, and one re-send for each batch with throttled sub-requests"
    );
    assert!(e.graph.max_in_flight.get() >= 2, "batches run concurrently");
    assert!(e.graph.max_in_flight.get() <= 4);

    // The token went on the wire, and nowhere else.
    assert!(e.graph.raw.borrow()[0]
        .header("authorization")
        .unwrap()
        .contains(SECRET_TOKEN));
    let journal = crate::bulk::journal::RunJournal::capture(&l, None, T0).to_json();
    for out in [
        journal,
        crate::bulk::export::to_csv(&l, None),
        crate::bulk::export::to_json(&l, None),
    ] {
        assert!(!out.contains(SECRET_TOKEN));
        assert!(!out.contains("eyJ"));
    }
}

#[tokio::test]
async fn sends_only_pending_devices_and_stops_when_canceled() {
    let e = env(|_, _, _| status(204));
    let all = ids(3);
    let mut ledger = ledger_of(
        Strategy::PerDevice,
        ReprovisionParams::default(),
        &all,
        &[("aside", Reason::console(codes::STATUS_NOT_ELIGIBLE, "x"))],
    );
    ledger
        .apply(&Change::Device {
            id: all[1].clone(),
            to: Category::Unknown,
            reason: None,
            at: 0,
        })
        .unwrap();
    let sink = e.sink(ledger);
    let mut with_aside = all.clone();
    with_aside.push("aside".into());
    let report = run_per_device(&e.client, &sink, &with_aside, 4, &CancelFlag::new()).await;
    assert_eq!((report.sent, report.not_sent), (2, 2));
    assert_eq!(
        e.graph.count("/pc001/"),
        0,
        "an unknown device is never sent"
    );
    assert_eq!(e.graph.count("/aside/"), 0);
    // No parameters: no body.
    assert!(e.graph.raw.borrow()[0]
        .body
        .as_ref()
        .unwrap()
        .contains("\"url\":\"/deviceManagement/virtualEndpoint/cloudPCs/pc000/reprovision\""));
    assert!(!e.graph.raw.borrow()[0]
        .body
        .as_ref()
        .unwrap()
        .contains("osVersion"));

    let e = env(|_, _, _| status(204));
    let cancel = CancelFlag::new();
    cancel.cancel();
    let sink = e.sink(ledger_of(Strategy::PerDevice, params(), &all, &[]));
    let report = run_per_device(&e.client, &sink, &all, 4, &cancel).await;
    assert_eq!(
        (report.sent, report.not_sent, report.canceled),
        (0, 3, true)
    );
    assert_eq!(sink.snapshot().counts().pending, 3);
    assert!(e.graph.log().is_empty());
}

#[tokio::test]
async fn a_dropped_batch_leaves_its_devices_unknown() {
    let e = env(|_, _, _| Answer::Drop);
    let all = ids(2);
    let sink = e.sink(ledger_of(Strategy::PerDevice, params(), &all, &[]));
    run_per_device(&e.client, &sink, &all, 4, &CancelFlag::new()).await;
    assert_eq!(sink.snapshot().counts().unknown, 2);
    assert_eq!(
        e.graph.log().len(),
        2,
        "the sub-requests were answered by no one and never re-sent"
    );
}

#[test]
fn classification_table() {
    use crate::graph::error::{ErrorKind, GraphError};
    let err = |kind, status: Option<u16>, code: Option<&str>| -> SubOutcome {
        let mut e = GraphError::new(kind, "m");
        e.status = status;
        e.code = code.map(str::to_owned);
        Err(e)
    };
    let cases = [
        (
            err(ErrorKind::Ambiguous, Some(500), None),
            Category::Unknown,
        ),
        (err(ErrorKind::Ambiguous, None, None), Category::Unknown),
        (
            err(ErrorKind::InvalidResponse, Some(200), None),
            Category::Unknown,
        ),
        (
            err(ErrorKind::NotFound, Some(404), Some("ResourceNotFound")),
            Category::NotFound,
        ),
        (
            err(ErrorKind::Graph, Some(400), Some("ActionNotSupported")),
            Category::NotSupported,
        ),
        (
            err(ErrorKind::Graph, Some(400), Some("UnsupportedOperation")),
            Category::NotSupported,
        ),
        (
            err(ErrorKind::Graph, Some(400), Some("BadRequest")),
            Category::Failed,
        ),
        (
            err(ErrorKind::Graph, Some(409), Some("Conflict")),
            Category::Failed,
        ),
        (
            err(ErrorKind::Forbidden, Some(403), Some("Forbidden")),
            Category::Failed,
        ),
        (
            err(ErrorKind::Throttled, Some(429), Some("TooManyRequests")),
            Category::Failed,
        ),
        (
            err(ErrorKind::Auth, None, Some("interaction_required")),
            Category::Failed,
        ),
    ];
    for (outcome, expected) in cases {
        assert_eq!(classify_reprovision(&outcome).0, expected, "{outcome:?}");
    }
}
