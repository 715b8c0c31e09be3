//! `auth login` end to end against the emulator's OAuth endpoints over real
//! HTTP: the device flow (the test is the person on the verification page),
//! the loopback flow (the test is the browser following the redirect), then
//! Picker calls with the tokens; refresh, denial, expiry, `slow_down`,
//! the token file, logout and revocation. Every wait is bounded.

#![cfg(feature = "login")]

use photospicker::login::{Auth, ClientSecrets, LoginError, LoginMethod, OAuthEndpoints, Prompt, Secret, StoredLogin, TokenStore};
use photospicker::{Client, CreateSessionOptions, PICKER_SCOPE};
use photospicker_emulator::{Approval, Config, Emulator, NewUser};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);
const CLIENT_ID: &str = "test-app.apps.googleusercontent.com";

struct Ctx {
    emulator: Emulator,
    auth: Auth,
    _dir: tempfile::TempDir,
}

async fn start(approval: Approval) -> Ctx {
    let config = Config { oauth_approval: approval, oauth_poll_interval: Duration::from_millis(100), ..Config::default() };
    let emulator = Emulator::start(config).await.expect("emulator starts");
    emulator.add_user(NewUser { name: Some("default".into()), ..Default::default() }).expect("a user");
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::at(dir.path().join("config").join("login.json"));
    let auth = Auth::new(OAuthEndpoints::emulator(emulator.oauth_url()).unwrap(), store).unwrap().with_timeout(LIMIT);
    Ctx { emulator, auth, _dir: dir }
}

fn client() -> ClientSecrets {
    ClientSecrets::new(CLIENT_ID, "test-secret")
}

/// A prompt callback that keeps what it was shown.
fn recorder() -> (Arc<Mutex<Vec<String>>>, impl FnMut(Prompt<'_>) + Send) {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let keep = shown.clone();
    (shown, move |prompt: Prompt<'_>| {
        let text = match prompt {
            Prompt::OpenUrl { url } => url.to_string(),
            Prompt::EnterCode { user_code, .. } => user_code.to_string(),
            _ => String::new(),
        };
        keep.lock().unwrap().push(text);
    })
}

/// Plays the browser: follows the authorization URL (and its redirect to the loopback port).
fn browser() -> impl FnMut(Prompt<'_>) + Send {
    |prompt: Prompt<'_>| {
        if let Prompt::OpenUrl { url } = prompt {
            let url = url.to_string();
            tokio::spawn(async move {
                let page = reqwest::get(&url).await.expect("the browser reaches the pages");
                assert!(page.url().as_str().starts_with("http://127.0.0.1:"), "ended on {}", page.url());
            });
        }
    }
}

/// A form body, as a browser sends one.
fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

fn picker(emulator: &Emulator, auth: &Auth) -> Client {
    Client::builder().endpoint(emulator.picker_url()).token_provider(auth.token_provider().expect("a stored login")).build().unwrap()
}

async fn bounded<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future).await.unwrap_or_else(|_| panic!("{what} did not finish in {LIMIT:?}"))
}

