//! What every page of a signed-in console shares: the config, the one Graph client (so its
//! concurrency limit and throttling back-off hold for the whole console) and the account.

use std::rc::Rc;

use leptos::prelude::*;

use crate::browser::sign_in::{Account, JsTokenProvider};
use crate::config::ConsoleConfig;
use crate::graph::browser_transport::{BrowserSleeper, BrowserTransport};
use crate::graph::client::GraphClient;

pub type Client = GraphClient<BrowserTransport, JsTokenProvider, BrowserSleeper>;

#[derive(Clone, Copy)]
pub struct Session {
    pub config: StoredValue<ConsoleConfig>,
    client: StoredValue<Rc<Client>, LocalStorage>,
    pub account: RwSignal<Option<Account>>,
}

impl Session {
    pub fn new(config: ConsoleConfig, account: Option<Account>) -> Self {
        let client = GraphClient::new(
            config.graph_base.clone(),
            config.scopes(),
            BrowserTransport::default(),
            JsTokenProvider,
            BrowserSleeper,
        );
        Self {
            config: StoredValue::new(config),
            client: StoredValue::new_local(Rc::new(client)),
            account: RwSignal::new(account),
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
