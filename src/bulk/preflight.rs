//! Preflight, before anything is sent: which selected Cloud PCs will be wiped, and which are set
//! aside as "not supported" with the reason.
//!
//! Rules, in order (the first that applies is the reason):
//! 1. the status does not allow a reprovision (only `provisioned` and `failed` do; a missing or
//!    unknown status does not);
//! 2. the strategy needs an Intune managed device id and the Cloud PC has none (Windows 365
//!    Business, seed strategy);
//! 3. Graph's `getSupportedCloudPcRemoteActions` says reprovision is disabled for it.
//!
//! A Cloud PC selected twice is listed once.

use std::collections::{HashMap, HashSet};

use super::outcome::{codes, Reason, Target};
use super::strategy::Strategy;
use crate::graph::batch::SubOutcome;
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::error::GraphError;
use crate::graph::models::{reprovision_capability, CloudPc};
use crate::graph::parse;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// What Graph says about reprovisioning one Cloud PC now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Reprovision is `enabled`.
    Enabled,
    /// Reprovision is `disabled` (or not listed among the supported actions).
    Disabled,
    /// The question could not be answered; the device is not set aside for it.
    NotAnswered(GraphError),
}

/// The preflight's verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preflight {
    /// The Cloud PCs that will be wiped, in selection order.
    pub to_wipe: Vec<Target>,
    /// The Cloud PCs set aside, with why.
    pub set_aside: Vec<(Target, Reason)>,
    /// Cloud PCs whose support question went unanswered (informational: they stay in `to_wipe`).
    pub unanswered: Vec<(String, GraphError)>,
}

/// Sorts `selected` into those to wipe and those set aside (see the module documentation).
/// `support` holds `getSupportedCloudPcRemoteActions` answers by Cloud PC id, where asked.
pub fn preflight(
    selected: &[CloudPc],
    strategy: Strategy,
    support: &HashMap<String, Support>,
) -> Preflight {
    let mut out = Preflight::default();
    let mut seen = HashSet::new();
    for pc in selected {
        if !seen.insert(pc.id.as_str()) {
            continue;
        }
        let target = Target::from_cloud_pc(pc);
        match set_aside_reason(pc, strategy, support.get(&pc.id)) {
            Some(reason) => out.set_aside.push((target, reason)),
            None => out.to_wipe.push(target),
        }
        if let Some(Support::NotAnswered(e)) = support.get(&pc.id) {
            out.unanswered.push((pc.id.clone(), e.clone()));
        }
    }
    out
}

/// Why `pc` must not be sent with `strategy`, if it must not.
pub fn set_aside_reason(
    pc: &CloudPc,
    strategy: Strategy,
    support: Option<&Support>,
) -> Option<Reason> {
    if !pc.can_reprovision() {
        let status = pc
            .status
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_else(|| "not reported".to_owned());
        return Some(Reason::console(
            codes::STATUS_NOT_ELIGIBLE,
            format!(
                "Status is {status}; a Cloud PC can be reprovisioned only when it is provisioned or failed."
            ),
        ));
    }
    if strategy.needs_managed_device_id() && !pc.has_managed_device() {
        return Some(Reason::console(
            codes::NO_MANAGED_DEVICE,
            format!(
                "No Intune managed device id (Windows 365 Business); {} addresses devices by \
                 managed device id. Use {} or {}.",
                strategy.label(),
                Strategy::BulkAction.label(),
                Strategy::PerDevice.label()
            ),
        ));
    }
    if support == Some(&Support::Disabled) {
        return Some(Reason::console(
            codes::REPROVISION_DISABLED,
            "Graph reports that reprovision is not supported for this Cloud PC now \
             (getSupportedCloudPcRemoteActions).",
        ));
    }
    None
}

/// Reads one `getSupportedCloudPcRemoteActions` sub-outcome.
pub fn support_of(outcome: &SubOutcome) -> Support {
    match outcome {
        Ok(resp) => match parse::remote_action_capabilities(resp) {
            Ok(list) => match reprovision_capability(&list) {
                Some(true) => Support::Enabled,
                _ => Support::Disabled,
            },
            Err(e) => Support::NotAnswered(e),
        },
        Err(e) => Support::NotAnswered(e.clone()),
    }
}

