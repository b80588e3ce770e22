//! A secret string: handed out where the value is needed, never shown by `Debug`.

/// A credential or any value that must not be printed. `Debug` shows its length only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for a request header or a mask — nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} characters>", self.0.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_only_the_length() {
        let s = Secret::new("s3cr3t-value");
        assert_eq!(format!("{s:?}"), "<12 characters>");
        assert_eq!(s.expose(), "s3cr3t-value");
    }
}
