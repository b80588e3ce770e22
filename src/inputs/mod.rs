//! The inputs: the table reads raw strings, which become validated settings; every offline cause is
//! decided here.

pub mod context;
pub mod credential;
pub mod items;
pub mod options;
pub mod raw;
pub mod table;
pub mod zone;

pub use context::RunContext;
pub use credential::{Credential, Shape};
pub use items::{FileItem, FileTarget, PurgeInputs};
pub use options::{Mode, Options};
pub use raw::RawInputs;
pub use table::Input;
pub use zone::ZoneRef;

use crate::diagnosis::Cause;

/// Validated settings: everything the online part needs, nothing left to parse.
#[derive(Debug, Clone)]
pub struct Settings {
    /// At least one; each once, in the order given.
    pub zones: Vec<ZoneRef>,
    pub credential: Credential,
    pub purge: PurgeInputs,
    pub options: Options,
}

/// The outcome of the offline checks: settings when no error was found.
#[derive(Debug, Default)]
pub struct Validated {
    pub settings: Option<Settings>,
    pub errors: Vec<Cause>,
    pub warnings: Vec<Cause>,
}

/// Check every input offline, reporting every problem found.
pub fn validate(raw: &RawInputs, ctx: &RunContext) -> Validated {
    let mut v = Validated::default();
    if let Some(swap) = swapped(raw) {
        // Reported as a swap, not as two inputs of the wrong shape.
        v.errors.push(swap);
        return v;
    }
    let zones = match zone::parse(raw.get(Input::Zone)) {
        Ok((zones, warnings)) => {
            v.warnings.extend(warnings);
            Some(zones)
        }
        Err(cause) => {
            v.errors.push(cause);
            None
        }
    };
    let (credential, repaired) = credential::read(raw, ctx);
    v.warnings.extend(repaired);
    let credential = credential.map_err(|e| v.errors.extend(e)).ok();
    let options = options::read(raw, ctx, &mut v.errors);
    let mode = options.as_ref().map(|o| o.mode);
    let (purge, repaired) = items::read(raw, ctx, mode);
    v.warnings.extend(repaired);
    let purge = purge.map_err(|e| v.errors.extend(e)).ok();
    v.errors
        .extend(purge.as_ref().and_then(|p| credential_in_lists(raw, p)));
    let base_url = options.as_ref().and_then(|o| o.base_url.as_deref());
    if let Some(purge) = &purge {
        v.errors.extend(items::wildcard_base(purge, base_url));
    }
    if let (Some(names), Some(purge)) = (zones.as_deref().and_then(names), &purge) {
        // Zones given by name route offline; by ID, once their names are known.
        v.errors
            .extend(items::outside_zones(purge, &names, base_url));
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

/// An item (or `base_url`, which paths become items with) that holds the credential (whole, in
/// part, in any case) or a prefixed credential: it would be sent to Cloudflare and printed as an
/// item, so it is refused before anything is sent. Percent-encoding and invisible characters do
/// not hide it.
fn credential_in_lists(raw: &RawInputs, purge: &PurgeInputs) -> Option<Cause> {
    let mut given = crate::secret::Redactor::default();
    for value in credential::credentials(raw) {
        given.hide_credential(&value);
    }
    // Item by item, not the lists copied: they may hold 100,000 items.
    let look = |input: Input, item: &str| {
        let item = revealed(item);
        let holds = if given.finds(&item) {
            "the credential given (or a part of it)"
        } else if credential::holds_prefixed(&item.to_ascii_lowercase()) {
            "something shaped like a credential (cfut_, cfat_ or cfk_)"
        } else {
            return None;
        };
        Some(Cause::CredentialInList { input, holds })
    };
    purge
        .find_line(&look)
        .or_else(|| look(Input::BaseUrl, raw.get(Input::BaseUrl)))
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
    if !zone::is_hex_id(token) {
        return None;
    }
    [
        (Input::Zone, "a zone ID"),
        (Input::AccountId, "an account ID"),
    ]
    .into_iter()
    .find_map(|(input, id)| {
        let shape = credential::shape_of(raw.get(input).trim())?;
        Some(Cause::InputsSwapped {
            input,
            holds: shape,
            id,
        })
    })
}
