//! A freestanding supervisor in miniature: starts a program with `rawsys::spawn`, waits for
//! it, and reports how it ended. No libc, no allocation.
//!
//! ```text
//! spawn PROGRAM [ARGUMENTS...]
//! ```
//!
//! PROGRAM is looked up in the `PATH` of this process's environment (as `execvp` would), runs
//! with the same environment, in the root directory, in a session of its own. The exit status
//! of `spawn` is the program's, or 128 + the signal that killed it; a start that fails is
//! reported with the step and the errno, and exits with 127.

#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::ptr;

use rawsys::clone::{WaitTarget, waitid};
use rawsys::spawn::{Action, Spawn};
use rawsys::{ExitStatus, nr};

/// Standard error, unbuffered.
struct Stderr;

impl Write for Stderr {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text.as_bytes();
        while !rest.is_empty() {
            // SAFETY: `write` reads `rest.len()` bytes from a live slice.
            match unsafe { rawsys::syscall3(nr::__NR_write, 2, rest.as_ptr() as usize, rest.len()) }
            {
                Ok(written) => rest = &rest[written..],
                Err(_) => return Err(fmt::Error),
            }
        }
        Ok(())
    }
}

/// The longest argument list this example passes on.
const MAX_ARGUMENTS: usize = 64;

fn main(args: &rawsys::start::StartArgs) -> i32 {
    let mut err = Stderr;
    let Some(program) = args.arg(1) else {
        let _ = writeln!(err, "usage: spawn PROGRAM [ARGUMENTS...]");
        return 2;
    };
    // argv for the program: our arguments from the first on, then the closing null.
    let mut argv = [ptr::null(); MAX_ARGUMENTS + 1];
    let count = args.argc() - 1;
    if count > MAX_ARGUMENTS {
        let _ = writeln!(err, "spawn: more than {MAX_ARGUMENTS} arguments");
        return 2;
    }
    for (slot, argument) in argv.iter_mut().zip(args.args().skip(1)) {
        *slot = argument.as_ptr();
    }
    // SAFETY: the kernel's environment array is null-terminated; count its entries.
    let environment = unsafe {
        let mut length = 0;
        while !(*args.envp().add(length)).is_null() {
            length += 1;
        }
        core::slice::from_raw_parts(args.envp(), length + 1)
    };
    let path = args
        .env()
        .find_map(|entry| entry.to_bytes().strip_prefix(b"PATH="))
        .unwrap_or(b"/usr/local/bin:/usr/bin:/bin");

    let actions = [Action::Chdir(c"/"), Action::Setsid];
    let spawn = Spawn::search(program, path, &argv[..=count], environment).actions(&actions);
    // SAFETY: argv holds the kernel's argument strings and a null; the environment is the
    // kernel's, null-terminated.
    let pid = match unsafe { spawn.spawn() } {
        Ok(pid) => pid,
        Err(error) => {
            let _ = writeln!(err, "spawn: {}: {}", program.to_str().unwrap_or("?"), error);
            return 127;
        }
    };
    let _ =
        writeln!(err, "spawn: started {} as pid {}", program.to_str().unwrap_or("?"), pid.raw());
    let status = loop {
        match waitid(WaitTarget::Pid(pid), nr::WEXITED) {
            Ok(Some((_, status))) => break status,
            Ok(None) | Err(rawsys::Errno::EINTR) => continue,
            Err(errno) => {
                let _ = writeln!(err, "spawn: waitid: {errno}");
                return 127;
            }
        }
    };
    let _ = writeln!(err, "spawn: pid {} ended: {:?}", pid.raw(), status);
    match status {
        ExitStatus::Exited(code) => i32::from(code),
        ExitStatus::Killed(signal) | ExitStatus::CoreDumped(signal) => 128 + signal as i32,
        ExitStatus::Stopped(_) | ExitStatus::Continued => 1,
    }
}
rawsys::main!(main);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    rawsys::exit_group(101)
}
