//! The tenant generator (deterministic under a seed) and the tenant-file loader.
//!
//! A generated tenant has a realistic mix of product types (enterprise, frontline, business),
//! statuses (mostly `provisioned`, a few of every other status), OS versions, users,
//! provisioning policies and service plans. Timestamps are placed relative to the moment the
//! tenant is generated; everything else depends only on the seed.

use crate::clock::Clock;
use crate::model::{
    image_for_os, CloudPc, KeyValuePair, LoginResult, RemoteActionResult, StatusDetail, STATUSES,
};
use anyhow::Context;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The tenant's default domain.
pub const DOMAIN: &str = "contoso.onmicrosoft.com";

/// A user of the tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
}

/// A generated or loaded tenant: Cloud PCs, their remote action history, and users.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub cloud_pcs: Vec<CloudPc>,
    /// Remote action history per Cloud PC (same order as `cloud_pcs`), oldest first.
    pub history: Vec<Vec<RemoteActionResult>>,
    pub users: Vec<User>,
}

/// The administrator every token not issued by `/_sim/token` signs in as.
pub fn admin_upn() -> String {
    format!("admin@{DOMAIN}")
}

const FIRST: &[&str] = &[
    "Adele",
    "Alex",
    "Allan",
    "Christie",
    "Debra",
    "Diego",
    "Emily",
    "Enrico",
    "Grady",
    "Henrietta",
    "Irvin",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Raul",
    "Aisha",
    "Bruno",
    "Camille",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hiroshi",
    "Ingrid",
    "Jamal",
    "Kenji",
    "Leila",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sanjay",
    "Tomasz",
    "Ulrike",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Amara",
    "Bjorn",
    "Chloe",
    "Darius",
    "Esme",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keira",
];

const LAST: &[&str] = &[
    "Vance",
    "Wilber",
    "Deyoung",
    "Cline",
    "Berg",
    "Siciliani",
    "Braun",
    "Groce",
    "Archie",
    "Gonzalez",
    "Mudaliar",
    "Sampson",
    "Lambert",
    "Sherman",
    "Gu",
    "Holloway",
    "Robbins",
    "Bowen",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Ochoa",
    "Okafor",
    "Almeida",
    "Dubois",
    "Ivanov",
    "Rossi",
    "Haddad",
    "Lindqvist",
    "Tanaka",
    "Nilsen",
    "Carter",
    "Sato",
    "Mansour",
    "Silva",
    "Petrova",
    "Berglund",
    "Iyer",
    "Moreau",
    "Delgado",
    "Kapoor",
    "Nowak",
    "Schmidt",
    "Romano",
    "Chen",
    "Reyes",
    "Demir",
    "Kowalska",
    "Mensah",
    "Larsen",
    "Martin",
    "Rahimi",
    "Hale",
    "Weber",
    "Costa",
    "Jensen",
    "Novak",
    "Murphy",
    "Park",
];

struct Policy {
    id: String,
    name: &'static str,
    product: &'static str,
    os: &'static str,
}

struct Plan {
    id: String,
    name: &'static str,
    product: &'static str,
}

const REGIONS: &[&str] = &[
    "westeurope",
    "northeurope",
    "eastus",
    "westus2",
    "uksouth",
    "germanywestcentral",
];

const NETWORKS: &[Option<&str>] = &[
    None,
    None,
    Some("Azure network connection - West Europe"),
    Some("Azure network connection - East US"),
];

fn guid(rng: &mut ChaCha8Rng) -> String {
    let b: [u8; 16] = rng.gen();
    uuid::Builder::from_random_bytes(b)
        .into_uuid()
        .hyphenated()
        .to_string()
}

fn suffix(rng: &mut ChaCha8Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..5)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The status detail a Cloud PC shows after a failed provisioning or reprovisioning.
pub fn failure_detail(rng: &mut ChaCha8Rng) -> StatusDetail {
    const FAILURES: &[(&str, &str)] = &[
        (
            "internalServerError",
            "There was an internal error while provisioning the Cloud PC. Try to reprovision it.",
        ),
        (
            "intuneEnrollFailed",
            "The Cloud PC could not be enrolled into Intune. Check the enrollment restrictions and reprovision.",
        ),
        (
            "azureADJoinFailed",
            "The Cloud PC could not join Microsoft Entra ID. Check the device settings and reprovision.",
        ),
        (
            "vNetConnectivityFailed",
            "The Cloud PC could not reach the virtual network of its Azure network connection.",
        ),
    ];
    let (code, message) = FAILURES[rng.gen_range(0..FAILURES.len())];
    StatusDetail {
        code: code.into(),
        message: message.into(),
        additional_information: vec![KeyValuePair {
            name: "correlationId".into(),
            value: guid(rng),
        }],
    }
}

