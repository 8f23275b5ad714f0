//! Heap in use after each phase of a 1024x1024 read (or `N x N`): the
//! array, its read laws, a solver built from the geometry, one solve, and
//! the array's own read. Counts bytes through a global allocator wrapper,
//! so the figures are the data structures', not the allocator's retention.
//!
//! `cargo run --release -p memforge-sim --example memory_phases -- 1024`

use memforge_sim::analog::{CrossbarArray, Drive, LinearSettings, NewtonSettings, Solver};
use memforge_spec::analog::AnalogSection;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
/// Counts live and peak heap bytes, then defers to the system allocator.
struct Meter;
static CUR: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Meter {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let c = CUR.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(c, Relaxed);
        System.alloc(l)
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let c = CUR.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(c, Relaxed);
        System.alloc_zeroed(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        CUR.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
}
#[global_allocator]
static M: Meter = Meter;
fn mb(x: usize) -> f64 {
    x as f64 / 1048576.0
}
fn show(what: &str) {
    println!(
        "{what:30} cur {:8.1} MiB peak {:8.1} MiB",
        mb(CUR.load(Relaxed)),
        mb(PEAK.load(Relaxed))
    );
}
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let a = AnalogSection::default();
    let mut arr = CrossbarArray::new(&a, n, n).unwrap();
    show("array");
    arr.program_random_levels().unwrap();
    show("programmed");
    let laws = arr.read_laws();
    show("laws");
    let volts = vec![a.read_voltage; n];
    let sel = vec![true; n];
    let mut s = Solver::for_geometry(
        arr.solver().geometry().clone(),
        LinearSettings::from_config(&a.solver),
    )
    .unwrap();
    show("solver");
    let sol = s
        .solve(
            &Drive {
                row_volts: &volts,
                selected: &sel,
            },
            &laws,
            &NewtonSettings::default(),
        )
        .unwrap();
    show("solved");
    drop(sol);
    drop(s);
    show("dropped");
    let r = arr
        .read_with_laws(&volts, &laws, memforge_spec::analog::ReadPath::Circuit)
        .unwrap();
    show("read");
    drop(r);
}
