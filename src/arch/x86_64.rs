//! x86_64 (and x32, which shares its registers).
//!
//! - Trap: `syscall`. Number in `rax`; arguments in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`
//!   (the fourth is `r10`, not `rcx` as in the C calling convention).
//! - Result in `rax`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel clobbers `rcx` (return address) and `r11` (saved flags), and keeps the flags.
//! - x32 passes the same 64-bit registers; its syscall numbers carry bit 30, which
//!   linux-raw-sys's x32 numbers already include. Arguments are zero-extended to 64 bits.
//! - clone takes `(flags, stack, parent_tid, child_tid, tls)`.
//!
//! rustc reserves `rbx`, `rbp` and `rsp`; no stub needs them.

use core::arch::asm;

use crate::raw::RawResult;

// Every argument travels in a full 64-bit register. On x86_64 `usize as u64` is free; on x32 it
// zero-extends, which is what the kernel expects of a pointer or an unsigned value.

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let ret: u64;
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a0: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            in("rdx") a2 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            in("rdx") a2 as u64,
            in("r10") a3 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
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
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            in("rdx") a2 as u64,
            in("r10") a3 as u64,
            in("r8") a4 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
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
    let ret: u64;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            in("rdx") a2 as u64,
            in("r10") a3 as u64,
            in("r8") a4 as u64,
            in("r9") a5 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group).
    unsafe {
        asm!(
            "syscall",
            in("rax") nr as u64,
            in("rdi") a0 as u64,
            options(nostack, noreturn),
        );
    }
}

#[inline(always)]
pub(crate) unsafe fn syscall0_readonly(nr: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0`; the caller promises the call writes no memory of this process.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_readonly(nr: usize, a0: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall2_readonly(nr: usize, a0: usize, a1: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret as usize)
}

#[inline(always)]
pub(crate) unsafe fn syscall3_readonly(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let ret: u64;
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as u64 => ret,
            in("rdi") a0 as u64,
            in("rsi") a1 as u64,
            in("rdx") a2 as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    RawResult::negated(ret as usize)
}

// The program entry. The kernel starts a process with `rsp` pointing at argc, and `rsp` 16-byte
// aligned; `rbp` is cleared so that backtraces end here, and `rdx` (a function the dynamic
// linker would register with atexit) is ignored since there is none.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    xor ebp, ebp",
    "    mov rdi, rsp",        // the initial stack: argc, argv..., envp..., auxv...
    "    and rsp, -16",
    "    call {entry}",
    "    ud2",                 // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
