//! The command line: every subcommand, option and help text (clap derive).

use crate::exit::EXIT_CODES_HELP;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "photospicker",
    version,
    about = "Pick photos and videos from Google Photos in a terminal and find them on disk.",
    long_about = "Pick photos and videos from Google Photos in a terminal and find them on disk.\n\n\
                  Try it without a Google account: `photospicker demo`.",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// An OAuth access token with the photospicker.mediaitems.readonly scope.
    #[arg(long, env = "PHOTOSPICKER_TOKEN", global = true, hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The Picker API's base URL, e.g. an emulator's http://127.0.0.1:PORT
    /// (default: Google's; PHOTOSPICKER_EMULATOR_HOST=host:port also points at an emulator).
    #[arg(long, env = "PHOTOSPICKER_BASE_URL", global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print one JSON object per line (events, results, errors) instead of the interactive display.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a session, show its link and QR code, wait for your pick, download the files with a manifest, delete the session.
    #[command(after_help = EXIT_CODES_HELP)]
    Pick(PickArgs),
    /// Step by step, for scripts: create, read, wait for and delete picking sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Step by step, for scripts: list the items picked in a session.
    #[command(subcommand)]
    Items(ItemsCommand),
    /// Step by step, for scripts: download picked items from a saved listing, a manifest, or a live session.
    #[command(after_help = EXIT_CODES_HELP)]
    Download(DownloadArgs),
    /// The whole pick flow against a local emulator: a simulated user picks a few photos and a video, or you pick on its page.
    #[command(after_help = EXIT_CODES_HELP)]
    Demo(DemoArgs),
    /// Run the emulator of Google's service in the foreground; prints its URLs and a ready user token.
    Emulator(EmulatorArgs),
    /// Log in to Google (or to the emulator when PHOTOSPICKER_EMULATOR_HOST is set) and keep the login for later commands.
    #[command(subcommand)]
    Auth(AuthCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Log in with your browser (it comes back to this machine), or with --device on a TV or over SSH.
    #[command(after_help = EXIT_CODES_HELP)]
    Login {
        /// Your OAuth client's JSON from the Google Cloud console (a Desktop app client; TVs and Limited Input devices for --device).
        /// Default: $PHOTOSPICKER_CLIENT_SECRETS, then client_secret.json in photospicker's config directory.
        #[arg(long, value_name = "FILE")]
        client_secrets: Option<PathBuf>,
        /// The device flow: open a link on any device and type the code shown here.
        #[arg(long)]
        device: bool,
    },
    /// Who is logged in, with which scopes, and where the login is kept (never the token itself).
    Status,
    /// Revoke the stored login at Google and delete it.
    Logout,
}

/// How photos are sized (videos always come whole).
#[derive(Debug, Clone, Default, Args)]
pub struct SizeArgs {
    /// Scale photos to fit within WIDTHxHEIGHT, e.g. 2048x2048 (videos are downloaded whole).
    #[arg(long, value_name = "WxH", value_parser = parse_size, conflicts_with = "original")]
    pub size: Option<(u32, u32)>,
    /// With --size: crop photos to exactly WIDTHxHEIGHT.
    #[arg(long, requires = "size")]
    pub crop: bool,
    /// Download the original bytes (the default).
    #[arg(long)]
    pub original: bool,
}

#[derive(Debug, Clone, Args)]
pub struct PickArgs {
    /// The directory the files and manifest.json go to (created if needed; nothing in it is overwritten).
    #[arg(long, short, default_value = "picked-photos", value_name = "DIR")]
    pub out: PathBuf,
    /// The most items you may pick (1 to 2000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=2000))]
    pub max: Option<i64>,
    #[command(flatten)]
    pub size: SizeArgs,
    /// Stop waiting for the pick after this many seconds (default: as long as Google waits).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Print the requests the flow would send, and send none.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Create a session and print its id and link (and a QR code).
    Create {
        /// The most items the user may pick (1 to 2000).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=2000))]
        max: Option<i64>,
        /// A UUID for the streamlined flow of TVs and other limited-input devices.
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
        /// Print the request instead of sending it.
        #[arg(long)]
        dry_run: bool,
    },
    /// Read a session once.
    Get { session_id: String },
    /// Wait until the user has picked (polling at the interval Google asks for).
    Wait {
        session_id: String,
        /// Stop waiting after this many seconds (default: as long as Google waits).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
    },
    /// Delete a session (do it as soon as the files are downloaded).
    Delete {
        session_id: String,
        /// Print the request instead of sending it.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ItemsCommand {
    /// List picked items: one page, or every page with --all. With --json the
    /// answer is Google's `{"mediaItems": [...]}`, ready to save for `photospicker download --from`.
    List {
        session_id: String,
        /// Follow every page.
        #[arg(long)]
        all: bool,
        /// Items per page (up to 100).
        #[arg(long, value_name = "N")]
        page_size: Option<u32>,
        /// Start at this page.
        #[arg(long, value_name = "TOKEN")]
        page_token: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// Ids of the items to download (default: every item of the listing or session).
    #[arg(value_name = "ITEM")]
    pub items: Vec<String>,
    /// A saved listing (`photospicker items list --all --json > items.json`), or a
    /// manifest.json of a session that is still alive (its items are listed again).
    #[arg(long, value_name = "FILE", conflicts_with = "session", required_unless_present = "session")]
    pub from: Option<PathBuf>,
    /// List this session's items now and download them.
    #[arg(long, value_name = "SESSION_ID")]
    pub session: Option<String>,
    /// The directory the files and manifest.json go to.
    #[arg(long, short, default_value = "picked-photos", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub size: SizeArgs,
    /// Print what would be downloaded where, and download nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The directory the files go to (default: a new directory in the system's temporary directory).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seconds before the simulated user picks.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS", conflicts_with = "pick_yourself")]
    pub pick_after: f64,
    /// No simulated user: open the printed link and pick on the emulator's page.
    #[arg(long)]
    pub pick_yourself: bool,
    /// The emulator's port (default: a free one).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    #[command(flatten)]
    pub size: SizeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// The Picker API's port (0: a free one).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// The Library API's port (0: a free one).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub library_port: u16,
    /// The default user's token.
    #[arg(long = "user-token", default_value = "emulator-token", value_name = "TOKEN")]
    pub user_token: String,
    /// A simulated user picks 3 photos and a video in every new session after SECONDS.
    #[arg(long, value_name = "SECONDS")]
    pub auto_pick_after: Option<f64>,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or("give WIDTHxHEIGHT, e.g. 2048x2048")?;
    let side = |s: &str| s.trim().parse::<u32>().ok().filter(|n| (1..=16383).contains(n)).ok_or("width and height are whole numbers from 1 to 16383");
    Ok((side(w)?, side(h)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_are_width_x_height_within_the_service_limits() {
        assert_eq!(parse_size("2048x1536"), Ok((2048, 1536)));
        assert_eq!(parse_size("10X20"), Ok((10, 20)));
        assert!(parse_size("0x10").is_err());
        assert!(parse_size("2048").is_err());
        assert!(parse_size("ax1").is_err());
    }

    #[test]
    fn crop_needs_a_size_and_a_size_excludes_original() {
        assert!(Cli::try_parse_from(["photospicker", "pick", "--crop"]).is_err());
        assert!(Cli::try_parse_from(["photospicker", "pick", "--size", "10x10", "--original"]).is_err());
        assert!(Cli::try_parse_from(["photospicker", "pick", "--size", "10x10", "--crop"]).is_ok());
    }
}
