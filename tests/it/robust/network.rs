//! Networks of self-hosted runners (issue 14): a TLS-inspecting proxy's CA in `ca_certificates`,
//! NO_PROXY as curl reads it, a proxy that refuses the tunnel.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::*;

/// A TLS front for the fake on 127.0.0.1, with a certificate of its own CA (as a TLS-inspecting
/// proxy presents): its address and the CA's PEM.
async fn tls_front(fake: &Fake) -> (String, String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(vec![]).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "Inspecting Proxy CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let leaf = leaf.signed_by(&key, &ca_cert, &ca_key).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let backend = fake.addr;
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut plain = TcpStream::connect(backend).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (format!("https://{addr}/client/v4"), ca_cert.pem())
}

#[tokio::test]
async fn a_tls_inspecting_proxys_ca_is_named_and_trusted_through_ca_certificates() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let (api_url, ca_pem) = tls_front(&fake).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("api_url", &api_url)
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "network-error");
    let text = run.error().1;
    assert!(
        text.contains("unknown issuer") && text.contains("`ca_certificates`"),
        "{text}"
    );
    assert!(fake.received().is_empty());

    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("api_url", &api_url)
        .workspace_file("proxy-ca.pem", &ca_pem)
        .input("ca_certificates", "proxy-ca.pem")
        .input("tags", "t")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges().len(), 1);
}

/// With `ca_certificates` given, a TLS failure does not claim that only public CAs are trusted.
#[tokio::test]
async fn a_tls_failure_with_ca_certificates_set_does_not_say_only_public_cas() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let (_, ca_pem) = tls_front(&fake).await;
    // The fake speaks plain HTTP: a TLS handshake with it fails.
    let api_url = format!("https://{}/client/v4", fake.addr);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("api_url", &api_url)
        .workspace_file("proxy-ca.pem", &ca_pem)
        .input("ca_certificates", "proxy-ca.pem")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "network-error");
    let text = run.error().1;
    assert!(text.contains("TLS"), "{text}");
    assert!(!text.contains("only public CAs"), "{text}");
    assert!(text.contains("`ca_certificates`"), "{text}");
}

