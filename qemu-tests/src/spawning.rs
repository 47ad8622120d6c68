//! spawn in the freestanding binary. Each action is observed by the binary itself, started as
//! `--check KIND [ARGUMENT]`, which looks at its own process and exits 0 when the action took
//! effect. That needs the binary to execute itself and to see the child's report through
//! shared memory: natively and under qemu-system; under qemu-user (a foreign binary, memory not
//! shared) these tests report SKIP.

use core::ffi::{CStr, c_char};
use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering};

use rawsys::clone::{SignalSet, WaitTarget, sigprocmask, waitid};
use rawsys::linux_raw_sys::prctl;
use rawsys::spawn::{Action, ActionKind, FailedStep, Spawn, SpawnError};
use rawsys::{Errno, ExitStatus, Pid, nr};

use crate::report::Outcome;
use crate::sys;
use crate::vfork::{NOT_SHARED, memory_is_shared, no_children_left};
use crate::{Context, expect_eq, fail};

pub const CHECK: &[u8] = b"--check";

fn wait(pid: Pid) -> Result<ExitStatus, Errno> {
    loop {
        match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
            Ok(Some((_, status))) => return Ok(status),
            Ok(None) => return Err(Errno::ECHILD),
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno),
        }
    }
}

/// Starts this binary as `--check kind argument` with `actions` and returns how it ended.
fn check(
    context: &Context,
    kind: &CStr,
    argument: &CStr,
    actions: &[Action<'_>],
) -> Result<Result<ExitStatus, Errno>, SpawnError> {
    let program = context.args.arg(0).unwrap_or(c"/init");
    let argv =
        [program.as_ptr(), c"--check".as_ptr(), kind.as_ptr(), argument.as_ptr(), ptr::null()];
    let envp = [c"RAWSYS_CHECK=1".as_ptr(), ptr::null()];
    // SAFETY: the arrays hold live C strings and end with null.
    let pid = unsafe { Spawn::new(program, &argv, &envp).actions(actions).spawn() }?;
    Ok(wait(pid))
}

/// The outcome of a check that must exit 0.
fn expect_check(
    context: &Context,
    kind: &CStr,
    argument: &CStr,
    actions: &[Action<'_>],
) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    expect_eq!(check(context, kind, argument, actions), Ok(Ok(ExitStatus::Exited(0))))
}

pub fn spawn_dup2(context: &Context) -> Outcome {
    let Ok([reader, writer]) = sys::pipe(nr::O_CLOEXEC) else { return fail!("pipe2 failed") };
    let outcome =
        expect_check(context, c"fd-open", c"9", &[Action::Dup2 { from: writer as i32, to: 9 }]);
    let _ = (sys::close(reader), sys::close(writer));
    outcome
}

pub fn spawn_dup2_onto_itself_keeps_it(context: &Context) -> Outcome {
    let Ok([reader, writer]) = sys::pipe(nr::O_CLOEXEC) else { return fail!("pipe2 failed") };
    let mut digits = [0u8; 21];
    let number = decimal_cstr(writer, &mut digits);
    let kept = expect_check(
        context,
        c"fd-open",
        number,
        &[Action::Dup2 { from: writer as i32, to: writer as i32 }],
    );
    // Without the action, close-on-exec closes it.
    let closed = expect_check(context, c"fd-closed", number, &[]);
    let _ = (sys::close(reader), sys::close(writer));
    match (kept, closed) {
        (Outcome::Passed, Outcome::Passed) => Outcome::Passed,
        (Outcome::Passed, other) | (other, _) => other,
    }
}

pub fn spawn_close_and_close_from(context: &Context) -> Outcome {
    let Ok([reader, writer]) = sys::pipe(0) else { return fail!("pipe2 failed") };
    // SAFETY: dup3 onto numbers this test owns.
    let placed = unsafe {
        (
            rawsys::syscall3(nr::__NR_dup3, reader, 50, 0),
            rawsys::syscall3(nr::__NR_dup3, writer, 51, 0),
        )
    };
    let _ = (sys::close(reader), sys::close(writer));
    if placed != (Ok(50), Ok(51)) {
        return fail!("dup3 onto 50 and 51: {:?}", placed);
    }
    let outcomes = [
        expect_check(context, c"fd-open", c"50", &[]),
        expect_check(context, c"fd-closed", c"50", &[Action::Close(50)]),
        expect_check(context, c"fd-closed", c"51", &[Action::CloseFrom(50)]),
        expect_check(context, c"fd-open", c"2", &[Action::CloseFrom(50)]),
    ];
    let _ = (sys::close(50), sys::close(51));
    outcomes
        .into_iter()
        .find(|outcome| !matches!(outcome, Outcome::Passed))
        .unwrap_or(Outcome::Passed)
}

pub fn spawn_open(context: &Context) -> Outcome {
    expect_check(
        context,
        c"fd-open",
        c"12",
        &[Action::Open { fd: 12, path: c"/", flags: nr::O_RDONLY | nr::O_DIRECTORY, mode: 0 }],
    )
}

pub fn spawn_chdir(context: &Context) -> Outcome {
    expect_check(context, c"cwd", c"/", &[Action::Chdir(c"/")])
}

pub fn spawn_fchdir(context: &Context) -> Outcome {
    let Ok(fd) = sys::open(b"/\0", nr::O_RDONLY | nr::O_DIRECTORY | nr::O_CLOEXEC, 0) else {
        return fail!("open /");
    };
    let outcome = expect_check(context, c"cwd", c"/", &[Action::Fchdir(fd as i32)]);
    let _ = sys::close(fd);
    outcome
}

pub fn spawn_setsid(context: &Context) -> Outcome {
    expect_check(context, c"session-leader", c"-", &[Action::Setsid])
}

pub fn spawn_setpgid(context: &Context) -> Outcome {
    expect_check(context, c"group-leader", c"-", &[Action::Setpgid(0)])
}

pub fn spawn_signal_mask(context: &Context) -> Outcome {
    let mut set = SignalSet::empty();
    set.insert(nr::SIGUSR1);
    let mut digits = [0u8; 21];
    let number = decimal_cstr(nr::SIGUSR1 as usize, &mut digits);
    let blocked = expect_check(context, c"blocked", number, &[Action::SetSignalMask(set)]);
    // Without the action, the parent's mask: SIGUSR1 not blocked.
    let unblocked = expect_check(context, c"unblocked", number, &[]);
    match (blocked, unblocked) {
        (Outcome::Passed, Outcome::Passed) => Outcome::Passed,
        (Outcome::Passed, other) | (other, _) => other,
    }
}

pub fn spawn_reset_signals(context: &Context) -> Outcome {
    // The parent ignores SIGUSR2; the child inherits the ignore unless the action resets it.
    let mut ignore = [0usize; 16];
    ignore[HANDLER_WORD] = SIG_IGN;
    if rt_sigaction(nr::SIGUSR2, &ignore, ptr::null_mut()).is_err() {
        return fail!("rt_sigaction(SIGUSR2, SIG_IGN) failed");
    }
    let mut digits = [0u8; 21];
    let number = decimal_cstr(nr::SIGUSR2 as usize, &mut digits);
    let mut set = SignalSet::empty();
    set.insert(nr::SIGUSR2);
    let inherited = expect_check(context, c"ignored", number, &[]);
    let reset = expect_check(context, c"default", number, &[Action::ResetSignals(set)]);
    let _ = rt_sigaction(nr::SIGUSR2, &[0; 16], ptr::null_mut());
    match (inherited, reset) {
        (Outcome::Passed, Outcome::Passed) => Outcome::Passed,
        (Outcome::Passed, other) | (other, _) => other,
    }
}

pub fn spawn_credentials(context: &Context) -> Outcome {
    // SAFETY: getuid has no arguments.
    if unsafe { rawsys::syscall0(nr::__NR_getuid) } != Ok(0) {
        return Outcome::Skipped("changing credentials needs root");
    }
    expect_check(
        context,
        c"ids",
        c"4444",
        &[Action::SetGroups(&[4444]), Action::SetGid(4444), Action::SetUid(4444)],
    )
}

pub fn spawn_rlimit(context: &Context) -> Outcome {
    expect_check(
        context,
        c"nofile",
        c"77",
        &[Action::SetRlimit { resource: nr::RLIMIT_NOFILE, soft: 77, hard: 99 }],
    )
}

pub fn spawn_parent_death_signal(context: &Context) -> Outcome {
    let mut digits = [0u8; 21];
    let number = decimal_cstr(nr::SIGTERM as usize, &mut digits);
    expect_check(context, c"pdeathsig", number, &[Action::ParentDeathSignal(nr::SIGTERM)])
}

/// A start that must fail at `step` with `errno`, leaving no child and no descriptor.
fn expect_failure(
    context: &Context,
    path: &CStr,
    argv_override: Option<&[*const c_char]>,
    actions: &[Action<'_>],
    step: FailedStep,
    errno: Errno,
) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    let _ = context;
    let descriptors = sys::count_descriptors();
    let argv = [c"rawsys-child".as_ptr(), ptr::null()];
    let envp = [ptr::null()];
    let argv = argv_override.unwrap_or(&argv);
    // SAFETY: the arrays hold live C strings and end with null.
    let result = unsafe { Spawn::new(path, argv, &envp).actions(actions).spawn() };
    expect_eq!(
        (result, no_children_left(), sys::count_descriptors() == descriptors),
        (Err(SpawnError { step, errno }), true, true)
    )
}

pub fn spawn_fails_enoent(context: &Context) -> Outcome {
    expect_failure(context, c"/rawsys/no/such", None, &[], FailedStep::Exec, Errno::ENOENT)
}

pub fn spawn_fails_eacces(context: &Context) -> Outcome {
    expect_failure(context, c"/", None, &[], FailedStep::Exec, Errno::EACCES)
}

pub fn spawn_fails_e2big(context: &Context) -> Outcome {
    // Arguments larger in all than the kernel takes (a quarter of the stack limit, 2 MiB by
    // default): 40 copies of a 100 KiB string, each one short enough on every page size.
    static mut LONG: [u8; 100 * 1024] = [b'a'; 100 * 1024];
    // SAFETY: the only user of LONG; its last byte is made the NUL.
    let long = unsafe {
        let bytes = &mut *ptr::addr_of_mut!(LONG);
        bytes[bytes.len() - 1] = 0;
        bytes.as_ptr().cast::<c_char>()
    };
    let mut argv = [long; 41];
    argv[40] = ptr::null();
    let program = context.args.arg(0).unwrap_or(c"/init");
    expect_failure(context, program, Some(&argv), &[], FailedStep::Exec, Errno::E2BIG)
}

pub fn spawn_fails_ebadf_in_dup2(context: &Context) -> Outcome {
    let actions = [Action::Chdir(c"/"), Action::Dup2 { from: 999, to: 5 }];
    let step = FailedStep::Action { index: 1, kind: ActionKind::Dup2 };
    expect_failure(context, c"/rawsys/never/reached", None, &actions, step, Errno::EBADF)
}

pub fn spawn_fails_bad_directory(context: &Context) -> Outcome {
    let actions = [Action::Chdir(c"/rawsys/no/directory")];
    let step = FailedStep::Action { index: 0, kind: ActionKind::Chdir };
    expect_failure(context, c"/rawsys/never/reached", None, &actions, step, Errno::ENOENT)
}

pub fn spawn_runs_under_any_emulation(context: &Context) -> Outcome {
    // What works even without shared memory: a start and its exit status, through this binary
    // or (under qemu-user, which cannot execute a foreign binary) the host's shell.
    let program = context.args.arg(0).unwrap_or(c"/init");
    let own = [program.as_ptr(), c"--exit-with".as_ptr(), c"42".as_ptr(), ptr::null()];
    let shell = [c"sh".as_ptr(), c"-c".as_ptr(), c"exit 42".as_ptr(), ptr::null()];
    let envp = [c"RAWSYS_CHILD=1".as_ptr(), ptr::null()];
    let (path, argv): (&CStr, &[*const c_char]) =
        if memory_is_shared() { (program, &own) } else { (c"/bin/sh", &shell) };
    // SAFETY: the arrays hold live C strings and end with null.
    match unsafe { Spawn::new(path, argv, &envp).spawn() } {
        Ok(pid) => expect_eq!(wait(pid), Ok(ExitStatus::Exited(42))),
        Err(error) => fail!("spawn: {}", error),
    }
}

#[allow(clippy::result_large_err)] // there is no allocator to box the failure line
pub fn spawn_endurance(context: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    let program = context.args.arg(0).unwrap_or(c"/init");
    let argv = [program.as_ptr(), c"--exit-with".as_ptr(), c"0".as_ptr(), ptr::null()];
    let envp = [c"RAWSYS_CHILD=1".as_ptr(), ptr::null()];
    let failing = [Action::Dup2 { from: 100_000, to: 3 }];
    let round = |index: usize| -> Result<(), Outcome> {
        let spawn = Spawn::new(program, &argv, &envp);
        let spawn = if index % 2 == 1 { spawn.actions(&failing) } else { spawn };
        // SAFETY: the arrays hold live C strings and end with null.
        match (unsafe { spawn.spawn() }, index % 2) {
            (Ok(pid), 0) => match wait(pid) {
                Ok(ExitStatus::Exited(0)) => Ok(()),
                other => Err(fail!("round {}: {:?}", index, other)),
            },
            (Err(error), 1) if error.errno == Errno::EBADF => Ok(()),
            (other, _) => Err(fail!("round {}: {:?}", index, other.map(|pid| pid.raw()))),
        }
    };
    for index in 0..100 {
        if let Err(outcome) = round(index) {
            return outcome;
        }
    }
    let (descriptors, resident) = (sys::count_descriptors(), sys::resident_pages());
    for index in 0..starts() {
        if let Err(outcome) = round(index) {
            return outcome;
        }
    }
    expect_eq!(
        (sys::count_descriptors(), no_children_left(), sys::resident_pages()),
        (descriptors, true, resident)
    )
}

/// Reads a small file into `buffer`, returning the bytes read.
fn read_file<'a>(path: &[u8], buffer: &'a mut [u8]) -> Option<&'a [u8]> {
    let fd = sys::open(path, nr::O_RDONLY | nr::O_CLOEXEC, 0).ok()?;
    let length = sys::read(fd, buffer);
    let _ = sys::close(fd);
    buffer.get(..length.ok()?)
}

