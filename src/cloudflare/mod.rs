//! The Cloudflare API client: endpoints, the envelope, the transport and its retries. It knows HTTP and
//! Cloudflare's answers, nothing about causes.

pub mod endpoints;
mod envelope;
mod errors;
pub(crate) mod items;
mod pacing;
mod proxy;
mod retry;
mod tls;
mod transport;

pub use endpoints::{Eviction, Plan, PurgeBody, PurgeResult, TokenStatus, Zone};
pub use envelope::{BodyKind, CfMessage};
pub(crate) use errors::net_kind;
pub use errors::{ApiError, Failure, Foreign, NetKind};
pub(crate) use items::{ItemKind, Items, ListKind};
pub(crate) use pacing::TokenBucket;
pub use proxy::{BadProxy, Proxies};
pub use retry::RetryPolicy;
pub use tls::CaBundle;
pub(crate) use transport::{
    is_loopback, pause, Auth, Client, Ended, Event, Gate, Peer, RequestLog, SetupError, MAX_BODY,
};
