//! Spawn latency against the parent's memory: how long it takes to start a tiny static program
//! and wait for it to end, from a parent that has written every page of 16 MiB, 1 GiB, 4 GiB
//! and 8 GiB, with each way of starting a process in turn. Also the commit charge
//! (`Committed_AS`) each way adds while its child exists.
//!
//! `benches/run.sh` runs it as part of `make bench`. Its input and output are environment
//! variables:
//!
//! - `BENCH_CHILD` (required): the child, `examples/exit0.rs` built freestanding. With no
//!   argument it exits with 0; with a descriptor number it first waits for a byte on it.
//! - `BENCH_OUT` (required): where the results go, as JSON.
//! - `BENCH_SIZES`: the parent sizes in MiB, comma-separated (default `16,1024,4096,8192`).
//! - `BENCH_SPAWN_ITERATIONS`: the most spawns per method and size (default 1000).
//! - `BENCH_SPAWN_SECONDS`: the time after which a method stops at a size, once it has done at
//!   least `MIN_ITERATIONS` spawns (default 2). This is what keeps `fork` at 8 GiB, where one
//!   spawn takes a good part of a second, to a few dozen spawns.
//!
//! A size is refused, with a message, when `MemAvailable` is smaller than it plus
//! `MEMORY_RESERVE`. Progress goes to standard error.

use rawsys::clone::SignalSet;
use rawsys::spawn::Spawn as RawsysSpawn;
use std::ffi::{CString, c_char};
use std::fmt::Write as _;
use std::os::fd::RawFd;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A way of starting `program`: returns the child's pid, or why it could not start it.
type Spawn = fn(&Program) -> Result<libc::pid_t, String>;

struct Method {
    name: &'static str,
    spawn: Spawn,
}

/// Every method, in the order of the tables and the plot.
///
/// `rawsys::spawn` is measured twice: once told which signals this process handles (the set
/// read once at start-up, see `HANDLED`), and once left to find them itself, which costs one
/// `rt_sigaction` per signal in the parent before every start.
const METHODS: &[Method] = &[
    Method { name: "rawsys vfork_exec", spawn: spawn_with_vfork_exec },
    Method { name: "rawsys spawn", spawn: spawn_with_rawsys_spawn },
    Method { name: "rawsys spawn, discovery", spawn: spawn_with_rawsys_spawn_discovering },
    Method { name: "fork+execve", spawn: spawn_with_fork },
    Method { name: "libc::vfork+execve", spawn: spawn_with_libc_vfork },
    Method { name: "posix_spawn", spawn: spawn_with_posix_spawn },
    Method { name: "std Command", spawn: spawn_with_command },
    Method { name: "asm clone(VM, VFORK)", spawn: spawn_with_asm_clone },
];

/// The signals this process has handlers for, as `rawsys::spawn::handled_signals` reads them
/// once in `main` (Rust's runtime installs handlers for `SIGSEGV` and `SIGBUS`). The benchmark
/// installs no handler of its own, so the set stays right for the whole run.
static HANDLED: OnceLock<SignalSet> = OnceLock::new();

/// Each method spawns at least this many times at each size, however slow it is.
const MIN_ITERATIONS: usize = 5;
/// Spawns before the measured ones, to bring the child's pages into the page cache.
const WARM_UP: usize = 3;
/// Memory left to the rest of the machine when the parent grows.
const MEMORY_RESERVE: u64 = 2 << 30;
/// How many times the commit charge is sampled per method and size; the median is reported.
const COMMIT_SAMPLES: usize = 3;

/// The child program with its argument and environment arrays, null-terminated, as every
/// method takes them. The environment is empty for all of them.
struct Program {
    path: CString,
    _args: Vec<CString>,
    argv: Vec<*const c_char>,
    envp: Vec<*const c_char>,
}

impl Program {
    fn new(path: &str, extra: Option<String>) -> Program {
        let path = CString::new(path).expect("the child's path has no NUL");
        let mut args = vec![path.clone()];
        args.extend(extra.map(|arg| CString::new(arg).expect("a number has no NUL")));
        let mut argv: Vec<*const c_char> = args.iter().map(|arg| arg.as_ptr()).collect();
        argv.push(std::ptr::null());
        Program { path, _args: args, argv, envp: vec![std::ptr::null()] }
    }
}

