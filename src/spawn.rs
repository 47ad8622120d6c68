//! `spawn`: a `posix_spawn` without libc, for init systems and supervisors.
//!
//! A [`Spawn`] describes a start from borrowed data, without allocation: the program (a path,
//! or a name searched in a `PATH` the caller gives), `argv`, `envp`, and [`Action`]s the child
//! performs in order before `execve`: descriptors (dup2, close, open, close every descriptor
//! from N up), working directory, session and process group, credentials, resource limits,
//! parent-death signal, signal mask and dispositions.
//!
//! The child is a [`vfork_clone`](crate::vfork_clone) child: it shares the parent's memory and
//! the parent's thread waits until it has exec'd or exited, so a start costs the same from a
//! process of any size and needs no commit charge for a copy. Its stack is a [`ChildStack`] the
//! caller lends ([`Spawn::spawn_on`]) or one in the call's own frame ([`Spawn::spawn`]): no
//! `mmap` per start.
//!
//! **Signals.** Every signal is blocked from before the clone until the child's `execve`, and
//! in the child every signal that has a handler in the parent is reset to `SIG_DFL` before the
//! mask is restored: no handler of the parent can run in the child. The caller can name the
//! signals it has handlers for ([`Spawn::handled_signals`]): the child then resets only those,
//! a few system calls. When it does not, `spawn` asks the kernel for every signal's disposition
//! before the clone (`_NSIG - 1` calls of `rt_sigaction`) and resets those that have a handler.
//!
//! **Errors.** A failed start returns a [`SpawnError`]: which step failed (the index and kind of
//! the action, or the exec, or the setup in the parent) and its errno. The child of a failed
//! start has been reaped, and no descriptor of it is left in the parent.
//!
//! ```
//! use rawsys::spawn::{Action, Spawn};
//! use rawsys::clone::{WaitTarget, waitid};
//! use rawsys::{ExitStatus, nr};
//!
//! let argv = [c"sh".as_ptr(), c"-c".as_ptr(), c"exit 3".as_ptr(), core::ptr::null()];
//! let envp = [core::ptr::null()];
//! let actions = [Action::Chdir(c"/"), Action::Setsid];
//! let spawn = Spawn::new(c"/bin/sh", &argv, &envp).actions(&actions);
//! // SAFETY: argv and envp hold live C strings and end with null.
//! let pid = unsafe { spawn.spawn() }.expect("spawn");
//! let status = waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap();
//! assert_eq!(status, Some((pid, ExitStatus::Exited(3))));
//!
//! let failed = unsafe { Spawn::new(c"/no/such", &argv, &envp).spawn() }.unwrap_err();
//! assert_eq!(failed.to_string(), "exec failed: ENOENT: no such file or directory");
//! ```
//!
//! # Limitations
//!
//! - Under qemu-user, which emulates `CLONE_VM | CLONE_VFORK` with a plain fork, the child's
//!   report does not reach the parent: a failed start there looks like a child that exited
//!   with 127.
//! - A PATH search does not run a file that fails with `ENOEXEC` through `/bin/sh`.

use core::ffi::{CStr, c_char};
use core::fmt;
use core::ptr;

use crate::clone::{ChildStack, Pid, SignalSet, sigprocmask, vfork_clone};
use crate::errno::Errno;
use crate::nr;

/// A descriptor number.
pub type RawFd = i32;

