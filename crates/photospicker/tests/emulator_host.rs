//! `PHOTOSPICKER_EMULATOR_HOST`: a client built with no endpoints (and no
//! token) talks to the emulator for both APIs. The variable is process-wide,
//! so this file holds one test (its own test binary: nothing else reads it).

use photospicker::{Client, CreateSessionOptions, EMULATOR_HOST_VAR, EMULATOR_PLACEHOLDER_TOKEN};
use photospicker_emulator::{Config, Emulator, PickRequest};

#[tokio::test]
async fn with_the_emulator_host_variable_set_a_plain_client_talks_to_the_emulator() {
    let config = Config { default_user_token: Some(EMULATOR_PLACEHOLDER_TOKEN.into()), accept_any_token: true, ..Config::default() };
    let emulator = Emulator::start(config).await.unwrap();
    std::env::set_var(EMULATOR_HOST_VAR, emulator.emulator_host());

    // No endpoint and no token: the placeholder token goes to the emulator.
    let client = Client::builder().build().unwrap();
    assert_eq!(client.endpoint().trim_end_matches('/'), emulator.picker_url());
    assert_eq!(client.library_endpoint(), format!("{}/library", emulator.picker_url()));
    let session = client.create_session(CreateSessionOptions::default()).await.unwrap();
    assert!(session.picker_uri.starts_with(emulator.picker_url()), "{}", session.picker_uri);
    emulator.pick(&session.id, PickRequest { count: Some(2), ..Default::default() }).unwrap();
    let items = client.list_all_media_items(&session.id).await.unwrap();
    assert_eq!(items.len(), 2);
    // The Library API through the same host:port.
    let library = emulator.library(EMULATOR_PLACEHOLDER_TOKEN).unwrap();
    let ids: Vec<&str> = library.iter().filter_map(|item| item["id"].as_str()).take(2).collect();
    assert_eq!(client.batch_get_media_items(&ids).await.unwrap().len(), 2);
    let batch_gets = emulator.requests(Some("mediaItems.batchGet"));
    assert_eq!(batch_gets.iter().map(|r| (r.path.as_str(), r.status)).collect::<Vec<_>>(), [("/v1/mediaItems:batchGet", 200)]);

    // An app's own (real-looking) token is accepted as the default user's.
    let with_token = Client::builder().token("ya29.an-apps-real-token").build().unwrap();
    let sessions = with_token.get_session(&session.id).await.unwrap();
    assert_eq!(sessions.id, session.id);

    // Endpoints given explicitly still win over the variable.
    let explicit = Client::builder().endpoint("https://photospicker.example").build().unwrap();
    assert!(explicit.endpoint().starts_with("https://photospicker.example"));
    assert_eq!(explicit.library_endpoint(), format!("{}/library", emulator.picker_url()));

    // A malformed value is a validation error naming the variable, never a silent fallback to Google.
    std::env::set_var(EMULATOR_HOST_VAR, "http://127.0.0.1:1/");
    let error = Client::builder().token("t").build().unwrap_err();
    assert!(error.is_validation() && error.to_string().contains(EMULATOR_HOST_VAR), "{error}");

    // Unset (or empty): Google, and a token is required again.
    std::env::set_var(EMULATOR_HOST_VAR, "");
    assert!(Client::builder().build().unwrap_err().is_validation());
    std::env::remove_var(EMULATOR_HOST_VAR);
    assert_eq!(Client::builder().token("t").build().unwrap().endpoint().trim_end_matches('/'), "https://photospicker.googleapis.com");
    emulator.stop().await;
}
