//! A Wishbone B4 classic master that does one request at a time, as a CPU
//! would: it holds `stb`/`cyc` (and the address, data, `sel = 0xf`) until it
//! sees `ack`, then drops them. The tile acknowledges one cycle after it
//! takes a request and takes none while its `ack` is high, so a request
//! started in an ack cycle is simply taken one edge later.

use crate::pins::WishbonePins;

/// Cycles a request may wait for `ack` before the session gives up (the
/// tile acks after one; anything much longer means a broken bus).
pub const ACK_TIMEOUT: u32 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Request {
    we: bool,
    adr: u32,
    dat: u32,
    /// Cycles the request has been driven so far.
    driven: u32,
}

/// What happened to the pending request this cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BusEvent {
    /// Nothing finished.
    None,
    /// Acknowledged; the read data (0 for a write).
    Done(u32),
    /// No `ack` within [`ACK_TIMEOUT`] cycles.
    Timeout,
}

#[derive(Clone, Debug, Default)]
pub struct BusMaster {
    pending: Option<Request>,
}

impl BusMaster {
    pub fn idle(&self) -> bool {
        self.pending.is_none()
    }

    /// Queues a request; it is driven from this cycle on.
    pub fn start(&mut self, we: bool, adr: u32, dat: u32) {
        self.pending = Some(Request {
            we,
            adr,
            dat,
            driven: 0,
        });
    }

    /// Looks at the outputs after the last edge: an `ack` there ends a
    /// request that was driven in an earlier cycle.
    pub fn observe(&mut self, pins: &WishbonePins, values: &[u64]) -> BusEvent {
        let Some(req) = self.pending else {
            return BusEvent::None;
        };
        if req.driven == 0 {
            return BusEvent::None;
        }
        if pins.ack.get(values) != 0 {
            self.pending = None;
            return BusEvent::Done(if req.we {
                0
            } else {
                pins.dat_o.get(values) as u32
            });
        }
        if req.driven >= ACK_TIMEOUT {
            self.pending = None;
            return BusEvent::Timeout;
        }
        BusEvent::None
    }

    /// Drives the bus pins for this cycle.
    pub fn drive(&mut self, pins: &WishbonePins, values: &mut [u64]) {
        match &mut self.pending {
            Some(req) => {
                req.driven += 1;
                pins.stb.set(values, 1);
                pins.cyc.set(values, 1);
                pins.we.set(values, u64::from(req.we));
                pins.sel.set(values, 0xf);
                pins.adr.set(values, u64::from(req.adr));
                pins.dat_i.set(values, u64::from(req.dat));
            }
            None => {
                for p in [pins.stb, pins.cyc, pins.we, pins.sel, pins.adr, pins.dat_i] {
                    p.set(values, 0);
                }
            }
        }
    }
}
