use serde_json::json;

use super::*;
use crate::bulk::outcome::ReasonSource;
use crate::bulk::testing::*;
use crate::graph::models::ReprovisionParams;

fn accepted(ids: &[String], strategy: Strategy) -> RunLedger {
    let mut l = ledger_of(strategy, ReprovisionParams::default(), ids, &[]);
    l.apply(&Change::Started { at: T0 }).unwrap();
    l.apply(&Change::Sent {
        ids: ids.to_vec(),
        at: T0,
    })
    .unwrap();
    for id in ids {
        l.apply(&Change::Device {
            id: id.clone(),
            to: Category::Successful,
            reason: None,
            at: T0,
        })
        .unwrap();
    }
    l
}

#[tokio::test]
async fn follows_accepted_devices_until_provisioned_or_failed() {
    // The handler reads the fake clock (the sleeper advances it): round 1 at T0+30s, round 2 at
    // T0+90s, round 3 at T0+150s.
    let clock = Clock::at(T0);
    let c2 = clock.clone();
    let graph = FakeGraph::new(move |method, path, _| {
        assert_eq!(method, "GET", "following only reads");
        let id = pc_id(path).unwrap();
        let round2 = c2.now() >= T0 + 90_000;
        let state = match id {
            "pc003" => return graph_error(404, "ResourceNotFound", "rid-gone"),
            "pc000" if round2 => "done",
            "pc001" if round2 => "failed",
            _ => "active",
        };
        if path.ends_with("retrieveCloudPcRemoteActionResults") {
            json_answer(200, actions_json(state, T0 + 1_000))
        } else {
            let status = match state {
                "done" => "provisioned",
                "failed" => "failed",
                _ => "provisioning",
            };
            json_answer(200, cloud_pc_json(id, status))
        }
    });
    let slept = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let client = GraphClient::new(
        crate::graph::cloud::GraphBase::for_cloud(crate::graph::cloud::Cloud::Global),
        crate::graph::cloud::Cloud::Global.scopes(true),
        graph.clone(),
        Tokens,
        FakeSleeper {
            clock: clock.clone(),
            slept: slept.clone(),
        },
    );
    let all = ids(4);
    let c3 = clock.clone();
    let sink =
        crate::bulk::sink::SharedLedger::new(accepted(&all, Strategy::PerDevice), move || c3.now());
    let schedule = FollowSchedule {
        first_delay: Duration::from_secs(30),
        interval: Duration::from_secs(60),
        max_rounds: 3,
    };
    let report = follow(&client, &sink, &schedule, &CancelFlag::new()).await;
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
    assert_eq!(report.rounds, 3);
    assert_eq!(
        report.still_running, 1,
        "pc002 still provisioning when the rounds ran out"
    );
    let l = sink.snapshot();
    let d = |id: &str| l.device(id).unwrap().clone();
    assert_eq!(d("pc000").category, Category::Successful);
    assert_eq!(d("pc000").tracking.unwrap().phase, FollowPhase::Provisioned);
    assert_eq!(d("pc001").category, Category::Failed);
    let r = d("pc001").reason.unwrap();
    assert_eq!(
        (r.source, r.code.as_deref(), r.message.as_str()),
        (
            ReasonSource::Graph,
            Some("internalServerError"),
            "Image copy failed"
        )
    );
    assert_eq!(d("pc002").category, Category::Successful);
    assert_eq!(d("pc002").tracking.unwrap().phase, FollowPhase::Running);
    assert_eq!(
        d("pc002").tracking.unwrap().status.as_deref(),
        Some("provisioning")
    );
    assert_eq!(d("pc003").category, Category::NotFound);
    assert_eq!(
        slept.borrow().as_slice(),
        &[
            Duration::from_secs(30),
            Duration::from_secs(60),
            Duration::from_secs(60)
        ]
    );
    let c = follow_counts(&l);
    assert_eq!(
        (
            c.followed,
            c.running,
            c.provisioned,
            c.failed,
            c.gone,
            c.waiting
        ),
        (4, 1, 1, 1, 1, 0)
    );
    assert!(!c.is_over());
    assert_eq!(
        follow_counts(&accepted(&all, Strategy::PerDevice)).waiting,
        4
    );
    // Round 1 reads 4 devices, round 2 the 3 still worth following, round 3 only pc002.
    assert_eq!(graph.log().len(), 2 * (4 + 3 + 1));
}

