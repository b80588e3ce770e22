//! Which proxy a request goes through, read from the run's environment as curl reads it:
//! `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`, `all_proxy`/`ALL_PROXY`, and
//! `no_proxy`/`NO_PROXY` (`*`, domains with their subdomains, IP addresses and CIDR ranges).

use std::net::IpAddr;

use url::Url;

use crate::env::Env;

/// The proxies of a run. A variable that holds no proxy URL is kept as that: the request it would
/// carry fails rather than go around the proxy (curl, too, refuses only the proxy it would use).
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    https: Slot,
    http: Slot,
    all: Slot,
    bypass: Vec<Bypass>,
}

type Slot = Option<Result<Url, BadProxy>>;

/// A proxy variable whose value is no proxy URL.
#[derive(Debug, Clone, PartialEq)]
pub struct BadProxy {
    pub variable: &'static str,
    pub(crate) value: String,
}

/// One `no_proxy` entry.
#[derive(Debug, Clone, PartialEq)]
enum Bypass {
    Everything,
    /// The domain and its subdomains.
    Domain(String),
    Network {
        ip: IpAddr,
        prefix: u8,
    },
}

impl Proxies {
    pub fn from_env(env: &Env) -> Self {
        // curl reads the lower-case name first.
        let var = |lower: &'static str, upper: &'static str| match env.get(lower) {
            Some(value) => Some((lower, value)),
            None => env.get(upper).map(|value| (upper, value)),
        };
        let proxy = |lower, upper| {
            var(lower, upper).map(|(variable, value)| {
                proxy_url(value).ok_or_else(|| BadProxy {
                    variable,
                    value: value.to_string(),
                })
            })
        };
        Proxies {
            https: proxy("https_proxy", "HTTPS_PROXY"),
            http: proxy("http_proxy", "HTTP_PROXY"),
            all: proxy("all_proxy", "ALL_PROXY"),
            bypass: var("no_proxy", "NO_PROXY")
                .map(|(_, v)| bypass_list(v))
                .unwrap_or_default(),
        }
    }

    /// The builder with these proxies, and none read from the process's environment.
    pub(crate) fn add_to(&self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        let builder = builder.no_proxy();
        if self.is_empty() {
            return builder;
        }
        let proxies = self.clone();
        // A variable that holds no proxy URL is refused by the caller before the request: the
        // closure cannot fail it.
        builder.proxy(reqwest::Proxy::custom(move |url| {
            proxies.for_url(url).ok().flatten().cloned()
        }))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.https.is_none() && self.http.is_none() && self.all.is_none()
    }

    /// The proxy for a request to `url`: `None` to connect directly, `Err` when the variable that
    /// names it holds no proxy URL.
    pub(crate) fn for_url(&self, url: &Url) -> Result<Option<&Url>, &BadProxy> {
        let Some(host) = url.host_str() else {
            return Ok(None);
        };
        if self.bypass.iter().any(|b| b.covers(host)) {
            return Ok(None);
        }
        let scheme = match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        };
        match scheme.or(self.all.as_ref()) {
            None => Ok(None),
            Some(Ok(proxy)) => Ok(Some(proxy)),
            Some(Err(bad)) => Err(bad),
        }
    }
}

/// A proxy as curl takes it: without a scheme, `http://` is meant. `None` for what no proxy
/// can be (no host, a port out of range, a scheme other than http or https).
fn proxy_url(value: &str) -> Option<Url> {
    let value = value.trim();
    let url = if value.contains("://") {
        Url::parse(value).ok()?
    } else {
        Url::parse(&format!("http://{value}")).ok()?
    };
    let usable =
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    usable.then_some(url)
}

fn bypass_list(value: &str) -> Vec<Bypass> {
    value
        .split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            if entry == "*" {
                return Bypass::Everything;
            }
            let entry = entry.trim_start_matches('.').trim_end_matches('.');
            let (address, prefix) = match entry.split_once('/') {
                Some((address, prefix)) => (address, prefix.parse::<u8>().ok()),
                None => (entry, None),
            };
            let address = address.trim_start_matches('[').trim_end_matches(']');
            match address.parse::<IpAddr>() {
                Ok(ip) => Bypass::Network {
                    ip,
                    prefix: prefix.unwrap_or(if ip.is_ipv4() { 32 } else { 128 }),
                },
                Err(_) => Bypass::Domain(entry.to_ascii_lowercase()),
            }
        })
        .collect()
}

