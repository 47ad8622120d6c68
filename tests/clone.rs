//! vfork_exec and vfork_clone on the host kernel, where CLONE_VM really shares memory.

use std::ffi::{CString, c_char};
use std::ptr;

use rawsys::clone::{SignalSet, WaitTarget, sigprocmask, wait4, waitid};
use rawsys::{ChildStack, Errno, ExitStatus, nr, vfork_clone, vfork_exec};

/// A null-terminated pointer array over `strings`.
fn pointers(strings: &[CString]) -> Vec<*const c_char> {
    strings.iter().map(|string| string.as_ptr()).chain([ptr::null()]).collect()
}

fn strings(items: &[&str]) -> Vec<CString> {
    items.iter().map(|item| CString::new(*item).unwrap()).collect()
}

fn no_children_left() -> bool {
    matches!(waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG), Err(Errno::ECHILD))
}

// The tests below fork and reap children; the test harness runs tests on threads of one
// process, so a reaper of "any child" in one test could take another's. One lock orders them.
static CHILDREN: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn vfork_exec_runs_a_program_and_reports_its_status() {
    let _guard = CHILDREN.lock().unwrap();
    let argv = strings(&["sh", "-c", "exit 42"]);
    let envp = strings(&["PATH=/usr/bin:/bin"]);
    // SAFETY: the arrays point at live C strings and end with null.
    let pid = unsafe { vfork_exec(c"/bin/sh", &pointers(&argv), &pointers(&envp)) }.unwrap();
    let waited = waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap();
    assert_eq!(waited, Some((pid, ExitStatus::Exited(42))));
    assert!(no_children_left());
}

#[test]
fn vfork_exec_passes_arguments_and_environment() {
    let _guard = CHILDREN.lock().unwrap();
    let argv =
        strings(&["sh", "-c", "test \"$1\" = second && test \"$RAWSYS\" = env", "sh", "second"]);
    let envp = strings(&["RAWSYS=env"]);
    // SAFETY: the arrays point at live C strings and end with null.
    let pid = unsafe { vfork_exec(c"/bin/sh", &pointers(&argv), &pointers(&envp)) }.unwrap();
    assert_eq!(wait4(pid.raw() as i32, 0).unwrap(), Some((pid, ExitStatus::Exited(0))));
}