/// Generates a tenant of `devices` Cloud PCs from `seed`.
pub fn generate(devices: usize, seed: u64, clock: &Clock) -> Tenant {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = clock.now();

    let plans = [
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Enterprise 2vCPU/4GB/128GB",
            product: "enterprise",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Enterprise 2vCPU/8GB/128GB",
            product: "enterprise",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Enterprise 4vCPU/16GB/256GB",
            product: "enterprise",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Enterprise 8vCPU/32GB/512GB",
            product: "enterprise",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Frontline 2vCPU/8GB/128GB",
            product: "frontline",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Frontline 4vCPU/16GB/128GB",
            product: "frontline",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Business 2vCPU/4GB/128GB",
            product: "business",
        },
        Plan {
            id: guid(&mut rng),
            name: "Cloud PC Business 2vCPU/8GB/128GB",
            product: "business",
        },
    ];
    let policies = [
        Policy {
            id: guid(&mut rng),
            name: "Engineering - Windows 11",
            product: "enterprise",
            os: "windows11",
        },
        Policy {
            id: guid(&mut rng),
            name: "Sales - Windows 11",
            product: "enterprise",
            os: "windows11",
        },
        Policy {
            id: guid(&mut rng),
            name: "Finance - Windows 10 LTSC",
            product: "enterprise",
            os: "windows10",
        },
        Policy {
            id: guid(&mut rng),
            name: "Contractors",
            product: "enterprise",
            os: "windows11",
        },
        Policy {
            id: guid(&mut rng),
            name: "Call Center Frontline",
            product: "frontline",
            os: "windows11",
        },
        Policy {
            id: guid(&mut rng),
            name: "Retail Frontline - Windows 10",
            product: "frontline",
            os: "windows10",
        },
    ];

    // Statuses: mostly provisioned; when the tenant is large enough, a few of every status.
    let mut statuses: Vec<&'static str> = Vec::with_capacity(devices);
    if devices >= STATUSES.len() * 4 {
        let per = (devices / 200).clamp(2, 25);
        for s in STATUSES.iter().filter(|s| **s != "provisioned") {
            for _ in 0..per {
                statuses.push(s);
            }
        }
    } else if devices >= 4 {
        statuses.extend(["failed", "provisioning", "inGracePeriod"]);
    }
    while statuses.len() < devices {
        let r: f64 = rng.gen();
        statuses.push(if r < 0.90 {
            "provisioned"
        } else if r < 0.93 {
            "failed"
        } else if r < 0.95 {
            "provisionedWithWarnings"
        } else if r < 0.97 {
            "inGracePeriod"
        } else if r < 0.985 {
            "provisioning"
        } else {
            "deprovisioning"
        });
    }
    statuses.truncate(devices);
    statuses.shuffle(&mut rng);

    let mut users: Vec<User> = Vec::new();
    let mut upn_count: HashMap<String, usize> = HashMap::new();
    let mut new_user = |rng: &mut ChaCha8Rng, first: &str, last: &str| -> User {
        let base = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
        let n = upn_count.entry(base.clone()).or_insert(0);
        *n += 1;
        let local = if *n == 1 { base } else { format!("{base}{n}") };
        User {
            id: guid(rng),
            user_principal_name: format!("{local}@{DOMAIN}"),
            display_name: format!("{first} {last}"),
        }
    };

    let admin = User {
        id: guid(&mut rng),
        user_principal_name: admin_upn(),
        display_name: "Contoso Administrator".into(),
    };
    users.push(admin);

    let mut cloud_pcs = Vec::with_capacity(devices);
    let mut history = Vec::with_capacity(devices);
    let mut current_user: Option<usize> = None;
    for (i, status) in statuses.into_iter().enumerate() {
        // About one user in eight has a second Cloud PC; the administrator has the first one.
        let user_idx = if i == 0 {
            0
        } else if current_user.is_some() && rng.gen_bool(0.12) {
            current_user.take().unwrap()
        } else {
            let first = FIRST[rng.gen_range(0..FIRST.len())];
            let last = LAST[rng.gen_range(0..LAST.len())];
            let u = new_user(&mut rng, first, last);
            users.push(u);
            users.len() - 1
        };
        current_user = Some(user_idx);
        let user = users[user_idx].clone();

        let product = {
            let r: f64 = rng.gen();
            if i == 0 || r < 0.70 {
                "enterprise"
            } else if r < 0.88 {
                "frontline"
            } else {
                "business"
            }
        };
        let plan_choices: Vec<&Plan> = plans.iter().filter(|p| p.product == product).collect();
        let plan = plan_choices[rng.gen_range(0..plan_choices.len())];
        let policy = if product == "business" {
            None
        } else {
            let choices: Vec<&Policy> = policies.iter().filter(|p| p.product == product).collect();
            Some(choices[rng.gen_range(0..choices.len())])
        };
        let os = match policy {
            Some(p) if rng.gen_bool(0.9) => p.os,
            _ => {
                if rng.gen_bool(0.75) {
                    "windows11"
                } else {
                    "windows10"
                }
            }
        };
        let shared = product == "frontline" && rng.gen_bool(0.25);
        let alias: String = if shared {
            "shrd".into()
        } else {
            // alex.wilber@… → alexw (Windows 365 names are at most 15 characters).
            let local = user
                .user_principal_name
                .split('@')
                .next()
                .unwrap_or_default();
            let (first, last) = local.split_once('.').unwrap_or((local, ""));
            let mut a: String = first
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(4)
                .collect();
            if let Some(c) = last.chars().find(|c| c.is_ascii_alphabetic()) {
                a.push(c);
            } else if let Some(c) = first.chars().nth(4) {
                a.push(c);
            }
            a
        };
        let name = format!("CPC-{alias}-{}", suffix(&mut rng));
        let id = guid(&mut rng);
        let managed = product != "business";
        let managed_device_id = managed.then(|| guid(&mut rng));
        let aad_device_id = guid(&mut rng);
        let age_days: f64 = rng.gen_range(1.0..720.0);
        let provisioned_at = now - age_days * 86_400.0;
        let modified_at = provisioned_at + rng.gen_range(0.0..age_days * 86_400.0);
        let never_provisioned =
            matches!(status, "notProvisioned" | "pendingProvision" | "preparing");
        let status_detail = match status {
            "failed" => Some(failure_detail(&mut rng)),
            "provisionedWithWarnings" => Some(StatusDetail {
                code: "intuneEnrollFailed".into(),
                message: "The Cloud PC was provisioned, but some Intune configuration could not be applied.".into(),
                additional_information: vec![],
            }),
            _ => None,
        };
        let grace_end = (status == "inGracePeriod")
            .then(|| clock.stamp(now + rng.gen_range(1.0..7.0) * 86_400.0));
        let mut history_items: Vec<RemoteActionResult> = Vec::new();
        if rng.gen_bool(0.3) {
            let n = rng.gen_range(1..=2);
            for k in 0..n {
                let start = provisioned_at + (k as f64 + 1.0) * rng.gen_range(3_600.0..86_400.0);
                if start >= now {
                    break;
                }
                let name = *["Restart", "Reprovision", "Restore", "Resize"]
                    .choose(&mut rng)
                    .unwrap();
                history_items.push(RemoteActionResult {
                    action_name: name.into(),
                    action_state: "done".into(),
                    start_date_time: clock.stamp(start),
                    last_updated_date_time: clock
                        .stamp((start + rng.gen_range(60.0..3_600.0)).min(now)),
                    cloud_pc_id: id.clone(),
                    managed_device_id: managed_device_id.clone(),
                    status_detail: None,
                    status_details: None,
                });
            }
        }
        if status == "failed" && rng.gen_bool(0.5) {
            let start = now - rng.gen_range(3_600.0..172_800.0);
            history_items.push(RemoteActionResult {
                action_name: "Reprovision".into(),
                action_state: "failed".into(),
                start_date_time: clock.stamp(start),
                last_updated_date_time: clock.stamp(start + 2_400.0),
                cloud_pc_id: id.clone(),
                managed_device_id: managed_device_id.clone(),
                status_detail: status_detail.clone(),
                status_details: status_detail.clone(),
            });
        }
        let pc = CloudPc {
            id: id.clone(),
            aad_device_id: (!never_provisioned).then_some(aad_device_id),
            display_name: Some(name.clone()),
            image_display_name: Some(image_for_os(os).into()),
            managed_device_id: if never_provisioned {
                None
            } else {
                managed_device_id
            },
            managed_device_name: (managed && !never_provisioned).then(|| name.clone()),
            provisioning_policy_id: policy.map(|p| p.id.clone()),
            provisioning_policy_name: policy.map(|p| p.name.to_string()),
            on_premises_connection_name: if product == "business" {
                None
            } else {
                NETWORKS[rng.gen_range(0..NETWORKS.len())].map(String::from)
            },
            service_plan_id: Some(plan.id.clone()),
            service_plan_name: Some(plan.name.into()),
            service_plan_type: Some(
                if product == "business" {
                    "business"
                } else {
                    "enterprise"
                }
                .into(),
            ),
            status: status.into(),
            status_detail: status_detail.clone(),
            status_details: status_detail,
            user_principal_name: (!shared).then(|| user.user_principal_name.clone()),
            last_modified_date_time: Some(clock.stamp(modified_at.min(now))),
            provisioned_date_time: (!never_provisioned).then(|| clock.stamp(provisioned_at)),
            grace_period_end_date_time: grace_end,
            provisioning_type: Some(if shared { "sharedByUser" } else { "dedicated" }.into()),
            product_type: Some(product.into()),
            os_version: Some(os.into()),
            user_account_type: Some(
                if rng.gen_bool(0.15) {
                    "administrator"
                } else {
                    "standardUser"
                }
                .into(),
            ),
            disk_encryption_state: Some("encryptedUsingPlatformManagedKey".into()),
            power_state: (product == "frontline").then(|| {
                if rng.gen_bool(0.6) {
                    "running"
                } else {
                    "poweredOff"
                }
                .into()
            }),
            device_region_name: Some(REGIONS[rng.gen_range(0..REGIONS.len())].into()),
            user_experience_type: Some("cloudPc".into()),
            last_login_result: (!never_provisioned).then(|| LoginResult {
                time: Some(clock.stamp(now - rng.gen_range(600.0..1_209_600.0))),
            }),
            last_remote_action_result: history_items.last().cloned(),
            scope_ids: vec!["0".into()],
            extra: Map::new(),
        };
        cloud_pcs.push(pc);
        history.push(history_items);
    }
    Tenant {
        cloud_pcs,
        history,
        users,
    }
}

