//! Integration tests: run the `storyclust` binary as a user would.

mod bad_input;
mod formats;
mod quality;
mod html;
mod html_input;
mod long_articles;
mod seeds;
mod show;
mod signals;
mod util;
