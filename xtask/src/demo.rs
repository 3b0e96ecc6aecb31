//! `cargo xtask demo`: the release console against a seeded simulated tenant, on two origins
//! (console and simulator) so CORS is exercised exactly as against real Graph.

use clap::Args;

use crate::{build, tools};

#[derive(Args)]
pub struct DemoArgs {
    /// Port of the console; the simulator listens on the next port unless --sim-port is given.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Port of the Graph simulator.
    #[arg(long)]
    sim_port: Option<u16>,
    /// Number of Cloud PCs in the simulated tenant.
    #[arg(long, default_value_t = 500)]
    devices: usize,
    /// Seed of the simulated tenant (same seed, same tenant).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How much faster than real time simulated work (provisioning) runs.
    #[arg(long, default_value_t = 60.0)]
    time_scale: f64,
    /// The simulated operator's user principal name.
    #[arg(long, default_value = "helpdesk@contoso.onmicrosoft.com")]
    user: String,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    tools::ensure_build_tools()?;
    let dist = build::release()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let sim_port = args.sim_port.unwrap_or(args.port.wrapping_add(1));
        let config = graph_sim::SimConfig {
            devices: args.devices,
            seed: args.seed,
            time_scale: args.time_scale,
            ..Default::default()
        };
        let stack = testkit::stack::Stack::start(testkit::stack::StackOptions {
            dist,
            sim: config,
            console_port: args.port,
            sim_port,
            user: args.user,
        })
        .await?;
        let (host, sim) = (&stack.console, &stack.sim);
        println!();
        println!("Cloud PC console:  {}", host.url());
        println!(
            "Graph simulator:   {} ({} Cloud PCs, seed {})",
            sim.base_url(),
            args.devices,
            args.seed
        );
        println!("Press Ctrl+C to stop.");
        tokio::signal::ctrl_c().await?;
        stack.sim.shutdown().await;
        anyhow::Ok(())
    })
}
