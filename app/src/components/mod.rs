//! UI pieces shared by every area of the product.

pub mod figure;
pub mod form;
pub mod instant;
pub mod layout;
pub mod paging;
