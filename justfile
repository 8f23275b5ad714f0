# Everyday recipes; each is a thin call of ./dev (which the README documents).
default:
    @./dev help

setup:
    ./dev setup

demo:
    ./dev demo

test:
    ./dev test

check:
    ./dev check

regen:
    ./dev regen

generate config out:
    cargo run --release -- generate {{config}} --out {{out}}

lint dir:
    cargo run --release -- lint {{dir}}

bench what *args:
    ./dev bench {{what}} {{args}}