#[tokio::test]
async fn reconcile_settles_unknown_devices_from_status_and_history() {
    let e = env(|method, path, _| {
        assert_eq!(method, "GET", "reconcile never re-sends");
        let id = pc_id(path).unwrap();
        let actions = path.ends_with("retrieveCloudPcRemoteActionResults");
        let start = T0 + 1_000;
        match (id, actions) {
            ("u0", true) => json_answer(200, actions_json("active", start)),
            ("u1", true) => json_answer(200, actions_json("done", start)),
            ("u2", true) => json_answer(200, actions_json("done", T0 - 86_400_000)), // an old one
            ("u4", _) => graph_error(500, "InternalServerError", "rid-500"),
            ("u5", _) => graph_error(404, "ResourceNotFound", "rid-404"),
            ("u7", true) => json_answer(200, actions_json("failed", start)),
            (_, true) => json_answer(200, json!({"value": []})),
            ("u6", false) => json_answer(200, cloud_pc_json(id, "provisioning")),
            ("u8", false) => json_answer(200, cloud_pc_json(id, "inGracePeriod")),
            (_, false) => json_answer(200, cloud_pc_json(id, "provisioned")),
        }
    });
    let all: Vec<String> = (0..9).map(|i| format!("u{i}")).collect();
    let mut l = ledger_of(Strategy::PerDevice, ReprovisionParams::default(), &all, &[]);
    l.apply(&Change::Sent {
        ids: all.iter().filter(|i| *i != "u3").cloned().collect(),
        at: T0,
    })
    .unwrap();
    l.apply(&Change::Sent {
        ids: vec!["u3".into()],
        at: T0 + 9 * 60_000,
    })
    .unwrap();
    let mut amb = Reason::console("x", "ambiguous");
    amb.request_id = Some("rid-orig".into());
    for id in &all {
        l.apply(&Change::Device {
            id: id.clone(),
            to: Category::Unknown,
            reason: Some(amb.clone()),
            at: T0,
        })
        .unwrap();
    }
    e.clock.advance(10 * 60_000);
    let sink = e.sink(l);
    let report = reconcile(&e.client, &sink, &ReconcileOptions::default()).await;
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
    let l = sink.snapshot();
    let cat = |id: &str| l.device(id).unwrap().category;
    assert_eq!(cat("u0"), Category::InProgress);
    assert_eq!(cat("u1"), Category::Successful);
    assert_eq!(
        cat("u2"),
        Category::Failed,
        "an old reprovision is not this run's"
    );
    let r2 = l.device("u2").unwrap().reason.clone().unwrap();
    assert!(r2.is_console(codes::NOT_STARTED));
    assert_eq!(r2.request_id.as_deref(), Some("rid-orig"), "ids kept");
    assert_eq!(cat("u3"), Category::Unknown, "too recent to conclude");
    assert_eq!(cat("u4"), Category::Unknown, "unreadable");
    assert_eq!(cat("u5"), Category::NotFound);
    assert_eq!(cat("u6"), Category::InProgress, "provisioning: it started");
    assert_eq!(cat("u7"), Category::Failed);
    assert_eq!(cat("u8"), Category::Unknown, "another status says nothing");
    assert_eq!(report.not_started, vec!["u2"]);
    let mut still = report.still_unknown.clone();
    still.sort();
    assert_eq!(still, ["u3", "u4", "u8"]);
    assert_eq!(report.started.len(), 4);
    assert_eq!(l.counts().total(), 9);
}

#[test]
fn judge_uses_the_previous_sighting_when_history_is_silent() {
    let pc = |status: &str| CloudPc {
        id: "x".into(),
        status: Some(CloudPcStatus::parse(status)),
        ..CloudPc::default()
    };
    let running = Tracking {
        phase: FollowPhase::Running,
        status: None,
        action_state: None,
        action_started: None,
        action_updated: None,
        detail: None,
        checked_at: 0,
    };
    let s = |status: &str, actions: Result<Vec<CloudPcRemoteActionResult>, GraphError>| Sighting {
        pc: Ok(pc(status)),
        actions,
    };
    assert_eq!(
        judge(&s("provisioned", Ok(vec![])), T0, None, T0).0,
        Verdict::NotStarted
    );
    assert_eq!(
        judge(&s("provisioned", Ok(vec![])), T0, Some(&running), T0).0,
        Verdict::Done
    );
    assert!(matches!(
        judge(&s("failed", Ok(vec![])), T0, Some(&running), T0).0,
        Verdict::Failed(_)
    ));
    let unread = Err(GraphError::new(ErrorKind::Network, "offline"));
    assert!(
        matches!(
            judge(&s("provisioned", unread), T0, None, T0).0,
            Verdict::Unclear(_)
        ),
        "no history: no conclusion"
    );
    assert_eq!(
        judge(&s("pendingProvision", Ok(vec![])), T0, None, T0).0,
        Verdict::Running
    );
}

#[test]
fn a_retried_device_is_followed_again_despite_its_earlier_final_sighting() {
    let ids = ids(2);
    let mut l = accepted(&ids, Strategy::PerDevice);
    let failed = Tracking {
        phase: FollowPhase::Failed,
        status: Some("failed".into()),
        action_state: Some("failed".into()),
        action_started: None,
        action_updated: None,
        detail: None,
        checked_at: T0 + 1_000,
    };
    for id in &ids {
        l.apply(&Change::Tracked {
            id: id.clone(),
            tracking: failed.clone(),
        })
        .unwrap();
    }
    assert!(to_follow(&l).is_empty(), "both ended");
    // The first is retried: sent again after its last sighting.
    for (to, at) in [
        (Category::Failed, T0 + 1_000),
        (Category::Pending, T0 + 2_000),
    ] {
        l.apply(&Change::Device {
            id: ids[0].clone(),
            to,
            reason: None,
            at,
        })
        .unwrap();
    }
    l.apply(&Change::Sent {
        ids: vec![ids[0].clone()],
        at: T0 + 2_000,
    })
    .unwrap();
    l.apply(&Change::Device {
        id: ids[0].clone(),
        to: Category::Successful,
        reason: None,
        at: T0 + 2_500,
    })
    .unwrap();
    assert_eq!(to_follow(&l), vec![ids[0].clone()]);
}
