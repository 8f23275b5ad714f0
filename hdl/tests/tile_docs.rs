//! `docs/tile.md` carries the register map of `examples/tile-8x8.toml`
//! between markers; it must equal `RegisterMap::markdown_table()`.
//! `MEMFORGE_BLESS=1 cargo test -p memforge-hdl --test tile_docs` rewrites it.

use memforge_spec::{parse_str, RegisterMap};

const BEGIN: &str = "<!-- regmap:begin (generated from examples/tile-8x8.toml) -->\n";
const END: &str = "<!-- regmap:end -->";

#[test]
fn register_table_in_docs_is_generated() {
    let cfg = parse_str(include_str!("../../examples/tile-8x8.toml"), "tile-8x8").unwrap();
    let table = RegisterMap::for_design(&cfg).markdown_table();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/tile.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = doc.find(END).expect("end marker");
    if std::env::var_os("MEMFORGE_BLESS").is_some() {
        let new = format!("{}{table}{}", &doc[..start], &doc[end..]);
        std::fs::write(path, new).unwrap();
        return;
    }
    assert_eq!(
        &doc[start..end],
        table,
        "docs/tile.md register table is stale: rerun with MEMFORGE_BLESS=1"
    );
}
