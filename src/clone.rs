//! vfork-style process creation: `clone(CLONE_VM | CLONE_VFORK | SIGCHLD)`.
//!
//! A child created this way shares the parent's memory and the parent's thread is suspended
//! until the child calls `execve` or exits. Nothing is copied, so starting a program costs the
//! same from a process of 16 MiB as from one of 8 GiB, and there is no commit charge for a copy
//! that would never be used (so no `ENOMEM` under strict overcommit where `fork` fails).
//!
//! Sharing memory makes the child dangerous: whatever it writes, the parent sees, and if it ran
//! ordinary code on the parent's stack it could overwrite the parent's frames. rawsys offers
//! two sound forms:
//!
//! - [`vfork_exec`]: one assembly stub per architecture performs the clone and, in the child,
//!   everything up to `execve` and `exit`. No Rust code runs in the child and the child never
//!   touches the stack: it only moves registers, traps, and on failure stores the error word
//!   where the parent will read it.
//! - [`vfork_clone`]: the child runs a Rust closure on a stack of its own, a [`ChildStack`]
//!   the caller lends for the duration of the call.
//!
//! Both block every signal across the clone, so that no handler of the parent runs in the
//! child, and restore the parent's mask afterwards. [`wait4`] and [`waitid`] collect children
//! and describe how they ended with an [`ExitStatus`].

use core::ffi::{CStr, c_char, c_void};
use core::mem::MaybeUninit;

use crate::errno::Errno;
use crate::nr;

/// A process id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Pid(u32);

impl Pid {
    /// A `Pid` from its number.
    pub const fn from_raw(raw: u32) -> Pid {
        Pid(raw)
    }

    /// The number.
    pub const fn raw(self) -> u32 {
        self.0
    }
}

/// The clone flags of both forms. Without `CLONE_VFORK` the parent would run on at once,
/// beside a child that shares its memory: the negative control of the real-kernel harness
/// builds exactly that (`--cfg rawsys_broken_vfork`) and expects the tests to notice.
#[cfg(not(rawsys_broken_vfork))]
const VFORK_FLAGS: usize = (nr::CLONE_VM | nr::CLONE_VFORK | nr::SIGCHLD) as usize;
#[cfg(rawsys_broken_vfork)]
const VFORK_FLAGS: usize = (nr::CLONE_VM | nr::SIGCHLD) as usize;

/// A kernel signal set: `_NSIG` bits in words of `unsigned long` (`_NSIG` is 64, or 128 on
/// MIPS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct SignalSet([usize; SIGNAL_WORDS]);

const SIGNAL_WORDS: usize = nr::_NSIG as usize / usize::BITS as usize;
const SIGNAL_SET_BYTES: usize = nr::_NSIG as usize / 8;
static_assertions::const_assert_eq!(core::mem::size_of::<SignalSet>(), SIGNAL_SET_BYTES);

impl SignalSet {
    /// No signal.
    pub const fn empty() -> SignalSet {
        SignalSet([0; SIGNAL_WORDS])
    }

    /// Every signal (the kernel never blocks SIGKILL and SIGSTOP, whatever the set says).
    pub const fn full() -> SignalSet {
        SignalSet([usize::MAX; SIGNAL_WORDS])
    }

    /// Adds `signal` (1 to `_NSIG`); a number out of range is ignored.
    pub fn insert(&mut self, signal: u32) {
        if let Some((word, bit)) = self.position_mut(signal) {
            *word |= bit;
        }
    }

    /// Removes `signal`.
    pub fn remove(&mut self, signal: u32) {
        if let Some((word, bit)) = self.position_mut(signal) {
            *word &= !bit;
        }
    }

    /// Whether `signal` is in the set.
    pub fn contains(&self, signal: u32) -> bool {
        Self::position(signal)
            .and_then(|(word, bit)| self.0.get(word).map(|word| word & bit != 0))
            .unwrap_or(false)
    }

    // Spawn's child calls these: no indexing that could panic, `get` instead.
    fn position_mut(&mut self, signal: u32) -> Option<(&mut usize, usize)> {
        let (word, bit) = Self::position(signal)?;
        Some((self.0.get_mut(word)?, bit))
    }

    fn position(signal: u32) -> Option<(usize, usize)> {
        if signal == 0 || signal > nr::_NSIG {
            return None;
        }
        let index = (signal - 1) as usize;
        Some((index / usize::BITS as usize, 1 << (index % usize::BITS as usize)))
    }
}

