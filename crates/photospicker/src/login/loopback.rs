//! The installed-app flow with a loopback redirect (Google's recommendation
//! for desktop and command-line apps): listen on 127.0.0.1, send the person
//! to the authorization page with a PKCE S256 challenge and a random
//! `state`, take the code from the browser's redirect (only with our
//! `state`), and exchange it with the verifier.

use super::http::{OAuthHttp, TokenAnswer};
use super::{ClientSecrets, LoginError, OAuthEndpoints, Prompt};
use base64::Engine;
use sha2::Digest;
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// A browser's request line and headers fit easily.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// A connection that says nothing (a browser's pre-connect) is dropped after this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What the browser brought back.
enum Redirect {
    Code(String),
    Error(String),
}

/// Random text from the OS's CSPRNG (through uuid's v4, which draws on it):
/// the PKCE verifier and `state` must be unguessable to anything else on the machine.
fn random_urlsafe(uuids: usize) -> String {
    let raw: Vec<u8> = (0..uuids).flat_map(|_| uuid::Uuid::new_v4().into_bytes()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub(crate) async fn run(
    http: &OAuthHttp,
    endpoints: &OAuthEndpoints,
    client: &ClientSecrets,
    scopes: &[String],
    timeout: Duration,
    prompt: &mut (dyn FnMut(Prompt<'_>) + Send),
) -> Result<TokenAnswer, LoginError> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| LoginError::Config(format!("cannot listen on 127.0.0.1 for the browser's redirect: {e}")))?;
    let port = listener.local_addr().map_err(|e| LoginError::Config(format!("the loopback listener has no address: {e}")))?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/");
    // Three v4 UUIDs: 366 random bits, 64 characters (RFC 7636 wants 43 to 128).
    let verifier = random_urlsafe(3);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let state = random_urlsafe(1);
    let mut url = url::Url::parse(&endpoints.auth_uri).map_err(|e| LoginError::Config(format!("the authorization endpoint is not a URL: {e}")))?;
    url.query_pairs_mut()
        .append_pair("client_id", &client.client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", &scopes.join(" "))
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("access_type", "offline");
    prompt(Prompt::OpenUrl { url: url.as_str() });
    let code = match tokio::time::timeout(timeout, wait_for_redirect(listener, &state)).await {
        Err(_) => return Err(LoginError::Expired),
        Ok(Redirect::Code(code)) => code,
        Ok(Redirect::Error(error)) if error == "access_denied" => return Err(LoginError::Denied),
        Ok(Redirect::Error(error)) => return Err(LoginError::oauth(error, "the authorization page refused", 400)),
    };
    let form = [
        ("client_id", client.client_id.as_str()),
        ("client_secret", client.client_secret.expose()),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("grant_type", "authorization_code"),
        ("redirect_uri", redirect_uri.as_str()),
    ];
    http.token(&endpoints.token_uri, &form).await
}

/// Serves the loopback port until a request carries our `state` (each
/// connection on its own task, so that a silent one holds nothing up).
async fn wait_for_redirect(listener: TcpListener, state: &str) -> Redirect {
    let (found, mut results) = mpsc::channel::<Redirect>(1);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let (found, state) = (found.clone(), state.to_string());
                tasks.spawn(async move {
                    if let Ok(Some(redirect)) = tokio::time::timeout(REQUEST_TIMEOUT, answer(stream, &state)).await {
                        let _ = found.send(redirect).await;
                    }
                });
                // Finished connection tasks are reaped as we go.
                while tasks.try_join_next().is_some() {}
            }
            Some(redirect) = results.recv() => return redirect,
        }
    }
}

/// Reads one request; answers the browser; returns the redirect if it is ours.
async fn answer(mut stream: TcpStream, state: &str) -> Option<Redirect> {
    let mut request = Vec::with_capacity(1024);
    let mut buffer = [0u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 || request.len() + n > MAX_REQUEST_BYTES {
            return None;
        }
        request.extend_from_slice(&buffer[..n]);
    }
    let line = String::from_utf8_lossy(&request);
    let target = line.lines().next()?.split(' ').nth(1)?.to_string();
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let ours = params.get("state").map(String::as_str) == Some(state);
    let (status, text, redirect) = match (ours, params.get("code"), params.get("error")) {
        (true, Some(code), _) => ("200 OK", "Signed in. You may close this window and return to the terminal.", Some(Redirect::Code(code.clone()))),
        (true, None, Some(error)) => ("200 OK", "Sign-in was cancelled. You may close this window.", Some(Redirect::Error(error.clone()))),
        _ => ("400 Bad Request", "This is not the sign-in this app started.", None),
    };
    let body = format!("<!DOCTYPE html><html><head><meta charset=utf-8><title>photospicker</title></head><body><p>{text}</p></body></html>");
    let reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
    redirect
}
