//! No credential, nor any piece of one, leaves the action: a sweep of successful and failing runs, each
//! once as usual and once with `RUNNER_DEBUG=1`, looking in every channel the runner keeps.

use std::ops::Range;

use crate::support::*;

/// A credential input as the workflow passed it, and the part of it that is secret.
struct Given {
    input: &'static str,
    raw: String,
    /// The secret itself, a substring of `raw` (a pasted variable name or "Bearer " is not secret).
    secret: String,
    /// What the action should use after trimming and removing "Bearer " and quotes.
    cleaned: String,
}

impl Given {
    fn plain(input: &'static str, value: &str) -> Self {
        Given::pasted(input, value, value, value)
    }

    fn pasted(input: &'static str, raw: &str, secret: &str, cleaned: &str) -> Self {
        assert!(raw.contains(secret) && raw.contains(cleaned.trim()));
        Given {
            input,
            raw: raw.into(),
            secret: secret.into(),
            cleaned: cleaned.into(),
        }
    }

    /// Character range of the secret inside the raw value.
    fn secret_range(&self) -> Range<usize> {
        let byte = self.raw.find(&self.secret).unwrap();
        let start = self.raw[..byte].chars().count();
        start..start + self.secret.chars().count()
    }

    /// Every 8-character piece that would give part of the secret away: pieces of the raw value
    /// that overlap the secret, and pieces of the forms the secret takes when printed carelessly
    /// (line breaks turned into spaces, whitespace dropped, or escaped for a workflow command).
    fn pieces(&self) -> Vec<String> {
        let mut pieces = Vec::new();
        let raw: Vec<char> = self.raw.chars().collect();
        let secret = self.secret_range();
        for (start, window) in raw.windows(8).enumerate() {
            if start < secret.end && start + 8 > secret.start {
                pieces.push(window.iter().collect());
            }
        }
        let spaced: String = self
            .secret
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let joined: String = self.secret.split_whitespace().collect();
        for form in [spaced, joined, escape_data(&self.secret)] {
            let chars: Vec<char> = form.chars().collect();
            pieces.extend(chars.windows(8).map(|w| w.iter().collect::<String>()));
        }
        pieces.retain(|p: &String| p.trim().chars().count() == 8);
        pieces.sort();
        pieces.dedup();
        pieces
    }