/// `rt_sigprocmask(how, set, old)`.
pub fn sigprocmask(how: u32, set: Option<&SignalSet>) -> Result<SignalSet, Errno> {
    let mut old = SignalSet::empty();
    let set = set.map_or(0, |set| set as *const SignalSet as usize);
    // SAFETY: both sets are `_NSIG / 8` bytes; the kernel reads one and writes the other.
    unsafe {
        crate::syscall4(
            nr::__NR_rt_sigprocmask,
            how as usize,
            set,
            &mut old as *mut SignalSet as usize,
            SIGNAL_SET_BYTES,
        )
    }?;
    Ok(old)
}

/// Blocks every signal until dropped, then restores the mask it found.
struct SignalsBlocked {
    previous: SignalSet,
}

impl SignalsBlocked {
    fn new() -> Result<SignalsBlocked, Errno> {
        let previous = sigprocmask(nr::SIG_SETMASK, Some(&SignalSet::full()))?;
        Ok(SignalsBlocked { previous })
    }
}

impl Drop for SignalsBlocked {
    fn drop(&mut self) {
        // Restoring a mask read a moment ago cannot fail.
        let _ = sigprocmask(nr::SIG_SETMASK, Some(&self.previous));
    }
}

/// The errno in the word a failed `execve` left in its result register: negated on most
/// architectures, positive on those that flag errors out of band.
fn errno_of_failed_execve(word: usize) -> Errno {
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "sparc",
        target_arch = "sparc64"
    ))]
    let number = word;
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
    let number = word.wrapping_neg();
    Errno::from_raw(number as u32)
}

/// Starts `path` with `argv` and `envp` in a vfork child, and returns its pid once it runs the
/// new program.
///
/// The child is created with `CLONE_VM | CLONE_VFORK | SIGCHLD` on the caller's stack, and one
/// assembly stub does its whole life: restore the signal mask, `execve`, and on failure store
/// the error where the parent reads it and `exit(127)`. The parent resumes when the child has
/// exec'd or exited. A failed exec is returned as its errno (`ENOENT`, `EACCES`, `ENOEXEC`,
/// ...) after the child has been reaped, so no zombie is left. On success the caller owns the
/// child and must wait for it.
///
/// `argv` and `envp` must end with a null pointer; if one does not, nothing is started and the
/// result is `EINVAL`.
///
/// # Safety
///
/// Every non-null pointer in `argv` and `envp` must point to a NUL-terminated string that
/// stays valid for the call.
///
/// # Limitations
///
/// The child restores the parent's signal mask just before `execve`. A signal that arrives in
/// the few instructions between the two, and that has a handler installed, runs that handler
/// in the child (on the child's part of the shared stack, below the parent's frames). Where
/// handlers must never run in a child, use a spawn that resets them first.
pub unsafe fn vfork_exec(
    path: &CStr,
    argv: &[*const c_char],
    envp: &[*const c_char],
) -> Result<Pid, Errno> {
    if argv.last().is_none_or(|last| !last.is_null())
        || envp.last().is_none_or(|last| !last.is_null())
    {
        return Err(Errno::EINVAL);
    }
    let blocked = SignalsBlocked::new()?;
    // Written by the child only when execve fails; execve never returns zero.
    let mut failure: usize = 0;

    // SAFETY: the stub's child only restores the mask, execs and exits, touching no memory but
    // `failure`; the strings are the caller's promise; `failure` and the mask outlive the
    // child, which has exec'd or exited when the stub returns in the parent.
    let cloned = unsafe {
        crate::arch::vfork_execve(
            VFORK_FLAGS,
            path.as_ptr(),
            argv.as_ptr(),
            envp.as_ptr(),
            &blocked.previous as *const SignalSet as *const usize,
            &mut failure,
        )
    };
    drop(blocked);

    let pid = Pid(cloned.decode()? as u32);
    // SAFETY: `failure` is a live local; the volatile read keeps the compiler from assuming
    // nothing wrote it, since the write came from another process sharing this memory.
    let failure = unsafe { core::ptr::read_volatile(&failure) };
    if failure != 0 {
        reap(pid);
        return Err(errno_of_failed_execve(failure));
    }
    Ok(pid)
}

/// Waits for the child `pid` of a failed start, through any signal that interrupts the wait,
/// so that no zombie is left.
pub(crate) fn reap(pid: Pid) {
    while waitid(WaitTarget::Pid(pid), nr::WEXITED) == Err(Errno::EINTR) {}
}

/// The smallest [`ChildStack`] accepted: room for the closure's frames on every architecture,
/// the largest ABI frames (sparc64, powerpc64) included.
pub const MIN_CHILD_STACK: usize = 8 * 1024;

