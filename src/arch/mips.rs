//! 32-bit MIPS, o32 ABI, either endian, releases 1 to 5 (`target_arch = "mips"`) and release 6
//! (`target_arch = "mips32r6"`).
//!
//! - Trap: `syscall`. Number in `$2` (`$v0`); arguments 1 to 4 in `$4`..`$7` (`$a0`..`$a3`).
//!   Arguments 5 and 6 go on the stack, at `16($sp)` and `20($sp)` as the trap finds `$sp`:
//!   the kernel reads the o32 argument area of its caller's frame. `syscall5` and `syscall6`
//!   open a 32-byte frame (keeping the 8-byte alignment), store them, trap, and close it.
//! - Result in `$2`. An error does not come back negated: the kernel sets `$7` (`$a3`) to a
//!   non-zero value and leaves the *positive* errno (1 to 1133, `EDQUOT`) in `$2`; on success
//!   `$7` is zero. Only `$7` tells a value from an errno: `$2` is never range-checked. `$7` is
//!   written by every call, even one with fewer than four arguments.
//! - The kernel clobbers `$1` (`$at`), `$3` (`$v1`, the second result of `pipe`), `$8`..`$15`
//!   (`$t0`..`$t7`), `$24` and `$25` (`$t8`, `$t9`), and `hi` and `lo`. It keeps `$4`..`$6`,
//!   `$16`..`$23`, `$gp`, `$sp`, `$fp` and `$ra`.
//! - clone takes `(flags, stack, parent_tid, tls, child_tid)`.
//! - vfork: the return address stays in `$ra` (or in a frame the parent has already written),
//!   so the child only has to leave the shared stack alone. It never leaves the asm block that
//!   cloned it: it finds the exec arguments, the signal mask and the failure word in
//!   `$16`..`$20`, which the kernel preserves and copies to the child, and either execs or
//!   exits. The parent writes the fifth clone argument (child_tid, zero) before the trap; the
//!   child only reads the stack, as every trap does. `clone_on_stack` gives the child its own
//!   stack, where it calls through `$25` with a 16-byte argument home area.
//!
//! rustc refuses `$0`, `$1` and `$26`..`$31` as operands and has no name at all for `hi` and
//! `lo`, so three of the kernel's clobbers cannot be declared. Each stub keeps them instead,
//! inside `.set noat`:
//!
//! - `$1`: LLVM allocates it like any other register and may keep a value there across the asm.
//!   The stub copies it to a scratch register of the compiler's choice before the trap and back
//!   after. Should the compiler pick `$1` itself, the scratch is an output, so LLVM already
//!   counts `$1` as overwritten and the two moves do nothing.
//! - `hi` and `lo`: `mfhi`/`mflo` into `$22` and `$23` before the trap, `mthi`/`mtlo` after. The
//!   two are named, not left to the compiler, because a scratch register it chose could be `$1`,
//!   which the kernel clobbers. Release 6 has no `hi` and `lo` (its multiply writes general
//!   registers): there `HI_LO` is 0 and `.if` leaves those four instructions out, while `$22`
//!   and `$23` stay declared, unused.

use core::arch::asm;
use core::ffi::{c_char, c_void};

use crate::nr;
use crate::raw::RawResult;

/// 1 where the CPU has the `hi` and `lo` registers, which the stubs then preserve; 0 on release
/// 6, which removed them. The stubs test it with `.if` at assembly time.
const HI_LO: u32 = if cfg!(target_arch = "mips32r6") { 0 } else { 1 };

#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: the caller upholds the system call's own contract; the asm names every register
    // the kernel writes, and restores `$at`, `hi` and `lo`, which rustc cannot name.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,                   // hi and lo, kept across the trap
            out("$23") _,
            inlateout("$2") nr => v0,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a0: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a0: usize, a1: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            in("$6") a2,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    let (v0, error): (usize, usize);
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            in("$6") a2,
            inlateout("$7") a3 => error,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack),
        );
    }
    RawResult::mips(v0, error)
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
    let (v0, error): (usize, usize);
    // SAFETY: as in `syscall0`; the asm opens and closes its own frame below the stack pointer,
    // so the caller's stack is untouched.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "addiu $sp, $sp, -32",
            "sw {a4}, 16($sp)",        // the fifth argument, where the kernel reads it
            "syscall",
            "addiu $sp, $sp, 32",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            a4 = in(reg) a4,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            in("$6") a2,
            inlateout("$7") a3 => error,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
        );
    }
    RawResult::mips(v0, error)
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
    let (v0, error): (usize, usize);
    // SAFETY: as in `syscall5`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "addiu $sp, $sp, -32",
            "sw {a4}, 16($sp)",        // the fifth and sixth arguments, where the kernel reads
            "sw {a5}, 20($sp)",        // them
            "syscall",
            "addiu $sp, $sp, 32",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            a4 = in(reg) a4,
            a5 = in(reg) a5,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            in("$6") a2,
            inlateout("$7") a3 => error,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
        );
    }
    RawResult::mips(v0, error)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the caller passes a call that does not return (exit, exit_group), so nothing the
    // kernel clobbers is ever read again.
    unsafe {
        asm!(
            "syscall",
            in("$2") nr,
            in("$4") a0,
            options(nostack, noreturn),
        );
    }
}