/// Asks Graph, 20 to a `$batch`, whether each Cloud PC supports reprovision now (read-only).
pub async fn check_support<T: Transport, A: TokenProvider, S: Sleeper>(
    client: &GraphClient<T, A, S>,
    cloud_pc_ids: &[String],
) -> HashMap<String, Support> {
    let requests: Vec<_> = cloud_pc_ids
        .iter()
        .map(|id| calls::supported_remote_actions(id))
        .collect();
    let outcomes = client.send_batch(&requests).await;
    cloud_pc_ids
        .iter()
        .cloned()
        .zip(outcomes.iter().map(support_of))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::error::ErrorKind;
    use crate::graph::models::CloudPcStatus;

    fn pc(id: &str, status: Option<&str>, managed: Option<&str>) -> CloudPc {
        CloudPc {
            id: id.into(),
            display_name: Some(format!("CPC-{id}")),
            user_principal_name: Some(format!("{id}@contoso.com")),
            status: status.map(CloudPcStatus::parse),
            managed_device_id: managed.map(str::to_owned),
            ..CloudPc::default()
        }
    }

    fn code(r: &Reason) -> &str {
        r.code.as_deref().unwrap()
    }

    #[test]
    fn only_provisioned_or_failed_devices_are_wiped() {
        let pcs = vec![
            pc("a", Some("provisioned"), Some("m-a")),
            pc("b", Some("failed"), Some("m-b")),
            pc("c", Some("provisioning"), Some("m-c")),
            pc("d", Some("inGracePeriod"), Some("m-d")),
            pc("e", None, Some("m-e")),
            pc("f", Some("someNewStatus"), Some("m-f")),
            pc("g", Some("provisionedWithWarnings"), Some("m-g")),
        ];
        let p = preflight(&pcs, Strategy::PerDevice, &HashMap::new());
        let wiped: Vec<&str> = p.to_wipe.iter().map(|t| t.cloud_pc_id.as_str()).collect();
        assert_eq!(wiped, ["a", "b"]);
        let aside: Vec<(&str, &str)> = p
            .set_aside
            .iter()
            .map(|(t, r)| (t.cloud_pc_id.as_str(), code(r)))
            .collect();
        assert_eq!(
            aside,
            [
                ("c", codes::STATUS_NOT_ELIGIBLE),
                ("d", codes::STATUS_NOT_ELIGIBLE),
                ("e", codes::STATUS_NOT_ELIGIBLE),
                ("f", codes::STATUS_NOT_ELIGIBLE),
                ("g", codes::STATUS_NOT_ELIGIBLE)
            ]
        );
        assert!(p.set_aside[0].1.message.contains("provisioning"));
        assert!(p.set_aside[2].1.message.contains("not reported"));
        assert_eq!(p.to_wipe[0].name, "CPC-a");
        assert_eq!(p.to_wipe[0].user.as_deref(), Some("a@contoso.com"));
        assert_eq!(p.to_wipe[0].managed_device_id.as_deref(), Some("m-a"));
    }

    #[test]
    fn business_pcs_without_managed_device_are_set_aside_only_for_the_seed_strategy() {
        let pcs = vec![
            pc("biz", Some("provisioned"), None),
            pc("empty", Some("provisioned"), Some("")),
            pc("ent", Some("provisioned"), Some("m-ent")),
        ];
        for s in [Strategy::PerDevice, Strategy::BulkAction] {
            let p = preflight(&pcs, s, &HashMap::new());
            assert_eq!(p.to_wipe.len(), 3, "{s:?}");
        }
        let p = preflight(&pcs, Strategy::SeedBulk, &HashMap::new());
        assert_eq!(p.to_wipe.len(), 1);
        assert_eq!(p.to_wipe[0].cloud_pc_id, "ent");
        assert!(p
            .set_aside
            .iter()
            .all(|(_, r)| code(r) == codes::NO_MANAGED_DEVICE));
        assert_eq!(
            p.set_aside[1].0.managed_device_id, None,
            "empty id is no id"
        );
    }

    #[test]
    fn graph_saying_not_supported_sets_aside_and_unanswered_does_not() {
        let pcs = vec![
            pc("yes", Some("provisioned"), Some("m1")),
            pc("no", Some("provisioned"), Some("m2")),
            pc("err", Some("failed"), Some("m3")),
            pc("both", Some("resizing"), Some("m4")),
        ];
        let mut support = HashMap::new();
        support.insert("yes".to_owned(), Support::Enabled);
        support.insert("no".to_owned(), Support::Disabled);
        support.insert(
            "err".to_owned(),
            Support::NotAnswered(GraphError::new(ErrorKind::Network, "offline")),
        );
        support.insert("both".to_owned(), Support::Disabled);
        let p = preflight(&pcs, Strategy::BulkAction, &support);
        let wiped: Vec<&str> = p.to_wipe.iter().map(|t| t.cloud_pc_id.as_str()).collect();
        assert_eq!(wiped, ["yes", "err"]);
        assert_eq!(code(&p.set_aside[0].1), codes::REPROVISION_DISABLED);
        assert_eq!(
            code(&p.set_aside[1].1),
            codes::STATUS_NOT_ELIGIBLE,
            "status is checked first"
        );
        assert_eq!(p.unanswered.len(), 1);
    }

    #[test]
    fn duplicates_are_listed_once() {
        let pcs = vec![
            pc("a", Some("provisioned"), Some("m")),
            pc("a", Some("provisioned"), Some("m")),
        ];
        assert_eq!(
            preflight(&pcs, Strategy::PerDevice, &HashMap::new())
                .to_wipe
                .len(),
            1
        );
    }

    #[test]
    fn reads_supported_actions_answers() {
        let ok = |body: &str| -> SubOutcome {
            Ok(crate::graph::transport::HttpResponse {
                status: 200,
                headers: vec![],
                body: body.into(),
            })
        };
        assert_eq!(
            support_of(&ok(
                r#"{"value":[{"actionName":"Reprovision","actionCapability":"enabled"}]}"#
            )),
            Support::Enabled
        );
        assert_eq!(
            support_of(&ok(
                r#"{"value":[{"actionName":"reprovision","actionCapability":"disabled"}]}"#
            )),
            Support::Disabled
        );
        assert_eq!(
            support_of(&ok(
                r#"{"value":[{"actionName":"restart","actionCapability":"enabled"}]}"#
            )),
            Support::Disabled
        );
        assert!(matches!(support_of(&ok("nope")), Support::NotAnswered(_)));
    }
}
