//! The fixes more than one place uses: shared by two causes (`COPY_AGAIN`, `ROLL`), or composed of
//! pieces that a fix for particular facts also says (`TOKEN_INVALID`, `NETWORK`). A fix only one
//! cause says is written in its catalogue block.

pub(crate) const COPY_AGAIN: &str = "Copy the credential again from the Cloudflare dashboard (it is shown once when created; roll it under My Profile → API Tokens to see a new one) and paste only the value into the secret, without spaces, line breaks or the variable name";
pub(crate) const NO_ROUTE: &str = "Set `api_url` to https://api.cloudflare.com/client/v4 (the default: leave `api_url` out), or to a proxy that serves the same paths";
macro_rules! token_invalid_check {
    () => {
        "Check that the secret holds the current value of the token (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for account-owned tokens). Cloudflare forgets a token that was deleted or rolled, whose TTL ended, or that it revoked after it leaked: GitHub secret scanning reports Cloudflare tokens pushed to a public repository or pasted in a public log, Cloudflare then revokes them and emails the owner (look for that email)."
    };
}
pub(crate) const TOKEN_INVALID_CHECK: &str = token_invalid_check!();
macro_rules! token_invalid_account {
    () => {
        "If it is an account-owned token, also set `account_id` (dashboard → Account Home → Account ID) so it can be checked against its account."
    };
}
macro_rules! token_invalid_restart {
    () => {
        concat!("To start over, create a token at ", token_form!())
    };
}
pub(crate) const TOKEN_INVALID_RESTART: &str = token_invalid_restart!();
pub(crate) const TOKEN_INVALID: &str = concat!(
    token_invalid_check!(),
    " ",
    token_invalid_account!(),
    " ",
    token_invalid_restart!()
);
pub(crate) const ROLL: &str = "Roll or re-create the token (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for an account-owned one → the token's … menu → Roll, or Edit → TTL), put the new value in the repository secret, and run a scheduled `mode: verify` job to hear about the next expiry in advance";
macro_rules! network_reach {
    () => {
        "Check the runner's network, DNS and proxy, and `api_url`; re-run the job if it was a passing fault"
    };
}
pub(crate) const NETWORK_REACH: &str = network_reach!();
macro_rules! network_tls {
    () => {
        "A proxy may be intercepting TLS: the action trusts the built-in public CAs, and the certificates in `ca_certificates` when it is set. Check `api_url` and the runner's network"
    };
}
pub(crate) const NETWORK_TLS: &str = network_tls!();
macro_rules! network_slow {
    () => {
        "Re-run the job; if it repeats, raise `timeout_seconds`"
    };
}
pub(crate) const NETWORK_SLOW: &str = network_slow!();
pub(crate) const NETWORK: &str = concat!(
    "DNS or connect failures: ",
    network_reach!(),
    ". TLS failures: ",
    network_tls!(),
    "; a certificate of an unknown issuer usually means a TLS-inspecting proxy, whose CA goes in `ca_certificates`. A proxy that refuses the connection: check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY. Timeouts and dropped connections: ",
    network_slow!()
);
pub(crate) const NETWORK_ISSUER: &str = "A proxy between the runner and Cloudflare is most likely re-signing TLS (a TLS-inspecting proxy on a self-hosted network): give its CA certificate to `ca_certificates` (a PEM file in the workspace; when it is set already, that file lacks the CA that signed this certificate); the built-in roots stay trusted. Otherwise check `api_url`";
pub(crate) const NETWORK_PROXY: &str = "Check the proxy settings of the runner (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) and whether the proxy lets the runner reach api.cloudflare.com on port 443 (a 407 asks for the proxy's user and password, in the proxy URL)";
