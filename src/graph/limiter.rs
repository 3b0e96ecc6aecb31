//! The console-wide request limiter: at most N Graph requests in flight, and a gate that closes
//! for everyone while Graph throttles. Single-threaded (wasm): `Rc` + `RefCell`, no runtime.
//!
//! A request waits for the gate to be open, takes a permit, sends, and drops the permit. The
//! request that receives a 429 holds a [`PauseGuard`] while it waits `Retry-After`: until every
//! such guard is dropped, no request of the console is sent.
//!
//! Requests already on the wire when the gate closes come back 429 too, up to one round trip
//! later. Their answers describe the same exhausted budget the first 429 reported, so they wait
//! for the gate like everyone else instead of closing it again for their own `Retry-After`
//! ([`RequestLimiter::pause_since`]): otherwise each pause would last `Retry-After` plus a round
//! trip, and Graph's budget would sit full and unused for that round trip on every pause.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// Default number of Graph requests in flight at once.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4;

/// Shared by every Graph client of the console (clone it: clones share the same state).
#[derive(Clone)]
pub struct RequestLimiter {
    inner: Rc<RefCell<State>>,
}

struct State {
    max: usize,
    available: usize,
    queue: VecDeque<Waiter>,
    granted: Vec<u64>,
    next_ticket: u64,
    pauses: usize,
    /// How many times the gate has closed (a pause began with the gate open).
    closings: u64,
    gate_waiters: Vec<Waker>,
}

struct Waiter {
    ticket: u64,
    waker: Waker,
}

impl std::fmt::Debug for RequestLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.inner.borrow();
        f.debug_struct("RequestLimiter")
            .field("max", &st.max)
            .field("in_flight", &(st.max - st.available - st.granted.len()))
            .field("waiting", &st.queue.len())
            .field("paused", &(st.pauses > 0))
            .finish()
    }
}

impl Default for RequestLimiter {
    fn default() -> Self {
        RequestLimiter::new(DEFAULT_MAX_IN_FLIGHT)
    }
}

impl RequestLimiter {
    /// A limiter allowing `max_in_flight` (at least 1) requests at once.
    pub fn new(max_in_flight: usize) -> RequestLimiter {
        let max = max_in_flight.max(1);
        RequestLimiter {
            inner: Rc::new(RefCell::new(State {
                max,
                available: max,
                queue: VecDeque::new(),
                granted: Vec::new(),
                next_ticket: 0,
                pauses: 0,
                closings: 0,
                gate_waiters: Vec::new(),
            })),
        }
    }

    /// The bound.
    pub fn max_in_flight(&self) -> usize {
        self.inner.borrow().max
    }

    /// Permits currently held (requests on the wire).
    pub fn in_flight(&self) -> usize {
        let st = self.inner.borrow();
        st.max - st.available - st.granted.len()
    }

    /// Requests waiting for a permit.
    pub fn waiting(&self) -> usize {
        self.inner.borrow().queue.len()
    }

    /// True while Graph's throttling holds every request back.
    pub fn is_paused(&self) -> bool {
        self.inner.borrow().pauses > 0
    }

    /// Waits for a permit (first come, first served). Dropping the permit frees it.
    pub fn acquire(&self) -> Acquire {
        Acquire {
            limiter: self.clone(),
            ticket: None,
            done: false,
        }
    }

    /// Waits until no throttling pause is in force.
    pub fn wait_open(&self) -> WaitOpen {
        WaitOpen {
            limiter: self.clone(),
        }
    }

    /// Closes the gate for everyone until the returned guard is dropped.
    pub fn pause(&self) -> PauseGuard {
        let mut st = self.inner.borrow_mut();
        if st.pauses == 0 {
            st.closings += 1;
        }
        st.pauses += 1;
        PauseGuard {
            limiter: self.clone(),
        }
    }

    /// Marks the moment a request goes on the wire; pass it to [`RequestLimiter::pause_since`]
    /// when its answer is a 429.
    pub fn send_mark(&self) -> SendMark {
        SendMark(self.inner.borrow().closings)
    }

    /// A 429 came back for a request sent at `sent`: closes the gate (as [`pause`]) unless it
    /// has closed since that request was sent, in which case the pause under way (or just
    /// over) already answers this throttling and `None` is returned: wait for the gate with
    /// [`RequestLimiter::wait_open`] and send again.
    ///
    /// [`pause`]: RequestLimiter::pause
    pub fn pause_since(&self, sent: SendMark) -> Option<PauseGuard> {
        let unchanged = self.inner.borrow().closings == sent.0;
        unchanged.then(|| self.pause())
    }

