//! The login flows against a hostile OAuth server on 127.0.0.1 (raw TCP,
//! scripted answers): a server echoing the request back in its errors, absurd
//! `expires_in` and `interval` values, endless or enormous answers, and
//! hostile token files. Nothing may leak, panic, hammer or hang.

#![cfg(feature = "login")]

use photospicker::login::{Auth, ClientSecrets, LoginError, LoginMethod, OAuthEndpoints, Secret, StoredLogin, TokenStore};
use photospicker::PICKER_SCOPE;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIMIT: Duration = Duration::from_secs(60);
const CLIENT_ID: &str = "hostile-test.apps.googleusercontent.com";
const CLIENT_SECRET: &str = "GOCSPX-client-secret-value";
const REFRESH_TOKEN: &str = "1//refresh-token-value-0123456789";
const DEVICE_CODE: &str = "device-code-value-0123456789";

/// What the server does with one request (path, form body).
enum Answer {
    Json(u16, String),
    /// Reads the request, then says nothing for a minute.
    Never,
}

/// A scripted OAuth server; counts the requests it got.
struct Hostile {
    base: String,
    requests: Arc<AtomicUsize>,
}

async fn hostile(script: impl Fn(&str, &str) -> Answer + Send + Sync + 'static) -> Hostile {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let (count, script) = (requests.clone(), Arc::new(script));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let (count, script) = (count.clone(), script.clone());
            tokio::spawn(async move {
                let _ = tokio::time::timeout(LIMIT, serve(stream, &*script, &count)).await;
            });
        }
    });
    Hostile { base, requests }
}