fn spawn_with_vfork_exec(program: &Program) -> Result<libc::pid_t, String> {
    // SAFETY: every pointer in `argv` and `envp` is a live NUL-terminated string or the final
    // null; `program` outlives the call.
    let pid = unsafe { rawsys::vfork_exec(&program.path, &program.argv, &program.envp) };
    pid.map(|pid| pid.raw() as libc::pid_t).map_err(|errno| errno.to_string())
}

/// `rawsys::spawn` told the handled signals: the child resets those to `SIG_DFL` (one
/// `rt_sigaction` each) before it restores the mask and execs.
fn spawn_with_rawsys_spawn(program: &Program) -> Result<libc::pid_t, String> {
    let handled = *HANDLED.get().expect("main reads the handled signals first");
    let spawn = RawsysSpawn::new(&program.path, &program.argv, &program.envp);
    // SAFETY: every pointer in `argv` and `envp` is a live NUL-terminated string or the final
    // null; `program` outlives the call.
    let pid = unsafe { spawn.handled_signals(handled).spawn() };
    pid.map(|pid| pid.raw() as libc::pid_t).map_err(|error| error.to_string())
}

/// `rawsys::spawn` left to discover the handled signals: it reads every disposition in the
/// parent before the clone.
fn spawn_with_rawsys_spawn_discovering(program: &Program) -> Result<libc::pid_t, String> {
    let spawn = RawsysSpawn::new(&program.path, &program.argv, &program.envp);
    // SAFETY: as in `spawn_with_rawsys_spawn`.
    let pid = unsafe { spawn.spawn() };
    pid.map(|pid| pid.raw() as libc::pid_t).map_err(|error| error.to_string())
}

fn spawn_with_fork(program: &Program) -> Result<libc::pid_t, String> {
    // SAFETY: the process has one thread, and the child only calls `execve` and `_exit`,
    // both async-signal-safe, on arrays built before the fork.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // SAFETY: as above; `_exit` ends the child if `execve` failed.
        unsafe {
            libc::execve(program.path.as_ptr(), program.argv.as_ptr(), program.envp.as_ptr());
            libc::_exit(127)
        }
    }
    if pid < 0 { Err(last_os_error()) } else { Ok(pid) }
}

// libc marks `vfork` deprecated because Rust has no notion of a function that returns twice:
// the compiler may keep state across the call that the child then clobbers. It is measured here
// as the way C programs use vfork, and as the reason rawsys does the clone inside one asm block.
#[allow(deprecated)]
fn spawn_with_libc_vfork(program: &Program) -> Result<libc::pid_t, String> {
    // SAFETY: the child borrows this stack frame and only calls `execve` and `_exit`, which
    // neither return into this function nor write memory of the parent; every value it reads
    // was computed before the call.
    let pid = unsafe { libc::vfork() };
    if pid == 0 {
        // SAFETY: as above.
        unsafe {
            libc::execve(program.path.as_ptr(), program.argv.as_ptr(), program.envp.as_ptr());
            libc::_exit(127)
        }
    }
    if pid < 0 { Err(last_os_error()) } else { Ok(pid) }
}

fn spawn_with_posix_spawn(program: &Program) -> Result<libc::pid_t, String> {
    let mut pid: libc::pid_t = 0;
    // SAFETY: the path and both arrays are live and null-terminated; no file actions and no
    // attributes are given, which posix_spawn accepts as null.
    let error = unsafe {
        libc::posix_spawn(
            &mut pid,
            program.path.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            program.argv.as_ptr() as *const *mut c_char,
            program.envp.as_ptr() as *const *mut c_char,
        )
    };
    if error != 0 { Err(std::io::Error::from_raw_os_error(error).to_string()) } else { Ok(pid) }
}

fn spawn_with_command(program: &Program) -> Result<libc::pid_t, String> {
    let path = program.path.to_str().expect("the child's path is UTF-8");
    let mut command = std::process::Command::new(path);
    command.env_clear();
    for &arg in &program.argv[1..program.argv.len() - 1] {
        // SAFETY: `argv` holds live NUL-terminated strings before its final null.
        command.arg(unsafe { std::ffi::CStr::from_ptr(arg) }.to_str().expect("UTF-8"));
    }
    // Dropping a `Child` neither kills nor reaps it: `reap` waits for it by pid.
    command.spawn().map(|child| child.id() as libc::pid_t).map_err(|error| error.to_string())
}

