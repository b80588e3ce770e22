//! action.yml and the README agree with the one input table and the cause catalogue.
//! Run with `BLESS=1` to rewrite the generated parts after changing the table.

use cloudflare_purge::docs;
use cloudflare_purge::test_surface::{INPUTS, OUTPUTS};

fn check_generated(file: &str, begin: &str, end: &str, body: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = docs::splice(&text, begin, end, body)
        .unwrap_or_else(|| panic!("{file} lacks the markers {begin} … {end}"));
    if std::env::var("BLESS").is_ok() {
        std::fs::write(&path, &expected).unwrap();
    } else {
        assert!(
            text == expected,
            "{file} is out of date with the code: run `BLESS=1 cargo test --test it docs`"
        );
    }
}

#[test]
fn both_action_files_declare_exactly_the_inputs_and_outputs_of_the_table() {
    check_generated("action.yml", docs::BEGIN, docs::END, &docs::action_yml_io());
    let native = "native/action.yml";
    check_generated(native, docs::BEGIN, docs::END, &docs::native_action_io());
    check_generated(native, docs::ENV_BEGIN, docs::ENV_END, &docs::native_env());
    let expected: Vec<&str> = INPUTS
        .iter()
        .map(|i| i.name)
        .chain(OUTPUTS.iter().map(|o| o.name))
        .collect();
    for file in ["action.yml", native] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
                .unwrap();
        let generated = &text[text.find(docs::BEGIN).unwrap()..text.find(docs::END).unwrap()];
        let declared: Vec<&str> = generated
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
            .map(|l| l.trim().trim_end_matches(':'))
            .collect();
        assert_eq!(declared, expected, "{file}");
    }
    // The step passes every input of the table, and nothing else, as INPUT_<NAME>.
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(native))
            .unwrap();
    let passed: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("INPUT_"))
        .map(|l| l.split(':').next().unwrap().to_lowercase())
        .collect();
    let names: Vec<String> = INPUTS.iter().map(|i| i.name.to_string()).collect();
    assert_eq!(passed, names);
}

#[test]
fn the_readme_tables_match_the_code() {
    check_generated(
        "README.md",
        docs::README_BEGIN,
        docs::README_END,
        &docs::readme_tables(),
    );
    check_generated(
        "README.md",
        docs::CAUSES_BEGIN,
        docs::README_END,
        &docs::readme_causes(),
    );
}

#[test]
fn the_code_reads_exactly_the_inputs_of_the_table() {
    // Every INPUT_<NAME> of the table is read back as its input; the reading is driven by the table.
    let env = cloudflare_purge::Env::from_pairs(INPUTS.iter().map(|i| {
        (
            format!("INPUT_{}", i.name.to_uppercase()),
            format!("value of {}", i.name),
        )
    }));
    let raw = cloudflare_purge::test_surface::RawInputs::read(&env);
    for input in INPUTS {
        assert_eq!(raw.get(input.input), format!("value of {}", input.name));
    }
}

#[test]
fn the_code_writes_exactly_the_outputs_of_the_table() {
    let report = cloudflare_purge::test_surface::Report::default();
    let written: Vec<&str> = report.outputs(None).iter().map(|(o, _)| o.name()).collect();
    let declared: Vec<&str> = OUTPUTS.iter().map(|o| o.name).collect();
    assert_eq!(written, declared);
}

/// The cause codes of contract §5, vendored: the project's own CI has no `../shared` beside the
/// clone, and the test must check the catalogue there too.
const CONTRACT_CAUSES: &str = include_str!("fixtures/contract-causes.txt");

/// The shared folder beside the clone (developer machines), or `None` where it is absent.
fn shared(file: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(file);
    std::fs::read_to_string(path).ok()
}

