//! spawn on the host: each action observed from the child, each failure reported with its step
//! and errno, nothing left behind.

use std::ffi::{CString, c_char};
use std::os::fd::AsRawFd;
use std::ptr;
use std::sync::Mutex;

use rawsys::clone::{SignalSet, WaitTarget, waitid};
use rawsys::spawn::{Action, ActionKind, FailedStep, Spawn, SpawnError};
use rawsys::{Errno, ExitStatus, Pid, nr};

// Tests reap children and count descriptors: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn strings(items: &[&str]) -> Vec<CString> {
    items.iter().map(|item| CString::new(*item).unwrap()).collect()
}

fn pointers(strings: &[CString]) -> Vec<*const c_char> {
    strings.iter().map(|string| string.as_ptr()).chain([ptr::null()]).collect()
}

fn wait(pid: Pid) -> ExitStatus {
    loop {
        match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
            Ok(Some((_, status))) => return status,
            Err(Errno::EINTR) => continue,
            other => panic!("waitid: {other:?}"),
        }
    }
}

/// Runs `script` under /bin/sh with `actions`, returns the exit status.
fn sh(script: &str, actions: &[Action<'_>]) -> Result<ExitStatus, SpawnError> {
    let argv = strings(&["sh", "-c", script]);
    let envp = strings(&["PATH=/usr/bin:/bin"]);
    let (argv, envp) = (pointers(&argv), pointers(&envp));
    // SAFETY: the arrays point at live C strings and end with null.
    let pid = unsafe { Spawn::new(c"/bin/sh", &argv, &envp).actions(actions).spawn() }?;
    Ok(wait(pid))
}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn no_children_left() -> bool {
    waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG) == Err(Errno::ECHILD)
}

#[test]
fn dup2_places_a_descriptor() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (mut reader, writer) = std::io::pipe().unwrap();
    let actions = [Action::Dup2 { from: writer.as_raw_fd(), to: 5 }];
    assert_eq!(sh("echo through-five >&5", &actions), Ok(ExitStatus::Exited(0)));
    drop(writer);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut reader, &mut text).unwrap();
    assert_eq!(text, "through-five\n");
}

#[test]
fn dup2_onto_itself_clears_close_on_exec() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // std's pipes are close-on-exec: without the action the child would not see it.
    let (_reader, writer) = std::io::pipe().unwrap();
    let fd = writer.as_raw_fd();
    let probe = format!("test -e /proc/self/fd/{fd}");
    assert_eq!(sh(&probe, &[]), Ok(ExitStatus::Exited(1)));
    assert_eq!(sh(&probe, &[Action::Dup2 { from: fd, to: fd }]), Ok(ExitStatus::Exited(0)));
}

#[test]
fn close_and_close_from() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let file = std::fs::File::open("/dev/null").unwrap();
    // Copies without close-on-exec, at known numbers.
    let kept = [40, 41, 42];
    for fd in kept {
        // SAFETY: dup2 onto numbers this test owns.
        assert_eq!(unsafe { libc::dup2(file.as_raw_fd(), fd) }, fd);
    }
    let present =
        "test -e /proc/self/fd/40 && test -e /proc/self/fd/41 && test -e /proc/self/fd/42";
    assert_eq!(sh(present, &[]), Ok(ExitStatus::Exited(0)));
    let closed_one = "test ! -e /proc/self/fd/40 && test -e /proc/self/fd/41";
    assert_eq!(sh(closed_one, &[Action::Close(40)]), Ok(ExitStatus::Exited(0)));
    let closed_all =
        "test ! -e /proc/self/fd/41 && test ! -e /proc/self/fd/42 && test -e /proc/self/fd/2";
    assert_eq!(sh(closed_all, &[Action::CloseFrom(41)]), Ok(ExitStatus::Exited(0)));
    for fd in kept {
        // SAFETY: closes the copies made above.
        unsafe { libc::close(fd) };
    }
}

#[test]
fn open_onto_a_descriptor() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let path = std::env::temp_dir().join(format!("rawsys-spawn-open-{}", std::process::id()));
    let c_path = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    let actions = [Action::Open {
        fd: 7,
        path: &c_path,
        flags: nr::O_WRONLY | nr::O_CREAT | nr::O_TRUNC,
        mode: 0o600,
    }];
    assert_eq!(sh("echo opened >&7", &actions), Ok(ExitStatus::Exited(0)));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "opened\n");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn chdir_and_fchdir() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    assert_eq!(sh("test \"$(pwd -P)\" = /", &[Action::Chdir(c"/")]), Ok(ExitStatus::Exited(0)));
    let directory = std::fs::File::open("/proc").unwrap();
    let actions = [Action::Fchdir(directory.as_raw_fd())];
    assert_eq!(sh("test \"$(pwd -P)\" = /proc", &actions), Ok(ExitStatus::Exited(0)));
}

