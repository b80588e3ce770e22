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
    pub zone: ZoneRef,
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
    let zone = match zone::parse(raw.get(Input::Zone)) {
        Ok((zone, warning)) => {
            v.warnings.extend(warning);
            Some(zone)
        }
        Err(cause) => {
            v.errors.push(cause);
            None
        }
    };
    let (credential, repaired) = credential::read(raw, ctx);
    v.warnings.extend(repaired);
    let credential = credential.map_err(|e| v.errors.extend(e)).ok();
    let options = options::read(raw, &mut v.errors);
    let mode = options.as_ref().map(|o| o.mode);
    let purge = items::read(raw, ctx, mode)
        .map_err(|e| v.errors.push(e))
        .ok();
    if let (Some(ZoneRef::Name(name)), Some(purge)) = (&zone, &purge) {
        let base_url = options.as_ref().and_then(|o| o.base_url.as_deref());
        v.errors
            .extend(items::outside_zone(&purge.files, name, base_url));
    }
    if let (true, Some(zone), Some(credential), Some(purge), Some(options)) =
        (v.errors.is_empty(), zone, credential, purge, options)
    {
        v.settings = Some(Settings {
            zone,
            credential,
            purge,
            options,
        });
    }
    v
}
