//! The zones' first reads, shared by the credential check and the zone resolution: started beside
//! the credential check so that the two cost one round trip, not two; many zones are read from
//! the zone list, fifty a request, instead of one request each.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use tokio::sync::OnceCell;

use crate::cloudflare::{endpoints, Client, Failure, Zone};
use crate::inputs::ZoneRef;

/// Up to this many zones are read one request each, all at once; more are read from the list.
pub(crate) const AHEAD: usize = 4;

/// One read, sent once however many ask for it.
type Once<T> = OnceCell<Result<T, Failure>>;

/// The first read of each of the first [`AHEAD`] zones: `GET /zones/{id}` or `GET /zones?name=`.
/// Only reads are sent ahead: nothing that a failed credential check would have stopped.
/// With more zones, the list's pages; a zone not in them is read on its own (its answer says why).
pub(crate) struct Reads {
    ids: Vec<(String, Once<Zone>)>,
    names: Vec<(String, Once<Vec<Zone>>)>,
    listed: Option<Listed>,
}

/// The zones wanted, looked for in the list (of their account when known).
struct Listed {
    wanted: Vec<ZoneRef>,
    account: Option<String>,
    /// The zones the list gave; none when a page could not be read.
    found: OnceCell<Option<Vec<Zone>>>,
}

type Pending<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

impl Reads {
    pub(crate) fn new(zones: &[ZoneRef], account: Option<&str>) -> Self {
        let mut reads = Reads::none();
        if zones.len() > AHEAD {
            reads.listed = Some(Listed {
                wanted: zones.to_vec(),
                account: account.map(str::to_string),
                found: OnceCell::new(),
            });
            return reads;
        }
        for zone in zones {
            match zone {
                ZoneRef::Id(id) => reads.ids.push((id.clone(), OnceCell::new())),
                ZoneRef::Name(name) => reads.names.push((name.clone(), OnceCell::new())),
            }
        }
        reads
    }

    /// No reads ahead: each is sent when it is asked for.
    pub(crate) fn none() -> Self {
        Reads {
            ids: Vec::new(),
            names: Vec::new(),
            listed: None,
        }
    }

    /// Send every first read now, side by side; the answers wait for whoever asks.
    pub(crate) async fn ahead(&self, client: &Client) {
        let ids = self.ids.iter().map(|(id, _)| -> Pending<'_> {
            Box::pin(async move {
                let _ = self.by_id(client, id).await;
            })
        });
        let names = self.names.iter().map(|(name, _)| -> Pending<'_> {
            Box::pin(async move {
                let _ = self.named(client, name).await;
            })
        });
        let listed = self.listed.iter().map(|listed| -> Pending<'_> {
            Box::pin(async move {
                listed.zones(client).await;
            })
        });
        all(ids.chain(names).chain(listed).collect()).await;
    }

    /// `GET /zones/{id}`.
    pub(crate) async fn by_id(&self, client: &Client, id: &str) -> Result<Zone, Failure> {
        let listed = self.listed(client).await;
        if let Some(zone) = listed.iter().find(|z| z.id.eq_ignore_ascii_case(id)) {
            return Ok(zone.clone());
        }
        let read = || async { client.call(&endpoints::zone(id)).await.map(|a| a.result) };
        match self.ids.iter().find(|(i, _)| i == id) {
            Some((_, once)) => once.get_or_init(read).await.clone(),
            None => read().await,
        }
    }

    /// `GET /zones?name=…`.
    pub(crate) async fn named(&self, client: &Client, name: &str) -> Result<Vec<Zone>, Failure> {
        let listed = self.listed(client).await;
        let named: Vec<Zone> = listed
            .iter()
            .filter(|z| z.name.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        if !named.is_empty() {
            return Ok(named);
        }
        let read = || async {
            let endpoint = endpoints::zones_named(name);
            client.call(&endpoint).await.map(|a| a.result)
        };
        match self.names.iter().find(|(n, _)| n == name) {
            Some((_, once)) => once.get_or_init(read).await.clone(),
            None => read().await,
        }
    }
}

impl Reads {
    /// The zones the list gave (none without a list, or when a page could not be read).
    async fn listed(&self, client: &Client) -> &[Zone] {
        match &self.listed {
            Some(listed) => listed.zones(client).await,
            None => &[],
        }
    }
}

impl Listed {
    async fn zones(&self, client: &Client) -> &[Zone] {
        let found = self.found.get_or_init(|| self.pages(client)).await;
        found.as_deref().unwrap_or_default()
    }

    /// Page after page until every zone wanted is found or the list ends; at most a page for
    /// every ten zones wanted, so that a large account costs no more than reading them one by one.
    async fn pages(&self, client: &Client) -> Option<Vec<Zone>> {
        let most = self.wanted.len().div_ceil(10).max(1);
        let mut found: Vec<Zone> = Vec::new();
        for page in 1..=most {
            let endpoint = endpoints::zones_page(page, self.account.as_deref());
            let zones = client.call(&endpoint).await.ok()?.result;
            let last = zones.len() < endpoints::ZONES_PER_PAGE;
            found.extend(zones);
            if last || self.wanted.iter().all(|w| found.iter().any(|z| is(z, w))) {
                break;
            }
        }
        Some(found)
    }
}

/// Whether the zone is the one named.
fn is(zone: &Zone, named: &ZoneRef) -> bool {
    match named {
        ZoneRef::Id(id) => zone.id.eq_ignore_ascii_case(id),
        ZoneRef::Name(name) => zone.name.eq_ignore_ascii_case(name),
    }
}

/// Run the futures side by side until all have ended.
async fn all(mut pending: Vec<Pending<'_>>) {
    std::future::poll_fn(|cx| {
        pending.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        match pending.is_empty() {
            true => Poll::Ready(()),
            false => Poll::Pending,
        }
    })
    .await;
}