#[test]
fn setsid_and_setpgid() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // Fields 5 and 6 of /proc/PID/stat are the process group and the session ("sh" has no
    // space in its name).
    let session = "read pid comm state ppid group session rest < /proc/$$/stat; test $session = $$";
    let group = "read pid comm state ppid group session rest < /proc/$$/stat; test $group = $$";
    assert_eq!(sh(session, &[]), Ok(ExitStatus::Exited(1)));
    assert_eq!(sh(session, &[Action::Setsid]), Ok(ExitStatus::Exited(0)));
    assert_eq!(sh(group, &[Action::Setpgid(0)]), Ok(ExitStatus::Exited(0)));
}

/// The hexadecimal mask /proc/PID/status shows for a set of signals.
fn status_mask(signals: &[u32]) -> String {
    format!("{:016x}", signals.iter().fold(0u64, |mask, signal| mask | 1 << (signal - 1)))
}

#[test]
fn signal_mask_of_the_program() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // The shell blocks signals of its own while it waits for a command, so the mask is read
    // by a grep that replaces the shell.
    let check = |expected: &str| format!("exec grep -q '^SigBlk:\t{expected}$' /proc/self/status");
    // Without an action, the caller's mask (here: empty).
    assert_eq!(sh(&check(&status_mask(&[])), &[]), Ok(ExitStatus::Exited(0)));
    let mut set = SignalSet::empty();
    set.insert(nr::SIGUSR1);
    set.insert(nr::SIGHUP);
    let expected = status_mask(&[nr::SIGUSR1, nr::SIGHUP]);
    assert_eq!(sh(&check(&expected), &[Action::SetSignalMask(set)]), Ok(ExitStatus::Exited(0)));
}

#[test]
fn reset_signals_undoes_an_ignore() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: ignoring SIGWINCH affects nothing else in this test process.
    unsafe { libc::signal(libc::SIGWINCH, libc::SIG_IGN) };
    let ignored = format!(
        "grep -q '^SigIgn:\t.*' /proc/$$/status && test $(( 0x$(sed -n 's/^SigIgn:\t//p' /proc/$$/status) & {} )) -ne 0",
        1u64 << (nr::SIGWINCH - 1)
    );
    let default = ignored.replace("-ne 0", "-eq 0");
    assert_eq!(sh(&ignored, &[]), Ok(ExitStatus::Exited(0)), "an ignored signal stays ignored");
    let mut set = SignalSet::empty();
    set.insert(nr::SIGWINCH);
    assert_eq!(sh(&default, &[Action::ResetSignals(set)]), Ok(ExitStatus::Exited(0)));
    // SAFETY: restores the default disposition.
    unsafe { libc::signal(libc::SIGWINCH, libc::SIG_DFL) };
}

#[test]
fn credentials_when_root() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        eprintln!("SKIPPED credentials_when_root: needs root");
        return;
    }
    let actions = [Action::SetGroups(&[4242]), Action::SetGid(4343), Action::SetUid(4444)];
    let check = "grep -q '^Uid:\t4444\t4444\t4444' /proc/$$/status && grep -q '^Gid:\t4343\t4343\t4343' /proc/$$/status && grep -q '^Groups:\t4242 *$' /proc/$$/status";
    assert_eq!(sh(check, &actions), Ok(ExitStatus::Exited(0)));
}

#[test]
fn resource_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let actions = [Action::SetRlimit { resource: nr::RLIMIT_NOFILE, soft: 77, hard: 99 }];
    assert_eq!(
        sh("test $(ulimit -n) = 77 && test $(ulimit -Hn) = 99", &actions),
        Ok(ExitStatus::Exited(0))
    );
}

