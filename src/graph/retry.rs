//! The retry policy, in one place. Pure: it looks at one outcome and says what to do next.
//!
//! - 2xx: done.
//! - 429: the request was not carried out. Wait `Retry-After` (or back off exponentially with
//!   jitter when absent) and repeat, for everyone ([`Decision::Retry`] with `throttled`),
//!   at most `max_throttle_retries` times.
//! - 401: ask the token provider once for a fresh token and repeat.
//! - 503/504 and transport failures: repeat only idempotent requests (GET), at most
//!   `max_transient_retries` times.
//! - A destructive request that failed ambiguously (any 5xx, reset, timeout) is never repeated:
//!   it is reported as [`ErrorKind::Ambiguous`] so the caller checks the device first.
//! - Everything else fails at once with the kind of its status.

use std::time::Duration;

use super::error::{ErrorKind, GraphError};
use super::transport::TransportError;

/// Bounds and timings of the retry policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Repeats after 429 before giving up with [`ErrorKind::Throttled`].
    pub max_throttle_retries: u32,
    /// Repeats of an idempotent request after 503/504 or a transport failure.
    pub max_transient_retries: u32,
    /// First back-off when Graph gives no `Retry-After`; doubles on every repeat.
    pub base_backoff: Duration,
    /// Longest back-off computed without `Retry-After`.
    pub max_backoff: Duration,
    /// Longest `Retry-After` honoured; longer ones are waited this long.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            // A bulk run's own requests compete for the same budget, so under a throttling storm
            // one request can lose several rounds in a row (five gave up on a device of 1,000 in
            // the fault matrix). Each wait is what Graph asked for, at most `max_retry_after`.
            max_throttle_retries: 10,
            max_transient_retries: 3,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(32),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

/// What happened to one attempt.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// An HTTP answer, with its parsed `Retry-After` if any.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No HTTP answer.
    Transport(&'a TransportError),
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// 2xx: hand the response over.
    Success,
    /// Wait `after`, then repeat. `throttled`: Graph throttled, so every request of the console
    /// waits as well.
    Retry { after: Duration, throttled: bool },
    /// Get a fresh token (force refresh) and repeat at once.
    RefreshTokenAndRetry,
    /// Give up with this kind.
    Fail(ErrorKind),
}

/// The attempts made so far for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryState {
    pub throttled: u32,
    pub transient: u32,
    pub token_refreshed: bool,
}

/// What the policy needs to know about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTraits {
    /// Safe to repeat after an unclear failure (GET, or a batch of GETs).
    pub idempotent: bool,
    /// Changes a Cloud PC: never repeated after an ambiguous failure.
    pub destructive: bool,
}

impl RetryPolicy {
    /// Decides what follows `outcome`; updates `state`. `jitter` is a random number in `[0, 1)`.
    pub fn decide(
        &self,
        state: &mut RetryState,
        outcome: Outcome<'_>,
        request: RequestTraits,
        jitter: f64,
    ) -> Decision {
        match outcome {
            Outcome::Status { status, .. } if (200..300).contains(&status) => Decision::Success,
            Outcome::Status {
                status: 429,
                retry_after,
            } => {
                if state.throttled >= self.max_throttle_retries {
                    return Decision::Fail(ErrorKind::Throttled);
                }
                let after = match retry_after {
                    Some(d) => d.min(self.max_retry_after),
                    None => self.backoff(state.throttled, jitter),
                };
                state.throttled += 1;
                Decision::Retry {
                    after,
                    throttled: true,
                }
            }
            Outcome::Status { status: 401, .. } => {
                if state.token_refreshed {
                    Decision::Fail(ErrorKind::Unauthorized)
                } else {
                    state.token_refreshed = true;
                    Decision::RefreshTokenAndRetry
                }
            }
            Outcome::Status {
                status,
                retry_after,
            } if status >= 500 => {
                if request.destructive {
                    return Decision::Fail(ErrorKind::Ambiguous);
                }
                if request.idempotent
                    && matches!(status, 503 | 504)
                    && state.transient < self.max_transient_retries
                {
                    let after = match retry_after {
                        Some(d) => d.min(self.max_retry_after),
                        None => self.backoff(state.transient, jitter),
                    };
                    state.transient += 1;
                    return Decision::Retry {
                        after,
                        throttled: false,
                    };
                }
                Decision::Fail(ErrorKind::Graph)
            }
            Outcome::Status { status, .. } => Decision::Fail(GraphError::kind_for_status(status)),
            Outcome::Transport(_) => {
                if request.destructive {
                    return Decision::Fail(ErrorKind::Ambiguous);
                }
                if request.idempotent && state.transient < self.max_transient_retries {
                    let after = self.backoff(state.transient, jitter);
                    state.transient += 1;
                    return Decision::Retry {
                        after,
                        throttled: false,
                    };
                }
                Decision::Fail(ErrorKind::Network)
            }
        }
    }

    /// Exponential back-off with "equal jitter": half of `base * 2^attempt` (capped at
    /// `max_backoff`) plus a random part of the other half.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self.base_backoff.saturating_mul(1u32 << attempt.min(16));
        let cap = exp.min(self.max_backoff);
        let half = cap / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: RequestTraits = RequestTraits {
        idempotent: true,
        destructive: false,
    };
    const REPROVISION: RequestTraits = RequestTraits {
        idempotent: false,
        destructive: true,
    };
    const PLAIN_POST: RequestTraits = RequestTraits {
        idempotent: false,
        destructive: false,
    };