fn write_file(path: &[u8], contents: &[u8]) -> bool {
    let Ok(fd) = sys::open(path, nr::O_WRONLY | nr::O_CLOEXEC, 0) else { return false };
    let written = sys::write(fd, contents);
    let _ = sys::close(fd);
    written == Ok(contents.len())
}

/// With `vm.overcommit_memory = 2` (strict accounting) and a parent holding more than half of
/// the guest's memory, fork cannot be charged for a copy and fails with ENOMEM, while spawn,
/// which copies nothing, starts the program.
pub fn spawn_under_strict_overcommit(context: &Context) -> Outcome {
    if sys::getpid() != 1 {
        return Outcome::Skipped(
            "changes vm.overcommit_memory: only as PID 1 of a qemu-system guest",
        );
    }
    let mut meminfo = [0u8; 2048];
    let Some(meminfo) = read_file(b"/proc/meminfo\0", &mut meminfo) else {
        return fail!("cannot read /proc/meminfo");
    };
    // "MemTotal:  230000 kB" is the first line.
    let total_kib = parse(
        meminfo
            .split(|&byte| byte == b'\n')
            .next()
            .unwrap_or(b"")
            .split(|&byte| byte == b' ')
            .filter(|word| !word.is_empty())
            .nth(1)
            .unwrap_or(b"0"),
    );
    let mut old_mode = [0u8; 16];
    let mut old_ratio = [0u8; 16];
    let old_mode = read_file(b"/proc/sys/vm/overcommit_memory\0", &mut old_mode).unwrap_or(b"0\n");
    let old_ratio =
        read_file(b"/proc/sys/vm/overcommit_ratio\0", &mut old_ratio).unwrap_or(b"50\n");
    // The commit limit becomes 90% of memory; the parent then holds 60% of it, so a copy of
    // the parent (another 60%) cannot fit.
    if !write_file(b"/proc/sys/vm/overcommit_ratio\0", b"90\n")
        || !write_file(b"/proc/sys/vm/overcommit_memory\0", b"2\n")
    {
        return fail!("cannot set strict overcommit");
    }
    let page = context.args.aux(rawsys::linux_raw_sys::auxvec::AT_PAGESZ as usize).unwrap_or(4096);
    let held = (total_kib * 1024 * 6 / 10) & !(page - 1);
    let protection = nr::PROT_READ | nr::PROT_WRITE;
    let flags = nr::MAP_PRIVATE | nr::MAP_ANONYMOUS;
    // SAFETY: a fresh private anonymous mapping that only this test uses.
    let mapped = unsafe { sys::mmap(0, held, protection, flags, usize::MAX, 0) };
    let outcome = match mapped {
        Ok(address) => {
            for offset in (0..held).step_by(page) {
                // SAFETY: within the mapping just made, writable.
                unsafe { ((address + offset) as *mut u8).write_volatile(1) };
            }
            let forked = match sys::fork() {
                Ok(0) => sys::exit(0),
                Ok(child) => {
                    let _ = wait(Pid::from_raw(child as u32));
                    Ok(child)
                }
                Err(errno) => Err(errno),
            };
            let program = context.args.arg(0).unwrap_or(c"/init");
            let argv = [program.as_ptr(), c"--exit-with".as_ptr(), c"0".as_ptr(), ptr::null()];
            let envp = [c"RAWSYS_CHILD=1".as_ptr(), ptr::null()];
            // SAFETY: the arrays hold live C strings and end with null.
            let spawned = match unsafe { Spawn::new(program, &argv, &envp).spawn() } {
                Ok(pid) => wait(pid).map_err(|errno| SpawnError { step: FailedStep::Setup, errno }),
                Err(error) => Err(error),
            };
            // SAFETY: unmaps the mapping made above.
            let _ = unsafe { sys::munmap(address, held) };
            expect_eq!(
                (forked.map(|_| ()), spawned),
                (Err(Errno::ENOMEM), Ok(ExitStatus::Exited(0)))
            )
        }
        Err(errno) => fail!("holding {} KiB under strict overcommit: {}", held / 1024, errno),
    };
    let _ = write_file(b"/proc/sys/vm/overcommit_memory\0", old_mode);
    let _ = write_file(b"/proc/sys/vm/overcommit_ratio\0", old_ratio);
    outcome
}

