//! The purge plan: the zone's plan limits, and the work split into requests no larger than they allow.

use super::work::{Batch, Work};
use crate::cloudflare::{ItemKind, Plan};

/// Per-plan purge limits (Cloudflare's cache docs, "Availability and limits").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Limits {
    pub(crate) plan: &'static str,
    pub(crate) files_per_request: usize,
    pub(crate) items_per_request: usize,
    /// URLs per second; the bucket holds one second's worth.
    pub(crate) url_rate: f64,
    /// Tag, host, prefix and everything requests: rate per second and bucket size.
    pub(crate) request_rate: f64,
    pub(crate) request_burst: f64,
}

impl Limits {
    pub(crate) fn for_plan(plan: &Plan) -> Self {
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
}

/// Split the work into batches: files first, then tags, hosts, prefixes, or the one "everything".
pub(crate) fn plan(work: &Work, limits: &Limits) -> Vec<Batch> {
    if work.everything {
        return vec![Batch {
            kind: ItemKind::Everything,
            start: 0,
            len: 1,
        }];
    }
    let mut batches = Vec::new();
    let kinds = ItemKind::all().filter(|k| *k != ItemKind::Everything);
    let kinds = kinds.map(|kind| {
        let size = match kind {
            ItemKind::Files => limits.files_per_request,
            _ => limits.items_per_request,
        };
        (kind, work.count(kind), size)
    });
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
    use std::collections::BTreeMap;

    use super::*;
    use crate::purge::ResolvedFile;

    fn files(n: usize) -> Work {
        let files = (0..n)
            .map(|i| ResolvedFile {
                url: format!("https://example.com/{i}"),
                headers: None,
            })
            .collect();
        let mut work = Work::default();
        work.files = files;
        work
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
        *w.list_mut(crate::cloudflare::ListKind::Tags) = (0..150).map(|i| i.to_string()).collect();
        assert_eq!(
            plan(&w, &plan_named("enterprise"))
                .iter()
                .map(|b| b.len)
                .collect::<Vec<_>>(),
            [100, 50]
        );
        let mut w = files(3);
        w.everything = true;
        assert_eq!(plan(&w, &plan_named("pro")).len(), 1);
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
    fn headers_make_objects() {
        let mut w = files(1);
        w.files[0].headers = Some(Box::new(BTreeMap::from([(
            "CF-IPCountry".to_string(),
            "US".to_string(),
        )])));
        let body = serde_json::to_value(w.body(&plan(&w, &plan_named("free"))[0])).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"files": [{"url": "https://example.com/0", "headers": {"CF-IPCountry": "US"}}]})
        );
    }
}
