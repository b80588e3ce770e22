//! A fake of the user's own site, reached as a user behind a proxy reaches a real one (contract §10,
//! "Testing"): a proxy on 127.0.0.1 that hands every CONNECT tunnel, whatever host it names, to the
//! fake site over TLS (a certificate of the fake's own CA for the sites' names), and serves plain
//! `http://` requests in absolute form itself. Pages are scripted per path or react to what the fake
//! API purged; every request that reaches the site is recorded.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::fake::{Fake, World};

/// The names the fake site's certificate holds: the fake API's zones and their subdomains.
pub const SITE_NAMES: [&str; 8] = [
    "example.com",
    "*.example.com",
    "shop.example",
    "*.shop.example",
    "big.example",
    "*.big.example",
    "other.example",
    "*.other.example",
];

/// The `Age` of a page no purge touched: a day.
pub const OLD_AGE: u64 = 86_400;

/// How a page misbehaves instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is reset (RST) once the request was read.
    Reset,
    /// Bytes that are no HTTP answer.
    Garbage,
    /// Nothing, ever.
    Hang,
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    pub fault: Option<Fault>,
}

impl Page {
    /// An answer through Cloudflare: `cf-ray`, and the cache status and `Age` when given.
    pub fn cloudflare(status: u16, cache_status: Option<&str>, age: Option<u64>) -> Page {
        let mut page = Page::direct(status).header("cf-ray", "8f1e2d3c4b5a6978-FRA");
        if let Some(cache) = cache_status {
            page = page.header("cf-cache-status", cache);
        }
        if let Some(age) = age {
            page = page.header("age", &age.to_string());
        }
        page
    }

    /// An answer that did not come through Cloudflare (no `cf-ray`).
    pub fn direct(status: u16) -> Page {
        Page {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html>the page</html>".to_vec(),
            delay: Duration::ZERO,
            fault: None,
        }
    }

    pub fn fault(fault: Fault) -> Page {
        Page {
            fault: Some(fault),
            ..Page::direct(200)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Page {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Page {
        self.body = body.into();
        self
    }

    pub fn delay(mut self, delay: Duration) -> Page {
        self.delay = delay;
        self
    }
}

/// A request that reached the site.
#[derive(Debug, Clone)]
pub struct SiteRequest {
    pub method: String,
    /// From `Host` (or the absolute-form target).
    pub host: String,
    /// Path and query.
    pub path: String,
    /// Names in lower case.
    pub headers: HashMap<String, String>,
    /// Whether it came through a CONNECT tunnel over TLS.
    pub tls: bool,
}

#[derive(Default)]
struct State {
    /// Per path (without query): answers in turn, the last one repeated.
    pages: HashMap<String, Vec<Page>>,
    requests: Vec<SiteRequest>,
    /// `CONNECT` targets and the headers sent with them.
    connects: Vec<(String, HashMap<String, String>)>,
    purges: Option<Arc<Mutex<World>>>,
    /// Per URL: the purge it was last fetched again after.
    refetched: HashMap<String, Instant>,
}

pub struct FakeSite {
    /// The proxy in front of the site: `HTTPS_PROXY` and `HTTP_PROXY` name it.
    pub proxy: SocketAddr,
    /// The PEM of the CA that signed the site's certificate (for `ca_certificates`).
    pub ca_pem: String,
    state: Arc<Mutex<State>>,
}

impl FakeSite {
    pub async fn start() -> FakeSite {
        let (acceptor, ca_pem) = certificate();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(connection(socket, acceptor.clone(), shared.clone()));
            }
        });
        FakeSite {
            proxy,
            ca_pem,
            state,
        }
    }

    /// Answer `path` (without query) with `page`, always.
    pub fn page(&self, path: &str, page: Page) {
        self.pages(path, vec![page]);
    }

    /// Answer `path` with each page in turn, the last one from then on.
    pub fn pages(&self, path: &str, pages: Vec<Page>) {
        self.state
            .lock()
            .unwrap()
            .pages
            .insert(path.to_string(), pages);
    }

    /// Unscripted paths answer as Cloudflare would after the fake API's purges: a purged URL
    /// `MISS` first, then `HIT` with a young `Age`; any other `HIT` with a day's `Age`.
    pub fn react_to(&self, fake: &Fake) {
        self.state.lock().unwrap().purges = Some(fake.world.clone());
    }