    fn status(status: u16, retry_after: Option<u64>) -> Outcome<'static> {
        Outcome::Status {
            status,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn throttling_waits_retry_after_then_gives_up() {
        let p = RetryPolicy::default();
        let mut st = RetryState::default();
        for _ in 0..p.max_throttle_retries {
            assert_eq!(
                p.decide(&mut st, status(429, Some(7)), REPROVISION, 0.5),
                Decision::Retry {
                    after: Duration::from_secs(7),
                    throttled: true
                }
            );
        }
        assert_eq!(
            p.decide(&mut st, status(429, Some(7)), REPROVISION, 0.5),
            Decision::Fail(ErrorKind::Throttled)
        );
    }

    #[test]
    fn throttling_without_retry_after_backs_off_exponentially_with_jitter() {
        let p = RetryPolicy::default();
        let mut st = RetryState::default();
        let mut waits = Vec::new();
        for _ in 0..4 {
            match p.decide(&mut st, status(429, None), GET, 0.0) {
                Decision::Retry {
                    after,
                    throttled: true,
                } => waits.push(after.as_millis()),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(waits, vec![500, 1000, 2000, 4000]);
        assert_eq!(p.backoff(0, 0.999_999).as_millis(), 999);
        assert_eq!(
            p.backoff(10, 0.0),
            Duration::from_secs(16),
            "capped at max_backoff"
        );
    }

    #[test]
    fn huge_retry_after_is_capped() {
        let p = RetryPolicy::default();
        let d = p.decide(
            &mut RetryState::default(),
            status(429, Some(86_400)),
            GET,
            0.0,
        );
        assert_eq!(
            d,
            Decision::Retry {
                after: p.max_retry_after,
                throttled: true
            }
        );
    }

    #[test]
    fn unauthorized_refreshes_the_token_once() {
        let p = RetryPolicy::default();
        let mut st = RetryState::default();
        assert_eq!(
            p.decide(&mut st, status(401, None), REPROVISION, 0.0),
            Decision::RefreshTokenAndRetry
        );
        assert_eq!(
            p.decide(&mut st, status(401, None), REPROVISION, 0.0),
            Decision::Fail(ErrorKind::Unauthorized)
        );
    }

    #[test]
    fn service_unavailable_repeats_gets_only() {
        let p = RetryPolicy::default();
        let mut st = RetryState::default();
        for n in 0..p.max_transient_retries {
            match p.decide(&mut st, status(503, None), GET, 0.0) {
                Decision::Retry {
                    after,
                    throttled: false,
                } => assert_eq!(after, p.backoff(n, 0.0)),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            p.decide(&mut st, status(504, None), GET, 0.0),
            Decision::Fail(ErrorKind::Graph)
        );
        assert_eq!(
            p.decide(&mut RetryState::default(), status(503, Some(3)), GET, 0.0),
            Decision::Retry {
                after: Duration::from_secs(3),
                throttled: false
            }
        );
        assert_eq!(
            p.decide(&mut RetryState::default(), status(500, None), GET, 0.0),
            Decision::Fail(ErrorKind::Graph)
        );
        assert_eq!(
            p.decide(
                &mut RetryState::default(),
                status(503, None),
                PLAIN_POST,
                0.0
            ),
            Decision::Fail(ErrorKind::Graph)
        );
    }

    #[test]
    fn destructive_requests_are_never_repeated_after_ambiguous_failures() {
        let p = RetryPolicy::default();
        for s in [500, 502, 503, 504] {
            assert_eq!(
                p.decide(
                    &mut RetryState::default(),
                    status(s, Some(1)),
                    REPROVISION,
                    0.0
                ),
                Decision::Fail(ErrorKind::Ambiguous)
            );
        }
        for e in [
            TransportError::Timeout,
            TransportError::Network("reset".into()),
        ] {
            assert_eq!(
                p.decide(
                    &mut RetryState::default(),
                    Outcome::Transport(&e),
                    REPROVISION,
                    0.0
                ),
                Decision::Fail(ErrorKind::Ambiguous)
            );
        }
    }

    #[test]
    fn network_failures_repeat_gets_then_fail() {
        let p = RetryPolicy::default();
        let e = TransportError::Timeout;
        let mut st = RetryState::default();
        for _ in 0..p.max_transient_retries {
            assert!(matches!(
                p.decide(&mut st, Outcome::Transport(&e), GET, 0.0),
                Decision::Retry {
                    throttled: false,
                    ..
                }
            ));
        }
        assert_eq!(
            p.decide(&mut st, Outcome::Transport(&e), GET, 0.0),
            Decision::Fail(ErrorKind::Network)
        );
        assert_eq!(
            p.decide(
                &mut RetryState::default(),
                Outcome::Transport(&e),
                PLAIN_POST,
                0.0
            ),
            Decision::Fail(ErrorKind::Network)
        );
    }

    #[test]
    fn client_errors_fail_at_once() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(&mut RetryState::default(), status(403, None), GET, 0.0),
            Decision::Fail(ErrorKind::Forbidden)
        );
        assert_eq!(
            p.decide(&mut RetryState::default(), status(404, None), GET, 0.0),
            Decision::Fail(ErrorKind::NotFound)
        );
        assert_eq!(
            p.decide(
                &mut RetryState::default(),
                status(400, None),
                REPROVISION,
                0.0
            ),
            Decision::Fail(ErrorKind::Graph)
        );
        assert_eq!(
            p.decide(
                &mut RetryState::default(),
                status(204, None),
                REPROVISION,
                0.0
            ),
            Decision::Success
        );
    }
}
