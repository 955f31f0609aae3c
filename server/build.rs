// As `sqlx migrate build-script` writes it: a new migration file rebuilds
// the crate, so `sqlx::migrate!` (server/src/db.rs) embeds it.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
