//! vfork_exec and vfork_clone. Some of these tests need memory really shared between parent
//! and child: qemu-user turns `CLONE_VM | CLONE_VFORK` into a plain fork, so there they report
//! SKIP with that reason; natively and under qemu-system they run.

use core::ffi::c_char;
use core::ptr;

use rawsys::clone::{SignalSet, WaitTarget, sigprocmask, waitid};
use rawsys::{ChildStack, Errno, ExitStatus, nr, vfork_clone, vfork_exec};

use crate::report::Outcome;
use crate::sys;
use crate::{Context, expect_eq, fail};

pub const NOT_SHARED: &str =
    "memory is not shared with a CLONE_VM child here (qemu-user emulates vfork with fork)";

/// The argument that makes the binary a child program: `--exit-with N` exits with N at once,
/// or with N + 1 when the environment lacks `RAWSYS_CHILD=1`.
pub const EXIT_WITH: &[u8] = b"--exit-with";

/// Whether a CLONE_VM child's write reaches this process. Decided once the child is reaped,
/// so it holds whether or not the parent was suspended.
pub fn memory_is_shared() -> bool {
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    let mut mark = 0u32;
    let mut child = || {
        // SAFETY: writes a local of the parent, which is what is being probed.
        unsafe { ptr::write_volatile(&mut mark, 0x600d) };
        0
    };
    // SAFETY: the closure writes one word and returns.
    let Ok(pid) = (unsafe { vfork_clone(&mut stack, &mut child) }) else { return false };
    let _ = waitid(WaitTarget::Pid(pid), nr::WEXITED);
    // SAFETY: reads the local the child may have written.
    unsafe { ptr::read_volatile(&mark) == 0x600d }
}

pub fn no_children_left() -> bool {
    waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG) == Err(Errno::ECHILD)
}

pub fn clone_write_seen_on_return(_: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    let mut words = [0usize; 2];
    let mut child = || {
        // Sleep first: a parent that did not wait would return before the writes.
        sys::sleep_ms(30);
        // SAFETY: writes the parent's array, which the test reads after the call.
        unsafe {
            ptr::write_volatile(&mut words[0], sys::getpid());
            ptr::write_volatile(&mut words[1], 0xc0ffee);
        }
        5
    };
    // SAFETY: the closure sleeps, writes two words and returns.
    let pid = match unsafe { vfork_clone(&mut stack, &mut child) } {
        Ok(pid) => pid,
        Err(errno) => return fail!("vfork_clone: {}", errno),
    };
    // SAFETY: reads the words the child wrote before it exited.
    let seen = unsafe { (ptr::read_volatile(&words[0]), ptr::read_volatile(&words[1])) };
    let status = waitid(WaitTarget::Pid(pid), nr::WEXITED);
    expect_eq!(
        (seen, status),
        ((pid.raw() as usize, 0xc0ffee), Ok(Some((pid, ExitStatus::Exited(5)))))
    )
}

pub fn clone_exit_status(_: &Context) -> Outcome {
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    let mut child = || 37;
    // SAFETY: the closure only returns.
    let pid = match unsafe { vfork_clone(&mut stack, &mut child) } {
        Ok(pid) => pid,
        Err(errno) => return fail!("vfork_clone: {}", errno),
    };
    expect_eq!(waitid(WaitTarget::Pid(pid), nr::WEXITED), Ok(Some((pid, ExitStatus::Exited(37)))))
}

pub fn clone_killed_by_signal(_: &Context) -> Outcome {
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    let mut child = || {
        // SIGKILL cannot be blocked, so it ends the child despite the blocked mask.
        // SAFETY: kill with this process's own pid.
        let _ = unsafe { rawsys::syscall2(nr::__NR_kill, sys::getpid(), nr::SIGKILL as usize) };
        0
    };
    // SAFETY: the closure sends itself SIGKILL.
    let pid = match unsafe { vfork_clone(&mut stack, &mut child) } {
        Ok(pid) => pid,
        Err(errno) => return fail!("vfork_clone: {}", errno),
    };
    expect_eq!(
        waitid(WaitTarget::Pid(pid), nr::WEXITED),
        Ok(Some((pid, ExitStatus::Killed(nr::SIGKILL))))
    )
}

