//! Example text pasted where a credential belongs: `YOUR-API-TOKEN`, `<token>`, `xxxx`, `${{ secrets.X }}`.

/// Whether a cleaned credential value is a placeholder, not a credential.
pub(crate) fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "token",
        "apitoken",
        "yourtoken",
        "yourapitoken",
        "yourcloudflaretoken",
        "yourcloudflareapitoken",
        "cloudflareapitoken",
        "apikey",
        "yourkey",
        "yourapikey",
        "globalapikey",
        "yourglobalapikey",
        "changeme",
        "replaceme",
        "placeholder",
        "secret",
        "mysecret",
        "todo",
        "redacted",
        "none",
        "null",
        "undefined",
        "example",
        "xxx",
        "insertyourtokenhere",
        "yourtokenhere",
        "tokenhere",
        "keyhere",
    ];
    if value.contains("${{") || value.contains("{{") || value.contains("$(") {
        return true;
    }
    if value.len() >= 3 && value.starts_with('<') && value.ends_with('>') {
        return true;
    }
    let mut chars = value.chars();
    let first = chars.next();
    let one_char_repeated = value.chars().count() >= 3 && chars.all(|c| Some(c) == first);
    let letters = || {
        let alphanumeric = value.chars().filter(char::is_ascii_alphanumeric);
        alphanumeric.map(|c| c.to_ascii_lowercase())
    };
    let count = letters().count();
    let x_run = count >= 3 && letters().all(|c| c == 'x');
    if one_char_repeated || x_run {
        return true;
    }
    // Every word, and every `your…` or `insert…` example, has fewer than 40 letters: a credential
    // (40 or more) needs no copy made.
    if count >= 40 {
        return false;
    }
    let letters: String = letters().collect();
    WORDS.contains(&letters.as_str())
        || letters.starts_with("your")
        || letters.starts_with("insert")
}
