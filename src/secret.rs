//! A secret string: handed out where the value is needed, never shown by `Debug`; and the redactor
//! that keeps any credential, or any 8-character piece of one in any case, out of printed text.

use std::borrow::Cow;

/// A credential or any value that must not be printed. `Debug` shows its length only.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for a request header or a mask — nowhere else.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} characters>", self.0.chars().count())
    }
}

/// Pieces of a credential this long, in any case, are redacted: a message that quotes part of a
/// token (its start, its end, or the token lower-cased) gives no usable part of it away.
pub(crate) const PIECE: usize = 8;

/// What printed text must not hold: whole values (anything masked), and credentials, of which every
/// piece of [`PIECE`] characters is hidden too. Matching ignores ASCII case.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Every value hidden, and whether its pieces find it already (a credential of a piece or
    /// more: wherever it stands whole, its pieces stand too, and their spans merge into its own).
    whole: Vec<(Vec<u8>, bool)>,
    /// The credentials, lower-cased: every window of [`PIECE`] bytes of one is a piece.
    credentials: Vec<Vec<u8>>,
    /// One bit for each piece's hash ([`FILTER_WORDS`] words once there is a piece): a window of
    /// printed text whose bit is clear is no piece; the few let through are looked for in the
    /// credentials.
    filter: Vec<u64>,
    /// One bit for each hash of a [`GRAM`] of the credentials (as many words): every piece holds a
    /// gram that starts at a multiple of [`GRAM`] in the text, so only those are looked up, and
    /// only around one that is found are the pieces' windows read.
    grams: Vec<u64>,
}

/// The filters' size in 64-bit words: 4,096 bits, of which a credential sets about 45 in each.
const FILTER_WORDS: usize = 64;

/// A gram's length: a window of [`PIECE`] bytes holds one that starts at a multiple of it.
const GRAM: usize = 4;

impl Redactor {
    /// Hide this value wherever it stands whole; `false` when it was hidden already.
    pub(crate) fn hide(&mut self, value: &str) -> bool {
        let value = value.as_bytes().to_ascii_lowercase();
        let new = !value.is_empty() && !self.whole.iter().any(|(v, _)| *v == value);
        if new {
            self.whole.push((value, false));
        }
        new
    }

    /// Hide this credential and every piece of it; `false` when it was hidden whole already.
    pub(crate) fn hide_credential(&mut self, credential: &str) -> bool {
        let new = self.hide(credential);
        let bytes = credential.as_bytes().to_ascii_lowercase();
        if bytes.len() >= PIECE {
            self.filter.resize(FILTER_WORDS, 0);
            self.grams.resize(FILTER_WORDS, 0);
            for piece in bytes.windows(PIECE).filter_map(piece) {
                let (word, bit) = filter_bit(piece);
                self.filter[word] |= bit;
            }
            for gram in bytes.windows(GRAM).filter_map(gram) {
                let (word, bit) = filter_bit(gram);
                self.grams[word] |= bit;
            }
            for (value, by_pieces) in &mut self.whole {
                *by_pieces |= *value == bytes;
            }
            self.credentials.push(bytes);
        }
        new
    }

    /// Whether `text` holds anything hidden.
    pub(crate) fn finds(&self, text: &str) -> bool {
        !self.spans(text.as_bytes()).is_empty()
    }

    /// `text` with everything hidden replaced by `***`, as the runner's log masker writes it.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        replace(text, self.spans(text.as_bytes()))
    }

    /// `text` with every piece of a credential replaced by `***`, and nothing else: for the items
    /// written back (`failed`), which must stay as given to be fed back (a value masked whole may
    /// be a hash in a path), yet can hold a piece of a credential through the zone's name a path
    /// was joined to.
    pub(crate) fn redact_pieces<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut found = Vec::new();
        if !self.credentials.is_empty() {
            self.find_pieces(text.as_bytes(), &mut found);
        }
        replace(text, merge(found))
    }

    /// The byte ranges to hide, merged where they touch, in order.
    fn spans(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (value, _) in self.whole.iter().filter(|(_, by_pieces)| !by_pieces) {
            found.extend(find_all(text, value).map(|i| (i, i + value.len())));
        }
        if !self.credentials.is_empty() {
            self.find_pieces(text, &mut found);
        }
        merge(found)
    }
}

