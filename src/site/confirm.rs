//! The verdict on one checked URL (contract §10): evicted, no effect, or why it could not be told.

use std::time::Duration;

use super::cdn::Cdn;
use super::client::{SiteAnswer, SiteFailure};

/// Cloudflare's purge reaches every data centre within this of the batch's acceptance: an `Age`
/// that young was fetched again since.
const SLACK: u64 = 2;

/// What was asked of Cloudflare: a purge, or a soft purge (`invalidate`, §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Purge,
    Invalidate,
}

/// The verdict on one URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Fetched again since the purge (or marked stale, with `invalidate`).
    Evicted { cache_status: String },
    /// `purge-no-effect`: still served from cache, older than the purge.
    NoEffect {
        cache_status: String,
        age: u64,
        since: u64,
    },
    /// `not-cached`: Cloudflare does not cache it (`DYNAMIC`, `BYPASS`, none).
    NotCached {
        cache_status: Option<String>,
        cdn: Option<Cdn>,
    },
    /// `not-proxied`: no `cf-ray`, so Cloudflare did not answer.
    NotProxied { cdn: Option<Cdn> },
    /// `purged-redirect`: the URL redirects (never followed).
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// `confirm-failed`: the answer cannot tell.
    Unjudged(Unjudged),
}

/// Why an answer cannot tell whether the purge took effect.
#[derive(Debug, Clone, PartialEq)]
pub enum Unjudged {
    /// No answer at all.
    Failed(SiteFailure),
    /// A 5xx: the origin or Cloudflare in trouble.
    ServerError { status: u16 },
    /// `cf-mitigated: challenge`: Cloudflare's bot protection challenged the runner.
    Challenge { status: u16 },
    /// A 403 or 429 from Cloudflare without a challenge: a WAF rule or rate limit refused it.
    Blocked { status: u16 },
    /// Another 4xx (404 and 410 are judged by their cache status).
    Refused { status: u16 },
    /// `HIT` or `STALE` without an `Age`: its age cannot be compared with the purge's.
    NoAge {
        cache_status: String,
        /// The `Age` header, when there was one that is no number of seconds.
        unreadable: Option<String>,
    },
}

/// The verdict on `answer`, given for a URL whose batch was accepted `since` ago.
pub fn judge(answer: &Result<SiteAnswer, SiteFailure>, since: Duration, mode: Mode) -> Verdict {
    let answer = match answer {
        Ok(answer) => answer,
        Err(failure) => return Verdict::Unjudged(Unjudged::Failed(failure.clone())),
    };
    let status = answer.status;
    if status >= 500 {
        return Verdict::Unjudged(Unjudged::ServerError { status });
    }
    let cdn = || Cdn::from_headers(&answer.cdn_headers);
    if answer.cf_ray.is_none() {
        return Verdict::NotProxied { cdn: cdn() };
    }
    if (300..400).contains(&status) {
        let location = answer.location.clone();
        return Verdict::Redirect { status, location };
    }
    if let Some(unjudged) = refusal(answer) {
        return Verdict::Unjudged(unjudged);
    }
    by_cache_status(answer, since, mode).unwrap_or_else(|| Verdict::NotCached {
        cache_status: answer.cache_status.clone(),
        cdn: cdn(),
    })
}

/// A 4xx that says nothing of the cache; 404 and 410 do (a deploy may remove files).
fn refusal(answer: &SiteAnswer) -> Option<Unjudged> {
    let status = answer.status;
    let challenged = answer.cf_mitigated.as_deref() == Some("challenge");
    match status {
        404 | 410 => None,
        _ if challenged => Some(Unjudged::Challenge { status }),
        403 | 429 => Some(Unjudged::Blocked { status }),
        400..=499 => Some(Unjudged::Refused { status }),
        _ => None,
    }
}

