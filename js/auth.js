/*
 * Sign-in for the Cloud PC console. JavaScript owns authentication; the Rust app only asks
 * `cloudpcAuth.getAccessToken(scopes, forceRefresh)` before every Graph request or batch.
 *
 * Two modes, chosen by config.json:
 *  - "msal": Microsoft Entra ID through MSAL Browser 5 (popup sign-in; the redirect bridge page
 *    on our own origin carries the response back). MSAL keeps its own cache in sessionStorage.
 *  - "simulated": tokens come from the Graph simulator's /_sim/token endpoint (demo and tests).
 *
 * Our code keeps tokens in memory only: never logged, never put in a URL, never written to storage.
 */
(function () {
  "use strict";

  var mode = null;
  var options = null;
  var pca = null; // MSAL PublicClientApplication
  var account = null; // { username, name }
  var simToken = null; // { value, expiresAt } — simulated mode only, memory only
  var SIM_SIGNED_OUT = "cloudpc.simulated.signedOut"; // a flag, never a token

  function fail(message, interactionRequired) {
    var error = new Error(message);
    error.interactionRequired = !!interactionRequired;
    return error;
  }

  function loadScript(src, integrity) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      // Subresource Integrity: a changed copy of the file refuses to run.
      if (integrity) el.integrity = integrity;
      el.onload = resolve;
      el.onerror = function () {
        reject(fail("Could not load " + src + ": check that the console was deployed with it.", false));
      };
      document.head.appendChild(el);
    });
  }

  function toAccount(msalAccount) {
    return msalAccount ? { username: msalAccount.username, name: msalAccount.name || msalAccount.username } : null;
  }

  // ---- simulated mode -------------------------------------------------------------------
  function simFetchToken(scopes) {
    return fetch(options.simTokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ upn: options.simulatedUser, scopes: scopes }),
    }).then(function (response) {
      if (!response.ok) {
        throw fail("The simulator refused to issue a token (HTTP " + response.status + ").", true);
      }
      return response.json();
    }).then(function (body) {
      var lifetime = Math.max(0, (body.expires_in || 3600) - 30) * 1000;
      simToken = { value: body.access_token, expiresAt: Date.now() + lifetime };
      return simToken.value;
    }, function (error) {
      if (error && error.interactionRequired !== undefined) throw error;
      throw fail("Could not reach the simulator to sign in: " + error, false);
    });
  }

  // ---- the public surface ---------------------------------------------------------------
  var api = {
    /* Prepares sign-in; resolves to the signed-in account or null. */
    configure: function (opts) {
      options = opts;
      mode = opts.mode;
      if (mode === "simulated") {
        var signedOut = false;
        try { signedOut = sessionStorage.getItem(SIM_SIGNED_OUT) === "1"; } catch (e) { /* storage off */ }
        account = signedOut ? null : { username: opts.simulatedUser, name: opts.simulatedUser };
        return Promise.resolve(account);
      }
      if (mode !== "msal") {
        return Promise.reject(fail("Unknown sign-in mode " + mode, false));
      }
      // Release builds name MSAL by its content hash, with its integrity, in a meta tag
      // (cargo xtask's post-processing); `trunk serve` has only the plain name.
      var msalMeta = document.querySelector('meta[name="cloudpc-msal-script"]');
      var msalSrc = msalMeta ? msalMeta.getAttribute("content") : opts.msalScriptUrl;
      var msalIntegrity = msalMeta ? msalMeta.getAttribute("data-integrity") : null;
      return loadScript(msalSrc, msalIntegrity).then(function () {
        pca = new window.msal.PublicClientApplication({
          auth: {
            clientId: opts.clientId,
            authority: opts.authority,
            knownAuthorities: [new URL(opts.authority).host],
            redirectUri: opts.redirectUri,
            postLogoutRedirectUri: opts.postLogoutRedirectUri,
          },
          cache: { cacheLocation: "sessionStorage" },
          system: {
            loggerOptions: {
              piiLoggingEnabled: false,
              logLevel: window.msal.LogLevel.Warning,
              loggerCallback: function (level, message, containsPii) {
                if (!containsPii && level <= window.msal.LogLevel.Warning) console.warn("MSAL: " + message);
              },
            },
          },
        });
        return pca.initialize();
      }).then(function () {
        return typeof pca.handleRedirectPromise === "function" ? pca.handleRedirectPromise() : null;
      }).then(function (result) {
        var active = (result && result.account) || pca.getActiveAccount() || pca.getAllAccounts()[0] || null;
        if (active) pca.setActiveAccount(active);
        account = toAccount(active);
        return account;
      });
    },

    account: function () {
      return account;
    },

    signIn: function () {
      if (mode === "simulated") {
        try { sessionStorage.removeItem(SIM_SIGNED_OUT); } catch (e) { /* storage off */ }
        return simFetchToken(options.scopes).then(function () {
          account = { username: options.simulatedUser, name: options.simulatedUser };
          return account;
        });
      }
      return pca.loginPopup({ scopes: options.scopes, prompt: "select_account" }).then(function (result) {
        pca.setActiveAccount(result.account);
        account = toAccount(result.account);
        return account;
      });
    },

    signOut: function () {
      simToken = null;
      var previous = account;
      account = null;
      if (mode === "simulated") {
        try { sessionStorage.setItem(SIM_SIGNED_OUT, "1"); } catch (e) { /* storage off */ }
        return Promise.resolve();
      }
      var msalAccount = previous && pca.getAccountByUsername ? pca.getAccountByUsername(previous.username) : null;
      return pca.logoutPopup({ account: msalAccount, mainWindowRedirectUri: options.postLogoutRedirectUri });
    },

    /* A token for `scopes`; asks the operator to sign in again when the session cannot be renewed silently. */
    getAccessToken: function (scopes, forceRefresh) {
      if (!account) {
        return Promise.reject(fail("You are signed out. Sign in to continue.", true));
      }
      if (mode === "simulated") {
        if (!forceRefresh && simToken && Date.now() < simToken.expiresAt) {
          return Promise.resolve(simToken.value);
        }
        return simFetchToken(scopes);
      }
      var request = { scopes: scopes, account: pca.getActiveAccount(), forceRefresh: !!forceRefresh };
      return pca.acquireTokenSilent(request).then(function (result) {
        return result.accessToken;
      }, function (error) {
        if (error instanceof window.msal.InteractionRequiredAuthError) {
          return pca.acquireTokenPopup({ scopes: scopes }).then(function (result) {
            return result.accessToken;
          }, function (popupError) {
            throw fail("Sign-in is needed again and the sign-in window did not complete (" + popupError.errorCode + ").", true);
          });
        }
        throw fail("Could not get a token (" + (error.errorCode || error.name) + "): " + (error.errorMessage || error.message), false);
      });
    },
  };

  window.cloudpcAuth = api;
})();
