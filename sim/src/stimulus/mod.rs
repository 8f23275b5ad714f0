//! Where the inputs of a co-simulation come from: the [`Stimulus`]
//! contract and the stimuli built on it. This room depends on the golden
//! models' pins (to drive their ports) but never on the harness or the
//! Verilator bridge, which depend on it.
//!
//! - [`bits`]: the cheap seeded random bits every stimulus draws from;
//! - [`aer_link`]: one AER source and sink for any valid/ready link;
//! - [`wishbone`]: random Wishbone traffic for any `wbs_*` slave;
//! - [`tile_traffic`]: random traffic for the full tile, playing the analog
//!   macro ([`tile_master`]: its Wishbone master; [`tile_coverage`]: what it
//!   exercised);
//! - [`merge_traffic`]: random traffic and a scoreboard for the AER merge;
//! - [`bus_master`]: the Wishbone bus-functional master every block's
//!   traffic shares (each chooses its own requests);
//! - [`routing_traffic`]: spikes, bus traffic and the routing macro for a
//!   Mosaic routing tile;
//! - [`bridge_traffic`]: both sides of the spike bridge;
//! - [`router_traffic`] and [`mesh_traffic`]: the AER router's and mesh's
//!   traffic and scoreboards ([`bus_script`]: a scripted Wishbone master
//!   for their routing tables).

pub mod aer_link;
pub mod bits;
pub mod bridge_traffic;
pub mod bus_master;
pub mod bus_script;
pub mod eprop_requests;
pub mod merge_traffic;
pub mod mesh_traffic;
pub mod pcm_trace_requests;
pub mod router_traffic;
pub mod routing_traffic;
pub mod seed_traffic;
pub mod tile_coverage;
pub mod tile_master;
pub mod tile_traffic;
pub mod wishbone;

pub use tile_coverage::{applies, CoverageProbe, TileCoverage};
pub use tile_traffic::{TileTraffic, TrafficError};
pub use wishbone::{ResetPort, WishboneTraffic};

/// Produces each cycle's inputs. Implementations are deterministic given
/// their seed, which is what makes a reported mismatch reproducible (and
/// what the VCD replay relies on).
pub trait Stimulus {
    /// Writes the input ports of cycle `cycle` into `values` (packed as the
    /// model's [`crate::cycle::PortLayout`]). On entry the output ports of
    /// `values` hold the outputs after the previous rising edge (the model's
    /// initial outputs at cycle 0), so a reactive stimulus, such as a bus
    /// master waiting for its acknowledge or the analog macro answering the
    /// tile, can depend on them. Input words not written keep last cycle's
    /// values.
    fn drive(&mut self, cycle: u64, values: &mut [u64]);

    /// Whether the stimulus has nothing left to do. A scripted session (a
    /// bus master running a list of operations) ends when its script does;
    /// the harness checks this before every cycle and stops early, so a
    /// run's cycle budget is only an upper bound (a guard against a hang).
    /// Free-running traffic never finishes.
    fn finished(&self) -> bool {
        false
    }

    /// A failure of a model the stimulus plays (the analog macro's circuit
    /// solve): from then on the inputs are no longer what the run claims
    /// to exercise (a failed READ answers silence), so the harness stops
    /// with this message instead of reporting a clean run. A model port
    /// cannot return an error every cycle, hence the query.
    fn fault(&self) -> Option<String> {
        None
    }

    /// How far a scripted stimulus has got: the operations of its script
    /// completed so far (free-running traffic has no script: 0). An
    /// observer uses it to split a run into the script's phases (`memforge
    /// ppa` measures the switching activity of programming and of
    /// inference separately).
    fn progress(&self) -> u64 {
        0
    }
}

impl<S: Stimulus + ?Sized> Stimulus for Box<S> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        (**self).drive(cycle, values)
    }

    fn finished(&self) -> bool {
        (**self).finished()
    }

    fn fault(&self) -> Option<String> {
        (**self).fault()
    }

    fn progress(&self) -> u64 {
        (**self).progress()
    }
}
