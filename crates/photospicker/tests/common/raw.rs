//! A deliberately hostile HTTP/1.1 server on a real socket: each request is
//! answered by a script of raw writes, pauses and cuts that the test chooses,
//! so the client can be tried against what proxies, captive portals, rate
//! limiters and broken CDN nodes really send.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the client sent.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    /// The request target as sent (path and query, still percent-encoded).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// One step of an answer.
#[derive(Debug, Clone)]
pub enum Step {
    Write(Vec<u8>),
    Sleep(Duration),
    /// Writes `chunk` every `every` until `total` bytes were sent (or forever with `None`).
    Drip { chunk: Vec<u8>, every: Duration, total: Option<usize> },
    /// Closes the connection (a reset mid-body when the body was not finished).
    Close,
}

/// A complete answer with a body: status line, headers, `Content-Length`.
pub fn respond(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Vec<Step> {
    let body = body.as_ref();
    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    vec![Step::Write(bytes)]
}

/// A JSON answer.
pub fn json(status: u16, body: &serde_json::Value) -> Vec<Step> {
    respond(status, &[("content-type", "application/json; charset=UTF-8")], body.to_string())
}

/// Google's error envelope.
pub fn google_error(status: u16, name: &str, message: &str) -> Vec<Step> {
    json(status, &serde_json::json!({"error": {"code": status, "message": message, "status": name}}))
}

pub type Handler = Arc<dyn Fn(&RawRequest, usize) -> Vec<Step> + Send + Sync>;

/// A running hostile server; it stops when dropped.
pub struct RawServer {
    pub url: String,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    /// Serves every request with `handler(request, index)` (index counts from 0 over all requests).
    pub async fn start(handler: impl Fn(&RawRequest, usize) -> Vec<Step> + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let log = requests.clone();
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::spawn(serve_connection(stream, handler.clone(), log.clone()));
            }
        });
        RawServer { url, requests, connections, task }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A client for both APIs at this server, with `token` and fast retries.
    pub fn client_builder(&self, token: &str) -> photospicker::ClientBuilder {
        photospicker::Client::builder().endpoint(&self.url).library_endpoint(&self.url).token(token).retry_policy(super::fast_retries())
    }

    /// A client for both APIs at this server (token `ya29.secret-token`).
    pub fn client(&self) -> photospicker::Client {
        self.client_builder("ya29.secret-token").build().expect("a client")
    }
}

async fn serve_connection(mut stream: TcpStream, handler: Handler, log: Arc<Mutex<Vec<RawRequest>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else { return };
        let index = {
            let mut log = log.lock().unwrap();
            log.push(request.clone());
            log.len() - 1
        };
        for step in handler(&request, index) {
            let ok = match step {
                Step::Write(bytes) => stream.write_all(&bytes).await.is_ok(),
                Step::Sleep(pause) => {
                    tokio::time::sleep(pause).await;
                    true
                }
                Step::Drip { chunk, every, total } => drip(&mut stream, &chunk, every, total).await,
                Step::Close => {
                    let _ = stream.shutdown().await;
                    return;
                }
            };
            if !ok {
                return;
            }
        }
    }
}

async fn drip(stream: &mut TcpStream, chunk: &[u8], every: Duration, total: Option<usize>) -> bool {
    let mut sent = 0;
    while total.is_none_or(|total| sent < total) {
        let n = total.map_or(chunk.len(), |total| chunk.len().min(total - sent));
        if stream.write_all(&chunk[..n]).await.is_err() {
            return false;
        }
        sent += n;
        tokio::time::sleep(every).await;
    }
    true
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<RawRequest> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> =
        lines.filter_map(|line| line.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    let length = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.parse().ok()).unwrap_or(0usize);
    buffer.drain(..head_end + 4);
    while buffer.len() < length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer.drain(..length).collect();
    Some(RawRequest { method, target, headers, body })
}
