//! The inputs: the table reads raw strings, which become validated settings; every offline cause is
//! decided here.

pub(crate) mod context;
pub(crate) mod credential;
pub(crate) mod ids;
pub(crate) mod items;
pub(crate) mod list;
pub(crate) mod options;
pub(crate) mod quote;
pub(crate) mod raw;
pub(crate) mod shape;
pub mod table;
pub(crate) mod value;
pub(crate) mod zone;

pub(crate) use context::RunContext;
pub(crate) use credential::Credential;
#[cfg(test)]
pub(crate) use items::FileTarget;
pub(crate) use items::PurgeInputs;
pub(crate) use options::{Options, WaitFor};
pub use raw::RawInputs;
pub(crate) use shape::Shape;
pub use table::Input;
pub use value::Mode;
pub(crate) use zone::ZoneRef;

use crate::diagnosis::Cause;

/// Validated settings: everything the online part needs, nothing left to parse.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// At least one; each once, in the order given.
    pub(crate) zones: Vec<ZoneRef>,
    pub(crate) credential: Credential,
    pub(crate) purge: PurgeInputs,
    pub(crate) options: Options,
}

/// The outcome of the offline checks: settings when no error was found.
#[derive(Debug, Default)]
pub(crate) struct Validated {
    pub(crate) settings: Option<Settings>,
    pub(crate) errors: Vec<Cause>,
    pub(crate) warnings: Vec<Cause>,
}

/// Check every input offline, reporting every problem found. `credentials` are the credential
/// inputs' values that must appear in no item ([`credential::credentials`] of `raw`).
pub(crate) fn validate(raw: &RawInputs, ctx: &RunContext, credentials: &[String]) -> Validated {
    let mut v = Validated::default();
    if let Some(swap) = swapped(raw) {
        // Reported as a swap, not as two inputs of the wrong shape.
        v.errors.push(swap);
        return v;
    }
    let zones = read_zones(raw, ctx, &mut v);
    let (credential, repaired) = credential::read(raw, ctx);
    v.warnings.extend(repaired);
    let credential = credential.map_err(|e| v.errors.extend(e)).ok();
    let options = options::read(raw, ctx, &mut v.errors);
    let mode = options.as_ref().map(|o| o.mode);
    let (purge, repaired) = items::read(raw, ctx, mode);
    v.warnings.extend(repaired);
    // A credential among the items comes before their other problems (a host it makes no host).
    let items_at = v.errors.len();
    // The items that could be read are checked further, whatever else was wrong with the lists.
    let (purge, partial) = match purge {
        Ok(purge) => (Some(purge), None),
        Err((errors, partial)) => {
            v.errors.extend(errors);
            (None, Some(partial))
        }
    };
    if let Some(cause) = credential_in_lists(raw, credentials, purge.as_ref()) {
        v.errors.insert(items_at, cause);
    }
    if let Some(read) = purge.as_ref().or(partial.as_ref()) {
        v.errors
            .extend(placed(read, zones.as_deref(), options.as_ref()));
    }
    if let (true, Some(zones), Some(credential), Some(purge), Some(options)) =
        (v.errors.is_empty(), zones, credential, purge, options)
    {
        v.settings = Some(Settings {
            zones,
            credential,
            purge,
            options,
        });
    }
    v
}

/// The zone input, its repairs as warnings; a missing zone names another action's variable that
/// holds one, if any.
fn read_zones(raw: &RawInputs, ctx: &RunContext, v: &mut Validated) -> Option<Vec<ZoneRef>> {
    match zone::parse(raw.get(Input::Zone)) {
        Ok((zones, warnings)) => {
            v.warnings.extend(warnings);
            Some(zones)
        }
        Err(Cause::MissingZone { .. }) => {
            let peers = ctx.peers.clone();
            v.errors.push(Cause::MissingZone { peers });
            None
        }
        Err(cause) => {
            v.errors.push(cause);
            None
        }
    }
}

