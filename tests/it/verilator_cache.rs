//! Verilator builds are cached per design, and two threads that ask for the
//! same uncached design at once build it once: the second waits on the
//! first's per-key lock and then finds the build in the cache (before the
//! lock, both compiled it side by side, which cost CI a core whenever two
//! tests of one file started together). Fails (never skips) without
//! Verilator.

use crate::common;
use memforge::blocks::aer_merge::MergeDesign;
use memforge::cosim::design::write_rtl;
use memforge::tools::{find, Tool};
use memforge_sim::verilator::{BuildOptions, VerilatedLibrary};
use memforge_spec::blocks::aer_merge;

#[test]
fn two_threads_asking_for_one_uncached_design_build_it_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = memforge_spec::load::load_with(
        &common::root().join("examples/aer-merge-4.toml"),
        aer_merge::validate,
    )
    .unwrap();
    let rtl = write_rtl(&MergeDesign(cfg), &tmp.path().join("rtl")).unwrap();
    let verilator = find(Tool::Verilator)
        .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
    // A fresh cache: nothing is cached before the two requests.
    let opts = BuildOptions::new(verilator.path, tmp.path().join("cache"));
    let cached: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    VerilatedLibrary::build(&rtl, &opts)
                        .unwrap_or_else(|e| panic!("{e}"))
                        .was_cached()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        cached.iter().filter(|c| !**c).count(),
        1,
        "exactly one of the two requests builds: {cached:?}"
    );
    // Both end up with a working library: a third request is a cache hit.
    assert!(VerilatedLibrary::build(&rtl, &opts).unwrap().was_cached());
}
