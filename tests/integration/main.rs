//! Integration tests: run the `storyclust` binary as a user would.

mod bad_input;
mod formats;
mod seeds;
mod util;
