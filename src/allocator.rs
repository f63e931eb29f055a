//! The process's allocator, mimalloc, and when it returns freed memory to the
//! operating system.
//!
//! Owns the global allocator and its purge delay; must not know anything of
//! the pipeline beyond its [`Stage`]s.
//!
//! Reading, cleaning and fingerprinting allocate and free about the same
//! memory for every batch of documents. mimalloc's default is to hand freed
//! pages back to the system after a delay (a second); on a
//! system with transparent huge pages each of those pages then comes back as a
//! fresh 2 MiB page that the kernel zeroes, which cost 8% of a one-thread
//! `dedup` of 100,000 articles (7,900 page faults). So freed memory is kept
//! through those stages and purged again from story vectors on, where the
//! clustering stages allocate larger, longer-lived structures and where
//! keeping every freed page would raise the peak (by a third at 100,000
//! articles).

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

/// Sets the purge delay for a stage that is about to start.
pub fn enter(stage: Stage) {
    let delay = match stage {
        Stage::Templates | Stage::Clean | Stage::Fingerprint => -1,
        Stage::Represent | Stage::Index | Stage::Cluster => DEFAULT_PURGE_DELAY,
    };
    // SAFETY: mi_option_set only stores the value in mimalloc's option
    // table; any value is valid for this option and it may be changed at
    // any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, delay) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(option: libmimalloc_sys::mi_option_t) -> std::ffi::c_long {
        // SAFETY: reading an option has no precondition.
        unsafe { libmimalloc_sys::mi_option_get(option) }
    }

    /// The option number is not named by the crate, so check that it is the
    /// purge delay: its documented default, and the options around it.
    #[test]
    fn option_fifteen_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // the environment overrides the default checked here
        }
        assert_eq!(get(PURGE_DELAY), DEFAULT_PURGE_DELAY);
        assert_eq!(get(libmimalloc_sys::mi_option_use_numa_nodes), 0);
        assert_eq!(libmimalloc_sys::mi_option_use_numa_nodes, PURGE_DELAY + 1);
        enter(Stage::Clean);
        assert_eq!(get(PURGE_DELAY), -1);
        enter(Stage::Index);
        assert_eq!(get(PURGE_DELAY), DEFAULT_PURGE_DELAY);
    }
}