#[tokio::test]
async fn the_device_flow_waits_for_the_person_on_the_verification_page_then_its_token_creates_a_session() {
    let ctx = start(Approval::Ask).await;
    let (shown, prompt) = recorder();
    let login = {
        let auth = ctx.auth.clone();
        tokio::spawn(async move { auth.login(&client(), LoginMethod::Device, prompt).await })
    };
    // The device polls and hears authorization_pending until the person acts.
    let http = reqwest::Client::new();
    let user_code = bounded("the pending polls", async {
        loop {
            let pending = ctx.emulator.requests(Some("oauth")).iter().filter(|r| r.path == "/token" && r.status == 428).count();
            let code = shown.lock().unwrap().first().cloned();
            if let (Some(code), true) = (code, pending >= 2) {
                break code;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let page = http.get(format!("{}/device", ctx.emulator.oauth_url())).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("name=user_code"));
    let lowercase_with_spaces = user_code.to_lowercase().replace('-', " ");
    let answer = http
        .post(format!("{}/device", ctx.emulator.oauth_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("user_code", lowercase_with_spaces.as_str()), ("user_id", "default"), ("decision", "allow")]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let status = bounded("the login", login).await.unwrap().expect("logged in");
    assert_eq!(status.account.as_deref(), Some("default@emulator.invalid"));
    assert!(status.scopes.iter().any(|s| s == PICKER_SCOPE), "{:?}", status.scopes);
    let session = picker(&ctx.emulator, &ctx.auth).create_session(CreateSessionOptions::default()).await.expect("a session");
    assert!(!session.id.is_empty());
}

#[tokio::test]
async fn the_loopback_flow_comes_back_through_the_browser_redirect_with_a_code_that_works() {
    let ctx = start(Approval::Approve).await;
    let status = bounded("the login", ctx.auth.login(&client(), LoginMethod::Loopback, browser())).await.expect("logged in");
    assert_eq!(status.account.as_deref(), Some("default@emulator.invalid"));
    let client = picker(&ctx.emulator, &ctx.auth);
    client.create_session(CreateSessionOptions::default()).await.expect("a session");
    let status = ctx.auth.status().await.expect("a status");
    assert!(status.scopes.iter().any(|s| s == PICKER_SCOPE));
    assert!(status.expires_in.is_some_and(|d| d > Duration::from_secs(3000)), "{status:?}");
    let shown = status.to_string();
    assert!(shown.contains("default@emulator.invalid") && !shown.contains("ya29") && !shown.contains("1//"), "{shown}");
}

#[tokio::test]
async fn the_loopback_flow_with_a_person_allowing_on_the_consent_page_works_too() {
    let ctx = start(Approval::Ask).await;
    let consent = |prompt: Prompt<'_>| {
        if let Prompt::OpenUrl { url } = prompt {
            let url = url.to_string();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let page = http.get(&url).send().await.unwrap().text().await.unwrap();
                let consent = page.split("name=consent value=").nth(1).and_then(|rest| rest.split('>').next()).expect("a consent id").to_string();
                let base = url.split("/o/oauth2/auth").next().unwrap().to_string();
                http.post(format!("{base}/o/oauth2/approve"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form(&[("consent", consent.as_str()), ("decision", "allow")]))
                    .send().await.unwrap();
            });
        }
    };
    bounded("the login", ctx.auth.login(&client(), LoginMethod::Loopback, consent)).await.expect("logged in");
    picker(&ctx.emulator, &ctx.auth).create_session(CreateSessionOptions::default()).await.expect("a session");
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_from_the_stored_refresh_token() {
    let ctx = start(Approval::Approve).await;
    bounded("the login", ctx.auth.login(&client(), LoginMethod::Device, |_: Prompt<'_>| {})).await.expect("logged in");
    let provider = ctx.auth.token_provider().unwrap();
    let first = provider.access_token(false).await.unwrap();
    assert_eq!(provider.access_token(false).await.unwrap(), first, "cached while good");
    ctx.emulator.advance_clock(Duration::from_secs(3600));
    let stale = Client::builder().endpoint(ctx.emulator.picker_url()).token(first.clone()).build().unwrap();
    let refused = stale.create_session(CreateSessionOptions::default()).await.unwrap_err();
    assert_eq!(refused.reason(), Some("ACCESS_TOKEN_EXPIRED"), "{refused}");
    // The client asks the provider again after the 401 and retries with the new token.
    let client = Client::builder().endpoint(ctx.emulator.picker_url()).token_provider(provider).build().unwrap();
    client.create_session(CreateSessionOptions::default()).await.expect("a session after the refresh");
}

#[tokio::test]
async fn a_token_without_the_picker_scope_is_refused_by_the_picker_api() {
    let ctx = start(Approval::Approve).await;
    let auth = ctx.auth.clone().with_scopes(&["email"]);
    bounded("the login", auth.login(&client(), LoginMethod::Device, |_: Prompt<'_>| {})).await.expect("logged in");
    let refused = picker(&ctx.emulator, &auth).create_session(CreateSessionOptions::default()).await.unwrap_err();
    assert_eq!((refused.http_status(), refused.reason()), (Some(403), Some("ACCESS_TOKEN_SCOPE_INSUFFICIENT")), "{refused}");
}

#[tokio::test]
async fn denying_ends_both_flows_with_access_denied_and_stores_nothing() {
    let ctx = start(Approval::Deny).await;
    let device = bounded("the device login", ctx.auth.login(&client(), LoginMethod::Device, |_: Prompt<'_>| {})).await;
    assert!(matches!(device, Err(LoginError::Denied)), "{device:?}");
    let loopback = bounded("the loopback login", ctx.auth.login(&client(), LoginMethod::Loopback, browser())).await;
    assert!(matches!(loopback, Err(LoginError::Denied)), "{loopback:?}");
    assert!(ctx.auth.store().load().unwrap().is_none());
    assert!(matches!(ctx.auth.status().await, Err(LoginError::NotLoggedIn)));
}

#[tokio::test]
async fn an_expired_device_code_ends_the_flow_with_expired() {
    let ctx = start(Approval::Ask).await;
    let (shown, prompt) = recorder();
    let login = {
        let auth = ctx.auth.clone();
        tokio::spawn(async move { auth.login(&client(), LoginMethod::Device, prompt).await })
    };
    bounded("the prompt", async {
        while shown.lock().unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    ctx.emulator.advance_clock(Duration::from_secs(1801));
    let outcome = bounded("the login", login).await.unwrap();
    assert!(matches!(outcome, Err(LoginError::Expired)), "{outcome:?}");
}

#[tokio::test]
async fn after_slow_down_the_device_waits_five_seconds_longer_so_it_is_never_told_twice() {
    let ctx = start(Approval::Approve).await;
    ctx.emulator.inject_slow_downs(1);
    let started = std::time::Instant::now();
    bounded("the login", ctx.auth.login(&client(), LoginMethod::Device, |_: Prompt<'_>| {})).await.expect("logged in");
    // The emulator answers slow_down to any poll sooner than the grown interval.
    assert_eq!(ctx.emulator.slow_downs_answered(), 1);
    assert!(started.elapsed() >= Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unknown_client_is_refused_with_invalid_client_and_a_hint() {
    let ctx = start(Approval::Approve).await;
    let outcome = ctx.auth.login(&ClientSecrets::new("not-a-google-client", "x"), LoginMethod::Device, |_: Prompt<'_>| {}).await;
    let error = outcome.unwrap_err();
    assert_eq!(error.oauth_error(), Some("invalid_client"), "{error}");
    assert!(error.hint().contains("client-secrets"), "{}", error.hint());
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_its_access_tokens_and_deletes_the_file() {
    let ctx = start(Approval::Approve).await;
    bounded("the login", ctx.auth.login(&client(), LoginMethod::Device, |_: Prompt<'_>| {})).await.expect("logged in");
    let stored = ctx.auth.store().load().unwrap().expect("stored");
    let access = ctx.auth.token_provider().unwrap().access_token(false).await.unwrap();
    assert!(ctx.emulator.refresh_token_is_live(stored.refresh_token.expose()));
    let logout = ctx.auth.logout().await.unwrap();
    assert_eq!((logout.removed, logout.revoked, logout.revoke_error), (true, true, None));
    assert!(!ctx.emulator.refresh_token_is_live(stored.refresh_token.expose()));
    assert!(!ctx.auth.store().path().exists());
    let revoked = Client::builder().endpoint(ctx.emulator.picker_url()).token(access).build().unwrap();
    let refused = revoked.create_session(CreateSessionOptions::default()).await.unwrap_err();
    assert_eq!(refused.http_status(), Some(401), "{refused}");
    // A login revoked elsewhere: status says invalid_grant, never the token.
    ctx.auth.store().save(&stored).unwrap();
    let error = ctx.auth.status().await.unwrap_err();
    assert_eq!(error.oauth_error(), Some("invalid_grant"), "{error}");
    assert!(!error.to_string().contains(stored.refresh_token.expose()) && !format!("{error:?}").contains(stored.refresh_token.expose()));
    assert!(!ctx.auth.logout().await.unwrap().revoked, "already revoked");
}

fn a_login(n: usize) -> StoredLogin {
    StoredLogin {
        client_id: format!("client-{n}.apps.googleusercontent.com"),
        client_secret: Secret::new(format!("secret-{n}")),
        refresh_token: Secret::new(format!("1//refresh-{n}-{}", "x".repeat(n * 50))),
        scopes: vec![PICKER_SCOPE.into()],
        account: None,
        token_uri: "https://oauth2.googleapis.com/token".into(),
        revoke_uri: "https://oauth2.googleapis.com/revoke".into(),
        tokeninfo_uri: "https://oauth2.googleapis.com/tokeninfo".into(),
        saved_at: chrono::Utc::now(),
    }
}

#[test]
fn the_token_file_is_0600_and_concurrent_saves_never_leave_a_torn_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::at(dir.path().join("photospicker").join("login.json"));
    store.save(&a_login(0)).unwrap();
    let writers: Vec<_> = (1..=6)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || (0..25).for_each(|_| store.save(&a_login(n)).unwrap()))
        })
        .collect();
    // Every read in the meantime sees one whole login, never a mix or half of one.
    let reader = {
        let store = store.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                let login = store.load().unwrap().expect("a login");
                let n: usize = login.client_id.trim_start_matches("client-").split('.').next().unwrap().parse().unwrap();
                assert_eq!(login, StoredLogin { saved_at: login.saved_at, ..a_login(n) });
            }
        })
    };
    writers.into_iter().for_each(|w| w.join().unwrap());
    reader.join().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(store.path().parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    }
    let leftovers: Vec<_> = std::fs::read_dir(store.path().parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("login.json")], "no temporary files left");
    assert!(store.delete().unwrap());
    assert!(!store.delete().unwrap());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let login = a_login(1);
    let shown = format!("{login:?} {:?}", ClientSecrets::new(CLIENT_ID, "secret-1"));
    assert!(!shown.contains("secret-1") && !shown.contains("1//refresh"), "{shown}");
}

#[test]
fn client_secrets_files_of_desktop_and_tv_clients_are_read_and_web_ones_refused() {
    let installed = r#"{"installed":{"client_id":"1-abc.apps.googleusercontent.com","project_id":"p","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","client_secret":"GOCSPX-x","redirect_uris":["http://localhost"]}}"#;
    let client = ClientSecrets::from_json(installed).unwrap();
    assert_eq!((client.client_id.as_str(), client.client_secret.expose()), ("1-abc.apps.googleusercontent.com", "GOCSPX-x"));
    let web = r#"{"web":{"client_id":"1-abc.apps.googleusercontent.com","client_secret":"s"}}"#;
    assert!(matches!(ClientSecrets::from_json(web), Err(LoginError::ClientSecrets(why)) if why.contains("Web application")));
    for garbage in ["", "[]", "{}", r#"{"installed":{"client_id":""}}"#] {
        assert!(matches!(ClientSecrets::from_json(garbage), Err(LoginError::ClientSecrets(_))), "{garbage:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("client_secret.json");
    std::fs::write(&path, installed).unwrap();
    assert_eq!(ClientSecrets::locate(Some(&path), &OAuthEndpoints::google()).unwrap(), client);
    let missing = ClientSecrets::locate(Some(&dir.path().join("nope.json")), &OAuthEndpoints::google());
    assert!(matches!(missing, Err(LoginError::Io { .. })), "{missing:?}");
}

#[test]
fn plain_http_oauth_endpoints_are_refused_off_loopback() {
    assert!(matches!(OAuthEndpoints::emulator("http://photos.example:8080"), Err(LoginError::Config(_))));
    assert!(OAuthEndpoints::emulator("http://127.0.0.1:8080/").unwrap().token_uri.ends_with(":8080/token"));
}
