//! minit: a container init, freestanding, built on rawsys.
//!
//! ```text
//! minit [-g] [-v] [--] program [args...]
//! ```
//!
//! minit starts the program and stays with it until it exits:
//!
//! - it reaps every child that ends, the orphans the program leaves behind included: as PID 1
//!   they come to it by nature, otherwise it asks to be a child subreaper
//!   (`PR_SET_CHILD_SUBREAPER`) so that they come to it all the same;
//! - it forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH to the
//!   program, or with `-g` to the program's whole process group (the program then starts in a
//!   new session of its own, and every process it starts in that group gets the signal too);
//! - when the program ends, it collects the zombies that are ready and exits with the program's
//!   exit code, or 128 + the signal number when a signal killed it;
//! - a program that cannot start is reported on stderr with its path and errno, and minit
//!   exits with 127 when it does not exist (`ENOENT`) and 126 for any other reason.
//!
//! `-v` reports each start, forwarded signal and reaped child on stderr.
//!
//! minit installs no signal handler. It blocks the signals it forwards and SIGCHLD, and takes
//! them one at a time from `rt_sigtimedwait`: a signal is an event of the main loop, never an
//! interruption of it. The program starts with the mask minit itself was started with.
//!
//! Under a real kernel as `/init`, minit powers the machine off once the program has ended,
//! but only when it is PID 1 and the kernel command line carries `rawsys.poweroff=1` (the word
//! the real-kernel harness adds); in every other case it exits like any other process.
//!
//! # Limitations
//!
//! - Under qemu-user, which emulates vfork with a plain fork, a failed start looks like a
//!   program that exited with 127 (see `rawsys::spawn`): 126 cannot be told apart there.
//! - With `-g`, minit does not make the program's session take a controlling terminal.

#![no_std]
#![no_main]

use core::ffi::{CStr, c_char};
use core::mem::MaybeUninit;

use rawsys::clone::{SignalSet, WaitTarget, sigprocmask, waitid};
use rawsys::spawn::{Action, FailedStep, Spawn};
use rawsys::{Errno, ExitStatus, Pid, nr};

/// The signals minit passes on, with their names for `-v`.
const FORWARDED: [(u32, &str); 7] = [
    (nr::SIGTERM, "SIGTERM"),
    (nr::SIGINT, "SIGINT"),
    (nr::SIGHUP, "SIGHUP"),
    (nr::SIGQUIT, "SIGQUIT"),
    (nr::SIGUSR1, "SIGUSR1"),
    (nr::SIGUSR2, "SIGUSR2"),
    (nr::SIGWINCH, "SIGWINCH"),
];

/// Where `PATH` is not set: the usual directories of a root shell.
const DEFAULT_PATH: &[u8] = b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The word of the kernel command line that lets minit, as PID 1, power the machine off.
const POWER_OFF_MARKER: &[u8] = b"rawsys.poweroff=1";

/// The errors a start or a setup step can meet, named here rather than through `Errno::name`,
/// whose table of every errno would be a third of minit's size.
const ERRNO_NAMES: [(Errno, &str, &str); 12] = [
    (Errno::ENOENT, "ENOENT", "no such file or directory"),
    (Errno::EACCES, "EACCES", "permission denied"),
    (Errno::ENOEXEC, "ENOEXEC", "exec format error"),
    (Errno::ENOTDIR, "ENOTDIR", "not a directory"),
    (Errno::ELOOP, "ELOOP", "too many levels of symbolic links"),
    (Errno::ENAMETOOLONG, "ENAMETOOLONG", "file name too long"),
    (Errno::E2BIG, "E2BIG", "argument list too long"),
    (Errno::ENOMEM, "ENOMEM", "out of memory"),
    (Errno::ETXTBSY, "ETXTBSY", "text file busy"),
    (Errno::EPERM, "EPERM", "operation not permitted"),
    (Errno::EINVAL, "EINVAL", "invalid argument"),
    (Errno::EAGAIN, "EAGAIN", "resource temporarily unavailable"),
];

const USAGE: &str = "usage: minit [-g] [-v] [--] program [args...]\n";

// riscv32 has only the 64-bit-time form; with no timeout, both forms are the same call.
#[cfg(not(target_arch = "riscv32"))]
const SIGTIMEDWAIT: u32 = nr::__NR_rt_sigtimedwait;
#[cfg(target_arch = "riscv32")]
const SIGTIMEDWAIT: u32 = nr::__NR_rt_sigtimedwait_time64;

/// A line for stderr, built in place and written with one `write`: no allocation, no
/// formatting machinery.
struct Line {
    bytes: [u8; 512],
    length: usize,
}

