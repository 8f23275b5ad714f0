//! Each family's doc page carries its port table, rendered from the port
//! contract of the family's first sweep config between two markers:
//!
//! ```text
//! <!-- ports: begin (rendered by `memforge docs` from examples/x.toml) -->
//! | port | dir | width | role | what |
//! ...
//! <!-- ports: end -->
//! ```
//!
//! `memforge docs` rewrites the section (`./dev regen` runs it); a test
//! checks every page is current, as `docs/registers.md` is checked.

use super::BlockFamily;
use anyhow::{bail, Context, Result};
use std::path::Path;

const BEGIN: &str = "<!-- ports: begin";
const END: &str = "<!-- ports: end -->";

/// The port section of `family`'s page, markers included.
pub fn port_section(family: &dyn BlockFamily, root: &Path) -> Result<String> {
    let Some(example) = family.sweep().first() else {
        bail!("block family `{}` has no example config", family.name());
    };
    let design = family.load(&root.join(example))?;
    Ok(format!(
        "{BEGIN} (rendered by `memforge docs` from {example}) -->\n{}{END}",
        design.contract().markdown_table()
    ))
}

/// `page` with its port section replaced by `section`.
pub fn with_section(page: &str, section: &str, name: &str) -> Result<String> {
    let (Some(a), Some(b)) = (page.find(BEGIN), page.find(END)) else {
        bail!("{name} has no `{BEGIN} ... {END}` section for its port table");
    };
    if b < a {
        bail!("{name}: the port section's end marker comes before its start");
    }
    Ok(format!("{}{section}{}", &page[..a], &page[b + END.len()..]))
}

/// The page of `family` as it should read (from the repository at `root`).
pub fn rendered_page(family: &dyn BlockFamily, root: &Path) -> Result<(String, String)> {
    let path = root.join(family.doc_page());
    let page =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let section = port_section(family, root)?;
    let want = with_section(&page, &section, family.doc_page())?;
    Ok((page, want))
}
