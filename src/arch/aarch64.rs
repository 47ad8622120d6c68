//! aarch64, little- and big-endian (`aarch64_be` shares every register and convention).
//!
//! - Trap: `svc #0`. Number in `x8`; arguments in `x0` to `x5`.
//! - Result in `x0`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel keeps every general register but `x0`, and the condition flags. It keeps the
//!   128-bit `v0` to `v31` too, but may zero the rest of the SVE state (the bits of `z0` to
//!   `z31` above 128, `p0` to `p15`, `ffr`); see the limitation below.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`: the kernel is built with
//!   `CLONE_BACKWARDS`, so `tls` comes before `child_tid`.
//! - There is no `vfork` system call; clone with `CLONE_VM | CLONE_VFORK | SIGCHLD` does its
//!   work.
//! - vfork: `vfork_execve` is one asm block with no frame of its own, and its child never
//!   leaves it and never touches the stack, so the return addresses the parent holds, in `x30`
//!   or saved in its frames, are as it left them when it resumes. The child finds the mask,
//!   path, argv, envp and the address of the failure word in `x9` to `x13`, which the kernel
//!   keeps, and either execs or exits. In `clone_on_stack` the child runs on a stack of its
//!   own, 16-byte aligned as every call requires: it clears the frame pointer `x29` so that
//!   backtraces end there, calls the entry with `blr`, and exits with its result.
//!
//! rustc reserves `x19`, `x29` (frame pointer) and `sp`; no stub needs them as operands, since
//! the number and arguments travel in `x0` to `x8` and what a vfork child needs in `x9` to
//! `x13`.
//!
//! # Limitations
//!
//! The stubs do not declare the SVE state clobbered. rustc's `z0` to `z31` name the whole vector
//! registers `v0` to `v31`, so declaring them would force every floating-point value live across
//! a system call to be spilled, in code that never touches SVE. Code built without the `sve`
//! target feature (the default of the Linux targets) has no instruction that writes that state;
//! code built with it must not hold a scalable vector or predicate across a system call.

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
            "svc #0",
            in("x8") nr,
            lateout("x0") ret,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
            in("x2") a2,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
            in("x2") a2,
            in("x3") a3,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
            in("x2") a2,
            in("x3") a3,
            in("x4") a4,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
            in("x2") a2,
            in("x3") a3,
            in("x4") a4,
            in("x5") a5,
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
            "svc #0",
            in("x8") nr,
            in("x0") a0,
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
            "svc #0",
            in("x8") nr,
            lateout("x0") ret,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
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
            "svc #0",
            in("x8") nr,
            inlateout("x0") a0 => ret,
            in("x1") a1,
            in("x2") a2,
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
    // instructions after the first `svc` up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but x0 as it
    // was, and the condition flags too (`cbnz` does not set them).
    unsafe {
        asm!(
            "svc #0",                       // clone
            "cbnz x0, 2f",
            "mov x8, #{rt_sigprocmask}",    // child: restore the parent's mask
            "mov x0, #{sig_setmask}",
            "mov x1, x9",
            "mov x2, #0",
            "mov x3, #{sigset_size}",
            "svc #0",
            "mov x8, #{execve}",
            "mov x0, x10",
            "mov x1, x11",
            "mov x2, x12",
            "svc #0",
            "str x0, [x13]",                // exec failed: the errno word for the parent
            "mov x8, #{exit}",
            "mov x0, #127",
            "svc #0",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            in("x8") nr::__NR_clone as usize,
            inlateout("x0") flags => ret,
            in("x1") 0usize,
            in("x2") 0usize,
            in("x3") 0usize,
            in("x4") 0usize,
            in("x9") mask,
            in("x10") path,
            in("x11") argv,
            in("x12") envp,
            in("x13") failure,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `x29`, calls `entry(argument)` on the
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
    // child runs. The parent continues at label 2 with every register but x0 as it was, and the
    // condition flags too; the child never reaches label 2.
    unsafe {
        asm!(
            "svc #0",                       // clone
            "cbnz x0, 2f",
            "mov x29, #0",                  // child: the outermost frame of its stack
            "mov x0, x10",
            "blr x9",                       // sp is 16-byte aligned at the call
            "mov x8, #{exit}",              // x0 holds the entry's result
            "svc #0",
            "brk #0x1",
            "2:",
            exit = const nr::__NR_exit,
            in("x8") nr::__NR_clone as usize,
            inlateout("x0") flags => ret,
            in("x1") stack_top,
            in("x2") 0usize,
            in("x3") 0usize,
            in("x4") 0usize,
            in("x9") entry as usize,
            in("x10") argument,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `sp` pointing at argc; `sp` must be 16-byte
// aligned for every access through it, which the kernel already ensures, and aligning it again
// costs two instructions. The frame pointer `x29` and the link register `x30` are cleared so that
// a backtrace ends here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, %function",
    "_start:",
    "    mov x29, #0",
    "    mov x30, #0",
    "    mov x0, sp",          // the initial stack: argc, argv..., envp..., auxv...
    "    and x1, x0, #-16",    // `and` cannot read `sp`, so the copy in x0 is masked
    "    mov sp, x1",
    "    bl {entry}",
    "    brk #0x1",            // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
