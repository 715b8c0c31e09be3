//! Build-time generation of photospicker's low-level client.
//!
//! One place holds the project's progenitor settings so that the api crate's
//! `build.rs`, the `photospicker-codegen` command and the tests generate the
//! same code from a spec. It also turns a spec into the Google discovery
//! document the emulator serves, so discovery-based clients see the same API.

mod discovery;
mod settings;
mod surface;
mod validate;

use std::fmt;
use std::path::Path;

pub use discovery::{discovery_document, root_url};
pub use surface::api_surface;
pub use validate::validate;

/// Why a spec could not be turned into Rust.
#[derive(Debug)]
pub enum CodegenError {
    /// The spec file could not be read.
    Io(std::io::Error),
    /// The spec is not a well-formed OpenAPI 3.0 document.
    Parse(String),
    /// The spec is well-formed but breaks a rule the generator depends on.
    Invalid(Vec<String>),
    /// progenitor rejected the spec.
    Generate(String),
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read the spec: {e}"),
            Self::Parse(e) => write!(f, "the spec is not valid OpenAPI 3.0: {e}"),
            Self::Invalid(problems) => write!(f, "the spec breaks generator rules: {}", problems.join("; ")),
            Self::Generate(e) => write!(f, "progenitor failed: {e}"),
        }
    }
}

impl std::error::Error for CodegenError {}

/// Parses a spec from YAML or JSON text.
pub fn parse(text: &str) -> Result<openapiv3::OpenAPI, CodegenError> {
    serde_yaml::from_str(text).map_err(|e| CodegenError::Parse(e.to_string()))
}

/// Loads, checks and generates the client for the spec at `path`, as formatted Rust.
pub fn generate_file(path: &Path) -> Result<String, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(CodegenError::Io)?;
    generate(&text)
}

/// Checks a spec given as text and generates its client as formatted Rust.
pub fn generate(text: &str) -> Result<String, CodegenError> {
    let spec = parse(text)?;
    validate(&spec).map_err(CodegenError::Invalid)?;
    let mut generator = progenitor::Generator::new(&settings::generation_settings());
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| CodegenError::Generate(e.to_string()))?;
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| CodegenError::Generate(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Loads and checks the spec at `path` and returns its Google discovery document
/// as pretty-printed JSON.
pub fn discovery_file(path: &Path) -> Result<String, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(CodegenError::Io)?;
    discovery(&text)
}

/// Checks a spec given as text and returns its discovery document as pretty-printed JSON.
pub fn discovery(text: &str) -> Result<String, CodegenError> {
    let spec = parse(text)?;
    validate(&spec).map_err(CodegenError::Invalid)?;
    let document = discovery_document(&spec).map_err(CodegenError::Invalid)?;
    Ok(serde_json::to_string_pretty(&document).expect("JSON values always serialise") + "\n")
}
