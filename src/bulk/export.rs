//! Exports of a results view: CSV (RFC 4180, safe to open in a spreadsheet) and JSON. Text that
//! looks like a token is scrubbed ([`super::redact`]).

use serde::Serialize;

use super::outcome::{Category, DeviceOutcome, RunLedger};
use super::redact::scrub;
use super::time::iso8601;

/// One exported device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRow {
    pub cloud_pc_id: String,
    pub name: String,
    pub user: Option<String>,
    pub managed_device_id: Option<String>,
    pub category: Category,
    pub reason_source: Option<String>,
    pub reason_code: Option<String>,
    pub reason_message: Option<String>,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    pub attempts: u32,
    pub first_sent: Option<String>,
    pub last_sent: Option<String>,
    pub changed: String,
    pub device_status: Option<String>,
    pub action_state: Option<String>,
    pub checked: Option<String>,
}

impl ExportRow {
    pub fn of(d: &DeviceOutcome) -> ExportRow {
        let r = d.reason.as_ref();
        let s = |v: &str| scrub(v).into_owned();
        let os = |v: Option<&String>| v.map(|v| s(v));
        ExportRow {
            cloud_pc_id: s(&d.target.cloud_pc_id),
            name: s(&d.target.name),
            user: os(d.target.user.as_ref()),
            managed_device_id: os(d.target.managed_device_id.as_ref()),
            category: d.category,
            reason_source: r.map(|r| {
                match r.source {
                    super::outcome::ReasonSource::Graph => "graph",
                    super::outcome::ReasonSource::Console => "console",
                }
                .to_owned()
            }),
            reason_code: r.and_then(|r| os(r.code.as_ref())),
            reason_message: r.map(|r| s(&r.message)),
            http_status: r.and_then(|r| r.status),
            request_id: r.and_then(|r| os(r.request_id.as_ref())),
            client_request_id: r.and_then(|r| os(r.client_request_id.as_ref())),
            date: r.and_then(|r| os(r.date.as_ref())),
            attempts: d.attempts,
            first_sent: d.first_sent_at.map(iso8601),
            last_sent: d.last_sent_at.map(iso8601),
            changed: iso8601(d.changed_at),
            device_status: d.tracking.as_ref().and_then(|t| os(t.status.as_ref())),
            action_state: d
                .tracking
                .as_ref()
                .and_then(|t| os(t.action_state.as_ref())),
            checked: d.tracking.as_ref().map(|t| iso8601(t.checked_at)),
        }
    }
}

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 19] = [
    "cloudPcId",
    "name",
    "user",
    "managedDeviceId",
    "category",
    "reasonSource",
    "reasonCode",
    "reasonMessage",
    "httpStatus",
    "requestId",
    "clientRequestId",
    "date",
    "attempts",
    "firstSent",
    "lastSent",
    "changed",
    "deviceStatus",
    "actionState",
    "checked",
];

/// One CSV cell: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (so a
/// spreadsheet does not run it as a formula), then cells with `,`, `"`, CR or LF are quoted
/// with inner quotes doubled (RFC 4180).
pub fn csv_cell(value: &str) -> String {
    let value = scrub(value);
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.into_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A CSV document: `header` then `rows`, CRLF line ends.
pub fn csv_document<'a>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>> + 'a,
) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(",")
    };
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row));
        out.push_str("\r\n");
    }
    out
}

/// The devices of `ledger` in `only` (all when `None`) as CSV.
pub fn to_csv(ledger: &RunLedger, only: Option<Category>) -> String {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let rows = rows(ledger, only).into_iter().map(|r| {
        vec![
            r.cloud_pc_id,
            r.name,
            opt(r.user),
            opt(r.managed_device_id),
            r.category.key().to_owned(),
            opt(r.reason_source),
            opt(r.reason_code),
            opt(r.reason_message),
            r.http_status.map(|s| s.to_string()).unwrap_or_default(),
            opt(r.request_id),
            opt(r.client_request_id),
            opt(r.date),
            r.attempts.to_string(),
            opt(r.first_sent),
            opt(r.last_sent),
            r.changed,
            opt(r.device_status),
            opt(r.action_state),
            opt(r.checked),
        ]
    });
    csv_document(&CSV_HEADER, rows)
}

/// The exported rows.
pub fn rows(ledger: &RunLedger, only: Option<Category>) -> Vec<ExportRow> {
    ledger
        .devices()
        .iter()
        .filter(|d| only.is_none_or(|c| d.category == c))
        .map(ExportRow::of)
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonExport<'a> {
    run_id: &'a str,
    display_name: String,
    strategy: super::strategy::Strategy,
    parameters: &'a crate::graph::models::ReprovisionParams,
    bulk_action_id: Option<&'a str>,
    created: String,
    started: Option<String>,
    finished: Option<String>,
    counts: super::outcome::Counts,
    devices: Vec<ExportRow>,
}

