//! Accounting: the invariant under random change sequences, the transition rules, counts,
//! lists and the estimate.

use super::*;
use crate::bulk::strategy::Strategy;

fn target(id: &str) -> Target {
    Target {
        cloud_pc_id: id.into(),
        name: format!("CPC-{id}"),
        user: None,
        managed_device_id: None,
    }
}

fn ledger(n: usize) -> RunLedger {
    RunLedger::new(
        "r",
        Strategy::PerDevice,
        ReprovisionParams::default(),
        "run",
        (0..n).map(|i| target(&format!("d{i}"))).collect(),
        vec![(
            target("aside"),
            Reason::console(codes::STATUS_NOT_ELIGIBLE, "provisioning"),
        )],
        0,
    )
}

/// xorshift64*: deterministic randomness without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const CATS: [Category; 7] = [
    Category::Pending,
    Category::InProgress,
    Category::Successful,
    Category::Failed,
    Category::NotFound,
    Category::NotSupported,
    Category::Unknown,
];

fn check_invariant(l: &RunLedger, n: usize) {
    let counts = l.counts();
    assert_eq!(counts.total(), n, "counts add up to the total");
    assert_eq!(l.total(), n);
    let grouped: usize = l.grouped().iter().map(|(_, v)| v.len()).sum();
    assert_eq!(grouped, n, "every device in exactly one list");
    for c in CATS {
        assert_eq!(l.in_category(c).len(), counts.get(c));
        assert_eq!(l.ids_in(c).len(), counts.get(c));
    }
    let mut ids: Vec<&str> = l
        .devices()
        .iter()
        .map(|d| d.target.cloud_pc_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "ids unique");
    let bar: f64 = counts.bar().iter().map(|(_, f)| f).sum();
    assert!((bar - 1.0).abs() < 1e-9);
    let p = l.progress(1_000_000);
    assert_eq!(p.done + counts.pending + counts.in_progress, n);
}

#[test]
fn counts_always_add_up_under_random_change_sequences() {
    for seed in 1..=200u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let n = 1 + rng.below(30);
        let mut l = ledger(n - 1);
        check_invariant(&l, n);
        let ids: Vec<String> = l
            .devices()
            .iter()
            .map(|d| d.target.cloud_pc_id.clone())
            .collect();
        for step in 0..200u64 {
            let before = l.clone();
            let pick = |rng: &mut Rng| {
                if rng.below(20) == 0 {
                    "stranger".to_owned()
                } else {
                    ids[rng.below(ids.len())].clone()
                }
            };
            let change = match rng.below(6) {
                0 => Change::Sent {
                    ids: (0..1 + rng.below(3)).map(|_| pick(&mut rng)).collect(),
                    at: step,
                },
                1..=3 => Change::Device {
                    id: pick(&mut rng),
                    to: CATS[rng.below(7)],
                    reason: Some(Reason::console("x", "y")),
                    at: step,
                },
                4 => Change::Tracked {
                    id: pick(&mut rng),
                    tracking: Tracking {
                        phase: FollowPhase::Running,
                        status: None,
                        action_state: None,
                        action_started: None,
                        action_updated: None,
                        detail: None,
                        checked_at: step,
                    },
                },
                _ => Change::Started { at: step },
            };
            match l.apply(&change) {
                Ok(()) => {
                    if let Change::Device { id, to, .. } = &change {
                        let from = before.device(id).unwrap().category;
                        assert!(from.may_become(*to));
                        assert_eq!(l.device(id).unwrap().category, *to);
                    }
                }
                Err(_) => assert_eq!(l, before, "a refused change changes nothing"),
            }
            check_invariant(&l, n);
            if step % 50 == 0 {
                l.settle_interrupted(step);
                check_invariant(&l, n);
                assert!(l.devices().iter().all(|d| !d.awaiting_answer));
            }
        }
    }
}

