//! A scripted Wishbone master: runs a queue of requests, one at a time,
//! each held (`stb = cyc = 1`) until its acknowledge, and reports each
//! completed request with the read data. For stimuli that program a block
//! at known points (a router's table between traffic rounds), where the
//! random master (`super::wishbone`) cannot know what it wrote.

use super::tile_master::Request;
use crate::pins::WishbonePins;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct BusScript {
    pins: WishbonePins,
    queue: VecDeque<Request>,
    current: Option<Request>,
    /// Requests completed.
    pub done: u64,
}

impl BusScript {
    pub fn new(pins: WishbonePins) -> Self {
        Self {
            pins,
            queue: VecDeque::new(),
            current: None,
            done: 0,
        }
    }

    /// Queues a full-word write.
    pub fn write(&mut self, adr: u32, dat: u32) {
        self.queue.push_back(Request {
            we: true,
            sel: 0xf,
            adr,
            dat,
        });
    }

    /// Queues a read.
    pub fn read(&mut self, adr: u32) {
        self.queue.push_back(Request {
            we: false,
            sel: 0xf,
            adr,
            dat: 0,
        });
    }

    /// Nothing queued or in progress.
    pub fn idle(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }

    /// Forgets everything (the block was reset).
    pub fn abort(&mut self) {
        self.queue.clear();
        self.current = None;
    }

    /// Drives this cycle's bus inputs. Returns the request acknowledged by
    /// the last edge (seen now) with the read data.
    pub fn drive(&mut self, v: &mut [u64]) -> Option<(Request, u32)> {
        let p = self.pins;
        let mut completed = None;
        if let Some(req) = self.current.filter(|_| p.ack.is_high(v)) {
            completed = Some((req, p.dat_o.get(v) as u32));
            self.current = None;
            self.done += 1;
        }
        if self.current.is_none() {
            self.current = self.queue.pop_front();
        }
        let req = self.current.unwrap_or_default();
        let on = u64::from(self.current.is_some());
        p.stb.set(v, on);
        p.cyc.set(v, on);
        p.we.set(v, u64::from(req.we));
        p.sel.set(v, u64::from(req.sel));
        p.adr.set(v, u64::from(req.adr));
        p.dat_i.set(v, u64::from(req.dat));
        completed
    }
}
