//! (being written)
#[derive(Debug, clap::Args)]
pub struct Args {}
pub fn run(_args: &Args) -> anyhow::Result<crate::outcome::Report> {
    anyhow::bail!("not implemented yet")
}
