//! Strategy 3: the seed (deprecated) `POST managedDevices/bulkReprovisionCloudPc` with Intune
//! managed device ids, answered at once with four id lists mapped back to Cloud PCs.
//!
//! - A device without a managed device id (Windows 365 Business) cannot be addressed: it is
//!   `NotSupported` before anything is sent.
//! - Listed in `successfulDeviceIds` → `Successful`, `failedDeviceIds` → `Failed`,
//!   `notFoundDeviceIds` → `NotFound`, `notSupportedDeviceIds` → `NotSupported`.
//! - Sent but absent from every list, or listed twice in conflicting lists → `Unknown`.
//! - The call failing ambiguously (5xx, no answer) or answering 2xx unreadably → all `Unknown`;
//!   failing clearly (400, 403, throttled…) → all `Failed` with Graph's reason.

use std::collections::HashMap;

use super::outcome::{codes, Category, Change, Reason, ReasonSource};
use super::run_per_device::SendReport;
use super::sink::RunSink;
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::models::CloudPcBulkRemoteActionResult;
use crate::graph::parse;
use crate::graph::transport::{HttpResponse, Sleeper, TokenProvider, Transport};

/// The per-device outcomes of a seed answer. `sent` maps each managed device id sent to its
/// Cloud PC ids. Returns `(cloud_pc_id, category, reason)` for every sent Cloud PC.
pub fn map_seed_answer(
    sent: &[(String, String)],
    result: &CloudPcBulkRemoteActionResult,
    resp: &HttpResponse,
) -> Vec<(String, Category, Reason)> {
    let lists = [
        (
            &result.successful_device_ids,
            Category::Successful,
            "successfulDeviceIds",
        ),
        (
            &result.failed_device_ids,
            Category::Failed,
            "failedDeviceIds",
        ),
        (
            &result.not_found_device_ids,
            Category::NotFound,
            "notFoundDeviceIds",
        ),
        (
            &result.not_supported_device_ids,
            Category::NotSupported,
            "notSupportedDeviceIds",
        ),
    ];
    let mut listed: HashMap<String, Vec<(Category, &str)>> = HashMap::new();
    for (ids, category, name) in lists {
        for id in ids {
            let entry = listed.entry(id.to_ascii_lowercase()).or_default();
            if !entry.iter().any(|(c, _)| *c == category) {
                entry.push((category, name));
            }
        }
    }
    let ids_of = |message: String, code: Option<&str>| {
        let mut r = Reason::accepted(resp, message);
        r.code = code.map(str::to_owned);
        r.source = ReasonSource::Graph;
        r
    };
    sent.iter()
        .map(|(md, pc)| {
            let (category, reason) = match listed.get(&md.to_ascii_lowercase()).map(Vec::as_slice) {
                Some([(Category::Successful, _)]) => (
                    Category::Successful,
                    ids_of("Graph accepted the reprovision (successfulDeviceIds).".into(), Some(codes::ACCEPTED)),
                ),
                Some([(category, name)]) => (
                    *category,
                    ids_of(format!("Graph listed the managed device {md} in {name} (no further reason given)."), None),
                ),
                Some(several) => (
                    Category::Unknown,
                    ids_of(
                        format!(
                            "Graph listed the managed device {md} in several lists ({}); check the Cloud PC's state.",
                            several.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
                        ),
                        None,
                    )
                    .with_source_console(codes::NOT_IN_ANSWER),
                ),
                None => (
                    Category::Unknown,
                    ids_of(
                        format!("Graph's answer did not mention the managed device {md}; check the Cloud PC's state."),
                        None,
                    )
                    .with_source_console(codes::NOT_IN_ANSWER),
                ),
            };
            (pc.clone(), category, reason)
        })
        .collect()
}

impl Reason {
    fn with_source_console(mut self, code: &str) -> Reason {
        self.source = ReasonSource::Console;
        self.code = Some(code.to_owned());
        self
    }
}

