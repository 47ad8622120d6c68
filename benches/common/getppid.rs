//! `getppid` through each interface the syscall benchmarks compare, shared by
//! `syscall_count.rs` (instructions, under callgrind) and `syscall_cost.rs` (time, criterion).
//!
//! Each function is `#[inline(always)]` and returns what its interface hands the caller, so
//! that a loop calling it measures the interface's own code and nothing of a call through a
//! pointer. `getppid` is the probe because it takes no argument, cannot fail, writes no memory
//! and does almost nothing in the kernel: what remains is the cost of the path to the trap.

use core::arch::asm;
use std::hint::black_box;

/// What a caller does with each interface's answer: goes on with the parent's pid, and where
/// the interface reports failure in its type (`Result`, `Option`), takes a branch to a cold
/// path first. `black_box` keeps the value alive without further work. An answer that is a
/// plain number is used as it is, unchecked, as its callers would for a call that cannot fail.
pub trait Consume {
    /// Uses the answer.
    fn consume(self);
}

/// The path a failed `getppid` would take; it never runs.
#[cold]
#[inline(never)]
fn failed() {
    black_box(());
}

impl Consume for usize {
    #[inline(always)]
    fn consume(self) {
        black_box(self);
    }
}

impl Consume for i32 {
    #[inline(always)]
    fn consume(self) {
        black_box(self);
    }
}

impl Consume for i64 {
    #[inline(always)]
    fn consume(self) {
        black_box(self);
    }
}

impl<E> Consume for Result<usize, E> {
    #[inline(always)]
    fn consume(self) {
        match self {
            Ok(parent) => {
                black_box(parent);
            }
            Err(_) => failed(),
        }
    }
}

impl Consume for Option<rustix::process::Pid> {
    #[inline(always)]
    fn consume(self) {
        match self {
            Some(parent) => {
                black_box(parent.as_raw_nonzero());
            }
            None => failed(),
        }
    }
}

/// Every method, in the order of the tables: the name on the command line and in the results.
pub const METHODS: [&str; 8] = [
    "asm-baseline",
    "rawsys-raw",
    "rawsys-decoded",
    "sc",
    "syscalls",
    "rustix",
    "libc-getppid",
    "libc-syscall",
];

/// The bare trap every other method is measured against: the system call instruction with the
/// number in its register and the clobbers the kernel requires, nothing else.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn asm_baseline() -> usize {
    let parent: usize;
    // SAFETY: getppid takes no argument and writes no memory; the kernel clobbers rcx and r11.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") rawsys::nr::__NR_getppid as usize => parent,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    parent
}

#[cfg(not(target_arch = "x86_64"))]
compile_error!("the syscall benchmarks' asm baseline is written for x86_64 only");

/// rawsys, undecoded: the result register as the kernel left it.
#[inline(always)]
pub fn rawsys_raw() -> usize {
    // SAFETY: getppid takes no argument and writes no memory.
    unsafe { rawsys::raw::syscall0(rawsys::nr::__NR_getppid) }.value()
}

/// rawsys, decoded into `Result<usize, Errno>`.
#[inline(always)]
pub fn rawsys_decoded() -> Result<usize, rawsys::Errno> {
    // SAFETY: getppid takes no argument and writes no memory.
    unsafe { rawsys::syscall0(rawsys::nr::__NR_getppid) }
}

/// The `sc` crate: the raw result register.
#[inline(always)]
pub fn sc() -> usize {
    // SAFETY: getppid takes no argument and writes no memory.
    unsafe { sc::syscall!(GETPPID) }
}

/// The `syscalls` crate: a `Result` with its own `Errno`.
#[inline(always)]
pub fn syscalls() -> Result<usize, syscalls::Errno> {
    // SAFETY: getppid takes no argument and writes no memory.
    unsafe { syscalls::syscall0(syscalls::Sysno::getppid) }
}

/// rustix, a safe function returning `Option<Pid>`.
#[inline(always)]
pub fn rustix() -> Option<rustix::process::Pid> {
    rustix::process::getppid()
}

/// glibc's `getppid` wrapper, an out-of-line call.
#[inline(always)]
pub fn libc_getppid() -> libc::pid_t {
    // SAFETY: getppid has no precondition.
    unsafe { libc::getppid() }
}

/// glibc's variadic `syscall`, which also sets `errno` on failure.
#[inline(always)]
pub fn libc_syscall() -> libc::c_long {
    // SAFETY: getppid takes no argument and writes no memory.
    unsafe { libc::syscall(libc::SYS_getppid) }
}
