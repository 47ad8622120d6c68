//! Thin wrappers over the calls the tests use, choosing each architecture's variant: the
//! 32-bit ABIs map files with `mmap2`, riscv32 and hexagon seek with `llseek`, and so on.

#![allow(clippy::missing_safety_doc)]

use rawsys::{Errno, nr};

pub type Fd = usize;

pub fn getpid() -> usize {
    // SAFETY: getpid takes no arguments and writes nothing.
    unsafe { rawsys::syscall0(nr::__NR_getpid) }.unwrap_or(0)
}

pub fn close(fd: Fd) -> Result<usize, Errno> {
    // SAFETY: closing a descriptor this program opened and no longer uses.
    unsafe { rawsys::syscall1(nr::__NR_close, fd) }
}

pub fn write(fd: Fd, bytes: &[u8]) -> Result<usize, Errno> {
    // SAFETY: `write` reads `bytes.len()` bytes from a live slice.
    unsafe { rawsys::syscall3(nr::__NR_write, fd, bytes.as_ptr() as usize, bytes.len()) }
}

pub fn read(fd: Fd, buffer: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `read` writes at most `buffer.len()` bytes into a live slice.
    unsafe { rawsys::syscall3(nr::__NR_read, fd, buffer.as_mut_ptr() as usize, buffer.len()) }
}

pub fn pipe(flags: u32) -> Result<[Fd; 2], Errno> {
    let mut fds = [0u32; 2];
    // SAFETY: pipe2 writes two ints into `fds`.
    unsafe { rawsys::syscall2(nr::__NR_pipe2, fds.as_mut_ptr() as usize, flags as usize) }?;
    Ok([fds[0] as Fd, fds[1] as Fd])
}

/// `openat(AT_FDCWD, path, flags, mode)`; `path` must end with a NUL.
pub fn open(path: &[u8], flags: u32, mode: u32) -> Result<Fd, Errno> {
    assert!(path.last() == Some(&0));
    // SAFETY: `path` is NUL-terminated and lives across the call.
    unsafe {
        rawsys::syscall4(
            nr::__NR_openat,
            nr::AT_FDCWD as isize as usize,
            path.as_ptr() as usize,
            flags as usize,
            mode as usize,
        )
    }
}

pub fn memfd(name: &[u8]) -> Result<Fd, Errno> {
    assert!(name.last() == Some(&0));
    // SAFETY: `name` is NUL-terminated and lives across the call.
    unsafe { rawsys::syscall2(nr::__NR_memfd_create, name.as_ptr() as usize, 0) }
}

/// Seeks with whence `SEEK_SET` and returns the new offset.
pub fn seek(fd: Fd, offset: u64) -> Result<u64, Errno> {
    #[cfg(not(any(target_arch = "riscv32", target_arch = "hexagon")))]
    {
        // SAFETY: lseek takes plain integers.
        unsafe { rawsys::syscall3(nr::__NR_lseek, fd, offset as usize, nr::SEEK_SET as usize) }
            .map(|position| position as u64)
    }
    #[cfg(any(target_arch = "riscv32", target_arch = "hexagon"))]
    {
        let mut position = 0u64;
        // SAFETY: llseek writes the 64-bit result into `position`.
        unsafe {
            rawsys::syscall5(
                nr::__NR_llseek,
                fd,
                (offset >> 32) as usize,
                offset as u32 as usize,
                &mut position as *mut u64 as usize,
                nr::SEEK_SET as usize,
            )
        }?;
        Ok(position)
    }
}

/// Maps `length` bytes; `offset` is in bytes and must be page-aligned.
pub unsafe fn mmap(
    address: usize,
    length: usize,
    protection: u32,
    flags: u32,
    fd: usize,
    offset: u64,
) -> Result<usize, Errno> {
    #[cfg(all(
        any(target_pointer_width = "64", target_arch = "x86_64"),
        not(target_arch = "s390x")
    ))]
    {
        // SAFETY: the caller's promise.
        unsafe {
            rawsys::syscall6(
                nr::__NR_mmap,
                address,
                length,
                protection as usize,
                flags as usize,
                fd,
                offset as usize,
            )
        }
    }
    #[cfg(target_arch = "s390x")]
    {
        // On s390x `mmap` is the old form that reads its six arguments from memory.
        let arguments = [address, length, protection as usize, flags as usize, fd, offset as usize];
        // SAFETY: the caller's promise; `arguments` lives across the call.
        unsafe { rawsys::syscall1(nr::__NR_mmap, arguments.as_ptr() as usize) }
    }
    #[cfg(all(target_pointer_width = "32", not(target_arch = "x86_64")))]
    {
        // mmap2 counts its offset in units of 4096 bytes on every 32-bit ABI here.
        // SAFETY: the caller's promise.
        unsafe {
            rawsys::syscall6(
                nr::__NR_mmap2,
                address,
                length,
                protection as usize,
                flags as usize,
                fd,
                (offset / 4096) as usize,
            )
        }
    }
}

pub unsafe fn munmap(address: usize, length: usize) -> Result<usize, Errno> {
    // SAFETY: the caller's promise.
    unsafe { rawsys::syscall2(nr::__NR_munmap, address, length) }
}