/// Starts in the endurance and signal-flood tests: 10,000 natively; 500 in a guest of the
/// real-kernel harness, whose emulated CPU makes each start (this binary, executed) some
/// milliseconds long, so that the nine guests boot and finish in about two minutes.
pub fn starts() -> usize {
    static STARTS: AtomicUsize = AtomicUsize::new(0);
    match STARTS.load(Ordering::Relaxed) {
        0 => {
            let starts = if crate::guest::in_harness_guest() { 500 } else { 10_000 };
            STARTS.store(starts, Ordering::Relaxed);
            starts
        }
        known => known,
    }
}

/// The kernel's `struct sigaction`, as words: the handler is the first word, but on MIPS the
/// flags come before it.
pub type KernelSigaction = [usize; 16];
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
const SIG_IGN: usize = 1;

/// `rt_sigaction(signal, new, old)`; SPARC passes a restorer argument before the set size.
pub fn rt_sigaction(
    signal: u32,
    new: *const KernelSigaction,
    old: *mut KernelSigaction,
) -> Result<usize, Errno> {
    let size = (nr::_NSIG / 8) as usize;
    #[cfg(not(any(target_arch = "sparc", target_arch = "sparc64")))]
    // SAFETY: `new` and `old` are null or point to 16 words, room for every layout.
    let result = unsafe {
        rawsys::syscall4(nr::__NR_rt_sigaction, signal as usize, new as usize, old as usize, size)
    };
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    // SAFETY: as above; SPARC takes a restorer argument before the size.
    let result = unsafe {
        rawsys::syscall5(
            nr::__NR_rt_sigaction,
            signal as usize,
            new as usize,
            old as usize,
            0,
            size,
        )
    };
    result
}

