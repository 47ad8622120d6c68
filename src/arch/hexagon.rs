//! hexagon.
//!
//! - Trap: `trap0(#1)`. Number in `r6`; arguments in `r0`..`r5`; result in `r0`.
//! - An error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel saves every register, the predicates and the loop and control registers on
//!   entry and restores them on the way out; only `r0` changes.
//! - clone takes `(flags, stack, parent_tid, child_tid, tls)`, the generic order.
//! - vfork: the return address stays in `lr` (`r31`), which the parent's path never writes, so
//!   the child of `vfork_execve` runs on registers alone and never touches the shared stack. It
//!   finds what it needs in `r16`, `r17`, `r18`, `r20` and `r21` (not `r19`, which rustc
//!   refuses), which the kernel preserves in both processes, and either execs or exits.
//!
//! rustc refuses `r19` (LLVM's own), `r29` (`sp`), `r30` (`fp`) and `r31` (`lr`); no stub
//! needs them.

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
            "trap0(#1)",
            in("r6") nr,
            lateout("r0") ret,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
            in("r2") a2,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
            in("r2") a2,
            in("r3") a3,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
            in("r2") a2,
            in("r3") a3,
            in("r4") a4,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
            in("r2") a2,
            in("r3") a3,
            in("r4") a4,
            in("r5") a5,
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
            "trap0(#1)",
            in("r6") nr,
            in("r0") a0,
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
            "trap0(#1)",
            in("r6") nr,
            lateout("r0") ret,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
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
            "trap0(#1)",
            in("r6") nr,
            inlateout("r0") a0 => ret,
            in("r1") a1,
            in("r2") a2,
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
    // instructions after the first trap up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but r0 and
    // r6 as it was.
    unsafe {
        asm!(
            "trap0(#1)",                    // clone
            "p0 = cmp.eq(r0, #0)",
            "if (!p0) jump 2f",
            "r6 = #{rt_sigprocmask}",       // child: restore the parent's mask
            "r0 = #{sig_setmask}",
            "r1 = r20",
            "r2 = #0",
            "r3 = #{sigset_size}",
            "trap0(#1)",
            "r6 = #{execve}",
            "r0 = r16",
            "r1 = r17",
            "r2 = r18",
            "trap0(#1)",
            "memw(r21 + #0) = r0",          // exec failed: the errno word for the parent
            "r6 = #{exit}",
            "r0 = #127",
            "trap0(#1)",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            inlateout("r6") nr::__NR_clone as usize => _,
            inlateout("r0") flags => ret,
            inlateout("r1") 0usize => _,
            inlateout("r2") 0usize => _,
            inlateout("r3") 0usize => _,
            in("r4") 0usize,
            in("r20") mask,
            in("r16") path,
            in("r17") argv,
            in("r18") envp,
            in("r21") failure,
            out("p0") _,
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `fp` and `lr`, calls `entry(argument)`
/// on the new stack and exits with its return value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    // SAFETY: the caller passes an 8-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register but r0 as it was; the
    // child never reaches label 2.
    unsafe {
        asm!(
            "trap0(#1)",                    // clone
            "p0 = cmp.eq(r0, #0)",
            "if (!p0) jump 2f",
            "r30 = #0",                     // child: the outermost frame of its stack
            "r31 = #0",
            "r0 = r17",
            "callr r16",                    // sp is the new stack, 8-byte aligned
            "r6 = #{exit}",
            "trap0(#1)",
            "trap0(#0xdb)",
            "2:",
            exit = const nr::__NR_exit,
            in("r6") nr::__NR_clone as usize,
            inlateout("r0") flags => ret,
            in("r1") stack_top,
            in("r2") 0usize,
            in("r3") 0usize,
            in("r4") 0usize,
            in("r16") entry as usize,
            in("r17") argument,
            out("p0") _,
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `sp` (`r29`) pointing at argc; the ABI
// wants it 8-byte aligned at a call. `fp` and `lr` are cleared so that backtraces end here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    r30 = #0",
    "    r31 = #0",
    "    r0 = r29",                     // the initial stack: argc, argv..., envp..., auxv...
    "    r29 = and(r29, #-8)",
    "    call {entry}",
    "    trap0(#0xdb)",                 // the entry never returns: a breakpoint if it did
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
