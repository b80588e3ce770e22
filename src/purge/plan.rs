//! The purge plan: what to send, split into requests no larger than the zone's plan allows.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::cloudflare::{Plan, PurgeBody};

/// A file to purge with its full URL known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedFile {
    pub url: String,
    pub headers: Option<BTreeMap<String, String>>,
}

/// Everything one run purges; each item is held once, batches refer to it by position.
#[derive(Debug, Clone, Default)]
pub struct Work {
    pub everything: bool,
    pub files: Vec<ResolvedFile>,
    pub tags: Vec<String>,
    pub hosts: Vec<String>,
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Everything,
    Files,
    Tags,
    Hosts,
    Prefixes,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Everything => "everything",
            Kind::Files => "URLs",
            Kind::Tags => "tags",
            Kind::Hosts => "hosts",
            Kind::Prefixes => "prefixes",
        }
    }
}

/// One request: `len` items of `kind` from position `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    pub kind: Kind,
    pub start: usize,
    pub len: usize,
}

impl Work {
    fn strings(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Tags => &self.tags,
            Kind::Hosts => &self.hosts,
            Kind::Prefixes => &self.prefixes,
            Kind::Everything | Kind::Files => &[],
        }
    }

    /// The request body of a batch.
    pub fn body(&self, batch: &Batch) -> PurgeBody {
        let range = batch.start..batch.start + batch.len;
        match batch.kind {
            Kind::Everything => PurgeBody::PurgeEverything(true),
            Kind::Files => PurgeBody::Files(self.files[range].iter().map(file_value).collect()),
            Kind::Tags => PurgeBody::Tags(self.tags[range].to_vec()),
            Kind::Hosts => PurgeBody::Hosts(self.hosts[range].to_vec()),
            Kind::Prefixes => PurgeBody::Prefixes(self.prefixes[range].to_vec()),
        }
    }

    /// How each item of a batch is named in the `failed` output.
    pub fn labels(&self, batch: &Batch) -> Vec<String> {
        let range = batch.start..batch.start + batch.len;
        match batch.kind {
            Kind::Everything => vec!["everything".to_string()],
            Kind::Files => self.files[range].iter().map(|f| f.url.clone()).collect(),
            kind => self.strings(kind)[range].to_vec(),
        }
    }

    /// Items of each kind, for the summary.
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        let all = [
            (Kind::Everything, usize::from(self.everything)),
            (Kind::Files, self.files.len()),
            (Kind::Tags, self.tags.len()),
            (Kind::Hosts, self.hosts.len()),
            (Kind::Prefixes, self.prefixes.len()),
        ];
        all.into_iter().filter(|(_, n)| *n > 0).collect()
    }
}

/// A file with custom cache-key headers is an object; a plain one is its URL string.
fn file_value(file: &ResolvedFile) -> Value {
    match &file.headers {
        None => Value::String(file.url.clone()),
        Some(headers) => serde_json::json!({"url": file.url, "headers": headers}),
    }
}

/// Per-plan purge limits (Cloudflare's cache docs, "Availability and limits").
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub plan: &'static str,
    pub files_per_request: usize,
    pub items_per_request: usize,
    /// URLs per second; the bucket holds one second's worth.
    pub url_rate: f64,
    /// Tag, host, prefix and everything requests: rate per second and bucket size.
    pub request_rate: f64,
    pub request_burst: f64,
}

impl Limits {
    pub fn for_plan(plan: &Plan) -> Self {
        let id = plan.legacy_id.to_ascii_lowercase();
        let name = plan.name.to_ascii_lowercase();
        let is = |p: &str| id == p || (id.is_empty() && name.contains(p));
        if is("enterprise") {
            Limits {
                plan: "Enterprise",
                files_per_request: 500,
                items_per_request: 100,
                url_rate: 3000.0,
                request_rate: 50.0,
                request_burst: 500.0,
            }
        } else if is("business") {
            Limits {
                plan: "Business",
                files_per_request: 100,
                items_per_request: 100,
                url_rate: 1500.0,
                request_rate: 10.0,
                request_burst: 50.0,
            }
        } else if is("pro") {
            Limits {
                plan: "Pro",
                files_per_request: 100,
                items_per_request: 100,
                url_rate: 1500.0,
                request_rate: 5.0,
                request_burst: 25.0,
            }
        } else {
            // Free, and any plan not recognised: the strictest limits are always safe.
            Limits {
                plan: "Free",
                files_per_request: 100,
                items_per_request: 100,
                url_rate: 800.0,
                request_rate: 5.0 / 60.0,
                request_burst: 25.0,
            }
        }
    }