#[inline(never)]
fn recurse(depth: u32, above: &[u8; 128]) -> u32 {
    let mut frame = [depth as u8; 128];
    frame[0] = above[127];
    let below = if depth == 0 { 0 } else { recurse(depth - 1, core::hint::black_box(&frame)) };
    core::hint::black_box(&mut frame);
    below.wrapping_add(frame[1] as u32)
}

pub fn clone_deep_recursion_leaves_parent_intact(_: &Context) -> Outcome {
    // 200 frames of at least 128 bytes run on the child's stack; the parent's frame, with its
    // canary, must be intact afterwards, and the child must end normally.
    let canary = core::hint::black_box([0xa5a5_a5a5u32; 32]);
    let mut stack = ChildStack::<{ 128 * 1024 }>::new();
    let mut child = || {
        let top = [0u8; 128];
        (recurse(200, &top) % 100) as i32
    };
    // SAFETY: the recursion stays far within 128 KiB and allocates nothing.
    let pid = match unsafe { vfork_clone(&mut stack, &mut child) } {
        Ok(pid) => pid,
        Err(errno) => return fail!("vfork_clone: {}", errno),
    };
    let expected = (recurse(200, &[0u8; 128]) % 100) as u8;
    let status = waitid(WaitTarget::Pid(pid), nr::WEXITED);
    expect_eq!(
        (status, core::hint::black_box(canary)),
        (Ok(Some((pid, ExitStatus::Exited(expected)))), [0xa5a5_a5a5u32; 32])
    )
}

pub fn clone_blocks_signals_and_restores_mask(_: &Context) -> Outcome {
    let mut usr2 = SignalSet::empty();
    usr2.insert(nr::SIGUSR2);
    let Ok(original) = sigprocmask(nr::SIG_BLOCK, Some(&usr2)) else {
        return fail!("rt_sigprocmask failed");
    };
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    // The child reports through its exit status, which works with or without shared memory.
    let mut child = || match sigprocmask(nr::SIG_BLOCK, None) {
        Ok(mask) if mask.contains(nr::SIGTERM) && mask.contains(nr::SIGCHLD) => 0,
        Ok(_) => 1,
        Err(_) => 2,
    };
    // SAFETY: the closure makes one system call.
    let result = unsafe { vfork_clone(&mut stack, &mut child) };
    let after = sigprocmask(nr::SIG_SETMASK, Some(&original));
    let Ok(pid) = result else { return fail!("vfork_clone: {:?}", result) };
    let status = waitid(WaitTarget::Pid(pid), nr::WEXITED);
    let parent_kept = after.map(|mask| mask.contains(nr::SIGUSR2) && !mask.contains(nr::SIGTERM));
    expect_eq!((status, parent_kept), (Ok(Some((pid, ExitStatus::Exited(0)))), Ok(true)))
}

pub fn waitid_nohang_then_exit(_: &Context) -> Outcome {
    let child = match sys::fork() {
        Ok(0) => {
            sys::sleep_ms(100);
            sys::exit(3)
        }
        Ok(child) => rawsys::Pid::from_raw(child as u32),
        Err(errno) => return fail!("fork: {}", errno),
    };
    let early = waitid(WaitTarget::Pid(child), nr::WEXITED | nr::WNOHANG);
    let late = waitid(WaitTarget::Pid(child), nr::WEXITED);
    expect_eq!((early, late), (Ok(None), Ok(Some((child, ExitStatus::Exited(3))))))
}

#[cfg(not(target_arch = "riscv32"))]
pub fn wait4_status(_: &Context) -> Outcome {
    let child = match sys::fork() {
        Ok(0) => sys::exit(44),
        Ok(child) => child,
        Err(errno) => return fail!("fork: {}", errno),
    };
    let waited = rawsys::clone::wait4(child as i32, 0);
    expect_eq!(waited, Ok(Some((rawsys::Pid::from_raw(child as u32), ExitStatus::Exited(44)))))
}

