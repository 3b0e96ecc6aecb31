use serde_json::json;

use super::*;
use crate::bulk::outcome::Reason;
use crate::bulk::run_bulk_action::BulkEnd;
use crate::bulk::testing::*;
use crate::graph::models::ReprovisionParams;

/// pc000 successful, pc001 failed, pc002 unknown, pc003 failed (not started), pc004 pending
/// (never sent), plus one set aside.
fn mixed(strategy: Strategy) -> RunLedger {
    let all = ids(5);
    let mut l = ledger_of(
        strategy,
        ReprovisionParams::default(),
        &all,
        &[("aside", Reason::console(codes::STATUS_NOT_ELIGIBLE, "x"))],
    );
    l.apply(&Change::Sent {
        ids: all[..4].to_vec(),
        at: T0,
    })
    .unwrap();
    let set = |l: &mut RunLedger, id: &str, to, reason: Reason| {
        l.apply(&Change::Device {
            id: id.into(),
            to,
            reason: Some(reason),
            at: T0,
        })
        .unwrap()
    };
    set(
        &mut l,
        "pc000",
        Category::Successful,
        Reason::console(codes::ACCEPTED, "ok"),
    );
    set(
        &mut l,
        "pc001",
        Category::Failed,
        Reason::console("Forbidden", "no"),
    );
    set(
        &mut l,
        "pc002",
        Category::Unknown,
        Reason::console("x", "?"),
    );
    set(
        &mut l,
        "pc003",
        Category::Failed,
        Reason::console(codes::NOT_STARTED, "did not start"),
    );
    l
}

#[test]
fn only_failed_devices_may_be_retried() {
    let l = mixed(Strategy::PerDevice);
    assert_eq!(retry_candidates(&l), ["pc001", "pc003"]);
    assert_eq!(not_started(&l), ["pc003"]);
    assert_eq!(resumable(&l), ["pc004"]);
    assert_eq!(retryable(&l, "pc001"), Ok(()));
    assert_eq!(retryable(&l, "pc002"), Err(NotRetryable::NeedsCheck));
    assert_eq!(
        retryable(&l, "pc000"),
        Err(NotRetryable::Settled(Category::Successful))
    );
    assert_eq!(retryable(&l, "pc004"), Err(NotRetryable::Outstanding));
    assert_eq!(
        retryable(&l, "aside"),
        Err(NotRetryable::Settled(Category::NotSupported))
    );
    assert_eq!(retryable(&l, "nope"), Err(NotRetryable::NotInRun));

    assert_eq!(
        plan_retry(&l, None),
        Ok(RetryPlan::ReRun {
            strategy: Strategy::PerDevice,
            devices: vec!["pc001".into(), "pc003".into()]
        })
    );
    assert_eq!(
        plan_retry(&l, Some(&["pc003".into(), "pc003".into()])),
        Ok(RetryPlan::ReRun {
            strategy: Strategy::PerDevice,
            devices: vec!["pc003".into()]
        })
    );
    assert_eq!(
        plan_retry(&l, Some(&["pc001".into(), "pc002".into()])),
        Err(RetryError::NotRetryable(vec![(
            "pc002".into(),
            NotRetryable::NeedsCheck
        )]))
    );
    assert_eq!(plan_retry(&l, Some(&[])), Err(RetryError::NothingToRetry));
    assert!(plan_retry(&l, None).unwrap().request().is_none());
}

