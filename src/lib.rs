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
// Public until a stage sends its requests: tests/it/site.rs drives it against the fake site.
pub mod site;
mod stages;
mod text;

pub use app::{respond, Config, WaitClock};
pub use cancel::{Cancel, Grace};
pub use cli::{parse as parse_args, Command};
pub use cloudflare::RetryPolicy;
pub use env::Env;
pub use runner::Log;

/// What the tests compare with beside a run: the tables, the catalogue's examples, the requests
/// the action can send, and the types `site`'s client takes. Only with the `docs` feature, which
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
}
