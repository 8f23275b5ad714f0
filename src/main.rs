use clap::Parser;
use memforge::cli::Cli;
use memforge::outcome::exit_code;

fn main() {
    let cli = Cli::parse();
    let json = cli.json;
    match memforge::cmd::run(cli) {
        Ok(report) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report.json).unwrap_or_default()
                );
            } else {
                print!("{}", report.human);
            }
        }
        Err(err) => {
            let code = exit_code(&err);
            if json {
                let details = err
                    .downcast_ref::<memforge::outcome::CheckFailed>()
                    .map(|c| c.details.clone())
                    .unwrap_or(serde_json::Value::Null);
                let out = serde_json::json!({"ok": false, "error": format!("{err:#}"), "details": details});
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            }
            eprintln!("error: {err:#}");
            std::process::exit(code);
        }
    }
}
