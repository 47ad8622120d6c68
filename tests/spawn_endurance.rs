//! 10,000 starts, successful and failing, leave the parent as they found it: the same
//! descriptors, no zombie, the same resident memory.

use std::ptr;

use rawsys::clone::{WaitTarget, waitid};
use rawsys::spawn::{Action, ActionKind, FailedStep, Spawn};
use rawsys::{Errno, ExitStatus, nr};

const STARTS: usize = 10_000;

// The measurements allocate nothing, so that they do not change what they measure.

/// The number of open descriptors, from /proc/self/fd (less the one reading it).
fn open_descriptors() -> usize {
    // SAFETY: opens a directory; the path is NUL-terminated.
    let fd = unsafe {
        rawsys::syscall4(
            nr::__NR_openat,
            nr::AT_FDCWD as isize as usize,
            c"/proc/self/fd".as_ptr() as usize,
            (nr::O_RDONLY | nr::O_DIRECTORY | nr::O_CLOEXEC) as usize,
            0,
        )
    }
    .unwrap();
    let mut buffer = [0u8; 8192];
    let mut count = 0;
    loop {
        // SAFETY: getdents64 writes at most `buffer.len()` bytes of records into `buffer`.
        let length = unsafe {
            rawsys::syscall3(nr::__NR_getdents64, fd, buffer.as_mut_ptr() as usize, buffer.len())
        }
        .unwrap();
        if length == 0 {
            break;
        }
        // Each record: inode (8), offset (8), length (2), type (1), name.
        let mut at = 0;
        while at < length {
            let record = u16::from_ne_bytes([buffer[at + 16], buffer[at + 17]]) as usize;
            if buffer[at + 19] != b'.' {
                count += 1;
            }
            at += record;
        }
    }
    // SAFETY: closes the directory opened above.
    unsafe { rawsys::syscall1(nr::__NR_close, fd) }.unwrap();
    count - 1
}

/// Resident pages, the second field of /proc/self/statm.
fn resident_pages() -> usize {
    let mut buffer = [0u8; 128];
    // SAFETY: opens and reads a small file into a stack buffer.
    let length = unsafe {
        let fd = rawsys::syscall4(
            nr::__NR_openat,
            nr::AT_FDCWD as isize as usize,
            c"/proc/self/statm".as_ptr() as usize,
            (nr::O_RDONLY | nr::O_CLOEXEC) as usize,
            0,
        )
        .unwrap();
        let length =
            rawsys::syscall3(nr::__NR_read, fd, buffer.as_mut_ptr() as usize, buffer.len());
        rawsys::syscall1(nr::__NR_close, fd).unwrap();
        length.unwrap()
    };
    let text = &buffer[..length];
    let second = text.split(|&byte| byte == b' ').nth(1).unwrap();
    second.iter().fold(0, |value, digit| value * 10 + (digit - b'0') as usize)
}

fn start_and_wait(fail: bool) {
    let argv = [c"true".as_ptr(), ptr::null()];
    let envp = [ptr::null()];
    let actions = [Action::Dup2 { from: 100_000, to: 3 }];
    let spawn = Spawn::new(c"/bin/true", &argv, &envp);
    let spawn = if fail { spawn.actions(&actions) } else { spawn };
    // SAFETY: the arrays hold live C strings and end with null.
    match unsafe { spawn.spawn() } {
        Ok(pid) => loop {
            match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
                Ok(status) => break assert_eq!(status, Some((pid, ExitStatus::Exited(0)))),
                Err(Errno::EINTR) => continue,
                Err(errno) => panic!("waitid: {errno}"),
            }
        },
        Err(error) => {
            assert!(fail, "{error}");
            assert_eq!(error.step, FailedStep::Action { index: 0, kind: ActionKind::Dup2 });
            assert_eq!(error.errno, Errno::EBADF);
        }
    }
}

#[test]
fn ten_thousand_starts_leave_nothing_behind() {
    // Warm up: the first starts fault in the code and data they use.
    for round in 0..200 {
        start_and_wait(round % 2 == 1);
    }
    let (descriptors, resident) = (open_descriptors(), resident_pages());
    for round in 0..STARTS {
        start_and_wait(round % 2 == 1);
    }
    assert_eq!(open_descriptors(), descriptors, "descriptors");
    assert_eq!(waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG), Err(Errno::ECHILD), "zombies");
    let grown = resident_pages().saturating_sub(resident);
    assert_eq!(grown, 0, "resident memory grew by {grown} pages over {STARTS} starts");
}
