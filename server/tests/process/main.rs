//! Tests that run the server binary as a process: the command line, backup
//! and restore with the PostgreSQL tools, and a server killed mid-save.

// These tests use a few of the shared helpers; the rest serve `tests/api`.
#[allow(dead_code)]
#[path = "../helpers/mod.rs"]
mod helpers;

mod backup;
mod cli;
mod reliability;
