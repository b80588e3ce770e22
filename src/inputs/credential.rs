//! The credential: which one was given (its shape judged by `shape`), the email beside a Global API Key,
//! and every form of it that must be masked.

use super::shape::{classify, clean, mask_forms, problem, Shape};

use super::context::RunContext;
use super::quote::{prefixed_pieces, shape_of, shaped_pieces};
use super::raw::RawInputs;
use super::table::Input;
use crate::diagnosis::Cause;
use crate::secret::Secret;

/// The credential to authenticate with.
#[derive(Debug, Clone)]
pub(crate) enum Credential {
    Token { value: Secret, shape: Shape },
    GlobalKey { email: String, key: Secret },
}

impl Credential {
    /// How the summary names it ("user API token (cfut_)", "email + Global API Key").
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Credential::Token { shape, .. } => shape.describe(),
            Credential::GlobalKey { .. } => "email + Global API Key",
        }
    }
}

/// The credential, or the causes that stop the run; repairs come back as warnings.
pub(crate) fn read(
    raw: &RawInputs,
    ctx: &RunContext,
) -> (Result<Credential, Vec<Cause>>, Vec<Cause>) {
    let token = clean(raw.get(Input::ApiToken), Input::ApiToken);
    let key = clean(raw.get(Input::GlobalApiKey), Input::GlobalApiKey);
    let email = raw.get(Input::Email).trim();
    if token.value.is_empty() && key.value.is_empty() && email.is_empty() {
        let reason = ctx.missing_reason();
        let peers = ctx.peers.clone();
        let missing = Cause::MissingCredentials { reason, peers };
        return (Err(vec![missing]), Vec::new());
    }
    if token.value.is_empty() {
        return (global_key(&key.value, email), key.warnings);
    }
    let mut warnings = Vec::new();
    if !key.value.is_empty() || !email.is_empty() {
        warnings.push(Cause::BothCredentials {
            key: !key.value.is_empty(),
        });
    }
    warnings.extend(token.warnings);
    let shape = classify(&token.value, Input::ApiToken);
    let read = match problem(&token.value, &shape, Input::ApiToken) {
        Some(problem) => Err(vec![problem]),
        None => Ok(Credential::Token {
            value: Secret::new(token.value),
            shape,
        }),
    };
    (read, warnings)
}

fn global_key(key: &str, email: &str) -> Result<Credential, Vec<Cause>> {
    if key.is_empty() || email.is_empty() {
        let missing = if key.is_empty() {
            Input::GlobalApiKey
        } else {
            Input::Email
        };
        return Err(vec![Cause::IncompleteGlobalKey { missing }]);
    }
    let shape = classify(key, Input::GlobalApiKey);
    let problem = problem(key, &shape, Input::GlobalApiKey);
    let email_problem = email_problem(email).map(|problem| Cause::InvalidEmail { problem });
    let found: Vec<Cause> = problem.into_iter().chain(email_problem).collect();
    if !found.is_empty() {
        return Err(found);
    }
    Ok(Credential::GlobalKey {
        email: email.to_string(),
        key: Secret::new(key),
    })
}

fn email_problem(email: &str) -> Option<&'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Some("it has no @");
    };
    if email.chars().any(char::is_whitespace) {
        Some("it contains whitespace")
    } else if email.chars().any(char::is_control) {
        // Such an email cannot be sent in the X-Auth-Email header.
        Some("it contains a control character")
    } else if local.is_empty() {
        Some("nothing before the @")
    } else if domain.contains('@') {
        Some("it has more than one @")
    } else if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        Some("the part after the @ is not a domain")
    } else {
        None
    }
}

/// Every value that must be masked before anything is printed: the credentials in every form, and
/// anything in another input shaped like a credential (pasted into the wrong input). A tag is a
/// free-form value, often a commit SHA or a content hash of a token's or a key's shape: only a
/// prefixed credential in it is masked (the credential given in it is refused).
pub(crate) fn secrets(raw: &RawInputs) -> Vec<String> {
    let mut all = mask_forms(raw.get(Input::ApiToken), Input::ApiToken);
    all.extend(mask_forms(
        raw.get(Input::GlobalApiKey),
        Input::GlobalApiKey,
    ));
    for spec in crate::inputs::table::INPUTS {
        if spec.kind == crate::inputs::table::Kind::Secret {
            continue;
        }
        let value = raw.get(spec.input);
        // Nothing shorter has a credential's shape but an Origin CA key's prefix (see `shape_of`).
        if value.len() < 37 && !value.contains("v1.0-") {
            continue;
        }
        let whole = std::iter::once(value.trim());
        let items = whole.chain(super::list::split_list(value));
        let free_form = spec.input == Input::Tags;
        all.extend(
            items
                .filter(|item| !free_form && shape_of(item).is_some())
                .map(str::to_string),
        );
        if !free_form {
            all.extend(shaped_pieces(value).map(|(piece, _)| piece.to_string()));
        }
        all.extend(prefixed_pieces(value).map(str::to_string));
    }
    all.sort();
    all.dedup();
    all
}

/// The credentials that will be sent, cleaned as they are: every piece of them is hidden. A value
/// of the wrong shape is never sent (and may hold words such as a variable name): it is masked
/// whole only.
pub(crate) fn credentials(raw: &RawInputs) -> Vec<String> {
    [
        (Input::ApiToken, Input::ApiToken),
        (Input::GlobalApiKey, Input::GlobalApiKey),
    ]
    .into_iter()
    .map(|(input, as_input)| (clean(raw.get(input), as_input).value, as_input))
    .filter(|(value, _)| value.len() >= crate::secret::PIECE)
    .filter(|(value, input)| problem(value, &classify(value, *input), *input).is_none())
    .map(|(value, _)| value)
    .collect()
}
