//! How a request fails: Cloudflare's refusal, an answer that is not its envelope, or the network.

use std::time::Duration;

use super::envelope::{BodyKind, CfMessage};

/// How transport to the API failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetKind {
    Dns,
    Connect,
    Tls,
    /// The certificate's issuer is no CA the client trusts: a TLS-inspecting proxy, most often.
    TlsUnknownIssuer,
    /// The proxy refused the tunnel (CONNECT answered with an error, e.g. 403 or 502).
    Proxy,
    /// The proxy answered CONNECT with 407: it wants a user name and password.
    ProxyAuth,
    /// The proxy's own host name could not be looked up.
    ProxyDns,
    /// Nothing accepted a connection at the proxy's address.
    ProxyConnect,
    /// The proxy closed the connection before it answered CONNECT.
    ProxyDropped,
    Timeout,
    Dropped,
}

/// An answer that is not Cloudflare's envelope, or not one the action can use.
#[derive(Debug, Clone, PartialEq)]
pub enum Foreign {
    Body(BodyKind),
    /// Over [`MAX_BODY`]; not read further.
    TooLarge,
    /// A 3xx: never followed, so the credential cannot travel elsewhere.
    Redirect,
    /// `success: true` with a `result` the endpoint's type cannot hold.
    WrongShape(String),
}

/// Why a request failed for good.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// Cloudflare's envelope with `success: false` (or a bare `{code, message}`).
    Refused {
        status: u16,
        errors: Vec<CfMessage>,
    },
    Foreign {
        status: u16,
        body: Foreign,
    },
    Network {
        kind: NetKind,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: ApiError,
    pub attempts: u32,
    /// The last answer's `Retry-After`, when it had one.
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn status(&self) -> Option<u16> {
        match &self.error {
            ApiError::Refused { status, .. } | ApiError::Foreign { status, .. } => Some(*status),
            ApiError::Network { .. } => None,
        }
    }

    pub fn errors(&self) -> &[CfMessage] {
        match &self.error {
            ApiError::Refused { errors, .. } => errors,
            _ => &[],
        }
    }

    pub fn has_code(&self, code: i64) -> bool {
        self.errors().iter().any(|e| e.has_code(code))
    }
}

/// A failure on the way to the proxy or in its CONNECT, from the error chain's words: the proxy,
/// not the API host, is then what failed.
fn proxy_kind(chain: &str) -> Option<NetKind> {
    let says = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    if !says(&["tunnel"]) {
        return None;
    }
    Some(
        if says(&[
            "proxy authorization required",
            "proxy authentication required",
        ]) {
            NetKind::ProxyAuth
        } else if says(&["failed to create underlying connection"])
            && says(&["dns error", "failed to lookup"])
        {
            NetKind::ProxyDns
        } else if says(&["failed to create underlying connection"]) {
            NetKind::ProxyConnect
        } else if says(&["io error establishing tunnel", "unexpected end of file"]) {
            NetKind::ProxyDropped
        } else {
            NetKind::Proxy
        },
    )
}

/// Which step of the transport failed, read from reqwest's error and its sources.
pub(crate) fn net_kind(error: &reqwest::Error) -> NetKind {
    if error.is_timeout() {
        return NetKind::Timeout;
    }
    let mut chain = String::new();
    let mut tls = false;
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        chain.push_str(&e.to_string().to_ascii_lowercase());
        chain.push('\n');
        // rustls reports a failed handshake as an io::Error of kind InvalidData; TCP never does.
        tls |= e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData);
        source = e.source();
    }
    let says = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    if let Some(kind) = proxy_kind(&chain) {
        return kind;
    }
    if says(&["dns error", "failed to lookup", "name or service"]) {
        NetKind::Dns
    } else if says(&["unknownissuer", "unknown issuer"]) {
        NetKind::TlsUnknownIssuer
    } else if tls
        || says(&[
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert",
        ])
    {
        NetKind::Tls
    } else if says(&["timed out"]) {
        NetKind::Timeout
    } else if error.is_connect() {
        NetKind::Connect
    } else {
        NetKind::Dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_at_the_proxy_names_the_proxy() {
        // The chains reqwest (hyper-util's tunnel) reports, lower-cased, one source a line.
        let chain = |tail: &str| format!("error sending request\nclient error (connect)\n{tail}\n");
        let cases = [
            ("tunnel error: failed to create underlying connection\ntcp connect error\nconnection refused (os error 111)", NetKind::ProxyConnect),
            ("tunnel error: failed to create underlying connection\ndns error\nfailed to lookup address information: name or service not known", NetKind::ProxyDns),
            ("tunnel error: io error establishing tunnel\nconnection reset by peer (os error 104)", NetKind::ProxyDropped),
            ("tunnel error: unexpected end of file", NetKind::ProxyDropped),
            ("tunnel error: proxy authorization required", NetKind::ProxyAuth),
            ("tunnel error: unsuccessful", NetKind::Proxy),
        ];
        for (tail, kind) in cases {
            assert_eq!(proxy_kind(&chain(tail)), Some(kind), "{tail}");
        }
        assert_eq!(
            proxy_kind(&chain("dns error\nfailed to lookup address")),
            None
        );
    }
}
