//! Generates the two low-level clients from the specs at every build where a
//! spec changed: editing `openapi/*.yaml` and building is all regeneration takes.

use std::path::{Path, PathBuf};

const SPECS: &[(&str, &str)] = &[
    ("spec/photospicker.v1.yaml", "picker.rs"),
    ("spec/photoslibrary.v1.yaml", "library.rs"),
];

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (spec, output) in SPECS {
        // The spec files are symlinks into the workspace's openapi/ folder (so that
        // `cargo package` carries them); watching both ends catches every edit.
        println!("cargo:rerun-if-changed={spec}");
        if let Ok(target) = std::fs::canonicalize(spec) {
            println!("cargo:rerun-if-changed={}", target.display());
        }
        let code = photospicker_codegen::generate_file(Path::new(spec))
            .unwrap_or_else(|e| panic!("{spec}: {e}"));
        std::fs::write(out_dir.join(output), code).expect("write generated client");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
