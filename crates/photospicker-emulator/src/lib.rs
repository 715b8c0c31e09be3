//! A faithful local emulator of the Google Photos Picker API and the Library
//! API's `mediaItems.batchGet`: the same paths, JSON and errors as Google,
//! plus a control API (`/emulator/v1`) to create users, simulate picking,
//! move the clock, inject faults and read the request log.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = photospicker_emulator::Emulator::start(Default::default()).await?;
//! let user = emulator.add_user(Default::default()).expect("a new user");
//! println!("{} {} {}", emulator.picker_url(), emulator.library_url(), user.token);
//! # Ok(()) }
//! ```

mod api;
mod auth;
mod auto_pick;
mod clock;
mod control;
mod control_body;
mod discovery;
mod error;
mod faults;
mod library;
mod media;
mod method_override;
mod oauth;
mod page;
mod request_log;
mod state;
mod wire;

// Google's HTTP front end (issue 12: CORS, keep-alive, error answers, system parameters).
mod cors;
mod field_mask;
mod json_format;
mod keep_alive;
mod serve;
mod request_schema;
mod system_params;
mod token_control;
mod tokens;
mod unrouted;

pub use auto_pick::AutoPick;
pub use control::{check_page_sizes, Configure, PickRequest, Refusal};
pub use method_override::MAX_FORM_BODY;
pub use request_log::DEFAULT_CAPACITY as DEFAULT_REQUEST_LOG_SIZE;
pub use faults::{FaultKind, FaultRule, ROUTES};
pub use oauth::Approval;
pub use state::{Config, LoggedRequest, NewUser, LIBRARY_SCOPE, PICKER_SCOPE};

use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A user created through [`Emulator::add_user`].
#[derive(Clone)]
pub struct CreatedUser {
    /// The user's id in the control API.
    pub id: String,
    /// The user's bearer token.
    pub token: String,
}

impl std::fmt::Debug for CreatedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedUser").field("id", &self.id).field("token", &"<redacted>").finish()
    }
}

