//! `register_bank!`: a Wishbone register bank declared as a list of
//! registers, one line each, in register-map order.
//!
//! ```text
//! memforge_hdl::register_bank! {
//!     /// The bank of some block.
//!     pub struct MyBank {
//!         id: const,          // 32-bit constant (value = the map's reset)
//!         ctrl: rw 2,         // read/write, output port `ctrl` to the hardware
//!         scratch: store 32,  // read/write, seen by software only
//!         status: ro 9,       // read-only, input port `status` from the hardware
//!         cmd: pulse 2,       // write-only one-cycle strobe, output port `cmd`
//!     }
//! }
//! ```
//!
//! The macro writes the struct (clock, `rst_n`, the Wishbone slave, then
//! one port per register with a hardware side, in list order), its
//! constructor `new(&RegisterMap, RegStyle)`, its `update` and its
//! [`HdlPorts`](crate::HdlPorts) adapter. Offsets, reset values and
//! constants come from the map at construction: the constructor claims
//! every listed register from the map by name, kind and width and fails
//! with a [`ClaimError`](super::ClaimError) naming the register when the
//! list and the map disagree (or when the map describes a register the
//! list leaves out). Widths are in the list because rust-hdl's signal
//! widths are const generics: the list is the compile-time shadow of the
//! map, and the claim keeps the two equal.
//!
//! Why a macro and not code generated from the map: rust-hdl needs one
//! struct field per port with its width in the type, and `#[hdl_gen]`
//! needs the wiring as literal statements; a declarative list is the
//! smallest thing that yields both while staying visible in the source.
//! The macro is a token muncher: each register appends its own pieces to
//! eight accumulators (ports, slots, claims, slot constructors, wiring,
//! read terms, drive, sample), and the last rule writes the items.

