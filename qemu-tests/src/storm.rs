//! A flood of signals during many spawns: no handler of the parent may ever run in a child.
//!
//! The binary installs a handler on every catchable signal; the handler counts where it runs,
//! and a run in any process but the parent lands in memory a vfork child shares with it. A
//! flooding process sends every signal to the parent, and the signals whose default action is
//! to do nothing (SIGCHLD, SIGURG, SIGWINCH, SIGCONT) to the whole process group, the children
//! included. Needs shared memory to see anything, so it runs natively and under qemu-system.

use core::mem::MaybeUninit;
use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering};

use rawsys::clone::{SignalSet, WaitTarget, sigprocmask, waitid};
use rawsys::spawn::{Action, Spawn};
use rawsys::{Errno, ExitStatus, Pid, nr};

use crate::report::Outcome;
use crate::spawning::{rt_sigaction, starts};
use crate::sys;
use crate::vfork::{NOT_SHARED, memory_is_shared, no_children_left};
use crate::{Context, expect_eq, fail};

static PARENT: AtomicUsize = AtomicUsize::new(0);
static RAN_IN_PARENT: AtomicUsize = AtomicUsize::new(0);
static RAN_IN_CHILD: AtomicUsize = AtomicUsize::new(0);

extern "C" fn handler(_: i32) {
    if sys::getpid() == PARENT.load(Ordering::Relaxed) {
        RAN_IN_PARENT.fetch_add(1, Ordering::Relaxed);
    } else {
        RAN_IN_CHILD.fetch_add(1, Ordering::Relaxed);
    }
}

// x86 and x86_64 return from a handler through a restorer the program provides (x86_64 has
// no other way; x86 could use the vDSO, but one mechanism for both keeps this short), which
// calls rt_sigreturn on the rt frame that SA_SIGINFO asks for. The
// other architectures return through code the kernel provides when no restorer is given.
#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".globl rawsys_tests_restorer",
    "rawsys_tests_restorer:",
    "    mov eax, {rt_sigreturn}",
    "    syscall",
    rt_sigreturn = const nr::__NR_rt_sigreturn,
);
#[cfg(target_arch = "x86")]
core::arch::global_asm!(
    ".globl rawsys_tests_restorer",
    "rawsys_tests_restorer:",
    "    mov eax, {rt_sigreturn}",
    "    int 0x80",
    rt_sigreturn = const nr::__NR_rt_sigreturn,
);

/// Installs `handler` for `signal`.
fn install(signal: u32) -> Result<usize, Errno> {
    let mut words = [0usize; 16];
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    {
        // MIPS: a 32-bit flags field first, the handler in the next word, then the mask.
        words[1] = handler as *const () as usize;
        // SAFETY: the first four bytes of `words` are the flags field.
        unsafe { words.as_mut_ptr().cast::<u32>().write(nr::SA_RESTART) };
    }
    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    )))]
    {
        let mut action = MaybeUninit::<nr::kernel_sigaction>::zeroed();
        // SAFETY: zeroed is a valid kernel_sigaction (no handler, no flags, empty mask); the
        // fields are set in place.
        let action = unsafe {
            let fields = action.as_mut_ptr();
            (*fields).sa_handler_kernel = Some(handler);
            (*fields).sa_flags = nr::SA_RESTART as _;
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            {
                unsafe extern "C" {
                    fn rawsys_tests_restorer();
                }
                // SA_SIGINFO: x86 builds the old, non-rt frame without it, which a restorer
                // calling rt_sigreturn does not match.
                (*fields).sa_flags |= (nr::SA_RESTORER | nr::SA_SIGINFO) as core::ffi::c_ulong;
                (*fields).sa_restorer = Some(rawsys_tests_restorer);
            }
            action.assume_init()
        };
        // SAFETY: copies the structure into the word buffer the call takes; it is smaller.
        unsafe {
            ptr::copy_nonoverlapping(
                (&action as *const nr::kernel_sigaction).cast::<u8>(),
                words.as_mut_ptr().cast::<u8>(),
                core::mem::size_of::<nr::kernel_sigaction>(),
            )
        };
    }
    rt_sigaction(signal, &words, ptr::null_mut())
}

fn kill(pid: isize, signal: u32) {
    // SAFETY: sends a signal this test handles, or one whose default is to do nothing.
    let _ = unsafe { rawsys::syscall2(nr::__NR_kill, pid as usize, signal as usize) };
}

