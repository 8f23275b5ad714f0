//! The crossbar as a circuit graph: the one description that both the Rust
//! solver stamps and the ngspice deck writer prints, so the two can only
//! differ in how they solve, never in what they solve.
//!
//! Layout (R rows, C columns, cell (i, j)):
//! - row driver `D(i)` (an ideal source at the row voltage) feeds the row
//!   node `R(i,0)` through `r_driver`; row wire segments `r_wire_row` join
//!   `R(i,j)` and `R(i,j+1)`;
//! - column wire segments `r_wire_col` join `C(i,j)` and `C(i+1,j)`; the last
//!   one, `C(R-1,j)`, reaches the sense amplifier's virtual ground `S(j)`
//!   (0 V) through `r_sense`;
//! - 0T1R: the device joins `R(i,j)` and `C(i,j)`; 1T1R: the access switch
//!   joins `R(i,j)` to an internal node `M(i,j)`, the device joins `M(i,j)`
//!   to `C(i,j)`.
//!
//! Zero resistances are ideal connections: their nodes are merged (so a
//! zero-parasitic crossbar collapses to the ideal product with no unknown at
//! all), which keeps the conductance matrix finite and positive definite.

use memforge_spec::analog::{AnalogSection, CellAccess, UnselectedRows};

/// One end of an element after merging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// An unknown node voltage (index into the solution vector).
    Free(usize),
    /// The ideal source of row `i` (known voltage).
    Driver(usize),
    /// The virtual ground of column `j` (0 V); its current is the output.
    Sense(usize),
}

/// What an element is, which decides its conductance in a given read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Fixed resistance (wire segments) (Ω).
    Wire { r: f64 },
    /// Row driver output resistance (replaced by `r_float` for an
    /// unselected floating row).
    Driver { row: usize },
    /// Sense amplifier input resistance.
    Sense { col: usize },
    /// 1T1R access switch of a cell in `row`.
    Access { row: usize },
    /// The memristive device of cell `row * cols + col`.
    Cell { cell: usize },
}

/// A two-terminal element; positive current flows from `a` to `b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Element {
    pub a: Term,
    pub b: Term,
    pub kind: Kind,
}

/// The parasitic and access resistances of a crossbar (Ω).
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub rows: usize,
    pub cols: usize,
    pub r_wire_row: f64,
    pub r_wire_col: f64,
    pub r_driver: f64,
    pub r_sense: f64,
    /// `Some((r_on, r_off))` for 1T1R.
    pub access: Option<(f64, f64)>,
    /// `Some(r_float)` when unselected rows float.
    pub floating: Option<f64>,
}

impl Geometry {
    /// The geometry of an `rows x cols` tile under `a`.
    pub fn from_config(a: &AnalogSection, rows: usize, cols: usize) -> Self {
        let p = &a.parasitics;
        Geometry {
            rows,
            cols,
            r_wire_row: p.r_wire_row,
            r_wire_col: p.r_wire_col,
            r_driver: p.r_driver,
            r_sense: p.r_sense,
            access: (a.access == CellAccess::OneT1r).then_some((p.r_access_on, p.r_access_off)),
            floating: (a.unselected_rows == UnselectedRows::Floating).then_some(p.r_float),
        }
    }

    /// Ideal wiring: every parasitic zero, 0T1R, grounded rows.
    pub fn ideal(rows: usize, cols: usize) -> Self {
        Geometry {
            rows,
            cols,
            r_wire_row: 0.0,
            r_wire_col: 0.0,
            r_driver: 0.0,
            r_sense: 0.0,
            access: None,
            floating: None,
        }
    }
}

/// Errors in building a netlist.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum NetlistError {
    #[error("crossbar must have at least one row and one column (got {rows}x{cols})")]
    Empty { rows: usize, cols: usize },
    #[error("{what} = {value} must be a finite, non-negative resistance")]
    BadResistance { what: &'static str, value: f64 },
    #[error("{what} = {value} must be a finite, positive resistance")]
    ZeroResistance { what: &'static str, value: f64 },
}

/// The merged circuit graph of one crossbar.
#[derive(Clone, Debug)]
pub struct Netlist {
    pub geometry: Geometry,
    /// Number of unknown node voltages.
    pub n_free: usize,
    pub elements: Vec<Element>,
    /// Row-wire node of each cell (`i * cols + j`).
    pub row_node: Vec<Term>,
    /// Column-wire node of each cell.
    pub col_node: Vec<Term>,
    /// 1T1R internal node of each cell (empty for 0T1R).
    pub mid_node: Vec<Term>,
}

/// Union-find over the raw nodes, with path halving.
struct Merge(Vec<usize>);

impl Merge {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // Keep the larger id as root: fixed nodes (drivers, senses) have the
        // largest ids, so a class containing one is rooted at it.
        if ra < rb {
            self.0[ra] = rb;
        } else if rb < ra {
            self.0[rb] = ra;
        }
    }
}

