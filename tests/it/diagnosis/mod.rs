//! Every cause of the contract, produced in the situation it describes: exit status, `cause` output,
//! annotation title and text, what Cloudflare received — and the secret in no channel.

mod account;
mod items;
mod offline;
mod online;
