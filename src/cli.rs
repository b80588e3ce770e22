//! The command line (contract §8): every input of the table is a flag (`--api-token` or
//! `--api_token`), positional arguments are files, `--help` and `--version`. The flags, the help
//! text and action.yml all come from the one input table.

use std::ffi::OsString;

use lexopt::{Arg, Parser};

use crate::diagnosis::Cause;
use crate::inputs::table::{Input, InputSpec, Kind, Section, INPUTS};
use crate::inputs::RawInputs;
use crate::text::wrap;

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Help,
    Version,
    Run(Flags),
}

/// Inputs given as flags; they win over `INPUT_*` and the `CLOUDFLARE_*` variables.
#[derive(Debug, Default)]
pub struct Flags {
    given: Vec<(Input, String)>,
    /// Flags that could not be read: `invalid-input`, before anything is sent.
    pub(crate) problems: Vec<Cause>,
}

impl Flags {
    /// Lay the flags over the inputs read from the environment. A list flag given more than once,
    /// and the positional files, add up. An empty value means "not given", as an empty `INPUT_*`
    /// does: the environment's value stays. A credential given as flags wins whole.
    pub(crate) fn apply(&self, raw: &mut RawInputs) {
        let mut joined: Vec<(Input, Vec<&str>)> = Vec::new();
        for (input, value) in self.given.iter().filter(|(_, v)| !v.trim().is_empty()) {
            match joined.iter_mut().find(|(i, _)| i == input) {
                Some((_, values)) => values.push(value),
                None => joined.push((*input, vec![value])),
            }
        }
        let mut higher = RawInputs::default();
        for (input, values) in joined {
            higher.set(input, &values.join("\n"));
        }
        raw.overlay(&higher);
    }

    /// Record a flag's value; a flag of one value given twice is a problem, not a silent choice.
    fn give(&mut self, spec: &InputSpec, flag: &str, value: String) {
        let repeats = matches!(spec.kind, Kind::List | Kind::Paths);
        if !repeats && self.given.iter().any(|(i, _)| *i == spec.input) {
            self.problems.push(Cause::BadFlag {
                flag: flag.to_string(),
                problem: "is given more than once (only list flags add up)",
                closest: None,
            });
            return;
        }
        self.given.push((spec.input, value));
    }
}

/// The version line `--version` prints.
pub(crate) fn version() -> String {
    format!("cloudflare-purge {}", env!("CARGO_PKG_VERSION"))
}

/// Read the arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Command {
    let mut parser = Parser::from_args(args);
    let mut flags = Flags::default();
    loop {
        let arg = match parser.next() {
            Ok(Some(arg)) => arg,
            Ok(None) => break,
            Err(error) => {
                flags.problems.push(lexopt_problem(error));
                break;
            }
        };
        match arg {
            Arg::Short('h') | Arg::Long("help") => return Command::Help,
            Arg::Short('V') | Arg::Long("version") => return Command::Version,
            Arg::Value(file) => {
                let file = file.to_string_lossy().into_owned();
                flags.given.push((Input::Files, file));
            }
            Arg::Long(name) => {
                let name = name.to_string();
                if let Err(problem) = flag(&mut parser, &name, &mut flags) {
                    flags.problems.push(problem);
                }
            }
            Arg::Short(c) => flags.problems.push(unknown(&format!("-{c}"))),
        }
    }
    Command::Run(flags)
}

/// One `--name[=value]` or `--name value`.
fn flag(parser: &mut Parser, name: &str, flags: &mut Flags) -> Result<(), Cause> {
    let Some(spec) = spec_of(name) else {
        // Its `=value`, if any, goes with it: the flags after it are still read.
        let _ = parser.optional_value();
        return Err(unknown(&format!("--{name}")));
    };
    let value = match spec.kind {
        // A boolean may stand alone; it takes a value only after `=`. An explicitly empty one
        // (`--dry-run=$DRY` with `DRY` unset) is refused: read as "not given" it would purge for real.
        Kind::Bool => match parser.optional_value() {
            None => "true".to_string(),
            Some(v) if v.to_string_lossy().trim().is_empty() => {
                return Err(Cause::BadFlag {
                    flag: format!("--{name}"),
                    problem: "is given an empty value (write --name, --name=true or --name=false)",
                    closest: None,
                })
            }
            Some(v) => v.to_string_lossy().into_owned(),
        },
        _ => match parser.value() {
            Ok(value) => value.to_string_lossy().into_owned(),
            Err(_) => {
                return Err(Cause::BadFlag {
                    flag: format!("--{name}"),
                    problem: "needs a value (--name value or --name=value)",
                    closest: None,
                })
            }
        },
    };
    flags.give(spec, &format!("--{name}"), value);
    Ok(())
}

