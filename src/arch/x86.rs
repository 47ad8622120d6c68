//! x86 (i386), 32-bit.
//!
//! - Trap: `int 0x80`. Number in `eax`; arguments in `ebx`, `ecx`, `edx`, `esi`, `edi`, `ebp`.
//! - Result in `eax`; an error comes back negated, as a value in `[-4095, -1]`.
//! - The kernel writes only `eax` and keeps the flags.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`.
//! - vfork: the return address lives on the stack, which the child shares with the parent. The
//!   child of `vfork_execve` therefore never leaves the asm block that cloned it and never
//!   writes the stack: it reads what it needs from a block of words in the parent's frame,
//!   whose address waits in `ebp` (which the kernel preserves), and either execs or exits. The
//!   parent pushes `esi` and `ebp` before the clone and pops them after it resumes, so those
//!   two slots are the only stack the stub uses. The child of `clone_on_stack` has a stack of its own,
//!   on which the parent has already placed the entry's argument and address.
//!
//! rustc refuses `esi` and `ebp` as operands (LLVM may hold its base pointer and frame pointer
//! there), and they carry the fourth and sixth arguments. `ebx` is accepted, even in
//! position-independent code. So:
//! - `syscall4` and `syscall5` hand the fourth argument over in a register of the compiler's
//!   choice, `xchg` it into `esi` before the trap and back after it, so that `esi` leaves the
//!   asm as it came in;
//! - `syscall6` has no register left for the sixth argument: the number, the fourth and the
//!   sixth argument sit in a small array whose address comes in `eax`. The asm pushes `esi`
//!   and `ebp`, loads them and `eax` from the array, traps, and pops them back.

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
            "int 0x80",
            inlateout("eax") nr => ret,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
            in("edx") a2,
            options(nostack, preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let ret: usize;
    // SAFETY: as in `syscall0`; the second `xchg` gives `esi` back its own value, and `{a3}`
    // is declared clobbered, though the kernel leaves it holding `a3` again.
    unsafe {
        asm!(
            "xchg esi, {a3}",
            "int 0x80",
            "xchg esi, {a3}",
            a3 = inout(reg) a3 => _,
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
            in("edx") a2,
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
    // SAFETY: as in `syscall4`.
    unsafe {
        asm!(
            "xchg esi, {a3}",
            "int 0x80",
            "xchg esi, {a3}",
            a3 = inout(reg) a3 => _,
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
            in("edx") a2,
            in("edi") a4,
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
    // `eax`, `ebx`, `ecx`, `edx` and `edi` are taken, and a frame pointer may hold `ebp`: no
    // register is sure to be free for `a3` and `a5`, so they travel in memory with the number.
    let in_memory: [usize; 3] = [nr, a3, a5];
    let ret: usize;
    // SAFETY: as in `syscall0`; `esi` and `ebp` are pushed before they are loaded and popped
    // after the trap, and `in_memory` lives until the asm ends.
    unsafe {
        asm!(
            "push esi",
            "push ebp",
            "mov esi, [eax + 4]",
            "mov ebp, [eax + 8]",
            "mov eax, [eax]",
            "int 0x80",
            "pop ebp",
            "pop esi",
            inlateout("eax") in_memory.as_ptr() => ret,
            in("ebx") a0,
            in("ecx") a1,
            in("edx") a2,
            in("edi") a4,
            options(preserves_flags),
        );
    }
    RawResult::negated(ret)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group).
    unsafe {
        asm!(
            "int 0x80",
            in("eax") nr,
            in("ebx") a0,
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
            "int 0x80",
            inlateout("eax") nr => ret,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
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
            "int 0x80",
            inlateout("eax") nr => ret,
            in("ebx") a0,
            in("ecx") a1,
            in("edx") a2,
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
    // What the child needs, read through `ebp`: more values than free registers.
    let child_block: [usize; 5] =
        [path as usize, argv as usize, envp as usize, failure as usize, mask as usize];
    let ret: usize;
    // SAFETY: the caller passes vfork flags and live pointers. The child runs only the
    // instructions after the first `int 0x80` up to its `exit`, reads `child_block` (alive
    // until the asm ends in the parent), writes nothing but `*failure`, and never the stack;
    // the parent continues at label 2, pops `ebp` and `esi`, and has every register but
    // `eax`, `ecx`, `edx` and `edi` (declared) as it was.
    unsafe {
        asm!(
            "push esi",
            "push ebp",
            "mov ebp, edi",
            "xor ecx, ecx",                 // the child shares the parent's stack
            "xor edx, edx",
            "xor esi, esi",
            "xor edi, edi",
            "int 0x80",                     // clone
            "test eax, eax",
            "jnz 2f",
            "mov eax, {rt_sigprocmask}",    // child: restore the parent's mask
            "mov ebx, {sig_setmask}",
            "mov ecx, [ebp + 16]",
            "xor edx, edx",
            "mov esi, {sigset_size}",
            "int 0x80",
            "mov eax, {execve}",
            "mov ebx, [ebp]",
            "mov ecx, [ebp + 4]",
            "mov edx, [ebp + 8]",
            "int 0x80",
            "mov ecx, [ebp + 12]",
            "mov [ecx], eax",               // exec failed: the errno word for the parent
            "mov eax, {exit}",
            "mov ebx, 127",
            "int 0x80",
            "2:",
            "pop ebp",
            "pop esi",
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            inlateout("eax") nr::__NR_clone as usize => ret,
            in("ebx") flags,
            inout("edi") child_block.as_ptr() => _,
            out("ecx") _,
            out("edx") _,
        );
    }
    RawResult::negated(ret)
}

/// `clone(flags, stack_top, 0, 0, 0)`; the child clears `ebp`, calls `entry(argument)` on the
/// new stack and exits with its return value. Returns the clone result in the parent.
#[inline(always)]
pub(crate) unsafe fn clone_on_stack(
    flags: usize,
    stack_top: *mut u8,
    entry: unsafe extern "C" fn(*mut c_void) -> i32,
    argument: *mut c_void,
) -> RawResult {
    // The child starts with `esp` here: 16-byte aligned, the argument on top as the C calling
    // convention wants it at a `call`, and the entry's address just above it.
    let child_stack = stack_top.cast::<usize>().wrapping_sub(4);
    // SAFETY: the caller lends the 16 bytes below `stack_top`, which is 16-byte aligned, to the
    // child, which has not started yet.
    unsafe {
        child_stack.write(argument as usize);
        child_stack.add(1).write(entry as usize);
    }
    let ret: usize;
    // SAFETY: the stack from `child_stack` down is the child's alone while it runs. The
    // parent pushes `esi` on its own stack, continues at label 2 and pops it, with every
    // register but `eax` as it was; the child never reaches label 2.
    unsafe {
        asm!(
            "push esi",
            "xor esi, esi",
            "int 0x80",                     // clone
            "test eax, eax",
            "jnz 2f",
            "xor ebp, ebp",                 // child: the outermost frame of its stack
            "call dword ptr [esp + 4]",     // entry(argument), `esp` 16-byte aligned
            "mov ebx, eax",
            "mov eax, {exit}",
            "int 0x80",
            "ud2",
            "2:",
            "pop esi",
            exit = const nr::__NR_exit,
            inlateout("eax") nr::__NR_clone as usize => ret,
            in("ebx") flags,
            in("ecx") child_stack,
            in("edx") 0usize,
            in("edi") 0usize,
        );
    }
    RawResult::negated(ret)
}

// The program entry. The kernel starts a process with `esp` pointing at argc. The i386 ABI
// passes arguments on the stack and wants `esp` 16-byte aligned at a `call`, so the stack is
// aligned down, padded with 12 bytes and given the one argument; `ebp` is cleared so that
// backtraces end here, and `edx` (a function the dynamic linker would register with atexit) is
// ignored since there is none.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    xor ebp, ebp",
    "    mov eax, esp",        // the initial stack: argc, argv..., envp..., auxv...
    "    and esp, -16",
    "    sub esp, 12",
    "    push eax",            // now `esp` is 16-byte aligned again
    "    call {entry}",
    "    ud2",                 // the entry never returns
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
