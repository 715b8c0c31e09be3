//! An emulator on a real socket and a client pointed at it.

#![allow(dead_code)]

pub mod raw;

use photospicker::{Client, RetryPolicy};
use photospicker_emulator::{Config, Emulator, NewUser, PickRequest};
use std::time::Duration;

pub struct Ctx {
    pub emulator: Emulator,
    pub token: String,
    pub client: Client,
}

/// Retries that keep tests fast: no jitter, millisecond waits.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        rate_limited_backoff: Duration::from_millis(5),
        jitter: false,
        ..RetryPolicy::default()
    }
}

pub async fn start() -> Ctx {
    start_with(Config { poll_interval: Duration::from_millis(20), ..Config::default() }, NewUser::default()).await
}

pub async fn start_with(config: Config, user: NewUser) -> Ctx {
    let emulator = Emulator::start(config).await.expect("the emulator starts");
    let token = emulator.add_user(user).expect("a user").token;
    let client = client_for(&emulator, &token, fast_retries());
    Ctx { emulator, token, client }
}

pub fn client_for(emulator: &Emulator, token: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(emulator.picker_url())
        .library_endpoint(emulator.library_url())
        .token(token)
        .retry_policy(retry)
        .build()
        .expect("a client")
}

impl Ctx {
    /// A session in which the user has picked the first `count` items of their library.
    pub async fn picked_session(&self, count: usize) -> String {
        let session = self.client.create_session(Default::default()).await.expect("create");
        self.emulator.pick(&session.id, PickRequest { count: Some(count), ..Default::default() }).expect("pick");
        session.id
    }

    /// How many requests the emulator logged for a route.
    pub fn count(&self, route: &str) -> usize {
        self.emulator.requests(Some(route)).len()
    }

    /// The ids of the user's library, in order.
    pub fn library_ids(&self) -> Vec<String> {
        self.emulator.library(&self.token).expect("the user's library").iter().map(|item| item["id"].as_str().unwrap().to_string()).collect()
    }
}
