//! The words for causes decided from the inputs alone.

use super::{seen, seen_and_fix, Explained};
use crate::diagnosis::{
    CredentialInput, InnerWhitespace, MissingReason, Rejected, Repaired, ShapeProblem,
};
use crate::text::{is_are, list_some, plural};

pub(super) fn invalid_zone(values: &[String]) -> Explained {
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

pub(super) fn missing_credentials(reason: MissingReason) -> Explained {
    const NONE: &str = "Neither api_token nor global_api_key reached the action";
    let (why, fix) = match reason {
        MissingReason::ForkPullRequest => (
            format!("{NONE}: this run is a pull request from a fork, and GitHub gives such runs no repository secrets"),
            "Run the purge only on push or on pull requests from branches of this repository (`if: github.event.pull_request.head.repo.fork == false`)",
        ),
        MissingReason::Dependabot => (
            format!("{NONE}: this run was started by Dependabot, which gets only Dependabot secrets, not Actions secrets"),
            "Add the secret under Settings → Secrets and variables → Dependabot as well, or skip this step for Dependabot (`if: github.actor != 'dependabot[bot]'`)",
        ),
        MissingReason::SecretNameMismatch => (
            format!("{NONE}: the ${{{{ secrets.… }}}} expression in `with:` evaluated to an empty string, which happens when no secret of that name exists in the repository, its environment or organisation"),
            "Compare the name in `${{ secrets.NAME }}` with Settings → Secrets and variables → Actions (names are case-sensitive; environment secrets need `environment:` on the job)",
        ),
        MissingReason::LocalRun => (
            "No credential was given: neither api_token/global_api_key inputs nor the CLOUDFLARE_API_TOKEN or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY variables are set".to_string(),
            "Export CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) or set INPUT_API_TOKEN",
        ),
    };
    seen_and_fix(why, fix.to_string())
}

pub(super) fn placeholder(input: CredentialInput, length: usize) -> Explained {
    let name = input.name();
    seen_and_fix(
        format!("{name} holds a placeholder ({length} characters), not a credential: example text such as YOUR-API-TOKEN, <token>, xxxx, changeme or an unexpanded ${{{{ secrets.X }}}} expression"),
        format!(
            "Create a token at {}, store it as a repository secret, and pass it as `{name}: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}`",
            crate::diagnosis::TOKEN_FORM
        ),
    )
}

pub(super) fn incomplete_key(missing: &str) -> Explained {
    seen(format!(
        "A Global API Key is used with an email, but {missing} is empty"
    ))
}

pub(super) fn malformed(
    input: CredentialInput,
    length: usize,
    problem: &ShapeProblem,
) -> Explained {
    let name = input.name();
    seen(match problem {
        ShapeProblem::Length { expected } => format!(
            "{name} is {length} characters long, but {expected}: it was probably cut off or has extra characters"
        ),
        ShapeProblem::Characters { count, first_at } => format!(
            "{name} ({length} characters) contains {count} character(s) no Cloudflare credential has, the first at position {first_at}"
        ),
        ShapeProblem::Assignment { name: variable } => format!(
            "{name} ({length} characters) is a whole `{variable}=…` line, not just the value"
        ),
    })
}

pub(super) fn whitespace(
    input: CredentialInput,
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

pub(super) fn key_as_token(length: usize, prefixed: bool) -> Explained {
    let form = if prefixed {
        "starting with cfk_"
    } else {
        "of lowercase hex"
    };
    seen(format!(
        "api_token has the shape of a Global API Key ({length} characters {form}), not of an API token"
    ))
}

pub(super) fn token_as_key(kind: &str) -> Explained {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    seen(format!(
        "global_api_key has the shape of {article} {kind}, not of a Global API Key"
    ))
}

pub(super) fn origin_ca(input: CredentialInput) -> Explained {
    seen(format!(
        "{} holds an Origin CA key (v1.0-…), which only manages origin certificates",
        input.name()
    ))
}

pub(super) fn conflicting(lists: &[&str]) -> Explained {
    seen(format!(
        "purge_everything is true and {} {} also given",
        lists.join(", "),
        is_are(lists.len())
    ))
}

pub(super) fn invalid_url(items: &[String]) -> Explained {
    seen(format!(
        "{} in files {} neither an http(s) URL (without user name or password) nor a path starting with /: {}",
        plural(items.len(), "item"),
        is_are(items.len()),
        list_some(items)
    ))
}

pub(super) fn outside_zone(zones: &[String], items: &[String]) -> Explained {
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

pub(super) fn names_unreadable(zones: &[String], items: &[String]) -> Explained {
    seen(format!(
        "Several zones are listed, and the credential cannot read the name of {} (no Zone → Zone Read permission), so {} routed by host {} in none of the zones it can name and may be in those: {}",
        list_some(zones),
        plural(items.len(), "item"),
        is_are(items.len()),
        list_some(items)
    ))
}

pub(super) fn invalid_input(input: &str, value: &str, expected: &str) -> Explained {
    seen_and_fix(
        format!("The input {input} is \"{value}\", but it must be {expected}"),
        format!("Correct `{input}` in the step's `with:`"),
    )
}

pub(super) fn wildcard(items: &[String]) -> Explained {
    seen(format!(
        "{} in files {} a *, which Cloudflare's single-file purge takes literally, so {} nothing: {}",
        plural(items.len(), "URL"),
        if items.len() == 1 { "holds" } else { "hold" },
        if items.len() == 1 { "it would purge" } else { "they would purge" },
        list_some(items)
    ))
}

/// `what`: "prefix" or "host".
pub(super) fn rejected(what: &str, items: &[Rejected]) -> Explained {
    let shown: Vec<String> = items
        .iter()
        .map(|r| format!("{} ({})", r.item, r.why))
        .collect();
    seen(format!(
        "{} cannot be sent as {} {}: {}",
        plural(items.len(), what),
        if items.len() == 1 { "it" } else { "they" },
        if items.len() == 1 { "is" } else { "are" },
        list_some(&shown)
    ))
}

pub(super) fn repaired(items: &[Repaired]) -> Explained {
    let shown: Vec<String> = items
        .iter()
        .map(|r| format!("{} → {}", r.from, r.to))
        .collect();
    seen(format!(
        "{} had a pasted scheme or trailing / removed and {} used as repaired: {}",
        plural(items.len(), "item"),
        if items.len() == 1 { "was" } else { "were" },
        list_some(&shown)
    ))
}

pub(super) fn bad_flag(flag: &str, problem: &str, closest: Option<&str>) -> Explained {
    let seen_text = format!("The command-line flag {flag} {problem}");
    match closest {
        Some(closest) => seen_and_fix(
            seen_text,
            format!("Did you mean {closest}? `cloudflare-purge --help` lists every flag"),
        ),
        None => seen(seen_text),
    }
}
