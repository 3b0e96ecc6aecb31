//! Whether the device page offers Reprovision: only when Graph says the action is supported
//! right now AND the status allows it (provisioned or failed). Otherwise the reason is shown.

use crate::graph::models::{reprovision_capability, CloudPc, CloudPcRemoteActionCapability};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    Allowed,
    Blocked(String),
}

/// `supported` is the `getSupportedCloudPcRemoteActions` answer, or the message of why it
/// could not be read.
pub fn reprovision_gate(
    pc: &CloudPc,
    supported: &Result<Vec<CloudPcRemoteActionCapability>, String>,
) -> Gate {
    let status = pc.status.as_ref().map(|s| s.as_str()).unwrap_or("unknown");
    if !pc.can_reprovision() {
        return Gate::Blocked(format!(
            "Its status is {status}. A Cloud PC can be reprovisioned only when it is provisioned or failed."
        ));
    }
    match supported {
        Err(why) => Gate::Blocked(format!(
            "Graph could not confirm that Reprovision is supported for this Cloud PC ({why}). Reload the page to check again."
        )),
        Ok(actions) => match reprovision_capability(actions) {
            Some(true) => Gate::Allowed,
            Some(false) => Gate::Blocked(
                "Graph says Reprovision is not available for this Cloud PC right now.".into(),
            ),
            None => Gate::Blocked(
                "Graph does not list Reprovision among this Cloud PC's supported actions.".into(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::{ActionCapability, CloudPcStatus};

    fn pc(status: &str) -> CloudPc {
        CloudPc {
            id: "pc".into(),
            status: Some(CloudPcStatus::parse(status)),
            ..Default::default()
        }
    }

    fn supported(capability: &str) -> Result<Vec<CloudPcRemoteActionCapability>, String> {
        Ok(vec![CloudPcRemoteActionCapability {
            action_name: "reprovision".into(),
            action_capability: Some(ActionCapability::parse(capability)),
        }])
    }

    #[test]
    fn allowed_only_when_supported_and_the_status_allows() {
        assert_eq!(
            reprovision_gate(&pc("provisioned"), &supported("enabled")),
            Gate::Allowed
        );
        assert_eq!(
            reprovision_gate(&pc("failed"), &supported("enabled")),
            Gate::Allowed
        );
        let Gate::Blocked(why) = reprovision_gate(&pc("provisioning"), &supported("enabled"))
        else {
            panic!("provisioning must block")
        };
        assert!(why.contains("provisioning"));
        assert!(matches!(
            reprovision_gate(&pc("provisioned"), &supported("disabled")),
            Gate::Blocked(_)
        ));
        assert!(matches!(
            reprovision_gate(&pc("provisioned"), &Ok(vec![])),
            Gate::Blocked(_)
        ));
        assert!(matches!(
            reprovision_gate(&pc("provisioned"), &Err("HTTP 503".into())),
            Gate::Blocked(w) if w.contains("HTTP 503")
        ));
        assert!(matches!(
            reprovision_gate(&pc("movingRegion"), &supported("enabled")),
            Gate::Blocked(_)
        ));
    }
}
