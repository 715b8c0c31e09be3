//! A loopback server that answers `mediaItems.list` with a scripted sequence
//! of pages, and the client's real listing stream run against it. Started
//! once per process; each fuzz input installs its script.

use futures_util::StreamExt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Mutex, OnceLock};

pub struct Outcome {
    pub requests: usize,
    pub items: usize,
    pub ended_with_error: bool,
}

struct Script {
    pages: Vec<(usize, Option<String>)>,
    served: usize,
}

static SCRIPT: Mutex<Script> = Mutex::new(Script { pages: Vec::new(), served: 0 });

fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let body = next_page();
                let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let mut stream = reader.into_inner();
                let _ = stream.write_all(answer.as_bytes());
                let _ = stream.flush();
                let _ = stream.read(&mut [0u8; 1]);
            }
        });
        url
    })
}

fn next_page() -> String {
    let mut script = SCRIPT.lock().unwrap();
    let index = script.served;
    script.served += 1;
    let Some((count, next)) = script.pages.get(index).cloned() else { return "{}".into() };
    let items: Vec<_> = (0..count)
        .map(|i| {
            serde_json::json!({"id": format!("p{index}i{i}"), "createTime": "2024-01-01T00:00:00Z", "type": "PHOTO",
                "mediaFile": {"baseUrl": "https://lh3.googleusercontent.com/x", "mimeType": "image/jpeg", "filename": "a.jpg"}})
        })
        .collect();
    let mut page = serde_json::json!({"mediaItems": items});
    if let Some(next) = next {
        page["nextPageToken"] = next.into();
    }
    page.to_string()
}

/// Lists every item of a session against `pages` with the real client.
pub fn list_against(pages: &[(usize, Option<String>)]) -> Outcome {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    static CLIENT: OnceLock<photospicker::Client> = OnceLock::new();
    let url = server_url();
    let runtime = RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());
    let client = CLIENT.get_or_init(|| {
        photospicker::Client::builder().endpoint(url).library_endpoint(url).token("fuzz-token-123").build().expect("a client")
    });
    *SCRIPT.lock().unwrap() = Script { pages: pages.to_vec(), served: 0 };
    let results: Vec<_> = runtime.block_on(client.list_media_items("session", None).collect());
    let requests = SCRIPT.lock().unwrap().served;
    let items = results.iter().filter(|r| r.is_ok()).count();
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.len() <= 1 && results.last().is_none_or(|r| r.is_ok() || errors.len() == 1), "one error, last");
    if let Some(error) = errors.first() {
        assert!(error.is_decode(), "{error:?}");
    }
    Outcome { requests, items, ended_with_error: !errors.is_empty() }
}
