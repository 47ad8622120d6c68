//! riscv64 (RV64, LP64 ABIs: `riscv64gc` and its kin).
//!
//! - Trap: `ecall`. Number in `a7`; arguments in `a0` to `a5`.
//! - Result in `a0`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel keeps every integer and floating-point register but `a0`. It discards the vector
//!   state (`v0` to `v31` and the vector CSRs); see the limitation below.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`: the kernel is built with
//!   `CLONE_BACKWARDS`, so `tls` comes before `child_tid`.
//! - There is no `vfork` system call; clone with `CLONE_VM | CLONE_VFORK | SIGCHLD` does its
//!   work. A stub without a frame keeps its return address in `ra`, off the shared stack.
//!
//! rustc reserves `x2` (`sp`), `x3` (`gp`), `x4` (`tp`), `x8` (`s0`, the frame pointer) and `x9`
//! (`s1`); no stub needs them, since the number and arguments all travel in `a0` to `a7`.
//!
//! # Limitations
//!
//! The stubs do not declare the vector registers clobbered. Code built without the `v` target
//! feature (the default of the Linux targets) has no instruction that touches them; code built
//! with it must not hold a vector value across a system call.

use core::arch::asm;

use crate::raw::RawResult;

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let ret: usize;
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            lateout("a0") ret,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            in("a2") a2,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            in("a2") a2,
            in("a3") a3,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall5(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            in("a2") a2,
            in("a3") a3,
            in("a4") a4,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall6(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            in("a2") a2,
            in("a3") a3,
            in("a4") a4,
            in("a5") a5,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group).
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            in("a0") a0,
            options(nostack, noreturn),
        );
    }
}

#[inline(always)]
pub(crate) unsafe fn syscall0_readonly(nr: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`; the caller promises the call writes no memory of this process.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            lateout("a0") ret,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_readonly(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall2_readonly(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall3_readonly(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a0 => ret,
            in("a1") a1,
            in("a2") a2,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `sp` pointing at argc, 16-byte aligned as
// the ABI requires at a call; aligning it again costs one instruction. `gp` is loaded with the
// linker's `__global_pointer$`, with relaxation off for that one load (a relaxed load would
// become relative to `gp` itself), so that code linked with gp-relative relaxation finds its
// small data. ld.lld defines the symbol whenever it is referenced, even in a program without a
// `.sdata` section (it then lies 0x800 past the ELF header), so this links either way. The frame
// pointer `s0` and `ra` are cleared so that a backtrace ends here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    .option push",
    "    .option norelax",
    "    lla gp, __global_pointer$",
    "    .option pop",
    "    li s0, 0",
    "    li ra, 0",
    "    mv a0, sp",           // the initial stack: argc, argv..., envp..., auxv...
    "    andi sp, sp, -16",
    "    call {entry}",
    "    unimp",               // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
