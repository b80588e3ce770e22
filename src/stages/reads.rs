//! The zones' first reads, shared by the credential check and the zone resolution: started beside
//! the credential check so that the two cost one round trip, not two.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use tokio::sync::OnceCell;

use crate::cloudflare::{endpoints, Client, Failure, Zone};
use crate::inputs::ZoneRef;

/// Up to this many zones are read one request each, all at once; more are left to their turn.
pub const AHEAD: usize = 4;

/// One read, sent once however many ask for it.
type Once<T> = OnceCell<Result<T, Failure>>;

/// The first read of each of the first [`AHEAD`] zones: `GET /zones/{id}` or `GET /zones?name=`.
/// Only reads are sent ahead: nothing that a failed credential check would have stopped.
pub struct Reads {
    ids: Vec<(String, Once<Zone>)>,
    names: Vec<(String, Once<Vec<Zone>>)>,
}

type Pending<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

impl Reads {
    pub fn new(zones: &[ZoneRef]) -> Self {
        let mut reads = Reads::none();
        if zones.len() > AHEAD {
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
    pub fn none() -> Self {
        Reads {
            ids: Vec::new(),
            names: Vec::new(),
        }
    }

    /// Send every first read now, side by side; the answers wait for whoever asks.
    pub async fn ahead(&self, client: &Client) {
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
        all(ids.chain(names).collect()).await;
    }

    /// `GET /zones/{id}`.
    pub async fn by_id(&self, client: &Client, id: &str) -> Result<Zone, Failure> {
        let read = || async { client.call(&endpoints::zone(id)).await.map(|a| a.result) };
        match self.ids.iter().find(|(i, _)| i == id) {
            Some((_, once)) => once.get_or_init(read).await.clone(),
            None => read().await,
        }
    }

    /// `GET /zones?name=…`.
    pub async fn named(&self, client: &Client, name: &str) -> Result<Vec<Zone>, Failure> {
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