impl Line {
    fn new() -> Line {
        let mut line = Line { bytes: [0; 512], length: 0 };
        line.text(b"minit: ");
        line
    }

    // No slicing or indexing here or below: a panic path would pull core's formatting code
    // into the binary. A line longer than the buffer is cut.
    fn text(&mut self, text: &[u8]) -> &mut Line {
        for (slot, &byte) in self.bytes.iter_mut().skip(self.length).zip(text) {
            *slot = byte;
            self.length += 1;
        }
        self
    }

    fn str(&mut self, text: &str) -> &mut Line {
        self.text(text.as_bytes())
    }

    fn number(&mut self, value: i64) -> &mut Line {
        if value < 0 {
            self.text(b"-");
        }
        let value = value.unsigned_abs();
        let mut divisor = 1;
        while divisor <= value / 10 {
            divisor *= 10;
        }
        loop {
            let digit = value.checked_div(divisor).unwrap_or(0) % 10;
            self.text(&[b'0' + digit as u8]);
            if divisor == 1 {
                return self;
            }
            divisor /= 10;
        }
    }

    fn errno(&mut self, errno: Errno) -> &mut Line {
        match ERRNO_NAMES.iter().find(|(number, _, _)| *number == errno) {
            Some((_, name, meaning)) => self.str(name).text(b" (").str(meaning).text(b")"),
            None => self.text(b"errno ").number(errno.raw() as i64),
        }
    }

    fn status(&mut self, status: ExitStatus) -> &mut Line {
        match status {
            ExitStatus::Exited(code) => self.text(b"exited ").number(code as i64),
            ExitStatus::Killed(signal) => self.text(b"killed by signal ").number(signal as i64),
            ExitStatus::CoreDumped(signal) => {
                self.text(b"killed by signal ").number(signal as i64).text(b", core dumped")
            }
            ExitStatus::Stopped(signal) => self.text(b"stopped by signal ").number(signal as i64),
            ExitStatus::Continued => self.text(b"continued"),
        }
    }

    fn emit(&mut self) {
        self.text(b"\n");
        write_all(2, self.bytes.get(..self.length).unwrap_or(&[]));
    }
}

fn write_all(fd: usize, mut rest: &[u8]) {
    while !rest.is_empty() {
        // SAFETY: `write` reads `rest.len()` bytes from a live slice.
        match unsafe { rawsys::syscall3(nr::__NR_write, fd, rest.as_ptr() as usize, rest.len()) } {
            Ok(written) => rest = rest.get(written..).unwrap_or(&[]),
            Err(Errno::EINTR) => {}
            Err(_) => return,
        }
    }
}

/// The options before the program.
struct Options {
    process_group: bool,
    verbose: bool,
    /// The index in argv of the program.
    program: usize,
}

fn parse_options(args: &rawsys::start::StartArgs) -> Result<Options, &'static str> {
    let mut options = Options { process_group: false, verbose: false, program: 0 };
    let mut index = 1;
    while let Some(arg) = args.arg(index) {
        match arg.to_bytes() {
            b"--" => {
                index += 1;
                break;
            }
            b"-g" => options.process_group = true,
            b"-v" => options.verbose = true,
            b"-h" | b"--help" => return Err(""),
            [b'-', ..] => return Err("unknown option"),
            _ => break,
        }
        index += 1;
    }
    if index >= args.argc() {
        return Err("no program given");
    }
    options.program = index;
    Ok(options)
}

fn getpid() -> usize {
    // SAFETY: getpid takes no arguments and cannot fail.
    unsafe { rawsys::syscall0(nr::__NR_getpid) }.unwrap_or(0)
}

/// `rt_sigaction(signal, SIG_DFL)`; SPARC passes a restorer argument before the set size.
fn reset_to_default(signal: u32) {
    // A zeroed action is SIG_DFL, with no flags and an empty mask, on every layout.
    let default = MaybeUninit::<nr::kernel_sigaction>::zeroed();
    let action = default.as_ptr() as usize;
    let size = (nr::_NSIG / 8) as usize;
    #[cfg(not(any(target_arch = "sparc", target_arch = "sparc64")))]
    // SAFETY: the kernel reads one `kernel_sigaction` from a live, zeroed value.
    let _ = unsafe { rawsys::syscall4(nr::__NR_rt_sigaction, signal as usize, action, 0, size) };
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    // SAFETY: as above; the fourth argument is the (absent) restorer.
    let _ = unsafe { rawsys::syscall5(nr::__NR_rt_sigaction, signal as usize, action, 0, 0, size) };
}

