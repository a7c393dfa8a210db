//! Onboards one number through Meta, asking for the code on the terminal.
//!
//! ```sh
//! WAONBOARD_ACCESS_TOKEN=... cargo run -p waonboard --features reqwest --example onboard -- 106540352242922
//! ```
//! Against the simulator (`cargo run -p waonboard-cli -- sandbox`), add
//! `WAONBOARD_BASE_URL=http://127.0.0.1:PORT/meta` and the token `sim-meta-token`.
//! The flow's state is saved to `onboarding.json` after every step, so stopping while
//! waiting for the SMS and running the same command again carries on.

use std::io::{BufRead, Write};

use waonboard::client::{Client, FlowInput, MetaOnboarding, Needs, Onboarding, ReqwestTransport};
use waonboard::{Config, DeliveryMethod, Error};

const STATE_FILE: &str = "onboarding.json";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let phone_number_id = std::env::args().nth(1).ok_or("usage: onboard <phone_number_id>")?;
    let mut config = Config::new(std::env::var("WAONBOARD_ACCESS_TOKEN")?);
    config.base_url = std::env::var("WAONBOARD_BASE_URL").ok();
    let client = Client::new(ReqwestTransport::new()?, config);

    let mut flow = match std::fs::read_to_string(STATE_FILE) {
        Ok(saved) => Onboarding::from_json(&saved)?,
        Err(_) => Onboarding::Meta(MetaOnboarding::new(phone_number_id, DeliveryMethod::Sms, "en_US")),
    };
    loop {
        let input = match flow.needs() {
            Needs::Done => break,
            Needs::Advance => FlowInput::default(),
            Needs::Code => FlowInput::code(ask("the 6-digit code from the SMS")?),
            Needs::Pin => FlowInput::pin(ask("the two-step PIN")?),
        };
        match flow.advance(&client, input).await {
            Ok(next) => println!("next: {next:?}"),
            // The flow stays where it was: fix the input and run again.
            Err(e) => print_error(&e),
        }
        std::fs::write(STATE_FILE, flow.to_json())?;
    }
    println!("registered");
    Ok(())
}

fn ask(what: &str) -> std::io::Result<String> {
    print!("{what}: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

fn print_error(e: &Error) {
    eprintln!("{} error{}: {e}", e.kind(), e.field().map(|f| format!(" in `{f}`")).unwrap_or_default());
    if let Some(ms) = e.retry_after_ms() {
        eprintln!("try again in {} s", ms.div_ceil(1000));
    }
}