/// The input a flag names, spelled with `-` or `_`.
fn spec_of(name: &str) -> Option<&'static InputSpec> {
    let name = name.replace('-', "_");
    INPUTS.iter().find(|s| s.name == name)
}

fn unknown(flag: &str) -> Cause {
    Cause::BadFlag {
        flag: crate::inputs::quote::safe_quote(flag),
        problem: "is not a flag of cloudflare-purge",
        closest: closest(flag),
    }
}

fn lexopt_problem(error: lexopt::Error) -> Cause {
    let flag = match &error {
        lexopt::Error::UnexpectedValue { option, .. } => option.clone(),
        lexopt::Error::MissingValue { option } => option.clone().unwrap_or_default(),
        _ => String::new(),
    };
    Cause::BadFlag {
        flag: crate::inputs::quote::safe_quote(&flag),
        problem: "could not be read",
        closest: None,
    }
}

/// Names other tools give these flags (wrangler, curl, other purge actions).
const ALIASES: &[(&str, &str)] = &[
    ("token", "api-token"),
    ("api-key", "global-api-key"),
    ("key", "global-api-key"),
    ("zone-id", "zone"),
    ("zone-name", "zone"),
    ("account", "account-id"),
    ("all", "purge-everything"),
    ("everything", "purge-everything"),
    ("purge-all", "purge-everything"),
    ("url", "files"),
    ("urls", "files"),
    ("file", "files"),
    ("tag", "tags"),
    ("host", "hosts"),
    ("prefix", "prefixes"),
    ("cacert", "ca-certificates"),
    ("ca-cert", "ca-certificates"),
    ("ca-bundle", "ca-certificates"),
    ("verify", "mode"),
];

/// The valid flag nearest to a mistyped one (`--zoen` → `--zone`, `--ZONE` → `--zone`, `--dry` →
/// `--dry-run`, `--token` → `--api-token`), when one is near.
fn closest(flag: &str) -> Option<String> {
    let given = flag
        .trim_start_matches('-')
        .replace('_', "-")
        .to_lowercase();
    let mut names: Vec<String> = INPUTS.iter().map(|s| s.name.replace('_', "-")).collect();
    names.extend(["help".to_string(), "version".to_string()]);
    let alias = ALIASES
        .iter()
        .find(|(a, _)| *a == given)
        .map(|(_, n)| n.to_string());
    let starts: Vec<&String> = names.iter().filter(|n| n.starts_with(&given)).collect();
    let prefix = match (given.len() >= 3, starts.as_slice()) {
        (true, [only]) => Some(only.to_string()),
        _ => None,
    };
    let near = || {
        names
            .iter()
            .map(|name| (strsim::damerau_levenshtein(&given, name), name))
            .filter(|(distance, name)| *distance <= 2.max(name.len() / 3))
            .min()
            .map(|(_, name)| name.clone())
    };
    alias
        .or(prefix)
        .or_else(near)
        .map(|name| format!("--{name}"))
}

/// The help text, generated from the input table.
pub(crate) fn help() -> String {
    let paragraph = |words: &str| wrap(words, HELP_WIDTH).join("\n");
    let mut text = format!(
        "{}\n\n\
         Usage: cloudflare-purge [--<input> <value> | --<input>=<value>]... [FILE...]\n\n{}\n",
        paragraph(&format!(
            "{} — check the Cloudflare credentials, then purge the cache; when anything is \
             wrong, say the cause and the fix.",
            version()
        )),
        paragraph(
            "FILE... are more items of --files. A list flag may be given more than once; a \
             yes/no flag may stand alone (--dry-run). Every flag can also come from \
             INPUT_<NAME>, as the GitHub runner passes inputs; flags win, then INPUT_*, then the \
             CLOUDFLARE_* variables named below."
        ),
    );
    let sections = [
        (Section::Purge, "What to purge:".to_string()),
        (
            Section::Credentials,
            paragraph(
                "Credentials (pass them through the environment, e.g. CLOUDFLARE_API_TOKEN: \
                 arguments are visible to other users of the machine in `ps`):",
            ),
        ),
        (Section::Behaviour, "Behaviour:".to_string()),
    ];
    for (section, title) in sections {
        text.push_str(&format!("\n{title}\n"));
        for spec in INPUTS.iter().filter(|s| s.section == section) {
            text.push_str(&help_line(spec));
        }
    }
    text.push_str(
        "\n  -h, --help                show this help\n  -V, --version             show the version\n\n\
         Examples:\n\
         \x20 CLOUDFLARE_API_TOKEN=… cloudflare-purge --zone example.com \\\n\
         \x20     /app.css https://example.com/\n\
         \x20 CLOUDFLARE_API_TOKEN=… cloudflare-purge --zone example.com --mode verify\n\n\
         Exit status: 0 done (warnings allowed), 1 Cloudflare refused or failed, 2 the\n\
         inputs are wrong.\n",
    );
    text
}

