//! The longest runs: a megabyte list, and 100,000 items through the binary, planned in full.
//! Kept apart under a name that sorts first: libtest starts tests in name order, as many at once
//! as there are cores, and these two, started first, overlap the many short tests instead of
//! running alone at the end of the suite.

use crate::support::*;

pub(crate) fn urls(n: usize, host: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://{host}/assets/{i:06}/style.css"))
        .collect()
}

/// `request 3: 100 URLs (first … last)` lines of a dry run: the item count of each request.
fn planned_counts(stdout: &str) -> Vec<usize> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("request "))
        .filter_map(|l| l.split_once(": "))
        .map(|(_, rest)| {
            rest.split(' ')
                .next()
                .unwrap()
                .replace(',', "")
                .parse()
                .unwrap()
        })
        .collect()
}

pub(crate) async fn user_fake() -> Fake {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake
}

#[tokio::test]
async fn a_megabyte_files_from_list_is_planned_in_full() {
    let fake = user_fake().await;
    let mut list = String::new();
    let mut n = 0;
    while list.len() < 1 << 20 {
        list.push_str(&format!("https://example.com/assets/{n:06}/style.css\n"));
        n += 1;
    }
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files_from", "urls.txt")
        .input("dry_run", "true")
        .workspace_file("urls.txt", &list)
        .run()
        .await;
    run.assert_ok("planned");
    let counts = planned_counts(&run.stdout);
    assert_eq!(counts.iter().sum::<usize>(), n, "{}", run.stdout);
    assert_eq!(counts.len(), n.div_ceil(100));
    assert!(counts.iter().all(|c| *c <= 100));
    assert!(fake.purges().is_empty());
}

/// Run the binary as the runner would, with the data segment (heap) capped at `data_kib`:
/// an action that needs more memory than that is killed (allocation failure aborts).
fn run_capped(env: &[(String, String)], data_kib: u64) -> (i32, String) {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -d \"$1\" && exec \"$0\"")
        .arg(env!("CARGO_BIN_EXE_cloudflare-purge"))
        .arg(data_kib.to_string())
        .env_clear()
        .envs(env.iter().cloned())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn capped_env(fake: &Fake, dir: &std::path::Path, n: usize) -> Vec<(String, String)> {
    let list = dir.join(format!("urls-{n}.txt"));
    std::fs::write(&list, urls(n, ENT_ZONE_NAME).join("\n")).unwrap();
    let output = dir.join(format!("output-{n}"));
    [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_OUTPUT", &output.display().to_string()),
        ("INPUT_ZONE", ENT_ZONE_ID),
        ("INPUT_API_TOKEN", CFUT_TOKEN),
        ("INPUT_FILES_FROM", &list.display().to_string()),
        ("INPUT_DRY_RUN", "true"),
        ("INPUT_API_URL", &fake.api_url()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn a_hundred_thousand_items_are_all_planned_within_bounded_memory() {
    let fake = user_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let many = capped_env(&fake, dir.path(), 100_000);
    let few = capped_env(&fake, dir.path(), 1_000);
    // The one long run (five seconds of a debug build planning 100,000 items): the bound is the
    // binary's, under `ulimit`, so it cannot move in-process, and a shorter list would not show it.
    // The two 8 MiB runs take a tenth of a second: the 100,000-item one dies at its first 4 MiB
    // allocation, its list being read.
    let (code, stdout) = {
        let env = many.clone();
        // The list is 4.4 MB and the run needs about 18 MiB; 64 MiB leaves room, not a copy per item.
        tokio::task::spawn_blocking(move || run_capped(&env, 64 * 1024))
            .await
            .unwrap()
    };
    assert_eq!(code, 0, "{stdout}");
    let counts = planned_counts(&stdout);
    assert_eq!(counts.iter().sum::<usize>(), 100_000);
    assert_eq!(counts.len(), 200, "Enterprise batches of 500");
    let output = many
        .iter()
        .find(|(k, _)| k == "GITHUB_OUTPUT")
        .unwrap()
        .1
        .clone();
    let outputs = parse_outputs(&std::fs::read_to_string(output).unwrap());
    assert_eq!(outputs["result"], "planned");
    assert!(fake.purges().is_empty());
    // The cap measures the list: 8 MiB carries 1,000 items but not 100,000.
    let (few_code, few_out) = tokio::task::spawn_blocking(move || run_capped(&few, 8 * 1024))
        .await
        .unwrap();
    assert_eq!(few_code, 0, "{few_out}");
    let (code, _) = tokio::task::spawn_blocking(move || run_capped(&many, 8 * 1024))
        .await
        .unwrap();
    assert_ne!(code, 0, "the memory cap does not bite");
}