async fn serve(mut stream: TcpStream, script: &(dyn Fn(&str, &str) -> Answer + Send + Sync), count: &AtomicUsize) {
    loop {
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        };
        let head = String::from_utf8_lossy(&request[..head_end]).to_string();
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
            .unwrap_or(0);
        while request.len() < head_end + length {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        count.fetch_add(1, Ordering::SeqCst);
        let path = head.split(' ').nth(1).unwrap_or("/").to_string();
        let body = String::from_utf8_lossy(&request[head_end..head_end + length]).to_string();
        match script(&path, &body) {
            Answer::Never => {
                tokio::time::sleep(LIMIT).await;
                return;
            }
            Answer::Json(status, json) => {
                let reply = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{json}", json.len());
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The request, decoded, as a server that echoes it would put it in its error.
fn echo(body: &str) -> Answer {
    let decoded: Vec<String> = url::form_urlencoded::parse(body.as_bytes()).map(|(k, v)| format!("{k}={v}")).collect();
    let description = format!("bad request: {}", decoded.join("&"));
    Answer::Json(400, serde_json::json!({"error": "invalid_request", "error_description": description}).to_string())
}

fn device_code(interval: &str) -> Answer {
    Answer::Json(
        200,
        format!(r#"{{"device_code":"{DEVICE_CODE}","user_code":"ABCD-EFGH","verification_url":"https://www.google.com/device","expires_in":1800{interval}}}"#),
    )
}

fn stored(token_uri: &str) -> StoredLogin {
    StoredLogin {
        client_id: CLIENT_ID.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        refresh_token: Secret::new(REFRESH_TOKEN),
        scopes: vec![PICKER_SCOPE.into()],
        account: None,
        token_uri: token_uri.into(),
        revoke_uri: token_uri.replace("/token", "/revoke"),
        tokeninfo_uri: token_uri.replace("/token", "/tokeninfo"),
        saved_at: chrono::Utc::now(),
    }
}

/// An `Auth` against the hostile server, with `login` stored.
fn auth_with(server: &Hostile, dir: &tempfile::TempDir, login: Option<StoredLogin>) -> Auth {
    let store = TokenStore::at(dir.path().join("login.json"));
    if let Some(login) = login {
        store.save(&login).unwrap();
    }
    Auth::new(OAuthEndpoints::emulator(&server.base).unwrap(), store).unwrap().with_timeout(LIMIT)
}

fn client() -> ClientSecrets {
    ClientSecrets::new(CLIENT_ID, CLIENT_SECRET)
}

async fn bounded<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future).await.unwrap_or_else(|_| panic!("{what} did not finish in {LIMIT:?}"))
}

fn assert_no_secret(error: &LoginError, secrets: &[&str]) {
    let converted = photospicker::Error::from_token_source(error);
    let shown = format!("{error} | {error:?} | {converted} | {converted:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[tokio::test]
async fn a_token_server_echoing_the_request_in_its_errors_leaks_no_secret_from_any_flow() {
    let server = hostile(|path, body| if path == "/device/code" { device_code(r#","interval":1"#) } else { echo(body) }).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_with(&server, &dir, Some(stored(&format!("{}/token", server.base))));
    let secrets = [CLIENT_SECRET, REFRESH_TOKEN, DEVICE_CODE];

    let status = bounded("status", auth.status()).await.unwrap_err();
    assert_eq!(status.oauth_error(), Some("invalid_request"));
    assert!(status.to_string().contains("bad request: client_id="), "the rest of the description stays: {status}");
    assert_no_secret(&status, &secrets);

    let provider = auth.token_provider().unwrap();
    assert_no_secret(&bounded("a refresh", provider.access_token(false)).await.unwrap_err(), &secrets);
    let converted = bounded("a refresh", photospicker::TokenProvider::token(&provider, true)).await.unwrap_err();
    let shown = format!("{converted} {converted:?}");
    assert!(secrets.iter().all(|s| !shown.contains(s)), "{shown}");

    let device = bounded("the device flow", auth.login(&client(), LoginMethod::Device, |_| {})).await.unwrap_err();
    assert_eq!(device.oauth_error(), Some("invalid_request"), "{device}");
    assert_no_secret(&device, &secrets);
}

#[tokio::test]
async fn a_refresh_answer_with_an_absurd_expires_in_neither_panics_nor_is_believed() {
    let answer = r#"{"access_token":"ya29.absurd-lifetime","expires_in":18446744073709551615}"#;
    let server = hostile(move |_, _| Answer::Json(200, answer.into())).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_with(&server, &dir, Some(stored(&format!("{}/token", server.base))));
    let status = bounded("status", auth.status()).await.unwrap();
    assert!(status.expires_in.unwrap() <= Duration::from_secs(24 * 3600), "{status:?}");
    let provider = auth.token_provider().unwrap();
    for _ in 0..2 {
        assert_eq!(bounded("a token", provider.access_token(false)).await.unwrap().secret(), "ya29.absurd-lifetime");
    }
}

#[tokio::test]
async fn plain_http_endpoints_off_loopback_and_such_a_stored_token_uri_are_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut endpoints = OAuthEndpoints::google();
    endpoints.token_uri = "http://oauth2.example/token".into();
    let refused = Auth::new(endpoints, TokenStore::at(dir.path().join("a.json")));
    assert!(matches!(refused, Err(LoginError::Config(_))), "{refused:?}");

    let server = hostile(|_, _| Answer::Json(200, r#"{"access_token":"ya29.x"}"#.into())).await;
    let auth = auth_with(&server, &dir, Some(stored("http://10.255.255.1/token")));
    let error = bounded("status", auth.status()).await.unwrap_err();
    assert!(matches!(error, LoginError::Config(ref why) if why.contains("https")), "{error:?}");
    let error = bounded("a token", auth.token_provider().unwrap().access_token(false)).await.unwrap_err();
    assert!(matches!(error, LoginError::Config(_)), "{error:?}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_tiny_device_interval_is_raised_to_a_second_and_nonsense_ones_are_bad_answers() {
    let pending = || Answer::Json(428, r#"{"error":"authorization_pending"}"#.into());
    for interval in [r#","interval":0.001"#, r#","interval":0"#] {
        let server = hostile(move |path, _| if path == "/device/code" { device_code(interval) } else { pending() }).await;
        let dir = tempfile::tempdir().unwrap();
        let auth = auth_with(&server, &dir, None).with_timeout(Duration::from_millis(3500));
        let error = bounded("the device flow", auth.login(&client(), LoginMethod::Device, |_| {})).await.unwrap_err();
        assert!(matches!(error, LoginError::Expired), "{interval}: {error:?}");
        let polls = server.requests.load(Ordering::SeqCst) - 1;
        assert!((1..=6).contains(&polls), "{interval}: {polls} polls in 3.5 s");
    }
    for interval in [r#","interval":-1"#, r#","interval":1e308"#, r#","interval":1000000000000"#, r#","interval":"soon""#] {
        let server = hostile(move |path, _| if path == "/device/code" { device_code(interval) } else { pending() }).await;
        let dir = tempfile::tempdir().unwrap();
        let auth = auth_with(&server, &dir, None);
        let error = bounded("the device flow", auth.login(&client(), LoginMethod::Device, |_| {})).await.unwrap_err();
        assert!(matches!(error, LoginError::Http(_)), "{interval}: {error:?}");
        assert_eq!(server.requests.load(Ordering::SeqCst), 1, "{interval}: no poll");
    }
}

#[tokio::test]
async fn the_login_timeout_also_bounds_a_token_request_that_is_never_answered() {
    let server = hostile(|path, _| if path == "/device/code" { device_code(r#","interval":1"#) } else { Answer::Never }).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_with(&server, &dir, None).with_timeout(Duration::from_secs(3));
    let started = Instant::now();
    let error = bounded("the device flow", auth.login(&client(), LoginMethod::Device, |_| {})).await.unwrap_err();
    assert!(matches!(error, LoginError::Expired), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_huge_error_text_with_control_characters_becomes_one_short_line() {
    let description = format!("\u{1b}[31mred\r\nSet-Cookie: x\n{}", "A".repeat(60 * 1024));
    let answer = serde_json::json!({"error": "invalid_grant\u{1b}[2J\r\n", "error_description": description}).to_string();
    let server = hostile(move |_, _| Answer::Json(400, answer.clone())).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_with(&server, &dir, Some(stored(&format!("{}/token", server.base))));
    let error = bounded("status", auth.status()).await.unwrap_err();
    let shown = error.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(shown.chars().count() < 600, "{} characters", shown.chars().count());
    assert!(shown.contains("red"), "{shown:?}");
}

#[cfg(unix)]
#[test]
fn a_login_file_others_can_read_is_refused_with_a_hint() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::at(dir.path().join("login.json"));
    store.save(&stored("https://oauth2.googleapis.com/token")).unwrap();
    assert!(store.load().unwrap().is_some());
    std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = store.load().unwrap_err();
    assert!(matches!(error, LoginError::Config(ref why) if why.contains("644") && why.contains("logout")), "{error:?}");
}

#[test]
fn a_malformed_login_file_or_client_secrets_file_is_never_quoted_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::at(dir.path().join("login.json"));
    let misplaced = format!(r#"{{"scopes":"{REFRESH_TOKEN}","client_id":"{CLIENT_ID}","client_secret":"{CLIENT_SECRET}"}}"#);
    std::fs::write(store.path(), &misplaced).unwrap();
    let error = store.load().unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(REFRESH_TOKEN) && !shown.contains(CLIENT_SECRET), "{shown}");
    let client_file = format!(r#"{{"installed":"{CLIENT_SECRET}"}}"#);
    let error = ClientSecrets::from_json(&client_file).unwrap_err();
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET), "{error}");
}
