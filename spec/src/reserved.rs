//! Words a design name must not be. The design name becomes the top module's
//! name and the prefix of every generated module; Verilator turns module
//! names into C++ identifiers, Yosys and OpenLane use it as `DESIGN_NAME`
//! (file names, Tcl variables). So it must not be a reserved word of any of
//! them:
//!
//! - Verilog-2005 (IEEE 1364-2005, Annex B), which Icarus `-g2005` reads;
//! - SystemVerilog (IEEE 1800-2017, Annex B), which Verilator reads;
//! - C++ (ISO C++20 keywords, alternative tokens and identifiers with special
//!   meaning) and the C/C++ library macros that Verilator's generated code
//!   sees (`assert`, `errno`, ...);
//! - names the flows give a meaning of their own (`top`).

/// IEEE 1364-2005 Annex B: every Verilog-2005 keyword.
#[rustfmt::skip]
pub const VERILOG_2005: &[&str] = &[
    "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex",
    "casez", "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable",
    "edge", "else", "end", "endcase", "endconfig", "endfunction", "endgenerate", "endmodule",
    "endprimitive", "endspecify", "endtable", "endtask", "event", "for", "force", "forever",
    "fork", "function", "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir",
    "include", "initial", "inout", "input", "instance", "integer", "join", "large", "liblist",
    "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
    "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge",
    "primitive", "pull0", "pull1", "pulldown", "pullup", "pulsestyle_ondetect",
    "pulsestyle_onevent", "rcmos", "real", "realtime", "reg", "release", "repeat", "rnmos",
    "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
    "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time",
    "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned",
    "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor",
    "xor",
];

/// IEEE 1800-2017 Annex B: the SystemVerilog keywords Verilog-2005 lacks.
#[rustfmt::skip]
pub const SYSTEMVERILOG: &[&str] = &[
    "accept_on", "alias", "always_comb", "always_ff", "always_latch", "assert", "assume",
    "before", "bind", "bins", "binsof", "bit", "break", "byte", "chandle", "checker", "class",
    "clocking", "const", "constraint", "context", "continue", "cover", "covergroup",
    "coverpoint", "cross", "dist", "do", "endchecker", "endclass", "endclocking", "endgroup",
    "endinterface", "endpackage", "endprogram", "endproperty", "endsequence", "enum",
    "eventually", "expect", "export", "extends", "extern", "final", "first_match", "foreach",
    "forkjoin", "global", "iff", "ignore_bins", "illegal_bins", "implements", "implies",
    "import", "inside", "int", "interconnect", "interface", "intersect", "join_any", "join_none",
    "let", "local", "logic", "longint", "matches", "modport", "nettype", "new", "nexttime",
    "null", "package", "packed", "priority", "program", "property", "protected", "pure", "rand",
    "randc", "randcase", "randsequence", "ref", "reject_on", "restrict", "return", "s_always",
    "s_eventually", "s_nexttime", "s_until", "s_until_with", "sequence", "shortint",
    "shortreal", "soft", "solve", "static", "string", "strong", "struct", "super",
    "sync_accept_on", "sync_reject_on", "tagged", "this", "throughout", "timeprecision",
    "timeunit", "type", "typedef", "union", "unique", "unique0", "until", "until_with",
    "untyped", "var", "virtual", "void", "wait_order", "weak", "wildcard", "with", "within",
];

/// ISO C++20 keywords, alternative tokens, identifiers with special meaning,
/// and C library macros that generated C++ sees.
#[rustfmt::skip]
pub const CPP: &[&str] = &[
    "alignas", "alignof", "and", "and_eq", "asm", "atomic_cancel", "atomic_commit",
    "atomic_noexcept", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval",
    "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield",
    "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit",
    "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "reflexpr", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast",
    "struct", "switch", "synchronized", "template", "this", "thread_local", "throw", "true",
    "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
    "volatile", "wchar_t", "while", "xor", "xor_eq",
    // identifiers with special meaning
    "final", "override", "import", "module", "transaction_safe", "transaction_safe_dynamic",
    // C library macros and objects
    "assert", "errno", "offsetof", "setjmp", "longjmp", "va_arg", "va_copy", "va_end",
    "va_start", "stdin", "stdout", "stderr", "main",
];

/// Names the flows give a meaning of their own.
pub const FLOWS: &[&str] = &["top"];

/// Which language reserves `name`, if any (the first that does).
pub fn reserved_by(name: &str) -> Option<&'static str> {
    [
        (VERILOG_2005, "a Verilog-2005 keyword"),
        (SYSTEMVERILOG, "a SystemVerilog keyword"),
        (CPP, "a C++ keyword or reserved name (Verilator emits C++)"),
        (FLOWS, "a name the flows reserve"),
    ]
    .into_iter()
    .find(|(words, _)| words.contains(&name))
    .map(|(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_free_of_duplicates_and_lower_case() {
        for list in [VERILOG_2005, SYSTEMVERILOG] {
            let mut sorted = list.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len());
        }
        for w in VERILOG_2005.iter().chain(SYSTEMVERILOG).chain(CPP) {
            assert!(w
                .chars()
                .all(|c| c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit()));
        }
    }
}
