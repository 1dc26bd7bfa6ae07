// After a passkey is registered, show the page again so the new device is listed.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
