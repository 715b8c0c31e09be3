//! The emulator's OAuth endpoints over real HTTP, checked against the
//! answers Google's give: shapes, statuses, error codes and descriptions,
//! PKCE, single-use codes, redirects, revocation, and the control API.

use base64::Engine;
use photospicker_emulator::{Approval, Config, Emulator, NewUser, PICKER_SCOPE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Digest;
use std::time::Duration;

const CLIENT: &str = "test-app.apps.googleusercontent.com";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

struct Ctx {
    emulator: Emulator,
    http: reqwest::Client,
}

async fn start(approval: Approval, interval: Duration) -> Ctx {
    let config = Config { oauth_approval: approval, oauth_poll_interval: interval, ..Config::default() };
    let emulator = Emulator::start(config).await.expect("emulator starts");
    emulator.add_user(NewUser { name: Some("default".into()), ..Default::default() }).unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Ctx { emulator, http }
}

impl Ctx {
    async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        let response = self
            .http
            .post(format!("{}{path}", self.emulator.oauth_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.json().await.unwrap_or(Value::Null))
    }

    async fn token(&self, pairs: &[(&str, &str)]) -> (StatusCode, Value) {
        let (status, _, body) = self.post("/token", pairs).await;
        (status, body)
    }

    /// Follows the authorization page once; the `Location` it redirects to.
    async fn authorize(&self, query: &[(&str, &str)]) -> (StatusCode, Option<String>) {
        let url = reqwest::Url::parse_with_params(&format!("{}/o/oauth2/auth", self.emulator.oauth_url()), query).unwrap();
        let response = self.http.get(url).send().await.unwrap();
        (response.status(), response.headers().get("location").map(|l| l.to_str().unwrap().to_string()))
    }
}

fn error(status: u16, error: &str, description: &str) -> (StatusCode, Value) {
    (StatusCode::from_u16(status).unwrap(), json!({"error": error, "error_description": description}))
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

#[tokio::test]
async fn a_device_code_comes_in_googles_shape_and_polls_hear_pending_then_slow_down_when_too_fast() {
    let ctx = start(Approval::Ask, Duration::from_secs(5)).await;
    let (status, headers, code) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", PICKER_SCOPE)]).await;
    assert_eq!(status, 200, "{code}");
    assert!(headers["cache-control"].to_str().unwrap().contains("no-store"));
    let user_code = code["user_code"].as_str().unwrap();
    assert!(user_code.len() == 9 && user_code.as_bytes()[4] == b'-' && user_code.replace('-', "").chars().all(|c| c.is_ascii_uppercase()), "{user_code}");
    assert_eq!(code["verification_url"], format!("{}/device", ctx.emulator.oauth_url()));
    assert_eq!((code["expires_in"].clone(), code["interval"].clone()), (json!(1800), json!(5)));
    let poll = [("client_id", CLIENT), ("client_secret", "s"), ("device_code", code["device_code"].as_str().unwrap()), ("grant_type", DEVICE_GRANT)];
    assert_eq!(ctx.token(&poll).await, error(428, "authorization_pending", "Precondition Required"));
    assert_eq!(ctx.token(&poll).await, error(403, "slow_down", "Forbidden"));
    assert_eq!(ctx.emulator.pending_user_codes(), vec![user_code.to_string()]);
    ctx.emulator.decide_user_code(user_code, false, None).unwrap();
    ctx.emulator.advance_clock(Duration::from_secs(10));
    assert_eq!(ctx.token(&poll).await, error(403, "access_denied", "Forbidden"));
    ctx.emulator.advance_clock(Duration::from_secs(1800));
    assert_eq!(ctx.token(&poll).await, error(400, "expired_token", "Bad Request"));
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_requests_with_googles_errors() {
    let ctx = start(Approval::Approve, Duration::from_secs(5)).await;
    ctx.emulator.register_oauth_client("registered.apps.googleusercontent.com", "right");
    assert_eq!(ctx.token(&[("client_id", CLIENT)]).await, error(400, "invalid_request", "Missing required parameter: grant_type"));
    assert_eq!(ctx.token(&[("grant_type", "password"), ("client_id", CLIENT)]).await, error(400, "unsupported_grant_type", "Invalid grant_type: password"));
    let refresh = |client: &'static str, secret: &'static str| [("grant_type", "refresh_token"), ("client_id", client), ("client_secret", secret), ("refresh_token", "1//nope")];
    assert_eq!(ctx.token(&refresh("nobody", "s")).await, error(401, "invalid_client", "The OAuth client was not found."));
    assert_eq!(ctx.token(&refresh("registered.apps.googleusercontent.com", "wrong")).await, error(401, "invalid_client", "Unauthorized"));
    assert_eq!(ctx.token(&refresh(CLIENT, "")).await, error(400, "invalid_request", "client_secret is missing."));
    assert_eq!(ctx.token(&refresh(CLIENT, "s")).await, error(400, "invalid_grant", "Token has been expired or revoked."));
    let (status, _, body) = ctx.post("/device/code", &[("client_id", CLIENT)]).await;
    assert_eq!((status, body), error(400, "invalid_request", "Missing required parameter: scope"));
}

#[tokio::test]
async fn an_authorization_code_needs_its_pkce_verifier_is_spent_by_its_first_use_and_its_tokens_can_be_revoked() {
    let ctx = start(Approval::Approve, Duration::from_secs(5)).await;
    let verifier = "v".repeat(50);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect = "http://127.0.0.1:9/callback";
    let ask = [
        ("client_id", CLIENT),
        ("redirect_uri", redirect),
        ("response_type", "code"),
        ("scope", PICKER_SCOPE),
        ("state", "xyz"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code_from = |location: Option<String>| {
        let location = location.expect("a redirect");
        assert!(location.starts_with(&format!("{redirect}?")), "{location}");
        let query = query_of(&location);
        assert_eq!(query["state"], "xyz");
        query["code"].clone()
    };
    let (status, location) = ctx.authorize(&ask).await;
    assert_eq!(status, StatusCode::FOUND);
    let code = code_from(location);
    let exchange = |code: &str, verifier: &str| {
        [("grant_type", "authorization_code"), ("client_id", CLIENT), ("client_secret", "s"), ("redirect_uri", redirect)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([("code".to_string(), code.to_string()), ("code_verifier".to_string(), verifier.to_string())])
            .collect::<Vec<_>>()
    };
    let pairs = |v: &Vec<(String, String)>| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let wrong = pairs(&exchange(&code, "w".repeat(50).as_str()));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(ctx.token(&wrong).await, error(400, "invalid_grant", "Invalid code verifier."));
    let right = exchange(&code, &verifier);
    let right_pairs: Vec<(&str, &str)> = right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(ctx.token(&right_pairs).await, error(400, "invalid_grant", "Malformed auth code."), "spent by the first try");

    let code = code_from(ctx.authorize(&ask).await.1);
    let right = exchange(&code, &verifier);
    let right_pairs: Vec<(&str, &str)> = right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, tokens) = ctx.token(&right_pairs).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!((tokens["expires_in"].clone(), tokens["token_type"].clone(), tokens["scope"].clone()), (json!(3599), json!("Bearer"), json!(PICKER_SCOPE)));
    let access = tokens["access_token"].as_str().unwrap();
    let (status, _, info) = ctx.post("/tokeninfo", &[("access_token", access)]).await;
    assert_eq!((status.as_u16(), info["scope"].as_str(), info["aud"].as_str()), (200, Some(PICKER_SCOPE), Some(CLIENT)), "{info}");
    assert!(info.get("email").is_none(), "no email scope, no email: {info}");
    let (status, _, _) = ctx.post("/revoke", &[("token", tokens["refresh_token"].as_str().unwrap())]).await;
    assert_eq!(status, 200);
    let (status, _, info) = ctx.post("/tokeninfo", &[("access_token", access)]).await;
    assert_eq!((status, info), error(400, "invalid_token", "Invalid Value"), "the grant's access tokens go with it");
    let (status, _, body) = ctx.post("/revoke", &[("token", tokens["refresh_token"].as_str().unwrap())]).await;
    assert_eq!((status, body), error(400, "invalid_token", "Token expired or revoked"));
}

#[tokio::test]
async fn the_authorization_page_refuses_redirects_off_loopback_and_sends_denials_back_with_the_state() {
    let ctx = start(Approval::Deny, Duration::from_secs(5)).await;
    let ask = |redirect: &'static str| [("client_id", CLIENT), ("redirect_uri", redirect), ("response_type", "code"), ("scope", PICKER_SCOPE), ("state", "s1")];
    let (status, location) = ctx.authorize(&ask("https://attacker.example/")).await;
    assert_eq!((status, location), (StatusCode::BAD_REQUEST, None));
    let (status, location) = ctx.authorize(&ask("http://localhost:7/")).await;
    assert_eq!(status, StatusCode::FOUND);
    let query = query_of(&location.unwrap());
    assert_eq!((query["error"].as_str(), query["state"].as_str()), ("access_denied", "s1"));
}

#[tokio::test]
async fn the_control_api_switches_approval_and_decides_device_codes() {
    let ctx = start(Approval::Ask, Duration::from_millis(50)).await;
    let (_, _, code) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", PICKER_SCOPE)]).await;
    let control = format!("{}/emulator/v1/oauth", ctx.emulator.oauth_url());
    let shown: Value = ctx.http.get(&control).send().await.unwrap().json().await.unwrap();
    assert_eq!((shown["approval"].as_str(), shown["pendingUserCodes"][0].as_str()), (Some("ask"), code["user_code"].as_str()));
    let decided = ctx.http.post(format!("{control}/device")).json(&json!({"userCode": code["user_code"], "approve": true})).send().await.unwrap();
    assert_eq!(decided.status(), 200);
    let poll = [("client_id", CLIENT), ("client_secret", "s"), ("device_code", code["device_code"].as_str().unwrap()), ("grant_type", DEVICE_GRANT)];
    let (status, tokens) = ctx.token(&poll).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(ctx.token(&poll).await, error(400, "invalid_grant", "Bad Request"), "a device code gives tokens once");
    let switched = ctx.http.post(format!("{control}/approval")).json(&json!({"approval": "approve", "userId": "nobody"})).send().await.unwrap();
    assert_eq!(switched.status(), 404, "an unknown user is refused");
    let switched = ctx.http.post(format!("{control}/approval")).json(&json!({"approval": "approve"})).send().await.unwrap();
    assert_eq!(switched.status(), 200);
    let (_, _, code) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", PICKER_SCOPE)]).await;
    let poll = [("client_id", CLIENT), ("client_secret", "s"), ("device_code", code["device_code"].as_str().unwrap()), ("grant_type", DEVICE_GRANT)];
    assert_eq!(ctx.token(&poll).await.0, 200, "approved at once");
}

#[tokio::test]
async fn unknown_scopes_are_refused_with_invalid_scope_at_both_endpoints() {
    let ctx = start(Approval::Approve, Duration::from_millis(100)).await;
    let huge = "x".repeat(60_000);
    for scope in ["https://www.googleapis.com/auth/drive", huge.as_str()] {
        let (status, _, body) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", scope)]).await;
        assert_eq!((status.as_u16(), body["error"].as_str()), (400, Some("invalid_scope")), "{body}");
        assert!(body.to_string().len() < 1000, "the answer does not echo the whole scope");
        let (status, location) =
            ctx.authorize(&[("client_id", CLIENT), ("redirect_uri", "http://127.0.0.1:1/"), ("response_type", "code"), ("scope", scope)]).await;
        assert_eq!((status.as_u16(), location), (400, None));
    }
    let (status, _, _) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", &format!("{PICKER_SCOPE} email openid profile"))]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn redirect_uris_with_fragments_bad_ports_or_line_breaks_and_overlong_states_are_refused() {
    let ctx = start(Approval::Approve, Duration::from_millis(100)).await;
    let long_state = "s".repeat(5000);
    let asks = [
        ("http://127.0.0.1:8080/#frag", "s1"),
        ("http://127.0.0.1:70000/", "s1"),
        ("http://127.0.0.1:80/\r\nSet-Cookie: x=1", "s1"),
        ("http://localhost:1/ x", "s1"),
        ("http://127.0.0.1:8080/", long_state.as_str()),
    ];
    for (redirect, state) in asks {
        let query = [("client_id", CLIENT), ("redirect_uri", redirect), ("response_type", "code"), ("scope", PICKER_SCOPE), ("state", state)];
        assert_eq!(ctx.authorize(&query).await, (StatusCode::BAD_REQUEST, None), "{redirect:?}");
    }
    let fine = [("client_id", CLIENT), ("redirect_uri", "http://[::1]:65535/cb"), ("response_type", "code"), ("scope", PICKER_SCOPE)];
    assert_eq!(ctx.authorize(&fine).await.0, StatusCode::FOUND);
}

#[tokio::test]
async fn client_ids_must_look_like_googles_and_s256_challenges_like_base64url() {
    let ctx = start(Approval::Approve, Duration::from_millis(100)).await;
    for client in [".apps.googleusercontent.com", "a b.apps.googleusercontent.com", "x\u{1b}.apps.googleusercontent.com"] {
        let (status, _, body) = ctx.post("/device/code", &[("client_id", client), ("scope", PICKER_SCOPE)]).await;
        assert_eq!((status.as_u16(), body["error"].as_str()), (401, Some("invalid_client")), "{client:?}: {body}");
    }
    let challenge = "!".repeat(43);
    let query = [
        ("client_id", CLIENT),
        ("redirect_uri", "http://127.0.0.1:1/"),
        ("response_type", "code"),
        ("scope", PICKER_SCOPE),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    assert_eq!(ctx.authorize(&query).await, (StatusCode::BAD_REQUEST, None));
}

#[tokio::test]
async fn a_refresh_asking_for_more_scopes_than_granted_is_invalid_scope_and_fewer_is_fine() {
    let ctx = start(Approval::Approve, Duration::from_millis(100)).await;
    let (_, _, code) = ctx.post("/device/code", &[("client_id", CLIENT), ("scope", &format!("{PICKER_SCOPE} email"))]).await;
    let device_code = code["device_code"].as_str().unwrap();
    let poll = [("client_id", CLIENT), ("client_secret", "s"), ("device_code", device_code), ("grant_type", DEVICE_GRANT)];
    let (status, tokens) = ctx.token(&poll).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let again = |scope: &'static str| [("client_id", CLIENT), ("client_secret", "s"), ("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", scope)];
    let (status, body) = ctx.token(&again("openid")).await;
    assert_eq!((status.as_u16(), body["error"].as_str()), (400, Some("invalid_scope")), "{body}");
    let (status, body) = ctx.token(&again("email")).await;
    assert_eq!((status.as_u16(), body["scope"].as_str()), (200, Some("email")), "{body}");
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_request_head_is_closed_by_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = Config { header_read_timeout: Duration::from_secs(1), ..Config::default() };
    let emulator = Emulator::start(config).await.unwrap();
    let address = emulator.oauth_url().trim_start_matches("http://").to_string();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    socket.write_all(b"GET /tokeninfo HT").await.unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(15), socket.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the half-sent request was still open after 15 s");
    // The emulator still serves whole requests.
    let answer = reqwest::get(format!("{}/tokeninfo?access_token=x", emulator.oauth_url())).await.unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
}
