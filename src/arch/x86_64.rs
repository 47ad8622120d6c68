//! x86_64 (and x32, which shares its registers).
//!
//! - Trap: `syscall`. Number in `rax`; arguments in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`
//!   (the fourth is `r10`, not `rcx` as in the C calling convention).
//! - Result in `rax`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel clobbers `rcx` (return address) and `r11` (saved flags), and keeps the flags.
//! - x32 passes the same 64-bit registers; its syscall numbers carry bit 30, which
//!   linux-raw-sys's x32 numbers already include. Arguments are zero-extended to 64 bits.
//! - clone takes `(flags, stack, parent_tid, child_tid, tls)`.
//! - vfork: the return address lives on the stack, which the child shares with the parent. The
//!   child therefore never leaves the asm block that cloned it and never touches the stack: it
//!   finds everything it needs in `r12`..`r15` and `r9`, which the kernel preserves in both
//!   processes, and either execs or exits. `call`, `push` and `ret` appear only on the child's
//!   own stack, in `clone_on_stack`.
//!
//! rustc reserves `rbx`, `rbp` and `rsp`; no stub needs them.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
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
    let ret: u64;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first `syscall` up to its `exit`, uses registers only, and writes
    // nothing but `*failure`; the parent continues at label 2 with every register but rax,
    // rcx and r11 as it was.
    unsafe {
        asm!(
            "syscall",                      // clone
            "test rax, rax",
            "jnz 2f",
            "mov eax, {rt_sigprocmask}",    // child: restore the parent's mask
            "mov edi, {sig_setmask}",
            "mov rsi, r9",
            "xor edx, edx",
            "mov r10d, {sigset_size}",
            "syscall",
            "mov eax, {execve}",
            "mov rdi, r12",
            "mov rsi, r13",
            "mov rdx, r14",
            "syscall",
            "mov [r15], rax",               // exec failed: the errno word for the parent
            "mov eax, {exit}",
            "mov edi, 127",
            "syscall",
            "2:",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            inlateout("rax") nr::__NR_clone as u64 => ret,
            inlateout("rdi") flags as u64 => _,
            inlateout("rsi") 0u64 => _,
            inlateout("rdx") 0u64 => _,
            inlateout("r10") 0u64 => _,
            in("r8") 0u64,
            in("r9") mask as u64,
            in("r12") path as u64,
            in("r13") argv as u64,
            in("r14") envp as u64,
            in("r15") failure as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack),
        );
    }
    RawResult::negated(ret as usize)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `rbp`, calls `entry(argument)` on the
/// new stack and exits with its return value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    let ret: u64;
    // SAFETY: the caller passes a 16-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register but rax, rcx and r11 as
    // it was; the child never reaches label 2.
    unsafe {
        asm!(
            "syscall",                      // clone
            "test rax, rax",
            "jnz 2f",
            "xor ebp, ebp",                 // child: the outermost frame of its stack
            "mov rdi, r13",
            "call r12",                     // rsp is 16-byte aligned at the call
            "mov edi, eax",
            "mov eax, {exit}",
            "syscall",
            "ud2",
            "2:",
            exit = const nr::__NR_exit,
            inlateout("rax") nr::__NR_clone as u64 => ret,
            in("rdi") flags as u64,
            in("rsi") stack_top as u64,
            in("rdx") 0u64,
            in("r10") 0u64,
            in("r8") 0u64,
            in("r12") entry as usize as u64,
            in("r13") argument as u64,
            out("rcx") _,
            out("r11") _,
            options(nostack),
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
