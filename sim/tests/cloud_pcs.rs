//! Listing, paging, `$filter`, `$select`, `$count`, get, and the v1.0 shape.

mod common;
use common::*;
use serde_json::Value;
use std::collections::HashSet;

#[tokio::test]
async fn pages_through_everything_with_next_links() {
    let h = start(fast_config(1234)).await;
    let mut url = format!("{CLOUD_PCS}?$top=100");
    let mut ids = HashSet::new();
    let mut pages = 0;
    loop {
        let r = h.get(&url).await;
        assert_eq!(r.status, 200);
        assert!(r.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/beta/$metadata#deviceManagement/virtualEndpoint/cloudPCs"));
        let value = r.body["value"].as_array().unwrap();
        assert!(value.len() <= 100);
        for pc in value {
            assert!(
                ids.insert(pc["id"].as_str().unwrap().to_string()),
                "no duplicates across pages"
            );
        }
        pages += 1;
        match r.body["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with(&h.base),
                    "nextLink is absolute on the simulator's host: {next}"
                );
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(ids.len(), 1234);
    assert_eq!(pages, 13);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn default_page_size_count_and_select() {
    let h = start(fast_config(250)).await;
    let r = h.get(CLOUD_PCS).await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 100);
    assert!(r.body.get("@odata.count").is_none());
    let r = h
        .get(&format!(
            "{CLOUD_PCS}?$count=true&$top=5&$select=id,displayName,status"
        ))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["@odata.count"], 250);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("cloudPCs(id,displayName,status)"));
    for pc in r.body["value"].as_array().unwrap() {
        let keys: HashSet<&str> = pc.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["id", "displayName", "status"]));
    }
    // The count survives into the next link.
    let next = r.body["@odata.nextLink"].as_str().unwrap().to_string();
    let r2 = h.get(&next).await;
    assert_eq!(r2.body["@odata.count"], 250);
    assert_eq!(r2.body["value"][0].as_object().unwrap().len(), 3);
    // $top=0 gives an empty page without a next link.
    let r = h.get(&format!("{CLOUD_PCS}?$top=0")).await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 0);
    assert!(r.body.get("@odata.nextLink").is_none());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn filters() {
    let h = start(fast_config(600)).await;
    let all = h.tenant().await;
    let count = |pred: &dyn Fn(&Value) -> bool| all.iter().filter(|p| pred(p)).count();
    let cases: Vec<(&str, usize)> = vec![
        (
            "productType eq 'business'",
            count(&|p| p["productType"] == "business"),
        ),
        (
            "status ne 'provisioned'",
            count(&|p| p["status"] != "provisioned"),
        ),
        (
            "productType eq 'enterprise' and status eq 'failed'",
            count(&|p| p["productType"] == "enterprise" && p["status"] == "failed"),
        ),
        (
            "status eq 'failed' or status eq 'inGracePeriod'",
            count(&|p| p["status"] == "failed" || p["status"] == "inGracePeriod"),
        ),
        (
            "status in ('failed','provisioning')",
            count(&|p| p["status"] == "failed" || p["status"] == "provisioning"),
        ),
        ("startswith(displayName,'CPC-admin')", 1),
        (
            "managedDeviceId eq null",
            count(&|p| p["managedDeviceId"].is_null()),
        ),
    ];
    for (filter, expected) in cases {
        let r = h
            .get(&format!(
                "{CLOUD_PCS}?$count=true&$top=1000&$filter={}",
                urlencode(filter)
            ))
            .await;
        assert_eq!(r.status, 200, "{filter}: {}", r.body);
        assert_eq!(r.body["@odata.count"], expected, "{filter}");
        assert_eq!(
            r.body["value"].as_array().unwrap().len(),
            expected,
            "{filter}"
        );
        assert!(expected > 0, "{filter} selects something in this tenant");
    }
    let upn = all[3]["userPrincipalName"].as_str().unwrap().to_uppercase();
    let r = h
        .get(&format!(
            "{CLOUD_PCS}?$filter={}",
            urlencode(&format!("userPrincipalName eq '{upn}'"))
        ))
        .await;
    assert!(
        !r.body["value"].as_array().unwrap().is_empty(),
        "UPN comparison ignores case"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn unsupported_query_options_are_graph_400s() {
    let h = start(fast_config(20)).await;
    for q in [
        "$filter=status gt 'x'",
        "$filter=contains(displayName,'x')",
        "$filter=nope eq 'x'",
        "$filter=status eq 'bogus'",
        "$orderby=displayName",
        "$search=\"x\"",
        "$skip=10",
        "$select=nope",
        "$top=-3",
        "$skiptoken=forged",
    ] {
        let r = h
            .get(&format!("{CLOUD_PCS}?{}", q.replace(' ', "%20")))
            .await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.error_code(), "BadRequest", "{q}");
        assert!(r.body["error"]["innerError"]["request-id"].is_string());
    }
    h.sim.shutdown().await;
}

#[tokio::test]
async fn get_one_and_not_found() {
    let h = start(fast_config(50)).await;
    let pc = h.pick(|p| p["status"] == "provisioned").await;
    let id = pc["id"].as_str().unwrap();
    let r = h.get(&format!("{CLOUD_PCS}/{id}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["id"], id);
    assert_eq!(r.body["displayName"], pc["displayName"]);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("cloudPCs/$entity"));
    let r = h
        .get(&format!("{CLOUD_PCS}/00000000-0000-0000-0000-000000000000"))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_code(), "ResourceNotFound");
    let r = h
        .get("/beta/deviceManagement/virtualEndpoint/nonsense")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body["error"]["message"],
        "Resource not found for the segment 'nonsense'."
    );
    let r = h
        .send("DELETE", &format!("{CLOUD_PCS}/{id}"), Some("t"), None)
        .await;
    assert_eq!(r.status, 405);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn evolvable_statuses_need_the_prefer_header() {
    let h = start(fast_config(400)).await;
    let moving = h.pick(|p| p["status"] == "movingRegion").await;
    let path = format!("{CLOUD_PCS}/{}", moving["id"].as_str().unwrap());
    let plain = h.get(&path).await;
    assert_eq!(plain.body["status"], "unknownFutureValue");
    let r = h
        .http
        .get(h.url(&path))
        .bearer_auth("t")
        .header("Prefer", "include-unknown-enum-members")
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "movingRegion");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn v1_has_its_own_shape_and_no_beta_only_endpoints() {
    let h = start(fast_config(30)).await;
    let r = h
        .get("/v1.0/deviceManagement/virtualEndpoint/cloudPCs?$top=3")
        .await;
    assert_eq!(r.status, 200);
    let pc = &r.body["value"][0];
    assert!(pc.get("displayName").is_some());
    assert!(pc.get("status").is_none(), "status is beta-only");
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .contains("/v1.0/$metadata#"));
    let r = h
        .get("/v1.0/deviceManagement/virtualEndpoint/bulkActions")
        .await;
    assert_eq!(r.status, 400);
    let r = h.get("/v2/deviceManagement/virtualEndpoint/cloudPCs").await;
    assert_eq!(r.status, 400);
    h.sim.shutdown().await;
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'\''
            | b'('
            | b')'
            | b',' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
