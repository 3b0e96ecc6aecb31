//! The device page's logic: how a Cloud PC's properties are grouped and written, and whether
//! it may be reprovisioned right now.

pub mod properties;
pub mod reprovision_gate;