    /// The least time the pacing allows for `work` (items beyond the full buckets at the plan's rate).
    pub fn bound(&self, work: &Work) -> Duration {
        let urls = (work.files.len() as f64 - self.url_rate).max(0.0) / self.url_rate;
        let requests = plan(work, self)
            .iter()
            .filter(|b| b.kind != Kind::Files)
            .count() as f64;
        let others = (requests - self.request_burst).max(0.0) / self.request_rate;
        Duration::from_secs_f64(urls.max(others))
    }
}

/// Split the work into batches: files first, then tags, hosts, prefixes, or the one "everything".
pub fn plan(work: &Work, limits: &Limits) -> Vec<Batch> {
    if work.everything {
        return vec![Batch {
            kind: Kind::Everything,
            start: 0,
            len: 1,
        }];
    }
    let mut batches = Vec::new();
    let kinds = [
        (Kind::Files, work.files.len(), limits.files_per_request),
        (Kind::Tags, work.tags.len(), limits.items_per_request),
        (Kind::Hosts, work.hosts.len(), limits.items_per_request),
        (
            Kind::Prefixes,
            work.prefixes.len(),
            limits.items_per_request,
        ),
    ];
    for (kind, total, size) in kinds {
        let size = size.max(1);
        batches.extend((0..total).step_by(size).map(|start| Batch {
            kind,
            start,
            len: size.min(total - start),
        }));
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(n: usize) -> Work {
        let files = (0..n)
            .map(|i| ResolvedFile {
                url: format!("https://example.com/{i}"),
                headers: None,
            })
            .collect();
        Work {
            files,
            ..Work::default()
        }
    }

    fn plan_named(legacy_id: &str) -> Limits {
        Limits::for_plan(&Plan {
            name: String::new(),
            legacy_id: legacy_id.into(),
        })
    }

    #[test]
    fn batches_follow_the_plan() {
        assert_eq!(plan(&files(250), &plan_named("free")).len(), 3);
        assert_eq!(plan(&files(1200), &plan_named("enterprise")).len(), 3);
        let b = plan(&files(1200), &plan_named("enterprise"));
        assert_eq!(b.iter().map(|b| b.len).collect::<Vec<_>>(), [500, 500, 200]);
        let mut w = files(0);
        w.tags = (0..150).map(|i| i.to_string()).collect();
        assert_eq!(
            plan(&w, &plan_named("enterprise"))
                .iter()
                .map(|b| b.len)
                .collect::<Vec<_>>(),
            [100, 50]
        );
        assert_eq!(
            plan(
                &Work {
                    everything: true,
                    ..files(3)
                },
                &plan_named("pro")
            )
            .len(),
            1
        );
    }

    #[test]
    fn unknown_plans_get_free_limits() {
        assert_eq!(plan_named("").plan, "Free");
        assert_eq!(
            Limits::for_plan(&Plan {
                name: "Enterprise Website".into(),
                legacy_id: String::new()
            })
            .plan,
            "Enterprise"
        );
    }

    #[test]
    fn bound_is_items_beyond_the_bucket_over_the_rate() {
        assert_eq!(
            plan_named("free").bound(&files(10_000)),
            Duration::from_secs_f64(11.5)
        );
    }

    #[test]
    fn headers_make_objects() {
        let mut w = files(1);
        w.files[0].headers = Some(BTreeMap::from([(
            "CF-IPCountry".to_string(),
            "US".to_string(),
        )]));
        let body = serde_json::to_value(w.body(&plan(&w, &plan_named("free"))[0])).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"files": [{"url": "https://example.com/0", "headers": {"CF-IPCountry": "US"}}]})
        );
    }
}
