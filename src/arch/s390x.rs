//! s390x (64-bit z/Architecture).
//!
//! - Trap: `svc 0`. Number in `r1` (the form `svc N` with the number in the instruction reaches
//!   only numbers below 256, so every stub passes it in `r1`); arguments in `r2` to `r7`.
//! - Result in `r2`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel keeps every register but `r2`, and the condition code.
//! - clone takes `(stack, flags, parent_tid, child_tid, tls)`: the kernel is built with
//!   `CLONE_BACKWARDS2`, so the new stack comes first.
//! - vfork: the return address stays in `r14`, and the vfork stubs have no frame, so the child of
//!   `vfork_execve` never touches the stack it shares with the parent. It never leaves the asm
//!   block that cloned it: it finds everything it needs in `r7` to `r10` and `r12`, which the
//!   kernel preserves in both processes, and either execs or exits.
//!
//! rustc reserves `r11` (frame pointer) and `r15` (stack pointer); no stub needs them, since the
//! number and arguments all travel in `r1` to `r7`. `r6` and `r7` are callee-saved in the C
//! calling convention; rustc saves them around a stub that passes five or six arguments.

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
            "svc 0",
            in("r1") nr,
            lateout("r2") ret,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
            in("r4") a2,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
            in("r4") a2,
            in("r5") a3,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
            in("r4") a2,
            in("r5") a3,
            in("r6") a4,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
            in("r4") a2,
            in("r5") a3,
            in("r6") a4,
            in("r7") a5,
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
            "svc 0",
            in("r1") nr,
            in("r2") a0,
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
            "svc 0",
            in("r1") nr,
            lateout("r2") ret,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
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
            "svc 0",
            in("r1") nr,
            inlateout("r2") a0 => ret,
            in("r3") a1,
            in("r4") a2,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret)
}

/// `clone(0, flags, 0, 0, 0)` on the caller's stack; the child restores the signal mask at
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
    // nothing but `*failure`; the parent continues at label 2 with every register but `r2` and
    // the condition code as it was.
    unsafe {
        asm!(
            "svc 0",                        // clone
            "ltgr %r2, %r2",
            "jnz 2f",
            "lghi %r1, {rt_sigprocmask}",   // child: restore the parent's mask
            "lghi %r2, {sig_setmask}",
            "lgr %r3, %r7",
            "lghi %r4, 0",
            "lghi %r5, {sigset_size}",
            "svc 0",
            "lghi %r1, {execve}",
            "lgr %r2, %r8",
            "lgr %r3, %r9",
            "lgr %r4, %r10",
            "svc 0",
            "stg %r2, 0(%r12)",             // exec failed: the errno word for the parent
            "lghi %r1, {exit}",
            "lghi %r2, 127",
            "svc 0",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            in("r1") nr::__NR_clone as usize,
            inlateout("r2") 0usize => ret,
            in("r3") flags,
            in("r4") 0usize,
            in("r5") 0usize,
            in("r6") 0usize,
            in("r7") mask,
            in("r8") path,
            in("r9") argv,
            in("r10") envp,
            in("r12") failure,
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

/// `clone(stack_top, flags, 0, 0, 0)`; the child makes the first frame of its stack (a register
/// save area with a null back chain), calls `entry(argument)` on it and exits with its return
/// value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    // SAFETY: the caller passes a 16-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register but `r2` and the
    // condition code as it was; the child never reaches label 2.
    unsafe {
        asm!(
            "svc 0",                        // clone
            "ltgr %r2, %r2",
            "jnz 2f",
            "aghi %r15, -160",              // child: a register save area
            "xc 0(8, %r15), 0(%r15)",       // with a null back chain
            "lghi %r11, 0",
            "lgr %r2, %r8",
            "basr %r14, %r7",
            "lghi %r1, {exit}",             // the status is already in r2
            "svc 0",
            ".short 0",
            "2:",
            exit = const nr::__NR_exit,
            in("r1") nr::__NR_clone as usize,
            inlateout("r2") stack_top => ret,
            in("r3") flags,
            in("r4") 0usize,
            in("r5") 0usize,
            in("r6") 0usize,
            in("r7") entry as usize,
            in("r8") argument,
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `r15` pointing at argc. The ABI wants
// `r15` 8-byte aligned with a 160-byte register save area above it, whose first doubleword (the
// back chain) links to the caller's frame: here it is null, which ends the chain. The frame
// pointer `r11` is cleared too, so that backtraces end here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    lgr %r2, %r15",           // the initial stack: argc, argv..., envp..., auxv...
    "    aghi %r15, -160",
    "    nill %r15, 0xfff8",
    "    xc 0(8, %r15), 0(%r15)",  // a null back chain
    "    lghi %r11, 0",
    "    brasl %r14, {entry}",
    "    .short 0",                // the entry never returns; opcode 0 is always illegal
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