/// One step the child performs before `execve`, in the order given.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// `dup2(from, to)`. When `from == to`, clears `FD_CLOEXEC` on it instead, so that the
    /// descriptor survives the exec.
    Dup2 {
        /// The descriptor to copy.
        from: RawFd,
        /// The number it gets in the child.
        to: RawFd,
    },
    /// `close(fd)`; a descriptor that is not open is an error (`EBADF`).
    Close(RawFd),
    /// Opens `path` with `flags` and `mode` and places it at `fd`.
    Open {
        /// The number the opened file gets.
        fd: RawFd,
        /// The path.
        path: &'a CStr,
        /// `O_*` flags.
        flags: u32,
        /// The mode for a created file.
        mode: u32,
    },
    /// `chdir(path)`.
    Chdir(&'a CStr),
    /// `fchdir(fd)`.
    Fchdir(RawFd),
    /// `setsid()`: a new session and process group, led by the child.
    Setsid,
    /// `setpgid(0, group)`: 0 makes the child lead a new group.
    Setpgid(u32),
    /// The signal mask the program starts with; without this action it is the parent's.
    SetSignalMask(SignalSet),
    /// Resets these signals to `SIG_DFL` (ignored ones included), beyond those with handlers.
    ResetSignals(SignalSet),
    /// `setgroups(groups)`: the supplementary groups.
    SetGroups(&'a [u32]),
    /// `setgid(gid)`.
    SetGid(u32),
    /// `setuid(uid)`.
    SetUid(u32),
    /// `prlimit64(0, resource, {soft, hard})`.
    SetRlimit {
        /// `RLIMIT_*`.
        resource: u32,
        /// The soft limit.
        soft: u64,
        /// The hard limit.
        hard: u64,
    },
    /// `prctl(PR_SET_PDEATHSIG, signal)`: the signal the child receives when the parent dies.
    ParentDeathSignal(u32),
    /// Closes every descriptor from this one up (`close_range`, or one by one where the kernel
    /// lacks it).
    CloseFrom(RawFd),
}

/// The kind of an [`Action`], as a [`SpawnError`] reports it.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Dup2,
    Close,
    Open,
    Chdir,
    Fchdir,
    Setsid,
    Setpgid,
    SetSignalMask,
    ResetSignals,
    SetGroups,
    SetGid,
    SetUid,
    SetRlimit,
    ParentDeathSignal,
    CloseFrom,
}

impl Action<'_> {
    /// This action's kind.
    pub const fn kind(&self) -> ActionKind {
        match self {
            Action::Dup2 { .. } => ActionKind::Dup2,
            Action::Close(_) => ActionKind::Close,
            Action::Open { .. } => ActionKind::Open,
            Action::Chdir(_) => ActionKind::Chdir,
            Action::Fchdir(_) => ActionKind::Fchdir,
            Action::Setsid => ActionKind::Setsid,
            Action::Setpgid(_) => ActionKind::Setpgid,
            Action::SetSignalMask(_) => ActionKind::SetSignalMask,
            Action::ResetSignals(_) => ActionKind::ResetSignals,
            Action::SetGroups(_) => ActionKind::SetGroups,
            Action::SetGid(_) => ActionKind::SetGid,
            Action::SetUid(_) => ActionKind::SetUid,
            Action::SetRlimit { .. } => ActionKind::SetRlimit,
            Action::ParentDeathSignal(_) => ActionKind::ParentDeathSignal,
            Action::CloseFrom(_) => ActionKind::CloseFrom,
        }
    }
}

/// Which step of a start failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailedStep {
    /// The parent could not prepare the start: blocking signals, reading dispositions, or the
    /// clone itself.
    Setup,
    /// The child's reset of signal dispositions.
    SignalReset,
    /// Action `index` of the list, of this kind.
    Action {
        /// The position in the list given to [`Spawn::actions`].
        index: usize,
        /// What it was.
        kind: ActionKind,
    },
    /// `execve` (for a PATH search: the last error that ends the search).
    Exec,
}

/// A start that failed: the step and its errno. Nothing of it is left behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpawnError {
    /// Which step failed.
    pub step: FailedStep,
    /// Why.
    pub errno: Errno,
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            FailedStep::Setup => write!(f, "spawn setup failed: {}", self.errno),
            FailedStep::SignalReset => write!(f, "signal reset failed: {}", self.errno),
            FailedStep::Action { index, kind } => {
                write!(f, "action {index} ({kind:?}) failed: {}", self.errno)
            }
            FailedStep::Exec => write!(f, "exec failed: {}", self.errno),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SpawnError {}

/// The program to run.
#[derive(Clone, Copy, Debug)]
enum Program<'a> {
    Path(&'a CStr),
    Search { name: &'a CStr, path: &'a [u8] },
}

/// Which signals have handlers in the parent.
#[derive(Clone, Copy, Debug)]
enum Handled {
    Given(SignalSet),
    Discover,
}

/// The longest path a PATH search builds (`PATH_MAX`, with its NUL).
const SEARCH_BUFFER: usize = 4096;

/// A start: program, arguments, environment, and the actions the child performs.
#[derive(Clone, Copy, Debug)]
pub struct Spawn<'a> {
    program: Program<'a>,
    argv: &'a [*const c_char],
    envp: &'a [*const c_char],
    actions: &'a [Action<'a>],
    handled: Handled,
}