fn check(what: &'static str, value: f64) -> Result<f64, NetlistError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(NetlistError::BadResistance { what, value })
    }
}

fn positive(what: &'static str, value: f64) -> Result<f64, NetlistError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(NetlistError::ZeroResistance { what, value })
    }
}

impl Geometry {
    /// The resistances a netlist can be built from: finite, non-negative,
    /// and positive where zero would short a source.
    pub fn check(&self) -> Result<(), NetlistError> {
        let g = self;
        let (rows, cols) = (g.rows, g.cols);
        if rows == 0 || cols == 0 {
            return Err(NetlistError::Empty { rows, cols });
        }
        check("r_wire_row", g.r_wire_row)?;
        check("r_wire_col", g.r_wire_col)?;
        check("r_sense", g.r_sense)?;
        if let Some(r_float) = g.floating {
            positive("r_driver (floating rows)", g.r_driver)?;
            positive("r_float", r_float)?;
        } else {
            check("r_driver", g.r_driver)?;
        }
        if let Some((on, off)) = g.access {
            positive("r_access_on", on)?;
            positive("r_access_off", off)?;
        }
        Ok(())
    }

    /// True when no node is merged into another (every parasitic a real
    /// resistance): the netlist then has a row node and a column node (and
    /// for 1T1R a middle node) per cell, numbered by
    /// [`regular_node`](Self::regular_node).
    pub fn is_regular(&self) -> bool {
        self.check().is_ok()
            && [
                self.r_wire_row,
                self.r_wire_col,
                self.r_driver,
                self.r_sense,
            ]
            .iter()
            .all(|r| *r > 0.0)
    }

    /// The unknowns of cell `(i, j)` in a regular netlist: row node, column
    /// node, 1T1R middle node. [`Netlist::build`] numbers nodes as it
    /// first meets them, row by row: the driver reaches `R(i,0)`, then per
    /// cell the row wire reaches `R(i,j+1)`, the access switch `M(i,j)` and
    /// the device `C(i,j)`; the column wires meet no new node.
    pub fn regular_node(&self, i: usize, j: usize) -> (usize, usize, Option<usize>) {
        let last = j + 1 == self.cols;
        if self.access.is_none() {
            let base = i * 2 * self.cols;
            let r = if j == 0 { 0 } else { 2 * j - 1 };
            let c = if last { 2 * self.cols - 1 } else { 2 * j + 2 };
            (base + r, base + c, None)
        } else {
            let base = i * 3 * self.cols;
            let r = if j == 0 { 0 } else { 3 * j - 2 };
            let (m, c) = if last {
                (3 * self.cols - 2, 3 * self.cols - 1)
            } else {
                (3 * j + 2, 3 * j + 3)
            };
            (base + r, base + c, Some(base + m))
        }
    }
}

