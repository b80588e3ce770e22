//! action.yml and the README agree with the one input table and the cause catalogue.
//! Run with `BLESS=1` to rewrite the generated parts after changing the table.

use cloudflare_purge::docs;
use cloudflare_purge::inputs::table::{INPUTS, OUTPUTS};

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
    let env = cloudflare_purge::env::Env::from_pairs(INPUTS.iter().map(|i| {
        (
            format!("INPUT_{}", i.name.to_uppercase()),
            format!("value of {}", i.name),
        )
    }));
    let raw = cloudflare_purge::inputs::RawInputs::read(&env);
    for input in INPUTS {
        assert_eq!(raw.get(input.input), format!("value of {}", input.name));
    }
}

#[test]
fn the_code_writes_exactly_the_outputs_of_the_table() {
    let report = cloudflare_purge::runner::Report::default();
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
    let catalogued: std::collections::BTreeSet<&str> = cloudflare_purge::diagnosis::examples()
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
    let section = &doc[doc.find("## Layers").unwrap()..doc.find("## Files").unwrap()];
    let mut layer_of = std::collections::BTreeMap::new();
    for (level, line) in section
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .enumerate()
    {
        for module in line.split('`').skip(1).step_by(2) {
            layer_of.insert(module.to_string(), level);
        }
    }
    let src = root.join("src");
    let mut checked = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let level = *layer_of
            .get(&module)
            .unwrap_or_else(|| panic!("src/{module} is not in docs/architecture.md's layers"));
        let mut text = String::new();
        read_rust(&path, &mut text);
        for used in text.split("crate::").skip(1) {
            let name: String = used
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if name == module || name.is_empty() {
                continue;
            }
            let below = layer_of.get(&name).is_some_and(|l| *l < level);
            assert!(
                below,
                "src/{module} uses crate::{name}, which is not below it"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} imports seen");
}

fn read_rust(path: &std::path::Path, into: &mut String) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            read_rust(&entry.unwrap().path(), into);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        into.push_str(&std::fs::read_to_string(path).unwrap());
    }
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
    let mut requests = cloudflare_purge::cloudflare::endpoints::every_request();
    requests.sort();
    assert_eq!(listed, requests);
}

#[test]
fn security_md_quotes_a_message_the_action_really_writes() {
    let text = read("SECURITY.md");
    let quoted = "api_token (41 characters) has a line break inside it at position 21";
    assert!(text.contains(quoted));
    let written: Vec<String> = cloudflare_purge::diagnosis::examples()
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
    for cause in cloudflare_purge::diagnosis::examples() {
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
