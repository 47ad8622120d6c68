//! The smallest useful freestanding program: it writes one line and exits. The size benchmark
//! (`make bench`, see benches/README.md) measures its stripped binary on every architecture.

#![no_std]
#![no_main]

use rawsys::nr;

fn main(_: &rawsys::start::StartArgs) -> i32 {
    let line = b"hello from rawsys\n";
    // SAFETY: `write` reads `line.len()` bytes from a live array.
    match unsafe { rawsys::syscall3(nr::__NR_write, 1, line.as_ptr() as usize, line.len()) } {
        Ok(_) => 0,
        Err(_) => 1,
    }
}
rawsys::main!(main);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    rawsys::exit_group(101)
}
