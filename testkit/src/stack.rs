//! The whole product on one machine: the Graph simulator and the built console on two loopback
//! origins, the console's config.json pointing at the simulator in simulated sign-in mode.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::hosting::{Cloud, Csp};
use crate::static_host::{StaticHost, StaticHostOptions};

pub struct Stack {
    pub sim: graph_sim::RunningSim,
    pub console: StaticHost,
    pub user: String,
}

pub struct StackOptions {
    pub dist: PathBuf,
    pub sim: graph_sim::SimConfig,
    /// 0 picks free ports.
    pub console_port: u16,
    pub sim_port: u16,
    pub user: String,
}

impl StackOptions {
    /// Free ports, the default operator, and the dist folder `cargo xtask test` built
    /// (`CLOUDPC_DIST`).
    pub fn for_tests(sim: graph_sim::SimConfig) -> anyhow::Result<Self> {
        let dist = std::env::var_os("CLOUDPC_DIST").map(PathBuf::from).ok_or_else(|| {
            anyhow::anyhow!("CLOUDPC_DIST is not set: run the end-to-end tests with `cargo xtask test`, which builds the console first")
        })?;
        Ok(Self {
            dist,
            sim,
            console_port: 0,
            sim_port: 0,
            user: "helpdesk@contoso.onmicrosoft.com".into(),
        })
    }
}

impl Stack {
    /// Serves the console under the Content-Security-Policy that `cargo xtask dist --simulator`
    /// ships (global cloud plus the simulator's origin), so every test runs the console as a
    /// host must serve it; [`crate::browser::Browser`] records violations and fails on any.
    pub async fn start(options: StackOptions) -> anyhow::Result<Self> {
        Self::start_inner(options, true).await
    }

    /// The same as [`Stack::start`] (the strict policy is the default).
    pub async fn start_strict(options: StackOptions) -> anyhow::Result<Self> {
        Self::start_inner(options, true).await
    }

    /// The console with no Content-Security-Policy at all (e.g. to compare behaviour).
    pub async fn start_without_csp(options: StackOptions) -> anyhow::Result<Self> {
        Self::start_inner(options, false).await
    }

    async fn start_inner(options: StackOptions, strict_csp: bool) -> anyhow::Result<Self> {
        // The console paces a bulk run's waits by the simulator's clock (at least real time).
        let time_scale = options.sim.time_scale.max(1.0);
        let sim = graph_sim::start(
            options.sim,
            SocketAddr::from((Ipv4Addr::LOCALHOST, options.sim_port)),
        )
        .await?;
        let config = serde_json::json!({
            "cloud": "global",
            "auth": "simulated",
            "graphBaseUrl": sim.base_url(),
            "simulatedUser": options.user,
            "simulatorTimeScale": time_scale,
        });
        let csp = strict_csp.then(|| Csp::for_cloud(Cloud::Global, Some(&sim.base_url()), None));
        let console = StaticHost::start_with(
            options.dist,
            SocketAddr::from((Ipv4Addr::LOCALHOST, options.console_port)),
            StaticHostOptions {
                config_json: Some(config.to_string()),
                csp,
            },
        )
        .await?;
        Ok(Self {
            sim,
            console,
            user: options.user,
        })
    }

    /// A token for the configured operator, from the simulator (as the console's sign-in gets one).
    pub async fn token(&self) -> anyhow::Result<String> {
        let answer = crate::http::post_json(
            &format!("{}/_sim/token", self.sim.base_url()),
            None,
            &serde_json::json!({ "upn": self.user }),
        )
        .await?;
        answer["access_token"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| anyhow::anyhow!("no access_token in {answer}"))
    }

    /// Every Cloud PC as a generic Graph client sees it: all pages of the admin list.
    pub async fn all_cloud_pcs(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let token = self.token().await?;
        let mut url = format!(
            "{}/beta/deviceManagement/virtualEndpoint/cloudPCs",
            self.sim.base_url()
        );
        let mut all = Vec::new();
        loop {
            let page = crate::http::get_json(&url, Some(&token)).await?;
            all.extend(page["value"].as_array().cloned().unwrap_or_default());
            match page["@odata.nextLink"].as_str() {
                Some(next) => url = next.to_string(),
                None => return Ok(all),
            }
        }
    }
}
