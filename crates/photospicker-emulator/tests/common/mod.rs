//! Starts an emulator on loopback and talks to it over real HTTP.
#![allow(dead_code)]

use photospicker_emulator::{Config, Emulator, NewUser};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub struct Ctx {
    pub emulator: Emulator,
    pub http: reqwest::Client,
    pub token: String,
    pub user: String,
}

pub async fn start() -> Ctx {
    start_with(Config::default(), NewUser::default()).await
}

pub async fn start_with(config: Config, user: NewUser) -> Ctx {
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let created = emulator.add_user(user).expect("user");
    Ctx { emulator, http: reqwest::Client::new(), token: created.token, user: created.id }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The canonical status name of a Google error envelope.
    pub fn error_status(&self) -> &str {
        self.body["error"]["status"].as_str().unwrap_or("<no envelope>")
    }

    #[track_caller]
    pub fn expect_error(&self, http: u16, status: &str) {
        assert_eq!((self.status.as_u16(), self.error_status()), (http, status), "{}", self.body);
        assert_eq!(self.body["error"]["code"], http, "{}", self.body);
        assert!(self.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    #[track_caller]
    pub fn ok(self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        self.body
    }
}

impl Ctx {
    pub fn picker(&self) -> &str {
        self.emulator.picker_url()
    }

    pub async fn call(&self, method: Method, url: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.http.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request reaches the emulator");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, headers, body }
    }

    pub async fn picker_call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call(method, &format!("{}{path}", self.picker()), Some(&self.token), body).await
    }

    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call(method, &format!("{}/emulator/v1{path}", self.picker()), None, body).await
    }

    pub async fn create(&self) -> Value {
        self.picker_call(Method::POST, "/v1/sessions", Some(json!({}))).await.ok()
    }

    pub async fn create_with_max(&self, max: i64) -> Value {
        self.picker_call(Method::POST, "/v1/sessions", Some(json!({"pickingConfig": {"maxItemCount": max.to_string()}}))).await.ok()
    }

    pub async fn get(&self, id: &str) -> Reply {
        self.picker_call(Method::GET, &format!("/v1/sessions/{id}"), None).await
    }

    pub async fn pick(&self, id: &str, body: Value) -> Value {
        self.control(Method::POST, &format!("/sessions/{id}/pick"), Some(body)).await.ok()
    }

    pub async fn list(&self, query: &str) -> Reply {
        self.picker_call(Method::GET, &format!("/v1/mediaItems?{query}"), None).await
    }

    /// A session in which the user picked `count` items.
    pub async fn picked_session(&self, count: usize) -> String {
        let id = self.create().await["id"].as_str().unwrap().to_string();
        self.pick(&id, json!({"count": count})).await;
        id
    }

    pub async fn items(&self) -> Vec<Value> {
        let reply = self.control(Method::GET, &format!("/users/{}/items", self.user), None).await.ok();
        reply["items"].as_array().unwrap().clone()
    }

    pub async fn add_user(&self, options: Value) -> (String, String) {
        let reply = self.control(Method::POST, "/users", Some(options)).await.ok();
        (reply["userId"].as_str().unwrap().into(), reply["token"].as_str().unwrap().into())
    }

    pub async fn requests(&self, route: &str) -> Vec<Value> {
        let reply = self.control(Method::GET, &format!("/requests?route={route}"), None).await.ok();
        reply["requests"].as_array().unwrap().clone()
    }
}