#[test]
fn parent_death_signal() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // A middle process spawns a sleeper that asks for SIGTERM when its parent dies, then the
    // middle process exits. This test process is a subreaper, so the sleeper comes back to it.
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) takes an integer.
    assert_eq!(unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) }, 0);
    let argv = strings(&["sh", "-c", "exec sleep 5"]);
    let argv = pointers(&argv);
    // SAFETY: the middle child only spawns and exits.
    let middle = unsafe { libc::fork() };
    if middle == 0 {
        let actions = [Action::ParentDeathSignal(nr::SIGTERM)];
        // SAFETY: the arrays point at live C strings and end with null.
        let started =
            unsafe { Spawn::new(c"/bin/sh", &argv, &[ptr::null()]).actions(&actions).spawn() };
        // SAFETY: ends the middle process at once.
        unsafe { libc::_exit(if started.is_ok() { 0 } else { 1 }) };
    }
    let middle = Pid::from_raw(middle as u32);
    assert_eq!(wait(middle), ExitStatus::Exited(0));
    let (_, status) = loop {
        match waitid(WaitTarget::Any, nr::WEXITED) {
            Ok(Some(found)) => break found,
            Err(Errno::EINTR) => continue,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(status, ExitStatus::Killed(nr::SIGTERM));
}

#[test]
fn path_search_follows_execvp() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let argv = strings(&["sh", "-c", "exit 12"]);
    let argv = pointers(&argv);
    let envp = [ptr::null()];
    let run = |name: &std::ffi::CStr, path: &[u8]| {
        // SAFETY: the arrays point at live C strings and end with null.
        unsafe { Spawn::search(name, path, &argv, &envp).spawn() }.map(wait)
    };
    assert_eq!(run(c"sh", b"/nonexistent:/usr/bin:/bin"), Ok(ExitStatus::Exited(12)));
    assert_eq!(
        run(c"sh", b"/nonexistent"),
        Err(SpawnError { step: FailedStep::Exec, errno: Errno::ENOENT })
    );
    // A directory named like the program is found but cannot be executed: EACCES once the
    // search is over.
    let directory = std::env::temp_dir().join(format!("rawsys-search-{}", std::process::id()));
    std::fs::create_dir_all(directory.join("sh")).unwrap();
    let path = directory.as_os_str().as_encoded_bytes().to_vec();
    assert_eq!(run(c"sh", &path), Err(SpawnError { step: FailedStep::Exec, errno: Errno::EACCES }));
    let mut with_fallback = path.clone();
    with_fallback.extend_from_slice(b":/bin");
    assert_eq!(run(c"sh", &with_fallback), Ok(ExitStatus::Exited(12)));
    // A name with a slash is not searched.
    assert_eq!(run(c"/bin/sh", b"/nonexistent"), Ok(ExitStatus::Exited(12)));
    std::fs::remove_dir_all(&directory).unwrap();
    assert!(no_children_left());
}

#[test]
fn failures_name_their_step_and_leave_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let descriptors = open_descriptors();
    let directory = std::env::temp_dir().join(format!("rawsys-spawn-fail-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let data = directory.join("data");
    std::fs::write(&data, b"not a program\n").unwrap();
    let garbage = directory.join("garbage");
    std::fs::write(&garbage, [0x7f, b'E', b'L', b'F', 2, 1, 1, 0]).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o755)).unwrap();
    let c = |p: &std::path::Path| CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    let (data, garbage) = (c(&data), c(&garbage));

    let argv = strings(&["x"]);
    let argv = pointers(&argv);
    let envp = [ptr::null()];
    let exec = |errno| Err(SpawnError { step: FailedStep::Exec, errno });
    let action =
        |index, kind, errno| Err(SpawnError { step: FailedStep::Action { index, kind }, errno });
    let start = |path: &std::ffi::CStr, actions: &[Action<'_>]| {
        // SAFETY: the arrays point at live C strings and end with null.
        unsafe { Spawn::new(path, &argv, &envp).actions(actions).spawn() }
    };

    assert_eq!(start(c"/rawsys/none", &[]), exec(Errno::ENOENT));
    assert_eq!(start(&data, &[]), exec(Errno::EACCES));
    assert_eq!(start(&garbage, &[]), exec(Errno::ENOEXEC));
    let huge = CString::new(vec![b'a'; 200 * 1024]).unwrap();
    let big_argv = [huge.as_ptr(), ptr::null()];
    // SAFETY: the arrays point at live C strings and end with null.
    let too_big = unsafe { Spawn::new(c"/bin/sh", &big_argv, &envp).spawn() };
    assert_eq!(too_big, exec(Errno::E2BIG));
    assert_eq!(
        start(c"/bin/sh", &[Action::Setsid, Action::Dup2 { from: 999, to: 5 }]),
        action(1, ActionKind::Dup2, Errno::EBADF)
    );
    assert_eq!(
        start(c"/bin/sh", &[Action::Chdir(c"/rawsys/no/directory")]),
        action(0, ActionKind::Chdir, Errno::ENOENT)
    );
    assert_eq!(
        start(c"/bin/sh", &[Action::Chdir(c"/"), Action::Fchdir(998)]),
        action(1, ActionKind::Fchdir, Errno::EBADF)
    );
    assert_eq!(
        start(c"/bin/sh", &[Action::Close(997)]),
        action(0, ActionKind::Close, Errno::EBADF)
    );
    let unterminated = [huge.as_ptr()];
    // SAFETY: the pointer is live; the missing terminator is what is tested.
    let rejected = unsafe { Spawn::new(c"/bin/sh", &unterminated, &envp).spawn() };
    assert_eq!(rejected, Err(SpawnError { step: FailedStep::Setup, errno: Errno::EINVAL }));

    assert!(no_children_left(), "a failed start left a zombie");
    assert_eq!(open_descriptors(), descriptors, "a failed start left a descriptor");
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn errors_print_their_step() {
    let error = SpawnError {
        step: FailedStep::Action { index: 2, kind: ActionKind::Dup2 },
        errno: Errno::EBADF,
    };
    assert_eq!(error.to_string(), "action 2 (Dup2) failed: EBADF: bad file descriptor");
}
