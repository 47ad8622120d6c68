//! powerpc, 32-bit (big-endian, SysV ABI).
//!
//! - Trap: `sc`. Number in `r0`; arguments in `r3` to `r8`.
//! - Result in `r3`. An error is not encoded in the value: the kernel sets the summary-overflow
//!   bit of condition register field 0 (CR0.SO, `0x1000_0000` in the word `mfcr` reads) and
//!   leaves the positive errno in `r3`. Each stub reads the condition register with `mfcr`
//!   right after the trap and hands both words to [`RawResult::powerpc`].
//! - The kernel may clobber `r0`, `r4` to `r12`, `cr0`, `ctr` and `xer`, whatever the number of
//!   arguments; every stub declares all of them.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`: the kernel is built with
//!   `CLONE_BACKWARDS`, so `tls` comes before `child_tid`.
//! - vfork: the return address stays in the link register, and the vfork stubs have no frame,
//!   so the child of `vfork_execve` never touches the stack it shares with the parent. It never
//!   leaves the asm block that cloned it: it finds everything it needs in `r14` to `r18`, which
//!   the kernel preserves in both processes, and either execs or exits. Parent and child both
//!   see CR0.SO clear after a successful clone, so the stubs save the condition register first
//!   and then tell them apart by `r3` (zero in the child, a pid or a positive errno in the
//!   parent).
//!
//! rustc reserves `r1` (stack pointer), `r2` (thread pointer), `r13` (small-data anchor), `r29`,
//! `r30` and `r31`; no stub needs them, since the number and arguments all travel in `r0` and
//! `r3` to `r8`. The number register `r0` is free again once the trap is taken, so it also
//! receives the condition register (`mfcr 0`): no further register is spent on it.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
use crate::raw::RawResult;

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            lateout("r3") ret,
            out("r4") _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            out("r4") _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            inlateout("r5") a2 => _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            inlateout("r5") a2 => _,
            inlateout("r6") a3 => _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
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
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            inlateout("r5") a2 => _,
            inlateout("r6") a3 => _,
            inlateout("r7") a4 => _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
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
    let cr: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            inlateout("r5") a2 => _,
            inlateout("r6") a3 => _,
            inlateout("r7") a4 => _,
            inlateout("r8") a5 => _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group).
    unsafe {
        asm!(
            "sc",
            in("r0") nr,
            in("r3") a0,
            options(nostack, noreturn),
        );
    }
}

#[inline(always)]
pub(crate) unsafe fn syscall0_readonly(nr: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0`; the caller promises the call writes no memory of this process.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            lateout("r3") ret,
            out("r4") _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack, readonly),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_readonly(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            out("r4") _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack, readonly),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall2_readonly(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            out("r5") _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack, readonly),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

#[inline(always)]
pub(crate) unsafe fn syscall3_readonly(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "sc",
            "mfcr 0",
            inlateout("r0") nr => cr,
            inlateout("r3") a0 => ret,
            inlateout("r4") a1 => _,
            inlateout("r5") a2 => _,
            out("r6") _,
            out("r7") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack, readonly),
        );
    }
    RawResult::powerpc(ret, cr as u32)
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
    let cr: usize;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first `sc` up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but the
    // declared ones as it was.
    unsafe {
        asm!(
            "sc",                           // clone
            "mfcr 0",                       // before `cmpwi` overwrites cr0
            "cmpwi 3, 0",
            "bne 2f",
            "li 0, {rt_sigprocmask}",       // child: restore the parent's mask
            "li 3, {sig_setmask}",
            "mr 4, 17",
            "li 5, 0",
            "li 6, {sigset_size}",
            "sc",
            "li 0, {execve}",
            "mr 3, 14",
            "mr 4, 15",
            "mr 5, 16",
            "sc",
            "stw 3, 0(18)",                 // exec failed: the errno word for the parent
            "li 0, {exit}",
            "li 3, 127",
            "sc",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            inlateout("r0") nr::__NR_clone as usize => cr,
            inlateout("r3") flags => ret,
            inlateout("r4") 0usize => _,
            inlateout("r5") 0usize => _,
            inlateout("r6") 0usize => _,
            inlateout("r7") 0usize => _,
            in("r14") path,
            in("r15") argv,
            in("r16") envp,
            in("r17") mask,
            in("r18") failure,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child makes the first frame of its stack, calls
/// `entry(argument)` on it and exits with its return value. Returns the clone result in the
/// parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    let cr: usize;
    // SAFETY: the caller passes a 16-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register but the declared ones as
    // it was; the child never reaches label 2.
    unsafe {
        asm!(
            "sc",                           // clone
            "mfcr 0",                       // before `cmpwi` overwrites cr0
            "cmpwi 3, 0",
            "bne 2f",
            "li 0, 0",                      // child: a 16-byte frame with a null back chain
            "stwu 0, -16(1)",
            "mtctr 14",
            "mr 3, 15",
            "bctrl",
            "li 0, {exit}",                 // the status is already in r3
            "sc",
            "trap",
            "2:",
            exit = const nr::__NR_exit,
            inlateout("r0") nr::__NR_clone as usize => cr,
            inlateout("r3") flags => ret,
            inlateout("r4") stack_top => _,
            inlateout("r5") 0usize => _,
            inlateout("r6") 0usize => _,
            inlateout("r7") 0usize => _,
            in("r14") entry as usize,
            in("r15") argument,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("cr0") _,
            out("ctr") _,
            out("xer") _,
            options(nostack),
        );
    }
    RawResult::powerpc(ret, cr as u32)
}

// The program entry. The kernel starts a process with `r1` pointing at argc. The SysV ABI wants
// `r1` 16-byte aligned and pointing at a frame whose first word (the back chain) links to the
// caller's frame; here a 16-byte frame with a null back chain ends the chain, and its second word
// is where the entry saves its return address. The link register is cleared so that backtraces
// end here.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    mr 3, 1",             // the initial stack: argc, argv..., envp..., auxv...
    "    clrrwi 1, 1, 4",
    "    li 0, 0",
    "    stwu 0, -16(1)",      // a null back chain
    "    mtlr 0",
    "    bl {entry}",
    "    trap",                // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
