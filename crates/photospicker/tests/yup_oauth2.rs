//! The yup-oauth2 adapter against a metadata-server token endpoint served by
//! the test: the cached token first, a forced refresh after a 401.

#![cfg(feature = "yup-oauth2")]

mod common;

use common::start;
use photospicker::{Client, YupOauth2Provider};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers each token request with the next token of `tokens`.
async fn token_server(tokens: Vec<String>) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0u8; 4096];
            let _ = socket.read(&mut request).await.unwrap();
            let n = count.fetch_add(1, Ordering::SeqCst);
            let token = &tokens[n.min(tokens.len() - 1)];
            let body = format!(r#"{{"access_token":"{token}","expires_in":3600,"token_type":"Bearer"}}"#);
            let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            socket.write_all(answer.as_bytes()).await.unwrap();
        }
    });
    (url, served)
}

#[tokio::test]
async fn a_yup_authenticator_is_refreshed_after_a_401() {
    let ctx = start().await;
    let (url, served) = token_server(vec!["stale".into(), ctx.token.clone()]).await;
    // SAFETY: no other thread of this test binary reads the environment.
    unsafe { std::env::remove_var("GOOGLE_APPLICATION_CREDENTIALS") };
    let options = yup_oauth2::ApplicationDefaultCredentialsFlowOpts { metadata_url: Some(url) };
    let authenticator = match yup_oauth2::ApplicationDefaultCredentialsAuthenticator::builder(options).await {
        yup_oauth2::authenticator::ApplicationDefaultCredentialsTypes::InstanceMetadata(builder) => builder.build().await.unwrap(),
        yup_oauth2::authenticator::ApplicationDefaultCredentialsTypes::ServiceAccount(_) => panic!("expected the metadata flow"),
    };
    let provider = YupOauth2Provider::new(authenticator);
    assert!(!format!("{provider:?}").contains("stale"));
    let client = Client::builder().endpoint(ctx.emulator.picker_url()).token_provider(provider).build().unwrap();
    let session = client.create_session(Default::default()).await.expect("the refreshed token works");
    assert!(!session.id.is_empty());
    assert_eq!(served.load(Ordering::SeqCst), 2, "the cached token, then one forced refresh");
    let statuses: Vec<u16> = ctx.emulator.requests(Some("sessions.create")).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 200]);
    client.get_session(&session.id).await.expect("the refreshed token is cached");
    assert_eq!(served.load(Ordering::SeqCst), 2);
}
