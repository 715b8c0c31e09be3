//! The `photospicker` command (see the library crate for everything).

fn main() -> std::process::ExitCode {
    photospicker_cli::run(std::env::args_os())
}
