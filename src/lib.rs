//! Raw Linux system calls for freestanding programs, without libc.
//!
//! rawsys is for programs that talk to the kernel directly: init systems, container inits,
//! rescue shells, embedded userlands. It gives them
//!
//! - [`syscall0`] to [`syscall6`]: a system call with its error decoded into an [`Errno`], the
//!   way this architecture's kernel reports it (a negated result on most, the `$a3` flag on
//!   MIPS, CR0.SO on PowerPC, the carry flag on SPARC; see [`errno`]);
//! - [`raw`]: the same calls undecoded, for callers who want the kernel's answer as it came;
//! - [`nr`]: the system call numbers and kernel constants of the target, from `linux-raw-sys`;
//! - with the feature `start`, a `_start` entry, so that a `no_std` binary needs nothing else.
//!
//! ```
//! use rawsys::{Errno, nr};
//!
//! let message = b"hello from rawsys\n";
//! // SAFETY: `write` reads `message.len()` bytes from a live buffer.
//! let written = unsafe {
//!     rawsys::syscall3(nr::__NR_write, 1, message.as_ptr() as usize, message.len())
//! };
//! assert_eq!(written, Ok(message.len()));
//!
//! // SAFETY: closing a descriptor that is not open touches nothing.
//! let closed = unsafe { rawsys::syscall1(nr::__NR_close, 1_000_000) };
//! assert_eq!(closed, Err(Errno::EBADF));
//! assert_eq!(format!("{}", Errno::EBADF), "EBADF: bad file descriptor");
//! ```
//!
//! Every architecture Linux and Rust share is supported, each in its own file under
//! `src/arch/`: x86, x86_64 (and x32), arm (ARM and Thumb-2, either endian), aarch64 (either
//! endian), mips and mips64 (release 6 too), powerpc, powerpc64 (ELFv1 and ELFv2), riscv32,
//! riscv64, s390x, loongarch64, sparc, sparc64 and hexagon. Any other target stops the build.

#![no_std]
#![cfg_attr(
    any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "sparc",
        target_arch = "sparc64",
        target_arch = "hexagon"
    ),
    feature(asm_experimental_arch)
)]

#[cfg(feature = "std")]
extern crate std;

mod arch;
pub mod clone;
pub mod errno;
pub mod raw;
pub mod spawn;
#[cfg(feature = "start")]
pub mod start;

pub use clone::{ChildStack, ExitStatus, Pid, vfork_clone, vfork_exec};
pub use errno::Errno;

/// System call numbers (`__NR_*`) and the other constants of the kernel's general headers
/// (signal numbers, `O_*` and `CLONE_*` flags, ...) for the target architecture, as
/// `linux-raw-sys` defines them.
pub mod nr {
    pub use linux_raw_sys::general::*;
}

pub use linux_raw_sys;

// The public functions below are the raw stubs followed by this architecture's decoder; the
// safety contract of every one of them is the one in `raw`'s module documentation.

/// A system call with no arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall0(nr: u32) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall0(nr) }.decode()
}

/// A system call with one argument.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall1(nr: u32, a0: usize) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall1(nr, a0) }.decode()
}

/// A system call with two arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall2(nr: u32, a0: usize, a1: usize) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall2(nr, a0, a1) }.decode()
}

/// A system call with three arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall3(nr: u32, a0: usize, a1: usize, a2: usize) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall3(nr, a0, a1, a2) }.decode()
}

/// A system call with four arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall4(
    nr: u32,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall4(nr, a0, a1, a2, a3) }.decode()
}

/// A system call with five arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall5(
    nr: u32,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall5(nr, a0, a1, a2, a3, a4) }.decode()
}

/// A system call with six arguments.
///
/// # Safety
///
/// The call must be sound for this program: see [`raw`].
#[inline(always)]
pub unsafe fn syscall6(
    nr: u32,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> Result<usize, Errno> {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { raw::syscall6(nr, a0, a1, a2, a3, a4, a5) }.decode()
}

/// Ends the process, every thread of it, with `status` (`exit_group`).
///
/// Nothing runs afterwards: no destructor, no buffered output is flushed.
pub fn exit_group(status: i32) -> ! {
    // SAFETY: `exit_group` takes a plain integer and never returns; ending the process cannot
    // break an invariant of the code that no longer runs.
    unsafe { raw::syscall1_noreturn(nr::__NR_exit_group, status as usize) }
}

// Facts the stubs and decoders rely on, checked against linux-raw-sys when the crate builds.
static_assertions::const_assert!(core::mem::size_of::<usize>() <= core::mem::size_of::<u64>());