/// The bare form of what `vfork_exec` does: one `clone(CLONE_VM | CLONE_VFORK | SIGCHLD)` on
/// the caller's stack, after which the child moves three registers, traps into `execve` and,
/// should that fail, into `exit`. It blocks no signals (this benchmark installs no handler)
/// and reports no exec failure beyond the exit status 127.
#[cfg(target_arch = "x86_64")]
fn spawn_with_asm_clone(program: &Program) -> Result<libc::pid_t, String> {
    let flags = (libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD) as usize;
    let result: isize;
    // SAFETY: the child shares this stack but never touches it: it only reads r12 to r14,
    // which hold the path and the two live null-terminated arrays, and leaves by `execve` or
    // `exit`. The parent is suspended until then, and resumes at label 2 with the pid in rax.
    unsafe {
        std::arch::asm!(
            "syscall",                  // clone(flags, 0, 0, 0, 0): the child keeps this stack
            "test rax, rax",
            "jnz 2f",                   // the parent, or a failed clone
            "mov rdi, r12",
            "mov rsi, r13",
            "mov rdx, r14",
            "mov eax, {execve}",
            "syscall",
            "mov edi, 127",
            "mov eax, {exit}",
            "syscall",
            "2:",
            execve = const rawsys::nr::__NR_execve,
            exit = const rawsys::nr::__NR_exit,
            inlateout("rax") rawsys::nr::__NR_clone as isize => result,
            inlateout("rdi") flags => _,
            inlateout("rsi") 0usize => _,
            inlateout("rdx") 0usize => _,
            inlateout("r10") 0usize => _,
            inlateout("r8") 0usize => _,
            in("r12") program.path.as_ptr(),
            in("r13") program.argv.as_ptr(),
            in("r14") program.envp.as_ptr(),
            out("rcx") _,
            out("r11") _,
            options(nostack),
        );
    }
    if result < 0 {
        Err(std::io::Error::from_raw_os_error(-result as i32).to_string())
    } else {
        Ok(result as libc::pid_t)
    }
}

#[cfg(not(target_arch = "x86_64"))]
compile_error!("the spawn benchmark's asm clone baseline is written for x86_64 only");

fn last_os_error() -> String {
    std::io::Error::last_os_error().to_string()
}

/// Waits for `pid` and checks that it exited with 0.
fn reap(pid: libc::pid_t) -> Result<(), String> {
    let mut status = 0;
    // SAFETY: waitpid writes one int into `status`.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    if waited != pid {
        return Err(format!("waitpid({pid}): {}", last_os_error()));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("the child ended with wait status {status:#x}, not exit 0"));
    }
    Ok(())
}

/// A field of /proc/meminfo, in KiB.
fn meminfo(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").expect("/proc/meminfo is readable");
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("/proc/meminfo has no {field}"))
}

/// Private anonymous memory of which every page has been written, so that it is resident and
/// charged to the process the way a grown heap is. Huge pages are refused for it, so that its
/// page tables are the ones of an ordinary heap of 4 KiB pages whatever the machine's
/// transparent huge page setting.
struct Touched {
    address: *mut libc::c_void,
    bytes: usize,
}

impl Touched {
    fn new(bytes: usize, label: &str) -> Touched {
        // SAFETY: a fresh private anonymous mapping overlaps nothing.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(address != libc::MAP_FAILED, "mmap of {label}: {}", last_os_error());
        // SAFETY: the range is the mapping just made; the advice changes no contents.
        unsafe { libc::madvise(address, bytes, libc::MADV_NOHUGEPAGE) };

        // SAFETY: sysconf has no precondition.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let step = 1 << 30;
        let start = Instant::now();
        for chunk in (0..bytes).step_by(step) {
            for offset in (chunk..bytes.min(chunk + step)).step_by(page) {
                // SAFETY: `offset` is inside the writable mapping.
                unsafe { address.cast::<u8>().add(offset).write_volatile(1) };
            }
            if bytes > step {
                eprintln!("  touching {label}: {} GiB written", (chunk + step).min(bytes) >> 30);
            }
        }
        eprintln!("  touched {label} in {:.1} s", start.elapsed().as_secs_f64());
        Touched { address, bytes }
    }
}

impl Drop for Touched {
    fn drop(&mut self) {
        // SAFETY: the mapping is this value's own, and nothing points into it any more.
        unsafe { libc::munmap(self.address, self.bytes) };
    }
}

/// The latencies of one method at one size, in nanoseconds, or why it could not spawn.
#[derive(Default)]
struct Latencies {
    samples: Vec<u64>,
    spent: Duration,
    error: Option<String>,
}

