//! The client process named at `initialize` (`processId`). A client that
//! dies without closing the server's stdin (killed, or with the pipe
//! inherited by another process) would leave the server running with no
//! one to talk to: the server looks every second, and stops once the
//! process is gone.

/// Returns once the process `pid` has gone.
#[cfg(unix)]
pub async fn exited(pid: u32) {
    use rustix::io::Errno;
    use rustix::process::{Pid, test_kill_process};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        // Not a process id (0, or out of range): nothing to watch.
        return std::future::pending().await;
    };
    // A client in another PID namespace (a server started through `docker
    // exec`, some remote set-ups) names a process this server cannot see:
    // unknown from the start, it is not watched.
    if test_kill_process(pid) == Err(Errno::SRCH) {
        tracing::info!("the client process {pid:?} is not visible from here; not watched");
        return std::future::pending().await;
    }
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        // `kill(pid, 0)`. EPERM means the process lives, under another user.
        if test_kill_process(pid) == Err(Errno::SRCH) {
            return;
        }
    }
}

/// Where the server cannot look (not on unix): never.
#[cfg(not(unix))]
pub async fn exited(_: u32) {
    std::future::pending().await
}