/// Byte ranges in order, merged where they touch.
fn merge(mut found: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    if found.is_empty() {
        return found;
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    for (start, end) in found {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// `text` with each of `spans` (merged, in order) replaced by `***`; no copy when there is none.
fn replace(text: &str, spans: Vec<(usize, usize)>) -> Cow<'_, str> {
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        // A span can start or end inside a character only where a value was not ASCII.
        let (start, end) = (floor(text, start.max(at)), ceil(text, end));
        out.push_str(&text[at..start]);
        out.push_str("***");
        at = end.max(at);
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

impl Redactor {
    /// Every piece in `text`, as the span it covers, in order. A piece at `start` holds the gram
    /// at the first multiple of [`GRAM`] from `start` on: the grams there are looked up in their
    /// filter, and a gram found at `at` has the windows starting from `at + GRAM - PIECE` to `at`
    /// read whole, lower-cased.
    fn find_pieces(&self, text: &[u8], found: &mut Vec<(usize, usize)>) {
        let Some(starts) = text.len().checked_sub(PIECE) else {
            return;
        };
        // The first start not read yet: the windows of two grams found next to each other overlap.
        let mut next = 0;
        for (i, chunk) in text.chunks_exact(GRAM).enumerate() {
            let Some(gram) = gram(chunk).map(lower) else {
                continue;
            };
            let (word, bit) = filter_bit(gram);
            if self.grams.get(word).is_none_or(|w| w & bit == 0) {
                continue;
            }
            let at = i * GRAM;
            let first = (at + GRAM).saturating_sub(PIECE).max(next);
            let last = at.min(starts);
            for start in first..=last {
                let window = piece(&text[start..start + PIECE]).map(lower);
                if window.is_some_and(|w| self.is_piece(w)) {
                    found.push((start, start + PIECE));
                }
            }
            next = next.max(last + 1);
        }
    }

    /// Whether 8 bytes read as one number are a piece: the filter first, then the credentials.
    fn is_piece(&self, window: u64) -> bool {
        let (word, bit) = filter_bit(window);
        let of = |credential: &Vec<u8>| credential.windows(PIECE).any(|w| piece(w) == Some(window));
        self.filter.get(word).is_some_and(|w| w & bit != 0) && self.credentials.iter().any(of)
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} values hidden>", self.whole.len())
    }
}

/// A piece's place in the filter, a word and one bit of it: the top 12 bits of one multiplication.
fn filter_bit(piece: u64) -> (usize, u64) {
    let bit = piece.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52;
    ((bit >> 6) as usize, 1 << (bit & 63))
}

/// A piece's bytes as one number.
fn piece(window: &[u8]) -> Option<u64> {
    let bytes: [u8; PIECE] = window.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// A gram's bytes as one number.
fn gram(window: &[u8]) -> Option<u64> {
    let bytes: [u8; GRAM] = window.try_into().ok()?;
    Some(u64::from(u32::from_le_bytes(bytes)))
}

/// The bytes of `x` with each ASCII capital lower-cased, all eight at once: a byte's top bit is set
/// in `capital` when its low seven bits are from `A` on and not past `Z` and the byte is ASCII.
fn lower(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = x & (0x7f * ONES);
    let from_a = low + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low + (0x80 - u64::from(b'Z') - 1) * ONES;
    let capital = from_a & !past_z & !x & (0x80 * ONES);
    x | (capital >> 2)
}

/// Where `value` (lower-case) stands in `text`, in any case.
fn find_all<'a>(text: &'a [u8], value: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    text.windows(value.len())
        .enumerate()
        .filter(move |(_, w)| w.eq_ignore_ascii_case(value))
        .map(|(i, _)| i)
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_is_hidden_whole_in_pieces_and_in_any_case() {
        let token = "GOODTOKENgoodtoken0123456789abcdefghijkl";
        let mut r = Redactor::default();
        r.hide_credential(token);
        r.hide("other-secret");
        assert_eq!(r.redact(&format!("a {token} b")), "a *** b");
        assert_eq!(
            r.redact("starts GOODTOKENg ends defghijkl"),
            "starts *** ends ***"
        );
        assert_eq!(r.redact(&token.to_lowercase()), "***");
        assert_eq!(r.redact("x OTHER-SECRET y"), "x *** y");
        // Seven characters are not a piece; unrelated text stays.
        assert_eq!(r.redact("GOODTOK and 0123456"), "GOODTOK and 0123456");
        assert!(!r.finds("nothing here"));
        // Items keep what is masked whole; a piece of the credential goes.
        assert_eq!(
            r.redact_pieces("https://goodtokeng.example/other-secret"),
            "https://***.example/other-secret"
        );
        assert_eq!(r.redact("é GOODTOKEN é"), "é *** é");
        let mut odd = Redactor::default();
        odd.hide("éé");
        assert_eq!(odd.redact("aééb"), "a***b");
    }

    #[test]
    fn a_credential_hidden_whole_first_or_too_short_for_a_piece_is_still_found_whole() {
        let token = "Abcdefgh12345678";
        let mut r = Redactor::default();
        assert!(r.hide(token));
        assert!(!r.hide_credential(token), "hidden whole already");
        assert_eq!(r.redact(&format!("<{token}>")), "<***>");
        assert_eq!(r.redact("x 12345678 y"), "x *** y", "its pieces too");
        let mut short = Redactor::default();
        short.hide_credential("Ab3");
        assert_eq!(short.redact("xAB3y"), "x***y");
    }

    #[test]
    fn the_grams_find_what_every_window_compared_finds() {
        let token = "cfut_Qm4Rz8Tw2Yx6Vb1Nc5Hd9Jf3Gs7Ka0Pe4Lm8Ui2O1a2b3c4d";
        let mut r = Redactor::default();
        r.hide_credential(token);
        let lower = token.to_ascii_lowercase();
        let naive = |text: &str| -> Vec<usize> {
            let bytes = text.as_bytes().to_ascii_lowercase();
            let windows = bytes.windows(PIECE).enumerate();
            let hidden = |w: &[u8]| lower.as_bytes().windows(PIECE).any(|p| p == w);
            windows
                .filter(|(_, w)| hidden(w))
                .map(|(i, _)| i + PIECE)
                .collect()
        };
        let alphabet: Vec<char> = "cfut_QmRz48é ab-CF".chars().collect();
        let mut rng = fastrand::Rng::with_seed(22);
        for _ in 0..3000 {
            let mut text: String = (0..rng.usize(0..40))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let (from, len) = (rng.usize(..40), rng.usize(0..14));
            let at = text.char_indices().map(|(i, _)| i).nth(rng.usize(0..40));
            text.insert_str(at.unwrap_or(text.len()), &token[from..from + len]);
            let mut found = Vec::new();
            r.find_pieces(text.as_bytes(), &mut found);
            let ends: Vec<usize> = found.iter().map(|(_, end)| *end).collect();
            assert_eq!(ends, naive(&text), "{text:?}");
        }
    }

    #[test]
    fn lower_is_to_ascii_lowercase_for_every_byte_in_every_place() {
        for byte in 0..=u8::MAX {
            for place in 0..8 {
                let mut bytes = *b"aZ\xff@[`{0";
                bytes[place] = byte;
                let expected = u64::from_le_bytes(bytes.map(|b| b.to_ascii_lowercase()));
                assert_eq!(
                    lower(u64::from_le_bytes(bytes)),
                    expected,
                    "{byte:#x} at {place}"
                );
            }
        }
    }

    #[test]
    fn debug_shows_only_the_length() {
        let s = Secret::new("s3cr3t-value");
        assert_eq!(format!("{s:?}"), "<12 characters>");
        assert_eq!(s.expose(), "s3cr3t-value");
    }
}