#[test]
fn vfork_exec_failures_are_errors_with_no_zombie() {
    let _guard = CHILDREN.lock().unwrap();
    let directory = std::env::temp_dir().join(format!("rawsys-clone-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let not_executable = directory.join("data");
    std::fs::write(&not_executable, b"plain data\n").unwrap();
    let garbage = directory.join("garbage");
    std::fs::write(&garbage, [0x7f, b'E', b'L', b'F', 0, 0, 0, 0]).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&not_executable, std::fs::Permissions::from_mode(0o644)).unwrap();

    let path = |p: &std::path::Path| CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    let argv = strings(&["x"]);
    let cases: [(CString, Errno); 4] = [
        (CString::new("/rawsys/none").unwrap(), Errno::ENOENT),
        (path(&not_executable), Errno::EACCES),
        (path(&garbage), Errno::ENOEXEC),
        (path(&directory), Errno::EACCES),
    ];
    for (program, expected) in cases {
        // SAFETY: the arrays point at live C strings and end with null.
        let result = unsafe { vfork_exec(&program, &pointers(&argv), &[ptr::null()]) };
        assert_eq!(result, Err(expected), "{program:?}");
        assert!(no_children_left(), "a zombie after {program:?}");
    }
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn vfork_exec_rejects_arrays_without_their_null() {
    let argv = strings(&["sh"]);
    let unterminated: Vec<*const c_char> = argv.iter().map(|s| s.as_ptr()).collect();
    // SAFETY: the pointers are live; the missing terminator is what is tested.
    let result = unsafe { vfork_exec(c"/bin/sh", &unterminated, &[ptr::null()]) };
    assert_eq!(result, Err(Errno::EINVAL));
    // SAFETY: as above, with an empty environment array.
    let result = unsafe { vfork_exec(c"/bin/sh", &pointers(&argv), &[]) };
    assert_eq!(result, Err(Errno::EINVAL));
}

#[test]
fn vfork_clone_shares_memory_and_suspends_the_parent() {
    let _guard = CHILDREN.lock().unwrap();
    let mut stack = ChildStack::<{ 64 * 1024 }>::new();
    let mut seen = [0u32; 3];
    let parent_pid = std::process::id();
    let mut child = || {
        // SAFETY: getpid has no arguments.
        seen[0] = unsafe { rawsys::syscall0(nr::__NR_getpid) }.unwrap() as u32;
        // Sleep, then write again: a parent running beside the child would return first.
        let pause = [0usize, 50_000_000];
        // SAFETY: nanosleep reads a timespec.
        let _ = unsafe { rawsys::syscall2(nr::__NR_nanosleep, pause.as_ptr() as usize, 0) };
        seen[1] = 7;
        seen[2] = parent_pid;
        9
    };
    // SAFETY: the closure allocates nothing, takes no lock and stays far within 64 KiB.
    let pid = unsafe { vfork_clone(&mut stack, &mut child) }.unwrap();
    let after_return = seen;
    assert_eq!(after_return[0], pid.raw(), "the child's write is visible");
    assert_eq!(after_return[1], 7, "the parent ran before the child ended");
    assert_eq!(
        waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap(),
        Some((pid, ExitStatus::Exited(9)))
    );
}

#[inline(never)]
fn recurse(depth: u32, floor: &mut [u8; 256]) -> u32 {
    // Fill a frame's worth of the stack at each level, so that every byte the recursion
    // uses is written.
    let mut local = [depth as u8; 256];
    local[0] = floor[255];
    let below = if depth == 0 { 0 } else { recurse(depth - 1, &mut local) };
    std::hint::black_box(&local);
    below + local[1] as u32
}

#[test]
fn vfork_clone_child_recursing_deeply_leaves_the_parent_intact() {
    let _guard = CHILDREN.lock().unwrap();
    let mut stack = ChildStack::<{ 256 * 1024 }>::new();
    let canary = std::hint::black_box([0x5a5a_5a5au32; 64]);
    let mut child = || {
        let mut floor = [0u8; 256];
        (recurse(400, &mut floor) % 200) as i32
    };
    // SAFETY: the recursion uses about 400 frames of a few hundred bytes, inside 256 KiB; it
    // allocates nothing and takes no lock.
    let pid = unsafe { vfork_clone(&mut stack, &mut child) }.unwrap();
    let status = waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap();
    assert!(matches!(status, Some((_, ExitStatus::Exited(_)))), "{status:?}");
    assert_eq!(std::hint::black_box(canary), [0x5a5a_5a5au32; 64]);
}

#[test]
fn vfork_clone_restores_the_parents_signal_mask() {
    let _guard = CHILDREN.lock().unwrap();
    let mut usr1 = SignalSet::empty();
    usr1.insert(nr::SIGUSR1);
    let before = sigprocmask(nr::SIG_BLOCK, Some(&usr1)).unwrap();
    let mut child_mask = SignalSet::empty();
    let mut stack = ChildStack::<{ 16 * 1024 }>::new();
    let mut child = || {
        child_mask = sigprocmask(nr::SIG_BLOCK, None).unwrap_or(SignalSet::empty());
        0
    };
    // SAFETY: the closure makes one system call and writes one local of the parent.
    let pid = unsafe { vfork_clone(&mut stack, &mut child) }.unwrap();
    waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap();
    let after = sigprocmask(nr::SIG_SETMASK, Some(&before)).unwrap();
    assert!(after.contains(nr::SIGUSR1) && !after.contains(nr::SIGTERM), "parent mask {after:?}");
    assert!(child_mask.contains(nr::SIGTERM), "the child runs with every signal blocked");
}

#[test]
fn exit_status_decodes_every_case() {
    assert_eq!(ExitStatus::from_wait_status(42 << 8), ExitStatus::Exited(42));
    assert_eq!(ExitStatus::from_wait_status(libc::SIGKILL), ExitStatus::Killed(9));
    assert_eq!(ExitStatus::from_wait_status(libc::SIGSEGV | 0x80), ExitStatus::CoreDumped(11));
    assert_eq!(ExitStatus::from_wait_status((libc::SIGSTOP << 8) | 0x7f), ExitStatus::Stopped(19));
    assert_eq!(ExitStatus::from_wait_status(0xffff), ExitStatus::Continued);
    // The same cases as libc's macros decode them.
    for status in [0, 42 << 8, 9, 11 | 0x80, (19 << 8) | 0x7f, 0xffff] {
        let decoded = ExitStatus::from_wait_status(status);
        if libc::WIFEXITED(status) {
            assert_eq!(decoded, ExitStatus::Exited(libc::WEXITSTATUS(status) as u8));
        } else if libc::WIFSIGNALED(status) {
            assert!(
                matches!(decoded, ExitStatus::Killed(s) | ExitStatus::CoreDumped(s) if s as i32 == libc::WTERMSIG(status))
            );
        } else if libc::WIFSTOPPED(status) {
            assert_eq!(decoded, ExitStatus::Stopped(libc::WSTOPSIG(status) as u32));
        } else {
            assert!(libc::WIFCONTINUED(status));
            assert_eq!(decoded, ExitStatus::Continued);
        }
    }
}

#[test]
fn waitid_reports_a_signal_death() {
    let _guard = CHILDREN.lock().unwrap();
    let argv = strings(&["sh", "-c", "kill -TERM $$"]);
    // SAFETY: the arrays point at live C strings and end with null.
    let pid = unsafe { vfork_exec(c"/bin/sh", &pointers(&argv), &[ptr::null()]) }.unwrap();
    let waited = waitid(WaitTarget::Pid(pid), nr::WEXITED).unwrap();
    assert_eq!(waited, Some((pid, ExitStatus::Killed(nr::SIGTERM))));
}
