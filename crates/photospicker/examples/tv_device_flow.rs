//! The flow of a TV or kiosk: no browser on the device, so the picker link is
//! shown (as text or a QR code) for the user's phone, and the session is
//! created with a `requestId` so that Google can offer its streamlined flow.
//!
//! Against Google: `PHOTOS_TOKEN=ya29… cargo run -p photospicker --example tv_device_flow`.
//! Without a token it runs against the embedded emulator and a simulated user.

use futures_util::StreamExt;
use photospicker::{new_request_id, Client, CreateSessionOptions, PollEvent, WaitOptions};
use photospicker_emulator::{Config, Emulator, PickRequest};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, emulator) = match std::env::var("PHOTOS_TOKEN") {
        Ok(token) => (Client::builder().token(token).build()?, None),
        Err(_) => {
            let emulator = Emulator::start(Config { poll_interval: Duration::from_millis(200), ..Config::default() }).await?;
            let user = emulator.add_user(Default::default())?;
            let client = Client::builder().endpoint(emulator.picker_url()).library_endpoint(emulator.library_url()).token(user.token.as_str()).build()?;
            (client, Some(emulator))
        }
    };
    let request_id = new_request_id();
    let guard = client.picking_session(CreateSessionOptions { max_item_count: Some(10), request_id: Some(request_id.clone()) }).await?;
    println!("On your phone, open: {}", guard.session().picker_uri);
    println!("(request id {request_id}; the session expires at {:?})", guard.session().expire_time);
    if let Some(emulator) = &emulator {
        emulator.pick(guard.id(), PickRequest { count: Some(3), after_seconds: Some(1.0), ..Default::default() })?;
    }

    // A TV shows progress and gives up after 10 minutes, or earlier if the server says so.
    let mut events = std::pin::pin!(client.poll_session(guard.id(), WaitOptions::default().timeout(Duration::from_secs(600))).into_stream());
    while let Some(event) = events.next().await {
        match event? {
            PollEvent::Waiting { timeout_in, .. } => println!("waiting for the phone… ({timeout_in:?} left)"),
            PollEvent::Picked { polls, .. } => println!("picked after {polls} polls"),
            _ => {}
        }
    }
    let items = client.list_all_media_items(guard.id()).await?;
    for item in &items {
        println!("{} {} ({}x{})", item.media_type, item.media_file.filename, item.media_file.metadata.width.unwrap_or(0), item.media_file.metadata.height.unwrap_or(0));
    }
    guard.finish().await?;
    println!("{} items; session deleted", items.len());
    Ok(())
}
