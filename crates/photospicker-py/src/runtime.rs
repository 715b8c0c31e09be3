//! The one tokio runtime behind every native call; Python threads block on it
//! with the GIL released.

use std::sync::OnceLock;
use tokio::runtime::Runtime;

pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("photospicker")
            .enable_all()
            .build()
            .expect("a tokio runtime can be built")
    })
}
