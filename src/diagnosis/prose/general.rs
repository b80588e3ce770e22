//! Fixes in general, for every situation a cause covers: the README's column. Where a fix depends
//! on the facts, `offline.rs` / `online.rs` make both it and its general form from the same words.

pub const ZONE: &str = "Set `zone:` to the zone ID (dashboard → your domain → Overview → API → Zone ID) or to the domain name";
pub const INVALID_ZONE: &str = "Use the 32-character Zone ID from dashboard → your domain → Overview → API, or the bare domain such as example.com";
pub const INCOMPLETE_KEY: &str =
    "Give both `email` and `global_api_key`, or better, use `api_token` with a scoped API token";
pub const EMAIL: &str =
    "Set `email` to the address you log in to Cloudflare with (dashboard → My Profile)";
pub const COPY_AGAIN: &str = "Copy the credential again from the Cloudflare dashboard (it is shown once when created; roll it under My Profile → API Tokens to see a new one) and paste only the value into the secret, without spaces, line breaks or the variable name";
pub const KEY_AS_TOKEN: &str = concat!(
    "Either create a scoped API token at ",
    token_form!(),
    " and put it in `api_token` (recommended), or pass this key as `global_api_key` together with `email`"
);
pub const TOKEN_AS_KEY: &str = "Pass this value as `api_token` instead (API tokens are sent as a Bearer token, Global API Keys with an email)";
pub const ORIGIN_CA: &str = concat!(
    "Create an API token with the Cache Purge permission at ",
    token_form!(),
    " and pass it as `api_token`"
);
pub const NOTHING: &str = "List what to purge in `files`, `tags`, `hosts` or `prefixes`, or set `purge_everything: true` explicitly; use `mode: verify` to only check the credentials";
pub const CONFLICTING: &str = "Remove the lists to purge the whole zone, or remove `purge_everything: true` to purge only what is listed";
pub const INVALID_URL: &str = "Give full URLs such as https://example.com/app.css or paths such as /app.css (joined to base_url); separate items with newlines, commas or spaces";
pub const OUTSIDE_ZONE: &str = "List the item's zone in `zone:` too (it takes several), or fix the host names in `files`, `hosts` or `prefixes` (or `base_url`)";
pub const WILDCARD: &str = "To purge everything below a path, list the path in `prefixes` (example.com/assets/); or purge by tag, or with `purge_everything: true`";
pub const INVALID_PREFIX: &str = "Write each prefix as host then path (example.com/blog/), without query string, fragment or wildcard, and with at most 31 / separators";
pub const INVALID_HOST: &str = "List bare host names (www.example.com) in `hosts`; a host purges every path and port of it, so put a path in `prefixes` instead";
pub const REPAIRED: &str = "Write hosts without a scheme or trailing / (www.example.com) and prefixes without a scheme (example.com/blog/)";
pub const OUTPUTS: &str = "The runner's files could not be written: on a self-hosted runner check the free disk space and the permissions of its work directory (_work/_temp), then re-run; the purge itself went as the log above says";
pub const NO_ROUTE: &str = "Set `api_url` to https://api.cloudflare.com/client/v4 (the default: leave `api_url` out), or to a proxy that serves the same paths";
pub const CANCELLED: &str = "Re-run the job; to purge only what is left, give the `failed` output to `files` (or the file named by `failed_file` to `files_from`): each line is read back as the item it names";
pub const SWAPPED: &str = "Swap the two values in the step's `with:`: the token belongs in `api_token` (from a secret), the ID in the other input";
pub const CREDENTIAL_IN_LIST: &str = "Remove it from the input named: an item to purge is sent to Cloudflare and written to the log and the outputs. If the value was committed to a file, roll the credential (My Profile → API Tokens → Roll)";
pub const ZONE_NAMES: &str = "Add Zone → Zone Read to the token, so that each item goes to its zone by name; or purge these items in a step of their own with only their zone";
pub const PROXY_NOT_URL: &str = "Correct the variable where the runner's environment sets it (the job's or step's `env:`, or a self-hosted runner's .env file) to a URL such as http://proxy.example:3128, or unset it to connect directly";
pub const BAD_FLAG: &str = "Run `cloudflare-purge --help` for the flags: every input of the action is one (`--zone`, `--api-token`, `--files` …), and a value follows it (`--zone example.com`) or an `=` (`--zone=example.com`)";
pub const BEARER: &str = "Store only the token in the secret, without \"Bearer \"";
pub const QUOTED: &str = "Store the secret without surrounding quotes";
pub const BOTH: &str = "Remove `global_api_key` and `email` from the step, and consider deleting the Global API Key secret";
pub const ZONE_WAS_URL: &str = "Set `zone:` to the bare domain or to the zone ID";
macro_rules! token_invalid_check {
    () => {
        "Check that the secret holds the current value of the token (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for account-owned tokens). Cloudflare forgets a token that was deleted or rolled, whose TTL ended, or that it revoked after it leaked: GitHub secret scanning reports Cloudflare tokens pushed to a public repository or pasted in a public log, Cloudflare then revokes them and emails the owner (look for that email)."
    };
}
pub const TOKEN_INVALID_CHECK: &str = token_invalid_check!();
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
pub const TOKEN_INVALID_RESTART: &str = token_invalid_restart!();
pub const TOKEN_INVALID: &str = concat!(
    token_invalid_check!(),
    " ",
    token_invalid_account!(),
    " ",
    token_invalid_restart!()
);
pub const ACCOUNT_ID: &str = "Set `account_id` to the token's account (dashboard → Account Home → Account ID, in the API section), or give the token Zone → Zone → Read on this zone (dashboard → Manage Account → Account API Tokens → Edit)";
pub const ROLL: &str = "Roll or re-create the token (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for an account-owned one → the token's … menu → Roll, or Edit → TTL), put the new value in the repository secret, and run a scheduled `mode: verify` job to hear about the next expiry in advance";
pub const NOT_YET: &str = "Wait until the start date, or edit the token's TTL (dashboard → My Profile → API Tokens → Edit) to start now";
pub const EXPIRING: &str = "Before it expires, edit the token's TTL or roll it (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for an account-owned one) and put the new value in the repository secret";
pub const KEY_REJECTED: &str = "Check `email` is the login address of the account and `global_api_key` the current key (dashboard → My Profile → API Tokens → Global API Key → View); better, switch to a scoped API token";
pub const ZONE_NOT_FOUND: &str = concat!(
    "Check the zone spelling or ID (dashboard → your domain → Overview → API → Zone ID), and that the token's Zone Resources include this zone; a token for another zone or account cannot see it, and finding a zone by name needs the Zone → Zone → Read permission (or give the zone ID). Create a token with both permissions at ",
    token_form!()
);
pub const ACCOUNT_AS_ZONE: &str = "Use the Zone ID from dashboard → your domain → Overview → API → Zone ID (the Account ID sits just below it)";
pub const NOT_ACTIVE: &str = "Finish the zone's setup (point the domain's nameservers at Cloudflare) or purge the zone that serves the site";
pub const PERMISSION: &str = concat!(
    "Give the token the permission Zone → Cache Purge → Purge, with this zone in its Zone Resources (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens → Edit), or create one pre-filled at ",
    token_form!()
);
pub const REJECTED: &str =
    "Check the listed items against Cloudflare's message; the other batches were still sent";
