//! Extra CA certificates for the API's TLS, for networks whose proxy re-signs TLS with its own CA.
//! The built-in roots (Mozilla's, compiled in) stay trusted beside them.

/// Certificates read from a PEM bundle: at least one.
#[derive(Clone)]
pub struct CaBundle(pub(super) Vec<reqwest::Certificate>);

impl CaBundle {
    /// Every `CERTIFICATE` of a PEM file; what is wrong with it otherwise.
    pub fn from_pem(pem: &[u8]) -> Result<Self, &'static str> {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|_| "it is not a PEM file of certificates")?;
        if certificates.is_empty() {
            return Err("it holds no -----BEGIN CERTIFICATE----- block");
        }
        Ok(CaBundle(certificates))
    }

    /// The builder with these certificates trusted beside the built-in roots.
    pub(crate) fn add_to(&self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        self.0
            .iter()
            .fold(builder, |b, root| b.add_root_certificate(root.clone()))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    // Read by the tests only.
    #[cfg_attr(not(feature = "docs"), allow(dead_code))]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaBundle({} certificates)", self.0.len())
    }
}