fn help_line(spec: &InputSpec) -> String {
    let value = match spec.kind {
        Kind::Bool => "[=yes|no]",
        Kind::List => " <list>",
        Kind::Paths => " <path>",
        Kind::Number { .. } => " <n>",
        Kind::Text | Kind::Secret => " <value>",
    };
    let flag = format!("--{}{value}", spec.name.replace('_', "-"));
    let mut about = spec.about();
    if !spec.default.is_empty() {
        about.push_str(&format!(" Default: {}.", spec.default));
    }
    if spec.required {
        about.push_str(" Required.");
    }
    if !spec.fallback.is_empty() {
        about.push_str(&format!(" Also read from {}.", spec.fallback.join(" or ")));
    }
    let mut lines = wrap(&about, HELP_WIDTH - ABOUT_COLUMN).into_iter();
    let first = lines.next().unwrap_or_default();
    // A flag too long for its column takes a line of its own: flag and words never touch.
    let mut text = if flag.len() < ABOUT_COLUMN - 3 {
        format!("  {flag:<width$}{first}\n", width = ABOUT_COLUMN - 2)
    } else {
        format!("  {flag}\n{:ABOUT_COLUMN$}{first}\n", "")
    };
    for line in lines {
        text.push_str(&format!("{:ABOUT_COLUMN$}{line}\n", ""));
    }
    text
}

