//! The Cloudflare API client: one place that sends requests, parses the envelope, and retries.

pub mod endpoints;
mod envelope;
mod retry;
mod transport;

pub use endpoints::{
    Account, AccountRef, Endpoint, Plan, PurgeBody, PurgeResult, TokenStatus, User, Zone,
};
pub use envelope::CfMessage;
pub use retry::RetryPolicy;
pub use transport::{is_loopback, Answer, ApiError, Auth, Client, Failure, RequestLog};
