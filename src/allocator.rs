//! The process's allocator, mimalloc, and when it returns freed memory to the
//! operating system.
//!
//! Owns the global allocator, its purge delay and the process's use of
//! transparent huge pages; must not know anything of the pipeline beyond its
//! [`Stage`]s.
//!
//! Reading, cleaning and fingerprinting allocate and free about the same
//! memory for every batch of documents. mimalloc's default is to hand freed
//! pages back to the system after a delay (a second), and the kernel then
//! zeroes each page again when it is next touched. So through those stages
//! freed memory is kept. From story vectors on, freed memory is purged: the
//! clustering stages allocate larger, longer-lived structures, and keeping
//! every freed page would raise the peak (by a third at 100,000 articles).
//!
//! Transparent huge pages stay off throughout: a purged 2 MiB page comes
//! back zeroed whole when any byte of it is used again, which at 1,000,000
//! articles was most of a run's system time (BENCHMARKS.md has the figures).
//! 4 KiB pages are also smaller to hold while streaming.
//!
//! Neither setting changes any result, only time and memory.

use storyclust::pipeline::Stage;

/// mimalloc instead of the system allocator: hnsw_rs allocates and frees a
/// few small objects per visited node from every thread, and glibc's
/// allocator (free-list consolidation, per-thread arenas) slowed the index
/// as the heap grew.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in `mi_option_e` (mimalloc.h, v3), which
/// libmimalloc-sys does not name: milliseconds before freed memory is
/// purged, or -1 for never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's own default purge delay, in milliseconds (`options.c`; the
/// header's comment says 10).
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// Sets the purge delay for a stage that is about to start, and keeps huge
/// pages off.
pub fn enter(stage: Stage) {
    let streaming = matches!(stage, Stage::Templates | Stage::Clean | Stage::Fingerprint);
    let delay = if streaming { -1 } else { DEFAULT_PURGE_DELAY };
    // SAFETY: mi_option_set only stores the value in mimalloc's option
    // table; any value is valid for this option and it may be changed at
    // any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, delay) }
    allow_huge_pages(false);
}

/// Whether the kernel may back the process's memory with transparent huge
/// pages when it is first touched (Linux; the flag is the process's, read at
/// each page fault, so it applies to memory already mapped too). Nothing
/// happens where it cannot be set.
fn allow_huge_pages(allow: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument (0 or 1; the
    // other three must be 0) and only sets a flag of the process.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(!allow),
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        );
    }
    #[cfg(not(target_os = "linux"))]
    let _ = allow;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(option: libmimalloc_sys::mi_option_t) -> std::ffi::c_long {
        // SAFETY: reading an option has no precondition.
        unsafe { libmimalloc_sys::mi_option_get(option) }
    }

    /// Whether huge pages are off for the process (`None` off Linux).
    fn huge_pages_disabled() -> Option<i32> {
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_THP_DISABLE takes no argument and reads a flag.
        return Some(unsafe {
            libc::prctl(
                libc::PR_GET_THP_DISABLE,
                0 as libc::c_ulong,
                0 as libc::c_ulong,
                0 as libc::c_ulong,
                0 as libc::c_ulong,
            )
        });
        #[cfg(not(target_os = "linux"))]
        None
    }

    /// One test, as the settings are the process's. The option number is
    /// not named by the crate, so first check that it is the purge delay:
    /// its default, and the option after it.
    #[test]
    fn stages_set_the_purge_delay_and_huge_pages() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // (The environment overrides the default checked here.)
            assert_eq!(get(PURGE_DELAY), DEFAULT_PURGE_DELAY);
        }
        assert_eq!(get(libmimalloc_sys::mi_option_use_numa_nodes), 0);
        assert_eq!(libmimalloc_sys::mi_option_use_numa_nodes, PURGE_DELAY + 1);
        let linux = cfg!(target_os = "linux");
        for stage in [Stage::Templates, Stage::Clean, Stage::Fingerprint] {
            enter(stage);
            assert_eq!(get(PURGE_DELAY), -1, "{stage:?}");
            assert_eq!(huge_pages_disabled(), linux.then_some(1), "{stage:?}");
        }
        for stage in
            [Stage::Represent, Stage::Index, Stage::Cluster, Stage::Storylines, Stage::StoreRead, Stage::StoreWrite]
        {
            enter(stage);
            assert_eq!(get(PURGE_DELAY), DEFAULT_PURGE_DELAY, "{stage:?}");
            assert_eq!(huge_pages_disabled(), linux.then_some(1), "{stage:?}");
        }
    }
}
