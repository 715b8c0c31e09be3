//! One file per subcommand.

pub mod auth;
pub mod demo;
pub mod download;
pub mod emulator;
pub mod items;
pub mod pick;
pub mod session;