#[test]
fn the_contract_cause_codes_are_all_in_the_catalogue() {
    let catalogued: std::collections::BTreeSet<&str> = cloudflare_purge::test_surface::examples()
        .iter()
        .map(|c| c.code())
        .collect();
    let vendored: std::collections::BTreeSet<&str> = CONTRACT_CAUSES.lines().collect();
    assert!(
        vendored.len() >= 50,
        "the contract names {} causes",
        vendored.len()
    );
    for code in &vendored {
        assert!(
            catalogued.contains(code),
            "contract cause {code} is not in the catalogue"
        );
    }
    assert_eq!(
        catalogued, vendored,
        "the catalogue has causes the contract lacks"
    );
    // Beside the shared folder, the vendored list must be the contract's own.
    let Some(text) = shared("CONTRACT.md") else {
        return;
    };
    let section = &text[text.find("## 5. Causes").unwrap()..text.find("## 6.").unwrap()];
    let is_code =
        |c: &&str| c.contains('-') && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-');
    for code in section.split('`').skip(1).step_by(2).filter(is_code) {
        assert!(
            vendored.contains(code),
            "the contract names {code}: add it to tests/it/fixtures/contract-causes.txt"
        );
    }
    for code in &vendored {
        assert!(
            section.contains(&format!("`{code}`")),
            "{code} of tests/it/fixtures/contract-causes.txt is no longer in the contract"
        );
    }
}

#[test]
fn the_reference_bodies_fixture_is_the_shared_reference() {
    let fixture = include_str!("fixtures/observed-bodies.json");
    let bodies: serde_json::Value = serde_json::from_str(fixture).unwrap();
    assert!(
        bodies.as_array().is_some_and(|a| !a.is_empty()),
        "tests/it/fixtures/observed-bodies.json holds no bodies"
    );
    let Some(reference) = shared("reference/cloudflare-api/observed-bodies.json") else {
        return;
    };
    assert_eq!(
        fixture, reference,
        "tests/it/fixtures/observed-bodies.json drifted from the shared reference"
    );
}

#[test]
fn modules_import_only_from_the_layers_below_theirs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let layers = declared_layers(&doc);
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut Vec::new(), &mut files);
    let mut checked = 0;
    for (module, text) in &files {
        for used in used_paths(module, text) {
            // The folder both paths are in, and the two modules of it they go through.
            let common = module.iter().zip(&used).take_while(|(a, b)| a == b).count();
            let (Some(from), Some(to)) = (module.get(common), used.get(common)) else {
                continue; // A module using its own children, or its parents' items.
            };
            let folder = module[..common].join("/");
            let order = layers
                .get(&folder)
                .unwrap_or_else(|| panic!("src/{folder} has no layers in docs/architecture.md"));
            let level = |m: &str| order.get(m).copied();
            let Some(from_level) = level(from) else {
                panic!("src/{folder}/{from} is not in docs/architecture.md's layers of {folder:?}")
            };
            match level(to) {
                Some(to_level) => assert!(
                    to_level < from_level,
                    "src/{} uses {}, which is not below it",
                    module.join("/"),
                    used.join("::")
                ),
                // The top level holds only modules; inside a folder, an item of its `mod.rs`.
                None => assert!(!folder.is_empty(), "crate::{to} is in no layer"),
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} imports seen");
}

/// Each folder's modules (`""` for `src/`) and their levels, lowest first, from the "Layers"
/// section of docs/architecture.md: the numbered list for `src/`, then one line per folder,
/// `` - `inputs/`: `table`, `list` < `raw` `` with `<` between levels.
fn declared_layers(
    doc: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>> {
    let section = &doc[doc.find("## Layers").unwrap()..doc.find("## Files").unwrap()];
    let mut layers = std::collections::BTreeMap::new();
    let top: &mut std::collections::BTreeMap<String, usize> =
        layers.entry(String::new()).or_default();
    for (level, line) in section
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .enumerate()
    {
        for module in line.split('`').skip(1).step_by(2) {
            top.insert(module.to_string(), level);
        }
    }
    for line in section.lines().filter_map(|l| l.strip_prefix("- `")) {
        let (folder, order) = line.split_once("/`:").unwrap();
        let levels = layers.entry(folder.to_string()).or_default();
        for (level, group) in order.split(" < ").enumerate() {
            for module in group.split('`').skip(1).step_by(2) {
                levels.insert(module.to_string(), level);
            }
        }
    }
    layers
}

/// Every `.rs` file under `dir` as its module path (`src/inputs/items/mod.rs` is `inputs::items`)
/// and its text without the unit tests, which may use anything.
fn rust_files(dir: &std::path::Path, at: &mut Vec<String>, into: &mut Vec<(Vec<String>, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            at.push(stem);
            rust_files(&path, at, into);
            at.pop();
        } else if path.extension().is_some_and(|e| e == "rs") {
            if at.is_empty() && (stem == "lib" || stem == "main") {
                continue;
            }
            let mut module = at.clone();
            if stem != "mod" {
                module.push(stem);
            }
            if module.iter().any(|m| m == "tests") {
                continue; // unit tests, which may use anything
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            into.push((module, code.to_string()));
        }
    }
}

/// The absolute paths a module's text names: `crate::`, `super::` and `self::` paths, each name
/// of a `{…}` group on its own.
fn used_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let starts = ["crate::", "super::", "self::"];
    for (at, _) in text.char_indices() {
        let rest = &text[at..];
        let Some(start) = starts.iter().find(|s| rest.starts_with(*s)) else {
            continue;
        };
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
            continue; // `super::super::` is read from its first `super`
        }
        let mut base: Vec<String> = match *start {
            "crate::" => Vec::new(),
            "self::" => module.to_vec(),
            _ => module[..module.len().saturating_sub(1)].to_vec(),
        };
        let mut rest = &rest[start.len()..];
        while let Some(more) = rest.strip_prefix("super::") {
            base.pop();
            rest = more;
        }
        for name in first_names(rest) {
            let mut path = base.clone();
            path.push(name);
            found.push(path);
        }
    }
    found
}

