//! Pure request builders: one function per Graph endpoint the console uses
//! (`/work/shared/graph/README.md`, "Endpoints"). Nothing here sends anything.

use serde_json::json;

use super::models::{CloudPcBulkReprovision, ReprovisionParams};
use super::query::encode_path_segment as seg;
pub use super::query::{filter_eq, odata_string, CloudPcQuery};
use super::request::GraphRequest;

/// The admin collection of Cloud PCs.
pub const CLOUD_PCS: &str = "/deviceManagement/virtualEndpoint/cloudPCs";
/// The signed-in user's Cloud PCs.
pub const MY_CLOUD_PCS: &str = "/me/cloudPCs";
/// Intune managed devices (the deprecated Cloud PC actions live there).
pub const MANAGED_DEVICES: &str = "/deviceManagement/managedDevices";
/// Cloud PC bulk actions. (The seed retry page writes `bulkAction`; the entity set is
/// `bulkActions`.)
pub const BULK_ACTIONS: &str = "/deviceManagement/virtualEndpoint/bulkActions";
/// The JSON batch endpoint.
pub const BATCH: &str = "/$batch";

/// `GET /deviceManagement/virtualEndpoint/cloudPCs` with `$select`, `$filter`, `$top`, `$count`.
pub fn list_cloud_pcs(query: &CloudPcQuery) -> GraphRequest {
    GraphRequest::get(query.apply(CLOUD_PCS))
}

/// `GET /deviceManagement/virtualEndpoint/cloudPCs/{id}`.
pub fn get_cloud_pc(id: &str) -> GraphRequest {
    GraphRequest::get(format!("{CLOUD_PCS}/{}", seg(id)))
}

/// `GET /deviceManagement/virtualEndpoint/cloudPCs/{id}?$select=…`.
pub fn get_cloud_pc_selected(id: &str, select: &[String]) -> GraphRequest {
    let q = CloudPcQuery {
        select: select.to_vec(),
        ..CloudPcQuery::default()
    };
    GraphRequest::get(q.apply(&format!("{CLOUD_PCS}/{}", seg(id))))
}

/// `GET /me/cloudPCs` (the signed-in user's own Cloud PCs).
pub fn list_my_cloud_pcs(query: &CloudPcQuery) -> GraphRequest {
    GraphRequest::get(query.apply(MY_CLOUD_PCS))
}

/// `POST /deviceManagement/virtualEndpoint/cloudPCs/{id}/reprovision` (admin), with the body
/// `{"osVersion":…,"userAccountType":…}` when a parameter is set, else without a body.
pub fn reprovision(id: &str, params: &ReprovisionParams) -> GraphRequest {
    let body = if params.is_empty() {
        None
    } else {
        Some(serde_json::to_value(params).expect("ReprovisionParams serializes"))
    };
    GraphRequest::destructive_post(format!("{CLOUD_PCS}/{}/reprovision", seg(id)), body)
}

/// `POST /me/cloudPCs/{id}/reprovision` (the signed-in user's own; no body on this path).
pub fn reprovision_my_cloud_pc(id: &str) -> GraphRequest {
    GraphRequest::destructive_post(format!("{MY_CLOUD_PCS}/{}/reprovision", seg(id)), None)
}

/// `POST /users/{userId}/cloudPCs/{id}/reprovision` (no body on this path).
pub fn reprovision_user_cloud_pc(user_id: &str, id: &str) -> GraphRequest {
    GraphRequest::destructive_post(
        format!("/users/{}/cloudPCs/{}/reprovision", seg(user_id), seg(id)),
        None,
    )
}

/// `POST /deviceManagement/managedDevices/bulkReprovisionCloudPc` (seed, deprecated) with
/// `{"managedDeviceIds":[…]}` (Intune managed device ids). Answers
/// `{"value": cloudPcBulkRemoteActionResult}`.
pub fn bulk_reprovision_managed_devices(managed_device_ids: &[String]) -> GraphRequest {
    GraphRequest::destructive_post(
        format!("{MANAGED_DEVICES}/bulkReprovisionCloudPc"),
        Some(json!({ "managedDeviceIds": managed_device_ids })),
    )
}

/// `POST /deviceManagement/managedDevices/{managedDeviceId}/reprovisionCloudPc` (deprecated).
pub fn reprovision_managed_device(managed_device_id: &str) -> GraphRequest {
    GraphRequest::destructive_post(
        format!(
            "{MANAGED_DEVICES}/{}/reprovisionCloudPc",
            seg(managed_device_id)
        ),
        None,
    )
}

/// `GET /deviceManagement/virtualEndpoint/cloudPCs/{id}/retrieveCloudPcRemoteActionResults`.
pub fn retrieve_remote_action_results(id: &str) -> GraphRequest {
    GraphRequest::get(format!(
        "{CLOUD_PCS}/{}/retrieveCloudPcRemoteActionResults",
        seg(id)
    ))
}

