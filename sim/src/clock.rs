//! Simulated time.
//!
//! The simulator keeps one clock that starts at zero when the simulator starts and runs
//! `time_scale` times faster than real time. All durations of the state machine (provisioning
//! takes 60 s, a bulk action dispatches a device every 2 s, a throttle window is 20 s) are
//! expressed in *simulated* seconds, so `time_scale = 60` makes an hour pass in a minute.
//!
//! Timestamps shown in Graph payloads (`startDateTime`, `lastModifiedDateTime`, …) are the
//! *real* wall-clock instants at which the simulated events happen, so a browser showing
//! "updated 2 s ago" stays truthful.

use chrono::{DateTime, SecondsFormat, Utc};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Clock {
    start: Instant,
    start_wall: DateTime<Utc>,
    scale: f64,
}

impl Clock {
    pub fn new(scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        Clock {
            start: Instant::now(),
            start_wall: Utc::now(),
            scale,
        }
    }

    /// The time scale (simulated seconds per real second).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Simulated seconds since the simulator started.
    pub fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * self.scale
    }

    /// The wall-clock instant at which simulated time `sim` happens (or happened).
    pub fn wall(&self, sim: f64) -> DateTime<Utc> {
        let real = sim / self.scale;
        if real >= 0.0 {
            self.start_wall + Duration::from_secs_f64(real)
        } else {
            self.start_wall - Duration::from_secs_f64(-real)
        }
    }

    /// The wall-clock instant of simulated time `sim`, formatted the way Graph formats
    /// `DateTimeOffset` values (`2024-05-01T10:20:30.1234567Z` style, here with millisecond precision).
    pub fn stamp(&self, sim: f64) -> String {
        fmt_time(self.wall(sim))
    }

    /// Converts a simulated duration into a real one.
    pub fn real_duration(&self, sim_secs: f64) -> Duration {
        Duration::from_secs_f64((sim_secs / self.scale).max(0.0))
    }
}

/// Graph's `DateTimeOffset` formatting (UTC, `Z` suffix).
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The current wall-clock time as Graph formats it.
pub fn now_stamp() -> String {
    fmt_time(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_compresses_time() {
        let c = Clock::new(3600.0);
        assert_eq!(c.real_duration(3600.0), Duration::from_secs(1));
        let w0 = c.wall(0.0);
        let w1 = c.wall(7200.0);
        assert_eq!((w1 - w0).num_milliseconds(), 2000);
    }

    #[test]
    fn invalid_scale_falls_back_to_real_time() {
        assert_eq!(Clock::new(0.0).scale(), 1.0);
        assert_eq!(Clock::new(f64::NAN).scale(), 1.0);
    }

    #[test]
    fn stamps_are_utc_with_z() {
        let s = Clock::new(1.0).stamp(0.0);
        assert!(s.ends_with('Z'), "{s}");
        assert!(DateTime::parse_from_rfc3339(&s).is_ok());
    }
}
