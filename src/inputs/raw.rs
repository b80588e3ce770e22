//! The inputs as strings, read by the table: `INPUT_*` (through envy), then the `CLOUDFLARE_*`
//! fallbacks for local runs. Empty means unset.

use std::collections::BTreeMap;

use super::table::{Input, Kind, INPUTS};
use crate::env::Env;

/// Every input as given, untrimmed, in the order of the table ("" when unset). `Debug` shows
/// credentials only by length.
#[derive(Clone)]
pub struct RawInputs {
    values: [String; INPUTS.len()],
}

impl Default for RawInputs {
    fn default() -> Self {
        RawInputs {
            values: std::array::from_fn(|_| String::new()),
        }
    }
}

impl RawInputs {
    /// Read the environment: for each input of the table, `INPUT_<NAME>`, or when that is empty its
    /// first non-empty fallback variable. The credential is taken whole from the higher level.
    pub fn read(env: &Env) -> Self {
        // envy lower-cases the names, given without the prefix: `INPUT_API_TOKEN` → `api_token`.
        // A map of strings cannot fail to deserialize from strings.
        let mut given: BTreeMap<String, String> =
            envy::from_iter(env.under("INPUT_")).unwrap_or_default();
        let mut raw = RawInputs::default();
        let mut inputs = RawInputs::default();
        for spec in INPUTS {
            let fallback = spec.fallback.iter().find_map(|name| env.get(name));
            if let Some(value) = fallback.filter(|v| !v.trim().is_empty()) {
                raw.set(spec.input, value);
            }
            if let Some(value) = given.remove(spec.name) {
                inputs.values[spec.input as usize] = value;
            }
        }
        raw.overlay(&inputs);
        raw
    }

    /// Lay a higher level's inputs over these: its non-empty values win. A credential is taken
    /// whole from the level that gives a token or a key (contract §8), so that an inherited
    /// `CLOUDFLARE_API_TOKEN` cannot beat a key given above it; only a key given without its email
    /// still takes the email from below.
    pub(crate) fn overlay(&mut self, higher: &RawInputs) {
        let given = |input| !higher.get(input).trim().is_empty();
        if given(Input::ApiToken) || given(Input::GlobalApiKey) {
            self.values[Input::ApiToken as usize].clear();
            self.values[Input::GlobalApiKey as usize].clear();
            if given(Input::ApiToken) || given(Input::Email) {
                self.values[Input::Email as usize].clear();
            }
        }
        for (mine, value) in self.values.iter_mut().zip(&higher.values) {
            if !value.trim().is_empty() {
                mine.clone_from(value);
            }
        }
    }

    pub(crate) fn set(&mut self, input: Input, value: &str) {
        self.values[input as usize] = value.to_string();
    }

    /// The value as given ("" when unset).
    pub fn get(&self, input: Input) -> &str {
        &self.values[input as usize]
    }

    /// The value, trimmed, or the declared default when it is empty.
    pub(crate) fn value(&self, input: Input) -> &str {
        match self.get(input).trim() {
            "" => input.spec().default,
            trimmed => trimmed,
        }
    }
}

impl std::fmt::Debug for RawInputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for (spec, value) in INPUTS.iter().zip(&self.values) {
            match spec.kind {
                _ if value.is_empty() => continue,
                Kind::Secret => map.entry(&spec.name, &crate::secret::Secret::new(value.clone())),
                _ => map.entry(&spec.name, value),
            };
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn inputs_win_and_local_variables_fill_the_gaps() {
        let raw = RawInputs::read(&env(&[
            ("INPUT_API_TOKEN", ""),
            ("CLOUDFLARE_API_TOKEN", "local"),
            ("INPUT_ZONE", "example.com"),
            ("CLOUDFLARE_ZONE_ID", "other"),
            ("INPUT_MODE", "  "),
        ]));
        assert_eq!(raw.get(Input::ApiToken), "local");
        assert_eq!(raw.get(Input::Zone), "example.com");
        assert_eq!(raw.value(Input::Mode), "purge");
    }

    #[test]
    fn a_credential_given_as_inputs_beats_an_inherited_one_as_a_whole() {
        let raw = RawInputs::read(&env(&[
            ("INPUT_EMAIL", "me@example.com"),
            ("INPUT_GLOBAL_API_KEY", "key-from-with"),
            ("CLOUDFLARE_API_TOKEN", "inherited-token"),
        ]));
        assert_eq!(raw.get(Input::ApiToken), "");
        assert_eq!(raw.get(Input::GlobalApiKey), "key-from-with");
        let raw = RawInputs::read(&env(&[
            ("INPUT_API_TOKEN", "token-from-with"),
            ("CLOUDFLARE_API_KEY", "inherited-key"),
            ("CLOUDFLARE_EMAIL", "me@example.com"),
        ]));
        assert_eq!(raw.get(Input::GlobalApiKey), "");
        assert_eq!(raw.get(Input::Email), "");
        // A key given without its email still finds the email below it.
        let raw = RawInputs::read(&env(&[
            ("INPUT_GLOBAL_API_KEY", "key-from-with"),
            ("CLOUDFLARE_EMAIL", "me@example.com"),
            ("CLOUDFLARE_API_TOKEN", "inherited-token"),
        ]));
        assert_eq!(raw.get(Input::Email), "me@example.com");
        assert_eq!(raw.get(Input::ApiToken), "");
    }

    #[test]
    fn the_first_fallback_that_is_set_wins() {
        let raw = RawInputs::read(&env(&[("CLOUDFLARE_ZONE", "b.example")]));
        assert_eq!(raw.get(Input::Zone), "b.example");
        let raw = RawInputs::read(&env(&[
            ("CLOUDFLARE_ZONE_ID", "a"),
            ("CLOUDFLARE_ZONE", "b"),
        ]));
        assert_eq!(raw.get(Input::Zone), "a");
    }

    #[test]
    fn every_input_of_the_table_is_read_from_its_variable() {
        let pairs: Vec<(String, String)> = INPUTS
            .iter()
            .map(|s| {
                (
                    format!("INPUT_{}", s.name.to_uppercase()),
                    format!("v-{}", s.name),
                )
            })
            .collect();
        let raw = RawInputs::read(&Env::from_pairs(pairs));
        for spec in INPUTS {
            assert_eq!(raw.get(spec.input), format!("v-{}", spec.name));
        }
    }

    #[test]
    fn debug_hides_credentials() {
        let raw = RawInputs::read(&env(&[("INPUT_API_TOKEN", "s3cr3t-value")]));
        assert!(!format!("{raw:?}").contains("s3cr3t"));
    }
}