/// Declares a register bank; see the [module docs](self).
#[macro_export]
macro_rules! register_bank {
    // `name: const` -- a 32-bit constant.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt
        ports[$($p:tt)*] slots[$($s:tt)*] claims[$($c:tt)*] init[$($i:tt)*]
        wire[$($w:tt)*] read[$($r:tt)*] drive[$($d:tt)*] sample[$($x:tt)*];
        $reg:ident : const $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b
            ports[$($p)*]
            slots[$($s)* [<r_ $reg>]: $crate::regfile::slots::ConstSlot,]
            claims[$($c)* let $reg = $cl.take(stringify!($reg), $crate::regfile::Kind::Const, 32)?;]
            init[$($i)* [<r_ $reg>]: $crate::regfile::slots::ConstSlot::new($wd($reg), $reg.reset),]
            wire[$($w)*
                $slf.[<r_ $reg>].valid.next = $slf.front.valid.val();
                $slf.[<r_ $reg>].word.next = $slf.front.word.val();
            ]
            read[$($r)* | $slf.[<r_ $reg>].rdata.val()]
            drive[$($d)*] sample[$($x)*];
            $($($rest)*)?);
    };

    // `name: rw W` -- read/write, an output port to the hardware.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt ports $p:tt slots $s:tt claims $c:tt init $i:tt
        wire $w:tt read $r:tt drive $d:tt sample $x:tt;
        $reg:ident : rw $width:literal $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b ports $p slots $s claims $c init $i
            wire $w read $r drive $d sample $x;
            $reg : stored RwSlot Rw $width
                port {
                    #[doc = concat!("Register `", stringify!($reg), "`.")]
                    pub $reg: Signal<Out, Bits<$width>>,
                }
                init { $reg: Default::default(), }
                wire { $slf.$reg.next = $slf.[<r_ $reg>].q.val(); }
                sample { $put(stringify!($reg), $slf.$reg.val().index() as u64); }
            $(, $($rest)*)?);
    };

    // `name: store W` -- read/write, seen by software only.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt ports $p:tt slots $s:tt claims $c:tt init $i:tt
        wire $w:tt read $r:tt drive $d:tt sample $x:tt;
        $reg:ident : store $width:literal $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b ports $p slots $s claims $c init $i
            wire $w read $r drive $d sample $x;
            $reg : stored StoreSlot Store $width
                port {} init {} wire {} sample {}
            $(, $($rest)*)?);
    };

    // Storage registers (`rw`, `store`): the slot, its inputs from the front
    // end, then the kind's own port, wiring and sampling.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt
        ports[$($p:tt)*] slots[$($s:tt)*] claims[$($c:tt)*] init[$($i:tt)*]
        wire[$($w:tt)*] read[$($r:tt)*] drive[$($d:tt)*] sample[$($x:tt)*];
        $reg:ident : stored $slot:ident $kind:ident $width:literal
            port { $($port:tt)* } init { $($pinit:tt)* }
            wire { $($pwire:tt)* } sample { $($psample:tt)* }
            $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b
            ports[$($p)* $($port)*]
            slots[$($s)* [<r_ $reg>]: $crate::regfile::slots::$slot<$width>,]
            claims[$($c)* let $reg = $cl.take(stringify!($reg), $crate::regfile::Kind::$kind, $width)?;]
            init[$($i)*
                $($pinit)*
                [<r_ $reg>]: $crate::regfile::slots::$slot::new($wd($reg), $reg.reset, $st),
            ]
            wire[$($w)*
                $slf.[<r_ $reg>].clock.next = $slf.clock.val();
                $slf.[<r_ $reg>].rst_n.next = $slf.rst_n.val();
                $slf.[<r_ $reg>].wr.next = $slf.front.wr.val();
                $slf.[<r_ $reg>].valid.next = $slf.front.valid.val();
                $slf.[<r_ $reg>].word.next = $slf.front.word.val();
                $slf.[<r_ $reg>].dat.next = bit_cast::<$width, 32>($slf.wbs_dat_i.val());
                $slf.[<r_ $reg>].wmask.next = bit_cast::<$width, 32>($slf.front.wmask.val());
                $($pwire)*
            ]
            read[$($r)* | $slf.[<r_ $reg>].rdata.val()]
            drive[$($d)*]
            sample[$($x)* $($psample)*];
            $($($rest)*)?);
    };

    // `name: ro W` -- read-only, an input port from the hardware.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt
        ports[$($p:tt)*] slots[$($s:tt)*] claims[$($c:tt)*] init[$($i:tt)*]
        wire[$($w:tt)*] read[$($r:tt)*] drive[$($d:tt)*] sample[$($x:tt)*];
        $reg:ident : ro $width:literal $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b
            ports[$($p)*
                #[doc = concat!("Register `", stringify!($reg), "` (from the hardware).")]
                pub $reg: Signal<In, Bits<$width>>,
            ]
            slots[$($s)* [<r_ $reg>]: $crate::regfile::slots::RoSlot<$width>,]
            claims[$($c)* let $reg = $cl.take(stringify!($reg), $crate::regfile::Kind::Ro, $width)?;]
            init[$($i)*
                $reg: Default::default(),
                [<r_ $reg>]: $crate::regfile::slots::RoSlot::new($wd($reg)),
            ]
            wire[$($w)*
                $slf.[<r_ $reg>].valid.next = $slf.front.valid.val();
                $slf.[<r_ $reg>].word.next = $slf.front.word.val();
                $slf.[<r_ $reg>].d.next = $slf.$reg.val();
            ]
            read[$($r)* | $slf.[<r_ $reg>].rdata.val()]
            drive[$($d)* $slf.$reg.next = $g(stringify!($reg)).to_bits();]
            sample[$($x)*];
            $($($rest)*)?);
    };

    // `name: pulse W` -- a one-cycle strobe on an output port; reads as 0.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] $m:tt $v:tt $b:tt
        ports[$($p:tt)*] slots[$($s:tt)*] claims[$($c:tt)*] init[$($i:tt)*]
        wire[$($w:tt)*] read[$($r:tt)*] drive[$($d:tt)*] sample[$($x:tt)*];
        $reg:ident : pulse $width:literal $(, $($rest:tt)*)?
    ) => {
        $crate::register_bank!(@munch ctx[$slf $cl $st $wd $g $put $hash $hgb] $m $v $b
            ports[$($p)*
                #[doc = concat!("Register `", stringify!($reg), "` (one-cycle strobes).")]
                pub $reg: Signal<Out, Bits<$width>>,
            ]
            slots[$($s)* [<r_ $reg>]: $crate::regfile::slots::PulseSlot<$width>,]
            claims[$($c)* let $reg = $cl.take(stringify!($reg), $crate::regfile::Kind::Pulse, $width)?;]
            init[$($i)*
                $reg: Default::default(),
                [<r_ $reg>]: $crate::regfile::slots::PulseSlot::new($wd($reg), $st),
            ]
            wire[$($w)*
                $slf.[<r_ $reg>].clock.next = $slf.clock.val();
                $slf.[<r_ $reg>].rst_n.next = $slf.rst_n.val();
                $slf.[<r_ $reg>].wr.next = $slf.front.wr.val();
                $slf.[<r_ $reg>].word.next = $slf.front.word.val();
                $slf.[<r_ $reg>].dat.next = bit_cast::<$width, 32>($slf.wbs_dat_i.val());
                $slf.[<r_ $reg>].wmask.next = bit_cast::<$width, 32>($slf.front.wmask.val());
                $slf.$reg.next = $slf.[<r_ $reg>].q.val();
            ]
            read[$($r)*]
            drive[$($d)*]
            sample[$($x)* $put(stringify!($reg), $slf.$reg.val().index() as u64);];
            $($($rest)*)?);
    };

    // All registers munched: write the items.
    (@munch ctx[$slf:ident $cl:ident $st:ident $wd:ident $g:ident $put:ident $hash:tt $hgb:tt] [$(#[$meta:meta])*] [$vis:vis] [$bank:ident]
        ports[$($p:tt)*] slots[$($s:tt)*] claims[$($c:tt)*] init[$($i:tt)*]
        wire[$($w:tt)*] read[| $($r:tt)*] drive[$($d:tt)*] sample[$($x:tt)*];
    ) => { $crate::regfile::__paste! {
        $(#[$meta])*
        #[derive(Clone, Debug, LogicBlock)]
        $vis struct $bank {
            pub clock: Signal<In, Clock>,
            pub rst_n: Signal<In, Bit>,
            pub wbs_stb_i: Signal<In, Bit>,
            pub wbs_cyc_i: Signal<In, Bit>,
            pub wbs_we_i: Signal<In, Bit>,
            pub wbs_sel_i: Signal<In, Bits<4>>,
            pub wbs_dat_i: Signal<In, Bits<32>>,
            pub wbs_adr_i: Signal<In, Bits<32>>,
            pub wbs_ack_o: Signal<Out, Bit>,
            pub wbs_dat_o: Signal<Out, Bits<32>>,
            $($p)*
            front: $crate::regfile::front::WbFront,
            rdata: $crate::reg::Reg<Bits<32>>,
            $($s)*
        }

        impl $bank {
            /// The bank of `map`: every listed register claimed from the map
            /// (offset, reset value, kind and width), the map fully covered.
            pub fn new(
                map: &memforge_spec::RegisterMap,
                $st: $crate::reg::RegStyle,
            ) -> Result<Self, $crate::regfile::ClaimError> {
                let mut $cl = $crate::regfile::claim::Claims::new(map);
                let $wd = |r: &memforge_spec::Register| r.offset / 4;
                $($c)*
                $cl.finish()?;
                Ok(Self {
                    clock: Default::default(),
                    rst_n: Default::default(),
                    wbs_stb_i: Default::default(),
                    wbs_cyc_i: Default::default(),
                    wbs_we_i: Default::default(),
                    wbs_sel_i: Default::default(),
                    wbs_dat_i: Default::default(),
                    wbs_adr_i: Default::default(),
                    wbs_ack_o: Default::default(),
                    wbs_dat_o: Default::default(),
                    front: $crate::regfile::front::WbFront::new(
                        map.base_address,
                        map.window_bytes(),
                        $st,
                    ),
                    rdata: $crate::reg::Reg::new(0u32.to_bits(), $st),
                    $($i)*
                })
            }
        }

        impl Logic for $bank {
            $hash $hgb
            fn update(&mut $slf) {
                // Front end.
                $slf.front.clock.next = $slf.clock.val();
                $slf.front.rst_n.next = $slf.rst_n.val();
                $slf.front.stb.next = $slf.wbs_stb_i.val();
                $slf.front.cyc.next = $slf.wbs_cyc_i.val();
                $slf.front.we.next = $slf.wbs_we_i.val();
                $slf.front.sel.next = $slf.wbs_sel_i.val();
                $slf.front.adr.next = $slf.wbs_adr_i.val();
                $slf.wbs_ack_o.next = $slf.front.ack.val();

                // One slot per register, in list order.
                $($w)*

                // Registered read data: sampled on every request, zero for
                // writes; each slot drives zero unless selected.
                $slf.rdata.clock.next = $slf.clock.val();
                $slf.rdata.rst_n.next = $slf.rst_n.val();
                $slf.rdata.d.next = $slf.rdata.q.val();
                if $slf.front.req.val() {
                    $slf.rdata.d.next = bits::<32>(0);
                    if !$slf.wbs_we_i.val() {
                        $slf.rdata.d.next = $($r)*;
                    }
                }
                $slf.wbs_dat_o.next = $slf.rdata.q.val();
            }
        }

        impl $crate::HdlPorts for $bank {
            fn clock_mut(&mut $slf) -> &mut Signal<In, Clock> {
                &mut $slf.clock
            }

            fn drive(&mut $slf, $g: &dyn Fn(&str) -> u64) {
                $slf.rst_n.next = $g("rst_n") != 0;
                $crate::drive_wishbone!($slf, $g);
                $($d)*
            }

            fn sample(&$slf, $put: &mut dyn FnMut(&str, u64)) {
                $crate::sample_wishbone!($slf, $put);
                $($x)*
            }
        }
    } };

    // Entry: start munching the list with empty accumulators.
    (
        $(#[$meta:meta])*
        $vis:vis struct $bank:ident { $($list:tt)* }
    ) => {
        $crate::register_bank!(@munch ctx[self c style word g put #[hdl_gen]] [$(#[$meta])*] [$vis] [$bank]
            ports[] slots[] claims[] init[] wire[] read[] drive[] sample[];
            $($list)*);
    };
}
