//! cloudflare-purge: check Cloudflare credentials, then purge the cache, naming the cause when anything is wrong.
//!
//! Layers, lowest first (each imports only those below it): `text`, `env`, `secret`, `cancel`, `names`; `cloudflare` (the
//! client); `site` (requests to the user's site); `diagnosis` (causes); `inputs`, `purge`, `runner`; `stages`, `docs`, `cli`; `app` (the order of work).

#![forbid(unsafe_code)]

pub mod app;
pub mod cancel;
pub mod cli;
pub mod cloudflare;
pub mod diagnosis;
pub mod docs;
pub mod env;
pub mod inputs;
pub mod names;
pub mod purge;
pub mod runner;
pub mod secret;
pub mod site;
pub mod stages;
pub mod text;