/// Waits for one signal of `set`, which must be blocked; returns its number.
fn wait_for_signal(set: &SignalSet) -> u32 {
    loop {
        // SAFETY: the kernel reads the set (`_NSIG / 8` bytes); no siginfo and no timeout are
        // passed, so it writes nothing.
        let taken = unsafe {
            rawsys::syscall4(
                SIGTIMEDWAIT,
                set as *const SignalSet as usize,
                0,
                0,
                (nr::_NSIG / 8) as usize,
            )
        };
        if let Ok(signal) = taken {
            return signal as u32;
        }
        // EINTR (a stop and continue) is the only error a valid call can see: wait again.
    }
}

/// Whether this process, as PID 1, may power the machine off: the kernel command line must
/// carry the marker. /proc is mounted first when it is missing, as under a bare initramfs.
fn power_off_allowed() -> bool {
    let path = c"/proc/cmdline";
    let open = || {
        // SAFETY: openat reads a NUL-terminated path.
        unsafe {
            rawsys::syscall4(
                nr::__NR_openat,
                nr::AT_FDCWD as isize as usize,
                path.as_ptr() as usize,
                (nr::O_RDONLY | nr::O_CLOEXEC) as usize,
                0,
            )
        }
    };
    let fd = match open() {
        Ok(fd) => fd,
        Err(_) => {
            // SAFETY: creates a directory and mounts proc on it; every path is NUL-terminated.
            unsafe {
                let _ = rawsys::syscall3(
                    nr::__NR_mkdirat,
                    nr::AT_FDCWD as isize as usize,
                    c"/proc".as_ptr() as usize,
                    0o555,
                );
                let _ = rawsys::syscall5(
                    nr::__NR_mount,
                    c"proc".as_ptr() as usize,
                    c"/proc".as_ptr() as usize,
                    c"proc".as_ptr() as usize,
                    0,
                    0,
                );
            }
            match open() {
                Ok(fd) => fd,
                Err(_) => return false,
            }
        }
    };
    let mut command_line = [0u8; 2048];
    // SAFETY: read writes at most `command_line.len()` bytes into the buffer.
    let length = unsafe {
        rawsys::syscall3(nr::__NR_read, fd, command_line.as_mut_ptr() as usize, command_line.len())
    }
    .unwrap_or(0);
    // SAFETY: closes the descriptor opened above.
    let _ = unsafe { rawsys::syscall1(nr::__NR_close, fd) };
    command_line
        .get(..length)
        .unwrap_or(&[])
        .split(|&byte| byte == b' ' || byte == b'\n')
        .any(|word| word == POWER_OFF_MARKER)
}

/// Syncs and powers the machine off. Only called as PID 1 with the marker on the command line.
fn power_off() {
    // SAFETY: reached only as PID 1 of a machine whose command line asks for it (see
    // `power_off_allowed`); sync and reboot take integers.
    unsafe {
        let _ = rawsys::syscall0(nr::__NR_sync);
        let _ = rawsys::syscall4(
            nr::__NR_reboot,
            nr::LINUX_REBOOT_MAGIC1 as usize,
            nr::LINUX_REBOOT_MAGIC2 as usize,
            nr::LINUX_REBOOT_CMD_POWER_OFF as usize,
            0,
        );
    }
}

/// The exit code that reports `status` as a shell would.
fn exit_code(status: ExitStatus) -> i32 {
    match status {
        ExitStatus::Exited(code) => code as i32,
        ExitStatus::Killed(signal) | ExitStatus::CoreDumped(signal) => 128 + signal as i32,
        // Not asked for (only WEXITED is waited for); reported as a failure should it come.
        ExitStatus::Stopped(_) | ExitStatus::Continued => 1,
    }
}

/// Reaps every child that has ended, without waiting. Returns the main child's status when it
/// was among them.
fn reap_ready(main: Pid, verbose: bool) -> Option<ExitStatus> {
    let mut main_status = None;
    while let Ok(Some((pid, status))) = waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG) {
        if verbose {
            Line::new().text(b"reaped ").number(pid.raw() as i64).text(b", ").status(status).emit();
        }
        if pid == main {
            main_status = Some(status);
        }
    }
    main_status
}

