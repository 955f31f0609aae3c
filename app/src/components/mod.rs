//! UI pieces shared by every area of the product.

#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod figure;
pub mod form;
pub mod layout;
pub mod paging;