/// The size of the stack [`Spawn::spawn`] keeps in its own frame.
pub const SPAWN_STACK: usize = 16 * 1024;

impl<'a> Spawn<'a> {
    /// Runs the program at `path`. `argv` and `envp` must end with a null pointer.
    pub const fn new(
        path: &'a CStr,
        argv: &'a [*const c_char],
        envp: &'a [*const c_char],
    ) -> Spawn<'a> {
        Spawn { program: Program::Path(path), argv, envp, actions: &[], handled: Handled::Discover }
    }

    /// Runs `name` found in `path` (the value of a `PATH` variable: directories separated by
    /// `:`, an empty one meaning the working directory) with the rules of `execvp`: a name with
    /// a `/` is used as it is; otherwise each directory is tried in turn, going on past
    /// `ENOENT`, `ENOTDIR` and `EACCES`, and stopping at any other error. If no directory
    /// holds a program, the error is `EACCES` when one was found but not executable, else
    /// `ENOENT`.
    pub const fn search(
        name: &'a CStr,
        path: &'a [u8],
        argv: &'a [*const c_char],
        envp: &'a [*const c_char],
    ) -> Spawn<'a> {
        Spawn {
            program: Program::Search { name, path },
            argv,
            envp,
            actions: &[],
            handled: Handled::Discover,
        }
    }

    /// The actions the child performs, in order, before `execve`.
    pub const fn actions(mut self, actions: &'a [Action<'a>]) -> Spawn<'a> {
        self.actions = actions;
        self
    }

    /// The signals that have handlers in this process. The child resets exactly these to
    /// `SIG_DFL`; without this call, `spawn` reads every signal's disposition first. A set
    /// that misses a handled signal lets that handler run in the child, should the signal
    /// arrive in the instant between the child's mask restore and its `execve`.
    pub const fn handled_signals(mut self, handled: SignalSet) -> Spawn<'a> {
        self.handled = Handled::Given(handled);
        self
    }

    /// Starts the program with a child stack of [`SPAWN_STACK`] bytes in this call's frame.
    ///
    /// # Safety
    ///
    /// As for [`spawn_on`](Self::spawn_on).
    pub unsafe fn spawn(&self) -> Result<Pid, SpawnError> {
        let mut stack = ChildStack::<SPAWN_STACK>::new();
        // SAFETY: the caller's promise, and a stack of the documented size.
        unsafe { self.spawn_on(&mut stack) }
    }

    /// Starts the program, the child running on `stack` until it execs.
    ///
    /// # Safety
    ///
    /// Every non-null pointer in `argv` and `envp` must point to a NUL-terminated string that
    /// stays valid for the call. The actions act on the child only, but with the parent's
    /// resources: a `Close` of a descriptor another thread of the parent uses is harmless to
    /// that thread (the child has its own descriptor table), an `Open` of a FIFO may block the
    /// start until a writer comes.
    pub unsafe fn spawn_on<const SIZE: usize>(
        &self,
        stack: &mut ChildStack<SIZE>,
    ) -> Result<Pid, SpawnError> {
        let setup = |errno| SpawnError { step: FailedStep::Setup, errno };
        if self.argv.last().is_none_or(|last| !last.is_null())
            || self.envp.last().is_none_or(|last| !last.is_null())
        {
            return Err(setup(Errno::EINVAL));
        }
        let handled = match self.handled {
            Handled::Given(set) => set,
            Handled::Discover => handled_signals().map_err(setup)?,
        };
        // The mask the program starts with: the caller's, unless an action sets another.
        // Read it before the clone blocks everything.
        let parent_mask = sigprocmask(nr::SIG_BLOCK, None).map_err(setup)?;

        let mut report = Report { step: 0, errno: 0 };
        let mut search_buffer = [0u8; SEARCH_BUFFER];
        let mut child = || {
            let outcome = self.run_child(&handled, parent_mask, &mut search_buffer);
            // Only reached on failure: an exec that works does not return.
            // SAFETY: `report` lives in the parent's frame, which outlives the child's run.
            unsafe { ptr::write_volatile(&mut report, outcome) };
            127
        };
        // SAFETY: the closure allocates nothing, takes no lock and has no panicking path: it
        // makes system calls, walks the caller's slices with iterators and writes `report`
        // and `search_buffer`, which the parent reads only after the child has ended or
        // exec'd. The stack is the caller's.
        let pid = unsafe { vfork_clone(stack, &mut child) }.map_err(setup)?;

        // SAFETY: read after the child has exec'd or exited; volatile because another process
        // wrote it.
        let report = unsafe { ptr::read_volatile(&report) };
        if report.step == 0 {
            return Ok(pid);
        }
        crate::clone::reap(pid);
        Err(SpawnError {
            step: report.failed_step(self.actions),
            errno: Errno::from_raw(report.errno),
        })
    }

    /// Everything the child does. Returns only on failure, with what failed.
    fn run_child(
        &self,
        handled: &SignalSet,
        parent_mask: SignalSet,
        search_buffer: &mut [u8; SEARCH_BUFFER],
    ) -> Report {
        // The parent's handlers must never run here: they go first, while every signal is
        // still blocked.
        if let Err(errno) = reset_signals(handled) {
            return Report::new(Report::SIGNAL_RESET, errno);
        }
        let mut mask = parent_mask;
        for (index, action) in self.actions.iter().enumerate() {
            let result = match action {
                Action::SetSignalMask(set) => {
                    mask = *set;
                    Ok(())
                }
                other => perform(other),
            };
            if let Err(errno) = result {
                return Report::new(Report::FIRST_ACTION.wrapping_add(index as u32), errno);
            }
        }
        if let Err(errno) = sigprocmask(nr::SIG_SETMASK, Some(&mask)) {
            return Report::new(Report::SIGNAL_RESET, errno);
        }
        let errno = match self.program {
            Program::Path(path) => execve(path.as_ptr(), self.argv, self.envp),
            Program::Search { name, path } => {
                search_and_exec(name, path, self.argv, self.envp, search_buffer)
            }
        };
        Report::new(Report::EXEC, errno)
    }
}

