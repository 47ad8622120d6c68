//! sparc, 32-bit (the V8+ target: V9 instructions, 32-bit pointers).
//!
//! - Trap: `ta 0x10`. Number in `%g1`; arguments in `%o0`..`%o5`; result in `%o0`.
//! - An error comes back with the carry flag of `%icc` set and the positive errno in `%o0`;
//!   success clears the carry. `%o0` alone cannot tell them apart: each stub reads the carry
//!   inside its asm (`addx %g0, 0` adds nothing but the carry) and hands it to
//!   [`RawResult::sparc`].
//! - The kernel also writes `%o1` (the second result of `pipe`, and the parent/child flag of
//!   `fork` and `clone`: 0 in the parent, 1 in the child, whose `%o0` holds the parent's pid).
//!   Every other register, the globals included, comes back as it was.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`: the kernel reads the parent tid
//!   pointer from `%o2`, the thread pointer from `%o3` and the child tid pointer from `%o4`.
//! - vfork: the return address stays in `%o7`/`%i7`, never on the stack. The child of
//!   `vfork_execve` writes only `%o0`..`%o3` and `%g1`, so when the kernel spills its register
//!   windows to the shared stack it writes what the parent's frames already hold.
//! - A clone onto a new stack: the kernel copies the caller's frame (the bytes from `%sp` to
//!   `%fp`) to the top of the new stack and starts the child below it. `clone_on_stack` makes
//!   a minimal frame of its own with `save` before the trap, so that the copy is 96 bytes
//!   rather than whatever frame the stub was inlined into, which could be larger than the new
//!   stack and land on the parent's frame below it.
//!
//! rustc refuses `%g0`, `%g1`, `%g5`, `%g6`, `%g7`, `%o6` (`%sp`), `%i6` (`%fp`) and `%i7`.
//! `%g1` is the one a system call needs: LLVM keeps it for short-lived temporaries of its own.
//! Each stub takes the number in a register of the compiler's choice, parks the old `%g1` in
//! another, moves the number into `%g1`, traps, and puts the old `%g1` back.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
use crate::raw::RawResult;

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes, and leaves `%g1` as it found it.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}", // carry set: %o0 is an errno
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            lateout("o0") ret,
            out("o1") _,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            out("o1") _,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            in("o2") a2,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            in("o2") a2,
            in("o3") a3,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
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
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            in("o2") a2,
            in("o3") a3,
            in("o4") a4,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
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
    let carry: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            in("o2") a2,
            in("o3") a3,
            in("o4") a4,
            in("o5") a5,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group), so `%g1` need
    // not be put back.
    unsafe {
        asm!(
            "mov {nr}, %g1",
            "ta 0x10",
            nr = in(reg) nr,
            in("o0") a0,
            options(nostack, noreturn),
        );
    }
}

