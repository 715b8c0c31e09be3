//! `photospicker-codegen SPEC [--surface | --discovery]`: prints the Rust that the
//! build generates for SPEC (or, with `--surface`, its public API summary; with
//! `--discovery`, the Google discovery document the emulator serves).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let surface = args.iter().any(|a| a == "--surface");
    let discovery = args.iter().any(|a| a == "--discovery");
    let Some(spec) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: photospicker-codegen SPEC.yaml [--surface | --discovery]");
        return ExitCode::from(2);
    };
    if discovery {
        return match photospicker_codegen::discovery_file(spec.as_ref()) {
            Ok(document) => {
                print!("{document}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{spec}: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let code = match photospicker_codegen::generate_file(spec.as_ref()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if surface {
        match photospicker_codegen::api_surface(&code) {
            Ok(s) => print!("{s}"),
            Err(e) => {
                eprintln!("{spec}: cannot summarise the generated code: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{code}");
    }
    ExitCode::SUCCESS
}