#[tokio::test]
async fn a_ca_certificates_file_that_holds_no_certificate_is_an_input_problem() {
    for (contents, says) in [("not a certificate", "holds no"), ("", "holds no")] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .workspace_file("ca.pem", contents)
            .input("ca_certificates", "ca.pem")
            .input("tags", "t")
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        assert!(run.error().1.contains(says), "{}", run.stdout);
        assert!(fake.received().is_empty());
    }
    // A certificate block whose contents are no certificate: read as PEM, refused by rustls.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .workspace_file("ca.pem", broken)
        .input("ca_certificates", "ca.pem")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    assert!(
        run.error()
            .1
            .contains("certificates a TLS root store takes"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("ca_certificates", "missing.pem")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    assert!(run.error().1.contains("ca_certificates"), "{}", run.stdout);
}

/// A proxy that records what reaches it and answers every request with `answer`.
async fn proxy(answer: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (addr.to_string(), seen)
}

#[tokio::test]
async fn no_proxy_star_sends_nothing_to_the_proxy() {
    for (no_proxy_var, value) in [
        ("NO_PROXY", "*"),
        ("no_proxy", "*"),
        ("NO_PROXY", "127.0.0.0/8"),
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let (proxy, seen) = proxy("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .env("HTTP_PROXY", &format!("http://{proxy}"))
            .env("http_proxy", &format!("http://{proxy}"))
            .env(no_proxy_var, value)
            .input("tags", "t")
            .run()
            .await;
        run.assert_ok("purged");
        assert!(
            seen.lock().unwrap().is_empty(),
            "{no_proxy_var}={value}: the proxy saw {:?}",
            seen.lock().unwrap()
        );
    }
}

#[tokio::test]
async fn a_proxy_that_refuses_the_tunnel_is_named_without_its_credentials() {
    for answer in [
        "HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n",
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let (proxy, seen) = proxy(answer).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("api_url", "https://api.cloudflare.example/client/v4")
            .env("HTTPS_PROXY", &format!("http://ops:pr0xy-s3cret@{proxy}"))
            .hide("pr0xy-s3cret")
            .input("tags", "t")
            .run()
            .await;
        run.assert_failed(1, "network-error");
        let text = run.error().1;
        let connects = seen.lock().unwrap().clone();
        assert!(connects.iter().all(|r| r.starts_with("CONNECT ")));
        assert!(
            text.contains(&format!("through the proxy http://{proxy}:")),
            "{text}"
        );
        if answer.contains("407") {
            // Credentials it wants are wanted on every attempt: asked once a request (the
            // check and the zone read beside it).
            assert!(text.contains("asks for a user name and password"), "{text}");
            assert_eq!(connects.len(), 2, "{connects:?}");
        } else {
            assert!(
                text.contains(&format!("the proxy http://{proxy} refused")),
                "{text}"
            );
        }
    }
}

const MOVED: &str = "aaaabbbbccccddddeeeeffff00001111";

/// A run against `example.com` where a moved copy of the zone, in another account, is listed first
/// (as Cloudflare may list it); `active` says whether the real zone is active or still pending.
async fn twin_zones(active: bool) -> (Fake, Run) {
    let fake = Fake::start().await;
    {
        let mut world = fake.world.lock().unwrap();
        if !active {
            world.zones[0]["status"] = serde_json::json!("pending");
        }
        let elsewhere = "fedcba9876543210fedcba9876543210";
        let copy = zone_json(MOVED, ZONE_NAME, "free", "moved", elsewhere);
        world.zones.insert(0, copy);
    }
    let both = vec![ZONE_ID, MOVED];
    let token = Token {
        read: both.clone(),
        purge: both,
        ..Token::user()
    };
    fake.add_token(CFUT_TOKEN, token);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_NAME)
        .input("tags", "t")
        .run()
        .await;
    (fake, run)
}

#[tokio::test]
async fn a_zone_name_found_twice_resolves_to_the_active_zone() {
    let (fake, run) = twin_zones(true).await;
    run.assert_ok("purged");
    assert_eq!(run.output("zone_id"), ZONE_ID);
    assert_eq!(fake.purges_of(ZONE_ID).len(), 1);

    // None active: the one chosen is not active, and the warning names the others found.
    let (_, run) = twin_zones(false).await;
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "zone-not-active");
    let text = &run.warnings()[0].1;
    assert!(
        text.contains("none of the zones of this name is active; also found:")
            && text.contains(ZONE_ID),
        "{text}"
    );
}

/// A plain-http `api_url` through a proxy whose name does not resolve: the proxy failed, not the
/// API host's DNS (the runner never looks the API host up when a proxy carries the request).
#[tokio::test]
async fn a_proxy_that_does_not_resolve_is_blamed_for_a_plain_http_api_url() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .env("ALL_PROXY", "notaurl")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "network-error");
    let text = run.error().1;
    assert!(!text.contains("DNS lookup of the API host"), "{text}");
    assert!(text.contains("proxy's host"), "{text}");
    assert!(fake.received().is_empty());
}

/// A zone read by its ID answered with another zone (a proxy at `api_url` that rewrites, a cache
/// that mixes answers up): nothing is purged there, and the answer is named unexpected.
#[tokio::test]
async fn a_zone_read_by_id_that_answers_another_zone_purges_nothing() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let other = zone_json(MOVED, ZONE_NAME, "free", "active", ACCOUNT_ID);
    let answer = serde_json::json!({
        "success": true, "errors": [], "messages": [], "result": other,
    });
    fake.script(
        |r| r.path == format!("/zones/{ZONE_ID}"),
        None,
        Reply::json(200, answer),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_ID)
        .input("files", "https://example.com/a.css")
        .run()
        .await;
    run.assert_failed(1, "unexpected-response");
    assert!(
        run.error()
            .1
            .contains("another zone than the one asked for"),
        "{}",
        run.stdout
    );
    assert!(
        fake.received()
            .iter()
            .all(|r| !r.path.ends_with("/purge_cache")),
        "nothing purged"
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}
