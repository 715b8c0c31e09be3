//! Ctrl-C: the first one cancels the running command, which then cleans up
//! (deletes its session, removes its files); a second one stops at once.

use photospicker::CancellationToken;

pub fn on_ctrl_c() -> CancellationToken {
    let token = CancellationToken::new();
    let cancel = token.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\ninterrupted twice: stopping without cleaning up");
                std::process::exit(130);
            }
        }
    });
    token
}

/// Runs `work` unless `cancel` fires first.
pub async fn unless_cancelled<T>(cancel: &CancellationToken, work: impl std::future::Future<Output = T>) -> Option<T> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        out = work => Some(out),
    }
}