#[test]
fn transition_rules_protect_unknown_and_final_devices() {
    use Category::*;
    assert!(
        !Unknown.may_become(Pending),
        "unknown must be checked before any re-send"
    );
    assert!(Unknown.may_become(Failed));
    assert!(Failed.may_become(Pending), "approved retry");
    assert!(!Failed.may_become(Unknown));
    assert!(!NotFound.may_become(Pending));
    assert!(!NotSupported.may_become(InProgress));
    assert!(Successful.may_become(Failed));
    assert!(!Successful.may_become(Pending));
    assert!(InProgress.may_become(Pending), "queued by Graph");
    for c in CATS {
        assert!(c.may_become(c));
        assert!(Pending.may_become(c));
    }

    let mut l = ledger(2);
    l.apply(&Change::Sent {
        ids: vec!["d0".into()],
        at: 5,
    })
    .unwrap();
    let d = l.device("d0").unwrap();
    assert_eq!(
        (d.category, d.awaiting_answer, d.attempts, d.first_sent_at),
        (InProgress, true, 1, Some(5))
    );
    l.apply(&Change::Device {
        id: "d0".into(),
        to: Unknown,
        reason: None,
        at: 6,
    })
    .unwrap();
    assert!(!l.device("d0").unwrap().awaiting_answer);
    assert_eq!(
        l.apply(&Change::Device {
            id: "d0".into(),
            to: Pending,
            reason: None,
            at: 7
        }),
        Err(LedgerError::Refused {
            id: "d0".into(),
            from: Unknown,
            to: Pending
        })
    );
    assert_eq!(
        l.apply(&Change::Sent {
            ids: vec!["d1".into(), "d0".into()],
            at: 8
        }),
        Err(LedgerError::Refused {
            id: "d0".into(),
            from: Unknown,
            to: InProgress
        }),
    );
    assert_eq!(l.device("d1").unwrap().category, Pending, "all or nothing");
    assert!(matches!(
        l.apply(&Change::Device {
            id: "zz".into(),
            to: Failed,
            reason: None,
            at: 9
        }),
        Err(LedgerError::UnknownDevice(_))
    ));
    let history = &l.device("d0").unwrap().history;
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1].from, history[1].to, history[1].at),
        (InProgress, Unknown, 6)
    );
}

#[test]
fn duplicates_are_kept_once_and_set_asides_are_not_supported() {
    let l = RunLedger::new(
        "r",
        Strategy::BulkAction,
        ReprovisionParams::default(),
        "x",
        vec![target("a"), target("a"), target("b")],
        vec![
            (target("b"), Reason::console("c", "m")),
            (target("c"), Reason::console("c", "m")),
        ],
        0,
    );
    assert_eq!(l.total(), 3);
    let c = l.counts();
    assert_eq!((c.pending, c.not_supported), (2, 1));
    assert_eq!(l.ids_in(Category::NotSupported), vec!["c"]);
}

#[test]
fn progress_estimates_from_the_rate_since_start() {
    let mut l = ledger(10); // + 1 set aside
    let p = l.progress(0);
    assert_eq!((p.done, p.total, p.eta_ms), (1, 11, None));
    l.apply(&Change::Started { at: 1_000 }).unwrap();
    assert_eq!(l.done_at_start, 1);
    for i in 0..5 {
        l.apply(&Change::Device {
            id: format!("d{i}"),
            to: Category::Successful,
            reason: None,
            at: 2_000,
        })
        .unwrap();
    }
    let p = l.progress(61_000);
    assert_eq!((p.done, p.total), (6, 11));
    assert!((p.fraction - 6.0 / 11.0).abs() < 1e-9);
    assert_eq!(p.per_minute, Some(5.0));
    assert_eq!(p.eta_ms, Some(60_000), "5 left at 5 per minute");
    for i in 5..10 {
        l.apply(&Change::Device {
            id: format!("d{i}"),
            to: Category::Failed,
            reason: None,
            at: 3_000,
        })
        .unwrap();
    }
    assert_eq!(l.progress(90_000).eta_ms, Some(0));
    assert!(l.is_settled());
    let empty = RunLedger::new(
        "e",
        Strategy::PerDevice,
        ReprovisionParams::default(),
        "e",
        vec![],
        vec![],
        0,
    );
    assert_eq!(empty.progress(5).fraction, 1.0);
    assert!(empty.counts().bar().is_empty());
}

#[test]
fn reasons_carry_graph_error_ids() {
    let mut e = GraphError::new(crate::graph::error::ErrorKind::Forbidden, "no role");
    e.code = Some("Forbidden".into());
    e.status = Some(403);
    e.request_id = Some("rid".into());
    e.client_request_id = Some("crid".into());
    e.date = Some("d".into());
    let r = Reason::from_error(&e);
    assert_eq!(r.summary(), "Forbidden: no role");
    assert_eq!(
        (
            r.request_id.as_deref(),
            r.client_request_id.as_deref(),
            r.status
        ),
        (Some("rid"), Some("crid"), Some(403))
    );
    let c = Reason::console(codes::NOT_STARTED, "did not start").with_ids_of(&r);
    assert!(c.is_console(codes::NOT_STARTED));
    assert_eq!(c.request_id.as_deref(), Some("rid"));
}
