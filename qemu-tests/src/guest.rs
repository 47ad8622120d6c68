//! Running as `/init` under a real kernel in qemu-system.
//!
//! As PID 1 the binary mounts /proc, runs the tests like anywhere else, and then powers the
//! guest off, but only when the kernel command line carries [`POWER_OFF_MARKER`]: the
//! harness's guest, never a host. Natively and under qemu-user (which would pass `reboot`
//! through to the host) the binary is never PID 1 and never calls `reboot`.

use rawsys::nr;

/// The word on the kernel command line that allows the binary to power the guest off.
pub const POWER_OFF_MARKER: &[u8] = b"rawsys.poweroff=1";

/// Prepares a real-kernel guest: /proc for the command line. Returns whether this process is
/// PID 1 of a guest whose command line carries the marker.
pub fn setup() -> bool {
    if crate::sys::getpid() != 1 {
        return false;
    }
    // SAFETY: creates a directory and mounts proc on it; both paths are NUL-terminated.
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
    let marked = in_harness_guest();
    if !marked {
        crate::say!(
            "guest: no rawsys.poweroff=1 in /proc/cmdline; the guest will not be powered off"
        );
    }
    marked
}

/// Whether this process runs in a guest of the real-kernel harness, as PID 1 or under another
/// init: the kernel command line (read from /proc, when mounted) carries the marker.
pub fn in_harness_guest() -> bool {
    let mut command_line = [0u8; 1024];
    let Ok(fd) = crate::sys::open(b"/proc/cmdline\0", nr::O_RDONLY | nr::O_CLOEXEC, 0) else {
        return false;
    };
    let length = crate::sys::read(fd, &mut command_line).unwrap_or(0);
    let _ = crate::sys::close(fd);
    command_line
        .get(..length)
        .unwrap_or(&[])
        .split(|&byte| byte == b' ' || byte == b'\n')
        .any(|word| word == POWER_OFF_MARKER)
}

/// Ends the guest. With the marker, powers it off; without, PID 1 must not exit (the kernel
/// would panic), so it waits for ever.
pub fn finish(power_off: bool) -> ! {
    if power_off {
        // SAFETY: only reached as PID 1 of a guest whose command line carries the marker.
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
    crate::say!("guest: no rawsys.poweroff=1 on the command line; waiting for ever");
    let no_signals = [0usize; 128 / usize::BITS as usize];
    loop {
        // SAFETY: rt_sigsuspend waits for a signal with an empty mask and writes no memory.
        let _ = unsafe {
            rawsys::syscall2(
                nr::__NR_rt_sigsuspend,
                no_signals.as_ptr() as usize,
                (nr::_NSIG / 8) as usize,
            )
        };
    }
}
