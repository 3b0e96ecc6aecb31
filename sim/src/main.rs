//! The `graph-sim` binary: serves the simulator until interrupted.

use clap::Parser;
use graph_sim::{FaultRule, Faults, LatencyRange, Limits, SimConfig, Timing};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// A faithful Microsoft Graph simulator for Windows 365 Cloud PCs.
///
/// Serves Graph's Cloud PC endpoints under /beta (and /v1.0) on a loopback address, over a
/// generated tenant whose Cloud PCs change state over simulated time, with Graph-like
/// throttling and injectable faults. Control endpoints live under /_sim (see sim/README.md).
#[derive(Debug, Parser)]
#[command(name = "graph-sim", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8081)]
    port: u16,
    /// Address to listen on; only loopback addresses (127.0.0.1, ::1, localhost) are accepted.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Number of Cloud PCs to generate.
    #[arg(long, default_value_t = 500)]
    devices: usize,
    /// Seed of the tenant generator, of reprovision outcomes and of injected faults.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Simulated seconds per real second: 60 makes a 60 s reprovision take 1 s, and refills
    /// throttling windows 60 times faster.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Page size of collections when the caller sends no $top.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Largest page served, whatever $top asks.
    #[arg(long, default_value_t = 1000)]
    max_page_size: usize,
    /// Load Cloud PCs from this JSON file in Graph's shape ({"value":[cloudPC…]}) instead of generating them.
    #[arg(long, value_name = "FILE")]
    tenant: Option<PathBuf>,

    /// Simulated seconds from an accepted reprovision to its action result becoming active.
    #[arg(long, default_value_t = 5.0)]
    action_start_secs: f64,
    /// Simulated seconds a reprovision takes (provisioning → provisioned/failed).
    #[arg(long, default_value_t = 60.0)]
    provisioning_secs: f64,
    /// Share (0..1) of reprovisions that end failed (decided by the seed).
    #[arg(long, default_value_t = 0.05)]
    reprovision_failure_rate: f64,
    /// Simulated seconds from a bulk action's creation (or retry) to its first device's dispatch.
    #[arg(long, default_value_t = 5.0)]
    bulk_dispatch_secs: f64,
    /// Simulated seconds between two devices of a bulk action being dispatched.
    #[arg(long, default_value_t = 1.0)]
    bulk_stagger_secs: f64,
    /// Share (0..1) of eligible devices the seed bulk endpoint reports failed (injected failure).
    #[arg(long, default_value_t = 0.02)]
    seed_bulk_failure_rate: f64,

    /// Disable throttling entirely.
    #[arg(long)]
    no_throttle: bool,
    /// Throttling window in simulated seconds.
    #[arg(long, default_value_t = 20.0)]
    throttle_window_secs: f64,
    /// Requests of any kind per window, per app.
    #[arg(long, default_value_t = 2000)]
    app_requests: u32,
    /// Writes (POST/PATCH/PUT/DELETE) per window, per app.
    #[arg(long, default_value_t = 200)]
    app_writes: u32,
    /// Requests of any kind per window, for the whole tenant.
    #[arg(long, default_value_t = 4000)]
    tenant_requests: u32,
    /// Writes per window, for the whole tenant.
    #[arg(long, default_value_t = 400)]
    tenant_writes: u32,
    /// Most sub-requests accepted in one $batch.
    #[arg(long, default_value_t = 20)]
    max_batch: usize,

    /// Extra latency on every Graph request, in milliseconds: MIN..MAX (or one value).
    #[arg(long, value_name = "MIN..MAX")]
    latency: Option<LatencyRange>,
    /// A fault rule, repeatable: METHOD:EFFECT:RATE[:before|after[:PATH_CONTAINS]], where METHOD
    /// is GET, POST… or *, EFFECT is 500, 502, 503, 504 or drop (close the connection), RATE is
    /// a share 0..1, and "after" strikes once the operation was carried out.
    /// Example: --fault POST:503:0.1:after:/reprovision
    #[arg(long = "fault", value_name = "RULE")]
    faults: Vec<FaultRule>,
    /// Share (0..1) of JSON response bodies cut short.
    #[arg(long, default_value_t = 0.0)]
    malformed_rate: f64,
    /// Tokens expire this many real seconds after issue (or, for tokens not issued by
    /// /_sim/token, after first use): Graph's 401 InvalidAuthenticationToken.
    #[arg(long, value_name = "SECS")]
    token_lifetime: Option<u64>,
    /// Treat every token as lacking CloudPC.ReadWrite.All: writes get 403.
    #[arg(long)]
    read_only_tokens: bool,
    /// Most entries kept in the request log and in the operation log.
    #[arg(long, default_value_t = 200_000)]
    log_capacity: usize,
}

fn loopback(host: &str) -> anyhow::Result<IpAddr> {
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::from([127, 0, 0, 1])
    } else {
        host.parse()
            .map_err(|_| anyhow::anyhow!("--host '{host}' is not an IP address"))?
    };
    if !ip.is_loopback() {
        anyhow::bail!(
            "--host must be a loopback address (127.0.0.1, ::1 or localhost), not {host}"
        );
    }
    Ok(ip)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let ip = loopback(&a.host)?;
    let config = SimConfig {
        devices: a.devices,
        seed: a.seed,
        time_scale: a.time_scale,
        page_size: a.page_size.max(1),
        max_page_size: a.max_page_size.max(1),
        tenant_file: a.tenant,
        faults: Faults {
            latency_ms: a.latency,
            rules: a.faults,
            malformed_rate: a.malformed_rate,
            token_lifetime_secs: a.token_lifetime,
            read_only_tokens: a.read_only_tokens,
        },
        limits: Limits {
            enabled: !a.no_throttle,
            window_secs: a.throttle_window_secs,
            app_requests: a.app_requests,
            app_writes: a.app_writes,
            tenant_requests: a.tenant_requests,
            tenant_writes: a.tenant_writes,
            max_batch: a.max_batch.max(1),
        },
        timing: Timing {
            action_start_secs: a.action_start_secs,
            provisioning_secs: a.provisioning_secs,
            reprovision_failure_rate: a.reprovision_failure_rate,
            bulk_dispatch_secs: a.bulk_dispatch_secs,
            bulk_stagger_secs: a.bulk_stagger_secs,
            seed_bulk_failure_rate: a.seed_bulk_failure_rate,
        },
        log_capacity: a.log_capacity.max(1),
    };
    if !(a.time_scale.is_finite() && a.time_scale > 0.0) {
        anyhow::bail!("--time-scale must be a positive number");
    }
    let sim = graph_sim::start(config, SocketAddr::new(ip, a.port)).await?;
    println!("graph-sim listening on {}", sim.base_url());
    tokio::signal::ctrl_c().await?;
    eprintln!("graph-sim: shutting down");
    sim.shutdown().await;
    Ok(())
}
