//! Which other CDN answered, from its headers: Fastly in front of GitHub Pages, CloudFront, Vercel,
//! Netlify, or one named only by a generic header.

/// Another CDN than Cloudflare, as its headers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cdn {
    Fastly,
    CloudFront,
    Vercel,
    Netlify,
    /// A cache that says only this header (e.g. `x-cache: HIT`).
    Unnamed {
        header: String,
        value: String,
    },
}

impl Cdn {
    /// The CDN the headers (lower-case names) show, the most specific evidence first.
    pub(crate) fn from_headers(headers: &[(String, String)]) -> Option<Cdn> {
        let value = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.to_ascii_lowercase())
        };
        let has = |name: &str| value(name).is_some();
        let says = |name: &str, word: &str| value(name).is_some_and(|v| v.contains(word));
        if has("x-amz-cf-id") || says("via", "cloudfront") || says("x-cache", "cloudfront") {
            Some(Cdn::CloudFront)
        } else if has("x-vercel-cache") {
            Some(Cdn::Vercel)
        } else if has("x-nf-request-id") {
            Some(Cdn::Netlify)
        } else if has("x-fastly-request-id")
            || says("x-served-by", "cache-")
            || says("via", "varnish")
        {
            Some(Cdn::Fastly)
        } else {
            let (header, value) = headers.iter().find(|(n, _)| n == "x-cache")?;
            Some(Cdn::Unnamed {
                header: header.clone(),
                value: value.clone(),
            })
        }
    }

    /// The name a message gives it.
    pub(crate) fn name(&self) -> String {
        match self {
            Cdn::Fastly => "Fastly".into(),
            Cdn::CloudFront => "Amazon CloudFront".into(),
            Cdn::Vercel => "Vercel".into(),
            Cdn::Netlify => "Netlify".into(),
            Cdn::Unnamed { header, value } => format!("a cache that answers `{header}: {value}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdn(pairs: &[(&str, &str)]) -> Option<Cdn> {
        let headers: Vec<_> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Cdn::from_headers(&headers)
    }

    #[test]
    fn each_cdn_is_named_by_its_headers() {
        // GitHub Pages' answer through Fastly.
        let pages = [
            ("x-served-by", "cache-fra-eddf8230059-FRA"),
            ("x-cache", "HIT"),
            ("via", "1.1 varnish"),
        ];
        assert_eq!(cdn(&pages), Some(Cdn::Fastly));
        assert_eq!(cdn(&[("x-amz-cf-id", "abc==")]), Some(Cdn::CloudFront));
        assert_eq!(
            cdn(&[("x-cache", "Hit from cloudfront")]),
            Some(Cdn::CloudFront)
        );
        assert_eq!(cdn(&[("x-vercel-cache", "HIT")]), Some(Cdn::Vercel));
        assert_eq!(cdn(&[("x-nf-request-id", "01H")]), Some(Cdn::Netlify));
        assert_eq!(
            cdn(&[("x-cache", "MISS")]).map(|c| c.name()),
            Some("a cache that answers `x-cache: MISS`".into())
        );
        assert_eq!(cdn(&[("via", "1.1 vegur")]), None);
        assert_eq!(cdn(&[]), None);
    }
}
