//! The tiny static child of the spawn benchmark (`benches/spawn_latency.rs`): it exits with 0.
//!
//! Given one argument, a descriptor number, it first reads one byte from that descriptor (or
//! waits for its end), so that the benchmark can measure the commit charge while the child
//! exists and then let it go.

#![no_std]
#![no_main]

use rawsys::nr;

fn main(args: &rawsys::start::StartArgs) -> i32 {
    let Some(descriptor) = args.arg(1) else {
        return 0;
    };
    let descriptor =
        descriptor.to_bytes().iter().fold(0usize, |n, &digit| n * 10 + (digit - b'0') as usize);
    let mut byte = 0u8;
    // SAFETY: `read` writes at most one byte into `byte`.
    let _ =
        unsafe { rawsys::syscall3(nr::__NR_read, descriptor, &mut byte as *mut u8 as usize, 1) };
    0
}
rawsys::main!(main);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    rawsys::exit_group(101)
}
