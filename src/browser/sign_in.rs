//! The bridge to `auth.js`, which owns MSAL. The Rust side asks for a token before every Graph
//! request or batch and keeps it no longer than that request.

use js_sys::{Array, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::config::{AuthMode, ConsoleConfig};
use crate::graph::transport::{TokenError, TokenProvider};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = cloudpcAuth, js_name = configure, catch)]
    fn js_configure(options: JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = cloudpcAuth, js_name = signIn, catch)]
    fn js_sign_in() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = cloudpcAuth, js_name = signOut, catch)]
    fn js_sign_out() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = cloudpcAuth, js_name = getAccessToken, catch)]
    fn js_get_access_token(scopes: Array, force_refresh: bool) -> Result<Promise, JsValue>;
}

/// The signed-in operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub name: String,
}

/// What `auth.js` needs to set up sign-in, derived from the validated config.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthOptions {
    mode: &'static str,
    client_id: Option<String>,
    authority: Option<String>,
    redirect_uri: Option<String>,
    post_logout_redirect_uri: String,
    scopes: Vec<String>,
    msal_script_url: &'static str,
    sim_token_url: Option<String>,
    simulated_user: String,
}

/// Sets up sign-in; returns the account already signed in, if any.
pub async fn configure(config: &ConsoleConfig) -> Result<Option<Account>, String> {
    let page = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    let options = AuthOptions {
        mode: match config.auth {
            AuthMode::Msal => "msal",
            AuthMode::Simulated => "simulated",
        },
        client_id: config.client_id.clone(),
        authority: config.authority(),
        redirect_uri: config.redirect_uri.clone(),
        post_logout_redirect_uri: page,
        scopes: config.scopes(),
        msal_script_url: "msal-browser.min.js",
        sim_token_url: config.simulator_token_url(),
        simulated_user: config.simulated_user.clone(),
    };
    let json = serde_json::to_string(&options).map_err(|e| e.to_string())?;
    let options = js_sys::JSON::parse(&json).map_err(describe)?;
    let account = await_promise(js_configure(options))
        .await
        .map_err(describe)?;
    Ok(to_account(&account))
}

pub async fn sign_in() -> Result<Option<Account>, String> {
    let account = await_promise(js_sign_in()).await.map_err(describe)?;
    Ok(to_account(&account))
}

pub async fn sign_out() -> Result<(), String> {
    await_promise(js_sign_out())
        .await
        .map(|_| ())
        .map_err(describe)
}

/// Asks `auth.js` for a token on every call; holds none itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsTokenProvider;

impl TokenProvider for JsTokenProvider {
    async fn access_token(
        &self,
        scopes: &[String],
        force_refresh: bool,
    ) -> Result<String, TokenError> {
        let array: Array = scopes.iter().map(|s| JsValue::from_str(s)).collect();
        match await_promise(js_get_access_token(array, force_refresh)).await {
            Ok(token) => token.as_string().ok_or_else(|| TokenError {
                message: "The sign-in library returned no token.".into(),
                interaction_required: true,
            }),
            Err(error) => Err(TokenError {
                message: describe(error.clone()),
                interaction_required: Reflect::get(&error, &"interactionRequired".into())
                    .map(|v| v.is_truthy())
                    .unwrap_or(false),
            }),
        }
    }
}

async fn await_promise(promise: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise?).await
}

fn to_account(value: &JsValue) -> Option<Account> {
    if value.is_null() || value.is_undefined() {
        return None;
    }
    let get = |key: &str| {
        Reflect::get(value, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let username = get("username")?;
    let name = get("name").unwrap_or_else(|| username.clone());
    Some(Account { username, name })
}

/// An operator-readable message from a JavaScript error (`message`), or its string form.
fn describe(error: JsValue) -> String {
    Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the sign-in library failed without a message".to_string())
}