impl Latencies {
    /// Whether the method still spawns in the next round.
    fn wants_more(&self, budget: Duration, most: usize) -> bool {
        self.error.is_none()
            && self.samples.len() < most
            && (self.samples.len() < MIN_ITERATIONS || self.spent < budget)
    }
}

/// Spawns and reaps with every method in turn, round after round, so that a change in the
/// machine's load (another job starting on the shared cores) falls on all methods alike. A
/// method leaves the rounds when it has `most` samples, or when it has spent `budget` and has
/// at least `MIN_ITERATIONS`: slow ones (`fork` of a large parent) leave early.
fn measure_all(program: &Program, budget: Duration, most: usize) -> Vec<Latencies> {
    let mut all: Vec<Latencies> = METHODS.iter().map(|_| Latencies::default()).collect();
    for _ in 0..WARM_UP {
        for (method, latencies) in METHODS.iter().zip(&mut all) {
            if let Err(error) = (method.spawn)(program).and_then(reap) {
                latencies.error = Some(error);
            }
        }
    }
    while all.iter().any(|latencies| latencies.wants_more(budget, most)) {
        for (method, latencies) in METHODS.iter().zip(&mut all) {
            if !latencies.wants_more(budget, most) {
                continue;
            }
            let before = Instant::now();
            let outcome = (method.spawn)(program).and_then(reap);
            let elapsed = before.elapsed();
            match outcome {
                Ok(()) => latencies.samples.push(elapsed.as_nanos() as u64),
                Err(error) => latencies.error = Some(error),
            }
            latencies.spent += elapsed;
        }
    }
    for latencies in &mut all {
        latencies.samples.sort_unstable();
    }
    all
}

/// A pipe whose descriptors stay open across `execve`, so that the child can wait on it.
fn inheritable_pipe() -> [RawFd; 2] {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two descriptors into `fds`.
    let made = unsafe { libc::pipe(fds.as_mut_ptr()) };
    assert_eq!(made, 0, "pipe: {}", last_os_error());
    fds
}

fn close_pipe(fds: [RawFd; 2]) {
    for fd in fds {
        // SAFETY: the descriptors are this function's caller's own, used no more.
        unsafe { libc::close(fd) };
    }
}

/// Lets the waiting child go: one byte on the pipe it reads.
fn release(fds: [RawFd; 2]) {
    // SAFETY: write reads one byte from a live array.
    unsafe { libc::write(fds[1], [0u8].as_ptr().cast(), 1) };
}

/// The commit charge, in KiB, that `start` adds while the child it starts exists: the median
/// of `COMMIT_SAMPLES` readings of `Committed_AS` while the child waits, each less the mean of
/// the readings just before and just after it.
fn commit_charge(start: impl Fn([RawFd; 2]) -> Result<libc::pid_t, String>) -> Result<i64, String> {
    let mut deltas = Vec::new();
    for _ in 0..COMMIT_SAMPLES {
        let fds = inheritable_pipe();
        let before = meminfo("Committed_AS") as i64;
        let started = start(fds);
        let during = meminfo("Committed_AS") as i64;
        release(fds);
        let reaped = started.and_then(reap);
        let after = meminfo("Committed_AS") as i64;
        close_pipe(fds);
        reaped?;
        deltas.push(during - (before + after) / 2);
    }
    deltas.sort_unstable();
    Ok(deltas[deltas.len() / 2])
}

/// `fork` with the child waiting on the pipe before it calls `execve`: the moment at which a
/// forked child holds its copy of the parent, which the kernel charges in full.
fn fork_waiting_before_exec(program: &Program, fds: [RawFd; 2]) -> Result<libc::pid_t, String> {
    // SAFETY: one thread; the child only calls `read`, `execve` and `_exit`, all
    // async-signal-safe, on values computed before the fork.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        let mut byte = 0u8;
        // SAFETY: as above; read writes at most one byte into `byte`.
        unsafe {
            libc::read(fds[0], (&mut byte as *mut u8).cast(), 1);
            libc::execve(program.path.as_ptr(), program.argv.as_ptr(), program.envp.as_ptr());
            libc::_exit(127)
        }
    }
    if pid < 0 { Err(last_os_error()) } else { Ok(pid) }
}

fn environment_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value} is not a number")),
        Err(_) => default,
    }
}

fn size_label(mebibytes: u64) -> String {
    if mebibytes >= 1024 && mebibytes % 1024 == 0 {
        format!("{} GiB", mebibytes / 1024)
    } else {
        format!("{mebibytes} MiB")
    }
}

