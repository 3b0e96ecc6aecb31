//! Every property Graph returned for a Cloud PC, grouped the way a helpdesk reads a device:
//! identity, user, provisioning, status, connectivity, last remote action. Properties the
//! console has never heard of are still shown, under "Other".

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Identity,
    User,
    Provisioning,
    Status,
    Connectivity,
    LastRemoteAction,
    Other,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Identity,
        Group::User,
        Group::Provisioning,
        Group::Status,
        Group::Connectivity,
        Group::LastRemoteAction,
        Group::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Group::Identity => "Identity",
            Group::User => "User",
            Group::Provisioning => "Provisioning",
            Group::Status => "Status",
            Group::Connectivity => "Connectivity",
            Group::LastRemoteAction => "Last remote action",
            Group::Other => "Other properties",
        }
    }
}

pub fn group_of(property: &str) -> Group {
    match property {
        "id" | "displayName" | "managedDeviceId" | "managedDeviceName" | "aadDeviceId"
        | "productType" | "servicePlanId" | "servicePlanName" | "servicePlanType" | "scopeIds" => {
            Group::Identity
        }
        "userPrincipalName" | "userAccountType" | "userExperienceType" | "userDetail"
        | "sharedDeviceDetail" | "lastLoginResult" | "lastLogoffDateTime" => Group::User,
        "provisioningPolicyId"
        | "provisioningPolicyName"
        | "provisioningType"
        | "imageDisplayName"
        | "osVersion"
        | "provisionedDateTime"
        | "onPremisesConnectionName"
        | "deviceRegionName"
        | "allotmentDisplayName"
        | "groupDetail"
        | "diskEncryptionState"
        | "frontlineCloudPcAvailability"
        | "partnerAgentInstallResults"
        | "disasterRecoveryCapability"
        | "isDisasterRecoveryActive" => Group::Provisioning,
        "status"
        | "statusDetail"
        | "statusDetails"
        | "gracePeriodEndDateTime"
        | "powerState"
        | "lastModifiedDateTime" => Group::Status,
        "connectivityResult" | "connectionSetting" | "connectionSettings" => Group::Connectivity,
        "lastRemoteActionResult" => Group::LastRemoteAction,
        _ => Group::Other,
    }
}

/// One property, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// Graph's name, e.g. `provisioningPolicyName`.
    pub name: String,
    /// A readable label, e.g. `Provisioning policy name`.
    pub label: String,
    pub value: PropertyValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyValue {
    Empty,
    Text(String),
    /// An ISO 8601 UTC time (shown in the operator's local time, UTC on hover).
    Time(String),
    /// Nested values as `path: value` lines (objects and lists).
    Lines(Vec<(String, String)>),
}

/// The properties of `raw` (Graph's object as it arrived) by group, in a stable order: known
/// properties in Graph's order of importance, then the rest alphabetically.
pub fn grouped(raw: &Map<String, Value>) -> Vec<(Group, Vec<Property>)> {
    let mut names: Vec<&String> = raw.keys().filter(|k| !k.starts_with('@')).collect();
    names.sort();
    Group::ALL
        .into_iter()
        .map(|group| {
            let properties: Vec<Property> = names
                .iter()
                .filter(|n| group_of(n) == group)
                .map(|n| Property {
                    name: (*n).clone(),
                    label: label_of(n),
                    value: value_of(n, &raw[n.as_str()]),
                })
                .collect();
            (group, properties)
        })
        .filter(|(_, properties)| !properties.is_empty())
        .collect()
}

/// `provisioningPolicyName` → `Provisioning policy name`.
pub fn label_of(name: &str) -> String {
    let mut label = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            label.push(' ');
            label.push(c.to_ascii_lowercase());
        } else if i == 0 {
            label.push(c.to_ascii_uppercase());
        } else {
            label.push(c);
        }
    }
    label
        .replace("Aad ", "Microsoft Entra ")
        .replace(" date time", "")
}

fn value_of(name: &str, value: &Value) -> PropertyValue {
    match value {
        Value::Null => PropertyValue::Empty,
        Value::String(s) if s.is_empty() => PropertyValue::Empty,
        Value::String(s) if name.ends_with("DateTime") => PropertyValue::Time(s.clone()),
        Value::String(s) => PropertyValue::Text(s.clone()),
        Value::Bool(b) => PropertyValue::Text(if *b { "Yes" } else { "No" }.into()),
        Value::Number(n) => PropertyValue::Text(n.to_string()),
        Value::Array(items) if items.is_empty() => PropertyValue::Empty,
        Value::Object(map) if map.is_empty() => PropertyValue::Empty,
        nested => {
            let mut lines = Vec::new();
            flatten("", nested, &mut lines);
            if lines.is_empty() {
                PropertyValue::Empty
            } else {
                PropertyValue::Lines(lines)
            }
        }
    }
}

fn flatten(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k.starts_with('@') {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{}]", i + 1), v, out);
            }
        }
        Value::Null => {}
        Value::String(s) => out.push((path.to_string(), s.clone())),
        other => out.push((path.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_returned_property_is_shown_in_its_group_including_new_ones() {
        let raw = json!({
            "@odata.type": "#microsoft.graph.cloudPC",
            "id": "pc1",
            "displayName": "CPC-alex",
            "userPrincipalName": "alex@contoso.com",
            "status": "failed",
            "statusDetail": {"code": "intuneEnrollFailed", "message": "Enrollment failed", "additionalInformation": [{"name": "correlationId", "value": "abc"}]},
            "lastModifiedDateTime": "2026-11-20T08:00:00Z",
            "managedDeviceName": null,
            "scopeIds": [],
            "brandNewProperty": true
        });
        let groups = grouped(raw.as_object().unwrap());
        let names: Vec<(Group, Vec<&str>)> = groups
            .iter()
            .map(|(g, ps)| (*g, ps.iter().map(|p| p.name.as_str()).collect()))
            .collect();
        assert_eq!(
            names,
            vec![
                (
                    Group::Identity,
                    vec!["displayName", "id", "managedDeviceName", "scopeIds"]
                ),
                (Group::User, vec!["userPrincipalName"]),
                (
                    Group::Status,
                    vec!["lastModifiedDateTime", "status", "statusDetail"]
                ),
                (Group::Other, vec!["brandNewProperty"]),
            ]
        );
        let status = &groups[2].1;
        assert_eq!(
            status[0].value,
            PropertyValue::Time("2026-11-20T08:00:00Z".into())
        );
        assert_eq!(
            status[2].value,
            PropertyValue::Lines(vec![
                (
                    "additionalInformation[1].name".into(),
                    "correlationId".into()
                ),
                ("additionalInformation[1].value".into(), "abc".into()),
                ("code".into(), "intuneEnrollFailed".into()),
                ("message".into(), "Enrollment failed".into()),
            ])
        );
        assert_eq!(groups[0].1[2].value, PropertyValue::Empty);
        assert_eq!(groups[3].1[0].value, PropertyValue::Text("Yes".into()));
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(
            label_of("provisioningPolicyName"),
            "Provisioning policy name"
        );
        assert_eq!(label_of("aadDeviceId"), "Microsoft Entra device id");
        assert_eq!(label_of("lastModifiedDateTime"), "Last modified");
    }
}