#[test]
fn bulk_action_retries_go_through_graph_with_or_without_ids() {
    let mut l = mixed(Strategy::BulkAction);
    l.apply(&Change::BulkActionCreated {
        id: "ba1".into(),
        at: T0,
    })
    .unwrap();
    assert_eq!(
        plan_retry(&l, None),
        Err(RetryError::ReconcileFirst(vec!["pc002".into()]))
    );
    let some = plan_retry(&l, Some(&["pc001".into()])).unwrap();
    let req = some.request().unwrap();
    assert_eq!(
        req.path,
        "/deviceManagement/virtualEndpoint/bulkActions/ba1/retry"
    );
    assert_eq!(req.body, Some(json!({"cloudPcIds": ["pc001"]})));
    assert!(req.destructive);

    l.apply(&Change::Device {
        id: "pc002".into(),
        to: Category::Successful,
        reason: None,
        at: T0,
    })
    .unwrap();
    let all = plan_retry(&l, None).unwrap();
    assert_eq!(
        all,
        RetryPlan::BulkAction {
            bulk_action_id: "ba1".into(),
            cloud_pc_ids: None,
            devices: vec!["pc001".into(), "pc003".into()]
        }
    );
    assert_eq!(
        all.request().unwrap().body,
        None,
        "without a body Graph retries every failed device"
    );

    let mut never_created = mixed(Strategy::BulkAction);
    never_created.bulk_action = None;
    assert!(matches!(
        plan_retry(&never_created, Some(&["pc003".into()])),
        Ok(RetryPlan::ReRun {
            strategy: Strategy::BulkAction,
            ..
        })
    ));
}

#[tokio::test]
async fn a_re_run_sends_only_the_approved_devices() {
    let e = env(|_, _, _| status(204));
    let sink = e.sink(mixed(Strategy::PerDevice));
    let plan = plan_retry(&sink.snapshot(), Some(&["pc003".into()])).unwrap();
    let report = run_retry(
        &e.client,
        &sink,
        &plan,
        &BulkActionOptions::default(),
        &CancelFlag::new(),
    )
    .await;
    assert!(matches!(
        report,
        RetryReport::ReRun(SendReport { sent: 1, .. })
    ));
    assert_eq!(
        e.graph.log(),
        ["POST /deviceManagement/virtualEndpoint/cloudPCs/pc003/reprovision"]
    );
    let l = sink.snapshot();
    let d = l.device("pc003").unwrap();
    assert_eq!((d.category, d.attempts), (Category::Successful, 2));
    assert_eq!(l.device("pc001").unwrap().category, Category::Failed);
    assert!(sink.refused().is_empty());
}

#[tokio::test]
async fn a_bulk_retry_posts_retry_then_follows_the_action() {
    let e = env(|method, path, body| match (method, path) {
        ("POST", "/deviceManagement/virtualEndpoint/bulkActions/ba1/retry") => {
            assert_eq!(body, Some(&json!({"cloudPcIds": ["pc001"]})));
            status(202)
        }
        ("GET", "/deviceManagement/virtualEndpoint/bulkActions/ba1") => json_answer(
            200,
            json!({"id": "ba1", "status": "succeeded", "cloudPcIds": ["pc000", "pc001", "pc002", "pc003"],
                   "actionSummary": {"successfulCount": 3, "failedCount": 1, "inProgressCount": 0, "pendingCount": 0, "notSupportedCount": 0}}),
        ),
        ("GET", p) if p.ends_with("retrieveCloudPcRemoteActionResults") => {
            json_answer(200, actions_json("done", T0 + 60_000))
        }
        ("GET", p) => json_answer(200, cloud_pc_json(pc_id(p).unwrap(), "provisioned")),
        other => panic!("{other:?}"),
    });
    let mut l = mixed(Strategy::BulkAction);
    l.apply(&Change::BulkActionCreated {
        id: "ba1".into(),
        at: T0,
    })
    .unwrap();
    let sink = e.sink(l);
    let plan = plan_retry(&sink.snapshot(), Some(&["pc001".into()])).unwrap();
    let report = run_retry(
        &e.client,
        &sink,
        &plan,
        &BulkActionOptions::default(),
        &CancelFlag::new(),
    )
    .await;
    let RetryReport::BulkAction(r) = report else {
        panic!("{report:?}")
    };
    assert_eq!(r.end, BulkEnd::Completed);
    let l = sink.snapshot();
    assert_eq!(l.device("pc001").unwrap().category, Category::Successful);
    assert_eq!(l.device("pc001").unwrap().attempts, 2);
    assert_eq!(e.graph.count("POST"), 1);
    assert_eq!(l.counts().total(), 6);
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
}