pub const RATE_LIMITED: &str = "Cloudflare allows 1,200 API requests per 5 minutes per user and fewer purges on small plans; space out deploys or purge by tag/prefix instead of many URLs";
pub const UNAVAILABLE: &str =
    "Re-run the job later, once Cloudflare's status page (linked) shows the API working again";
macro_rules! network_reach {
    () => {
        "Check the runner's network, DNS and proxy, and `api_url`; re-run the job if it was a passing fault"
    };
}
pub const NETWORK_REACH: &str = network_reach!();
macro_rules! network_tls {
    () => {
        "A proxy may be intercepting TLS; the action trusts only public CAs. Check `api_url` and the runner's network"
    };
}
pub const NETWORK_TLS: &str = network_tls!();
macro_rules! network_slow {
    () => {
        "Re-run the job; if it repeats, raise `timeout_seconds`"
    };
}
pub const NETWORK_SLOW: &str = network_slow!();
pub const NETWORK: &str = concat!(
    "DNS or connect failures: ",
    network_reach!(),
    ". TLS failures: ",
    network_tls!(),
    "; a certificate of an unknown issuer usually means a TLS-inspecting proxy, whose CA goes in `ca_certificates`. A proxy that refuses the connection: check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY. Timeouts and dropped connections: ",
    network_slow!()
);
pub const NETWORK_ISSUER: &str = "A proxy between the runner and Cloudflare is most likely re-signing TLS (a TLS-inspecting proxy on a self-hosted network): give its CA certificate to `ca_certificates` (a PEM file in the workspace); the built-in roots stay trusted. Otherwise check `api_url`";
pub const NETWORK_PROXY: &str = "Check the proxy settings of the runner (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) and whether the proxy lets the runner reach api.cloudflare.com on port 443 (a 407 asks for the proxy's user and password, in the proxy URL)";
pub const UNEXPECTED: &str = "Check `api_url` points at https://api.cloudflare.com/client/v4 (or a faithful proxy), then re-run";
pub const ORIGIN_NOT_UPDATED: &str = "Nothing was purged (purging now would cache the old build again). Check that the deploy before this step finished and that the new build serves `wait_for_text` at `wait_for` (in its body or a header, on an uncached URL); if the build takes longer, raise `wait_timeout_seconds`. Then re-run the job, or give the `failed` output to `files`";
pub const PURGE_NO_EFFECT: &str = "The usual reasons: a Cache Rule with a custom cache key (headers, cookies, query string handling), so purge with `files` objects that carry the `headers`, or with tags, prefixes or hosts; `http` against `https` or a `www` variant of the URL; a Transform Rule that rewrites the URL (single-file purge needs the URL as visitors request it); caching by device type";
pub const NOT_CACHED: &str = "There is nothing of it in Cloudflare's cache to purge: a stale page comes from the origin or from another cache in front of it (named when its headers show one), so purge or bypass that cache; or add a Cache Rule if Cloudflare should cache it";
pub const NOT_PROXIED: &str = "Purging at Cloudflare does not reach this host: turn on the proxy (orange cloud) of its DNS record in the Cloudflare dashboard, or purge the cache that serves it (named when its headers show one)";
pub const PURGED_REDIRECT: &str = "Purge the redirect's target as well (list it in `files` or `confirm_urls`), or list the URL visitors end up on";
pub const CONFIRM_FAILED: &str = "The purge result stands. To get a verdict, let the runner reach the URL: bot protection often challenges CI runners (a WAF skip rule for the check's User-Agent `cloudflare-purge`, or a `confirm_urls` URL without protection), then re-run";
pub const WAIT_URL_CACHED: &str = "Point `wait_for` at a URL Cloudflare does not cache, or at the origin's own host name; the waiting goes on until `wait_timeout_seconds`";