/// Loads Cloud PCs from a JSON file in Graph's own shape: `{"value":[cloudPC…]}` (a bare
/// array is accepted too). Users are derived from the Cloud PCs' `userPrincipalName`s.
pub fn load(path: &Path, seed: u64) -> anyhow::Result<Tenant> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading tenant file {}", path.display()))?;
    parse(&text, seed).with_context(|| format!("parsing tenant file {}", path.display()))
}

/// Parses a tenant from Graph-shaped JSON (see [`load`]).
pub fn parse(text: &str, seed: u64) -> anyhow::Result<Tenant> {
    let v: Value = serde_json::from_str(text)?;
    let items = match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(a)) => a,
            _ => anyhow::bail!("expected {{\"value\":[cloudPC…]}}"),
        },
        _ => anyhow::bail!("expected {{\"value\":[cloudPC…]}}"),
    };
    let mut cloud_pcs = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let mut item = item;
        if let Value::Object(o) = &mut item {
            o.remove("@odata.type");
            o.remove("@odata.etag");
        }
        let pc: CloudPc = serde_json::from_value(item)
            .with_context(|| format!("cloudPC #{i} is not a valid cloudPC"))?;
        if !seen.insert(pc.id.to_ascii_lowercase()) {
            anyhow::bail!("cloudPC #{i}: duplicate id {}", pc.id);
        }
        cloud_pcs.push(pc);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut users = vec![User {
        id: guid(&mut rng),
        user_principal_name: admin_upn(),
        display_name: "Contoso Administrator".into(),
    }];
    let mut known: HashMap<String, ()> = HashMap::new();
    known.insert(admin_upn(), ());
    for pc in &cloud_pcs {
        if let Some(upn) = &pc.user_principal_name {
            let key = upn.to_ascii_lowercase();
            if known.insert(key, ()).is_none() {
                let local = upn.split('@').next().unwrap_or(upn);
                let display_name = local
                    .split('.')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                users.push(User {
                    id: guid(&mut rng),
                    user_principal_name: upn.clone(),
                    display_name,
                });
            }
        }
    }
    let history = cloud_pcs
        .iter()
        .map(|pc| pc.last_remote_action_result.clone().into_iter().collect())
        .collect();
    Ok(Tenant {
        cloud_pcs,
        history,
        users,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generation_is_deterministic() {
        let clock = Clock::new(1.0);
        let a = generate(300, 42, &clock);
        let b = generate(300, 42, &clock);
        let ids_a: Vec<_> = a
            .cloud_pcs
            .iter()
            .map(|p| (&p.id, &p.display_name, &p.status))
            .collect();
        let ids_b: Vec<_> = b
            .cloud_pcs
            .iter()
            .map(|p| (&p.id, &p.display_name, &p.status))
            .collect();
        assert_eq!(ids_a, ids_b);
        let c = generate(300, 43, &clock);
        assert_ne!(a.cloud_pcs[5].id, c.cloud_pcs[5].id);
    }

    #[test]
    fn generated_tenant_is_realistic() {
        let clock = Clock::new(1.0);
        let t = generate(2000, 1, &clock);
        assert_eq!(t.cloud_pcs.len(), 2000);
        let ids: HashSet<_> = t.cloud_pcs.iter().map(|p| p.id.clone()).collect();
        assert_eq!(ids.len(), 2000, "ids are unique");
        for s in STATUSES {
            let n = t.cloud_pcs.iter().filter(|p| p.status == *s).count();
            assert!(n >= 2, "status {s} appears {n} times");
        }
        let provisioned = t
            .cloud_pcs
            .iter()
            .filter(|p| p.status == "provisioned")
            .count();
        assert!(provisioned > 1500, "{provisioned}");
        for product in ["enterprise", "frontline", "business"] {
            assert!(t
                .cloud_pcs
                .iter()
                .any(|p| p.product_type.as_deref() == Some(product)));
        }
        for pc in &t.cloud_pcs {
            let name = pc.display_name.as_deref().unwrap();
            assert!(name.starts_with("CPC-") && name.len() <= 15, "{name}");
            assert!(uuid::Uuid::parse_str(&pc.id).is_ok());
            if pc.product_type.as_deref() == Some("business") {
                assert!(pc.managed_device_id.is_none() && pc.managed_device_name.is_none());
                assert_eq!(pc.service_plan_type.as_deref(), Some("business"));
                assert!(pc
                    .service_plan_name
                    .as_deref()
                    .unwrap()
                    .starts_with("Cloud PC Business"));
            } else if pc.status == "provisioned" {
                assert!(pc.managed_device_id.is_some());
            }
            if let Some(upn) = &pc.user_principal_name {
                assert!(
                    upn.ends_with("@contoso.onmicrosoft.com") && upn.contains('.'),
                    "{upn}"
                );
            }
        }
        assert!(t
            .cloud_pcs
            .iter()
            .any(|p| p.os_version.as_deref() == Some("windows10")));
        assert!(t
            .cloud_pcs
            .iter()
            .any(|p| p.os_version.as_deref() == Some("windows11")));
        assert_eq!(
            t.cloud_pcs[0].user_principal_name.as_deref(),
            Some("admin@contoso.onmicrosoft.com")
        );
        let upns: HashSet<_> = t
            .users
            .iter()
            .map(|u| u.user_principal_name.clone())
            .collect();
        assert_eq!(upns.len(), t.users.len(), "UPNs are unique");
    }

    #[test]
    fn small_tenants_work() {
        let clock = Clock::new(1.0);
        assert_eq!(generate(0, 1, &clock).cloud_pcs.len(), 0);
        assert_eq!(generate(1, 1, &clock).cloud_pcs.len(), 1);
        assert_eq!(generate(5, 1, &clock).cloud_pcs.len(), 5);
    }

    #[test]
    fn loads_graph_shaped_files() {
        let text = r#"{"@odata.context":"x","value":[
            {"id":"11111111-1111-1111-1111-111111111111","displayName":"CPC-a","status":"provisioned",
             "userPrincipalName":"ann.lee@contoso.onmicrosoft.com","managedDeviceId":"m1","productType":"enterprise",
             "futureThing":true},
            {"id":"22222222-2222-2222-2222-222222222222","status":"preparing","productType":"business"}
        ]}"#;
        let t = parse(text, 1).unwrap();
        assert_eq!(t.cloud_pcs.len(), 2);
        assert_eq!(t.cloud_pcs[1].status, "preparing");
        assert_eq!(t.cloud_pcs[0].extra["futureThing"], Value::Bool(true));
        assert!(t.users.iter().any(
            |u| u.user_principal_name == "ann.lee@contoso.onmicrosoft.com"
                && u.display_name == "Ann Lee"
        ));
        assert!(parse(r#"{"value":[{"id":"a"},{"id":"A"}]}"#, 1).is_err());
        assert!(parse(r#"{"items":[]}"#, 1).is_err());
        assert!(parse(r#"{"value":[{"displayName":"no id"}]}"#, 1).is_err());
    }
}