    pub fn requests(&self) -> Vec<SiteRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The hosts and ports the proxy was asked to CONNECT to, with the headers of each CONNECT.
    pub fn connects(&self) -> Vec<(String, HashMap<String, String>)> {
        self.state.lock().unwrap().connects.clone()
    }

    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.proxy)
    }

    /// The environment of a run behind this proxy: the sites through it, the loopback API direct.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("HTTPS_PROXY", self.proxy_url()),
            ("HTTP_PROXY", self.proxy_url()),
            ("NO_PROXY", "127.0.0.1,localhost".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// A CA of the fake's own and a certificate it signed for [`SITE_NAMES`].
fn certificate() -> (TlsAcceptor, String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(vec![]).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "Fake Site CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let names: Vec<String> = SITE_NAMES.iter().map(|n| n.to_string()).collect();
    let leaf = rcgen::CertificateParams::new(names).unwrap();
    let leaf = leaf.signed_by(&key, &ca_cert, &ca_key).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    (TlsAcceptor::from(Arc::new(config)), ca_cert.pem())
}

/// One connection to the proxy: a CONNECT tunnel to the site over TLS, or a plain request.
async fn connection(mut socket: TcpStream, acceptor: TlsAcceptor, state: Arc<Mutex<State>>) {
    let Some(head) = read_head(&mut socket).await else {
        return;
    };
    let (method, target, headers) = parse(&head);
    if method != "CONNECT" {
        if serve(&mut socket, &head, false, &state).await == Some(Fault::Reset) {
            reset(&socket);
        }
        return;
    }
    state.lock().unwrap().connects.push((target, headers));
    if socket
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return;
    }
    let Ok(mut tls) = acceptor.accept(socket).await else {
        return;
    };
    let Some(head) = read_head(&mut tls).await else {
        return;
    };
    if serve(&mut tls, &head, true, &state).await == Some(Fault::Reset) {
        reset(tls.get_ref().0);
    }
}

/// Linger zero: dropping the socket sends RST instead of FIN.
fn reset(socket: &TcpStream) {
    #[allow(deprecated)]
    socket.set_linger(Some(Duration::ZERO)).unwrap();
}

/// The request head, up to its blank line (read a byte at a time: nothing past it is consumed).
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = stream.read_u8().await.ok()?;
        head.push(byte);
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn parse(head: &str) -> (String, String, HashMap<String, String>) {
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_string();
    let target = first.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (method, target, headers)
}

/// Record the request and answer it; the fault to end the connection with.
async fn serve<S: AsyncWrite + Unpin>(
    stream: &mut S,
    head: &str,
    tls: bool,
    state: &Mutex<State>,
) -> Option<Fault> {
    let (method, target, headers) = parse(head);
    let (host, path) = match target.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
            None => (rest.to_string(), "/".to_string()),
        },
        None => (headers.get("host").cloned().unwrap_or_default(), target),
    };
    let page = {
        let mut state = state.lock().unwrap();
        state.requests.push(SiteRequest {
            method,
            host: host.clone(),
            path: path.clone(),
            headers,
            tls,
        });
        let scheme = if tls { "https" } else { "http" };
        answer(&mut state, scheme, &host, &path)
    };
    tokio::time::sleep(page.delay).await;
    match page.fault {
        Some(Fault::Hang) => tokio::time::sleep(Duration::from_secs(3600)).await,
        Some(Fault::Garbage) => {
            let _ = stream
                .write_all(b"SSH-2.0-OpenSSH_9.6\r\nnot an answer\r\n\r\n")
                .await;
        }
        Some(Fault::Reset) => return Some(Fault::Reset),
        None => {
            let mut out = format!("HTTP/1.1 {} Fake\r\n", page.status);
            for (name, value) in &page.headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str(&format!(
                "content-length: {}\r\nconnection: close\r\n\r\n",
                page.body.len()
            ));
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&page.body);
            let _ = stream.write_all(&bytes).await;
        }
    }
    let _ = stream.shutdown().await;
    None
}

/// The scripted page for `path`, or Cloudflare's answer after the fake API's purges.
fn answer(state: &mut State, scheme: &str, host: &str, path: &str) -> Page {
    let bare = path.split('?').next().unwrap_or_default();
    if let Some(pages) = state.pages.get_mut(bare) {
        return match pages.len() {
            1 => pages[0].clone(),
            _ => pages.remove(0),
        };
    }
    let Some(world) = &state.purges else {
        return Page::cloudflare(404, Some("DYNAMIC"), None);
    };
    let url = format!("{scheme}://{host}{bare}");
    let Some(purged) = world.lock().unwrap().purged_at(&url) else {
        return Page::cloudflare(200, Some("HIT"), Some(OLD_AGE));
    };
    match state.refetched.get(&url) {
        Some(at) if *at == purged => {
            Page::cloudflare(200, Some("HIT"), Some(purged.elapsed().as_secs()))
        }
        _ => {
            state.refetched.insert(url, purged);
            Page::cloudflare(200, Some("MISS"), None)
        }
    }
}
