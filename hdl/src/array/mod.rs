//! The array generator: `rows x cols` neuron tiles and their interconnect
//! in one top (spec and layout: `memforge_spec::blocks::array`,
//! `docs/array.md`).
//!
//! Every distinct module is emitted once through rust-hdl: the neuron
//! tile (`<design>_nt*`, shared by all tiles), and either the Mosaic
//! routing tile and spike bridge (`<design>_rt*`, `<design>_br*`) or the
//! parameterized AER router (`<design>_mr*`, [`mesh_router`]). The top
//! (`<design>`) is a structural netlist written directly ([`netlist`]),
//! and the Wishbone decoder (`<design>_wb`) is Verilog text from the
//! layout ([`decoder`]), so generation time grows with the instance count
//! only through string writing.

pub mod decoder;
pub mod mesh;
pub mod mesh_router;
pub mod mosaic;
pub mod netlist;

use crate::emit::{Emitted, ModuleFile};
use memforge_spec::blocks::array::{contract, ArrayConfig, Interconnect};
use memforge_spec::{ContractError, Dir, PortContract, Role};
use netlist::Netlist;

/// The array could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum ArrayError {
    #[error("the neuron tile: {0}")]
    Tile(#[from] crate::GenerateError),
    #[error("the routing tile: {0}")]
    Routing(#[from] crate::routing_tile::RoutingError),
    #[error("the spike bridge: {0}")]
    Bridge(#[from] crate::spike_bridge::BridgeError),
    #[error("the mesh router: {0}")]
    Router(#[from] mesh_router::ParamError),
    #[error("module `{0}` would be generated twice (two sub-blocks' names collide)")]
    Duplicate(String),
    #[error("the neuron tile has no reset synchronizer `{0}` to share")]
    NoRstSync(String),
    #[error(transparent)]
    Contract(#[from] ContractError),
}

/// Generates the array of `cfg`: every module once, the decoder, the top;
/// the top checked against the array's contract.
pub fn generate(cfg: &ArrayConfig) -> Result<Emitted, ArrayError> {
    let name = cfg.design.name.clone();
    let tile = crate::generate(&cfg.tile_config())?;
    let rst = format!("{}_rst", tile.design);
    if !tile.modules.iter().any(|m| m.name == rst) {
        return Err(ArrayError::NoRstSync(rst));
    }
    let mut modules = Vec::new();
    let mut aux = tile.aux.clone();
    let tile_contract = memforge_spec::blocks::tile::contract(&cfg.tile_config());
    let parts = Parts {
        cfg,
        rst_sync: rst,
        tile_module: tile.design.clone(),
        tile_contract,
    };
    modules.extend(tile.modules);
    let top = match cfg.array.interconnect {
        Interconnect::Mosaic => {
            let rt = crate::routing_tile::generate(&cfg.routing_config())?;
            let br = crate::spike_bridge::generate(&cfg.bridge_config())?;
            let rt_contract =
                memforge_spec::blocks::routing_tile::contract(&cfg.routing_config().routing);
            aux.push(blackbox(
                &format!("macro/{}_xbar.v", rt.design),
                &format!("{}_xbar", rt.design),
                &rt_contract,
                &name,
                &format!("Routing crossbar macro of the array `{name}`'s routers: a hard macro memforge does not generate; each router `rt_<i>_<j>` drives one through the top's `rt_<i>_<j>_xbar_*` ports."),
            ));
            let text = mosaic::top(&parts, &rt.design, &br.design);
            modules.extend(rt.modules);
            modules.extend(br.modules);
            text
        }
        Interconnect::Mesh => {
            let mr = mesh_router::emit(cfg)?;
            let text = mesh::top(&parts, &mr.design);
            modules.extend(mr.modules);
            text
        }
    };
    modules.push(ModuleFile {
        name: decoder::module_name(&name),
        text: decoder::module(cfg),
    });
    modules.push(ModuleFile {
        name: name.clone(),
        text: top,
    });
    modules.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(w) = modules.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(ArrayError::Duplicate(w[0].name.clone()));
    }
    let ports = modules
        .iter()
        .find(|m| m.name == name)
        .map(|m| crate::emit::port::top_ports(&m.text))
        .unwrap_or_default();
    let emitted = Emitted {
        design: name,
        modules,
        ports,
        aux,
    };
    crate::check_contract(&emitted, &contract(cfg))?;
    Ok(emitted)
}

/// What the topology writers share.
pub struct Parts<'a> {
    pub cfg: &'a ArrayConfig,
    /// The tile's reset synchronizer, shared by the interconnect and the
    /// decoder.
    pub rst_sync: String,
    pub tile_module: String,
    pub tile_contract: PortContract,
}

/// Bit slice `[lo + width - 1 : lo]` of `vec` (a bare name for a 1-bit
/// vector of width 1 is still sliced: every sliced vector here is wider).
pub fn slice(vec: &str, lo: u32, width: u32) -> String {
    if width == 1 {
        format!("{vec}[{lo}]")
    } else {
        format!("{vec}[{}:{lo}]", lo + width - 1)
    }
}

impl Parts<'_> {
    /// The start of the top: its ports, the bus wires, the shared reset
    /// synchronizer and the decoder.
    pub fn begin(&self) -> Netlist {
        let cfg = self.cfg;
        let n = decoder::slaves(cfg);
        let mut top = Netlist::new(&cfg.design.name, &contract(cfg));
        top.comment("the bus: one strobe, acknowledge and read word per slot (docs/array.md)");
        top.wire("rst_n", 1);
        top.wire("s_stb", n);
        top.wire("s_adr", 32);
        top.wire("s_ack", n);
        top.wire("s_dat", n * 32);
        top.instance(
            &self.rst_sync,
            &[],
            "u_rst",
            &[
                ("clock", "wb_clk_i".into()),
                ("arst", "wb_rst_i".into()),
                ("rst_n", "rst_n".into()),
            ],
        );
        let info = cfg.info_bridge_words();
        if info > 0 {
            top.wire("info", info * 32);
        }
        let mut conns = vec![
            ("clock", "wb_clk_i".to_string()),
            ("rst_n", "rst_n".into()),
            ("wbs_stb_i", "wbs_stb_i".into()),
            ("wbs_cyc_i", "wbs_cyc_i".into()),
            ("wbs_adr_i", "wbs_adr_i".into()),
            ("wbs_ack_o", "wbs_ack_o".into()),
            ("wbs_dat_o", "wbs_dat_o".into()),
            ("s_stb", "s_stb".into()),
            ("s_adr", "s_adr".into()),
            ("s_ack", "s_ack".into()),
            ("s_dat", "s_dat".into()),
        ];
        if info > 0 {
            conns.push(("info", "info".into()));
        }
        top.instance(&decoder::module_name(&cfg.design.name), &[], "u_wb", &conns);
        top
    }

    /// The Wishbone connections of the sub-block in `slot`.
    pub fn bus(&self, slot: u32) -> Vec<(&'static str, String)> {
        vec![
            ("wbs_stb_i", format!("s_stb[{slot}]")),
            ("wbs_cyc_i", "wbs_cyc_i".into()),
            ("wbs_we_i", "wbs_we_i".into()),
            ("wbs_sel_i", "wbs_sel_i".into()),
            ("wbs_dat_i", "wbs_dat_i".into()),
            ("wbs_adr_i", "s_adr".into()),
            ("wbs_ack_o", format!("s_ack[{slot}]")),
            ("wbs_dat_o", slice("s_dat", slot * 32, 32)),
        ]
    }

    /// Connections of neuron tile (r, c): clock, reset request, bus, its
    /// crossbar macro to the top's `nt_<r>_<c>_*` ports, and `aer` for its
    /// AER ports.
    pub fn tile_conns<'p>(
        &'p self,
        r: u32,
        c: u32,
        aer: &dyn Fn(&str) -> String,
    ) -> Vec<(&'p str, String)> {
        let prefix = memforge_spec::blocks::array::tile_prefix(r, c);
        let bus = self.bus(self.cfg.tile_slot(r, c));
        self.tile_contract
            .ports
            .iter()
            .map(|p| {
                let e = match p.role {
                    Role::Clock => "wb_clk_i".to_string(),
                    Role::ResetRequest => "wb_rst_i".into(),
                    Role::Bus => bus
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map(|(_, e)| e.clone())
                        .unwrap_or_default(),
                    Role::Macro => format!("{prefix}{}", p.name),
                    _ => aer(&p.name),
                };
                (p.name.as_str(), e)
            })
            .collect()
    }
}

/// A blackbox of a crossbar macro: the periphery's macro ports with their
/// directions turned, plus clock and reset.
fn blackbox(
    path: &str,
    module: &str,
    periphery: &PortContract,
    design: &str,
    doc: &str,
) -> (String, String) {
    let mut c = PortContract::new()
        .port("clk", Dir::In, 1, Role::Clock, "")
        .port("rst_n", Dir::In, 1, Role::Reset, "");
    for p in periphery.ports.iter().filter(|p| p.role == Role::Macro) {
        let d = if p.dir == Dir::In { Dir::Out } else { Dir::In };
        c = c.port(&p.name, d, p.width, Role::Macro, "");
    }
    let body = Netlist::new(module, &c).finish();
    let header = crate::emit::write::file_header(design);
    let text = format!("{header}// {doc}\n(* blackbox *)\n{body}");
    (path.to_string(), text)
}