/// The flooding process: sends until the parent is gone or kills it.
fn flood(parent: usize, group: usize, signals: &SignalSet) -> ! {
    let _ = sigprocmask(nr::SIG_SETMASK, Some(&SignalSet::full()));
    let harmless = [nr::SIGCHLD, nr::SIGURG, nr::SIGWINCH, nr::SIGCONT];
    let mut round = 0usize;
    loop {
        for signal in 1..=nr::_NSIG {
            if !signals.contains(signal) {
                continue;
            }
            kill(parent as isize, signal);
            kill(-(group as isize), harmless[round % harmless.len()]);
            round += 1;
            // A pause between signals, so that the parent gets on with its work between
            // handlers instead of entering one after another.
            sys::sleep_us(20);
        }
        // SAFETY: signal 0 only checks that the parent is still there.
        if unsafe { rawsys::syscall2(nr::__NR_kill, parent, 0) }.is_err() {
            sys::exit(0);
        }
    }
}

pub fn spawn_under_signal_flood(context: &Context) -> Outcome {
    if !memory_is_shared() {
        return Outcome::Skipped(NOT_SHARED);
    }
    let parent = sys::getpid();
    PARENT.store(parent, Ordering::Relaxed);
    let mut handled = SignalSet::empty();
    for signal in 1..=nr::_NSIG {
        if signal != nr::SIGKILL && signal != nr::SIGSTOP && install(signal).is_ok() {
            handled.insert(signal);
        }
    }
    // A process group of our own, so that the group signals reach this test's processes only.
    // SAFETY: getpgid and setpgid of this process.
    let old_group = unsafe { rawsys::syscall1(nr::__NR_getpgid, 0) }.unwrap_or(0);
    // SAFETY: as above.
    let _ = unsafe { rawsys::syscall2(nr::__NR_setpgid, 0, 0) };
    // SAFETY: as above.
    let group = unsafe { rawsys::syscall1(nr::__NR_getpgid, 0) }.unwrap_or(0);

    let flooder = match sys::fork() {
        Ok(0) => flood(parent, group, &handled),
        Ok(child) => Pid::from_raw(child as u32),
        Err(errno) => return fail!("fork: {}", errno),
    };
    let program = context.args.arg(0).unwrap_or(c"/init");
    let argv = [program.as_ptr(), c"--exit-with".as_ptr(), c"0".as_ptr(), ptr::null()];
    let envp = [c"RAWSYS_CHILD=1".as_ptr(), ptr::null()];
    let actions = [Action::Chdir(c"/"), Action::CloseFrom(3)];
    let mut outcome = None;
    for round in 0..starts() {
        // Half the starts name the handled signals, half let spawn find them.
        let spawn = Spawn::new(program, &argv, &envp).actions(&actions);
        let spawn = if round % 2 == 0 { spawn.handled_signals(handled) } else { spawn };
        // SAFETY: the arrays hold live C strings and end with null.
        let status = match unsafe { spawn.spawn() } {
            Ok(pid) => loop {
                match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
                    Err(Errno::EINTR) => continue,
                    other => break other.map(|found| found.map(|(_, status)| status)),
                }
            },
            Err(error) => {
                outcome = Some(fail!("start {}: {}", round, error));
                break;
            }
        };
        if status != Ok(Some(ExitStatus::Exited(0))) {
            outcome = Some(fail!("start {}: {:?}", round, status));
            break;
        }
    }
    kill(flooder.raw() as isize, nr::SIGKILL);
    while waitid(WaitTarget::Pid(flooder), nr::WEXITED) == Err(Errno::EINTR) {}
    // Back to defaults and to the old group; signals still pending are taken by the handlers.
    for signal in 1..=nr::_NSIG {
        if handled.contains(signal) {
            let _ = rt_sigaction(signal, &[0; 16], ptr::null_mut());
        }
    }
    // SAFETY: setpgid back to the group this process came from, in the same session.
    let _ = unsafe { rawsys::syscall2(nr::__NR_setpgid, 0, old_group) };
    if let Some(failed) = outcome {
        return failed;
    }
    let in_parent = RAN_IN_PARENT.load(Ordering::Relaxed);
    if in_parent < starts() {
        return fail!("a flood of at least one signal per start, got {} handled", in_parent);
    }
    expect_eq!((RAN_IN_CHILD.load(Ordering::Relaxed), no_children_left()), (0, true))
}

/// The tests of this module.
pub const TESTS: &[crate::tests::Test] = &[("spawn_under_signal_flood", spawn_under_signal_flood)];
