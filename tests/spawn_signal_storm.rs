//! A flood of signals during 10,000 starts: no handler of the parent ever runs in a child, no
//! start hangs, every child is reaped.
//!
//! The parent has a handler on every catchable signal. A handler that finds itself in a
//! process other than the parent leaves a mark in memory; since a vfork child shares the
//! parent's memory, the parent would see it. The children are in the parent's process group,
//! which part of the flood is sent to. The children are in the parent's process group,
//! which part of the flood is sent to.

use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rawsys::clone::{SignalSet, WaitTarget, waitid};
use rawsys::spawn::{Action, Spawn};
use rawsys::{Errno, ExitStatus, nr};

const STARTS: usize = 10_000;

static PARENT: AtomicU32 = AtomicU32::new(0);
static RAN_IN_A_CHILD: AtomicUsize = AtomicUsize::new(0);
static RAN_IN_THE_PARENT: AtomicUsize = AtomicUsize::new(0);
static ROUND: AtomicUsize = AtomicUsize::new(0);

extern "C" fn handler(_: libc::c_int) {
    // SAFETY: getpid has no arguments.
    let pid = unsafe { rawsys::syscall0(nr::__NR_getpid) }.unwrap_or(0) as u32;
    if pid == PARENT.load(Ordering::Relaxed) {
        RAN_IN_THE_PARENT.fetch_add(1, Ordering::Relaxed);
    } else {
        RAN_IN_A_CHILD.fetch_add(1, Ordering::Relaxed);
    }
}

/// Every signal a handler can be installed for through libc (glibc keeps two real-time
/// signals for itself).
fn catchable() -> Vec<u32> {
    (1..=64)
        .filter(|&signal| signal != nr::SIGKILL && signal != nr::SIGSTOP)
        .filter(|&signal| {
            // SAFETY: installs `handler`, which only makes a system call and counts.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handler as *const () as usize;
                action.sa_flags = libc::SA_RESTART;
                libc::sigaction(signal as i32, &action, ptr::null_mut()) == 0
            }
        })
        .collect()
}

#[test]
fn no_handler_runs_in_a_child_under_a_signal_flood() {
    PARENT.store(std::process::id(), Ordering::Relaxed);
    let signals = catchable();
    assert!(signals.len() >= 60, "handlers on {} signals", signals.len());
    let mut handled = SignalSet::empty();
    for &signal in &signals {
        handled.insert(signal);
    }
    // The flood goes to this thread, which makes the starts.
    // SAFETY: gettid has no arguments.
    let target = unsafe { rawsys::syscall0(nr::__NR_gettid) }.unwrap();
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let flood = {
        let (done, signals) = (done.clone(), signals.clone());
        std::thread::spawn(move || {
            // The flooding thread itself takes none of it.
            // SAFETY: blocks every signal in this thread only.
            unsafe {
                let mut all: libc::sigset_t = std::mem::zeroed();
                libc::sigfillset(&mut all);
                libc::pthread_sigmask(libc::SIG_BLOCK, &all, ptr::null_mut());
            }
            // Signals whose default action is to do nothing also go to the whole process
            // group, children included: a child that let the parent's handler run would be
            // caught, and once it has exec'd they do it no harm. Every signal goes to the
            // starting thread.
            let harmless = [nr::SIGCHLD, nr::SIGURG, nr::SIGWINCH, nr::SIGCONT];
            let mut sent = 0usize;
            let mut round = 0usize;
            while !done.load(Ordering::Relaxed) {
                let signal = signals[round % signals.len()];
                let group = harmless[round % harmless.len()];
                // SAFETY: sends signals this process handles to one of its threads and to
                // its process group.
                let (to_thread, to_group) = unsafe {
                    (
                        rawsys::syscall3(
                            nr::__NR_tgkill,
                            std::process::id() as usize,
                            target,
                            signal as usize,
                        ),
                        rawsys::syscall2(nr::__NR_kill, 0, group as usize),
                    )
                };
                sent += usize::from(to_thread.is_ok()) + usize::from(to_group.is_ok());
                round += 1;
                // A pause of a few microseconds between signals: without it the receiving
                // thread spends all its time entering handlers and never gets on.
                let pause = Instant::now();
                while pause.elapsed() < Duration::from_micros(20) {
                    std::hint::spin_loop();
                }
            }
            sent
        })
    };
    // A start that hangs fails the test instead of stalling it.
    let watchdog_done = std::sync::Arc::new(AtomicBool::new(false));
    {
        let watchdog_done = watchdog_done.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !watchdog_done.load(Ordering::Relaxed) {
                if Instant::now() > deadline {
                    eprintln!(
                        "start {} hung under the signal flood",
                        ROUND.load(Ordering::Relaxed)
                    );
                    std::process::abort();
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
    }

    let argv = [c"true".as_ptr(), ptr::null()];
    let envp = [ptr::null()];
    // What a supervisor typically asks of a child, which also keeps it a few microseconds
    // between the clone and the exec, where the flood must not reach a handler.
    let actions = [Action::Chdir(c"/"), Action::Dup2 { from: 2, to: 2 }, Action::CloseFrom(3)];
    for round in 0..STARTS {
        ROUND.store(round, Ordering::Relaxed);
        // Half the starts name the handled signals, half let spawn find them.
        let spawn = Spawn::new(c"/bin/true", &argv, &envp).actions(&actions);
        let spawn = if round % 2 == 0 { spawn.handled_signals(handled) } else { spawn };
        // SAFETY: the arrays hold live C strings and end with null.
        let pid = unsafe { spawn.spawn() }.unwrap_or_else(|error| panic!("start {round}: {error}"));
        let status = loop {
            match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
                Err(Errno::EINTR) => continue,
                other => break other,
            }
        };
        assert_eq!(status, Ok(Some((pid, ExitStatus::Exited(0)))), "start {round}");
    }
    done.store(true, Ordering::Relaxed);
    watchdog_done.store(true, Ordering::Relaxed);
    let sent = flood.join().unwrap();

    assert_eq!(RAN_IN_A_CHILD.load(Ordering::Relaxed), 0, "a handler ran in a child");
    assert_eq!(waitid(WaitTarget::Any, nr::WEXITED | nr::WNOHANG), Err(Errno::ECHILD));
    let in_parent = RAN_IN_THE_PARENT.load(Ordering::Relaxed);
    assert!(in_parent > STARTS, "the flood was too thin: {sent} sent, {in_parent} handled");
    println!(
        "{STARTS} starts, {sent} signals sent, {in_parent} handled in the parent, 0 in children"
    );
}
