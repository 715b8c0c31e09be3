//! One TCP connection, hand-written HTTP/1.1: after an error answer to a
//! request with a body, the same socket serves the next request.

mod common;

use common::start;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const DEADLINE: Duration = Duration::from_secs(10);

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Reads one response (Content-Length or chunked) from the socket.
async fn read_answer(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Answer {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = timeout(DEADLINE, socket.read(&mut chunk)).await.expect("an answer in time").expect("read");
        assert!(n > 0, "the server closed the connection; so far: {:?}", String::from_utf8_lossy(buffer));
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    buffer.drain(..head_end);
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    };
    let body = if let Some(length) = header("content-length") {
        let length: usize = length.parse().unwrap();
        fill(socket, buffer, length).await;
        buffer.drain(..length).collect()
    } else {
        assert_eq!(header("transfer-encoding").as_deref(), Some("chunked"), "{head}");
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = buffer.windows(2).position(|w| w == b"\r\n") {
                    break at;
                }
                let have = buffer.len();
                fill(socket, buffer, have + 1).await;
            };
            let size = usize::from_str_radix(std::str::from_utf8(&buffer[..line_end]).unwrap().trim(), 16).unwrap();
            fill(socket, buffer, line_end + 2 + size + 2).await;
            body.extend_from_slice(&buffer[line_end + 2..line_end + 2 + size]);
            buffer.drain(..line_end + 2 + size + 2);
            if size == 0 {
                break body;
            }
        }
    };
    Answer { status, head, body }
}

async fn fill(socket: &mut TcpStream, buffer: &mut Vec<u8>, want: usize) {
    while buffer.len() < want {
        let mut chunk = [0u8; 4096];
        let n = timeout(DEADLINE, socket.read(&mut chunk)).await.expect("a body in time").expect("read");
        assert!(n > 0, "the server closed the connection mid-answer");
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// Sends the head, waits so that the body arrives in a later TCP read (as with
/// a slow client), then sends the body.
async fn send_in_two_parts(socket: &mut TcpStream, head: &str, body: &[u8]) {
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    socket.write_all(body).await.unwrap();
}

fn host(url: &str) -> &str {
    url.trim_start_matches("http://")
}

#[tokio::test]
async fn a_post_with_a_body_to_an_unknown_route_leaves_the_connection_usable() {
    let ctx = start().await;
    let mut socket = TcpStream::connect(host(ctx.picker())).await.unwrap();
    let mut buffer = Vec::new();
    let body = br#"{"pickingConfig": {"maxItemCount": "3"}}"#;
    let head = format!("POST /v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    send_in_two_parts(&mut socket, &head, body).await;
    let first = read_answer(&mut socket, &mut buffer).await;
    assert_eq!(first.status, 404, "{}", first.head);
    let envelope: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(envelope["error"]["status"], "NOT_FOUND");
    assert!(!first.head.to_ascii_lowercase().contains("connection: close"), "{}", first.head);

    let second = format!("GET /v1/sessions/none HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", ctx.token);
    socket.write_all(second.as_bytes()).await.unwrap();
    let answer = read_answer(&mut socket, &mut buffer).await;
    assert_eq!(answer.status, 404, "the second request on the same socket is answered: {}", answer.head);
}

#[tokio::test]
async fn chunked_bodies_to_wrong_methods_and_injected_faults_leave_the_connection_usable() {
    let ctx = start().await;
    ctx.emulator
        .inject_faults(vec![serde_json::from_value(serde_json::json!({"route": "sessions.create", "kind": "status", "status": 503, "times": 1})).unwrap()])
        .unwrap();
    let mut socket = TcpStream::connect(host(ctx.picker())).await.unwrap();
    let mut buffer = Vec::new();
    let chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    let cases = [
        ("PUT /v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_string(), &chunked[..], 404),
        (format!("POST /v1/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 2\r\n\r\n", ctx.token), &b"{}"[..], 503),
        ("DELETE /v1/mediaItems HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n".to_string(), &b"12345"[..], 404),
        ("OPTIONS /v1/sessions HTTP/1.1\r\nHost: x\r\nOrigin: http://a.test\r\nAccess-Control-Request-Method: POST\r\nContent-Length: 3\r\n\r\n".to_string(), &b"abc"[..], 200),
        ("GET /v1/sessions/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n".to_string(), &b"body"[..], 401),
    ];
    for (head, body, status) in cases {
        send_in_two_parts(&mut socket, &head, body).await;
        let answer = read_answer(&mut socket, &mut buffer).await;
        assert_eq!(answer.status, status, "{head}: {}", answer.head);
    }
    socket.write_all(b"GET /emulator/v1 HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    assert_eq!(read_answer(&mut socket, &mut buffer).await.status, 200);
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_with_connection_close() {
    let ctx = start().await;
    let mut socket = TcpStream::connect(host(ctx.picker())).await.unwrap();
    let mut buffer = Vec::new();
    socket.write_all(b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n").await.unwrap();
    let answer = read_answer(&mut socket, &mut buffer).await;
    assert_eq!(answer.status, 413, "{}", answer.head);
    assert!(answer.head.to_ascii_lowercase().contains("connection: close"), "{}", answer.head);
    let mut rest = Vec::new();
    let closed = timeout(DEADLINE, socket.read_to_end(&mut rest)).await.expect("the server closes the connection");
    assert!(closed.is_err() || rest.is_empty(), "nothing follows the 413");
}
