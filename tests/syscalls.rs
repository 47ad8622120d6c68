//! System calls with known outcomes, run natively on the host.

use rawsys::{Errno, nr, raw};

fn pipe() -> [usize; 2] {
    let mut fds = [0i32; 2];
    // SAFETY: pipe2 writes two ints into `fds`.
    unsafe { rawsys::syscall2(nr::__NR_pipe2, fds.as_mut_ptr() as usize, 0) }.unwrap();
    [fds[0] as usize, fds[1] as usize]
}

fn close(fd: usize) -> Result<usize, Errno> {
    // SAFETY: closes a descriptor this test owns, or an invalid one.
    unsafe { rawsys::syscall1(nr::__NR_close, fd) }
}

#[test]
fn write_into_a_pipe_and_read_it_back() {
    let [reader, writer] = pipe();
    let message = b"through the kernel and back";
    // SAFETY: write reads from a live slice.
    let written = unsafe {
        rawsys::syscall3(nr::__NR_write, writer, message.as_ptr() as usize, message.len())
    };
    assert_eq!(written, Ok(message.len()));
    let mut buffer = [0u8; 64];
    // SAFETY: read writes into a live buffer of the given length.
    let read = unsafe {
        rawsys::syscall3(nr::__NR_read, reader, buffer.as_mut_ptr() as usize, buffer.len())
    };
    assert_eq!(read, Ok(message.len()));
    assert_eq!(&buffer[..message.len()], message);
    assert_eq!(close(reader), Ok(0));
    assert_eq!(close(writer), Ok(0));
}

#[test]
fn ebadf_on_a_closed_descriptor() {
    let [reader, writer] = pipe();
    close(reader).unwrap();
    close(writer).unwrap();
    // Closed now, and (this test holding no lock on the table) possibly reused by another
    // thread's test: use a number no test reaches instead for the assertion.
    assert_eq!(close(900_000), Err(Errno::EBADF));
    let mut byte = [0u8; 1];
    // SAFETY: read from an invalid descriptor fails before touching the buffer.
    let read = unsafe { rawsys::syscall3(nr::__NR_read, 900_001, byte.as_mut_ptr() as usize, 1) };
    assert_eq!(read, Err(Errno::EBADF));
}

#[test]
fn enosys_past_the_table() {
    for number in [nr::__NR_getpid + 0x1000, 0xfff0, u32::MAX >> 2] {
        // SAFETY: a number with no system call behind it does nothing.
        let none = unsafe { rawsys::syscall0(number) };
        assert_eq!(none, Err(Errno::ENOSYS), "{number}");
        // SAFETY: as above.
        let six = unsafe { rawsys::syscall6(number, 1, 2, 3, 4, 5, 6) };
        assert_eq!(six, Err(Errno::ENOSYS));
    }
}

#[test]
fn efault_for_a_bad_pointer() {
    let [reader, writer] = pipe();
    // SAFETY: the kernel checks the address and fails; nothing is read or written here.
    let write = unsafe { rawsys::syscall3(nr::__NR_write, writer, 16, 8) };
    assert_eq!(write, Err(Errno::EFAULT));
    // SAFETY: uname with a null buffer fails with EFAULT.
    let uname = unsafe { rawsys::syscall1(nr::__NR_uname, 0) };
    assert_eq!(uname, Err(Errno::EFAULT));
    close(reader).unwrap();
    close(writer).unwrap();
}

// i686 maps with mmap2 (its mmap reads its arguments from memory); the freestanding test
// binary covers it.
#[cfg(target_arch = "x86_64")]
#[test]
fn six_argument_mmap_is_usable() {
    // SAFETY: memfd_create reads a NUL-terminated name.
    let fd =
        unsafe { rawsys::syscall2(nr::__NR_memfd_create, c"six".as_ptr() as usize, 0) }.unwrap();
    let page = 4096;
    let contents: Vec<u8> = (0..2 * page).map(|i| (i / page) as u8 + b'a').collect();
    // SAFETY: write reads from a live vector.
    let written =
        unsafe { rawsys::syscall3(nr::__NR_write, fd, contents.as_ptr() as usize, contents.len()) };
    assert_eq!(written, Ok(contents.len()));
    // SAFETY: a fresh shared mapping of this test's file, at the second page.
    let address = unsafe {
        rawsys::syscall6(
            nr::__NR_mmap,
            0,
            page,
            (nr::PROT_READ | nr::PROT_WRITE) as usize,
            nr::MAP_SHARED as usize,
            fd,
            page,
        )
    }
    .unwrap();
    // SAFETY: the mapping is one page, readable and writable.
    let mapped = unsafe { std::slice::from_raw_parts_mut(address as *mut u8, page) };
    assert!(mapped.iter().all(|&byte| byte == b'b'));
    mapped[0] = b'Z';
    let mut first = [0u8; 1];
    // SAFETY: pread64 writes one byte into `first`.
    let read =
        unsafe { rawsys::syscall4(nr::__NR_pread64, fd, first.as_mut_ptr() as usize, 1, page) };
    assert_eq!((read, first[0]), (Ok(1), b'Z'));
    // SAFETY: unmaps the page mapped above.
    let unmapped = unsafe { rawsys::syscall2(nr::__NR_munmap, address, page) };
    assert_eq!(unmapped, Ok(0));
    close(fd).unwrap();
}

