//! Runs the simulator until killed, printing its URL on the first line, for the Kotlin
//! suite (kotlin/tests): `cargo run -p waonboard-sim --example serve -- 8787`. People use
//! `waonboard sandbox`, `npx waonboard-sandbox` or `python -m waonboard.sandbox`.

use waonboard_sim::{SimConfig, Simulator};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let port = match std::env::args().nth(1) {
        Some(p) => p.parse().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
        None => 0,
    };
    let sim = Simulator::start(SimConfig { port, ..SimConfig::default() }).await?;
    println!("waonboard simulator on {}", sim.url());
    println!("{:#}", sim.seed_info());
    std::future::pending::<()>().await;
    Ok(())
}
