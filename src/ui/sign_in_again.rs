//! The prompt shown while requests wait for the operator to sign in again (sign-in expired or
//! revoked): a bulk run under way is paused, nothing more is sent, and it resumes where it was
//! once the operator has signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::sign_in;
use crate::ui::session::use_session;

#[component]
pub fn SignInAgain() -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let sign_in_again = move |_| {
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match sign_in::sign_in().await {
                Ok(Some(account)) => {
                    // The same operator: keep the pages (and the run) as they are. Another
                    // account replaces the signed-in pages.
                    if session
                        .account
                        .with_untracked(|a| a.as_ref() != Some(&account))
                    {
                        session.account.set(Some(account));
                    }
                    session.sign_in_gate.with_value(|g| g.open());
                }
                Ok(None) => failed.set(Some("Sign-in did not complete. Try again.".into())),
                Err(why) => failed.set(Some(why)),
            }
            busy.set(false);
        });
    };
    move || {
        session.sign_in_needed.get().map(|why| {
            view! {
                <div class="message warning sign-in-again" role="alert" data-testid="sign-in-again">
                    <span class="title">"Sign in again to continue"</span>
                    <p>{format!("Your sign-in has expired or was revoked ({why}). Work in progress, including any bulk run, is paused: nothing more is sent to Graph until you sign in again, and then it continues where it stopped.")}</p>
                    {move || failed.get().map(|why| view! { <p>{why}</p> })}
                    <button class="primary" data-testid="sign-in-again-button" on:click=sign_in_again disabled=move || busy.get()>"Sign in again"</button>
                </div>
            }
        })
    }
}