#[inline(always)]
pub(crate) unsafe fn syscall0_readonly(nr: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0`; the caller promises the call writes no memory of this process.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack, readonly),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall1_readonly(nr: usize, a0: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack, readonly),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall2_readonly(nr: usize, a0: usize, a1: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack, readonly),
        );
    }
    RawResult::mips(v0, a3)
}

#[inline(always)]
pub(crate) unsafe fn syscall3_readonly(nr: usize, a0: usize, a1: usize, a2: usize) -> RawResult {
    let (v0, a3): (usize, usize);
    // SAFETY: as in `syscall0_readonly`.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "syscall",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr => v0,
            in("$4") a0,
            in("$5") a1,
            in("$6") a2,
            lateout("$7") a3,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
            options(nostack, readonly),
        );
    }
    RawResult::mips(v0, a3)
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
    let (v0, error): (usize, usize);
    // SAFETY: the caller passes vfork flags and live pointers. The parent writes the fifth
    // argument before the clone; the child then runs only the instructions from the first
    // `bnez` to its `exit`, uses registers only (`$16`..`$20`, which the kernel preserves and
    // copies to the child) and writes nothing but `*failure`. The parent continues at label 2
    // with every register it did not declare as it was.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "addiu $sp, $sp, -32",
            "sw $zero, 16($sp)",            // child_tid, the fifth argument
            "syscall",                      // clone
            "bnez $2, 2f",                  // the parent: a pid or an errno, never 0
            "li $2, {rt_sigprocmask}",      // child: restore the parent's mask
            "li $4, {sig_setmask}",
            "move $5, $19",
            "move $6, $zero",
            "li $7, {sigset_size}",
            "syscall",
            "li $2, {execve}",
            "move $4, $16",
            "move $5, $17",
            "move $6, $18",
            "syscall",
            "sw $2, 0($20)",                // exec failed: the errno for the parent
            "li $2, {exit}",
            "li $4, 127",
            "syscall",
            "2:",
            "addiu $sp, $sp, 32",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            rt_sigprocmask = const nr::__NR_rt_sigprocmask,
            sig_setmask = const nr::SIG_SETMASK,
            sigset_size = const nr::_NSIG / 8,
            execve = const nr::__NR_execve,
            exit = const nr::__NR_exit,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr::__NR_clone as usize => v0,
            in("$4") flags,
            in("$5") 0usize,
            in("$6") 0usize,
            inlateout("$7") 0usize => error,
            in("$16") path,
            in("$17") argv,
            in("$18") envp,
            in("$19") mask,
            in("$20") failure,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
        );
    }
    RawResult::mips(v0, error)
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
    let (v0, error): (usize, usize);
    // SAFETY: the caller passes an 8-byte aligned stack top that nothing else uses while the
    // child runs. The parent continues at label 2 with every register it did not declare as it
    // was; the child never reaches label 2.
    unsafe {
        asm!(
            ".set push",
            ".set noat",
            "move {at}, $1",
            ".if {hi_lo}; mfhi $22; mflo $23; .endif",
            "addiu $sp, $sp, -32",
            "sw $zero, 16($sp)",            // child_tid, the fifth argument
            "syscall",                      // clone
            "bnez $2, 2f",                  // the parent: a pid or an errno, never 0
            "move $fp, $zero",              // child: the outermost frame of its stack
            "addiu $sp, $sp, -16",          // the callee's argument home area
            "move $4, $17",
            "move $25, $16",                // o32 calls hold the callee's address in $t9
            "jalr $25",
            "move $4, $2",
            "li $2, {exit}",
            "syscall",
            "break",
            "2:",
            "addiu $sp, $sp, 32",
            ".if {hi_lo}; mthi $22; mtlo $23; .endif",
            "move $1, {at}",
            ".set pop",
            hi_lo = const HI_LO,
            exit = const nr::__NR_exit,
            at = out(reg) _,
            out("$22") _,
            out("$23") _,
            inlateout("$2") nr::__NR_clone as usize => v0,
            in("$4") flags,
            in("$5") stack_top,
            in("$6") 0usize,
            inlateout("$7") 0usize => error,
            in("$16") entry as usize,
            in("$17") argument,
            lateout("$3") _,
            lateout("$8") _, lateout("$9") _, lateout("$10") _, lateout("$11") _,
            lateout("$12") _, lateout("$13") _, lateout("$14") _, lateout("$15") _,
            lateout("$24") _, lateout("$25") _,
        );
    }
    RawResult::mips(v0, error)
}

// The program entry. The kernel starts a process with `$sp` at argc. The code is static (link
// with `-C relocation-model=static`): addresses are formed with `%hi`/`%lo`. `$gp` gets the
// linker's `_gp` for any small-data access, `$fp` is cleared so that backtraces end here, and
// `$25` (`$t9`) holds the callee's address at the call, as o32 calls require. The caller of an
// o32 function reserves 16 bytes at the bottom of its frame for the callee to home `$a0`..`$a3`,
// and the stack is 8-byte aligned.
#[cfg(feature = "start")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    ".set push",
    ".set noreorder",          // the delay slot below is written out
    "_start:",
    "    lui $gp, %hi(_gp)",
    "    addiu $gp, $gp, %lo(_gp)",
    "    move $fp, $zero",
    "    move $4, $sp",            // the initial stack: argc, argv..., envp..., auxv...
    "    addiu $8, $zero, -8",
    "    and $sp, $sp, $8",
    "    addiu $sp, $sp, -16",     // the argument home area
    "    lui $25, %hi({entry})",
    "    addiu $25, $25, %lo({entry})",
    "    jalr $25",
    "    nop",                     // delay slot
    "    break",                   // the entry never returns
    ".set pop",
    ".size _start, . - _start",
    entry = sym crate::start::entry,
);