/// Waits for child `pid` to exit and returns its `si_status` and `si_code`.
pub fn wait_exit(pid: usize) -> Result<(i32, i32), Errno> {
    // siginfo_t: three ints (signo, errno, code; MIPS swaps errno and code), aligned to a
    // pointer, then pid, uid and status.
    let mut info = [0i32; 32];
    // SAFETY: waitid writes a siginfo_t (128 bytes) into `info`.
    unsafe {
        rawsys::syscall5(
            nr::__NR_waitid,
            nr::P_PID as usize,
            pid,
            info.as_mut_ptr() as usize,
            nr::WEXITED as usize,
            0,
        )
    }?;
    let header = if cfg!(target_pointer_width = "64") { 4 } else { 3 };
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    let code = info[1];
    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    )))]
    let code = info[2];
    Ok((info[header + 2], code))
}

/// A plain fork through clone: `flags` is the exit signal only, no new stack.
/// Returns 0 in the child and the child's pid in the parent.
pub fn fork() -> Result<usize, Errno> {
    let parent = getpid();
    #[cfg(not(target_arch = "s390x"))]
    // SAFETY: a fork-like clone shares nothing with the child but copies of memory.
    let child = unsafe { rawsys::syscall5(nr::__NR_clone, nr::SIGCHLD as usize, 0, 0, 0, 0) }?;
    #[cfg(target_arch = "s390x")]
    // SAFETY: as above; s390x takes the stack first.
    let child = unsafe { rawsys::syscall5(nr::__NR_clone, 0, nr::SIGCHLD as usize, 0, 0, 0) }?;
    // On SPARC both sides get a pid in %o0 (the child its parent's), so ask the kernel who
    // this is instead of trusting the result.
    if getpid() != parent { Ok(0) } else { Ok(child) }
}

pub fn exit(status: i32) -> ! {
    rawsys::exit_group(status)
}

/// Sleeps for `milliseconds`.
pub fn sleep_ms(milliseconds: u64) {
    sleep_us(milliseconds * 1000);
}

/// Sleeps for `microseconds`.
pub fn sleep_us(microseconds: u64) {
    let milliseconds = microseconds / 1000;
    let nanoseconds = microseconds % 1000 * 1000;
    #[cfg(not(target_arch = "riscv32"))]
    {
        let duration = [
            (milliseconds / 1000) as isize,
            (milliseconds % 1000 * 1_000_000 + nanoseconds) as isize,
        ];
        // SAFETY: nanosleep reads a timespec of two longs.
        let _ = unsafe { rawsys::syscall2(nr::__NR_nanosleep, duration.as_ptr() as usize, 0) };
    }
    #[cfg(target_arch = "riscv32")]
    {
        // riscv32 has only the 64-bit time calls.
        let duration =
            [(milliseconds / 1000) as i64, (milliseconds % 1000 * 1_000_000 + nanoseconds) as i64];
        // SAFETY: clock_nanosleep_time64 reads a 64-bit timespec.
        let _ = unsafe {
            rawsys::syscall4(
                nr::__NR_clock_nanosleep_time64,
                nr::CLOCK_MONOTONIC as usize,
                0,
                duration.as_ptr() as usize,
                0,
            )
        };
    }
}

/// Formats `value` in decimal into `buffer`, returning the digits.
pub fn decimal(mut value: usize, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &buffer[start..];
        }
    }
}

/// The number of open descriptors, from /proc/self/fd, less the one reading it; `usize::MAX`
/// where /proc is missing.
pub fn count_descriptors() -> usize {
    let Ok(fd) = open(b"/proc/self/fd\0", nr::O_RDONLY | nr::O_DIRECTORY | nr::O_CLOEXEC, 0) else {
        return usize::MAX;
    };
    let mut buffer = [0u8; 2048];
    let mut count = 0usize;
    loop {
        // SAFETY: getdents64 writes at most `buffer.len()` bytes of records.
        let length = unsafe {
            rawsys::syscall3(nr::__NR_getdents64, fd, buffer.as_mut_ptr() as usize, buffer.len())
        };
        let length = match length {
            Ok(0) | Err(_) => break,
            Ok(length) => length,
        };
        // Each record: inode (8), offset (8), record length (2), type (1), name.
        let mut at = 0;
        while at + 19 < length {
            let record = u16::from_ne_bytes([buffer[at + 16], buffer[at + 17]]) as usize;
            if buffer[at + 19] != b'.' {
                count += 1;
            }
            if record == 0 {
                break;
            }
            at += record;
        }
    }
    let _ = close(fd);
    count.saturating_sub(1)
}

/// Resident pages (the second field of /proc/self/statm), or 0 where /proc is missing.
pub fn resident_pages() -> usize {
    let Ok(fd) = open(b"/proc/self/statm\0", nr::O_RDONLY | nr::O_CLOEXEC, 0) else { return 0 };
    let mut buffer = [0u8; 128];
    let length = read(fd, &mut buffer).unwrap_or(0);
    let _ = close(fd);
    let mut fields = buffer[..length].split(|&byte| byte == b' ');
    let second = fields.nth(1).unwrap_or(b"");
    second.iter().fold(0, |value, digit| value * 10 + digit.wrapping_sub(b'0') as usize)
}
