//! Ctrl-C: the first one cancels the running command, which then cleans up
//! (deletes its session, removes its files); a second one stops at once.

use photospicker::CancellationToken;

/// Listens for Ctrl-C from now on (the handler is installed before this
/// returns, so no early Ctrl-C is missed); call inside the runtime.
pub fn on_ctrl_c() -> CancellationToken {
    let token = CancellationToken::new();
    let cancel = token.clone();
    // SIGTERM (kill, `timeout`, a CI cancelling, `docker stop`) and SIGHUP (a
    // closed terminal) clean up like Ctrl-C.
    #[cfg(unix)]
    let mut interrupts: Vec<_> = [tokio::signal::unix::SignalKind::interrupt(), tokio::signal::unix::SignalKind::terminate(), tokio::signal::unix::SignalKind::hangup()]
        .into_iter()
        .filter_map(|kind| tokio::signal::unix::signal(kind).ok())
        .collect();
    tokio::spawn(async move {
        for count in 1.. {
            #[cfg(unix)]
            let interrupted = if interrupts.is_empty() {
                tokio::signal::ctrl_c().await.is_ok()
            } else {
                let signals = interrupts.iter_mut().map(|signal| Box::pin(signal.recv()));
                futures_util::future::select_all(signals).await.0.is_some()
            };
            #[cfg(not(unix))]
            let interrupted = tokio::signal::ctrl_c().await.is_ok();
            if !interrupted {
                return;
            }
            if count == 1 {
                cancel.cancel();
            } else {
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