/// `GET /deviceManagement/managedDevices/{managedDeviceId}/getCloudPcRemoteActionResults`
/// (seed, deprecated).
pub fn managed_device_remote_action_results(managed_device_id: &str) -> GraphRequest {
    GraphRequest::get(format!(
        "{MANAGED_DEVICES}/{}/getCloudPcRemoteActionResults",
        seg(managed_device_id)
    ))
}

/// `GET /deviceManagement/virtualEndpoint/cloudPCs/{id}/getSupportedCloudPcRemoteActions`.
pub fn supported_remote_actions(id: &str) -> GraphRequest {
    GraphRequest::get(format!(
        "{CLOUD_PCS}/{}/getSupportedCloudPcRemoteActions",
        seg(id)
    ))
}

/// `POST /deviceManagement/virtualEndpoint/bulkActions` creating a `cloudPcBulkReprovision`.
pub fn create_bulk_reprovision(action: &CloudPcBulkReprovision) -> GraphRequest {
    GraphRequest::destructive_post(
        BULK_ACTIONS,
        Some(serde_json::to_value(action).expect("CloudPcBulkReprovision serializes")),
    )
}

/// `GET /deviceManagement/virtualEndpoint/bulkActions`.
pub fn list_bulk_actions() -> GraphRequest {
    GraphRequest::get(BULK_ACTIONS)
}

/// `GET /deviceManagement/virtualEndpoint/bulkActions/{id}`.
pub fn get_bulk_action(id: &str) -> GraphRequest {
    GraphRequest::get(format!("{BULK_ACTIONS}/{}", seg(id)))
}

