//! Choosing which Cloud PCs an action targets: lists pasted or uploaded by the operator, parsed
//! and resolved against the inventory. Nothing here sends anything: invalid or unresolved lines
//! never become requests.

pub mod import_parse;
pub mod report;
pub mod resolve;
