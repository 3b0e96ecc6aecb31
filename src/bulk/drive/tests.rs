use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::*;
use crate::bulk::journal::RunJournal;
use crate::bulk::outcome::{codes, Change, FollowPhase, RunLedger};
use crate::bulk::testing::*;
use crate::bulk::time::Millis;
use crate::graph::models::ReprovisionParams;

/// A fake tenant: which devices Graph carried out a reprovision for (and when), read back by
/// the GETs of reconcile and follow; the reprovision is `active` for 1.5 s, then `done`.
#[derive(Clone, Default)]
struct Tenant {
    carried_out: Rc<RefCell<Vec<(String, Millis)>>>,
}

impl Tenant {
    fn answer(
        &self,
        clock: &Clock,
        method: &str,
        path: &str,
        fail: &[(&str, u16, bool)],
    ) -> Answer {
        let id = pc_id(path).expect("a Cloud PC path").to_owned();
        if method == "POST" {
            let (status, after) = fail
                .iter()
                .find(|(f, _, _)| *f == id)
                .map(|(_, s, after)| (*s, *after))
                .unwrap_or((204, true));
            if after {
                self.carried_out.borrow_mut().push((id, clock.now()));
            }
            return if status == 204 {
                status_answer(204)
            } else {
                graph_error(status, "InternalServerError", "rid-500")
            };
        }
        let started = self
            .carried_out
            .borrow()
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, at)| *at);
        let state = started.map(|at| {
            if clock.now() >= at + 1_500 {
                "done"
            } else {
                "active"
            }
        });
        if path.ends_with("retrieveCloudPcRemoteActionResults") {
            match (state, started) {
                (Some(s), Some(at)) => json_answer(200, actions_json(s, at)),
                _ => json_answer(200, serde_json::json!({"value": []})),
            }
        } else {
            let status = match state {
                Some("active") => "provisioning",
                _ => "provisioned",
            };
            json_answer(200, cloud_pc_json(&id, status))
        }
    }
}

fn status_answer(code: u16) -> Answer {
    status(code)
}

fn setup(
    ledger: RunLedger,
    fail: &'static [(&'static str, u16, bool)],
) -> (Env, crate::bulk::sink::SharedLedger, Tenant) {
    let tenant = Tenant::default();
    let t = tenant.clone();
    let clock = Rc::new(RefCell::new(None::<Clock>));
    let c = clock.clone();
    let e = env(move |method, path, _| {
        let clock = c.borrow().clone().expect("clock set");
        t.answer(&clock, method, path, fail)
    });
    *clock.borrow_mut() = Some(e.clock.clone());
    let sink = e.sink(ledger);
    (e, sink, tenant)
}

#[tokio::test]
async fn a_run_settles_its_unknown_devices_and_follows_the_rest_without_sending_twice() {
    // pc001: a 500 after Graph carried it out; pc002: a 500 before (nothing happened).
    let all = ids(3);
    let ledger = ledger_of(Strategy::PerDevice, ReprovisionParams::default(), &all, &[]);
    let (e, sink, tenant) = setup(ledger, &[("pc001", 500, true), ("pc002", 500, false)]);
    let pace = RunPace::for_time_scale(60.0);
    let report = drive(&e.client, &sink, &pace, &CancelFlag::new()).await;
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
    let l = sink.snapshot();
    let d = |id: &str| l.device(id).unwrap().clone();
    assert_eq!(d("pc000").category, Category::Successful);
    assert_eq!(d("pc000").tracking.unwrap().phase, FollowPhase::Provisioned);
    assert_eq!(
        d("pc001").category,
        Category::Successful,
        "found in the history"
    );
    assert_eq!(d("pc002").category, Category::Failed);
    assert!(d("pc002").reason.unwrap().is_console(codes::NOT_STARTED));
    assert_eq!(l.counts().total(), 3);
    assert!(l.is_settled());
    // Each device's reprovision went out once; reconcile waited min_age before concluding.
    assert_eq!(e.graph.count("POST"), 3, "{:?}", e.graph.log());
    assert_eq!(tenant.carried_out.borrow().len(), 2);
    assert!(report.reconciled.len() >= 2, "{report:?}");
    assert!(e.slept.borrow().contains(&pace.reconcile.min_age));
    assert!(report.followed.unwrap().still_running == 0);
}

#[tokio::test]
async fn resuming_after_a_reload_only_reads_and_leaves_never_sent_devices_to_the_operator() {
    let all = ids(3);
    let mut ledger = ledger_of(Strategy::PerDevice, ReprovisionParams::default(), &all, &[]);
    ledger.apply(&Change::Started { at: T0 }).unwrap();
    ledger
        .apply(&Change::Sent {
            ids: vec!["pc000".into(), "pc001".into()],
            at: T0,
        })
        .unwrap();
    ledger
        .apply(&Change::Device {
            id: "pc000".into(),
            to: Category::Successful,
            reason: None,
            at: T0,
        })
        .unwrap();
    // The page went away with pc001's request on the wire and pc002 never sent.
    let journal = RunJournal::from_json(&RunJournal::capture(&ledger, None, T0).to_json()).unwrap();
    let (restored, interrupted) = journal.restore(T0);
    assert_eq!(interrupted, vec!["pc001".to_owned()]);
    let (e, sink, tenant) = setup(restored, &[]);
    // Graph did carry out both sent requests.
    tenant.carried_out.borrow_mut().push(("pc000".into(), T0));
    tenant.carried_out.borrow_mut().push(("pc001".into(), T0));
    let report = resume(
        &e.client,
        &sink,
        &RunPace::for_time_scale(60.0),
        &CancelFlag::new(),
    )
    .await;
    assert!(sink.refused().is_empty(), "{:?}", sink.refused());
    assert_eq!(report.never_sent, vec!["pc002".to_owned()]);
    assert_eq!(
        e.graph.count("POST"),
        0,
        "resuming never sends: {:?}",
        e.graph.log()
    );
    let l = sink.snapshot();
    let d = |id: &str| l.device(id).unwrap().clone();
    assert_eq!(d("pc000").category, Category::Successful);
    assert_eq!(d("pc001").category, Category::Successful);
    assert_eq!(d("pc001").tracking.unwrap().phase, FollowPhase::Provisioned);
    assert_eq!(d("pc002").category, Category::Failed);
    assert!(d("pc002").reason.unwrap().is_console(codes::NOT_SENT));
    assert!(l.is_settled());
    assert!(e.slept.borrow().iter().all(|s| *s < Duration::from_secs(2)));
}