/// `POST /deviceManagement/virtualEndpoint/bulkActions/{id}/retry`: with `Some(ids)` the body is
/// `{"cloudPcIds":[…]}`; with `None` there is no body and Graph retries every failed device.
pub fn retry_bulk_action(id: &str, cloud_pc_ids: Option<&[String]>) -> GraphRequest {
    GraphRequest::destructive_post(
        format!("{BULK_ACTIONS}/{}/retry", seg(id)),
        cloud_pc_ids.map(|ids| json!({ "cloudPcIds": ids })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::{OsVersion, UserAccountType};
    use crate::graph::request::Method;

    fn ids() -> Vec<String> {
        vec![
            "30d0e128-de93-41dc-89ec-33d84bb662a0".into(),
            "7c82a3e3-9459-44e4-94d9-b92f93bf78dd".into(),
        ]
    }

    fn assert_get(r: &GraphRequest, path: &str) {
        assert_eq!(
            (r.method, r.path.as_str(), &r.body, r.destructive),
            (Method::Get, path, &None, false)
        );
    }

    #[test]
    fn list_and_get() {
        let q = CloudPcQuery {
            select: vec!["id".into(), "status".into()],
            filter: Some(filter_eq("productType", "enterprise")),
            top: Some(100),
            count: true,
        };
        assert_get(
            &list_cloud_pcs(&q),
            "/deviceManagement/virtualEndpoint/cloudPCs?$select=id,status&$filter=productType%20eq%20'enterprise'&$top=100&$count=true",
        );
        assert_get(
            &list_cloud_pcs(&CloudPcQuery::default()),
            "/deviceManagement/virtualEndpoint/cloudPCs",
        );
        assert_get(&list_my_cloud_pcs(&CloudPcQuery::default()), "/me/cloudPCs");
        assert_get(
            &get_cloud_pc("abc"),
            "/deviceManagement/virtualEndpoint/cloudPCs/abc",
        );
        assert_get(
            &get_cloud_pc_selected("abc", &["status".into()]),
            "/deviceManagement/virtualEndpoint/cloudPCs/abc?$select=status",
        );
    }

    #[test]
    fn admin_reprovision_matches_the_seed_example() {
        let r = reprovision(
            "4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd",
            &ReprovisionParams {
                os_version: Some(OsVersion::Windows10),
                user_account_type: Some(UserAccountType::Administrator),
            },
        );
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path, "/deviceManagement/virtualEndpoint/cloudPCs/4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd/reprovision");
        assert!(r.destructive);
        // The seed sends {"userAccountType": "administrator", "osVersion": "windows10"}.
        let seed: serde_json::Value = serde_json::from_str(
            r#"{"userAccountType": "administrator", "osVersion": "windows10"}"#,
        )
        .unwrap();
        assert_eq!(r.body, Some(seed));
        assert_eq!(
            serde_json::to_string(r.body.as_ref().unwrap()).unwrap(),
            r#"{"osVersion":"windows10","userAccountType":"administrator"}"#
        );
        let bare = reprovision("x", &ReprovisionParams::default());
        assert_eq!(bare.body, None);
        assert!(bare.destructive);
    }

    #[test]
    fn user_reprovision_paths_have_no_body() {
        let me = reprovision_my_cloud_pc("36bd4942-0ca8-11ed-861d-0242ac120002");
        assert_eq!(
            me.path,
            "/me/cloudPCs/36bd4942-0ca8-11ed-861d-0242ac120002/reprovision"
        );
        assert_eq!(
            (me.method, &me.body, me.destructive),
            (Method::Post, &None, true)
        );
        let user = reprovision_user_cloud_pc("u1", "c1");
        assert_eq!(user.path, "/users/u1/cloudPCs/c1/reprovision");
        assert_eq!(
            (user.method, &user.body, user.destructive),
            (Method::Post, &None, true)
        );
    }

    #[test]
    fn seed_bulk_reprovision_body_is_real_json() {
        let r = bulk_reprovision_managed_devices(&ids());
        assert_eq!(
            r.path,
            "/deviceManagement/managedDevices/bulkReprovisionCloudPc"
        );
        assert_eq!((r.method, r.destructive), (Method::Post, true));
        // The seed's example with its unquoted key fixed.
        let seed: serde_json::Value = serde_json::from_str(
            r#"{"managedDeviceIds": ["30d0e128-de93-41dc-89ec-33d84bb662a0", "7c82a3e3-9459-44e4-94d9-b92f93bf78dd"]}"#,
        )
        .unwrap();
        assert_eq!(r.body, Some(seed));
    }

    #[test]
    fn managed_device_calls() {
        let r = reprovision_managed_device("md1");
        assert_eq!(
            r.path,
            "/deviceManagement/managedDevices/md1/reprovisionCloudPc"
        );
        assert_eq!(
            (r.method, &r.body, r.destructive),
            (Method::Post, &None, true)
        );
        assert_get(
            &managed_device_remote_action_results("md1"),
            "/deviceManagement/managedDevices/md1/getCloudPcRemoteActionResults",
        );
    }

    #[test]
    fn action_history_and_capabilities() {
        assert_get(
            &retrieve_remote_action_results("c1"),
            "/deviceManagement/virtualEndpoint/cloudPCs/c1/retrieveCloudPcRemoteActionResults",
        );
        assert_get(
            &supported_remote_actions("c1"),
            "/deviceManagement/virtualEndpoint/cloudPCs/c1/getSupportedCloudPcRemoteActions",
        );
    }

    #[test]
    fn bulk_actions() {
        let create = create_bulk_reprovision(&CloudPcBulkReprovision {
            display_name: "Ticket 7".into(),
            cloud_pc_ids: ids(),
            scheduled_during_maintenance_window: false,
        });
        assert_eq!(create.path, "/deviceManagement/virtualEndpoint/bulkActions");
        assert_eq!((create.method, create.destructive), (Method::Post, true));
        assert_eq!(
            serde_json::to_string(create.body.as_ref().unwrap()).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.cloudPcBulkReprovision","cloudPcIds":["30d0e128-de93-41dc-89ec-33d84bb662a0","7c82a3e3-9459-44e4-94d9-b92f93bf78dd"],"displayName":"Ticket 7","scheduledDuringMaintenanceWindow":false}"##
        );
        assert_get(
            &list_bulk_actions(),
            "/deviceManagement/virtualEndpoint/bulkActions",
        );
        assert_get(
            &get_bulk_action("b1"),
            "/deviceManagement/virtualEndpoint/bulkActions/b1",
        );

        let all = retry_bulk_action("0d76d02b-e0a0-4f58-baff-d1718cc2d144", None);
        assert_eq!(all.path, "/deviceManagement/virtualEndpoint/bulkActions/0d76d02b-e0a0-4f58-baff-d1718cc2d144/retry");
        assert_eq!(
            (all.method, &all.body, all.destructive),
            (Method::Post, &None, true)
        );
        let some = retry_bulk_action("b1", Some(&ids()));
        assert_eq!(
            serde_json::to_string(some.body.as_ref().unwrap()).unwrap(),
            r#"{"cloudPcIds":["30d0e128-de93-41dc-89ec-33d84bb662a0","7c82a3e3-9459-44e4-94d9-b92f93bf78dd"]}"#
        );
        assert!(some.destructive);
    }

    #[test]
    fn ids_are_escaped_in_paths() {
        assert_eq!(
            get_cloud_pc("a/b?c").path,
            "/deviceManagement/virtualEndpoint/cloudPCs/a%2Fb%3Fc"
        );
        assert_eq!(
            reprovision("..", &ReprovisionParams::default()).path,
            "/deviceManagement/virtualEndpoint/cloudPCs/%20../reprovision"
        );
    }
}
