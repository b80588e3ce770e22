//! cloudflare-purge: check Cloudflare credentials, then purge the cache, naming the cause when anything is wrong.
//!
//! Layers, lowest first (each imports only those below it): `text`, `env`, `secret`, `cancel`, `names`; `cloudflare` (the
//! client); `site` (requests to the user's site); `diagnosis` (causes); `inputs`, `purge`, `runner`; `stages`, `docs`, `cli`; `app` (the order of work).
//!
//! The modules are private: `main` and the tests start a run through the facade below.

#![forbid(unsafe_code)]

mod app;
mod cancel;
mod cli;
mod cloudflare;
mod diagnosis;
#[cfg(feature = "docs")]
pub mod docs;
mod env;
mod inputs;
mod names;
mod purge;
mod runner;
mod secret;
mod site;
mod stages;
mod text;

pub use app::{respond, Config, WaitClock};
pub use cancel::{Cancel, Grace};
pub use cli::{parse as parse_args, Command};
pub use cloudflare::RetryPolicy;
pub use env::Env;
pub use runner::Log;

/// What the tests compare with beside a run: the tables, the catalogue's examples, the requests
/// the action can send, and `site`'s client with the types it takes. Only with the `docs` feature, which
/// the tests enable (the crate's dev-dependency on itself): the shipped binary has none of it.
#[cfg(feature = "docs")]
pub mod test_surface {
    pub use crate::cloudflare::endpoints::every_request;
    pub use crate::cloudflare::{CaBundle, NetKind, Proxies};
    pub use crate::diagnosis::examples;
    pub use crate::inputs::table::{INPUTS, OUTPUTS};
    pub use crate::inputs::RawInputs;
    pub use crate::runner::Report;
    pub use crate::text::thousands;

    /// The client for the user's site and the judgements of its answers: tests/it/site.rs sends
    /// single requests through the fake proxy to prove what a whole run cannot show one at a time
    /// (the body cap, the TLS trust, a timeout per request, which headers are dropped).
    pub mod site {
        pub use crate::site::{
            judge, read_poll, Cdn, Get, Mode, Poll, SiteAnswer, SiteClient, SiteFailure, Unjudged,
            Verdict, CONFIRM_BODY, WAIT_BODY,
        };
    }
}