/// The run and its devices in `only` (all when `None`) as pretty JSON.
pub fn to_json(ledger: &RunLedger, only: Option<Category>) -> String {
    let doc = JsonExport {
        run_id: &ledger.run_id,
        display_name: scrub(&ledger.display_name).into_owned(),
        strategy: ledger.strategy,
        parameters: &ledger.params,
        bulk_action_id: ledger.bulk_action.as_ref().map(|b| b.id.as_str()),
        created: iso8601(ledger.created_at),
        started: ledger.started_at.map(iso8601),
        finished: ledger.finished_at.map(iso8601),
        counts: ledger.counts(),
        devices: rows(ledger, only),
    };
    serde_json::to_string_pretty(&doc).expect("exports serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::outcome::{Reason, Target};
    use crate::bulk::strategy::Strategy;
    use crate::graph::models::ReprovisionParams;

    #[test]
    fn cells_are_quoted_and_formula_safe() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell(""), "");
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    fn ledger() -> RunLedger {
        let t = |id: &str, name: &str| Target {
            cloud_pc_id: id.into(),
            name: name.into(),
            user: Some(format!("{id}@contoso.com")),
            managed_device_id: None,
        };
        let mut l = RunLedger::new(
            "run-1",
            Strategy::PerDevice,
            ReprovisionParams::default(),
            "Ticket 7",
            vec![t("c1", "=cmd|' /C calc'!A0"), t("c2", "CPC, \"two\"")],
            vec![(
                t("c3", "CPC-3"),
                Reason::console("statusNotEligible", "Status is provisioning."),
            )],
            1_751_364_000_000,
        );
        let mut err = Reason::console("x", "y");
        err.source = crate::bulk::outcome::ReasonSource::Graph;
        err.code = Some("Forbidden".into());
        err.message = "Missing role, line1\nline2".into();
        err.request_id = Some("req-9".into());
        err.client_request_id = Some("crid-9".into());
        err.status = Some(403);
        l.apply(&crate::bulk::outcome::Change::Device {
            id: "c2".into(),
            to: Category::Failed,
            reason: Some(err),
            at: 1_751_364_001_000,
        })
        .unwrap();
        l
    }

    #[test]
    fn csv_has_every_device_with_reason_and_ids() {
        let csv = to_csv(&ledger(), None);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert!(
            lines[1].starts_with("c1,'=cmd|' /C calc'!A0,c1@contoso.com,,pending,"),
            "{}",
            lines[1]
        );
        assert!(lines[2].starts_with(
            "c2,\"CPC, \"\"two\"\"\",c2@contoso.com,,failed,graph,Forbidden,\"Missing role, line1\nline2\",403,req-9,crid-9,,0,,,2025-07-01T10:00:01.000Z"
        ), "{}", lines[2]);
        assert!(lines[3].starts_with("c3,CPC-3,c3@contoso.com,,notSupported,console,statusNotEligible,Status is provisioning.,"));
        assert_eq!(lines.len(), 5, "header, 3 rows, trailing empty");
        let failed_only = to_csv(&ledger(), Some(Category::Failed));
        assert_eq!(failed_only.matches("\r\n").count(), 2);
    }

    #[test]
    fn json_has_run_metadata_counts_and_devices() {
        let v: serde_json::Value = serde_json::from_str(&to_json(&ledger(), None)).unwrap();
        assert_eq!(v["runId"], "run-1");
        assert_eq!(v["strategy"], "perDevice");
        assert_eq!(v["counts"]["failed"], 1);
        assert_eq!(v["counts"]["notSupported"], 1);
        assert_eq!(v["devices"][1]["category"], "failed");
        assert_eq!(v["devices"][1]["requestId"], "req-9");
        assert_eq!(v["devices"][1]["clientRequestId"], "crid-9");
        assert_eq!(v["devices"][1]["changed"], "2025-07-01T10:00:01.000Z");
        assert_eq!(v["created"], "2025-07-01T10:00:00.000Z");
    }

    #[test]
    fn exports_scrub_token_like_text() {
        let mut l = ledger();
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        l.apply(&crate::bulk::outcome::Change::Device {
            id: "c1".into(),
            to: Category::Failed,
            reason: Some(Reason::console(
                "x",
                format!("sent Authorization: Bearer {jwt}"),
            )),
            at: 1,
        })
        .unwrap();
        for out in [to_csv(&l, None), to_json(&l, None)] {
            assert!(!out.contains(jwt));
            assert!(out.contains("Bearer [redacted]"));
        }
    }
}
