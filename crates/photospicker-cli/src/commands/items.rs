//! `photospicker items list`: the picked items of a session, one page or all.

use crate::cli::{Global, ItemsCommand};
use crate::connect::connect;
use crate::exit::CliError;
use crate::ui::Ui;
use photospicker::{MediaType, PickedMediaItem, MAX_PAGE_SIZE};
use serde_json::Value;

pub async fn run(command: ItemsCommand, global: &Global, ui: Ui) -> Result<(), CliError> {
    let ItemsCommand::List { session_id, all, page_size, page_token } = command;
    let connection = connect(global)?;
    let api = |e: photospicker::Error| CliError::from_api(&e, &connection.endpoint);
    let (items, next) = if all {
        (connection.client.list_all_media_items(&session_id).await.map_err(api)?, None)
    } else {
        let size = Some(page_size.unwrap_or(MAX_PAGE_SIZE));
        connection.client.list_media_items_page(&session_id, size, page_token.as_deref()).await.map_err(api)?
    };
    if ui.is_json() {
        // Google's own listing format, so that it can be saved and read back.
        let listed: Vec<Value> = items.iter().map(|item| serde_json::from_str(&item.to_json()).expect("an item encodes")).collect();
        let mut listing = serde_json::json!({ "mediaItems": listed });
        if let Some(next) = &next {
            listing["nextPageToken"] = next.clone().into();
        }
        println!("{listing}");
        return Ok(());
    }
    for item in &items {
        ui.say(line(item));
    }
    ui.say(format!("{} listed.", crate::format::count(items.len(), "item", "items")));
    if let Some(next) = next {
        ui.say(format!("More: photospicker items list {session_id} --page-token {next}  (or --all)"));
    }
    Ok(())
}

fn line(item: &PickedMediaItem) -> String {
    let kind = if item.media_type == MediaType::Video { "video" } else { "photo" };
    let metadata = &item.media_file.metadata;
    let camera = [metadata.camera_make.as_deref(), metadata.camera_model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let when = item.create_time.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    format!("{}  {kind:<5}  {}  {}  {when}  {camera}", item.id, item.media_file.filename, item.media_file.mime_type).trim_end().to_string()
}