fn decimal_cstr(value: usize, buffer: &mut [u8; 21]) -> &CStr {
    let mut digits = [0u8; 20];
    let text = sys::decimal(value, &mut digits);
    buffer[..text.len()].copy_from_slice(text);
    buffer[text.len()] = 0;
    CStr::from_bytes_with_nul(&buffer[..=text.len()]).unwrap_or(c"0")
}

fn parse(text: &[u8]) -> usize {
    text.iter().fold(0usize, |value, digit| value * 10 + digit.wrapping_sub(b'0') as usize)
}

/// `--check KIND ARGUMENT`: exits 0 when this process shows what KIND says.
pub fn check_mode(args: &rawsys::start::StartArgs) -> Option<i32> {
    if args.arg(1).map(CStr::to_bytes) != Some(CHECK) {
        return None;
    }
    let kind = args.arg(2)?.to_bytes();
    let argument = args.arg(3)?.to_bytes();
    let number = parse(argument);
    let holds = match kind {
        b"fd-open" | b"fd-closed" => {
            // SAFETY: F_GETFD on any number only queries.
            let open = unsafe { rawsys::syscall2(FCNTL, number, nr::F_GETFD as usize) }.is_ok();
            open == (kind == b"fd-open")
        }
        b"cwd" => {
            let mut buffer = [0u8; 256];
            // SAFETY: getcwd writes at most 256 bytes.
            let length = unsafe {
                rawsys::syscall2(nr::__NR_getcwd, buffer.as_mut_ptr() as usize, buffer.len())
            };
            length.is_ok_and(|length| buffer.get(..length.saturating_sub(1)) == Some(argument))
        }
        b"session-leader" => {
            // SAFETY: getsid of this process only queries.
            (unsafe { rawsys::syscall1(nr::__NR_getsid, 0) }) == Ok(sys::getpid())
        }
        b"group-leader" => {
            // SAFETY: getpgid of this process only queries.
            (unsafe { rawsys::syscall1(nr::__NR_getpgid, 0) }) == Ok(sys::getpid())
        }
        b"blocked" | b"unblocked" => sigprocmask(nr::SIG_BLOCK, None)
            .is_ok_and(|mask| mask.contains(number as u32) == (kind == b"blocked")),
        b"ignored" | b"default" => {
            let mut action: KernelSigaction = [0; 16];
            if rt_sigaction(number as u32, ptr::null(), &mut action).is_err() {
                return Some(2);
            }
            action[HANDLER_WORD] == usize::from(kind == b"ignored") * SIG_IGN
        }
        b"ids" => {
            // SAFETY: identity queries.
            let (uid, gid) = unsafe { (rawsys::syscall0(GETUID), rawsys::syscall0(GETGID)) };
            let mut groups = [0u32; 4];
            // SAFETY: getgroups writes at most 4 ids.
            let count =
                unsafe { rawsys::syscall2(GETGROUPS, groups.len(), groups.as_mut_ptr() as usize) };
            uid == Ok(number) && gid == Ok(number) && count == Ok(1) && groups[0] as usize == number
        }
        b"nofile" => {
            let mut limit = nr::rlimit64 { rlim_cur: 0, rlim_max: 0 };
            // SAFETY: prlimit64 writes one rlimit64.
            let read = unsafe {
                rawsys::syscall4(
                    nr::__NR_prlimit64,
                    0,
                    nr::RLIMIT_NOFILE as usize,
                    0,
                    &mut limit as *mut nr::rlimit64 as usize,
                )
            };
            read.is_ok() && limit.rlim_cur == number as u64
        }
        b"pdeathsig" => {
            let mut signal: i32 = 0;
            // SAFETY: PR_GET_PDEATHSIG writes one int.
            let read = unsafe {
                rawsys::syscall2(
                    nr::__NR_prctl,
                    prctl::PR_GET_PDEATHSIG as usize,
                    &mut signal as *mut i32 as usize,
                )
            };
            read.is_ok() && signal as usize == number
        }
        _ => return Some(3),
    };
    Some(if holds { 0 } else { 1 })
}