/// The verdict from `CF-Cache-Status` and `Age`; `None` when Cloudflare did not cache the answer.
fn by_cache_status(answer: &SiteAnswer, since: Duration, mode: Mode) -> Option<Verdict> {
    let cache_status = answer.cache_status.clone()?;
    let since = since.as_secs() + u64::from(since.subsec_nanos() > 0);
    let evicted = Verdict::Evicted {
        cache_status: cache_status.clone(),
    };
    match (cache_status.as_str(), mode) {
        ("MISS" | "EXPIRED" | "REVALIDATED" | "UPDATING", _) => Some(evicted),
        // Invalidated content is kept and marked stale: `STALE` is it, served while the origin
        // could not revalidate it.
        ("STALE", Mode::Invalidate) => Some(evicted),
        ("HIT" | "STALE", _) => Some(match answer.age {
            None => Verdict::Unjudged(Unjudged::NoAge {
                cache_status,
                unreadable: answer.age_unreadable.clone(),
            }),
            Some(age) if age <= since + SLACK => evicted,
            Some(age) => Verdict::NoEffect {
                cache_status,
                age,
                since,
            },
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudflare::NetKind;

    fn answer(status: u16, cache: Option<&str>, age: Option<u64>) -> SiteAnswer {
        SiteAnswer {
            status,
            cache_status: cache.map(str::to_string),
            age,
            cf_ray: Some("8f1e2d3c4b5a6978-FRA".into()),
            ..SiteAnswer::default()
        }
    }

    fn verdict(answer: SiteAnswer) -> Verdict {
        judge(&Ok(answer), Duration::from_millis(4_300), Mode::Purge)
    }

    fn evicted(v: &Verdict) -> Option<&str> {
        match v {
            Verdict::Evicted { cache_status } => Some(cache_status),
            _ => None,
        }
    }

    #[test]
    fn a_miss_or_a_young_hit_is_evicted() {
        for cache in ["MISS", "EXPIRED", "REVALIDATED", "UPDATING"] {
            let v = verdict(answer(200, Some(cache), Some(900)));
            assert_eq!(evicted(&v), Some(cache), "{cache}");
        }
        // 4.3 s since the purge, rounded up, plus 2 s.
        for cache in ["HIT", "STALE"] {
            let v = verdict(answer(200, Some(cache), Some(7)));
            assert_eq!(evicted(&v), Some(cache));
            let v = verdict(answer(200, Some(cache), Some(8)));
            let old = Verdict::NoEffect {
                cache_status: cache.into(),
                age: 8,
                since: 5,
            };
            assert_eq!(v, old);
        }
    }

    #[test]
    fn a_hit_without_age_cannot_be_judged() {
        let v = verdict(answer(200, Some("HIT"), None));
        let no_age = Unjudged::NoAge {
            cache_status: "HIT".into(),
            unreadable: None,
        };
        assert_eq!(v, Verdict::Unjudged(no_age));
    }

    #[test]
    fn what_cloudflare_does_not_cache_names_the_cdn_in_front() {
        for cache in [Some("DYNAMIC"), Some("BYPASS"), Some("NONE"), None] {
            let mut a = answer(200, cache, None);
            a.cdn_headers = vec![("x-vercel-cache".into(), "HIT".into())];
            let v = verdict(a);
            assert_eq!(
                v,
                Verdict::NotCached {
                    cache_status: cache.map(str::to_string),
                    cdn: Some(Cdn::Vercel)
                }
            );
        }
        let mut a = answer(200, None, Some(50));
        a.cf_ray = None;
        a.cdn_headers = vec![("x-served-by".into(), "cache-fra-1-FRA".into())];
        assert_eq!(
            verdict(a),
            Verdict::NotProxied {
                cdn: Some(Cdn::Fastly)
            }
        );
    }

    #[test]
    fn a_redirect_is_reported_with_its_location() {
        let mut a = answer(301, Some("HIT"), Some(9000));
        a.location = Some("https://www.example.com/".into());
        assert_eq!(
            verdict(a),
            Verdict::Redirect {
                status: 301,
                location: Some("https://www.example.com/".into())
            }
        );
    }

    #[test]
    fn refusals_and_faults_cannot_be_judged_but_404_can() {
        let unjudged = |a| match verdict(a) {
            Verdict::Unjudged(u) => Some(u),
            _ => None,
        };
        let mut challenged = answer(403, Some("DYNAMIC"), None);
        challenged.cf_mitigated = Some("challenge".into());
        assert_eq!(
            unjudged(challenged),
            Some(Unjudged::Challenge { status: 403 })
        );
        for status in [403, 429] {
            let blocked = Unjudged::Blocked { status };
            assert_eq!(unjudged(answer(status, None, None)), Some(blocked));
        }
        let refused = Unjudged::Refused { status: 401 };
        assert_eq!(unjudged(answer(401, None, None)), Some(refused));
        let server = Unjudged::ServerError { status: 522 };
        assert_eq!(unjudged(answer(522, Some("HIT"), Some(1))), Some(server));
        for status in [404, 410] {
            let v = verdict(answer(status, Some("MISS"), None));
            assert_eq!(evicted(&v), Some("MISS"));
        }
        let failed = SiteFailure::Network(NetKind::Timeout);
        assert_eq!(
            judge(&Err(failed.clone()), Duration::ZERO, Mode::Purge),
            Verdict::Unjudged(Unjudged::Failed(failed))
        );
    }

    #[test]
    fn an_invalidation_counts_stale_content_as_done_but_not_an_old_hit() {
        let since = Duration::from_secs(3);
        let judged =
            |cache, age| judge(&Ok(answer(200, Some(cache), age)), since, Mode::Invalidate);
        for cache in ["EXPIRED", "REVALIDATED", "STALE"] {
            assert_eq!(evicted(&judged(cache, Some(600))), Some(cache));
        }
        assert!(matches!(
            judged("HIT", Some(600)),
            Verdict::NoEffect {
                age: 600,
                since: 3,
                ..
            }
        ));
    }
}
