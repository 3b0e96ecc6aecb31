//! Routing of Graph paths (under `/beta` and `/v1.0`) to their handlers.

mod bulk_actions;
mod cloud_pcs;
mod managed_devices;
mod users;

use crate::auth::Principal;
use crate::graph::{GraphError, GraphRequest, GraphResult};
use crate::sim::Sim;
use percent_encoding::percent_decode_str;

/// The Graph version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Beta,
    V1,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::Beta => "beta",
            Version::V1 => "v1.0",
        }
    }
}

/// What a handler needs to know about its request.
pub struct Ctx<'a> {
    pub sim: &'a Sim,
    pub req: &'a GraphRequest,
    pub principal: &'a Principal,
    pub request_id: &'a str,
    pub version: Version,
}

impl Ctx<'_> {
    /// `{base}/{version}/$metadata#{fragment}`.
    pub fn context(&self, fragment: &str) -> String {
        format!(
            "{}/{}/$metadata#{}",
            self.req.base_url,
            self.version.as_str(),
            fragment
        )
    }

    /// The absolute URL of a path under this version.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.req.base_url, self.version.as_str(), path)
    }

    pub fn now(&self) -> f64 {
        self.sim.clock.now()
    }
}

/// Splits a Graph path into its version and decoded segments (a trailing `()` of a function
/// call is dropped).
pub fn split_path(path: &str) -> Result<(Version, Vec<String>), GraphError> {
    let mut parts = path.split('/').filter(|s| !s.is_empty());
    let version = match parts.next() {
        Some(v) if v.eq_ignore_ascii_case("beta") => Version::Beta,
        Some(v) if v.eq_ignore_ascii_case("v1.0") => Version::V1,
        Some(v) => return Err(GraphError::bad_request(format!("Invalid version: {v}"))),
        None => return Err(GraphError::bad_request("Invalid version: ")),
    };
    let segments = parts
        .map(|s| {
            let s = percent_decode_str(s).decode_utf8_lossy().into_owned();
            s.strip_suffix("()").map(str::to_string).unwrap_or(s)
        })
        .collect();
    Ok((version, segments))
}

/// Whether a path is a JSON batch (`/{version}/$batch`).
pub fn is_batch(path: &str) -> bool {
    matches!(split_path(path), Ok((_, s)) if s.len() == 1 && s[0] == "$batch")
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Routes a (non-batch) request to its handler.
pub fn dispatch(
    sim: &Sim,
    req: &GraphRequest,
    principal: &Principal,
    request_id: &str,
) -> GraphResult {
    let (version, segs) = split_path(&req.path)?;
    let ctx = Ctx {
        sim,
        req,
        principal,
        request_id,
        version,
    };
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    let beta = version == Version::Beta;
    let Some(first) = s.first() else {
        return Err(GraphError::bad_request(
            "Resource not found for the segment ''.",
        ));
    };
    if eq(first, "deviceManagement") {
        match s.get(1) {
            Some(x) if eq(x, "virtualEndpoint") => match s.get(2) {
                Some(x) if eq(x, "cloudPCs") => return cloud_pcs::route(&ctx, m, &s[3..]),
                Some(x) if eq(x, "bulkActions") && beta => {
                    return bulk_actions::route(&ctx, m, &s[3..])
                }
                Some(other) => return Err(GraphError::unknown_segment(other)),
                None => {}
            },
            Some(x) if eq(x, "managedDevices") && beta => {
                return managed_devices::route(&ctx, m, &s[2..])
            }
            Some(other) => return Err(GraphError::unknown_segment(other)),
            None => {}
        }
        return Err(GraphError::bad_request(
            "The simulator serves only Cloud PC resources of deviceManagement.",
        ));
    }
    if eq(first, "me") {
        return users::route_me(&ctx, m, &s[1..]);
    }
    if eq(first, "users") {
        return users::route_user(&ctx, m, &s[1..]);
    }
    Err(GraphError::unknown_segment(first))
}

/// Accepts only the given method.
pub fn only(method: &str, allowed: &str) -> Result<(), GraphError> {
    if method.eq_ignore_ascii_case(allowed) {
        Ok(())
    } else {
        Err(GraphError::method_not_allowed(method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths() {
        let (v, s) = split_path("/beta/deviceManagement/virtualEndpoint/cloudPCs/ab%2Dc/retrieveCloudPcRemoteActionResults()").unwrap();
        assert_eq!(v, Version::Beta);
        assert_eq!(
            s,
            vec![
                "deviceManagement",
                "virtualEndpoint",
                "cloudPCs",
                "ab-c",
                "retrieveCloudPcRemoteActionResults"
            ]
        );
        assert_eq!(split_path("/v1.0/me/cloudPCs").unwrap().0, Version::V1);
        assert_eq!(
            split_path("/v2/me").unwrap_err().message,
            "Invalid version: v2"
        );
        assert!(is_batch("/beta/$batch"));
        assert!(is_batch("/v1.0/$batch"));
        assert!(!is_batch("/beta/me"));
    }
}