#[cfg(any(target_arch = "riscv32", target_arch = "hexagon"))]
const FCNTL: u32 = nr::__NR_fcntl64;
#[cfg(not(any(target_arch = "riscv32", target_arch = "hexagon")))]
const FCNTL: u32 = nr::__NR_fcntl;
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const GETUID: u32 = nr::__NR_getuid32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const GETUID: u32 = nr::__NR_getuid;
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const GETGID: u32 = nr::__NR_getgid32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const GETGID: u32 = nr::__NR_getgid;
#[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc"))]
const GETGROUPS: u32 = nr::__NR_getgroups32;
#[cfg(not(any(target_arch = "x86", target_arch = "arm", target_arch = "sparc")))]
const GETGROUPS: u32 = nr::__NR_getgroups;

/// The tests of this module, in the order they run.
pub const TESTS: &[crate::tests::Test] = &[
    ("spawn_runs_under_any_emulation", spawn_runs_under_any_emulation),
    ("spawn_dup2", spawn_dup2),
    ("spawn_dup2_onto_itself_keeps_it", spawn_dup2_onto_itself_keeps_it),
    ("spawn_close_and_close_from", spawn_close_and_close_from),
    ("spawn_open", spawn_open),
    ("spawn_chdir", spawn_chdir),
    ("spawn_fchdir", spawn_fchdir),
    ("spawn_setsid", spawn_setsid),
    ("spawn_setpgid", spawn_setpgid),
    ("spawn_signal_mask", spawn_signal_mask),
    ("spawn_reset_signals", spawn_reset_signals),
    ("spawn_credentials", spawn_credentials),
    ("spawn_rlimit", spawn_rlimit),
    ("spawn_parent_death_signal", spawn_parent_death_signal),
    ("spawn_fails_enoent", spawn_fails_enoent),
    ("spawn_fails_eacces", spawn_fails_eacces),
    ("spawn_fails_e2big", spawn_fails_e2big),
    ("spawn_fails_ebadf_in_dup2", spawn_fails_ebadf_in_dup2),
    ("spawn_fails_bad_directory", spawn_fails_bad_directory),
    ("spawn_endurance", spawn_endurance),
    ("spawn_under_strict_overcommit", spawn_under_strict_overcommit),
];
