//! Model of a bounded FIFO with registered `full`/`nonempty` flags: a push
//! is only legal while not full, a pop only while not empty, both decided
//! on the state before the clock edge.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct FifoModel<T> {
    items: VecDeque<T>,
    depth: usize,
}

impl<T: Copy> FifoModel<T> {
    pub fn new(depth: usize) -> Self {
        Self {
            items: VecDeque::with_capacity(depth),
            depth,
        }
    }
    pub fn full(&self) -> bool {
        self.items.len() >= self.depth
    }
    pub fn nonempty(&self) -> bool {
        !self.items.is_empty()
    }
    pub fn head(&self) -> Option<T> {
        self.items.front().copied()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// One clock edge: `pop` takes the head, `push` appends (both checked by
    /// the caller against the pre-edge flags).
    pub fn clock(&mut self, pop: bool, push: Option<T>) {
        if pop {
            self.items.pop_front();
        }
        if let Some(v) = push {
            assert!(self.items.len() < self.depth, "push into a full FIFO");
            self.items.push_back(v);
        }
    }
    pub fn clear(&mut self) {
        self.items.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_bounds() {
        let mut f = FifoModel::new(2);
        f.clock(false, Some(1));
        f.clock(false, Some(2));
        assert!(f.full());
        f.clock(true, Some(3));
        assert_eq!(f.head(), Some(2));
        f.clock(true, None);
        f.clock(true, None);
        assert!(!f.nonempty());
    }
}
