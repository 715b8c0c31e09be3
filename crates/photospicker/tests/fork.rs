//! A client used before `fork()` keeps working in the child: the child's
//! first request builds its own HTTP connections (the parent's pooled ones
//! are driven by the parent's runtime, which does not run in the child).
//!
//! Forking a test binary whose other test threads may hold locks is not
//! safe, so the test runs itself again alone in a fresh process (flagged by
//! an environment variable); that process forks, and the test waits for it
//! with a deadline.

#![cfg(unix)]

mod common;

use photospicker::{Client, CreateSessionOptions};
use std::process::Command;
use std::time::{Duration, Instant};

const ALONE: &str = "PHOTOSPICKER_FORK_TEST_ALONE";
/// Generous: what is waited for hangs forever without the fix.
const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn a_client_used_before_fork_works_in_the_child_with_a_new_client_too() {
    if std::env::var_os(ALONE).is_some() {
        return fork_after_a_call();
    }
    let mut alone = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "a_client_used_before_fork_works_in_the_child_with_a_new_client_too", "--nocapture", "--test-threads=1"])
        .env(ALONE, "1")
        .spawn()
        .expect("the test binary runs again");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = alone.try_wait().expect("waitable") {
            break status;
        }
        if started.elapsed() > DEADLINE * 2 {
            let _ = alone.kill();
            let _ = alone.wait();
            panic!("the forking process did not finish in time (killed)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "the forking process failed: {status}");
}

/// In a process of its own: a call on a multi-threaded runtime (a pooled
/// connection stays open), then `fork()`, then calls in the child.
fn fork_after_a_call() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let ctx = runtime.block_on(common::start());
    let session = runtime.block_on(ctx.client.create_session(CreateSessionOptions::default())).expect("create");
    let urls = (ctx.emulator.picker_url().to_string(), ctx.emulator.library_url().to_string());

    // SAFETY: the child only builds its own runtime and client and leaves with
    // `_exit` (no destructor of the parent's runtime or emulator runs there).
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // Nothing is used after a panic but the exit status: unwind safety is moot.
        let calls = std::panic::AssertUnwindSafe(|| calls_in_the_child(&ctx.client, &session.id, &urls, &ctx.token));
        let passed = std::panic::catch_unwind(calls).unwrap_or(false);
        // SAFETY: ends the child at once, as a forked child should.
        unsafe { libc::_exit(if passed { 0 } else { 1 }) };
    }

    let started = Instant::now();
    let exit = loop {
        let mut status = 0;
        // SAFETY: waits for our own child without blocking.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        assert!(done >= 0, "waitpid failed");
        if done == pid {
            break status;
        }
        if started.elapsed() > DEADLINE {
            // SAFETY: our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("the forked child hung (killed)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(libc::WIFEXITED(exit) && libc::WEXITSTATUS(exit) == 0, "the forked child failed (wait status {exit})");
    // The parent's own connections still work after the child's calls.
    let again = runtime.block_on(ctx.client.get_session(&session.id)).expect("the parent still calls");
    assert_eq!(again.id, session.id);
}

fn calls_in_the_child(inherited: &Client, session_id: &str, (picker, library): &(String, String), token: &str) -> bool {
    // The parent's runtime has no threads here: the child runs its own.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime in the child");
    let fresh = Client::builder()
        .endpoint(picker.as_str())
        .library_endpoint(library.as_str())
        .token(token)
        .retry_policy(common::fast_retries())
        .build()
        .expect("a client in the child");
    runtime.block_on(async {
        let calls = async {
            let by_inherited = inherited.get_session(session_id).await;
            let by_fresh = fresh.get_session(session_id).await;
            let created = inherited.create_session(CreateSessionOptions::default()).await;
            match (by_inherited, by_fresh, created) {
                (Ok(a), Ok(b), Ok(_)) => a.id == session_id && b.id == session_id,
                outcome => {
                    eprintln!("calls in the forked child failed: {outcome:?}");
                    false
                }
            }
        };
        tokio::time::timeout(DEADLINE / 2, calls).await.unwrap_or_else(|_| {
            eprintln!("calls in the forked child timed out");
            false
        })
    })
}