/// A running emulator; it stops when dropped (or on [`Emulator::stop`]).
pub struct Emulator {
    state: Arc<State>,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

use state::State;

/// Where the Picker port also serves the Library API, so that one
/// `host:port` (`PHOTOSPICKER_EMULATOR_HOST`) reaches both APIs.
pub const LIBRARY_PREFIX: &str = "/library";

fn router(state: Arc<State>, api: discovery::Api) -> Router {
    let mut routes = api_routes(state.clone(), api);
    if api == discovery::Api::Picker {
        // Under a prefix no Google path starts with: a Library call sent to the
        // Picker's own paths still gets Google's 404.
        routes = routes.nest_service(LIBRARY_PREFIX, api_routes(state, discovery::Api::Library));
    }
    // The override must act before routing (it changes the method), so it wraps
    // the whole router as the fallback of an outer one: inside CORS (its
    // refusals carry CORS headers too) and inside the keep-alive layer, which
    // has read every request body before anything answers.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn(method_override::middleware))
        .layer(cors::layer())
        .layer(axum::middleware::from_fn(keep_alive::read_body_first))
}

fn api_routes(state: Arc<State>, api: discovery::Api) -> Router {
    // Each port serves its own API only, as Google's two hosts do: a client
    // that sends a call to the wrong host gets Google's 404, not an answer.
    let own_api = match api {
        discovery::Api::Picker => Router::new()
            .route("/v1/sessions", post(api::create_session))
            .route("/v1/sessions/{id}", get(api::get_session).delete(api::delete_session))
            .route("/v1/mediaItems", get(api::list_media_items)),
        discovery::Api::Library => Router::new().route("/v1/mediaItems:batchGet", get(api::batch_get)),
    };
    own_api
        .route("/$discovery/rest", get(discovery::for_this_port))
        .route("/discovery/v1/apis/{api}/{version}/rest", get(discovery::by_name))
        .route("/media/{spec}", get(media::serve))
        .route("/picker/{id}", get(page::show))
        .route("/picker/{id}/autoclose", get(page::show_autoclose))
        .route("/picker/{id}/thumb/{index}", get(page::thumbnail))
        .route("/picker/{id}/done", post(page::done))
        .route("/emulator/v1", get(control::info))
        .route("/emulator/v1/users", post(control::add_user))
        .route("/emulator/v1/users/{id}/items", get(control::user_items))
        .route("/emulator/v1/sessions", get(control::sessions))
        .route("/emulator/v1/sessions/{id}/pick", post(control::pick))
        .route("/emulator/v1/sessions/{id}/configure", post(control::configure))
        .route("/emulator/v1/clock", get(control::clock))
        .route("/emulator/v1/clock/advance", post(control::advance_clock))
        .route("/emulator/v1/faults", get(control::faults).post(control::add_faults).delete(control::clear_faults))
        .route("/emulator/v1/requests", get(control::requests).delete(control::clear_requests))
        .route("/emulator/v1/reset", post(control::reset))
        .route("/emulator/v1/users/{id}/expireToken", post(token_control::expire))
        .route("/emulator/v1/users/{id}/tokens", post(token_control::issue))
        .route("/emulator/v1/tokens/lookup", post(token_control::lookup))
        .merge(oauth::routes())
        .fallback(api::not_found)
        .method_not_allowed_fallback(unrouted::unknown_method)
        // Innermost first: system parameters, then faults and the log; CORS
        // and the keep-alive layer wrap the outer router below.
        .layer(axum::middleware::from_fn(system_params::middleware))
        .layer(axum::middleware::from_fn_with_state(state.clone(), faults::middleware))
        .layer(axum::Extension(api))
        .with_state(state)
}

impl Emulator {
    /// Binds both ports and starts serving on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Self> {
        control::check_page_sizes(&config.page_sizes).map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidInput, why))?;
        let picker = TcpListener::bind((config.host, config.picker_port)).await?;
        let library = TcpListener::bind((config.host, config.library_port)).await?;
        let url = |listener: &TcpListener| listener.local_addr().map(|a| format!("http://{a}"));
        let state = Arc::new(State::new(config, url(&picker)?, url(&library)?));
        state.reset();
        let (shutdown, watch) = tokio::sync::watch::channel(false);
        let header_read_timeout = state.config.header_read_timeout;
        let tasks = [(picker, discovery::Api::Picker), (library, discovery::Api::Library)]
            .into_iter()
            .map(|(listener, api)| {
                let app = router(state.clone(), api);
                let mut watch = watch.clone();
                tokio::spawn(async move {
                    let stop = async move {
                        let _ = watch.wait_for(|stop| *stop).await;
                    };
                    serve::serve(listener, app, header_read_timeout, stop).await;
                })
            })
            .collect();
        Ok(Self { state, shutdown: Some(shutdown), tasks })
    }

    /// Base URL of the Picker API (and of media bytes and the picker page).
    pub fn picker_url(&self) -> &str {
        &self.state.picker_base
    }

    /// Base URL of the Library API.
    pub fn library_url(&self) -> &str {
        &self.state.library_base
    }

    /// `host:port` of the Picker port, which serves both APIs (the Library API
    /// under [`LIBRARY_PREFIX`]): the value for `PHOTOSPICKER_EMULATOR_HOST`.
    pub fn emulator_host(&self) -> &str {
        self.state.picker_base.trim_start_matches("http://")
    }

    /// Creates a user and returns its token.
    pub fn add_user(&self, options: NewUser) -> Result<CreatedUser, String> {
        self.state.add_user(options).map(|u| CreatedUser { id: u.id, token: u.token })
    }

    /// The library of the user holding `token` (ids, kinds, sizes, states), if any.
    pub fn library(&self, token: &str) -> Option<Vec<serde_json::Value>> {
        let inner = self.state.lock();
        inner.user_by_token(token).map(|user| control::items_json(&user.library))
    }

    /// Expires every token the user holds now: Google's APIs then answer 401
    /// `ACCESS_TOKEN_EXPIRED` to them. Returns how many were expired.
    pub fn expire_tokens(&self, user_id: &str) -> Result<usize, Refusal> {
        token_control::expire_tokens(&self.state, user_id)
    }

    /// Issues the user a fresh valid token (what an OAuth refresh returns).
    pub fn issue_token(&self, user_id: &str) -> Result<String, Refusal> {
        token_control::issue_token(&self.state, user_id)
    }

    /// The id of the user a token was issued to (expired or not).
    pub fn user_of_token(&self, token: &str) -> Option<String> {
        token_control::user_of(&self.state, token)
    }

    /// Switches the simulated user on (or off with `None`): every session
    /// created from now on is picked in by itself (see [`AutoPick`]).
    pub fn set_auto_pick(&self, auto_pick: Option<AutoPick>) {
        *self.state.auto_pick.lock().unwrap_or_else(|p| p.into_inner()) = auto_pick;
    }

    /// Moves the emulator's clock forward.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.state.clock.advance(state::to_chrono(by));
    }

    /// Simulates the user picking in a session (now, later, or after some polls).
    pub fn pick(&self, session_id: &str, request: PickRequest) -> Result<(), Refusal> {
        control::pick_session(&self.state, session_id, request).map(drop)
    }

    /// Changes a live session's poll interval or remaining picking time.
    pub fn configure_session(&self, session_id: &str, request: Configure) -> Result<(), Refusal> {
        control::configure_session(&self.state, session_id, request).map(drop)
    }

    /// Adds fault rules (checked in order; the first that fires applies).
    pub fn inject_faults(&self, rules: Vec<FaultRule>) -> Result<(), Refusal> {
        control::inject(&self.state, rules)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.lock().faults.clear();
    }

    /// The requests served so far on Google's routes, optionally of one route only.
    pub fn requests(&self, route: Option<&str>) -> Vec<LoggedRequest> {
        control::logged(&self.state, route)
    }

    /// How many requests the log dropped because it was full (since the last clear).
    pub fn dropped_requests(&self) -> u64 {
        control::dropped(&self.state)
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.state.lock().log.clear();
    }

    /// Forgets users, sessions, faults and the log.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Stops serving and waits until both listeners are closed.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        for task in &self.tasks {
            task.abort();
        }
    }
}
