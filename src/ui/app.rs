//! The console's boot sequence: load and validate config.json, set up sign-in, then show the
//! inventory. Each step that can fail has its own page that says what to do.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::location;
use crate::browser::{config_loader, sign_in};
use crate::config::{ConfigProblem, ConsoleConfig};
use crate::route::Route;
use crate::ui::device_page::DevicePage;
use crate::ui::inventory::store::InventoryStore;
use crate::ui::inventory::InventoryPage;
use crate::ui::notifications::RunNotifications;
use crate::ui::session::{use_session, Session};
use crate::ui::setup_page::SetupPage;

#[derive(Clone)]
enum Boot {
    Loading,
    Setup(Vec<ConfigProblem>),
    CloudWithoutCloudPcApis(ConsoleConfig),
    SignInFailed(String),
    Ready(Session),
}

#[component]
pub fn App() -> impl IntoView {
    let boot = RwSignal::new(Boot::Loading);
    spawn_local(async move {
        let config = match config_loader::load().await {
            Ok(config) => config,
            Err(problems) => return boot.set(Boot::Setup(problems)),
        };
        if !config.cloud.offers_cloud_pc_apis() {
            return boot.set(Boot::CloudWithoutCloudPcApis(config));
        }
        match sign_in::configure(&config).await {
            Ok(account) => boot.set(Boot::Ready(Session::new(config, account))),
            Err(why) => boot.set(Boot::SignInFailed(why)),
        }
    });

    move || {
        match boot.get() {
        Boot::Loading => view! {
            <main><p role="status" class="muted">"Starting the Cloud PC console…"</p></main>
        }
        .into_any(),
        Boot::Setup(problems) => view! { <SetupPage problems/> }.into_any(),
        Boot::CloudWithoutCloudPcApis(config) => view! {
            <main>
                <div class="message warning" role="alert">
                    <span class="title">"Cloud PC APIs are not offered in this cloud"</span>
                    <p>{format!("config.json selects the {} cloud. Microsoft Graph does not offer the Windows 365 Cloud PC APIs there, so this console cannot manage Cloud PCs in it.", config.cloud.label())}</p>
                    <p>"If your tenant is in another cloud, set \"cloud\" in config.json to global, usgov or usgovdod."</p>
                </div>
            </main>
        }
        .into_any(),
        Boot::SignInFailed(why) => view! {
            <main>
                <div class="message error" role="alert">
                    <span class="title">"Sign-in could not be set up"</span>
                    <p>{why}</p>
                    <p>"Reload the page to try again. If it keeps failing, check config.json's clientId, tenantId and redirectUri against the app registration in Entra ID."</p>
                </div>
            </main>
        }
        .into_any(),
        Boot::Ready(session) => {
            provide_context(session);
            view! { <Shell/> }.into_any()
        }
    }
    }
}

/// The signed-in frame: top bar with the account and sign-out, and the current page.
#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let route = location::route_signal();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sign_in_click = move |_| {
        busy.set(true);
        spawn_local(async move {
            match sign_in::sign_in().await {
                Ok(account) => {
                    // Requests held for a new sign-in may continue.
                    if account.is_some() {
                        session.sign_in_gate.with_value(|g| g.open());
                    }
                    session.account.set(account)
                }
                Err(why) => error.set(Some(why)),
            }
            busy.set(false);
        });
    };
    let sign_out_click = move |_| {
        spawn_local(async move {
            if let Err(why) = sign_in::sign_out().await {
                error.set(Some(why));
            }
            session.account.set(None);
        });
    };
    view! {
        // The inventory fills the window and scrolls inside its table (a class, not `:has()`,
        // which would make every DOM change re-check the whole app's style).
        <div class="app" class:fills-viewport=move || matches!(route.get(), Route::Inventory { .. })>
            <header class="topbar">
                <span class="product">"Cloud PC console"</span>
                <crate::ui::nav::NavLinks route/>
                <span class="spacer"></span>
                {move || session.account.get().map(|account| view! {
                    <span class="account" title=account.username.clone()>
                        "Signed in as " <strong data-testid="account">{account.username.clone()}</strong>
                    </span>
                    <button on:click=sign_out_click>"Sign out"</button>
                })}
            </header>
            <crate::ui::offline_banner::OfflineBanner/>
            {move || error.get().map(|why| view! {
                <div class="message error" role="alert"><span class="title">"Sign-in failed"</span><p>{why}</p></div>
            })}
            {move || match session.account.get() {
                Some(_) => view! { <crate::ui::sign_in_again::SignInAgain/><Pages route/> }.into_any(),
                None => view! {
                    <main>
                        <div class="card">
                            <h2>"Sign in to manage Cloud PCs"</h2>
                            <p>"Sign in with the work account you use for Windows 365 administration. The console asks Microsoft Graph for permission to read and reprovision Cloud PCs on your behalf."</p>
                            <button class="primary" on:click=sign_in_click disabled=move || busy.get()>"Sign in"</button>
                        </div>
                    </main>
                }.into_any(),
            }}
        </div>
    }
}

/// The signed-in pages, by hash route. The inventory store outlives page changes.
#[component]
fn Pages(route: ReadSignal<Route>) -> impl IntoView {
    let session = use_session();
    let store = InventoryStore::new();
    provide_context(store);
    let active_run = crate::ui::bulk::active_run::ActiveRun::new();
    provide_context(active_run);
    // A bulk run this operator left unfinished in this browser is offered for reconciling.
    active_run.look_for_unfinished(session.account.get_untracked().map(|a| a.username));
    provide_context(crate::ui::activity_store::SessionActivity::new());
    provide_context(crate::ui::bulk::retry_panel::RetryState::new());
    store.load(session);
    let page = move || {
        match route.get() {
        Route::Inventory { query } => view! { <InventoryPage query/> }.into_any(),
        Route::Device { id } => view! { <DevicePage id/> }.into_any(),
        Route::BulkActions => view! { <crate::ui::bulk_actions_page::BulkActionsPage/> }.into_any(),
        Route::Activity => view! { <crate::ui::activity_page::ActivityPage/> }.into_any(),
        Route::NotFound { hash } => view! {
            <main>
                <div class="message warning" role="alert">
                    <span class="title">"There is no such page"</span>
                    <p>{format!("The address #{hash} does not name a page of the console.")}</p>
                    <p><a href=Route::Inventory { query: String::new() }.href()>"Go to the Cloud PC list"</a></p>
                </div>
            </main>
        }.into_any(),
    }
    };
    view! { {page} <RunNotifications/> }
}