/// Memory the child of [`vfork_clone`] runs on: `SIZE` bytes, 16-byte aligned, which every
/// architecture's call ABI accepts. `SIZE` must be at least [`MIN_CHILD_STACK`] and a multiple
/// of 16, or `new` does not compile.
///
/// The parent is suspended while the child runs, so the stack may live in the parent's own
/// frame; nothing guards its end, so the child must stay within it.
#[repr(C, align(16))]
pub struct ChildStack<const SIZE: usize = { 32 * 1024 }> {
    bytes: [MaybeUninit<u8>; SIZE],
}

impl<const SIZE: usize> ChildStack<SIZE> {
    /// A stack, uninitialised.
    pub const fn new() -> ChildStack<SIZE> {
        const {
            assert!(SIZE >= MIN_CHILD_STACK, "a ChildStack must be at least MIN_CHILD_STACK");
            assert!(SIZE % 16 == 0, "a ChildStack's size must be a multiple of 16");
        }
        ChildStack { bytes: [MaybeUninit::uninit(); SIZE] }
    }

    /// The highest address, where a downward-growing stack starts: 16-byte aligned.
    fn top(&mut self) -> *mut u8 {
        // SAFETY: one past the end of the array, which `add` may produce.
        unsafe { self.bytes.as_mut_ptr().add(SIZE).cast() }
    }
}

impl<const SIZE: usize> Default for ChildStack<SIZE> {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs the closure behind `closure` in the child and returns its exit status.
unsafe extern "C" fn run_child<F: FnMut() -> i32>(closure: *mut c_void) -> i32 {
    // SAFETY: `vfork_clone` passes a pointer to its `F`, alive while the parent is suspended.
    let closure = unsafe { &mut *closure.cast::<F>() };
    closure()
}

/// Runs `child` in a vfork child on `stack`, and returns the child's pid once it has exec'd or
/// exited. The child exits with the closure's return value.
///
/// All signals are blocked before the clone and the parent's mask is restored after it; the
/// child starts with every signal blocked (see below).
///
/// # Safety
///
/// The closure runs in another process that shares this one's memory while this thread is
/// suspended; other threads of the parent keep running. The caller promises that the closure:
///
/// - neither allocates nor takes a lock, and calls nothing that might (another thread of the
///   parent may hold it, and the child would wait for ever);
/// - does not panic, or the process is built with `panic = "abort"`, which then ends only
///   the child; unwinding out of the closure is undefined behaviour;
/// - stays within `stack` (nothing guards its end);
/// - writes only memory the parent expects it to write, knowing that every write is seen by
///   the parent;
/// - ends by returning, by `execve`, or by `exit`; never by `exit_group` of the parent's
///   threads, and never by returning into code of the parent by other means.
///
/// The child inherits the blocked mask: to give a new program the parent's mask, restore it
/// (the one [`sigprocmask`] reported before the call) just before `execve`; a handler of the
/// parent would otherwise be able to run in the child.
pub unsafe fn vfork_clone<const SIZE: usize, F: FnMut() -> i32>(
    stack: &mut ChildStack<SIZE>,
    child: &mut F,
) -> Result<Pid, Errno> {
    let blocked = SignalsBlocked::new()?;
    // SAFETY: the child runs `run_child::<F>` on `stack`, which nothing else uses during the
    // call; `child` outlives the child's run, since the parent is suspended until it ends.
    let cloned = unsafe {
        crate::arch::clone_on_stack(
            VFORK_FLAGS,
            stack.top(),
            run_child::<F>,
            (child as *mut F).cast::<c_void>(),
        )
    };
    drop(blocked);
    Ok(Pid(cloned.decode()? as u32))
}

/// How a child ended, or changed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExitStatus {
    /// It called `exit` with this status (0 to 255).
    Exited(u8),
    /// A signal killed it.
    Killed(u32),
    /// A signal killed it and it dumped core.
    CoreDumped(u32),
    /// A signal stopped it (reported with `WUNTRACED`/`WSTOPPED`).
    Stopped(u32),
    /// `SIGCONT` resumed it (reported with `WCONTINUED`).
    Continued,
}

impl ExitStatus {
    /// Decodes the status word of `wait4`.
    pub const fn from_wait_status(status: i32) -> ExitStatus {
        let low = status & 0x7f;
        let high = ((status >> 8) & 0xff) as u32;
        if status == 0xffff {
            ExitStatus::Continued
        } else if status & 0xff == 0x7f {
            ExitStatus::Stopped(high)
        } else if low == 0 {
            ExitStatus::Exited(high as u8)
        } else if status & 0x80 != 0 {
            ExitStatus::CoreDumped(low as u32)
        } else {
            ExitStatus::Killed(low as u32)
        }
    }

