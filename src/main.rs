use clap::Parser;
use memforge::cli::Cli;
use memforge::outcome::{exit_code, render};

/// mimalloc keeps freed memory mapped for reuse, where glibc's allocator
/// returns the large blocks of a crossbar solve (netlists, solver vectors:
/// megabytes at 64x64) to the kernel and faults them in again on the next
/// array: at 64x64 that was 0.7 ms of page faults per new array, half of
/// the whole solve (docs/analog.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
                let out =
                    serde_json::json!({"ok": false, "error": render(&err), "details": details});
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            }
            eprintln!("error: {}", render(&err));
            std::process::exit(code);
        }
    }
}
