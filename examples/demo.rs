//! A freestanding program: no libc, no std, only rawsys and its `_start`.
//!
//! It makes a few system calls and prints what each returned, a decoded errno among them, so
//! that one run shows the architecture's conventions at work. `make demo` builds it for MIPS
//! and runs it under qemu-user; `make demo DEMO_ARCH=aarch64` picks another row of
//! `qemu-tests/targets.tsv`.

#![no_std]
#![no_main]

use core::fmt::{self, Write};

use rawsys::{nr, raw};

/// Standard output, unbuffered: each `write_str` is one `write` system call.
struct Stdout;

impl Write for Stdout {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text.as_bytes();
        while !rest.is_empty() {
            // SAFETY: `write` reads `rest.len()` bytes from a live slice.
            match unsafe { rawsys::syscall3(nr::__NR_write, 1, rest.as_ptr() as usize, rest.len()) }
            {
                Ok(written) => rest = &rest[written..],
                Err(_) => return Err(fmt::Error),
            }
        }
        Ok(())
    }
}

fn main(args: &rawsys::start::StartArgs) -> i32 {
    let mut out = Stdout;

    // uname: six NUL-padded fields of 65 bytes; the fifth is the machine.
    let mut names = [0u8; 65 * 6];
    // SAFETY: uname writes a `struct new_utsname` into `names`.
    let uname = unsafe { rawsys::syscall1(nr::__NR_uname, names.as_mut_ptr() as usize) };
    let machine = &names[65 * 4..65 * 5];
    let machine = &machine[..machine.iter().position(|&byte| byte == 0).unwrap_or(65)];
    let machine = core::str::from_utf8(machine).unwrap_or("?");
    let _ = writeln!(out, "uname()            -> {:?}, machine {}", uname, machine);

    // SAFETY: getpid takes no arguments.
    let pid = unsafe { rawsys::syscall0(nr::__NR_getpid) };
    let _ = writeln!(out, "getpid()           -> {:?}", pid);
    let _ = writeln!(out, "argc               -> {}", args.argc());

    // A failure, first as the kernel handed it back, then decoded.
    let path = c"/no/such/file";
    // SAFETY: openat reads a NUL-terminated path.
    let opened = unsafe {
        raw::syscall4(nr::__NR_openat, nr::AT_FDCWD as isize as usize, path.as_ptr() as usize, 0, 0)
    };
    let _ = writeln!(out, "openat({:?})       -> raw {:?}", path, opened);
    let _ = writeln!(out, "  result register as a signed word: {}", opened.value() as isize);
    match opened.decode() {
        Ok(fd) => {
            let _ = writeln!(out, "  decoded: fd {}", fd);
        }
        Err(errno) => {
            let _ = writeln!(out, "  decoded: errno {} = {}", errno.raw(), errno);
        }
    }

    // SAFETY: closing a descriptor that is not open touches nothing.
    let closed = unsafe { rawsys::syscall1(nr::__NR_close, 4242) };
    let _ = writeln!(out, "close(4242)        -> {:?}", closed);
    0
}
rawsys::main!(main);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    rawsys::exit_group(101)
}