#[cfg(target_arch = "riscv32")]
pub fn wait4_status(_: &Context) -> Outcome {
    Outcome::Skipped("riscv32 has no wait4 system call; waitid covers it")
}

/// Runs `vfork_exec` on `path` with a one-word argv and no environment.
fn exec(path: &core::ffi::CStr) -> Result<rawsys::Pid, Errno> {
    let argv = [c"rawsys-child".as_ptr(), ptr::null()];
    // SAFETY: the arrays hold live C strings and end with null.
    unsafe { vfork_exec(path, &argv, &[ptr::null()]) }
}

pub fn exec_enoent(_: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    expect_eq!((exec(c"/rawsys/no/such/program"), no_children_left()), (Err(Errno::ENOENT), true))
}

pub fn exec_eacces(_: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    // A directory cannot be executed.
    expect_eq!((exec(c"/"), no_children_left()), (Err(Errno::EACCES), true))
}

pub fn exec_enoexec(_: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    // An executable file whose contents no loader accepts: an ELF magic and nothing else.
    let mut path = [0u8; 64];
    let mut digits = [0u8; 20];
    let pid = sys::decimal(sys::getpid(), &mut digits);
    let mut length = 0;
    for directory in [&b"/tmp/"[..], &b"/"[..]] {
        length = 0;
        for part in [directory, b"rawsys-noexec-", pid, b"\0"] {
            path[length..length + part.len()].copy_from_slice(part);
            length += part.len();
        }
        let flags = nr::O_CREAT | nr::O_WRONLY | nr::O_TRUNC | nr::O_CLOEXEC;
        if let Ok(fd) = sys::open(&path[..length], flags, 0o755) {
            let _ = sys::write(fd, b"\x7fELF\0\0\0\0");
            let _ = sys::close(fd);
            break;
        }
        length = 0;
    }
    if length == 0 {
        return fail!("no writable directory for a test file (/tmp or /)");
    }
    let Ok(program) = core::ffi::CStr::from_bytes_with_nul(&path[..length]) else {
        return fail!("bad path");
    };
    let result = exec(program);
    // SAFETY: removes the file this test created.
    let _ = unsafe {
        rawsys::syscall3(
            nr::__NR_unlinkat,
            nr::AT_FDCWD as isize as usize,
            program.as_ptr() as usize,
            0,
        )
    };
    expect_eq!((result, no_children_left()), (Err(Errno::ENOEXEC), true))
}

pub fn exec_rejects_unterminated_arrays(_: &Context) -> Outcome {
    let argv = [c"x".as_ptr()];
    // SAFETY: the pointer is live; the missing terminator is what is tested.
    let result = unsafe { vfork_exec(c"/", &argv, &[ptr::null()]) };
    expect_eq!((result, no_children_left()), (Err(Errno::EINVAL), true))
}

/// Starts the test binary itself as `--exit-with 42`, or where a foreign binary cannot be
/// executed (qemu-user without binfmt_misc), the host's /bin/sh.
pub fn exec_runs_a_program(context: &Context) -> Outcome {
    let Some(program) = context.args.arg(0) else { return fail!("argv[0] missing") };
    let envp = [c"RAWSYS_CHILD=1".as_ptr(), ptr::null()];
    let own = [program.as_ptr(), c"--exit-with".as_ptr(), c"42".as_ptr(), ptr::null()];
    // SAFETY: the arrays hold live C strings and end with null.
    let mut started = unsafe { vfork_exec(program, &own, &envp) };
    if matches!(started, Err(Errno::ENOEXEC) | Err(Errno::ENOENT)) || !memory_is_shared() {
        // Under qemu-user an exec failure cannot be reported (see vfork_exec), so a child that
        // exits 127 may be a failed exec of the foreign binary: use the host's shell.
        if let Ok(pid) = started {
            let _ = waitid(WaitTarget::Pid(pid), nr::WEXITED);
        }
        let shell = [
            c"sh".as_ptr(),
            c"-c".as_ptr(),
            c"test \"$RAWSYS_CHILD\" = 1 && exit 42; exit 43".as_ptr(),
            ptr::null(),
        ];
        if sys::open(b"/bin/sh\0", nr::O_RDONLY, 0).map(sys::close).is_err() {
            return Outcome::Skipped(
                "the binary cannot execute itself here and there is no /bin/sh",
            );
        }
        // SAFETY: the arrays hold live C strings and end with null.
        started = unsafe { vfork_exec(c"/bin/sh", &shell, &envp) };
    }
    let pid = match started {
        Ok(pid) => pid,
        Err(errno) => return fail!("vfork_exec: {}", errno),
    };
    expect_eq!(waitid(WaitTarget::Pid(pid), nr::WEXITED), Ok(Some((pid, ExitStatus::Exited(42)))))
}