/// Where the items that could be read go: a wildcard `base_url` for paths, and items (or
/// `confirm_urls`) in none of the zones. Zones given by name route offline; by ID, once their
/// names are known.
fn placed(read: &PurgeInputs, zones: Option<&[ZoneRef]>, options: Option<&Options>) -> Vec<Cause> {
    let base_url = options.and_then(|o| o.base_url.as_deref());
    let mut errors: Vec<Cause> = items::wildcard_base(read, base_url).into_iter().collect();
    if let Some(names) = zones.and_then(names) {
        let outside = items::outside_zones(read, &names, base_url);
        let confirm_urls = options.map_or(&[][..], |o| &o.confirm_urls[..]);
        errors.extend(items::with_confirm_urls(outside, confirm_urls, &names));
    }
    errors
}

/// The zones' names, when every zone was given by name.
fn names(zones: &[ZoneRef]) -> Option<Vec<&str>> {
    zones
        .iter()
        .map(|z| match z {
            ZoneRef::Name(name) => Some(name.as_str()),
            ZoneRef::Id(_) => None,
        })
        .collect()
}

/// An item (or `base_url`, which paths become items with, or a URL requested from the site:
/// `confirm_urls`, `wait_for`) that holds the credential (whole, in
/// part, in any case) or a prefixed credential: it would be sent to Cloudflare and printed as an
/// item, so it is refused before anything is sent. Percent-encoding and invisible characters do
/// not hide it.
fn credential_in_lists(
    raw: &RawInputs,
    credentials: &[String],
    purge: Option<&PurgeInputs>,
) -> Option<Cause> {
    let mut given = crate::secret::Redactor::default();
    for value in credentials {
        given.hide_credential(value);
    }
    // Item by item, not the lists copied: they may hold 100,000 items.
    let look = |input: Input, item: &str| {
        let item = revealed(item);
        let holds = if given.finds(&item) {
            "the credential given (or a part of it)"
        } else if quote::holds_prefixed(&item.to_ascii_lowercase()) {
            "something shaped like a credential (cfut_, cfat_ or cfk_)"
        } else {
            return None;
        };
        Some(Cause::CredentialInList { input, holds })
    };
    // The lists as given when they could not be read as items.
    let in_raw = || {
        [Input::Files, Input::Tags, Input::Hosts, Input::Prefixes]
            .into_iter()
            .find_map(|input| list::split_list(raw.get(input)).find_map(|i| look(input, i)))
    };
    // `confirm` requests these URLs from the site: a credential in one would be sent there.
    let confirm_urls =
        || list::split_list(raw.get(Input::ConfirmUrls)).find_map(|i| look(Input::ConfirmUrls, i));
    purge
        .map_or_else(in_raw, |purge| purge.find_line(&look))
        .or_else(|| look(Input::BaseUrl, raw.get(Input::BaseUrl)))
        .or_else(confirm_urls)
        // `wait_for` is requested from the site at every poll.
        .or_else(|| look(Input::WaitFor, raw.get(Input::WaitFor).trim()))
}

/// An item as a credential in it would be read: percent-decoded, without invisible characters.
fn revealed(item: &str) -> String {
    const INVISIBLE: [char; 6] = [
        '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{ad}',
    ];
    let decoded = percent_encoding::percent_decode_str(item).decode_utf8_lossy();
    decoded.chars().filter(|c| !INVISIBLE.contains(c)).collect()
}

/// A credential in one input and an ID in the credential's: two values pasted the wrong way round.
fn swapped(raw: &RawInputs) -> Option<Cause> {
    let token = raw.get(Input::ApiToken).trim();
    if !ids::is_hex_id(token) {
        return None;
    }
    [
        (Input::Zone, "a zone ID"),
        (Input::AccountId, "an account ID"),
    ]
    .into_iter()
    .find_map(|(input, id)| {
        let shape = quote::shape_of(raw.get(input).trim())?;
        Some(Cause::InputsSwapped {
            input,
            holds: shape,
            id,
        })
    })
}

#[cfg(test)]
mod tests;