impl Bypass {
    fn covers(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match self {
            Bypass::Everything => true,
            Bypass::Domain(domain) => host == *domain || host.ends_with(&format!(".{domain}")),
            Bypass::Network { ip, prefix } => host
                .parse::<IpAddr>()
                .is_ok_and(|h| in_network(h, *ip, *prefix)),
        }
    }
}

fn in_network(host: IpAddr, net: IpAddr, prefix: u8) -> bool {
    let (host, net, bits): (u128, u128, u32) = match (host, net) {
        (IpAddr::V4(h), IpAddr::V4(n)) => (u32::from(h).into(), u32::from(n).into(), 32),
        (IpAddr::V6(h), IpAddr::V6(n)) => (h.into(), n.into(), 128),
        _ => return false,
    };
    let shift = bits - u32::from(prefix).min(bits);
    shift >= 128 || (host >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(pairs: &[(&str, &str)]) -> Proxies {
        Proxies::from_env(&Env::from_pairs(
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        ))
    }

    #[test]
    fn a_proxy_that_cannot_be_read_is_refused_where_it_would_be_used() {
        let api = Url::parse("https://api.cloudflare.com/").unwrap();
        let local = Url::parse("http://127.0.0.1:8080/").unwrap();
        for value in [
            "http://u:p@[bad:1",
            "http://127.0.0.1:99999",
            "socks5://p:1",
            "http://",
        ] {
            let p = proxies(&[("HTTPS_PROXY", value)]);
            assert_eq!(
                p.for_url(&api).unwrap_err().variable,
                "HTTPS_PROXY",
                "{value}"
            );
            assert_eq!(p.for_url(&local), Ok(None), "{value}: not this URL's proxy");
        }
        let p = proxies(&[("all_proxy", "proxy:3128")]);
        assert!(p.for_url(&api).unwrap().is_some());
    }

    fn via(p: &Proxies, url: &str) -> Option<String> {
        p.for_url(&Url::parse(url).unwrap())
            .unwrap()
            .map(|u| u.to_string())
    }

    #[test]
    fn each_scheme_has_its_proxy_and_all_proxy_is_the_fallback() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://secure:3128"),
            ("http_proxy", "plain:8080"),
            ("ALL_PROXY", "http://any:1"),
        ]);
        assert_eq!(
            via(&p, "https://api.cloudflare.com/"),
            Some("http://secure:3128/".into())
        );
        assert_eq!(
            via(&p, "http://127.0.0.1/"),
            Some("http://plain:8080/".into())
        );
        let p = proxies(&[("all_proxy", "http://any:1")]);
        assert_eq!(
            via(&p, "https://api.cloudflare.com/"),
            Some("http://any:1/".into())
        );
        assert!(proxies(&[]).is_empty());
    }

    #[test]
    fn no_proxy_follows_curl() {
        let p = proxies(&[("HTTPS_PROXY", "http://p:1"), ("HTTP_PROXY", "http://p:1")]);
        let bypassed = |no_proxy: &str, url: &str| {
            let mut p = p.clone();
            p.bypass = bypass_list(no_proxy);
            via(&p, url).is_none()
        };
        assert!(bypassed("*", "http://127.0.0.1:8080/"));
        assert!(bypassed("*", "https://[::1]/"));
        assert!(bypassed("cloudflare.com", "https://api.cloudflare.com/"));
        assert!(bypassed(".cloudflare.com", "https://api.cloudflare.com/"));
        assert!(!bypassed("flare.com", "https://api.cloudflare.com/"));
        assert!(bypassed("10.0.0.0/8, 127.0.0.1", "http://127.0.0.1/"));
        assert!(bypassed("127.0.0.0/8", "http://127.1.2.3/"));
        assert!(!bypassed("127.0.0.0/8", "http://128.0.0.1/"));
        assert!(bypassed("::1", "http://[::1]:9/"));
        assert!(!bypassed("", "https://api.cloudflare.com/"));
    }
}
