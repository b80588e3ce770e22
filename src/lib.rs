//! cloudflare-purge: check Cloudflare credentials, then purge the cache, naming the cause when anything is wrong.

#![forbid(unsafe_code)]

pub mod app;
pub mod cloudflare;
pub mod diagnosis;
pub mod docs;
pub mod inputs;
pub mod purge;
pub mod runner;
