//! Undecoded system calls, for callers who want the kernel's answer as it came back.
//!
//! Each stub returns a [`RawResult`]: the result register and, on the architectures that signal
//! failure out of band (MIPS, PowerPC, SPARC), the flag that tells a value from an errno.
//! [`RawResult::decode`] turns it into a `Result` with the architecture's own decoder. The
//! decoded functions at the crate root are these stubs followed by `decode`, inlined.

use crate::errno::Errno;

use crate::arch;

// One contract covers every stub below, so it is written once here and each `# Safety` section
// points at it.
//
// A system call can do anything the process could do: write through the pointers it is given,
// unmap or remap memory, close descriptors that other code owns, end the process. The caller of
// any stub promises that the call with these arguments is sound for this program: the number
// is this architecture's, every pointer is valid for what the call does with it, and nothing
// the call changes breaks an invariant that Rust code relies on.

/// A system call with no arguments, undecoded.
///
/// # Safety
///
/// The call must be sound for this program, as for any system call: see the [module](self)
/// documentation.
#[inline(always)]
pub unsafe fn syscall0(nr: u32) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall0(nr as usize) }
}

/// A system call with one argument, undecoded.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall1(nr: u32, a0: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall1(nr as usize, a0) }
}

/// A system call with two arguments, undecoded.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall2(nr: u32, a0: usize, a1: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall2(nr as usize, a0, a1) }
}

/// A system call with three arguments, undecoded.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall3(nr: u32, a0: usize, a1: usize, a2: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall3(nr as usize, a0, a1, a2) }
}

/// A system call with four arguments, undecoded.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall4(nr: u32, a0: usize, a1: usize, a2: usize, a3: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall4(nr as usize, a0, a1, a2, a3) }
}

/// A system call with five arguments, undecoded.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall5(
    nr: u32,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall5(nr as usize, a0, a1, a2, a3, a4) }
}

/// A system call with six arguments, undecoded.
///
/// On MIPS o32 the fifth and sixth arguments travel on the stack; the stub places them there.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall6(
    nr: u32,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall6(nr as usize, a0, a1, a2, a3, a4, a5) }
}

/// A system call with one argument that never returns: `exit` or `exit_group`.
///
/// # Safety
///
/// As for [`syscall0`], and the call must not return. Ending the process or the thread skips
/// every destructor still pending.
#[inline(always)]
pub unsafe fn syscall1_noreturn(nr: u32, a0: usize) -> ! {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall1_noreturn(nr as usize, a0) }
}

/// A system call with no arguments that writes no memory of this process (`getpid`,
/// `getppid`, `gettid`), undecoded. The compiler may keep values in memory across it.
///
/// # Safety
///
/// As for [`syscall0`], and the call must not write any memory this process can read.
#[inline(always)]
pub unsafe fn syscall0_readonly(nr: u32) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall0_readonly(nr as usize) }
}

/// A system call with one argument that writes no memory of this process, undecoded.
///
/// # Safety
///
/// As for [`syscall0_readonly`].
#[inline(always)]
pub unsafe fn syscall1_readonly(nr: u32, a0: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall1_readonly(nr as usize, a0) }
}

/// A system call with two arguments that writes no memory of this process, undecoded.
///
/// # Safety
///
/// As for [`syscall0_readonly`].
#[inline(always)]
pub unsafe fn syscall2_readonly(nr: u32, a0: usize, a1: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall2_readonly(nr as usize, a0, a1) }
}

/// A system call with three arguments that writes no memory of this process (`write`,
/// `lseek`), undecoded.
///
/// # Safety
///
/// As for [`syscall0_readonly`].
#[inline(always)]
pub unsafe fn syscall3_readonly(nr: u32, a0: usize, a1: usize, a2: usize) -> RawResult {
    // SAFETY: the caller's promise is the stub's contract.
    unsafe { arch::syscall3_readonly(nr as usize, a0, a1, a2) }
}

/// What a system call handed back, before decoding.
///
/// On architectures with the negated convention this is one word, and costs nothing over a bare
/// `usize`. On MIPS it also holds `$a3`, on PowerPC the condition register, on SPARC the carry
/// flag: the kernel's answer is not complete without them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct RawResult {
    value: usize,
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    a3: usize,
    #[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))]
    cr: u32,
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    carry: bool,
}

impl RawResult {
    /// A result under the negated convention.
    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "sparc",
        target_arch = "sparc64"
    )))]
    #[inline(always)]
    pub const fn negated(value: usize) -> RawResult {
        RawResult { value }
    }

    /// A result under the MIPS convention: `$v0` and `$a3`.
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    #[inline(always)]
    pub const fn mips(v0: usize, a3: usize) -> RawResult {
        RawResult { value: v0, a3 }
    }

    /// A result under the PowerPC convention: `r3` and the condition register as `mfcr` reads it.
    #[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))]
    #[inline(always)]
    pub const fn powerpc(r3: usize, cr: u32) -> RawResult {
        RawResult { value: r3, cr }
    }

    /// A result under the SPARC convention: `%o0` and the carry flag.
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    #[inline(always)]
    pub const fn sparc(o0: usize, carry: bool) -> RawResult {
        RawResult { value: o0, carry }
    }

    /// The result register as the kernel left it: a value, or an errno in this architecture's
    /// encoding (negated, or positive with a flag beside it).
    #[inline(always)]
    pub const fn value(self) -> usize {
        self.value
    }

    /// Decodes the result with this architecture's convention.
    #[inline(always)]
    pub const fn decode(self) -> Result<usize, Errno> {
        #[cfg(rawsys_broken_decoder)]
        {
            // A deliberately wrong decoder for the harness's negative control: every answer is
            // taken for a value, so tests that expect an errno must fail.
            Ok(self.value)
        }
        #[cfg(not(rawsys_broken_decoder))]
        {
            self.decode_for_this_arch()
        }
    }

    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "sparc",
        target_arch = "sparc64"
    )))]
    #[inline(always)]
    const fn decode_for_this_arch(self) -> Result<usize, Errno> {
        crate::errno::decode_negated(self.value)
    }

    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    #[inline(always)]
    const fn decode_for_this_arch(self) -> Result<usize, Errno> {
        crate::errno::decode_mips(self.value, self.a3)
    }

    #[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))]
    #[inline(always)]
    const fn decode_for_this_arch(self) -> Result<usize, Errno> {
        crate::errno::decode_powerpc(self.value, self.cr)
    }

    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    #[inline(always)]
    const fn decode_for_this_arch(self) -> Result<usize, Errno> {
        crate::errno::decode_sparc(self.value, self.carry)
    }
}