/// The help's width: a terminal's default, so that no line wraps where the terminal decides.
const HELP_WIDTH: usize = 80;
/// Where a flag's description starts.
const ABOUT_COLUMN: usize = 28;

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Flags {
        match parse(args.iter().map(OsString::from)) {
            Command::Run(flags) => flags,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_help_fits_80_columns_and_never_glues_a_flag_to_its_text() {
        let text = help();
        for line in text.lines() {
            assert!(line.chars().count() <= HELP_WIDTH, "too wide: {line:?}");
        }
        for spec in INPUTS {
            let flag = format!("--{}", spec.name.replace('_', "-"));
            let Some(line) = text.lines().find(|l| l.trim_start().starts_with(&flag)) else {
                panic!("help lacks {flag}:\n{text}");
            };
            // The flag with its value, then either the end of the line or two spaces at least.
            let words = line
                .trim_start()
                .split_once(' ')
                .map_or(line, |(_, rest)| rest);
            let glued = line
                .trim_start()
                .split("  ")
                .next()
                .is_some_and(|head| head.split(' ').count() > 2);
            assert!(!glued, "flag and text touch: {line:?}");
            assert!(!words.is_empty(), "{line:?}");
        }
        let line = text
            .lines()
            .find(|l| l.contains("--purge-everything"))
            .unwrap_or_default();
        assert_eq!(line.trim(), "--purge-everything[=yes|no]");
        let about = text
            .lines()
            .skip_while(|l| !l.contains("--purge-everything"))
            .nth(1)
            .unwrap_or_default();
        assert!(
            about.starts_with(&format!("{:ABOUT_COLUMN$}Purge the whole zone.", "")),
            "{about:?}"
        );
    }

    #[test]
    fn every_input_of_the_table_is_a_flag_spelled_either_way() {
        for spec in INPUTS {
            let value = if spec.kind == Kind::Bool {
                "=yes"
            } else {
                "=v"
            };
            for name in [spec.name.to_string(), spec.name.replace('_', "-")] {
                let flags = run(&[&format!("--{name}{value}")]);
                assert!(flags.problems.is_empty(), "--{name}");
                assert_eq!(flags.given[0].0, spec.input, "--{name}");
            }
            assert!(help().contains(&format!("--{}", spec.name.replace('_', "-"))));
        }
    }

    #[test]
    fn lists_add_up_and_booleans_stand_alone() {
        let flags = run(&[
            "--tags",
            "a",
            "/x.css",
            "--dry-run",
            "--tags=b",
            "https://e.com/",
        ]);
        let mut raw = RawInputs::default();
        flags.apply(&mut raw);
        assert_eq!(raw.get(Input::Tags), "a\nb");
        assert_eq!(raw.get(Input::Files), "/x.css\nhttps://e.com/");
        assert_eq!(raw.get(Input::DryRun), "true");
    }

    #[test]
    fn a_mistyped_flag_names_the_closest() {
        let flags = run(&["--zoen", "example.com"]);
        let Cause::BadFlag { closest, .. } = &flags.problems[0] else {
            panic!("{:?}", flags.problems)
        };
        assert_eq!(closest.as_deref(), Some("--zone"));
        assert_eq!(closest_of("--api-tokn"), Some("--api-token".into()));
        assert_eq!(
            closest_of("--purge_everythin"),
            Some("--purge-everything".into())
        );
        assert_eq!(closest_of("--frobnicate"), None);
        for (typo, flag) in [
            ("--ZONE", "--zone"),
            ("--dry", "--dry-run"),
            ("--token", "--api-token"),
            ("--base", "--base-url"),
            ("--timeout", "--timeout-seconds"),
            ("--ca-cert", "--ca-certificates"),
            ("--purge-all", "--purge-everything"),
            ("--api-key", "--global-api-key"),
        ] {
            assert_eq!(closest_of(typo).as_deref(), Some(flag), "{typo}");
        }
        assert!(matches!(parse([OsString::from("-h")]), Command::Help));
        assert!(matches!(
            parse([OsString::from("--version")]),
            Command::Version
        ));
    }

    #[test]
    fn zones_and_list_files_add_up_and_other_flags_may_not_repeat() {
        let flags = run(&[
            "--zone",
            "example.com",
            "--zone=shop.example",
            "--files-from",
            "a.txt",
            "--files-from=b.txt",
        ]);
        assert!(flags.problems.is_empty(), "{:?}", flags.problems);
        let mut raw = RawInputs::default();
        flags.apply(&mut raw);
        assert_eq!(raw.get(Input::Zone), "example.com\nshop.example");
        assert_eq!(raw.get(Input::FilesFrom), "a.txt\nb.txt");
        let flags = run(&["--mode", "verify", "--mode=purge"]);
        let Cause::BadFlag { flag, problem, .. } = &flags.problems[0] else {
            panic!("{:?}", flags.problems)
        };
        assert_eq!(flag, "--mode");
        assert!(problem.contains("more than once"), "{problem}");
    }

    #[test]
    fn an_unknown_flag_with_a_value_leaves_the_rest_read() {
        let flags = run(&["--bogus=1", "--zone", "example.com", "/a"]);
        assert_eq!(flags.problems.len(), 1, "{:?}", flags.problems);
        assert_eq!(flags.given.len(), 2, "{:?}", flags.given);
    }

    #[test]
    fn an_empty_flag_leaves_the_environment_value() {
        let mut raw = RawInputs::default();
        raw.set(Input::ApiToken, "from-the-environment");
        run(&["--api-token", "", "--zone="]).apply(&mut raw);
        assert_eq!(raw.get(Input::ApiToken), "from-the-environment");
        assert_eq!(raw.get(Input::Zone), "");
    }

    #[test]
    fn an_explicitly_empty_boolean_flag_is_a_problem() {
        for args in [&["--dry-run="][..], &["--purge_everything=", "/a"][..]] {
            let flags = run(args);
            let Some(Cause::BadFlag { flag, problem, .. }) = flags.problems.first() else {
                panic!("{args:?}: {:?}", flags.problems)
            };
            assert!(args[0].starts_with(flag.as_str()), "{flag}");
            assert!(problem.contains("empty"), "{problem}");
        }
        assert!(run(&["--dry-run"]).problems.is_empty());
    }

    #[test]
    fn a_credential_given_as_flags_beats_the_environment_one_as_a_whole() {
        let mut raw = RawInputs::default();
        raw.set(Input::ApiToken, "inherited-token");
        raw.set(Input::Email, "old@example.com");
        run(&["--email=me@example.com", "--global-api-key", "k"]).apply(&mut raw);
        assert_eq!(raw.get(Input::ApiToken), "");
        assert_eq!(raw.get(Input::GlobalApiKey), "k");
        assert_eq!(raw.get(Input::Email), "me@example.com");
        let mut raw = RawInputs::default();
        raw.set(Input::GlobalApiKey, "inherited-key");
        raw.set(Input::Email, "old@example.com");
        run(&["--api-token", "t"]).apply(&mut raw);
        assert_eq!(raw.get(Input::GlobalApiKey), "");
        assert_eq!(raw.get(Input::Email), "");
        assert_eq!(raw.get(Input::ApiToken), "t");
        let mut raw = RawInputs::default();
        raw.set(Input::ApiToken, "inherited-token");
        raw.set(Input::Email, "me@example.com");
        run(&["--global-api-key", "k"]).apply(&mut raw);
        assert_eq!(raw.get(Input::ApiToken), "");
        assert_eq!(raw.get(Input::Email), "me@example.com");
    }

    fn closest_of(flag: &str) -> Option<String> {
        closest(flag)
    }
}
