/* The redirect bridge page (MSAL Browser 5): hands the sign-in response back to the console
 * window that opened the popup or iframe. Kept as a file so the page needs no inline script. */
window.msalRedirectBridge.broadcastResponseToMainFrame().catch(function (error) {
  document.getElementById("status").textContent =
    "Sign-in could not be completed: " + (error && error.errorCode ? error.errorCode : "unknown error") +
    ". Close this window and try again.";
});
