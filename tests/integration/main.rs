//! Integration tests: run the `storyclust` binary as a user would.

mod bad_input;
mod formats;
mod quality;
mod html;
mod seeds;
mod show;
mod signals;
mod util;