/// What the child of a failed start leaves for the parent: which step, and the errno.
#[derive(Clone, Copy)]
#[repr(C)]
struct Report {
    step: u32,
    errno: u32,
}

impl Report {
    const EXEC: u32 = 1;
    const SIGNAL_RESET: u32 = 2;
    const FIRST_ACTION: u32 = 3;

    fn new(step: u32, errno: Errno) -> Report {
        Report { step, errno: errno.raw() }
    }

    fn failed_step(self, actions: &[Action<'_>]) -> FailedStep {
        match self.step {
            Report::EXEC => FailedStep::Exec,
            Report::SIGNAL_RESET => FailedStep::SignalReset,
            step => {
                let index = (step - Report::FIRST_ACTION) as usize;
                match actions.get(index) {
                    Some(action) => FailedStep::Action { index, kind: action.kind() },
                    None => FailedStep::Setup,
                }
            }
        }
    }
}

fn unit(result: Result<usize, Errno>) -> Result<(), Errno> {
    result.map(|_| ())
}

/// Performs one action in the child.
fn perform(action: &Action<'_>) -> Result<(), Errno> {
    // SAFETY: each system call below takes integers and pointers to the
    // action's own live data, and acts on the child process only.
    unsafe {
        match *action {
            Action::Dup2 { from, to } if from == to => {
                let flags = crate::syscall2(FCNTL, from as usize, nr::F_GETFD as usize)?;
                let flags = flags & !(nr::FD_CLOEXEC as usize);
                unit(crate::syscall3(FCNTL, from as usize, nr::F_SETFD as usize, flags))
            }
            Action::Dup2 { from, to } => {
                unit(crate::syscall3(nr::__NR_dup3, from as usize, to as usize, 0))
            }
            Action::Close(fd) => unit(crate::syscall1(nr::__NR_close, fd as usize)),
            Action::Open { fd, path, flags, mode } => {
                let opened = crate::syscall4(
                    nr::__NR_openat,
                    nr::AT_FDCWD as isize as usize,
                    path.as_ptr() as usize,
                    flags as usize,
                    mode as usize,
                )?;
                if opened != fd as usize {
                    let moved = crate::syscall3(nr::__NR_dup3, opened, fd as usize, 0);
                    let _ = crate::syscall1(nr::__NR_close, opened);
                    moved?;
                }
                Ok(())
            }
            Action::Chdir(path) => unit(crate::syscall1(nr::__NR_chdir, path.as_ptr() as usize)),
            Action::Fchdir(fd) => unit(crate::syscall1(nr::__NR_fchdir, fd as usize)),
            Action::Setsid => unit(crate::syscall0(nr::__NR_setsid)),
            Action::Setpgid(group) => unit(crate::syscall2(nr::__NR_setpgid, 0, group as usize)),
            Action::SetSignalMask(_) => Ok(()),
            Action::ResetSignals(set) => reset_signals(&set),
            Action::SetGroups(groups) => {
                unit(crate::syscall2(SETGROUPS, groups.len(), groups.as_ptr() as usize))
            }
            Action::SetGid(gid) => unit(crate::syscall1(SETGID, gid as usize)),
            Action::SetUid(uid) => unit(crate::syscall1(SETUID, uid as usize)),
            Action::SetRlimit { resource, soft, hard } => {
                let limit = nr::rlimit64 { rlim_cur: soft, rlim_max: hard };
                unit(crate::syscall4(
                    nr::__NR_prlimit64,
                    0,
                    resource as usize,
                    &limit as *const nr::rlimit64 as usize,
                    0,
                ))
            }
            Action::ParentDeathSignal(signal) => unit(crate::syscall2(
                nr::__NR_prctl,
                linux_raw_sys::prctl::PR_SET_PDEATHSIG as usize,
                signal as usize,
            )),
            Action::CloseFrom(first) => close_from(first),
        }
    }
}

// 32-bit ABIs that kept 16-bit ids in the original calls have `*32` variants; riscv32 and
// hexagon have only `fcntl64`.
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const SETUID: u32 = nr::__NR_setuid32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const SETUID: u32 = nr::__NR_setuid;
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const SETGID: u32 = nr::__NR_setgid32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const SETGID: u32 = nr::__NR_setgid;
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const SETGROUPS: u32 = nr::__NR_setgroups32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const SETGROUPS: u32 = nr::__NR_setgroups;
#[cfg(any(target_arch = "riscv32", target_arch = "hexagon"))]
const FCNTL: u32 = nr::__NR_fcntl64;
#[cfg(not(any(target_arch = "riscv32", target_arch = "hexagon")))]
const FCNTL: u32 = nr::__NR_fcntl;

/// Closes every descriptor from `first` up: `close_range` where the kernel has it; otherwise
/// every number below the descriptor limit.
fn close_from(first: RawFd) -> Result<(), Errno> {
    if first < 0 {
        return Err(Errno::EBADF);
    }
    // SAFETY: close_range takes integers and acts on the child's descriptor table.
    match unsafe { crate::syscall3(nr::__NR_close_range, first as usize, u32::MAX as usize, 0) } {
        Err(Errno::ENOSYS) => {}
        other => return unit(other),
    }
    let mut limit = nr::rlimit64 { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: prlimit64 writes one rlimit64 into `limit`.
    unsafe {
        crate::syscall4(
            nr::__NR_prlimit64,
            0,
            nr::RLIMIT_NOFILE as usize,
            0,
            &mut limit as *mut nr::rlimit64 as usize,
        )
    }?;
    let end = limit.rlim_cur.min(i32::MAX as u64) as usize;
    for fd in first as usize..end {
        // SAFETY: closes a descriptor of the child; not-open ones fail harmlessly.
        let _ = unsafe { crate::syscall1(nr::__NR_close, fd) };
    }
    Ok(())
}

/// The kernel's `struct sigaction` as `rt_sigaction` reads and writes it, kept as words: the
/// layout differs per architecture (on MIPS the flags come first and the handler after them;
/// elsewhere the handler comes first), and only the handler word is ever looked at. Sixteen
/// words hold every layout: handler, flags, restorer and a signal set of up to 128 bits.
#[repr(C)]
struct KernelSigaction([usize; 16]);

/// The index of the handler word in [`KernelSigaction`].
#[cfg(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6"
))]
const HANDLER_WORD: usize = 1;
#[cfg(not(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6"
)))]
const HANDLER_WORD: usize = 0;

