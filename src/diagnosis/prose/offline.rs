//! The words for causes decided from the inputs alone.

use super::{seen, seen_and_fix, Explained};
use crate::diagnosis::{
    InnerWhitespace, MissingReason, PeerVariable, Rejected, Repaired, ShapeProblem,
};
use crate::names::Input;
use crate::text::{for_count, is_are, list_some, plural};

pub(in crate::diagnosis) fn invalid_zone(values: &[String]) -> Explained {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    seen(match values.len() {
        1 => format!(
            "The zone {} is neither a 32-character zone ID nor a domain name",
            quoted[0]
        ),
        _ => format!(
            "The zones {} are neither 32-character zone IDs nor domain names",
            list_some(&quoted)
        ),
    })
}

pub(in crate::diagnosis) fn missing_zone(peers: &[PeerVariable]) -> Explained {
    seen(format!("The zone input is empty{}", peers_seen(peers)))
}

/// What other purge actions' variables in the environment mean here, by name only: their values
/// may be credentials.
fn peers_seen(peers: &[PeerVariable]) -> String {
    if peers.is_empty() {
        return String::new();
    }
    let each: Vec<String> = peers
        .iter()
        .map(|p| format!("{} belongs in `{}`", p.variable, p.input.name()))
        .collect();
    format!(
        "; the environment sets {} that another purge action reads and this one does not: {}",
        plural(peers.len(), "variable"),
        list_some(&each)
    )
}

pub(in crate::diagnosis) fn missing_credentials(
    reason: MissingReason,
    peers: &[PeerVariable],
) -> Explained {
    const NONE: &str = "Neither api_token nor global_api_key reached the action";
    let why = match reason {
        MissingReason::ForkPullRequest => format!("{NONE}: this run is a pull request from a fork, and GitHub gives such runs no repository secrets"),
        MissingReason::Dependabot => format!("{NONE}: this run was started by Dependabot, which gets only Dependabot secrets, not Actions secrets"),
        MissingReason::SecretNameMismatch => format!("{NONE}: the ${{{{ secrets.… }}}} expression in `with:` evaluated to an empty string, which happens when no secret of that name exists in the repository, its environment or organisation"),
        MissingReason::LocalRun => "No credential was given: neither api_token/global_api_key inputs nor the CLOUDFLARE_API_TOKEN or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY variables are set".to_string(),
    };
    seen_and_fix(
        format!("{why}{}", peers_seen(peers)),
        missing_credentials_fix(reason).to_string(),
    )
}

/// The fix for one reason no credential arrived.
fn missing_credentials_fix(reason: MissingReason) -> &'static str {
    match reason {
        MissingReason::ForkPullRequest => "Run the purge only on push or on pull requests from branches of this repository (`if: github.event.pull_request.head.repo.fork == false`)",
        MissingReason::Dependabot => "Add the secret under Settings → Secrets and variables → Dependabot as well, or skip this step for Dependabot (`if: github.actor != 'dependabot[bot]'`)",
        MissingReason::SecretNameMismatch => "Compare the name in `${{ secrets.NAME }}` with Settings → Secrets and variables → Actions (names are case-sensitive; environment secrets need `environment:` on the job)",
        MissingReason::LocalRun => "Export CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) or set INPUT_API_TOKEN",
    }
}

/// Every reason's fix, each after the situation it is for.
pub(in crate::diagnosis) fn missing_credentials_fixes() -> String {
    let situations = [
        ("A pull request from a fork", MissingReason::ForkPullRequest),
        ("Dependabot", MissingReason::Dependabot),
        ("A local run", MissingReason::LocalRun),
        ("Otherwise", MissingReason::SecretNameMismatch),
    ];
    let fixes: Vec<String> = situations
        .iter()
        .map(|(situation, reason)| {
            let fix = missing_credentials_fix(*reason);
            let mut chars = fix.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            format!(
                "{situation}: {}{}",
                first.unwrap_or_default(),
                chars.as_str()
            )
        })
        .collect();
    fixes.join(". ")
}

pub(in crate::diagnosis) fn placeholder(input: Input, length: usize) -> Explained {
    seen_and_fix(
        format!("{} holds a placeholder ({length} characters), not a credential: example text such as YOUR-API-TOKEN, <token>, xxxx, changeme or an unexpanded ${{{{ secrets.X }}}} expression", input.name()),
        placeholder_fix(input),
    )
}

/// Where to get a real token, and how to pass it in `input`.
pub(in crate::diagnosis) fn placeholder_fix(input: Input) -> String {
    format!(
        "Create a token at {}, store it as a repository secret, and pass it as `{}: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}`",
        crate::diagnosis::TOKEN_FORM,
        input.name()
    )
}

pub(in crate::diagnosis) fn incomplete_key(missing: Input) -> Explained {
    seen(format!(
        "A Global API Key is used with an email, but {} is empty",
        missing.name()
    ))
}

