//! Matches a golden model's ports to the RTL's by name, once, before the
//! run, so the per-cycle loop only copies words between fixed positions.

use crate::cycle::{PortLayout, PortSpec};

/// One model port tied to one RTL port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Index in the model's layout.
    pub layout: usize,
    /// Index in the RTL's port list.
    pub rtl: usize,
    /// First word of the port in the packed value vector.
    pub start: usize,
    /// Number of 64-bit words.
    pub words: usize,
}

/// How the model's packed values map onto the RTL ports.
#[derive(Clone, Debug)]
pub struct Binding {
    /// RTL index of the clock.
    pub clock: usize,
    pub inputs: Vec<Link>,
    pub outputs: Vec<Link>,
}

/// The model and the RTL disagree on their ports.
#[derive(Debug, thiserror::Error)]
#[error("the golden model's ports do not match the RTL's:\n  - {}", problems.join("\n  - "))]
pub struct BindError {
    pub problems: Vec<String>,
}

/// Ties every port of `layout` to the RTL port of the same name. Every RTL
/// port but `clock` must be in the layout with the same direction and
/// width; `clock` must be a 1-bit RTL input the layout does not have.
pub fn bind(layout: &PortLayout, rtl: &[PortSpec], clock: &str) -> Result<Binding, BindError> {
    let mut problems = Vec::new();
    let clock_index = rtl.iter().position(|p| p.name == clock);
    match clock_index.map(|i| &rtl[i]) {
        None => problems.push(format!("the RTL has no clock port `{clock}`")),
        Some(p) if !p.input || p.width != 1 => {
            problems.push(format!("clock `{clock}` is not a 1-bit input in the RTL"))
        }
        Some(_) => {}
    }
    if layout.index_of(clock).is_some() {
        problems.push(format!("the model lists the clock `{clock}` as a port"));
    }
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    for (i, p) in layout.ports.iter().enumerate() {
        let Some(r) = rtl.iter().position(|q| q.name == p.name) else {
            problems.push(format!("`{}` is in the model but not in the RTL", p.name));
            continue;
        };
        let q = &rtl[r];
        if q.input != p.input {
            let dir = |input: bool| if input { "an input" } else { "an output" };
            problems.push(format!(
                "`{}` is {} in the model but {} in the RTL",
                p.name,
                dir(p.input),
                dir(q.input)
            ));
            continue;
        }
        if q.width != p.width {
            problems.push(format!(
                "`{}` is {} bits in the model but {} in the RTL",
                p.name, p.width, q.width
            ));
            continue;
        }
        let range = layout.range(i);
        let link = Link {
            layout: i,
            rtl: r,
            start: range.start,
            words: range.len(),
        };
        if p.input {
            inputs.push(link);
        } else {
            outputs.push(link);
        }
    }
    for q in rtl {
        if q.name != clock && layout.index_of(&q.name).is_none() {
            problems.push(format!("`{}` is in the RTL but not in the model", q.name));
        }
    }
    match clock_index {
        Some(clock) if problems.is_empty() => Ok(Binding {
            clock,
            inputs,
            outputs,
        }),
        _ => Err(BindError { problems }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, input: bool, width: u32) -> PortSpec {
        PortSpec {
            name: name.into(),
            input,
            width,
        }
    }

    #[test]
    fn ports_bind_by_name_whatever_their_order() {
        let layout = PortLayout::new(vec![p("q", false, 100), p("d", true, 8)]);
        let rtl = [p("clk", true, 1), p("d", true, 8), p("q", false, 100)];
        let b = bind(&layout, &rtl, "clk").unwrap();
        assert_eq!(b.clock, 0);
        assert_eq!(
            b.inputs,
            vec![Link {
                layout: 1,
                rtl: 1,
                start: 2,
                words: 1
            }]
        );
        assert_eq!(
            b.outputs,
            vec![Link {
                layout: 0,
                rtl: 2,
                start: 0,
                words: 2
            }]
        );
    }

    #[test]
    fn every_disagreement_is_listed() {
        let layout = PortLayout::new(vec![
            p("q", true, 8),
            p("extra", false, 1),
            p("w", false, 3),
        ]);
        let rtl = [
            p("clock", true, 1),
            p("q", false, 8),
            p("w", false, 4),
            p("missing", true, 2),
        ];
        let err = bind(&layout, &rtl, "clk").unwrap_err();
        let text = err.to_string();
        for needle in [
            "no clock port `clk`",
            "`q` is an input",
            "`extra` is in the model",
            "`w` is 3 bits",
            "`missing` is in the RTL",
            "`clock` is in the RTL",
        ] {
            assert!(text.contains(needle), "{needle} not in {text}");
        }
    }
}
