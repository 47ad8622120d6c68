//! 32-bit arm, EABI: ARM and Thumb-2 code, little and big endian (BE8).
//!
//! - Trap: `svc 0`. Number in `r7`; arguments in `r0` to `r5`.
//! - Result in `r0`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel writes only `r0` and keeps the flags.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`.
//! - vfork: the return address stays in `lr` or in the caller's frame, and the child of
//!   `vfork_execve` never leaves the asm block that cloned it and never touches the stack: it
//!   reads what it needs from a block of words in the parent's frame, whose address waits in
//!   `r5` (which the kernel preserves), and either execs or exits. The child of
//!   `clone_on_stack` runs on a stack of its own.
//! - Endianness changes nothing here: instructions and registers are the same, only data in
//!   memory is big-endian on armeb.
//!
//! rustc refuses `r6` and `r11` as operands in ARM code, and `r6` and `r7` in Thumb code, where
//! `r7` is the frame pointer. No argument needs `r6`, but the number goes in `r7`, so every
//! stub, in either mode, saves `r7` inside the asm in a register of the compiler's choice,
//! moves the number in (from another such register, or as an immediate in the clone stubs),
//! traps, and moves `r7` back. One set of stubs thus serves both modes, at the price of two
//! `mov`s in ARM code.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
use crate::raw::RawResult;

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let ret: usize;
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes, and gives `r7` back the value it had.
    unsafe {
        asm!(
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
    // SAFETY: the caller passes a call that does not return (exit, exit_group), so `r7` need
    // not be given back.
    unsafe {
        asm!(
            "mov r7, {nr}",
            "svc 0",
            nr = in(reg) nr,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) nr,
            saved_r7 = out(reg) _,
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
    // What the child needs, read through `r5`: the trap arguments take `r0` to `r3`.
    let child_block: [usize; 5] =
        [path as usize, argv as usize, envp as usize, failure as usize, mask as usize];
    let ret: usize;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first `svc` up to its `exit`, reads `child_block` (alive until
    // the asm ends in the parent), writes nothing but `*failure`, and never the stack; the
    // parent continues at label 2, moves `r7` back, and has every register but `r0` as it was.
    unsafe {
        asm!(
            "mov {saved_r7}, r7",
            "mov r7, #{clone}",
            "svc 0",                        // clone
            "cmp r0, #0",
            "bne 2f",
            "mov r7, #{rt_sigprocmask}",    // child: restore the parent's mask
            "mov r0, #{sig_setmask}",
            "ldr r1, [r5, #16]",
            "mov r2, #0",
            "mov r3, #{sigset_size}",
            "svc 0",
            "mov r7, #{execve}",
            "ldr r0, [r5]",
            "ldr r1, [r5, #4]",
            "ldr r2, [r5, #8]",
            "svc 0",
            "ldr r1, [r5, #12]",
            "str r0, [r1]",                 // exec failed: the errno word for the parent
            "mov r7, #{exit}",
            "mov r0, #127",
            "svc 0",
            "2:",
            "mov r7, {saved_r7}",
            clone = const nr::__NR_clone,
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            saved_r7 = out(reg) _,
            inlateout("r0") flags => ret,
            in("r1") 0usize,
            in("r2") 0usize,
            in("r3") 0usize,
            in("r4") 0usize,
            in("r5") child_block.as_ptr(),
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears the frame pointers, calls
/// `entry(argument)` on the new stack and exits with its return value. Returns the clone
/// result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    // SAFETY: the caller passes a 16-byte aligned stack top (AAPCS asks for 8) that nothing
    // else uses while the child runs. The parent continues at label 2, moves `r7` back, and
    // has every register but `r0` as it was; the child never reaches label 2.
    unsafe {
        asm!(
            "mov {saved_r7}, r7",
            "mov r7, #{clone}",
            "svc 0",                        // clone
            "cmp r0, #0",
            "bne 2f",
            "mov r11, #0",                  // child: the outermost frame, in either mode
            "mov r7, #0",
            "mov r0, r8",
            "blx r5",                       // entry(argument), in ARM or Thumb code
            "mov r7, #{exit}",
            "svc 0",
            "udf #0",
            "2:",
            "mov r7, {saved_r7}",
            clone = const nr::__NR_clone,
            exit = const nr::__NR_exit,
            saved_r7 = out(reg) _,
            inlateout("r0") flags => ret,
            in("r1") stack_top,
            in("r2") 0usize,
            in("r3") 0usize,
            in("r4") 0usize,
            in("r5") entry,
            in("r8") argument,
            options(nostack),
        );
    }
    RawResult::negated(ret)
}

// The program entry. It is ARM code on every target, Thumb ones included: every arm Linux CPU
// runs ARM code, while Thumb-2 is missing before ARMv6T2, and the linker turns the `bl` into a
// `blx` when the entry is Thumb code. LLVM restores the target's own mode after this block.
// The kernel starts a process with `sp` pointing at argc. The frame pointer is `r11` in ARM
// code and `r7` in Thumb code: both are cleared, and so is `lr`, so that backtraces end here.
// AAPCS wants `sp` 8-byte aligned at a call.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".arm",
    ".globl _start",
    ".type _start, %function",
    "_start:",
    "    mov r11, #0",
    "    mov r7, #0",
    "    mov lr, #0",
    "    mov r0, sp",          // the initial stack: argc, argv..., envp..., auxv...
    "    bic sp, sp, #7",
    "    bl {entry}",
    "    udf #0",              // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