    /// What must be registered with `::add-mask::` before anything else is printed.
    fn mask_forms(&self) -> Vec<String> {
        let mut forms = vec![
            self.raw.clone(),
            self.raw.trim().to_string(),
            self.cleaned.clone(),
        ];
        forms.extend(self.raw.lines().map(|l| l.trim().to_string()));
        forms.retain(|f| f.chars().count() >= 4);
        forms
    }
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    Ok(&'static str),
    Failed(i32, &'static str),
}

struct Scenario {
    name: &'static str,
    given: Vec<Given>,
    inputs: Vec<(&'static str, String)>,
    world: fn(&Fake),
    expect: Expect,
}

fn scenario(name: &'static str, given: Vec<Given>, world: fn(&Fake), expect: Expect) -> Scenario {
    Scenario {
        name,
        given,
        inputs: vec![("files", "https://example.com/a.css /b.js".into())],
        world,
        expect,
    }
}

fn token(value: &str) -> Vec<Given> {
    vec![Given::plain("api_token", value)]
}

fn global_key() -> Vec<Given> {
    vec![Given::plain("global_api_key", GLOBAL_KEY)]
}

fn scenarios() -> Vec<Scenario> {
    let split = format!("{}\n{}", &LEGACY_TOKEN[..20], &LEGACY_TOKEN[20..]);
    let bearer = format!("  \"Bearer {LEGACY_TOKEN}\"\n");
    let assignment = format!("CLOUDFLARE_API_TOKEN={CFUT_TOKEN}");
    let mut all = vec![
        scenario(
            "legacy user token purges",
            token(LEGACY_TOKEN),
            |f| f.add_token(LEGACY_TOKEN, Token::user()),
            Expect::Ok("purged"),
        ),
        scenario(
            "cfut_ token purges",
            token(CFUT_TOKEN),
            |f| f.add_token(CFUT_TOKEN, Token::user()),
            Expect::Ok("purged"),
        ),
        scenario(
            "cfat_ account token purges",
            token(CFAT_TOKEN),
            |f| f.add_token(CFAT_TOKEN, Token::account()),
            Expect::Ok("purged"),
        ),
        scenario(
            "email and global key purge",
            global_key(),
            |f| f.add_key(EMAIL, GLOBAL_KEY),
            Expect::Ok("purged"),
        ),
        scenario(
            "token pasted with Bearer and quotes purges",
            vec![Given::pasted(
                "api_token",
                &bearer,
                LEGACY_TOKEN,
                LEGACY_TOKEN,
            )],
            |f| f.add_token(LEGACY_TOKEN, Token::user()),
            Expect::Ok("purged"),
        ),
        scenario(
            "unknown token (1000)",
            token(LEGACY_TOKEN),
            |_| {},
            Expect::Failed(1, "token-invalid"),
        ),
        scenario(
            "IP-restricted token",
            token(CFUT_TOKEN),
            |f| {
                f.add_token(
                    CFUT_TOKEN,
                    Token {
                        ip_restricted: true,
                        ..Token::user()
                    },
                )
            },
            Expect::Failed(1, "token-ip-restricted"),
        ),
        scenario(
            "token without Cache Purge",
            token(CFUT_TOKEN),
            |f| {
                f.add_token(
                    CFUT_TOKEN,
                    Token {
                        purge: vec![],
                        ..Token::user()
                    },
                )
            },
            Expect::Failed(1, "purge-permission-missing"),
        ),
        scenario(
            "wrong global key",
            global_key(),
            |_| {},
            Expect::Failed(1, "global-key-rejected"),
        ),
        scenario(
            "line break inside the token",
            vec![Given::pasted("api_token", &split, &split, &split)],
            |_| {},
            Expect::Failed(2, "token-has-whitespace"),
        ),
        scenario(
            "global key given as token",
            token(GLOBAL_KEY),
            |_| {},
            Expect::Failed(2, "global-key-as-token"),
        ),
        scenario(
            "NAME=value line pasted",
            vec![Given::pasted(
                "api_token",
                &assignment,
                CFUT_TOKEN,
                &assignment,
            )],
            |_| {},
            Expect::Failed(2, "token-malformed"),
        ),
        scenario(
            "Cloudflare answers 502 pages",
            token(CFUT_TOKEN),
            |f| {
                f.add_token(CFUT_TOKEN, Token::user());
                f.script(|r| r.path == "/user/tokens/verify", None, Reply::html(502));
            },
            Expect::Failed(1, "cloudflare-unavailable"),
        ),
    ];
    let mut zone_not_found = scenario(
        "zone not found",
        token(CFUT_TOKEN),
        |f| f.add_token(CFUT_TOKEN, Token::user()),
        Expect::Failed(1, "zone-not-found"),
    );
    zone_not_found.inputs = vec![("zone", "nowhere.example".into()), ("tags", "blog".into())];
    all.push(zone_not_found);
    all
}

/// Debug lines look like `GET /zones/… → 200 in 3 ms`: the method, the path, the status, the time.
fn request_of_debug_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("::debug::")?;
    let (request, outcome) = rest.split_once(" → ")?;
    let (method, path) = request.split_once(' ')?;
    let (status, took) = outcome.split_once(" in ")?;
    let status_ok =
        status == "no answer" || (status.len() == 3 && status.chars().all(|c| c.is_ascii_digit()));
    let took_ok = took
        .strip_suffix(" ms")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let method_ok = ["GET", "POST"].contains(&method);
    let path_ok = path.starts_with('/') && !path.contains(char::is_whitespace);
    (status_ok && took_ok && method_ok && path_ok).then(|| (method.to_string(), path.to_string()))
}

fn check_masks_come_first(s: &Scenario, run: &Run, label: &str) {
    let lines: Vec<&str> = run.stdout.lines().collect();
    let leading = lines
        .iter()
        .take_while(|l| l.starts_with("::add-mask::"))
        .count();
    assert!(
        lines[leading..]
            .iter()
            .all(|l| !l.starts_with("::add-mask::")),
        "{label}: a mask after other output:\n{}",
        run.stdout
    );
    for given in &s.given {
        for form in given.mask_forms() {
            let line = format!("::add-mask::{}", escape_data(&form));
            assert!(
                lines[..leading].contains(&line.as_str()),
                "{label}: {} form {:?} not masked first:\n{}",
                given.input,
                form.len(),
                run.stdout
            );
        }
    }
}

fn check_no_piece_anywhere(s: &Scenario, run: &Run, label: &str) {
    let stdout: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect();
    let stdout = stdout.join("\n");
    let channels = [
        ("stdout", &stdout),
        ("stderr", &run.stderr),
        ("GITHUB_OUTPUT", &run.outputs_raw),
        ("summary", &run.summary),
    ];
    for given in &s.given {
        let pieces = given.pieces();
        assert!(pieces.len() > 20, "{label}: too few pieces to look for");
        for (channel, text) in channels {
            for piece in &pieces {
                assert!(
                    !text.contains(piece.as_str()),
                    "{label}: a piece of {} ({piece:?}) appears in {channel}:\n{text}",
                    given.input
                );
            }
        }
    }
}

fn check_debug_lines(run: &Run, fake: &Fake, debug: bool, label: &str) {
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::debug::"))
        .collect();
    if !debug {
        assert!(
            lines.is_empty(),
            "{label}: debug lines without RUNNER_DEBUG"
        );
        return;
    }
    for line in &lines {
        let lower = line.to_ascii_lowercase();
        for header in [
            "authorization",
            "bearer",
            "x-auth",
            "user-agent",
            "cloudflare-purge/",
        ] {
            assert!(!lower.contains(header), "{label}: a header in {line:?}");
        }
        assert!(!line.contains(EMAIL), "{label}: the email in {line:?}");
    }
    let mut logged: Vec<(String, String)> = lines
        .iter()
        .filter_map(|l| request_of_debug_line(l))
        .collect();
    let mut sent: Vec<(String, String)> = fake
        .received()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    logged.sort();
    sent.sort();
    assert_eq!(
        logged, sent,
        "{label}: each request has one debug line with method, path, status and time:\n{}",
        run.stdout
    );
}

#[tokio::test]
async fn no_credential_piece_reaches_any_channel_with_or_without_debug() {
    // Every scenario at once: each is a run of the binary, mostly waiting on the fake.
    let mut runs = tokio::task::JoinSet::new();
    for s in scenarios() {
        let s = std::sync::Arc::new(s);
        for debug in [false, true] {
            runs.spawn(sweep(s.clone(), debug));
        }
    }
    while let Some(done) = runs.join_next().await {
        if let Err(failed) = done {
            std::panic::resume_unwind(failed.into_panic());
        }
    }
}

async fn sweep(s: std::sync::Arc<Scenario>, debug: bool) {
    let label = format!("{} (RUNNER_DEBUG={})", s.name, u8::from(debug));
    let fake = Fake::start().await;
    (s.world)(&fake);
    let mut action = Action::new(&fake);
    for given in &s.given {
        action = action.input(given.input, &given.raw);
        if given.input == "global_api_key" {
            action = action.input("email", EMAIL);
        }
    }
    for (name, value) in &s.inputs {
        action = action.input(name, value);
    }
    if debug {
        action = action.env("RUNNER_DEBUG", "1");
    }
    let run = action.run_binary().await;
    match s.expect {
        Expect::Ok(result) => run.assert_ok(result),
        Expect::Failed(code, cause) => run.assert_failed(code, cause),
    }
    if let Expect::Failed(2, _) = s.expect {
        assert!(fake.received().is_empty(), "{label}: a request was sent");
    }
    check_masks_come_first(&s, &run, &label);
    check_no_piece_anywhere(&s, &run, &label);
    check_debug_lines(&run, &fake, debug, &label);
    if debug && !fake.received().is_empty() {
        assert!(
            run.stdout.contains("::debug::"),
            "{label}: RUNNER_DEBUG=1 showed no request:\n{}",
            run.stdout
        );
    }
}

/// A `.env` given as `files_from`: the token in a `NAME=value` line is described by its shape, in
/// every channel, as a token alone on its line is.
#[tokio::test]
async fn a_token_in_a_name_value_line_of_files_from_is_hidden() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    for line in [
        format!("CLOUDFLARE_API_TOKEN={LEGACY_TOKEN}"),
        format!("export CLOUDFLARE_API_KEY=\"{GLOBAL_KEY}\""),
        format!("token: {LEGACY_TOKEN}"),
    ] {
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .files_from(&format!("https://example.com/a.css\n{line}\n"))
            .run()
            .await;
        run.assert_failed(2, "invalid-url");
        assert!(run.error().1.contains("shaped like"), "{}", run.stdout);
        run.assert_secret_hidden(LEGACY_TOKEN);
        run.assert_secret_hidden(GLOBAL_KEY);
        run.assert_secret_hidden(CFUT_TOKEN);
    }
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &format!("CLOUDFLARE_API_TOKEN={LEGACY_TOKEN}"))
        .run()
        .await;
    run.assert_failed(2, "invalid-url");
    let mask = format!("::add-mask::{LEGACY_TOKEN}");
    assert!(run.stdout.lines().any(|l| l == mask), "{}", run.stdout);
    run.assert_secret_hidden(LEGACY_TOKEN);
    assert!(fake.received().is_empty());
}