impl Netlist {
    /// Builds the merged graph of `g`.
    pub fn build(g: &Geometry) -> Result<Netlist, NetlistError> {
        g.check()?;
        let (rows, cols) = (g.rows, g.cols);

        let n = rows * cols;
        let rn = |i: usize, j: usize| i * cols + j;
        let cn = |i: usize, j: usize| n + i * cols + j;
        let mn = |i: usize, j: usize| 2 * n + i * cols + j;
        let dn = |i: usize| 3 * n + i;
        let sn = |j: usize| 3 * n + rows + j;
        let total = 3 * n + rows + cols;

        // Raw elements: (a, b, kind, resistance if fixed).
        let mut raw: Vec<(usize, usize, Kind, Option<f64>)> = Vec::with_capacity(5 * n);
        for i in 0..rows {
            let r_drv = if g.floating.is_some() {
                None
            } else {
                Some(g.r_driver)
            };
            raw.push((dn(i), rn(i, 0), Kind::Driver { row: i }, r_drv));
            for j in 0..cols {
                if j + 1 < cols {
                    raw.push((
                        rn(i, j),
                        rn(i, j + 1),
                        Kind::Wire { r: g.r_wire_row },
                        Some(g.r_wire_row),
                    ));
                }
                let cell = Kind::Cell { cell: rn(i, j) };
                if g.access.is_some() {
                    raw.push((rn(i, j), mn(i, j), Kind::Access { row: i }, None));
                    raw.push((mn(i, j), cn(i, j), cell, None));
                } else {
                    raw.push((rn(i, j), cn(i, j), cell, None));
                }
            }
        }
        for j in 0..cols {
            for i in 0..rows {
                if i + 1 < rows {
                    raw.push((
                        cn(i, j),
                        cn(i + 1, j),
                        Kind::Wire { r: g.r_wire_col },
                        Some(g.r_wire_col),
                    ));
                }
            }
            raw.push((
                cn(rows - 1, j),
                sn(j),
                Kind::Sense { col: j },
                Some(g.r_sense),
            ));
        }

        let mut merge = Merge((0..total).collect());
        for &(a, b, _, r) in &raw {
            if r == Some(0.0) {
                merge.union(a, b);
            }
        }
        // Name every class: fixed ones by their source, the rest in order.
        let mut term_of_root: Vec<Option<Term>> = vec![None; total];
        for i in 0..rows {
            let root = merge.find(dn(i));
            term_of_root[root] = Some(Term::Driver(i));
        }
        for j in 0..cols {
            let root = merge.find(sn(j));
            term_of_root[root] = Some(Term::Sense(j));
        }
        let mut n_free = 0;
        let mut term = |merge: &mut Merge, x: usize| -> Term {
            let root = merge.find(x);
            *term_of_root[root].get_or_insert_with(|| {
                n_free += 1;
                Term::Free(n_free - 1)
            })
        };
        let mut elements = Vec::with_capacity(raw.len());
        for &(a, b, kind, r) in &raw {
            if r == Some(0.0) {
                continue;
            }
            let (ta, tb) = (term(&mut merge, a), term(&mut merge, b));
            if ta != tb {
                elements.push(Element { a: ta, b: tb, kind });
            }
        }
        let row_node = (0..n).map(|k| term(&mut merge, k)).collect();
        let col_node = (0..n).map(|k| term(&mut merge, n + k)).collect();
        let mid_node = if g.access.is_some() {
            (0..n).map(|k| term(&mut merge, 2 * n + k)).collect()
        } else {
            Vec::new()
        };
        Ok(Netlist {
            geometry: g.clone(),
            n_free,
            elements,
            row_node,
            col_node,
            mid_node,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_parasitics_leave_no_unknowns() {
        let net = Netlist::build(&Geometry::ideal(3, 4)).unwrap();
        assert_eq!(net.n_free, 0);
        assert_eq!(net.elements.len(), 12);
        assert!(net
            .elements
            .iter()
            .all(|e| matches!(e.kind, Kind::Cell { .. })));
        assert_eq!(net.elements[5].a, Term::Driver(1));
        assert_eq!(net.elements[5].b, Term::Sense(1));
    }

    #[test]
    fn full_parasitics_have_two_nodes_per_cell() {
        let mut g = Geometry::ideal(3, 4);
        g.r_wire_row = 1.0;
        g.r_wire_col = 1.0;
        g.r_driver = 1.0;
        g.r_sense = 1.0;
        let net = Netlist::build(&g).unwrap();
        assert_eq!(net.n_free, 24);
        // drivers + row wires + cells + column wires + senses
        assert_eq!(net.elements.len(), 3 + 3 * 3 + 12 + 4 * 2 + 4);
        g.access = Some((1e3, 1e9));
        assert_eq!(Netlist::build(&g).unwrap().n_free, 36);
    }

    #[test]
    fn regular_numbering_is_the_builders() {
        for (rows, cols) in [(1, 1), (1, 3), (3, 1), (2, 2), (3, 4), (5, 2)] {
            for access in [None, Some((1e3, 1e9))] {
                let mut g = Geometry::ideal(rows, cols);
                g.r_wire_row = 1.0;
                g.r_wire_col = 2.0;
                g.r_driver = 3.0;
                g.r_sense = 4.0;
                g.access = access;
                assert!(g.is_regular());
                let net = Netlist::build(&g).unwrap();
                for i in 0..rows {
                    for j in 0..cols {
                        let k = i * cols + j;
                        let (r, c, m) = g.regular_node(i, j);
                        assert_eq!(net.row_node[k], Term::Free(r), "{rows}x{cols} R({i},{j})");
                        assert_eq!(net.col_node[k], Term::Free(c), "{rows}x{cols} C({i},{j})");
                        assert_eq!(net.mid_node.get(k).copied(), m.map(Term::Free));
                    }
                }
            }
        }
        let mut g = Geometry::ideal(2, 2);
        g.r_wire_row = 1.0;
        assert!(!g.is_regular(), "a zero resistance merges nodes");
    }

    #[test]
    fn bad_resistances_are_errors_not_panics() {
        let mut g = Geometry::ideal(2, 2);
        g.r_wire_row = -1.0;
        assert!(matches!(
            Netlist::build(&g),
            Err(NetlistError::BadResistance { .. })
        ));
        let mut g = Geometry::ideal(2, 2);
        g.floating = Some(1e12);
        assert!(matches!(
            Netlist::build(&g),
            Err(NetlistError::ZeroResistance { .. })
        ));
        assert!(Netlist::build(&Geometry::ideal(0, 2)).is_err());
    }
}
