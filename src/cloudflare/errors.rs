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

impl ApiError {
    /// Cloudflare's global limit (1,200 requests per 5 minutes per token, every endpoint counted):
    /// 429 with 971 (2026) or 10100 (its older form). A purge bucket's limit is 1134.
    pub(crate) fn is_global_limit(&self) -> bool {
        match self {
            ApiError::Refused {
                status: 429,
                errors,
            } => errors.iter().any(|e| e.has_code(971) || e.has_code(10100)),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub(crate) error: ApiError,
    pub(crate) attempts: u32,
    /// The last answer's `Retry-After`, when it had one.
    pub(crate) retry_after: Option<Duration>,
}

impl Failure {
    pub(crate) fn status(&self) -> Option<u16> {
        match &self.error {
            ApiError::Refused { status, .. } | ApiError::Foreign { status, .. } => Some(*status),
            ApiError::Network { .. } => None,
        }
    }

    pub(crate) fn errors(&self) -> &[CfMessage] {
        match &self.error {
            ApiError::Refused { errors, .. } => errors,
            _ => &[],
        }
    }

    pub(crate) fn has_code(&self, code: i64) -> bool {
        self.errors().iter().any(|e| e.has_code(code))
    }
}

/// A failure on the way to the proxy or in its CONNECT: the proxy, not the API host, is then what
/// failed. Read from the words of the chain as a last resort: hyper-util's `TunnelError` is a
/// private type, so its variant is nowhere else to be seen.
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
        } else if says(&["failed to create underlying connection"]) && says_dns(chain) {
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

/// A failed name lookup. Also from words, as the last resort: hyper-util reports it as its private
/// `ConnectError` ("dns error") around an `io::Error` whose kind the standard library leaves
/// uncategorised.
fn says_dns(chain: &str) -> bool {
    ["dns error", "failed to lookup", "name or service"]
        .iter()
        .any(|w| chain.contains(w))
}

/// What an error and its sources are, by type where the type is public.
#[derive(Default)]
struct Chain {
    /// Every source's message, lower-cased: only for what no public type tells.
    words: String,
    io: Vec<std::io::ErrorKind>,
    /// rustls refused the handshake (its own `Error`, or the `InvalidData` it is wrapped in).
    tls: bool,
    /// The certificate's issuer is no trusted CA.
    unknown_issuer: bool,
    /// rustls refused a certificate (one it was given to trust, or the server's).
    certificate: bool,
}

impl Chain {
    fn of(error: &(dyn std::error::Error + 'static)) -> Chain {
        let mut chain = Chain::default();
        let mut pending = vec![error];
        while let Some(e) = pending.pop() {
            chain.words.push_str(&e.to_string().to_ascii_lowercase());
            chain.words.push('\n');
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                chain.io.push(io.kind());
                // rustls reports a failed handshake as an io::Error of kind InvalidData; TCP never
                // does. The rustls error inside is its `get_ref`, which `source` skips.
                chain.tls |= io.kind() == std::io::ErrorKind::InvalidData;
                if let Some(inner) = io.get_ref() {
                    pending.push(inner);
                }
            }
            if let Some(tls) = e.downcast_ref::<rustls::Error>() {
                chain.tls = true;
                chain.certificate |= matches!(tls, rustls::Error::InvalidCertificate(_));
                chain.unknown_issuer |= matches!(
                    tls,
                    rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
                );
            }
            pending.extend(e.source());
        }
        chain
    }

    fn has_io(&self, kind: std::io::ErrorKind) -> bool {
        self.io.contains(&kind)
    }
}

/// Whether setting the client up failed on a certificate rustls refused (and not on anything else
/// the TLS backend may refuse).
pub(super) fn refuses_certificate(error: &reqwest::Error) -> bool {
    Chain::of(error).certificate
}

/// Which step of the transport failed, read from reqwest's error and its sources.
pub(crate) fn net_kind(error: &reqwest::Error) -> NetKind {
    if error.is_timeout() {
        return NetKind::Timeout;
    }
    let chain = Chain::of(error);
    if let Some(kind) = proxy_kind(&chain.words) {
        return kind;
    }
    if says_dns(&chain.words) {
        NetKind::Dns
    } else if chain.unknown_issuer {
        NetKind::TlsUnknownIssuer
    } else if chain.tls {
        NetKind::Tls
    } else if chain.has_io(std::io::ErrorKind::TimedOut) {
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
    fn tls_failures_are_known_by_their_type_inside_io_errors() {
        use std::io::{Error, ErrorKind};
        let wrapped = |e: rustls::Error| Error::new(ErrorKind::InvalidData, e);
        let unknown = Chain::of(&wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        )));
        assert!(unknown.tls && unknown.certificate && unknown.unknown_issuer);
        let expired = Chain::of(&wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::Expired,
        )));
        assert!(expired.tls && expired.certificate && !expired.unknown_issuer);
        let alert = Chain::of(&wrapped(rustls::Error::AlertReceived(
            rustls::AlertDescription::HandshakeFailure,
        )));
        assert!(alert.tls && !alert.certificate);
        // Words alone (a message that merely mentions a certificate) are no TLS failure.
        let other = Chain::of(&Error::other("certificate tls handshake alert"));
        assert!(!other.tls && !other.certificate);
        assert!(Chain::of(&Error::from(ErrorKind::TimedOut)).has_io(ErrorKind::TimedOut));
    }

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
