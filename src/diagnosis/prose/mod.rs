//! What a user reads about a cause: what was seen and what to do, for the words that need more than
//! the catalogue's line; `general.rs` holds the fixes several causes share or compose.

pub(super) mod general;
pub(super) mod offline;
pub(super) mod online;

use super::Cause;

/// A cause in words. `fix` is `None` where the catalogue's general fix applies as it is.
pub(super) struct Explained {
    pub(super) seen: String,
    pub(super) fix: Option<String>,
}

pub(super) fn seen(seen: impl Into<String>) -> Explained {
    Explained {
        seen: seen.into(),
        fix: None,
    }
}

fn seen_and_fix(seen: String, fix: String) -> Explained {
    Explained {
        seen,
        fix: Some(fix),
    }
}

impl Cause {
    /// What happened, as one sentence without its final period.
    pub fn seen(&self) -> String {
        self.entry().seen
    }

    /// What to do about it here, as whole sentences.
    pub(crate) fn fix(&self) -> String {
        self.entry().fix
    }

    /// The annotation text: what was seen, what to do, and where to read more.
    // Read by the docs renderers and the tests only.
    #[cfg_attr(not(feature = "docs"), allow(dead_code))]
    pub fn message(&self) -> String {
        self.message_at(None)
    }

    /// [`Cause::message`] with README sections linked on `home` (see [`Cause::link`]).
    pub(crate) fn message_at(&self, home: Option<&str>) -> String {
        let entry = self.entry();
        format!("{}. {} ({})", entry.seen, entry.fix, self.link(home))
    }
}
