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
    let letters: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut chars = value.chars();
    let first = chars.next();
    let one_char_repeated = value.chars().count() >= 3 && chars.all(|c| Some(c) == first);
    let x_run = letters.len() >= 3 && letters.chars().all(|c| c == 'x');
    one_char_repeated
        || x_run
        || WORDS.contains(&letters.as_str())
        || (letters.starts_with("your") && letters.len() < 40)
        || (letters.starts_with("insert") && letters.len() < 40)
}
