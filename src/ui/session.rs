//! What every page of a signed-in console shares: the config, the one Graph client (so its
//! concurrency limit and throttling back-off hold for the whole console) and the account.

use std::rc::Rc;

use leptos::prelude::*;

use crate::browser::sign_in::{Account, JsTokenProvider};
use crate::config::ConsoleConfig;
use crate::graph::browser_transport::{BrowserSleeper, BrowserTransport};
use crate::graph::client::GraphClient;
use crate::graph::sign_in_gate::{GatedTokens, SignInGate};

pub type Client = GraphClient<BrowserTransport, GatedTokens<JsTokenProvider>, BrowserSleeper>;

#[derive(Clone, Copy)]
pub struct Session {
    pub config: StoredValue<ConsoleConfig>,
    client: StoredValue<Rc<Client>, LocalStorage>,
    pub account: RwSignal<Option<Account>>,
    /// Requests wait here while the operator must sign in again (sign-in expired or revoked).
    pub sign_in_gate: StoredValue<SignInGate, LocalStorage>,
    /// Why the operator must sign in again, while requests wait for it.
    pub sign_in_needed: RwSignal<Option<String>>,
}

impl Session {
    pub fn new(config: ConsoleConfig, account: Option<Account>) -> Self {
        let gate = SignInGate::new();
        let sign_in_needed = RwSignal::new(None);
        gate.on_change(move |why| sign_in_needed.set(why));
        let client = GraphClient::new(
            config.graph_base.clone(),
            config.scopes(),
            BrowserTransport::default(),
            GatedTokens::new(JsTokenProvider, gate.clone()),
            BrowserSleeper,
        );
        Self {
            config: StoredValue::new(config),
            client: StoredValue::new_local(Rc::new(client)),
            account: RwSignal::new(account),
            sign_in_gate: StoredValue::new_local(gate),
            sign_in_needed,
        }
    }

    /// The console's Graph client (shared, cheap to clone).
    pub fn client(&self) -> Rc<Client> {
        self.client.get_value()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
