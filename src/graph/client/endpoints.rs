//! One typed async call per Graph endpoint the console uses (request builders in
//! [`crate::graph::calls`], parsing in [`crate::graph::parse`]).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::GraphClient;
use crate::graph::calls::{self, CloudPcQuery};
use crate::graph::error::GraphError;
use crate::graph::models::{
    CloudPc, CloudPcBulkAction, CloudPcBulkRemoteActionResult, CloudPcBulkReprovision,
    CloudPcRemoteActionCapability, CloudPcRemoteActionResult, ReprovisionParams,
};
use crate::graph::parse;
use crate::graph::request::GraphRequest;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Upper bound on pages followed for one listing (a loop guard; 10,000 pages of Cloud PCs is
/// far beyond any tenant).
pub const MAX_PAGES: usize = 10_000;

impl<T: Transport, A: TokenProvider, S: Sleeper> GraphClient<T, A, S> {
    /// Requests `first` and every `@odata.nextLink` after it until there is none; calls
    /// `on_page` with each page's items (pages may be empty).
    pub async fn list_all<I: DeserializeOwned>(
        &self,
        first: GraphRequest,
        mut on_page: impl FnMut(&[I]),
    ) -> Result<Vec<I>, GraphError> {
        let mut all = Vec::new();
        self.each_page(first, |items: Vec<I>| {
            on_page(&items);
            all.extend(items);
        })
        .await?;
        Ok(all)
    }

    /// Like [`Self::list_all`], but hands each page's items over instead of keeping them all:
    /// for a caller that keeps only what it needs of tens of thousands of items. Returns how
    /// many items there were.
    pub async fn each_page<I: DeserializeOwned>(
        &self,
        first: GraphRequest,
        mut on_page: impl FnMut(Vec<I>),
    ) -> Result<usize, GraphError> {
        let mut count = 0;
        let mut req = first;
        let mut seen_links: Vec<String> = Vec::new();
        for _ in 0..MAX_PAGES {
            let resp = self.send(&req).await?;
            let page = parse::page::<I>(&resp)?;
            count += page.value.len();
            on_page(page.value);
            let Some(link) = page.next_link else {
                return Ok(count);
            };
            if seen_links.contains(&link) {
                return Err(parse::invalid(
                    &resp,
                    &format!("@odata.nextLink repeats itself: {link}"),
                ));
            }
            let Some(path) = self.base().relative_path(&link) else {
                return Err(parse::invalid(
                    &resp,
                    &format!("@odata.nextLink leaves {}: {link}", self.base().root),
                ));
            };
            seen_links.push(link);
            req = GraphRequest::get(path);
        }
        Err(GraphError::new(
            crate::graph::error::ErrorKind::InvalidResponse,
            format!("more than {MAX_PAGES} pages for {}", req.describe()),
        ))
    }

    /// Every Cloud PC of the tenant matching `q` (admin), following all pages.
    pub async fn list_cloud_pcs(
        &self,
        q: &CloudPcQuery,
        on_page: impl FnMut(&[CloudPc]),
    ) -> Result<Vec<CloudPc>, GraphError> {
        self.list_all(calls::list_cloud_pcs(q), on_page).await
    }

    /// Every Cloud PC of the tenant matching `q` (admin), page by page, keeping none of them.
    pub async fn each_cloud_pc_page(
        &self,
        q: &CloudPcQuery,
        on_page: impl FnMut(Vec<CloudPc>),
    ) -> Result<usize, GraphError> {
        self.each_page(calls::list_cloud_pcs(q), on_page).await
    }

    /// The signed-in user's Cloud PCs (`/me/cloudPCs`), following all pages.
    pub async fn list_my_cloud_pcs(
        &self,
        q: &CloudPcQuery,
        on_page: impl FnMut(&[CloudPc]),
    ) -> Result<Vec<CloudPc>, GraphError> {
        self.list_all(calls::list_my_cloud_pcs(q), on_page).await
    }

    /// One Cloud PC.
    pub async fn get_cloud_pc(&self, id: &str) -> Result<CloudPc, GraphError> {
        parse::cloud_pc(&self.send(&calls::get_cloud_pc(id)).await?)
    }

    /// One Cloud PC with every property Graph returned (for a details page).
    pub async fn get_cloud_pc_with_raw(
        &self,
        id: &str,
    ) -> Result<(CloudPc, Map<String, Value>), GraphError> {
        parse::cloud_pc_with_raw(&self.send(&calls::get_cloud_pc(id)).await?)
    }

    /// Reprovisions a Cloud PC (admin path; body only when a parameter is set). Destructive:
    /// an ambiguous failure comes back as [`crate::graph::error::ErrorKind::Ambiguous`].
    pub async fn reprovision(
        &self,
        id: &str,
        params: &ReprovisionParams,
    ) -> Result<(), GraphError> {
        self.send(&calls::reprovision(id, params)).await.map(drop)
    }

    /// Reprovisions one of the signed-in user's own Cloud PCs (`/me/cloudPCs/{id}/reprovision`).
    pub async fn reprovision_my_cloud_pc(&self, id: &str) -> Result<(), GraphError> {
        self.send(&calls::reprovision_my_cloud_pc(id))
            .await
            .map(drop)
    }

    /// Reprovisions a user's Cloud PC (`/users/{userId}/cloudPCs/{id}/reprovision`).
    pub async fn reprovision_user_cloud_pc(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<(), GraphError> {
        self.send(&calls::reprovision_user_cloud_pc(user_id, id))
            .await
            .map(drop)
    }

    /// The seed bulk call (deprecated) by Intune managed device ids.
    pub async fn bulk_reprovision_managed_devices(
        &self,
        managed_device_ids: &[String],
    ) -> Result<CloudPcBulkRemoteActionResult, GraphError> {
        parse::bulk_remote_action_result(
            &self
                .send(&calls::bulk_reprovision_managed_devices(managed_device_ids))
                .await?,
        )
    }

    /// Reprovision by Intune managed device id (deprecated).
    pub async fn reprovision_managed_device(
        &self,
        managed_device_id: &str,
    ) -> Result<(), GraphError> {
        self.send(&calls::reprovision_managed_device(managed_device_id))
            .await
            .map(drop)
    }

    /// A Cloud PC's remote action history (`retrieveCloudPcRemoteActionResults`).
    pub async fn retrieve_remote_action_results(
        &self,
        id: &str,
    ) -> Result<Vec<CloudPcRemoteActionResult>, GraphError> {
        parse::remote_action_results(
            &self
                .send(&calls::retrieve_remote_action_results(id))
                .await?,
        )
    }

    /// A Cloud PC's remote action history by managed device id (seed, deprecated).
    pub async fn managed_device_remote_action_results(
        &self,
        managed_device_id: &str,
    ) -> Result<Vec<CloudPcRemoteActionResult>, GraphError> {
        parse::remote_action_results(
            &self
                .send(&calls::managed_device_remote_action_results(
                    managed_device_id,
                ))
                .await?,
        )
    }

    /// Which remote actions a Cloud PC supports now (`getSupportedCloudPcRemoteActions`).
    pub async fn supported_remote_actions(
        &self,
        id: &str,
    ) -> Result<Vec<CloudPcRemoteActionCapability>, GraphError> {
        parse::remote_action_capabilities(&self.send(&calls::supported_remote_actions(id)).await?)
    }

    /// Creates a bulk reprovision (201 with the new `cloudPcBulkAction`).
    pub async fn create_bulk_reprovision(
        &self,
        action: &CloudPcBulkReprovision,
    ) -> Result<CloudPcBulkAction, GraphError> {
        parse::bulk_action(&self.send(&calls::create_bulk_reprovision(action)).await?)
    }

    /// Every bulk action, following all pages.
    pub async fn list_bulk_actions(
        &self,
        on_page: impl FnMut(&[CloudPcBulkAction]),
    ) -> Result<Vec<CloudPcBulkAction>, GraphError> {
        self.list_all(calls::list_bulk_actions(), on_page).await
    }

    /// One bulk action.
    pub async fn get_bulk_action(&self, id: &str) -> Result<CloudPcBulkAction, GraphError> {
        parse::bulk_action(&self.send(&calls::get_bulk_action(id)).await?)
    }

    /// Retries a bulk action: the listed Cloud PCs, or with `None` every failed one (202).
    pub async fn retry_bulk_action(
        &self,
        id: &str,
        cloud_pc_ids: Option<&[String]>,
    ) -> Result<(), GraphError> {
        self.send(&calls::retry_bulk_action(id, cloud_pc_ids))
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests;
