//! Throttling like Graph's (Intune's published figures): token buckets per app and per tenant,
//! one for requests of any kind and one for writes. Buckets refill continuously over
//! *simulated* time, so a time scale of 60 refills a 20 s window in a third of a real second.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Throttling limits. Defaults are Intune's published figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// Whether throttling is applied at all.
    pub enabled: bool,
    /// The window, in simulated seconds, over which each budget refills completely.
    pub window_secs: f64,
    /// Requests of any kind per window, per app.
    pub app_requests: u32,
    /// Writes (POST, PATCH, PUT, DELETE) per window, per app.
    pub app_writes: u32,
    /// Requests of any kind per window, for the whole tenant.
    pub tenant_requests: u32,
    /// Writes per window, for the whole tenant.
    pub tenant_writes: u32,
    /// Most sub-requests in one `$batch`.
    pub max_batch: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            enabled: true,
            window_secs: 20.0,
            app_requests: 2000,
            app_writes: 200,
            tenant_requests: 4000,
            tenant_writes: 400,
            max_batch: 20,
        }
    }
}

impl Limits {
    /// Limits that never throttle (handy for benchmarks of raw throughput).
    pub fn unlimited() -> Self {
        Limits {
            enabled: false,
            ..Limits::default()
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: f64,
}

impl Bucket {
    fn full(capacity: u32, now: f64) -> Self {
        Bucket {
            tokens: capacity as f64,
            last: now,
        }
    }

    fn refill(&mut self, capacity: u32, window: f64, now: f64) {
        let rate = capacity as f64 / window;
        self.tokens = (self.tokens + (now - self.last).max(0.0) * rate).min(capacity as f64);
        self.last = now;
    }

    /// Simulated seconds until one token is available (0 if one is).
    fn wait(&self, capacity: u32, window: f64) -> f64 {
        if self.tokens >= 1.0 {
            0.0
        } else if capacity == 0 {
            window
        } else {
            (1.0 - self.tokens) * window / capacity as f64
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Pair {
    any: Bucket,
    write: Bucket,
}

/// The buckets of every app and of the tenant.
#[derive(Debug, Default)]
pub struct Throttle {
    apps: HashMap<String, Pair>,
    tenant: Option<Pair>,
}

impl Throttle {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets all buckets (every budget is full again).
    pub fn reset(&mut self) {
        self.apps.clear();
        self.tenant = None;
    }

    /// Takes one request (and one write, if `write`) from the app's and the tenant's budgets.
    /// `Err(secs)` when a budget is exhausted: nothing is taken, and `secs` is the simulated
    /// time until the request would be admitted.
    pub fn admit(&mut self, limits: &Limits, app: &str, write: bool, now: f64) -> Result<(), f64> {
        if !limits.enabled {
            return Ok(());
        }
        let window = if limits.window_secs > 0.0 {
            limits.window_secs
        } else {
            20.0
        };
        let app_pair = self.apps.entry(app.to_string()).or_insert(Pair {
            any: Bucket::full(limits.app_requests, now),
            write: Bucket::full(limits.app_writes, now),
        });
        let tenant_pair = self.tenant.get_or_insert(Pair {
            any: Bucket::full(limits.tenant_requests, now),
            write: Bucket::full(limits.tenant_writes, now),
        });
        app_pair.any.refill(limits.app_requests, window, now);
        app_pair.write.refill(limits.app_writes, window, now);
        tenant_pair.any.refill(limits.tenant_requests, window, now);
        tenant_pair.write.refill(limits.tenant_writes, window, now);

        let mut wait = app_pair
            .any
            .wait(limits.app_requests, window)
            .max(tenant_pair.any.wait(limits.tenant_requests, window));
        if write {
            wait = wait
                .max(app_pair.write.wait(limits.app_writes, window))
                .max(tenant_pair.write.wait(limits.tenant_writes, window));
        }
        if wait > 0.0 {
            return Err(wait);
        }
        app_pair.any.tokens -= 1.0;
        tenant_pair.any.tokens -= 1.0;
        if write {
            app_pair.write.tokens -= 1.0;
            tenant_pair.write.tokens -= 1.0;
        }
        Ok(())
    }
}

/// The `Retry-After` value (whole real seconds, at least 1) for a simulated wait.
pub fn retry_after_secs(sim_wait: f64, time_scale: f64) -> u64 {
    let real = sim_wait / time_scale.max(f64::MIN_POSITIVE);
    (real.ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            enabled: true,
            window_secs: 20.0,
            app_requests: 10,
            app_writes: 3,
            tenant_requests: 100,
            tenant_writes: 100,
            max_batch: 20,
        }
    }

    #[test]
    fn writes_have_their_own_budget() {
        let mut t = Throttle::new();
        let l = small();
        for _ in 0..3 {
            assert!(t.admit(&l, "app", true, 0.0).is_ok());
        }
        let wait = t.admit(&l, "app", true, 0.0).unwrap_err();
        assert!((wait - 20.0 / 3.0).abs() < 1e-9, "{wait}");
        // Reads still pass while writes are exhausted.
        assert!(t.admit(&l, "app", false, 0.0).is_ok());
        // Another app has its own budget.
        assert!(t.admit(&l, "other", true, 0.0).is_ok());
    }

    #[test]
    fn budgets_refill_over_time() {
        let mut t = Throttle::new();
        let l = small();
        for _ in 0..10 {
            assert!(t.admit(&l, "app", false, 0.0).is_ok());
        }
        assert!(t.admit(&l, "app", false, 0.0).is_err());
        assert!(t.admit(&l, "app", false, 1.0).is_err());
        assert!(t.admit(&l, "app", false, 2.0).is_ok());
    }

    #[test]
    fn rejected_requests_take_nothing() {
        let mut t = Throttle::new();
        let l = Limits {
            app_requests: 1,
            ..small()
        };
        assert!(t.admit(&l, "a", false, 0.0).is_ok());
        for _ in 0..100 {
            assert!(t.admit(&l, "a", false, 0.0).is_err());
        }
        // 20 s later exactly one token is back, not fewer because of the rejections.
        assert!(t.admit(&l, "a", false, 20.0).is_ok());
    }

    #[test]
    fn tenant_budget_is_shared() {
        let mut t = Throttle::new();
        let l = Limits {
            tenant_requests: 2,
            ..small()
        };
        assert!(t.admit(&l, "a", false, 0.0).is_ok());
        assert!(t.admit(&l, "b", false, 0.0).is_ok());
        assert!(t.admit(&l, "c", false, 0.0).is_err());
    }

    #[test]
    fn disabled_never_throttles() {
        let mut t = Throttle::new();
        let l = Limits::unlimited();
        for _ in 0..10_000 {
            assert!(t.admit(&l, "a", true, 0.0).is_ok());
        }
    }

    #[test]
    fn retry_after_is_real_seconds_rounded_up() {
        assert_eq!(retry_after_secs(6.7, 1.0), 7);
        assert_eq!(retry_after_secs(6.7, 60.0), 1);
        assert_eq!(retry_after_secs(0.0, 1.0), 1);
        assert_eq!(retry_after_secs(120.0, 10.0), 12);
    }
}