#[inline(never)]
fn exec_at_depth(
    depth: u32,
    path: &core::ffi::CStr,
    argv: &[*const c_char],
) -> (Result<rawsys::Pid, Errno>, bool) {
    let canary = core::hint::black_box([depth ^ 0x5a5a_0000; 16]);
    let (result, deeper_intact) = if depth == 0 {
        // SAFETY: `argv` holds live C strings and ends with null.
        (unsafe { vfork_exec(path, argv, &[ptr::null()]) }, true)
    } else {
        exec_at_depth(depth - 1, path, argv)
    };
    (result, deeper_intact && core::hint::black_box(canary) == [depth ^ 0x5a5a_0000; 16])
}

pub fn exec_keeps_the_parents_stack(context: &Context) -> Outcome {
    // vfork_exec's child runs on the parent's stack. Twenty frames with canaries sit above the
    // call; after a failed exec and after the binary itself is started, each frame must be
    // intact and return to its caller.
    let Some(program) = context.args.arg(0) else { return fail!("argv[0] missing") };
    let own = [program.as_ptr(), c"--exit-with".as_ptr(), c"0".as_ptr(), ptr::null()];
    let missing = [c"missing".as_ptr(), ptr::null()];
    let (failed, failed_intact) = exec_at_depth(20, c"/rawsys/no/such/program", &missing);
    let (started, started_intact) = exec_at_depth(20, program, &own);
    for pid in [failed, started].into_iter().flatten() {
        let _ = waitid(WaitTarget::Pid(pid), nr::WEXITED);
    }
    expect_eq!((failed_intact, started_intact, no_children_left()), (true, true, true))
}

/// When the binary runs as `--exit-with N`: exits with N, or N + 1 without `RAWSYS_CHILD=1`.
pub fn child_mode(args: &rawsys::start::StartArgs) -> Option<i32> {
    if args.arg(1).map(|arg| arg.to_bytes()) != Some(EXIT_WITH) {
        return None;
    }
    let code =
        args.arg(2)?.to_bytes().iter().fold(0i32, |code, digit| code * 10 + (*digit - b'0') as i32);
    let marked = args.env().any(|entry| entry.to_bytes() == b"RAWSYS_CHILD=1");
    Some(if marked { code } else { code + 1 })
}

/// The tests of this module, in the order they run.
pub const TESTS: &[crate::tests::Test] = &[
    ("vfork_clone_write_seen_on_return", clone_write_seen_on_return),
    ("vfork_clone_exit_status", clone_exit_status),
    ("vfork_clone_killed_by_signal", clone_killed_by_signal),
    ("vfork_clone_deep_recursion_leaves_parent_intact", clone_deep_recursion_leaves_parent_intact),
    ("vfork_clone_blocks_signals_and_restores_mask", clone_blocks_signals_and_restores_mask),
    ("waitid_nohang_then_exit", waitid_nohang_then_exit),
    ("wait4_status", wait4_status),
    ("vfork_exec_enoent", exec_enoent),
    ("vfork_exec_eacces", exec_eacces),
    ("vfork_exec_enoexec", exec_enoexec),
    ("vfork_exec_rejects_unterminated_arrays", exec_rejects_unterminated_arrays),
    ("vfork_exec_runs_a_program", exec_runs_a_program),
    ("vfork_exec_keeps_the_parents_stack", exec_keeps_the_parents_stack),
];