    fn release(&self) {
        let waker = {
            let mut st = self.inner.borrow_mut();
            match st.queue.pop_front() {
                Some(w) => {
                    st.granted.push(w.ticket);
                    Some(w.waker)
                }
                None => {
                    st.available += 1;
                    None
                }
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// When a request was sent, relative to the gate's closings (see [`RequestLimiter::send_mark`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SendMark(u64);

/// A request slot; released on drop.
pub struct Permit {
    limiter: RequestLimiter,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.limiter.release();
    }
}

/// Future of [`RequestLimiter::acquire`].
pub struct Acquire {
    limiter: RequestLimiter,
    ticket: Option<u64>,
    done: bool,
}

impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let this = &mut *self;
        let mut st = this.limiter.inner.borrow_mut();
        match this.ticket {
            None => {
                if st.available > 0 && st.queue.is_empty() {
                    st.available -= 1;
                } else {
                    let ticket = st.next_ticket;
                    st.next_ticket += 1;
                    st.queue.push_back(Waiter {
                        ticket,
                        waker: cx.waker().clone(),
                    });
                    this.ticket = Some(ticket);
                    return Poll::Pending;
                }
            }
            Some(ticket) => {
                if let Some(pos) = st.granted.iter().position(|t| *t == ticket) {
                    st.granted.swap_remove(pos);
                } else {
                    if let Some(w) = st.queue.iter_mut().find(|w| w.ticket == ticket) {
                        w.waker.clone_from(cx.waker());
                    }
                    return Poll::Pending;
                }
            }
        }
        drop(st);
        this.done = true;
        Poll::Ready(Permit {
            limiter: this.limiter.clone(),
        })
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let Some(ticket) = self.ticket else { return };
        let pass_on = {
            let mut st = self.limiter.inner.borrow_mut();
            if let Some(pos) = st.granted.iter().position(|t| *t == ticket) {
                st.granted.swap_remove(pos);
                true
            } else {
                st.queue.retain(|w| w.ticket != ticket);
                false
            }
        };
        if pass_on {
            // Granted but abandoned before being polled: hand the slot to the next in line.
            self.limiter.release();
        }
    }
}

/// Future of [`RequestLimiter::wait_open`].
pub struct WaitOpen {
    limiter: RequestLimiter,
}

impl Future for WaitOpen {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut st = self.limiter.inner.borrow_mut();
        if st.pauses == 0 {
            Poll::Ready(())
        } else {
            if !st.gate_waiters.iter().any(|w| w.will_wake(cx.waker())) {
                st.gate_waiters.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }
}

/// Keeps the throttling gate closed; opens it (if no other pause holds) when dropped.
pub struct PauseGuard {
    limiter: RequestLimiter,
}

impl Drop for PauseGuard {
    fn drop(&mut self) {
        let wakers = {
            let mut st = self.limiter.inner.borrow_mut();
            st.pauses -= 1;
            if st.pauses == 0 {
                std::mem::take(&mut st.gate_waiters)
            } else {
                Vec::new()
            }
        };
        for w in wakers {
            w.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll<F: Future + Unpin>(f: &mut F, waker: &Waker) -> Poll<F::Output> {
        Pin::new(f).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn bounds_in_flight_and_serves_in_order() {
        let lim = RequestLimiter::new(2);
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let Poll::Ready(p1) = poll(&mut lim.acquire(), &waker) else {
            panic!()
        };
        let Poll::Ready(p2) = poll(&mut lim.acquire(), &waker) else {
            panic!()
        };
        assert_eq!(lim.in_flight(), 2);
        let mut third = lim.acquire();
        let mut fourth = lim.acquire();
        assert!(poll(&mut third, &waker).is_pending());
        assert!(poll(&mut fourth, &waker).is_pending());
        assert_eq!(lim.waiting(), 2);
        drop(p1);
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        assert!(
            poll(&mut fourth, &waker).is_pending(),
            "fourth must not overtake third"
        );
        let Poll::Ready(p3) = poll(&mut third, &waker) else {
            panic!("third first")
        };
        assert_eq!(lim.in_flight(), 2);
        drop(fourth); // abandoned while waiting
        drop(p2);
        drop(p3);
        assert_eq!(lim.in_flight(), 0);
        assert_eq!(lim.waiting(), 0);
        let Poll::Ready(_p) = poll(&mut lim.acquire(), &waker) else {
            panic!()
        };
    }

    #[test]
    fn abandoned_grant_passes_to_the_next_waiter() {
        let lim = RequestLimiter::new(1);
        let waker = Waker::from(Arc::new(CountingWaker(AtomicUsize::new(0))));
        let Poll::Ready(p1) = poll(&mut lim.acquire(), &waker) else {
            panic!()
        };
        let mut second = lim.acquire();
        let mut third = lim.acquire();
        assert!(poll(&mut second, &waker).is_pending());
        assert!(poll(&mut third, &waker).is_pending());
        drop(p1); // grants `second`
        drop(second); // which is abandoned before it runs
        assert!(poll(&mut third, &waker).is_ready());
    }

    #[test]
    fn a_429_for_a_request_sent_before_the_gate_closed_does_not_close_it_again() {
        let lim = RequestLimiter::new(4);
        let waker = Waker::from(Arc::new(CountingWaker(AtomicUsize::new(0))));
        let early = lim.send_mark();
        let also_early = lim.send_mark();
        // The first 429 closes the gate.
        let first = lim.pause_since(early).expect("the first 429 pauses");
        assert!(lim.is_paused());
        // A 429 for a request that was on the wire already: no pause of its own.
        assert!(lim.pause_since(also_early).is_none());
        drop(first);
        assert!(!lim.is_paused(), "the gate opens when the first pause ends");
        assert!(poll(&mut lim.wait_open(), &waker).is_ready());
        // A request sent after that pause and throttled again closes the gate again.
        let later = lim.send_mark();
        let again = lim.pause_since(later);
        assert!(again.is_some() && lim.is_paused());
        // ...and a 429 for a request sent before that first pause still does not.
        assert!(lim.pause_since(also_early).is_none());
    }

    #[test]
    fn pause_holds_everyone_until_every_guard_is_gone() {
        let lim = RequestLimiter::new(4);
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let g1 = lim.pause();
        let g2 = lim.pause();
        let mut a = lim.wait_open();
        let mut b = lim.wait_open();
        assert!(poll(&mut a, &waker).is_pending());
        assert!(poll(&mut b, &waker).is_pending());
        drop(g1);
        assert!(lim.is_paused());
        assert!(poll(&mut a, &waker).is_pending());
        drop(g2);
        assert!(!lim.is_paused());
        assert!(counter.0.load(Ordering::SeqCst) >= 1);
        assert!(poll(&mut a, &waker).is_ready());
        assert!(poll(&mut b, &waker).is_ready());
    }
}