/// A second credential input beside the token used: a key one character short, or a token given as
/// the key. Neither is sent, but each is a credential all the same: no piece of it is printed, even
/// when an answer quotes one, and an item holding a piece of it is refused before anything is sent.
#[tokio::test]
async fn a_second_credential_of_the_wrong_shape_keeps_every_piece_hidden() {
    let short_key = &GLOBAL_KEY[..GLOBAL_KEY.len() - 1];
    for key in [short_key, CFAT_TOKEN] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let quoted = format!("Invalid url {}", &key[12..24]);
        refuse_purges(&fake, &quoted);
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("global_api_key", key)
            .input("files", "https://example.com/a.css")
            .run()
            .await;
        run.assert_failed(1, "purge-rejected");
        assert!(
            run.stdout.contains("Invalid url ***"),
            "the answer is quoted, its piece hidden:\n{}",
            run.stdout
        );
        run.assert_secret_hidden(key);
        run.assert_secret_hidden(CFUT_TOKEN);

        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("global_api_key", key)
            .input("files", &format!("https://example.com/{}.css", &key[4..30]))
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        assert_eq!(run.error().0, "Credential among the items to purge");
        assert!(fake.received().is_empty(), "nothing is sent");
        run.assert_secret_hidden(key);
    }
}

/// A path is joined to the zone's name, which Cloudflare gives for a zone read by ID: a name that
/// holds a piece of the token must not print it through `failed` or the failed file, which keep
/// the items as given otherwise.
#[tokio::test]
async fn a_zone_named_with_a_piece_of_the_token_prints_no_piece_in_failed() {
    let name = format!("{}.com", CFUT_TOKEN[5..21].to_ascii_lowercase());
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let zone = zone_json(ZONE_ID, &name, "free", "active", ACCOUNT_ID);
    let body = serde_json::json!({"success": true, "errors": [], "messages": [], "result": zone});
    fake.script(
        |r| r.path == format!("/zones/{ZONE_ID}"),
        None,
        Reply::json(200, body),
    );
    refuse_purges(&fake, "no");
    // Enough paths for the failed file as well as the cut `failed` output.
    let paths: Vec<String> = (0..7000)
        .map(|i| format!("/assets/{i:04}/a-long-name.css"))
        .collect();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &paths.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    let failed = run.output("failed");
    assert!(
        failed.contains("https://***.com/assets/0000/a-long-name.css"),
        "{failed:.300}"
    );
    assert_eq!(run.output("failed_file"), "cloudflare-purge-failed.txt");
    // `.token()` looks for every piece, in any case, in every channel, the failed file included.
}

/// Every purge refused with a 400 whose message is `message` (code 1012, as Cloudflare answers a
/// URL it will not take).
fn refuse_purges(fake: &Fake, message: &str) {
    let refusal = serde_json::json!({
        "success": false,
        "errors": [{ "code": 1012, "message": message }],
        "messages": [],
        "result": null,
    });
    fake.script(
        |r| r.path.ends_with("/purge_cache"),
        None,
        Reply::json(400, refusal),
    );
}