#[inline(always)]
pub(crate) unsafe fn syscall0_readonly(nr: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0`; the caller promises the call writes no memory of this process.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            lateout("o0") ret,
            out("o1") _,
            options(nostack, readonly),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_readonly(nr: usize, a0: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            out("o1") _,
            options(nostack, readonly),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall2_readonly(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            options(nostack, readonly),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

#[inline(always)]
pub(crate) unsafe fn syscall3_readonly(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {nr}, %g1",
            "ta 0x10",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            nr = in(reg) nr,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") a0 => ret,
            inlateout("o1") a1 => _,
            in("o2") a2,
            options(nostack, readonly),
        );
    }
    RawResult::sparc(ret, carry != 0)
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
    let carry: usize;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first trap up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but `%o0`
    // and `%o1` as it was, `%g1` put back.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "mov {clone}, %g1",
            "ta 0x10",                      // clone
            "bcs 2f",                      // failed: the parent, with an errno
            "nop",                          // delay slot
            "tst %o1",                      // %o1 is 0 in the parent, 1 in the child; `tst`
            "be 2f",                        // clears the carry, as the successful clone left it
            "nop",
            "mov {rt_sigprocmask}, %g1",    // child: restore the parent's mask
            "mov {sig_setmask}, %o0",
            "mov {mask}, %o1",
            "clr %o2",
            "mov {sigset_size}, %o3",
            "ta 0x10",
            "mov {execve}, %g1",
            "mov {path}, %o0",
            "mov {argv}, %o1",
            "mov {envp}, %o2",
            "ta 0x10",
            "st %o0, [{failure}]",          // exec failed: the errno word for the parent
            "mov {exit}, %g1",
            "mov 127, %o0",
            "ta 0x10",
            "2:",
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            clone = const nr::__NR_clone,
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            path = in(reg) path,
            argv = in(reg) argv,
            envp = in(reg) envp,
            mask = in(reg) mask,
            failure = in(reg) failure,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") flags => ret,
            inlateout("o1") 0usize => _,
            in("o2") 0usize,
            in("o3") 0usize,
            in("o4") 0usize,
            options(nostack),
        );
    }
    RawResult::sparc(ret, carry != 0)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `%fp`, calls `entry(argument)` on the
/// new stack and exits with its return value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: usize;
    let carry: usize;
    // SAFETY: the caller passes an 8-byte aligned stack top that nothing else uses while the
    // child runs. The parent's `save` is undone by its `restore`, which carries the result out
    // of the stub's window; the parent continues at label 2 with every register but `%o0` as
    // it was, `%g1` put back. The child never reaches label 2.
    unsafe {
        asm!(
            "mov %g1, {saved_g1}",
            "save %sp, -96, %sp",           // the frame the kernel copies to the new stack
            "mov {clone}, %g1",
            "mov %i0, %o0",                 // flags
            "mov %g4, %o1",                 // the new stack
            "clr %o2",
            "clr %o3",
            "clr %o4",
            "ta 0x10",                      // clone
            "bcs 2f",                      // failed: the parent, with an errno
            "nop",                          // delay slot
            "tst %o1",                      // %o1 is 0 in the parent, 1 in the child; `tst`
            "be 2f",                        // clears the carry, as the successful clone left it
            "nop",
            "mov %g0, %fp",                 // child: the outermost frame of its stack
            "sub %g4, 96, %sp",             // a frame of its own at the top of the new stack
            "mov %g3, %o0",
            "call %g2",                     // entry(argument)
            "nop",
            "mov {exit}, %g1",              // %o0: the entry's return value
            "ta 0x10",
            "unimp 0",
            "2:",
            "restore %o0, %g0, %o0",        // back to the caller's window, with the result
            "mov {saved_g1}, %g1",
            "addx %g0, 0, {carry}",
            clone = const nr::__NR_clone,
            exit = const nr::__NR_exit,
            saved_g1 = out(reg) _,
            carry = lateout(reg) carry,
            inlateout("o0") flags => ret,
            in("g2") entry as usize,
            in("g3") argument,
            in("g4") stack_top,
        );
    }
    RawResult::sparc(ret, carry != 0)
}

// The program entry. The kernel starts a process with `%sp` 8-byte aligned and pointing at a
// 64-byte register-window save area; argc follows it. The entry's own window may be spilled to
// the save area of the frame that calls it, and it may store its arguments in the seven words
// after that (a struct-return slot and six argument words), so `_start` makes a fresh 96-byte
// frame below the kernel's data rather than let either land on argc. `%fp` is cleared so that
// backtraces end here; `%g1` (a function the dynamic linker would register with atexit) is
// ignored since there is none.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    mov %g0, %fp",
    "    add %sp, 64, %o0",             // the initial stack: argc, argv..., envp..., auxv...
    "    and %sp, -8, %sp",
    "    sub %sp, 96, %sp",             // save area, struct-return slot and argument words
    "    call {entry}",
    "    nop",                          // delay slot
    "    unimp 0",                      // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
