//! riscv64 (RV64, LP64 ABIs: `riscv64gc` and its kin).
//!
//! - Trap: `ecall`. Number in `a7`; arguments in `a0` to `a5`.
//! - Result in `a0`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel keeps every integer and floating-point register but `a0`. It discards the vector
//!   state (`v0` to `v31` and the vector CSRs); see the limitation below.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`: the kernel is built with
//!   `CLONE_BACKWARDS`, so `tls` comes before `child_tid`.
//! - There is no `vfork` system call; clone with `CLONE_VM | CLONE_VFORK | SIGCHLD` does its
//!   work.
//! - vfork: `vfork_execve` is one asm block with no frame of its own, and its child never
//!   leaves it and never touches the stack, so the return addresses the parent holds, in `ra`
//!   or saved in its frames, are as it left them when it resumes. The child finds the mask,
//!   path, argv, envp and the address of the failure word in `t0` to `t4`, which the kernel
//!   keeps, and either execs or exits. In `clone_on_stack` the child runs on a stack of its
//!   own, 16-byte aligned as every call requires: it clears the frame pointer `s0` so that
//!   backtraces end there, calls the entry with `jalr`, and exits with its result.
//!
//! rustc reserves `x2` (`sp`), `x3` (`gp`), `x4` (`tp`), `x8` (`s0`, the frame pointer) and `x9`
//! (`s1`); no stub needs them as operands, since the number and arguments travel in `a0` to `a7`
//! and what a vfork child needs in `t0` to `t4`.
//!
//! # Limitations
//!
//! The stubs do not declare the vector registers clobbered. Code built without the `v` target
//! feature (the default of the Linux targets) has no instruction that touches them; code built
//! with it must not hold a vector value across a system call.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
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

/// `clone(flags, 0, 0, 0, 0)` on the caller's stack; the child restores the signal mask at
/// `mask`, calls `execve(path, argv, envp)` and, if that returns, stores the result word at
/// `failure` and exits with 127. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn vfork_execve(
    flags: usize,
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
    mask: *const usize,
    failure: *mut usize,
) -> RawResult {
    let ret: usize;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first `ecall` up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but a0 as it
    // was.
    unsafe {
        asm!(
            "ecall",                        // clone
            "bnez a0, 2f",
            "li a7, {rt_sigprocmask}",      // child: restore the parent's mask
            "li a0, {sig_setmask}",
            "mv a1, t0",
            "li a2, 0",
            "li a3, {sigset_size}",
            "ecall",
            "li a7, {execve}",
            "mv a0, t1",
            "mv a1, t2",
            "mv a2, t3",
            "ecall",
            "sd a0, 0(t4)",                 // exec failed: the errno word for the parent
            "li a7, {exit}",
            "li a0, 127",
            "ecall",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            in("a7") nr::__NR_clone as usize,
            inlateout("a0") flags => ret,
            in("a1") 0usize,
            in("a2") 0usize,
            in("a3") 0usize,
            in("a4") 0usize,
            in("t0") mask,
            in("t1") path,
            in("t2") argv,
            in("t3") envp,
            in("t4") failure,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `s0`, calls `entry(argument)` on the
/// new stack and exits with its return value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    // SAFETY: the caller passes a 16-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register but a0 as it was; the
    // child never reaches label 2.
    unsafe {
        asm!(
            "ecall",                        // clone
            "bnez a0, 2f",
            "li s0, 0",                     // child: the outermost frame of its stack
            "mv a0, t1",
            "jalr t0",                      // sp is 16-byte aligned at the call
            "li a7, {exit}",                // a0 holds the entry's result
            "ecall",
            "unimp",
            "2:",
            exit = const nr::__NR_exit,
            in("a7") nr::__NR_clone as usize,
            inlateout("a0") flags => ret,
            in("a1") stack_top,
            in("a2") 0usize,
            in("a3") 0usize,
            in("a4") 0usize,
            in("t0") entry as usize,
            in("t1") argument,
            options(nostack, preserves_flags),
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
