//! What a terminating signal must not leave behind: the command's temporary
//! output files.
//!
//! Owns [`install`] (a thread that waits for SIGINT, SIGTERM, SIGHUP and
//! SIGQUIT), [`TempPath`] (a temporary file removed if such a signal ends the
//! run) and [`hold`]. On a signal the thread removes every registered file
//! and then ends the process the way the signal would have (its default
//! action, so a shell sees "interrupted"), never resuming the run. It must
//! not do anything else on a signal: no output, no flushing.
//!
//! The library's own temporary files need no help: spilled records and the
//! copy of standard input are files without a name, which the system frees
//! with the process however it ends. SIGKILL cannot be caught; after it, a
//! `.storyclust-*.part` file beside an `--output` path can remain (never in
//! its place).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

/// The temporary files to remove on a signal.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere while the list was held leaves it usable.
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the thread that cleans up on a terminating signal. Without it
/// the signals keep their default action (and the files stay).
pub fn install() -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the process ends, so that no file is put in place
            // (see `hold`) after the removal began.
            let paths = pending();
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // A signal whose default action is not to end the process
            // (none of those above) must still not resume the run.
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// A temporary file that a terminating signal removes. Dropping this only
/// forgets the path (whoever owns the file removes or keeps it).
pub struct TempPath {
    path: PathBuf,
}

impl TempPath {
    /// Registers `path` for removal on a signal.
    pub fn register(path: &Path) -> TempPath {
        pending().push(path.to_path_buf());
        TempPath { path: path.to_path_buf() }
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let mut paths = pending();
        if let Some(at) = paths.iter().position(|p| *p == self.path) {
            paths.swap_remove(at);
        }
    }
}

/// Keeps a signal from removing files while the guard lives: a temporary
/// file renamed into place under it is either renamed whole before the
/// signal's clean-up runs, or removed and never renamed.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    pending()
}
