//! The credential: which one was given (its shape judged by `shape`), the email beside a Global API Key,
//! and every form of it that must be masked.

use super::shape::{classify, clean, is_placeholder, mask_forms, problem, Shape};

use super::context::RunContext;
use super::quote::{may_have_shape, parts, prefixed_pieces, shape_of, shaped_pieces};
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
        if !may_have_shape(value) {
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

/// The credentials given, cleaned as they are, and whatever else in a credential input has a
/// credential's look: every piece of them is hidden. A credential in the other input is one; so is
/// a value one character short or with a stray character, and each part of a value cut by
/// whitespace or pasted as a `NAME=value` line. A part that reads as a word (no digit, such as a
/// variable name) or a placeholder is masked whole only: hiding its pieces would hide words such as
/// "cloudflare" wherever they stand.
pub(crate) fn credentials(raw: &RawInputs) -> Vec<String> {
    let mut all = Vec::new();
    for input in [Input::ApiToken, Input::GlobalApiKey] {
        let value = clean(raw.get(input), input).value;
        if value.len() < crate::secret::PIECE {
            continue;
        }
        let shape = classify(&value, input);
        if shape == Shape::Placeholder {
            continue;
        }
        if problem(&value, &shape, input).is_none() {
            all.push(value);
            continue;
        }
        all.extend(
            parts(&value)
                .filter(|part| looks_random(part))
                .map(str::to_string),
        );
    }
    all
}

/// A part of a credential input that may be a credential with a defect: long enough for a piece,
/// letters and digits mixed, and no placeholder. A zone or account ID (32 hex) or a name with a dot
/// pasted there is no credential: hiding its pieces would hide the zone in every output.
fn looks_random(part: &str) -> bool {
    part.len() >= crate::secret::PIECE
        && part.chars().any(|c| c.is_ascii_digit())
        && part.chars().any(|c| c.is_ascii_alphabetic())
        && !part.contains('.')
        && !super::ids::is_hex_id(part)
        && !is_placeholder(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn credentials_of(token: &str, key: &str) -> Vec<String> {
        let env = Env::from_pairs([
            ("INPUT_API_TOKEN".to_string(), token.to_string()),
            ("INPUT_GLOBAL_API_KEY".to_string(), key.to_string()),
        ]);
        credentials(&RawInputs::read(&env))
    }

    #[test]
    fn a_credential_with_a_defect_is_hidden_piece_by_piece_but_words_and_placeholders_are_not() {
        let short_key = "7a1b2c3d4e5f60718293a4b5c6d7e8f90123";
        assert_eq!(credentials_of("", short_key), [short_key]);
        let cut_token = "Xy7Kq2Lm9Np4Rs8Tv3Wz6Bc1Df5Gh0Jk2";
        let line = format!("CLOUDFLARE_API_TOKEN={cut_token}");
        assert_eq!(credentials_of(&line, ""), [cut_token]);
        assert!(credentials_of("CLOUDFLARE_API_TOKEN", "").is_empty());
        assert!(credentials_of("${{ secrets.CF_TOKEN_2 }}", "").is_empty());
        assert!(credentials_of("your-api-token-here", "").is_empty());
        // A zone's ID or name pasted into the key's input stays visible in the outputs.
        assert!(credentials_of("", "023e105f4ecef8ad9ca31a8372d0c353").is_empty());
        assert!(credentials_of("", "shop2.example.com").is_empty());
    }
}
