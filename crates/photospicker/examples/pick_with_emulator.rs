//! The whole Picker flow against the embedded emulator, with a simulated user:
//! create → show the picker link → wait with progress → list → download → delete.
//!
//! `cargo run -p photospicker --example pick_with_emulator -- [DIR]`

use photospicker::{Client, DownloadEvent, PickOptions, PollEvent};
use photospicker_emulator::{Config, Emulator, PickRequest};
use std::sync::Arc;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/demo/rust-photos".into());
    let emulator = Emulator::start(Config { poll_interval: Duration::from_millis(300), ..Config::default() }).await?;
    let user = emulator.add_user(Default::default())?;
    println!("emulator: Picker API at {}, Library API at {}", emulator.picker_url(), emulator.library_url());

    let client = Client::builder().endpoint(emulator.picker_url()).library_endpoint(emulator.library_url()).token(user.token.as_str()).build()?;
    let options = PickOptions::default()
        .download_to(&dir)
        .on_poll(|event| match event {
            PollEvent::Waiting { polls, next_poll_in, .. } => println!("  poll {polls}: not picked yet, next in {next_poll_in:?}"),
            PollEvent::Picked { polls, .. } => println!("  poll {polls}: picked"),
            _ => {}
        })
        .on_download_progress(Arc::new(|event| {
            if let DownloadEvent::Finished { path, bytes, .. } = event {
                println!("  saved {} ({bytes} bytes)", path.display());
            }
        }));
    let picked = client
        .pick(options, |session| {
            println!("open {} to pick (a simulated user picks 5 items after 3 polls)", session.picker_uri);
            emulator.pick(&session.id, PickRequest { count: Some(5), after_polls: Some(3), ..Default::default() }).expect("the simulated pick");
        })
        .await?;
    for item in &picked.items {
        println!("picked {} {} {:?}", item.media_type, item.media_file.filename, item.create_time);
    }
    println!("{} files in {dir}; session {} deleted", picked.files.len(), picked.session.id);
    Ok(())
}