fn json_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn main() -> ExitCode {
    let (Ok(child), Ok(output)) = (std::env::var("BENCH_CHILD"), std::env::var("BENCH_OUT")) else {
        eprintln!("spawn_latency: set BENCH_CHILD (the exit0 example) and BENCH_OUT (a .json)");
        return ExitCode::from(2);
    };
    let sizes: Vec<u64> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "16,1024,4096,8192".into())
        .split(',')
        .map(|size| size.trim().parse().expect("BENCH_SIZES lists numbers of MiB"))
        .collect();
    let most = environment_number("BENCH_SPAWN_ITERATIONS", 1000) as usize;
    let budget = Duration::from_secs_f64(environment_number("BENCH_SPAWN_SECONDS", 2) as f64);

    let handled = match rawsys::spawn::handled_signals() {
        Ok(handled) => handled,
        Err(errno) => {
            eprintln!("spawn_latency: reading the signal dispositions: {errno}");
            return ExitCode::FAILURE;
        }
    };
    let handled_list: Vec<u32> =
        (1..=rawsys::nr::_NSIG).filter(|&signal| handled.contains(signal)).collect();
    eprintln!("spawn_latency: signals with a handler in this process: {handled_list:?}");
    HANDLED.get_or_init(|| handled);

    let program = Program::new(&child, None);
    let mut json = format!("{{\n  \"handled_signals\": {handled_list:?},\n  \"sizes\": [\n");
    for (index, &mebibytes) in sizes.iter().enumerate() {
        let label = size_label(mebibytes);
        let bytes = mebibytes << 20;
        let available = meminfo("MemAvailable") << 10;
        let separator = if index + 1 < sizes.len() { "," } else { "" };
        if available < bytes + MEMORY_RESERVE {
            let reason = format!(
                "refused: MemAvailable is {:.1} GiB, {label} needs {:.1} GiB with the reserve",
                available as f64 / (1u64 << 30) as f64,
                (bytes + MEMORY_RESERVE) as f64 / (1u64 << 30) as f64
            );
            eprintln!("spawn_latency: {label}: {reason}");
            let _ = writeln!(
                json,
                "    {{\"label\": {}, \"mib\": {mebibytes}, \"skipped\": {}}}{separator}",
                json_string(&label),
                json_string(&reason)
            );
            continue;
        }

        eprintln!("spawn_latency: parent of {label}");
        let memory = Touched::new(bytes as usize, &label);
        let _ = writeln!(
            json,
            "    {{\"label\": {}, \"mib\": {mebibytes}, \"skipped\": null, \"methods\": [",
            json_string(&label)
        );
        let measured = measure_all(&program, budget, most);
        for (position, (method, latencies)) in METHODS.iter().zip(measured).enumerate() {
            let commit = commit_charge(|fds| {
                (method.spawn)(&Program::new(&child, Some(fds[0].to_string())))
            });
            let samples = &latencies.samples;
            let median = samples.get(samples.len() / 2).copied().unwrap_or(0);
            eprintln!(
                "  {:<22} {:>5} spawns, median {:>9.1} us, commit {:>8} KiB{}",
                method.name,
                samples.len(),
                median as f64 / 1000.0,
                commit.as_ref().map_or_else(|error| error.clone(), |kib| kib.to_string()),
                latencies.error.as_ref().map_or(String::new(), |error| format!(", {error}")),
            );
            let _ = writeln!(
                json,
                "      {{\"name\": {}, \"samples_ns\": {:?}, \"error\": {}, \"commit_kib\": {}}}{}",
                json_string(method.name),
                samples,
                latencies.error.as_deref().map_or("null".into(), json_string),
                commit.map_or("null".into(), |kib| kib.to_string()),
                if position + 1 < METHODS.len() { "," } else { "" }
            );
        }
        let waiting = Program::new(&child, None);
        let fork_commit = commit_charge(|fds| fork_waiting_before_exec(&waiting, fds));
        eprintln!("  fork, before its execve: commit {:?} KiB", fork_commit);
        let _ = writeln!(
            json,
            "    ], \"fork_before_exec_commit_kib\": {}}}{separator}",
            fork_commit.map_or("null".into(), |kib| kib.to_string())
        );
        drop(memory);
    }
    json.push_str("  ]\n}\n");
    if let Err(error) = std::fs::write(&output, json) {
        eprintln!("spawn_latency: writing {output}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
