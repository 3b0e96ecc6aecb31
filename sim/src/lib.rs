//! `graph-sim`: a Microsoft Graph simulator for Windows 365 Cloud PCs.
//!
//! It serves the Cloud PC endpoints of Graph (`/beta` and, where Graph has them, `/v1.0`) in
//! Graph's own JSON shapes, over a generated (or loaded) tenant whose Cloud PCs change state
//! over simulated time, with Graph-like throttling, injectable faults, and logs of every
//! request and of every operation carried out. See `sim/README.md`.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = graph_sim::start(graph_sim::SimConfig::default(), "127.0.0.1:0".parse()?).await?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod batch;
pub mod clock;
pub mod control;
pub mod faults;
pub mod graph;
pub mod log;
pub mod model;
pub mod odata;
pub mod routes;
pub mod server;
pub mod sim;
pub mod state;
pub mod tenant;
pub mod throttle;

pub use faults::{FaultEffect, FaultRule, Faults, LatencyRange, Phase};
pub use log::{Operation, RecordedRequest};
pub use state::Timing;
pub use throttle::Limits;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Everything that configures a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Number of Cloud PCs to generate (ignored with `tenant_file`).
    pub devices: usize,
    /// Seed of the tenant generator, of outcomes and of faults.
    pub seed: u64,
    /// Simulated seconds per real second (60: an hour of provisioning takes a minute).
    pub time_scale: f64,
    /// Page size of collections when the caller sends no `$top`.
    pub page_size: usize,
    /// Largest page served, whatever `$top` asks.
    pub max_page_size: usize,
    /// Load Cloud PCs from this Graph-shaped JSON file (`{"value":[cloudPC…]}`) instead of generating them.
    pub tenant_file: Option<PathBuf>,
    /// Injected faults (changeable at run time through `/_sim/faults`).
    pub faults: Faults,
    /// Throttling limits (changeable at run time through `/_sim/limits`).
    pub limits: Limits,
    /// Durations and outcome shares of the state machine.
    pub timing: Timing,
    /// Most entries kept in the request log and in the operation log.
    pub log_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            devices: 500,
            seed: 1,
            time_scale: 1.0,
            page_size: 100,
            max_page_size: 1000,
            tenant_file: None,
            faults: Faults::default(),
            limits: Limits::default(),
            timing: Timing::default(),
            log_capacity: 200_000,
        }
    }
}

/// A running simulator.
pub struct RunningSim {
    addr: SocketAddr,
    sim: Arc<sim::Sim>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
    ticker: JoinHandle<()>,
}

/// Binds `addr` (port 0 picks a free port) and serves the simulator on the current tokio runtime.
pub async fn start(config: SimConfig, addr: SocketAddr) -> anyhow::Result<RunningSim> {
    if !addr.ip().is_loopback() {
        anyhow::bail!(
            "graph-sim binds to loopback addresses only, not {}",
            addr.ip()
        );
    }
    config.faults.validate().map_err(anyhow::Error::msg)?;
    let sim = Arc::new(sim::Sim::new(config)?);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let app = server::app(server::AppState {
        sim: sim.clone(),
        addr,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    // Events also happen when nobody is looking: operations are logged at their own time.
    let ticking = sim.clone();
    let ticker = tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(50));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            every.tick().await;
            drop(ticking.state());
        }
    });
    Ok(RunningSim {
        addr,
        sim,
        stop,
        server,
        ticker,
    })
}

impl RunningSim {
    /// `http://127.0.0.1:PORT` (Graph paths are under `/beta` and `/v1.0`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The request log (same data as `GET /_sim/requests`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.requests()
    }

    /// The operation log (same data as `GET /_sim/operations`).
    pub fn operations(&self) -> Vec<Operation> {
        self.sim.state().operations()
    }

    /// The simulator itself, for tests that want to inspect or change state directly.
    pub fn sim(&self) -> &Arc<sim::Sim> {
        &self.sim
    }

    /// Stops serving (open connections get up to 5 s to finish).
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        self.ticker.abort();
        let mut server = self.server;
        if tokio::time::timeout(Duration::from_secs(5), &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
    }
}
