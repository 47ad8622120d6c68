//! rawsys against `libc::syscall`: the same generated calls through both, the same value or
//! the same errno every time.
//!
//! The calls are harmless and, for the same arguments, answer the same way twice in a row:
//! identity queries, probes of processes and descriptors, seeks that set an absolute position,
//! reads of /dev/zero and writes to /dev/null, lookups of paths that do and do not exist. Each
//! generated call goes through rawsys (decoded or raw form, chosen at random) and then through
//! libc, and the two answers must agree.

use rawsys::{Errno, nr, raw};

const CALLS: usize = 120_000;

/// A small deterministic generator (xorshift64*), so a failure can be replayed by its seed.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One generated call: a number and six arguments (unused ones are zero).
#[derive(Clone, Copy, Debug)]
struct Call {
    number: u32,
    args: [usize; 6],
}

fn through_libc(call: Call) -> Result<usize, Errno> {
    let [a, b, c, d, e, f] = call.args;
    // SAFETY: the generator only produces harmless calls whose pointers are live.
    let result = unsafe { libc::syscall(call.number as libc::c_long, a, b, c, d, e, f) };
    if result == -1 {
        // SAFETY: errno is this thread's, read right after the failed call.
        Err(Errno::from_raw(unsafe { *libc::__errno_location() } as u32))
    } else {
        Ok(result as usize)
    }
}

fn through_rawsys(call: Call, form: u64) -> Result<usize, Errno> {
    let [a, b, c, d, e, f] = call.args;
    // SAFETY: as for `through_libc`; every form passes the same registers to the kernel.
    unsafe {
        match form {
            0 => rawsys::syscall6(call.number, a, b, c, d, e, f),
            1 => raw::syscall6(call.number, a, b, c, d, e, f).decode(),
            2 => rawsys::syscall3(call.number, a, b, c),
            _ => rawsys::syscall4(call.number, a, b, c, d),
        }
    }
}

struct Fixtures {
    memfd: usize,
    dev_zero: usize,
    dev_null: usize,
    buffer: Vec<u8>,
    paths: Vec<std::ffi::CString>,
}

fn open(path: &std::ffi::CStr, flags: i32) -> usize {
    // SAFETY: opens a NUL-terminated path.
    let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC) };
    assert!(fd >= 0, "{path:?}");
    fd as usize
}

fn generate(generator: &mut Generator, fixtures: &mut Fixtures) -> Call {
    let pid = std::process::id() as usize;
    let some_pid = generator.pick(&[0, 1, pid, pid + 1, 0x3fff_fff0, usize::MAX]);
    let low_fd = generator.below(64) as usize;
    let some_fd = generator.pick(&[
        0,
        1,
        2,
        fixtures.memfd,
        fixtures.dev_zero,
        fixtures.dev_null,
        4000,
        usize::MAX,
        low_fd,
    ]);
    let length = generator.below(4097) as usize;
    let buffer = fixtures.buffer.as_mut_ptr() as usize;
    let path =
        fixtures.paths[generator.below(fixtures.paths.len() as u64) as usize].as_ptr() as usize;
    let draw = generator.below(15);
    let (number, args) = match draw {
        0 => (nr::__NR_getpid, [0; 6]),
        1 => (nr::__NR_getppid, [0; 6]),
        2 => (nr::__NR_getuid, [0; 6]),
        3 => (nr::__NR_getegid, [0; 6]),
        4 => (nr::__NR_kill, [some_pid, 0, 0, 0, 0, 0]),
        5 => (nr::__NR_getpgid, [some_pid, 0, 0, 0, 0, 0]),
        6 => (nr::__NR_getsid, [some_pid, 0, 0, 0, 0, 0]),
        7 => {
            let command = generator.pick(&[nr::F_GETFD, nr::F_GETFL, 9999]);
            (nr::__NR_fcntl, [some_fd, command as usize, 0, 0, 0, 0])
        }
        8 => {
            // Whence values whose answer depends on the arguments only, never on the position
            // the previous call left (so not SEEK_CUR), and one that is no whence at all.
            let whence =
                generator.pick(&[nr::SEEK_SET, nr::SEEK_END, nr::SEEK_DATA, nr::SEEK_HOLE, 77]);
            let random = generator.next() as usize;
            let offset = generator.pick(&[0, 1, 4096, usize::MAX >> 1, usize::MAX, random]);
            (nr::__NR_lseek, [fixtures.memfd, offset, whence as usize, 0, 0, 0])
        }
        9 => (nr::__NR_read, [fixtures.dev_zero, buffer, length, 0, 0, 0]),
        10 => {
            let fd = generator.pick(&[fixtures.dev_null, 4000]);
            (nr::__NR_write, [fd, buffer, length, 0, 0, 0])
        }
        11 => {
            let size = generator.below(48) as usize;
            (nr::__NR_getcwd, [buffer, size, 0, 0, 0, 0])
        }
        12 => {
            let mode = generator.pick(&[0, 1, 2, 4, 8]);
            (nr::__NR_faccessat, [nr::AT_FDCWD as isize as usize, path, mode, 0, 0, 0])
        }
        13 => {
            let which = generator.below(4) as usize;
            (nr::__NR_getpriority, [which, some_pid, 0, 0, 0, 0])
        }
        _ => (nr::__NR_sched_getscheduler, [some_pid, 0, 0, 0, 0, 0]),
    };
    Call { number, args }
}

#[test]
fn rawsys_and_libc_agree_on_generated_calls() {
    let memfd = {
        // SAFETY: memfd_create reads a NUL-terminated name.
        let fd = unsafe { libc::memfd_create(c"differential".as_ptr(), libc::MFD_CLOEXEC) };
        assert!(fd >= 0);
        fd as usize
    };
    let mut fixtures = Fixtures {
        memfd,
        dev_zero: open(c"/dev/zero", libc::O_RDONLY),
        dev_null: open(c"/dev/null", libc::O_WRONLY),
        buffer: vec![0; 4096],
        paths: ["/", "/dev/null", "/nonexistent", "/proc/self/exe", "", "/dev/null/below"]
            .iter()
            .map(|path| std::ffi::CString::new(*path).unwrap())
            .collect(),
    };

    let seed = 0x5eed_1234_abcd_0001;
    let mut generator = Generator(seed);
    let mut errors = 0;
    let mut values = 0;
    let mut forms = [0usize; 4];
    for index in 0..CALLS {
        let call = generate(&mut generator, &mut fixtures);
        // The 3- and 4-argument forms only for calls whose later arguments are zero.
        let form = if call.args[3..].iter().all(|&arg| arg == 0) {
            generator.below(4)
        } else {
            generator.below(2)
        };
        forms[form as usize] += 1;
        let ours = through_rawsys(call, form);
        let theirs = through_libc(call);
        assert_eq!(ours, theirs, "call {index} (seed {seed:#x}, form {form}): {call:?}");
        if ours.is_err() { errors += 1 } else { values += 1 }
    }
    // Both outcomes must be well represented, or the test says little.
    assert!(errors > CALLS / 10 && values > CALLS / 10, "{errors} errors, {values} values");
    assert!(forms.iter().all(|&count| count > CALLS / 20), "{forms:?}");
    println!("{CALLS} calls: {values} values, {errors} errors, 0 mismatches; forms {forms:?}");
}