#[cfg(target_arch = "x86_64")]
#[test]
fn high_mmap_address_is_a_value() {
    // Near the top of the x86_64 user address space (47 bits): an address with far more high
    // bits set than a small value, which must come back as a value, and usable memory. The
    // stack and vDSO live up there too, so the first free candidate is taken.
    let page = 4096;
    let candidates = [0x7fff_f000_0000usize, 0x7ffe_0000_0000, 0x7ff0_0000_0000, 0x7f00_0000_0000];
    let mut mapped = None;
    for wanted in candidates {
        // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping.
        let result = unsafe {
            rawsys::syscall6(
                nr::__NR_mmap,
                wanted,
                page,
                (nr::PROT_READ | nr::PROT_WRITE) as usize,
                (nr::MAP_PRIVATE | nr::MAP_ANONYMOUS | nr::MAP_FIXED_NOREPLACE) as usize,
                usize::MAX,
                0,
            )
        };
        match result {
            Ok(address) => {
                assert_eq!(address, wanted);
                mapped = Some(address);
                break;
            }
            Err(errno) => assert_eq!(errno, Errno::EEXIST, "{wanted:#x}"),
        }
    }
    let address = mapped.expect("one of the high candidates is free");
    // SAFETY: the page was just mapped read-write.
    unsafe {
        (address as *mut u64).write_volatile(0xfeed);
        assert_eq!((address as *const u64).read_volatile(), 0xfeed);
    }
    // SAFETY: unmaps the page mapped above.
    let unmapped = unsafe { rawsys::syscall2(nr::__NR_munmap, address, page) };
    assert_eq!(unmapped, Ok(0));
}

#[test]
fn raw_forms_keep_the_kernels_word() {
    // SAFETY: closing an invalid descriptor.
    let result = unsafe { raw::syscall1(nr::__NR_close, 900_002) };
    assert_eq!(result.value(), (Errno::EBADF.raw() as usize).wrapping_neg());
    assert_eq!(result.decode(), Err(Errno::EBADF));
    // SAFETY: getpid writes no memory.
    let pid = unsafe { raw::syscall0_readonly(nr::__NR_getpid) };
    assert_eq!(pid.value(), std::process::id() as usize);
}

#[test]
fn readonly_forms_match_the_plain_ones() {
    // SAFETY: getppid and getuid write no memory.
    unsafe {
        assert_eq!(
            raw::syscall0_readonly(nr::__NR_getppid).decode(),
            rawsys::syscall0(nr::__NR_getppid)
        );
        let uid = libc::getuid() as usize;
        assert_eq!(raw::syscall0_readonly(nr::__NR_getuid).decode(), Ok(uid));
        let pid = std::process::id() as usize;
        assert_eq!(raw::syscall2_readonly(nr::__NR_kill, pid, 0).decode(), Ok(0));
        assert_eq!(
            raw::syscall1_readonly(nr::__NR_getpgid, 0).decode(),
            Ok(libc::getpgrp() as usize)
        );
        let [reader, writer] = pipe();
        let written = raw::syscall3_readonly(nr::__NR_write, writer, b"ro".as_ptr() as usize, 2);
        assert_eq!(written.decode(), Ok(2));
        close(reader).unwrap();
        close(writer).unwrap();
    }
}

#[test]
fn exit_group_ends_a_child_with_its_status() {
    // SAFETY: the child only calls exit_group, which is async-signal-safe.
    let child = unsafe { libc::fork() };
    assert!(child >= 0);
    if child == 0 {
        rawsys::exit_group(93);
    }
    let mut status = 0;
    // SAFETY: waits for the child just created.
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert!(libc::WIFEXITED(status));
    assert_eq!(libc::WEXITSTATUS(status), 93);
}

#[test]
fn noreturn_exit_of_a_child() {
    // SAFETY: the child only makes the exit system call.
    let child = unsafe { libc::fork() };
    assert!(child >= 0);
    if child == 0 {
        // SAFETY: exit ends the child's only thread.
        unsafe { raw::syscall1_noreturn(nr::__NR_exit, 17) };
    }
    let mut status = 0;
    // SAFETY: waits for the child just created.
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert_eq!(libc::WEXITSTATUS(status), 17);
}
