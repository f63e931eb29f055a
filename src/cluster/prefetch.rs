//! Cache prefetch hints for the merge loop, which is bound by cache misses.
//!
//! Owns [`prefetch_value`] and [`prefetch_slice`]. A prefetch is only a
//! hint: it reads nothing, cannot fault and changes no result; on other
//! architectures than x86_64 these do nothing.

/// The size of a cache line, the unit a prefetch loads.
const CACHE_LINE_BYTES: usize = 64;

/// Asks the CPU to start loading the cache lines of `value`.
pub(super) fn prefetch_value<T>(value: &T) {
    prefetch_bytes((value as *const T).cast(), std::mem::size_of::<T>());
}

/// Asks the CPU to start loading the cache lines of `slice` up to
/// `max_bytes`, and beyond those the one in its middle (where a binary
/// search starts).
pub(super) fn prefetch_slice<T>(slice: &[T], max_bytes: usize) {
    let bytes = std::mem::size_of_val(slice);
    let start: *const u8 = slice.as_ptr().cast();
    prefetch_bytes(start, bytes.min(max_bytes));
    if bytes > max_bytes {
        prefetch_bytes(start.wrapping_add(bytes / 2), 1);
    }
}

/// Prefetches the cache lines of `bytes` bytes from `start`. A prefetch is
/// only a hint: it reads nothing and cannot fault, whatever the address.
fn prefetch_bytes(start: *const u8, bytes: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let mut offset = 0;
        while offset < bytes {
            // SAFETY: SSE, which `_mm_prefetch` needs, is part of x86_64;
            // the prefetch dereferences nothing.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(offset).cast()) };
            offset += CACHE_LINE_BYTES;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (start, bytes);
}
