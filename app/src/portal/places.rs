//! The ids of the places in the portal's pages that its bundle (`live`)
//! draws into or announces in: one name for the server's HTML and the
//! browser's code.

/// The live region that says how many kommuner "Find en kommune" shows.
pub const KOMMUNER_SHOWN: &str = "kommuner-vist";

/// The live region below the distance fields that says how asking for the
/// location goes.
pub const LOCATE_STATUS: &str = "placering-status";

/// Where the portal's bundle puts "Brug min placering".
pub const LOCATE_BUTTON: &str = "placering-knap";