/// `rt_sigaction(signal, new, old)`; SPARC passes a restorer argument before the set size.
///
/// # Safety
///
/// `new` and `old` are null or point to a [`KernelSigaction`].
unsafe fn rt_sigaction(
    signal: u32,
    new: *const KernelSigaction,
    old: *mut KernelSigaction,
) -> Result<usize, Errno> {
    let size = (nr::_NSIG / 8) as usize;
    #[cfg(not(any(target_arch = "sparc", target_arch = "sparc64")))]
    // SAFETY: the caller's promise.
    let result = unsafe {
        crate::syscall4(nr::__NR_rt_sigaction, signal as usize, new as usize, old as usize, size)
    };
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    // SAFETY: the caller's promise.
    let result = unsafe {
        crate::syscall5(nr::__NR_rt_sigaction, signal as usize, new as usize, old as usize, 0, size)
    };
    result
}

// The header defines these as casts of integers to handler pointers, which linux-raw-sys does
// not carry; their values are the same on every architecture.
const SIG_DFL: usize = 0;
const SIG_IGN: usize = 1;

/// The signals that have a handler in this process (neither `SIG_DFL` nor `SIG_IGN`), asked of
/// the kernel one by one.
pub fn handled_signals() -> Result<SignalSet, Errno> {
    let mut handled = SignalSet::empty();
    for signal in 1..=nr::_NSIG {
        if signal == nr::SIGKILL || signal == nr::SIGSTOP {
            continue;
        }
        let mut action = KernelSigaction([0; 16]);
        // SAFETY: reads one disposition into `action`.
        match unsafe { rt_sigaction(signal, ptr::null(), &mut action) } {
            Ok(_) => {}
            // Numbers past the last real-time signal of this kernel.
            Err(Errno::EINVAL) => continue,
            Err(errno) => return Err(errno),
        }
        let handler = action.0[HANDLER_WORD];
        if handler != SIG_DFL && handler != SIG_IGN {
            handled.insert(signal);
        }
    }
    Ok(handled)
}

