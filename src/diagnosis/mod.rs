//! Diagnosis: the catalogue of causes, their words, and the judging of Cloudflare's answers into them.
//! It sits above the client: it reads the client's failures, the client never reads causes.

/// The pre-filled token form, as a literal so the texts can `concat!` it.
macro_rules! token_link {
    () => {
        "https://dash.cloudflare.com/profile/api-tokens?permissionGroupKeys=%5B%7B%22key%22%3A%22cache_purge%22%2C%22type%22%3A%22edit%22%7D%2C%7B%22key%22%3A%22zone%22%2C%22type%22%3A%22read%22%7D%5D&accountId=*&zoneId=all&name=cloudflare-purge"
    };
}

/// The token form, and what to change on it: Cloudflare's template URL can only pre-select all
/// zones and accounts, while the token needs only the zone it purges.
macro_rules! token_form {
    () => {
        concat!(
            token_link!(),
            " (the form pre-selects all zones: under Zone Resources, include only the zone you purge)"
        )
    };
}

mod catalogue;
pub(crate) mod expiry;
pub(crate) mod judge;
mod prose;

#[cfg(any(test, feature = "docs"))]
pub use catalogue::{examples, Entry};
pub use catalogue::{
    quote, AccountProof, Cause, ConfirmProblem, InnerWhitespace, MissingReason, PeerVariable,
    Rejected, Repaired, Severity, ShapeProblem, SiteAnswer, Unexpected,
};

/// The same, with the advice to narrow its zones.
pub(crate) const TOKEN_FORM: &str = token_form!();

#[cfg(test)]
mod tests;
