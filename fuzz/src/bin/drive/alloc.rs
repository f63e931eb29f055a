//! The driver's global allocator: the system allocator, counting the bytes
//! each worker thread holds, so that the driver can bound the memory of one
//! input. Owns [`Counting`] and the per-worker [`Slot`]s.
//!
//! A worker runs one input at a time on one thread (its own one-thread
//! rayon pool), so the bytes allocated minus the bytes freed on that thread
//! since the input began are what the input holds; the largest value seen
//! is its peak. Threads that are not workers are not counted.
//!
//! Must not allocate, lock or panic inside the allocator's methods.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

/// The most worker threads the driver runs.
pub const MAX_WORKERS: usize = 64;

/// What one worker's current input holds.
pub struct Slot {
    /// Bytes allocated minus bytes freed since the input began.
    current: AtomicIsize,
    /// The largest `current` since the input began.
    peak: AtomicIsize,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot { current: AtomicIsize::new(0), peak: AtomicIsize::new(0) };

static SLOTS: [Slot; MAX_WORKERS] = [EMPTY_SLOT; MAX_WORKERS];

thread_local! {
    /// The slot of the worker running on this thread, `usize::MAX` for none.
    /// A constant initialiser and no destructor: reading it never allocates.
    static WORKER: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Counts this thread's allocations in worker `slot`'s counters from now on.
pub fn count_this_thread_as(slot: usize) {
    assert!(slot < MAX_WORKERS);
    WORKER.with(|w| w.set(slot));
}

/// Starts a new input in `slot`: its counters from zero. Called on the
/// worker's own thread, the one thread that writes its slot.
pub fn start_input(slot: usize) {
    SLOTS[slot].current.store(0, Ordering::Relaxed);
    SLOTS[slot].peak.store(0, Ordering::Relaxed);
}

/// The peak bytes held by `slot`'s current input so far.
pub fn peak(slot: usize) -> usize {
    SLOTS[slot].peak.load(Ordering::Relaxed).max(0) as usize
}

fn add(delta: isize) {
    // `try_with`: during thread teardown the local may be gone already.
    let slot = WORKER.try_with(Cell::get).unwrap_or(usize::MAX);
    if let Some(slot) = SLOTS.get(slot) {
        // Only the worker's own thread writes its slot (the watchdog only
        // reads it): a load and a store, without a locked read-modify-write.
        let now = slot.current.load(Ordering::Relaxed) + delta;
        slot.current.store(now, Ordering::Relaxed);
        if now > slot.peak.load(Ordering::Relaxed) {
            slot.peak.store(now, Ordering::Relaxed);
        }
    }
}

/// The system allocator, counting per worker.
pub struct Counting;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees hold; the counting touches atomics
// and a constant-initialised thread local only, never the heap.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which
        // is `System::alloc`'s.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            add(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a block this allocator (that is,
        // `System`) allocated with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        add(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller passes a block `System` allocated with
        // `layout` and a valid new size.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            add(new_size as isize - layout.size() as isize);
        }
        new
    }
}
