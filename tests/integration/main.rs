//! Integration tests: run the `storyclust` binary as a user would.

mod add;
mod add_quality;
mod bad_input;
mod bounds;
mod explain;
mod explain_store;
mod formats;
pub(crate) mod quality;
mod html;
mod html_input;
mod languages;
pub(crate) mod long_articles;
#[cfg(feature = "parquet")]
mod parquet;
mod seeds;
mod show;
mod signals;
mod store_commands;
mod store_crash;
mod storylines;
mod util;
