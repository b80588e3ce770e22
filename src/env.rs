//! The run's environment as a value: read once at the edge, passed to everything that needs a
//! variable; and the bounded read of a file it names.

/// Environment variables by name. No `Debug`: the values include credentials.
#[derive(Clone, Default)]
pub struct Env {
    /// In the order given; of a name given twice, the later value counts. A run looks up a few
    /// dozen names once each: a search along the list costs less than sorting it.
    vars: Vec<(String, String)>,
}

impl Env {
    /// This process's environment (names and values that are not UTF-8 are read lossily).
    pub fn from_process() -> Self {
        // A UTF-8 string is taken as it is, not copied.
        let text = |s: std::ffi::OsString| {
            s.into_string()
                .unwrap_or_else(|s| s.to_string_lossy().into_owned())
        };
        Env::from_pairs(std::env::vars_os().map(|(k, v)| (text(k), text(v))))
    }

    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Env {
            vars: pairs.into_iter().collect(),
        }
    }

    /// The value of a variable that is set and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Whether the variable has exactly this value.
    pub(crate) fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == Some(value)
    }

    /// The variables whose names start with `prefix`, named without it, in order, for readers
    /// (envy) that take pairs (a later pair of the same name overrides an earlier one).
    pub(crate) fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (String, String)> + 'a {
        self.vars
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?.to_string(), v.clone())))
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.push((name.to_string(), value.to_string()));
    }
}

/// A whole file that the inputs or the runner name, refused past `max` bytes: a path to
/// `/dev/zero` or to a huge file must end in a message, not in the kernel's OOM killer.
pub(crate) fn read_bounded(path: &std::path::Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        let message = format!("it is larger than {} MiB", max >> 20);
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            message,
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_unset() {
        let env = Env::from_pairs([("A".into(), "".into()), ("B".into(), "1".into())]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B"), Some("1"));
        assert!(env.is("B", "1"));
        assert!(!env.is("C", ""));
    }

    #[test]
    fn under_gives_exactly_the_variables_with_the_prefix_named_without_it() {
        let env = Env::from_pairs(
            [
                "INPUT", "INPUT_A", "INPUT_B", "INPUTX", "IN", "JNPUT_A", "HOME",
            ]
            .map(|k| (k.to_string(), format!("v-{k}"))),
        );
        let pairs: Vec<(String, String)> = env.under("INPUT_").collect();
        let expected = [("A", "v-INPUT_A"), ("B", "v-INPUT_B")].map(|(k, v)| (k.into(), v.into()));
        assert_eq!(pairs, expected);
    }

    #[test]
    fn of_a_name_given_twice_the_later_value_counts() {
        let mut env = Env::from_pairs([("A".into(), "1".into()), ("A".into(), "2".into())]);
        assert_eq!(env.get("A"), Some("2"));
        env.set("A", "3");
        assert_eq!(env.get("A"), Some("3"));
        env.set("A", "");
        assert_eq!(env.get("A"), None);
    }
}
