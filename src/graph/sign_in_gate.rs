//! When sign-in expires or is revoked mid-work (the token provider says the operator must sign
//! in again), every request waits at the token step, before anything is sent, until the
//! operator has signed in again, instead of failing: a bulk run pauses and then resumes where
//! it was, and nothing is marked failed or unknown for want of a token.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::transport::{TokenError, TokenProvider};

/// Shared between the token provider (which closes it) and the page (which shows the prompt and
/// opens it once the operator has signed in again). Clones share the gate.
#[derive(Clone, Default)]
pub struct SignInGate(Rc<Inner>);

/// Told the reason when the gate closes, `None` when it opens.
type Listener = Rc<dyn Fn(Option<String>)>;

#[derive(Default)]
struct Inner {
    /// Why the operator must sign in again, while the gate is closed.
    closed: RefCell<Option<String>>,
    wakers: RefCell<Vec<Waker>>,
    listeners: RefCell<Vec<Listener>>,
    /// Requests waiting at the gate.
    waiting: Cell<usize>,
}

impl SignInGate {
    pub fn new() -> SignInGate {
        SignInGate::default()
    }

    /// Why requests are waiting for the operator to sign in again, if they are.
    pub fn closed_because(&self) -> Option<String> {
        self.0.closed.borrow().clone()
    }

    pub fn is_closed(&self) -> bool {
        self.0.closed.borrow().is_some()
    }

    /// Requests waiting at the gate now.
    pub fn waiting(&self) -> usize {
        self.0.waiting.get()
    }

    /// Calls `f` with the reason whenever the gate closes, and with `None` when it opens.
    pub fn on_change(&self, f: impl Fn(Option<String>) + 'static) {
        self.0.listeners.borrow_mut().push(Rc::new(f));
    }

    /// Holds every request at the token step until [`SignInGate::open`].
    pub fn close(&self, why: impl Into<String>) {
        let why = why.into();
        let was_open = self.0.closed.replace(Some(why.clone())).is_none();
        if was_open {
            self.notify(Some(why));
        }
    }

    /// The operator signed in again: waiting requests ask for a token again.
    pub fn open(&self) {
        if self.0.closed.replace(None).is_some() {
            for w in self.0.wakers.take() {
                w.wake();
            }
            self.notify(None);
        }
    }

    fn notify(&self, state: Option<String>) {
        let listeners: Vec<_> = self.0.listeners.borrow().clone();
        for l in listeners {
            l(state.clone());
        }
    }

    /// Resolves once the gate is open.
    pub fn wait_open(&self) -> WaitOpen {
        WaitOpen {
            gate: self.clone(),
            counted: false,
        }
    }
}

/// The future of [`SignInGate::wait_open`].
pub struct WaitOpen {
    gate: SignInGate,
    counted: bool,
}

impl Future for WaitOpen {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.gate.is_closed() {
            if self.counted {
                self.counted = false;
                let w = &self.gate.0.waiting;
                w.set(w.get() - 1);
            }
            return Poll::Ready(());
        }
        if !self.counted {
            self.counted = true;
            let w = &self.gate.0.waiting;
            w.set(w.get() + 1);
        }
        self.gate.0.wakers.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for WaitOpen {
    fn drop(&mut self) {
        if self.counted {
            let w = &self.gate.0.waiting;
            w.set(w.get() - 1);
        }
    }
}

/// A token provider that, when the inner one needs the operator to sign in again, closes the
/// gate and waits for it to open, then asks again (with a fresh token).
pub struct GatedTokens<A> {
    inner: A,
    gate: SignInGate,
}

impl<A> GatedTokens<A> {
    pub fn new(inner: A, gate: SignInGate) -> GatedTokens<A> {
        GatedTokens { inner, gate }
    }
}

impl<A: TokenProvider> TokenProvider for GatedTokens<A> {
    async fn access_token(
        &self,
        scopes: &[String],
        force_refresh: bool,
    ) -> Result<String, TokenError> {
        let mut force = force_refresh;
        loop {
            self.gate.wait_open().await;
            match self.inner.access_token(scopes, force).await {
                Err(e) if e.interaction_required => {
                    self.gate.close(e.message);
                    force = true;
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    /// Needs the operator until `signed_in` is set.
    struct Session {
        signed_in: Rc<Cell<bool>>,
        calls: Rc<RefCell<Vec<bool>>>,
    }

    impl TokenProvider for Session {
        async fn access_token(&self, _: &[String], force: bool) -> Result<String, TokenError> {
            self.calls.borrow_mut().push(force);
            if self.signed_in.get() {
                Ok("token".into())
            } else {
                Err(TokenError {
                    message: "You are signed out. Sign in to continue.".into(),
                    interaction_required: true,
                })
            }
        }
    }

    #[test]
    fn requests_wait_for_the_operator_then_continue_with_a_fresh_token() {
        let signed_in = Rc::new(Cell::new(false));
        let calls = Rc::new(RefCell::new(Vec::new()));
        let gate = SignInGate::new();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        gate.on_change(move |why| s.borrow_mut().push(why.is_some()));
        let tokens = GatedTokens::new(
            Session {
                signed_in: signed_in.clone(),
                calls: calls.clone(),
            },
            gate.clone(),
        );
        let mut first = Box::pin(tokens.access_token(&[], false));
        let mut second = Box::pin(tokens.access_token(&[], false));
        assert!(first.as_mut().now_or_never().is_none(), "waits");
        assert!(second.as_mut().now_or_never().is_none(), "waits");
        assert!(gate.is_closed());
        assert_eq!(gate.waiting(), 2);
        assert_eq!(
            gate.closed_because().as_deref(),
            Some("You are signed out. Sign in to continue.")
        );
        // The operator signs in again.
        signed_in.set(true);
        gate.open();
        assert_eq!(first.as_mut().now_or_never(), Some(Ok("token".into())));
        assert_eq!(second.as_mut().now_or_never(), Some(Ok("token".into())));
        assert_eq!(gate.waiting(), 0);
        assert_eq!(
            *seen.borrow(),
            vec![true, false],
            "closed once, opened once"
        );
        // The first ask, its retry with a fresh token; the second waited at the closed gate
        // without asking, then asked once.
        assert_eq!(*calls.borrow(), vec![false, true, false]);
    }

    #[test]
    fn other_token_errors_fail_at_once() {
        struct Broken;
        impl TokenProvider for Broken {
            async fn access_token(&self, _: &[String], _: bool) -> Result<String, TokenError> {
                Err(TokenError {
                    message: "network".into(),
                    interaction_required: false,
                })
            }
        }
        let gate = SignInGate::new();
        let tokens = GatedTokens::new(Broken, gate.clone());
        let r = Box::pin(tokens.access_token(&[], false)).now_or_never();
        assert!(matches!(r, Some(Err(e)) if e.message == "network"));
        assert!(!gate.is_closed());
    }
}
