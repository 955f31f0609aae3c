//! The HTTP and database tests: each starts the real server on port 0 with
//! its own fresh database (`#[sqlx::test]`) and talks to it over HTTP.
//! One binary, so the suite links once; the tests that start processes
//! (the CLI, backups, kill -9) are in `tests/process`.

#[path = "../helpers/mod.rs"]
mod helpers;

mod auth;
mod bad_input;
mod calendar;
mod changes;
mod common_closing;
mod confirm;
mod dagpleje;
mod distance;
mod feedback;
mod key_figures;
mod kommune;
mod kommune_api;
mod kommune_register;
mod plausibility;
mod portal;
mod receipt;
mod register_import;
mod reminders;
mod search_index;
mod second_factor;
mod secrets;
mod sections;
mod seed;
mod shell;
mod support;
mod timeline;