/// Resets every signal of `set` to `SIG_DFL`.
fn reset_signals(set: &SignalSet) -> Result<(), Errno> {
    // A zeroed action is SIG_DFL, with no flags and an empty mask, on every layout.
    let default = KernelSigaction([0; 16]);
    for signal in 1..=nr::_NSIG {
        if !set.contains(signal) || signal == nr::SIGKILL || signal == nr::SIGSTOP {
            continue;
        }
        // SAFETY: installs the zeroed (default) action for one signal of this process.
        unsafe { rt_sigaction(signal, &default, ptr::null_mut()) }?;
    }
    Ok(())
}

/// `execve`; returns its errno (it only returns on failure).
fn execve(path: *const c_char, argv: &[*const c_char], envp: &[*const c_char]) -> Errno {
    // SAFETY: the caller of `spawn` promised live, null-terminated arrays of C strings.
    let result = unsafe {
        crate::syscall3(
            nr::__NR_execve,
            path as usize,
            argv.as_ptr() as usize,
            envp.as_ptr() as usize,
        )
    };
    match result {
        Err(errno) => errno,
        // execve returns only on failure; a success would not come back here.
        Ok(_) => Errno::EINVAL,
    }
}

/// The PATH search of `execvp`, building each candidate in `buffer`.
fn search_and_exec(
    name: &CStr,
    path: &[u8],
    argv: &[*const c_char],
    envp: &[*const c_char],
    buffer: &mut [u8; SEARCH_BUFFER],
) -> Errno {
    let name = name.to_bytes();
    if name.is_empty() {
        return Errno::ENOENT;
    }
    if name.contains(&b'/') {
        // SAFETY of the pointer: `name` came from a CStr, so its NUL follows it.
        return execve(name.as_ptr().cast(), argv, envp);
    }
    let mut saw_eacces = false;
    for directory in path.split(|&byte| byte == b':') {
        // An empty entry is the working directory: the name alone.
        let separator: &[u8] = if directory.is_empty() { b"" } else { b"/" };
        let length = directory.len() + separator.len() + name.len();
        if length >= buffer.len() {
            continue; // longer than PATH_MAX: no such file can exist
        }
        // Copied by zipping, with no slicing that could panic: this runs in the vfork child.
        // The length was checked above, so the closing NUL fits.
        let bytes = directory.iter().chain(separator).chain(name).chain(&[0u8]);
        for (slot, &byte) in buffer.iter_mut().zip(bytes) {
            *slot = byte;
        }
        match execve(buffer.as_ptr().cast(), argv, envp) {
            Errno::EACCES => saw_eacces = true,
            Errno::ENOENT | Errno::ENOTDIR | Errno::ESTALE | Errno::ENODEV | Errno::ETIMEDOUT => {}
            other => return other,
        }
    }
    if saw_eacces { Errno::EACCES } else { Errno::ENOENT }
}
