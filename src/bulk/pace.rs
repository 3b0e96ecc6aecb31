//! How fast a run waits: between reads of a bulk action, before and between follow rounds, and
//! before reconcile may conclude "did not start". Real Graph takes about an hour to reprovision;
//! against the Graph simulator, whose time runs `time_scale` times faster, every wait shrinks
//! by the same factor, so a demo or test run follows its devices as an operator's would, only
//! faster.

use std::time::Duration;

use super::follow::{FollowSchedule, ReconcileOptions};
use super::run_bulk_action::BulkActionOptions;

/// The waits of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPace {
    pub follow: FollowSchedule,
    pub bulk_action: BulkActionOptions,
    pub reconcile: ReconcileOptions,
}

impl Default for RunPace {
    fn default() -> Self {
        RunPace::for_time_scale(1.0)
    }
}

/// No wait shorter than this, however fast simulated time runs (the page keeps painting).
pub const MIN_WAIT: Duration = Duration::from_millis(100);

impl RunPace {
    /// Graph's own pace divided by `time_scale` (1 for real Graph; values below 1, NaN or
    /// infinite are read as 1). Counts of reads stay as they are: the run follows its devices
    /// for the same simulated time.
    pub fn for_time_scale(time_scale: f64) -> RunPace {
        let scale = if time_scale.is_finite() && time_scale >= 1.0 {
            time_scale
        } else {
            1.0
        };
        let shrink = |d: Duration| d.div_f64(scale).max(MIN_WAIT);
        let follow = FollowSchedule::default();
        let bulk = BulkActionOptions::default();
        let reconcile = ReconcileOptions::default();
        RunPace {
            follow: FollowSchedule {
                first_delay: shrink(follow.first_delay),
                interval: shrink(follow.interval),
                ..follow
            },
            bulk_action: BulkActionOptions {
                poll_interval: shrink(bulk.poll_interval),
                ..bulk
            },
            reconcile: ReconcileOptions {
                min_age: shrink(reconcile.min_age),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_graph_keeps_the_default_waits() {
        let pace = RunPace::default();
        assert_eq!(pace.follow, FollowSchedule::default());
        assert_eq!(pace.bulk_action, BulkActionOptions::default());
        assert_eq!(pace.reconcile, ReconcileOptions::default());
        assert_eq!(RunPace::for_time_scale(0.5), pace);
        assert_eq!(RunPace::for_time_scale(f64::NAN), pace);
        assert_eq!(RunPace::for_time_scale(f64::INFINITY), pace);
    }

    #[test]
    fn simulated_time_shrinks_every_wait_but_not_below_the_floor() {
        let pace = RunPace::for_time_scale(60.0);
        assert_eq!(pace.follow.first_delay, Duration::from_millis(500));
        assert_eq!(pace.follow.interval, Duration::from_secs(1));
        assert_eq!(pace.follow.max_rounds, FollowSchedule::default().max_rounds);
        assert_eq!(pace.bulk_action.poll_interval, Duration::from_millis(250));
        assert_eq!(pace.reconcile.min_age, Duration::from_secs(2));
        let fast = RunPace::for_time_scale(100_000.0);
        assert_eq!(fast.follow.first_delay, MIN_WAIT);
        assert_eq!(fast.bulk_action.poll_interval, MIN_WAIT);
    }
}