/// The names a path goes on with: `a::b` is `a`, `{a, b::c}` is `a` and `b`.
fn first_names(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
    };
    let (mut depth, mut names, mut part) = (0, Vec::new(), String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => names.push(std::mem::take(&mut part)),
            _ if depth == 0 => part.push(c),
            _ => {}
        }
    }
    names.push(part);
    names
        .iter()
        .map(|p| ident(p))
        .filter(|n| !n.is_empty() && n != "self")
        .collect()
}

fn read(file: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap()
}

#[test]
fn security_md_lists_exactly_the_requests_the_action_can_send() {
    let text = read("SECURITY.md");
    let mut listed: Vec<&str> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("GET /") || s.starts_with("POST /"))
        .collect();
    listed.sort();
    listed.dedup();
    let mut requests = cloudflare_purge::test_surface::every_request();
    requests.sort();
    assert_eq!(listed, requests);
}

#[test]
fn security_md_quotes_a_message_the_action_really_writes() {
    let text = read("SECURITY.md");
    let quoted = "api_token (41 characters) has a line break inside it at position 21";
    assert!(text.contains(quoted));
    let written: Vec<String> = cloudflare_purge::test_surface::examples()
        .iter()
        .map(|c| c.seen())
        .collect();
    assert!(written.iter().any(|s| s == quoted), "{written:?}");
}

#[test]
fn every_test_the_readme_names_as_holding_a_guarantee_exists() {
    let text = read("README.md");
    let section = &text[text.find("## Security and reliability").unwrap()..];
    let section = &section[..section[3..].find("\n## ").unwrap()];
    let mut named = 0;
    for reference in section.split('`').skip(1).step_by(2) {
        let Some((file, test)) = reference.split_once("::") else {
            continue;
        };
        let source = read(&format!("tests/it/{file}"));
        assert!(
            source.contains(&format!("fn {test}(")),
            "README names {reference}, which does not exist"
        );
        named += 1;
    }
    assert!(named >= 15, "{named} tests named");
}

#[test]
fn every_readme_section_an_annotation_links_to_is_a_heading_of_the_readme() {
    // GitHub's anchor for a heading: lower case, spaces as `-`, other punctuation dropped.
    let anchors: Vec<String> = read("README.md")
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .map(|h| {
            h.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    let mut linked = 0;
    for cause in cloudflare_purge::test_surface::examples() {
        assert!(
            !cause.doc().contains("marketplace"),
            "{} links to a Marketplace page that does not exist",
            cause.code()
        );
        if let Some(anchor) = cause.doc().strip_prefix("README.md#") {
            linked += 1;
            assert!(
                anchors.iter().any(|a| a == anchor),
                "{} links to README.md#{anchor}, which is no heading of the README",
                cause.code()
            );
        }
    }
    assert!(linked > 0, "no cause links to a README section");
}