pub(in crate::diagnosis) fn malformed(
    input: Input,
    length: usize,
    problem: &ShapeProblem,
) -> Explained {
    let name = input.name();
    if *problem == ShapeProblem::AccessSecret {
        return seen_and_fix(
            format!("{name} ({length} characters) starts with cfast_: it is a Cloudflare Access service-token client secret, which lets a client through Access to an application, not an API credential"),
            concat!("Create an API token with the Cache Purge permission at ", token_form!(), " and pass it as `api_token`; keep the Access secret for the requests to your Access-protected application").to_string(),
        );
    }
    seen(match problem {
        ShapeProblem::Length { expected } => format!(
            "{name} is {length} characters long, but {expected}: it was probably cut off or has extra characters"
        ),
        ShapeProblem::Characters { count, first_at } => format!(
            "{name} ({length} characters) contains {} no Cloudflare credential has, the first at position {first_at}", plural(*count, "character")
        ),
        ShapeProblem::Assignment { name: variable } => format!(
            "{name} ({length} characters) is a whole `{variable}=…` line, not just the value"
        ),
        ShapeProblem::AccessSecret => String::new(),
    })
}

pub(in crate::diagnosis) fn whitespace(
    input: Input,
    length: usize,
    inner: &InnerWhitespace,
) -> Explained {
    seen(format!(
        "{} ({length} characters) has {} inside it at position {}",
        input.name(),
        inner.what,
        inner.at
    ))
}

pub(in crate::diagnosis) fn key_as_token(length: usize, prefixed: bool) -> Explained {
    let form = if prefixed {
        "starting with cfk_"
    } else {
        "of lowercase hex"
    };
    seen(format!(
        "api_token has the shape of a Global API Key ({length} characters {form}), not of an API token"
    ))
}

pub(in crate::diagnosis) fn token_as_key(kind: &str) -> Explained {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    seen(format!(
        "global_api_key has the shape of {article} {kind}, not of a Global API Key"
    ))
}

pub(in crate::diagnosis) fn origin_ca(input: Input) -> Explained {
    seen(format!(
        "{} holds an Origin CA key (v1.0-…), which only managed origin certificates: Cloudflare stopped accepting its X-Auth-User-Service-Key header everywhere on 2026-09-30",
        input.name()
    ))
}

pub(in crate::diagnosis) fn conflicting(lists: &[Input]) -> Explained {
    let names: Vec<&str> = lists.iter().map(|list| list.name()).collect();
    seen(format!(
        "purge_everything is true and {} {} also given",
        names.join(", "),
        is_are(lists.len())
    ))
}

pub(in crate::diagnosis) fn invalid_url(items: &[String]) -> Explained {
    seen(format!(
        "{} in files {} neither an http(s) URL (without user name or password) nor a path starting with /: {}",
        plural(items.len(), "item"),
        is_are(items.len()),
        list_some(items)
    ))
}

pub(in crate::diagnosis) fn outside_zone(zones: &[String], items: &[String]) -> Explained {
    let zones = match zones {
        [zone] => format!("the zone {zone}"),
        _ => format!("any of the zones {}", zones.join(", ")),
    };
    seen(format!(
        "{} {} not in {zones}: {}",
        plural(items.len(), "item"),
        is_are(items.len()),
        list_some(items)
    ))
}

pub(in crate::diagnosis) fn names_unreadable(zones: &[String], items: &[String]) -> Explained {
    seen(format!(
        "Several zones are listed, and the credential cannot read the name of {} (no Zone → Zone Read permission), so {} routed by host {} in none of the zones it can name and may be in those: {}",
        list_some(zones),
        plural(items.len(), "item"),
        is_are(items.len()),
        list_some(items)
    ))
}

pub(in crate::diagnosis) fn invalid_input(input: Input, value: &str, expected: &str) -> Explained {
    let input = input.name();
    seen_and_fix(
        format!("The input {input} is \"{value}\", but it must be {expected}"),
        invalid_input_fix(&format!("`{input}`")),
    )
}

/// `input`: the input as the text names it ("`dry_run`", or "the named input" in general).
pub(in crate::diagnosis) fn invalid_input_fix(input: &str) -> String {
    format!("Correct {input} in the step's `with:`")
}

pub(in crate::diagnosis) fn wildcard(items: &[String]) -> Explained {
    seen(format!(
        "{} in files {} a *, which Cloudflare's single-file purge takes literally, so {} would purge nothing: {}",
        plural(items.len(), "URL"),
        for_count(items.len(), "holds", "hold"),
        for_count(items.len(), "it", "they"),
        list_some(items)
    ))
}

/// `what`: "prefix" or "host".
pub(in crate::diagnosis) fn rejected(what: &str, items: &[Rejected]) -> Explained {
    let shown: Vec<String> = items
        .iter()
        .map(|r| format!("{} ({})", r.item, r.why))
        .collect();
    seen(format!(
        "{} cannot be sent as {} {}: {}",
        plural(items.len(), what),
        for_count(items.len(), "it", "they"),
        is_are(items.len()),
        list_some(&shown)
    ))
}

pub(in crate::diagnosis) fn repaired(items: &[Repaired]) -> Explained {
    let shown: Vec<String> = items
        .iter()
        .map(|r| format!("{} → {}", r.from, r.to))
        .collect();
    seen(format!(
        "{} had a pasted scheme or trailing / removed and {} used as repaired: {}",
        plural(items.len(), "item"),
        for_count(items.len(), "was", "were"),
        list_some(&shown)
    ))
}

pub(in crate::diagnosis) fn bad_flag(
    flag: &str,
    problem: &str,
    closest: Option<&str>,
) -> Explained {
    let seen_text = format!("The command-line flag {flag} {problem}");
    match closest {
        Some(closest) => seen_and_fix(
            seen_text,
            format!("Did you mean {closest}? `cloudflare-purge --help` lists every flag"),
        ),
        None => seen(seen_text),
    }
}
