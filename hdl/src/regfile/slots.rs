//! One block per register kind. Each slot compares the decoded word index
//! with its own and drives its value onto `rdata` when selected (zero
//! otherwise), so the register file's read mux is a plain OR of all slots.

use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

/// Defines a read/write storage slot of `W` bits; with `q`, the slot also
/// shows its value to the hardware. One template for both kinds so the
/// write and read-back logic exists once.
macro_rules! storage_slot {
    ($(#[$meta:meta])* $name:ident $(, $q:ident)?) => {
        $(#[$meta])*
        #[derive(Clone, Debug, LogicBlock)]
        pub struct $name<const W: usize> {
            pub clock: Signal<In, Clock>,
            pub rst_n: Signal<In, Bit>,
            pub wr: Signal<In, Bit>,
            pub valid: Signal<In, Bit>,
            pub word: Signal<In, Bits<8>>,
            pub dat: Signal<In, Bits<W>>,
            pub wmask: Signal<In, Bits<W>>,
            $(pub $q: Signal<Out, Bits<W>>,)?
            pub rdata: Signal<Out, Bits<32>>,
            index: Constant<Bits<8>>,
            value: Reg<Bits<W>>,
        }

        impl<const W: usize> $name<W> {
            pub fn new(word: u32, reset: u32, style: RegStyle) -> Self {
                Self {
                    clock: Default::default(),
                    rst_n: Default::default(),
                    wr: Default::default(),
                    valid: Default::default(),
                    word: Default::default(),
                    dat: Default::default(),
                    wmask: Default::default(),
                    $($q: Default::default(),)?
                    rdata: Default::default(),
                    index: Constant::new((word as u64).to_bits()),
                    value: Reg::new((reset as u64).to_bits(), style),
                }
            }
        }

        impl<const W: usize> Logic for $name<W> {
            #[hdl_gen]
            fn update(&mut self) {
                self.value.clock.next = self.clock.val();
                self.value.rst_n.next = self.rst_n.val();
                self.value.d.next = self.value.q.val();
                if self.wr.val() && (self.word.val() == self.index.val()) {
                    self.value.d.next = (self.value.q.val() & !self.wmask.val())
                        | (self.dat.val() & self.wmask.val());
                }
                $(self.$q.next = self.value.q.val();)?
                self.rdata.next = bits::<32>(0);
                if self.valid.val() && (self.word.val() == self.index.val()) {
                    self.rdata.next = bit_cast::<32, W>(self.value.q.val());
                }
            }
        }
    };
}

storage_slot!(
    /// Read/write storage of `W` bits, visible to the hardware on `q`.
    RwSlot,
    q
);

storage_slot!(
    /// Read/write storage that only software sees (e.g. `scratch`).
    StoreSlot
);

/// Read-only value sampled from the hardware.
#[derive(Clone, Debug, LogicBlock)]
pub struct RoSlot<const W: usize> {
    pub valid: Signal<In, Bit>,
    pub word: Signal<In, Bits<8>>,
    pub d: Signal<In, Bits<W>>,
    pub rdata: Signal<Out, Bits<32>>,
    index: Constant<Bits<8>>,
}

impl<const W: usize> RoSlot<W> {
    pub fn new(word: u32) -> Self {
        Self {
            valid: Default::default(),
            word: Default::default(),
            d: Default::default(),
            rdata: Default::default(),
            index: Constant::new((word as u64).to_bits()),
        }
    }
}

impl<const W: usize> Logic for RoSlot<W> {
    #[hdl_gen]
    fn update(&mut self) {
        self.rdata.next = bits::<32>(0);
        if self.valid.val() && (self.word.val() == self.index.val()) {
            self.rdata.next = bit_cast::<32, W>(self.d.val());
        }
    }
}

/// Read-only constant.
#[derive(Clone, Debug, LogicBlock)]
pub struct ConstSlot {
    pub valid: Signal<In, Bit>,
    pub word: Signal<In, Bits<8>>,
    pub rdata: Signal<Out, Bits<32>>,
    index: Constant<Bits<8>>,
    value: Constant<Bits<32>>,
}

impl ConstSlot {
    pub fn new(word: u32, value: u32) -> Self {
        Self {
            valid: Default::default(),
            word: Default::default(),
            rdata: Default::default(),
            index: Constant::new((word as u64).to_bits()),
            value: Constant::new((value as u64).to_bits()),
        }
    }
}

impl Logic for ConstSlot {
    #[hdl_gen]
    fn update(&mut self) {
        self.rdata.next = bits::<32>(0);
        if self.valid.val() && (self.word.val() == self.index.val()) {
            self.rdata.next = self.value.val();
        }
    }
}

/// Write-only strobe: a write presents its (byte-lane masked) data on `q`
/// for exactly one cycle; the register reads as zero.
#[derive(Clone, Debug, LogicBlock)]
pub struct PulseSlot<const W: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub wr: Signal<In, Bit>,
    pub word: Signal<In, Bits<8>>,
    pub dat: Signal<In, Bits<W>>,
    pub wmask: Signal<In, Bits<W>>,
    pub q: Signal<Out, Bits<W>>,
    index: Constant<Bits<8>>,
    strobe: Reg<Bits<W>>,
}

impl<const W: usize> PulseSlot<W> {
    pub fn new(word: u32, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            wr: Default::default(),
            word: Default::default(),
            dat: Default::default(),
            wmask: Default::default(),
            q: Default::default(),
            index: Constant::new((word as u64).to_bits()),
            strobe: Reg::new(Bits::<W>::default(), style),
        }
    }
}

impl<const W: usize> Logic for PulseSlot<W> {
    #[hdl_gen]
    fn update(&mut self) {
        self.strobe.clock.next = self.clock.val();
        self.strobe.rst_n.next = self.rst_n.val();
        self.strobe.d.next = bits::<W>(0);
        if self.wr.val() && (self.word.val() == self.index.val()) {
            self.strobe.d.next = self.dat.val() & self.wmask.val();
        }
        self.q.next = self.strobe.q.val();
    }
}
