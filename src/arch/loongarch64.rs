//! loongarch64 (LP64D ABI).
//!
//! - Trap: `syscall 0`. Number in `$a7` (`$r11`); arguments in `$a0` to `$a5` (`$r4` to `$r9`).
//! - Result in `$a0`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel may clobber the temporaries `$t0` to `$t8` (`$r12` to `$r20`), which every stub
//!   declares; it keeps the other general registers and the floating-point registers.
//! - clone takes `(flags, stack, parent_tid, child_tid, tls)`, the generic order.
//! - There is no `vfork` system call; clone with `CLONE_VM | CLONE_VFORK | SIGCHLD` does its
//!   work.
//! - vfork: `vfork_execve` is one asm block with no frame of its own, and its child never
//!   leaves it and never touches the stack, so the return addresses the parent holds, in `$ra`
//!   or saved in its frames, are as it left them when it resumes. The child finds the mask,
//!   path, argv, envp and the address of the failure word in `$s0` to `$s4` (`$r23` to
//!   `$r27`), which the kernel keeps (the temporaries it does not), and either execs or exits.
//!   In `clone_on_stack` the child runs on a stack of its own, 16-byte aligned as every call
//!   requires: it clears the frame pointer `$fp` so that backtraces end there, calls the entry
//!   with `jirl`, and exits with its result.
//!
//! rustc reserves `$r0` (`$zero`), `$r2` (`$tp`), `$r3` (`$sp`), `$r21` (reserved by the ABI) and
//! `$r22` (`$fp`); no stub needs them as operands, since the number, arguments and clobbers all
//! lie in `$r4` to `$r20`, and what a vfork child needs in `$r23` to `$r27`.
//!
//! The Linux target enables LSX, which qemu 7.2 rejects; the qemu tests build with
//! `-C target-feature=-lsx,-lasx`. The stubs themselves use no vector instruction.

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
            "syscall 0",
            in("$a7") nr,
            lateout("$a0") ret,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            in("$a2") a2,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            in("$a2") a2,
            in("$a3") a3,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            in("$a2") a2,
            in("$a3") a3,
            in("$a4") a4,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            in("$a2") a2,
            in("$a3") a3,
            in("$a4") a4,
            in("$a5") a5,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            in("$a0") a0,
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
            "syscall 0",
            in("$a7") nr,
            lateout("$a0") ret,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
            "syscall 0",
            in("$a7") nr,
            inlateout("$a0") a0 => ret,
            in("$a1") a1,
            in("$a2") a2,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
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
    // instructions after the first `syscall` up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but $a0 and
    // the temporaries the clone may clobber as it was.
    unsafe {
        asm!(
            "syscall 0",                    // clone
            "bnez $a0, 2f",
            "li.w $a7, {rt_sigprocmask}",   // child: restore the parent's mask
            "li.w $a0, {sig_setmask}",
            "move $a1, $s0",
            "move $a2, $zero",
            "li.w $a3, {sigset_size}",
            "syscall 0",
            "li.w $a7, {execve}",
            "move $a0, $s1",
            "move $a1, $s2",
            "move $a2, $s3",
            "syscall 0",
            "st.d $a0, $s4, 0",             // exec failed: the errno word for the parent
            "li.w $a7, {exit}",
            "li.w $a0, 127",
            "syscall 0",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            in("$a7") nr::__NR_clone as usize,
            inlateout("$a0") flags => ret,
            in("$a1") 0usize,
            in("$a2") 0usize,
            in("$a3") 0usize,
            in("$a4") 0usize,
            in("$s0") mask,
            in("$s1") path,
            in("$s2") argv,
            in("$s3") envp,
            in("$s4") failure,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `$fp`, calls `entry(argument)` on the
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
    // child runs. The parent continues at label 2 with every register but $a0 and the
    // temporaries the clone may clobber as it was; the child never reaches label 2.
    unsafe {
        asm!(
            "syscall 0",                    // clone
            "bnez $a0, 2f",
            "move $fp, $zero",              // child: the outermost frame of its stack
            "move $a0, $s1",
            "jirl $ra, $s0, 0",             // $sp is 16-byte aligned at the call
            "li.w $a7, {exit}",             // $a0 holds the entry's result
            "syscall 0",
            "break 0",
            "2:",
            exit = const nr::__NR_exit,
            in("$a7") nr::__NR_clone as usize,
            inlateout("$a0") flags => ret,
            in("$a1") stack_top,
            in("$a2") 0usize,
            in("$a3") 0usize,
            in("$a4") 0usize,
            in("$s0") entry as usize,
            in("$s1") argument,
            out("$t0") _,
            out("$t1") _,
            out("$t2") _,
            out("$t3") _,
            out("$t4") _,
            out("$t5") _,
            out("$t6") _,
            out("$t7") _,
            out("$t8") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `$sp` pointing at argc, 16-byte aligned as
// the ABI requires at a call; clearing the low four bits again costs one instruction. The frame
// pointer `$fp` and `$ra` are cleared so that a backtrace ends here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    move $fp, $zero",
    "    move $ra, $zero",
    "    move $a0, $sp",               // the initial stack: argc, argv..., envp..., auxv...
    "    bstrins.d $sp, $zero, 3, 0",  // align down to 16
    "    bl {entry}",
    "    break 0",                     // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