/// Sends one seed bulk call for the devices of `ids` that are `Pending` in the sink's ledger
/// (see the module documentation for the mapping).
pub async fn run_seed<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    ids: &[String],
) -> SendReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    sink.apply(Change::Started { at: sink.now() });
    let (addressable, unaddressable): (Vec<(String, String)>, Vec<String>) =
        sink.with_ledger(|l| {
            let mut yes = Vec::new();
            let mut no = Vec::new();
            for id in ids {
                let Some(d) = l.device(id) else { continue };
                if d.category != Category::Pending || d.awaiting_answer {
                    continue;
                }
                match &d.target.managed_device_id {
                    Some(md) if !md.is_empty() => yes.push((md.clone(), id.clone())),
                    _ => no.push(id.clone()),
                }
            }
            (yes, no)
        });
    let at = sink.now();
    for id in unaddressable {
        sink.apply(Change::Device {
            id,
            to: Category::NotSupported,
            reason: Some(Reason::console(
                codes::NO_MANAGED_DEVICE,
                "No Intune managed device id (Windows 365 Business): the managed-device bulk call cannot reach it.",
            )),
            at,
        });
    }
    let report = SendReport {
        sent: addressable.len(),
        not_sent: ids.len() - addressable.len(),
        canceled: false,
    };
    if addressable.is_empty() {
        sink.apply(Change::Finished { at: sink.now() });
        return report;
    }
    let mut managed: Vec<String> = Vec::new();
    for (md, _) in &addressable {
        if !managed.contains(md) {
            managed.push(md.clone());
        }
    }
    sink.apply(Change::Sent {
        ids: addressable.iter().map(|(_, pc)| pc.clone()).collect(),
        at: sink.now(),
    });
    let answer = client
        .send(&calls::bulk_reprovision_managed_devices(&managed))
        .await
        .and_then(|resp| parse::bulk_remote_action_result(&resp).map(|r| (resp, r)));
    let at = sink.now();
    match answer {
        Ok((resp, result)) => {
            for (id, to, reason) in map_seed_answer(&addressable, &result, &resp) {
                sink.apply(Change::Device {
                    id,
                    to,
                    reason: Some(reason),
                    at,
                });
            }
        }
        Err(e) => {
            // A 2xx whose body cannot be read was carried out all the same.
            let to = if e.outcome_unknown() {
                Category::Unknown
            } else {
                Category::Failed
            };
            let reason = Reason::from_error(&e);
            for (_, id) in &addressable {
                sink.apply(Change::Device {
                    id: id.clone(),
                    to,
                    reason: Some(reason.clone()),
                    at,
                });
            }
        }
    }
    sink.apply(Change::Finished { at: sink.now() });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp() -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![("request-id".into(), "seed-req".into())],
            body: String::new(),
        }
    }

    #[test]
    fn maps_the_four_lists_back_to_cloud_pcs() {
        let sent: Vec<(String, String)> = [
            ("M1", "c1"),
            ("m2", "c2"),
            ("m3", "c3"),
            ("m4", "c4"),
            ("m5", "c5"),
            ("m6", "c6"),
        ]
        .iter()
        .map(|(m, c)| (m.to_string(), c.to_string()))
        .collect();
        let result: CloudPcBulkRemoteActionResult = serde_json::from_str(
            r#"{"successfulDeviceIds":["m1"],"failedDeviceIds":["m2","m6"],"notFoundDeviceIds":["m3"],"notSupportedDeviceIds":["m4","m6","stranger"]}"#,
        )
        .unwrap();
        let out = map_seed_answer(&sent, &result, &resp());
        let cats: Vec<(&str, Category)> = out.iter().map(|(id, c, _)| (id.as_str(), *c)).collect();
        assert_eq!(
            cats,
            [
                ("c1", Category::Successful),
                ("c2", Category::Failed),
                ("c3", Category::NotFound),
                ("c4", Category::NotSupported),
                ("c5", Category::Unknown),
                ("c6", Category::Unknown)
            ]
        );
        assert!(out
            .iter()
            .all(|(_, _, r)| r.request_id.as_deref() == Some("seed-req")));
        assert!(out[1].2.message.contains("failedDeviceIds"));
        assert!(out[4].2.is_console(codes::NOT_IN_ANSWER));
        assert!(out[5]
            .2
            .message
            .contains("failedDeviceIds, notSupportedDeviceIds"));
    }

    #[tokio::test]
    async fn one_call_with_managed_device_ids_and_business_pcs_set_aside() {
        use crate::bulk::strategy::Strategy;
        use crate::bulk::testing::*;
        use crate::graph::models::ReprovisionParams;
        use serde_json::json;

        let e = env(|method, path, body| {
            assert_eq!(
                (method, path),
                (
                    "POST",
                    "/deviceManagement/managedDevices/bulkReprovisionCloudPc"
                )
            );
            assert_eq!(
                body,
                Some(&json!({"managedDeviceIds": ["md-pc000", "md-pc001", "md-pc002"]}))
            );
            json_answer(
                200,
                json!({"value": {"@odata.type": "microsoft.graph.cloudPcBulkRemoteActionResult",
                "successfulDeviceIds": ["md-pc000"], "failedDeviceIds": ["md-pc001"], "notFoundDeviceIds": [], "notSupportedDeviceIds": null}}),
            )
        });
        let all = ids(4);
        // pc003 is a Business Cloud PC: no managed device id.
        let ledger = crate::bulk::RunLedger::new(
            "run-1",
            Strategy::SeedBulk,
            ReprovisionParams::default(),
            "Console run run-1",
            all.iter()
                .map(|id| {
                    let mut t = target(id);
                    if id == "pc003" {
                        t.managed_device_id = None;
                    }
                    t
                })
                .collect(),
            vec![],
            T0,
        );
        let sink = e.sink(ledger);
        let report = run_seed(&e.client, &sink, &all).await;
        assert_eq!((report.sent, report.not_sent), (3, 1));
        assert!(sink.refused().is_empty(), "{:?}", sink.refused());
        let l = sink.snapshot();
        let cat = |id: &str| l.device(id).unwrap().category;
        assert_eq!(cat("pc000"), Category::Successful);
        assert_eq!(cat("pc001"), Category::Failed);
        assert_eq!(cat("pc002"), Category::Unknown, "not in any list");
        assert_eq!(cat("pc003"), Category::NotSupported);
        assert!(l
            .device("pc003")
            .unwrap()
            .reason
            .as_ref()
            .unwrap()
            .is_console(codes::NO_MANAGED_DEVICE));
        assert_eq!(
            l.device("pc001")
                .unwrap()
                .reason
                .as_ref()
                .unwrap()
                .request_id
                .as_deref(),
            Some("rid-200")
        );
        assert_eq!(e.graph.log().len(), 1);
    }

    #[tokio::test]
    async fn a_failed_call_fails_or_leaves_unknown_every_device() {
        use crate::bulk::strategy::Strategy;
        use crate::bulk::testing::*;
        use crate::graph::models::ReprovisionParams;

        for (answer, expected) in [
            (
                graph_error(503, "ServiceUnavailable", "rid-503"),
                Category::Unknown,
            ),
            (graph_error(403, "Forbidden", "rid-403"), Category::Failed),
            (
                Answer::Http(200, vec![], "not json".into()),
                Category::Unknown,
            ),
        ] {
            let e = env(move |_, _, _| answer.clone());
            let all = ids(2);
            let sink = e.sink(ledger_of(
                Strategy::SeedBulk,
                ReprovisionParams::default(),
                &all,
                &[],
            ));
            run_seed(&e.client, &sink, &all).await;
            let l = sink.snapshot();
            assert_eq!(l.counts().get(expected), 2, "{expected:?}");
            assert_eq!(e.graph.log().len(), 1, "never repeated");
        }
    }
}