    /// Decodes `si_code` and `si_status` of a `SIGCHLD` siginfo, as `waitid` fills it. Returns
    /// `None` for a code that is not a child's.
    pub const fn from_siginfo(code: i32, status: i32) -> Option<ExitStatus> {
        let signal = status as u32;
        match code as u32 {
            nr::CLD_EXITED => Some(ExitStatus::Exited(status as u8)),
            nr::CLD_KILLED => Some(ExitStatus::Killed(signal)),
            nr::CLD_DUMPED => Some(ExitStatus::CoreDumped(signal)),
            nr::CLD_STOPPED | nr::CLD_TRAPPED => Some(ExitStatus::Stopped(signal)),
            nr::CLD_CONTINUED => Some(ExitStatus::Continued),
            _ => None,
        }
    }

    /// The exit status, if the child exited.
    pub const fn code(self) -> Option<u8> {
        match self {
            ExitStatus::Exited(code) => Some(code),
            _ => None,
        }
    }
}

/// Which children [`waitid`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitTarget {
    /// Any child.
    Any,
    /// The child with this pid.
    Pid(Pid),
    /// Any child in this process group.
    ProcessGroup(Pid),
}

/// `siginfo_t` as `waitid` fills it for a child: three ints (on MIPS `si_code` comes before
/// `si_errno`), then, aligned to a pointer (8 bytes on x32 too), the child's pid, uid and
/// status.
#[repr(C)]
struct ChildInfo {
    words: [i32; 32],
}

const CHILD_INFO_UNION: usize =
    if cfg!(any(target_pointer_width = "64", target_arch = "x86_64")) { 4 } else { 3 };
#[cfg(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6"
))]
const CHILD_INFO_CODE: usize = 1;
#[cfg(not(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6"
)))]
const CHILD_INFO_CODE: usize = 2;

/// Waits for a child to change state, as `options` (`WEXITED`, `WSTOPPED`, `WCONTINUED`,
/// `WNOHANG`, `WNOWAIT` from [`nr`]) asks. Returns `None` when `WNOHANG` is given and no child
/// has changed state yet. Available on every architecture, riscv32 included (it has no
/// `wait4`).
pub fn waitid(target: WaitTarget, options: u32) -> Result<Option<(Pid, ExitStatus)>, Errno> {
    let (kind, id) = match target {
        WaitTarget::Any => (nr::P_ALL, 0),
        WaitTarget::Pid(pid) => (nr::P_PID, pid.raw()),
        WaitTarget::ProcessGroup(group) => (nr::P_PGID, group.raw()),
    };
    let mut info = ChildInfo { words: [0; 32] };
    // SAFETY: waitid writes at most a 128-byte siginfo_t into `info`; no rusage is asked for.
    unsafe {
        crate::syscall5(
            nr::__NR_waitid,
            kind as usize,
            id as usize,
            &mut info as *mut ChildInfo as usize,
            options as usize,
            0,
        )
    }?;
    let pid = info.words[CHILD_INFO_UNION];
    if pid == 0 {
        return Ok(None);
    }
    let code = info.words[CHILD_INFO_CODE];
    let status = info.words[CHILD_INFO_UNION + 2];
    match ExitStatus::from_siginfo(code, status) {
        Some(exit) => Ok(Some((Pid(pid as u32), exit))),
        None => Err(Errno::EINVAL),
    }
}

/// `wait4(pid, &status, options, NULL)`: waits for the child `pid` (or any child for -1, a
/// process group for other negative values), as `options` (`WNOHANG`, `WUNTRACED`,
/// `WCONTINUED`, `__WALL`) asks. Returns `None` under `WNOHANG` when no child has changed
/// state.
///
/// riscv32 has no `wait4`; use [`waitid`] there.
#[cfg(not(target_arch = "riscv32"))]
pub fn wait4(pid: i32, options: u32) -> Result<Option<(Pid, ExitStatus)>, Errno> {
    let mut status: i32 = 0;
    // SAFETY: wait4 writes one int into `status`; no rusage is asked for.
    let child = unsafe {
        crate::syscall4(
            nr::__NR_wait4,
            pid as isize as usize,
            &mut status as *mut i32 as usize,
            options as usize,
            0,
        )
    }?;
    if child == 0 {
        return Ok(None);
    }
    Ok(Some((Pid(child as u32), ExitStatus::from_wait_status(status))))
}
