//! Integration tests: run the `storyclust` binary as a user would.

mod bad_input;
mod bounds;
mod formats;
mod quality;
mod html;
mod html_input;
pub(crate) mod long_articles;
mod seeds;
mod show;
mod signals;
mod util;