fn main(args: &rawsys::start::StartArgs) -> i32 {
    let options = match parse_options(args) {
        Ok(options) => options,
        Err(problem) => {
            if !problem.is_empty() {
                Line::new().str(problem).emit();
            }
            write_all(2, USAGE.as_bytes());
            return 2;
        }
    };
    let verbose = options.verbose;

    // Everything minit waits for is blocked from here on; the program gets the mask minit
    // started with.
    let mut waited = SignalSet::empty();
    waited.insert(nr::SIGCHLD);
    for (signal, _) in FORWARDED {
        waited.insert(signal);
    }
    let Ok(original_mask) = sigprocmask(nr::SIG_BLOCK, Some(&waited)) else {
        Line::new().str("cannot block signals").emit();
        return 1;
    };
    // An inherited SIG_IGN on SIGCHLD would have the kernel reap children without minit.
    reset_to_default(nr::SIGCHLD);

    let pid_one = getpid() == 1;
    let may_power_off = pid_one && power_off_allowed();
    let mut subreaper = false;
    if !pid_one {
        // SAFETY: prctl with integer arguments changes only this process's attributes.
        let registered = unsafe {
            rawsys::syscall2(
                nr::__NR_prctl,
                rawsys::linux_raw_sys::prctl::PR_SET_CHILD_SUBREAPER as usize,
                1,
            )
        };
        match registered {
            Ok(_) => subreaper = true,
            // qemu-user, for one, refuses it: the program's orphans then go past minit.
            Err(errno) => Line::new().str("cannot become a child subreaper: ").errno(errno).emit(),
        }
    }

    // SAFETY: `program` < argc, so argv[program..] is the kernel's tail of argument pointers,
    // ending with its null, alive for the whole process.
    let argv: &[*const c_char] = unsafe {
        core::slice::from_raw_parts(
            args.argv().add(options.program),
            args.argc() - options.program + 1,
        )
    };
    let environment_length = args.env().count();
    // SAFETY: the kernel's environment array has `environment_length` pointers and a null.
    let envp: &[*const c_char] =
        unsafe { core::slice::from_raw_parts(args.envp(), environment_length + 1) };
    let path = args
        .env()
        .find_map(|variable| variable.to_bytes().strip_prefix(b"PATH="))
        .unwrap_or(DEFAULT_PATH);
    let program: &CStr = args.arg(options.program).unwrap_or(c"");

    let group_actions = [Action::SetSignalMask(original_mask), Action::Setsid];
    let actions = group_actions.get(..if options.process_group { 2 } else { 1 }).unwrap_or(&[]);
    let spawn = Spawn::search(program, path, argv, envp)
        .actions(actions)
        .handled_signals(SignalSet::empty());
    // SAFETY: argv and envp are the kernel's arrays of C strings, each ending with a null.
    let main_child = match unsafe { spawn.spawn() } {
        Ok(pid) => pid,
        Err(failure) => {
            let mut line = Line::new();
            line.text(b"cannot start ").text(program.to_bytes()).text(b": ");
            if failure.step != FailedStep::Exec {
                line.text(b"setup failed, ");
            }
            line.errno(failure.errno).emit();
            return if failure.errno == Errno::ENOENT { 127 } else { 126 };
        }
    };
    if verbose {
        Line::new()
            .text(b"started ")
            .text(program.to_bytes())
            .text(b" as ")
            .number(main_child.raw() as i64)
            .str(match (pid_one, subreaper) {
                (true, _) => " (minit is PID 1)",
                (false, true) => " (minit is a child subreaper)",
                (false, false) => " (minit adopts no orphans)",
            })
            .emit();
    }

    let target = if options.process_group {
        -(main_child.raw() as isize)
    } else {
        main_child.raw() as isize
    };
    let status = loop {
        let signal = wait_for_signal(&waited);
        if signal == nr::SIGCHLD {
            if let Some(status) = reap_ready(main_child, verbose) {
                break status;
            }
            continue;
        }
        // SAFETY: kill takes integers; the target is minit's own child or its group.
        let sent = unsafe { rawsys::syscall2(nr::__NR_kill, target as usize, signal as usize) };
        if verbose {
            let name = FORWARDED.iter().find(|(number, _)| *number == signal).map_or("?", |f| f.1);
            let mut line = Line::new();
            line.text(b"forwarded ").str(name).text(b" to ").number(target as i64);
            if let Err(errno) = sent {
                line.text(b": ").errno(errno);
            }
            line.emit();
        }
    };

    // Orphans that ended with the main child are collected before minit goes.
    let _ = reap_ready(main_child, verbose);
    let code = exit_code(status);
    if verbose {
        Line::new()
            .text(b"main child ")
            .status(status)
            .text(b"; exiting with ")
            .number(code as i64)
            .emit();
    }
    if may_power_off {
        power_off();
    }
    code
}
rawsys::main!(main);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    rawsys::exit_group(101)
}
