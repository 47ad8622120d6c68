//! The tests, in the order they run. Each returns an `Outcome`; a failure says what it
//! expected and what came back.

use core::fmt::Write;

use rawsys::errno::{decode_mips, decode_negated, decode_powerpc, decode_sparc};
use rawsys::linux_raw_sys::{auxvec, errno as numbers, prctl};
use rawsys::{Errno, nr, raw};

use crate::report::{Line, Outcome};
use crate::sys::{self, Fd};
use crate::{Context, expect_eq, fail};

pub type Test = (&'static str, fn(&Context) -> Outcome);

pub const ALL: &[Test] = &[
    ("decode_negated_boundaries", decode_negated_boundaries),
    ("decode_mips_flag", decode_mips_flag),
    ("decode_powerpc_summary_overflow", decode_powerpc_summary_overflow),
    ("decode_sparc_carry", decode_sparc_carry),
    ("errno_display", errno_display),
    ("errno_numbers_are_this_architectures", errno_numbers_are_this_architectures),
    ("arity0_getpid", arity0_getpid),
    ("arity0_gettid_is_pid", arity0_gettid_is_pid),
    ("arity0_readonly_getppid", arity0_readonly_getppid),
    ("arity0_sched_yield", arity0_sched_yield),
    ("arity1_umask_round_trip", arity1_umask_round_trip),
    ("arity1_dup", arity1_dup),
    ("arity1_readonly_umask_unchanged", arity1_readonly_umask_unchanged),
    ("arity2_getcwd", arity2_getcwd),
    ("arity2_kill_probe", arity2_kill_probe),
    ("arity2_readonly_kill_probe", arity2_readonly_kill_probe),
    ("arity3_pipe_round_trip", arity3_pipe_round_trip),
    ("arity3_writev_readv", arity3_writev_readv),
    ("arity3_readonly_write", arity3_readonly_write),
    ("arity3_getrandom", arity3_getrandom),
    ("arity4_sigprocmask", arity4_sigprocmask),
    ("arity4_dup3", arity4_dup3),
    ("arity5_prctl_name", arity5_prctl_name),
    ("arity5_statx_size", arity5_statx_size),
    ("arity5_mremap_to_fixed_address", arity5_mremap_to_fixed_address),
    ("arity5_waitid_exit_status", arity5_waitid_exit_status),
    ("arity6_mmap_file_offset", arity6_mmap_file_offset),
    ("arity6_copy_file_range", arity6_copy_file_range),
    ("noreturn_exit", noreturn_exit),
    ("large_result_seek", large_result_seek),
    ("large_result_high_mapping", large_result_high_mapping),
    ("uname_is_linux", uname_is_linux),
    ("registers_survive_syscalls", registers_survive_syscalls),
    ("ebadf_close", ebadf_close),
    ("ebadf_read", ebadf_read),
    ("enoent_open", enoent_open),
    ("enotdir_open", enotdir_open),
    ("eisdir_open_for_writing", eisdir_open_for_writing),
    ("eexist_mkdir", eexist_mkdir),
    ("efault_write", efault_write),
    ("efault_read", efault_read),
    ("einval_pipe2_flags", einval_pipe2_flags),
    ("enosys_past_the_table", enosys_past_the_table),
    ("enametoolong_number", enametoolong_number),
    ("espipe_seek_on_pipe", espipe_seek_on_pipe),
    ("eagain_empty_pipe", eagain_empty_pipe),
    ("esrch_kill", esrch_kill),
    ("epipe_closed_reader", epipe_closed_reader),
    ("echild_without_children", echild_without_children),
    ("entry_argv", entry_argv),
    ("entry_envp", entry_envp),
    ("entry_auxv_page_size", entry_auxv_page_size),
    ("entry_auxv_entry_point", entry_auxv_entry_point),
];

fn passed() -> Outcome {
    Outcome::Passed
}

/// Runs `check` on a fresh pipe and closes both ends afterwards.
fn with_pipe(flags: u32, check: impl FnOnce(Fd, Fd) -> Outcome) -> Outcome {
    let [reader, writer] = match sys::pipe(flags) {
        Ok(fds) => fds,
        Err(errno) => return fail!("pipe2 failed with {}", errno),
    };
    let outcome = check(reader, writer);
    let _ = sys::close(reader);
    let _ = sys::close(writer);
    outcome
}

fn page_size(context: &Context) -> usize {
    context.args.aux(auxvec::AT_PAGESZ as usize).unwrap_or(4096)
}

// ---- decoders, on this architecture's word size and errno numbers ----

fn decode_negated_boundaries(_: &Context) -> Outcome {
    let cases: [(usize, Result<usize, Errno>); 7] = [
        (0, Ok(0)),
        (usize::MAX, Err(Errno::from_raw(1))),
        (4095usize.wrapping_neg(), Err(Errno::from_raw(4095))),
        (4096usize.wrapping_neg(), Ok(4096usize.wrapping_neg())),
        ((numbers::ENOSYS as usize).wrapping_neg(), Err(Errno::ENOSYS)),
        (usize::MAX / 2 + 1, Ok(usize::MAX / 2 + 1)),
        (usize::MAX / 2, Ok(usize::MAX / 2)),
    ];
    for (word, expected) in cases {
        let got = decode_negated(word);
        if got != expected {
            return fail!("decode_negated({:#x}): expected {:?}, got {:?}", word, expected, got);
        }
    }
    passed()
}

fn decode_mips_flag(_: &Context) -> Outcome {
    let cases: [(usize, usize, Result<usize, Errno>); 5] = [
        (usize::MAX, 0, Ok(usize::MAX)),
        (4095usize.wrapping_neg(), 0, Ok(4095usize.wrapping_neg())),
        (numbers::ENOENT as usize, 1, Err(Errno::ENOENT)),
        (numbers::EDQUOT as usize, usize::MAX, Err(Errno::EDQUOT)),
        (0, 0, Ok(0)),
    ];
    for (v0, a3, expected) in cases {
        let got = decode_mips(v0, a3);
        if got != expected {
            return fail!("decode_mips({:#x}, {}): expected {:?}, got {:?}", v0, a3, expected, got);
        }
    }
    passed()
}

fn decode_powerpc_summary_overflow(_: &Context) -> Outcome {
    let so = rawsys::errno::POWERPC_CR0_SO;
    let cases: [(usize, u32, Result<usize, Errno>); 5] = [
        (usize::MAX, 0, Ok(usize::MAX)),
        (5, !so, Ok(5)),
        (numbers::EBADF as usize, so, Err(Errno::EBADF)),
        (numbers::EDEADLOCK as usize, u32::MAX, Err(Errno::EDEADLOCK)),
        (1usize.wrapping_neg(), 0, Ok(usize::MAX)),
    ];
    for (r3, cr, expected) in cases {
        let got = decode_powerpc(r3, cr);
        if got != expected {
            return fail!(
                "decode_powerpc({:#x}, {:#x}): expected {:?}, got {:?}",
                r3,
                cr,
                expected,
                got
            );
        }
    }
    passed()
}

fn decode_sparc_carry(_: &Context) -> Outcome {
    let cases: [(usize, bool, Result<usize, Errno>); 4] = [
        (usize::MAX, false, Ok(usize::MAX)),
        (numbers::ENOSYS as usize, true, Err(Errno::ENOSYS)),
        (numbers::EINVAL as usize, false, Ok(numbers::EINVAL as usize)),
        (0, false, Ok(0)),
    ];
    for (o0, carry, expected) in cases {
        let got = decode_sparc(o0, carry);
        if got != expected {
            return fail!(
                "decode_sparc({:#x}, {}): expected {:?}, got {:?}",
                o0,
                carry,
                expected,
                got
            );
        }
    }
    passed()
}

fn errno_display(_: &Context) -> Outcome {
    let mut line = Line::new();
    let _ = write!(line, "{} | {:?} | {}", Errno::ENOENT, Errno::EBADF, Errno::from_raw(4000));
    expect_eq!(
        core::str::from_utf8(line.as_bytes()).unwrap_or("?"),
        "ENOENT: no such file or directory | EBADF | errno 4000: unknown error"
    )
}

fn errno_numbers_are_this_architectures(_: &Context) -> Outcome {
    // ENOSYS is 38 on most, 89 on MIPS, 90 on SPARC; EDEADLOCK differs on MIPS and PowerPC.
    let names = [
        (Errno::ENOSYS.raw(), numbers::ENOSYS, Errno::from_raw(numbers::ENOSYS).name()),
        (Errno::EDEADLOCK.raw(), numbers::EDEADLOCK, Errno::from_raw(numbers::EDEADLOCK).name()),
        (Errno::EDQUOT.raw(), numbers::EDQUOT, Errno::from_raw(numbers::EDQUOT).name()),
    ];
    for (ours, theirs, name) in names {
        if ours != theirs || name.is_none() {
            return fail!("errno {} named {:?}, linux-raw-sys says {}", ours, name, theirs);
        }
    }
    expect_eq!(Errno::from_raw(numbers::EDQUOT).name(), Some("EDQUOT"))
}

// ---- each arity, with arguments checked by their effect ----

fn arity0_getpid(_: &Context) -> Outcome {
    // SAFETY: getpid has no arguments.
    match unsafe { rawsys::syscall0(nr::__NR_getpid) } {
        Ok(pid) if pid > 0 => passed(),
        other => fail!("a positive pid, got {:?}", other),
    }
}

fn arity0_gettid_is_pid(_: &Context) -> Outcome {
    // SAFETY: gettid has no arguments.
    let tid = unsafe { rawsys::syscall0(nr::__NR_gettid) };
    expect_eq!(tid, Ok(sys::getpid()))
}

fn arity0_readonly_getppid(_: &Context) -> Outcome {
    // SAFETY: getppid writes no memory.
    let readonly = unsafe { raw::syscall0_readonly(nr::__NR_getppid) }.decode();
    // SAFETY: as above.
    let plain = unsafe { rawsys::syscall0(nr::__NR_getppid) };
    // As PID 1 the parent is 0; otherwise a live process.
    match (readonly, plain) {
        (Ok(a), Ok(b)) if a == b && (a > 0 || sys::getpid() == 1) => passed(),
        other => fail!("the same parent pid twice, got {:?}", other),
    }
}

fn arity0_sched_yield(_: &Context) -> Outcome {
    // SAFETY: sched_yield has no arguments.
    expect_eq!(unsafe { rawsys::syscall0(nr::__NR_sched_yield) }, Ok(0))
}

fn arity1_umask_round_trip(_: &Context) -> Outcome {
    // SAFETY: umask takes a plain integer.
    let old = unsafe { rawsys::syscall1(nr::__NR_umask, 0o027) };
    let Ok(old) = old else {
        return fail!("umask failed: {:?}", old);
    };
    // SAFETY: as above.
    let ours = unsafe { rawsys::syscall1(nr::__NR_umask, old) };
    expect_eq!(ours, Ok(0o027))
}

fn arity1_dup(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        // SAFETY: dup takes a descriptor this test owns.
        let copy = match unsafe { rawsys::syscall1(nr::__NR_dup, writer) } {
            Ok(fd) => fd,
            Err(errno) => return fail!("dup: {}", errno),
        };
        let _ = sys::write(copy, b"dup");
        let _ = sys::close(copy);
        let mut buffer = [0u8; 8];
        let count = sys::read(reader, &mut buffer);
        expect_eq!((copy != writer, count, &buffer[..3]), (true, Ok(3), &b"dup"[..]))
    })
}

fn arity1_readonly_umask_unchanged(_: &Context) -> Outcome {
    // umask does write process state, but no memory: the read-only form is allowed.
    // SAFETY: umask takes a plain integer and writes no memory.
    let old = unsafe { raw::syscall1_readonly(nr::__NR_umask, 0o022) }.decode();
    let Ok(old) = old else {
        return fail!("umask failed: {:?}", old);
    };
    // SAFETY: as above.
    let back = unsafe { raw::syscall1_readonly(nr::__NR_umask, old) }.decode();
    expect_eq!(back, Ok(0o022))
}

fn arity2_getcwd(_: &Context) -> Outcome {
    let mut buffer = [0u8; 256];
    // SAFETY: getcwd writes at most `buffer.len()` bytes.
    let length =
        unsafe { rawsys::syscall2(nr::__NR_getcwd, buffer.as_mut_ptr() as usize, buffer.len()) };
    match length {
        // The kernel counts the closing NUL.
        Ok(length) if length >= 2 && buffer[0] == b'/' && buffer[length - 1] == 0 => passed(),
        other => fail!("an absolute path and its length, got {:?}", other),
    }
}

fn arity2_kill_probe(_: &Context) -> Outcome {
    // SAFETY: signal 0 only checks that the process exists.
    expect_eq!(unsafe { rawsys::syscall2(nr::__NR_kill, sys::getpid(), 0) }, Ok(0))
}

fn arity2_readonly_kill_probe(_: &Context) -> Outcome {
    // SAFETY: signal 0 delivers nothing and writes no memory.
    let result = unsafe { raw::syscall2_readonly(nr::__NR_kill, sys::getpid(), 0) };
    expect_eq!(result.decode(), Ok(0))
}

fn arity3_pipe_round_trip(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        let written = sys::write(writer, b"rawsys\n");
        let mut buffer = [0u8; 16];
        let count = sys::read(reader, &mut buffer);
        expect_eq!((written, count, &buffer[..7]), (Ok(7), Ok(7), &b"rawsys\n"[..]))
    })
}

fn arity3_writev_readv(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        let parts: [&[u8]; 2] = [b"scatter", b"-gather"];
        let out = [
            [parts[0].as_ptr() as usize, parts[0].len()],
            [parts[1].as_ptr() as usize, parts[1].len()],
        ];
        // SAFETY: two iovecs over live slices.
        let written =
            unsafe { rawsys::syscall3(nr::__NR_writev, writer, out.as_ptr() as usize, 2) };
        let mut first = [0u8; 4];
        let mut second = [0u8; 10];
        let into = [
            [first.as_mut_ptr() as usize, first.len()],
            [second.as_mut_ptr() as usize, second.len()],
        ];
        // SAFETY: two iovecs over live buffers.
        let read = unsafe { rawsys::syscall3(nr::__NR_readv, reader, into.as_ptr() as usize, 2) };
        expect_eq!((written, read, &first, &second), (Ok(14), Ok(14), b"scat", b"ter-gather"))
    })
}

fn arity3_readonly_write(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        let message = b"read-only form";
        // SAFETY: write reads the message and writes no memory of this process.
        let written = unsafe {
            raw::syscall3_readonly(nr::__NR_write, writer, message.as_ptr() as usize, message.len())
        };
        let mut buffer = [0u8; 32];
        let count = sys::read(reader, &mut buffer);
        expect_eq!(
            (written.decode(), count, &buffer[..message.len()]),
            (Ok(message.len()), Ok(message.len()), &message[..])
        )
    })
}

fn arity3_getrandom(_: &Context) -> Outcome {
    let mut first = [0u8; 16];
    let mut second = [0u8; 16];
    // SAFETY: getrandom writes 16 bytes into each buffer.
    let a = unsafe { rawsys::syscall3(nr::__NR_getrandom, first.as_mut_ptr() as usize, 16, 0) };
    // SAFETY: as above.
    let b = unsafe { rawsys::syscall3(nr::__NR_getrandom, second.as_mut_ptr() as usize, 16, 0) };
    if a != Ok(16) || b != Ok(16) {
        return fail!("16 bytes twice, got {:?} and {:?}", a, b);
    }
    if first == second {
        return fail!("two different draws, got the same 16 bytes twice");
    }
    passed()
}

/// A kernel signal set: `_NSIG` bits in words of `unsigned long`.
type SignalSet = [usize; 128 / usize::BITS as usize];

fn signal_bit(set: &mut SignalSet, signal: u32) {
    let bit = (signal - 1) as usize;
    set[bit / usize::BITS as usize] |= 1 << (bit % usize::BITS as usize);
}

fn has_signal(set: &SignalSet, signal: u32) -> bool {
    let bit = (signal - 1) as usize;
    set[bit / usize::BITS as usize] & (1 << (bit % usize::BITS as usize)) != 0
}

/// `rt_sigprocmask(how, set, old, _NSIG / 8)`.
fn sigprocmask(how: u32, set: Option<&SignalSet>, old: &mut SignalSet) -> Result<usize, Errno> {
    let set = set.map_or(0, |set| set.as_ptr() as usize);
    // SAFETY: both sets are live and at least `_NSIG / 8` bytes long.
    unsafe {
        rawsys::syscall4(
            nr::__NR_rt_sigprocmask,
            how as usize,
            set,
            old.as_mut_ptr() as usize,
            (nr::_NSIG / 8) as usize,
        )
    }
}

fn arity4_sigprocmask(_: &Context) -> Outcome {
    let mut block = SignalSet::default();
    signal_bit(&mut block, nr::SIGUSR1);
    let mut before = SignalSet::default();
    if let Err(errno) = sigprocmask(nr::SIG_BLOCK, Some(&block), &mut before) {
        return fail!("rt_sigprocmask(SIG_BLOCK): {}", errno);
    }
    let mut during = SignalSet::default();
    let query = sigprocmask(nr::SIG_BLOCK, None, &mut during);
    let mut ignored = SignalSet::default();
    let restore = sigprocmask(nr::SIG_SETMASK, Some(&before), &mut ignored);
    expect_eq!(
        (query, restore, has_signal(&during, nr::SIGUSR1), has_signal(&before, nr::SIGUSR1)),
        (Ok(0), Ok(0), true, false)
    )
}

fn arity4_dup3(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        // A descriptor number well above what the test uses, so dup3 must place it there.
        let target = 100;
        // SAFETY: dup3 onto a number this program does not use.
        let result =
            unsafe { rawsys::syscall3(nr::__NR_dup3, writer, target, nr::O_CLOEXEC as usize) };
        let _ = sys::write(target, b"3");
        let _ = sys::close(target);
        let mut byte = [0u8; 1];
        let count = sys::read(reader, &mut byte);
        expect_eq!((result, count, byte[0]), (Ok(target), Ok(1), b'3'))
    })
}

fn arity5_prctl_name(_: &Context) -> Outcome {
    let name = b"rawsys-prctl\0";
    let mut back = [0u8; 16];
    // SAFETY: PR_SET_NAME reads a NUL-terminated name; the unused arguments are zero.
    let set = unsafe {
        rawsys::syscall5(
            nr::__NR_prctl,
            prctl::PR_SET_NAME as usize,
            name.as_ptr() as usize,
            0,
            0,
            0,
        )
    };
    // SAFETY: PR_GET_NAME writes 16 bytes into `back`.
    let get = unsafe {
        rawsys::syscall5(
            nr::__NR_prctl,
            prctl::PR_GET_NAME as usize,
            back.as_mut_ptr() as usize,
            0,
            0,
            0,
        )
    };
    expect_eq!((set, get, &back[..name.len()]), (Ok(0), Ok(0), &name[..]))
}

fn arity5_statx_size(_: &Context) -> Outcome {
    let Ok(fd) = sys::memfd(b"statx\0") else {
        return fail!("memfd_create failed");
    };
    let data = [7u8; 3000];
    let _ = sys::write(fd, &data);
    let mut status = core::mem::MaybeUninit::<nr::statx>::zeroed();
    // SAFETY: statx fills a `struct statx`; the empty path with AT_EMPTY_PATH means `fd` itself.
    let result = unsafe {
        rawsys::syscall5(
            nr::__NR_statx,
            fd,
            c"".as_ptr() as usize,
            nr::AT_EMPTY_PATH as usize,
            nr::STATX_SIZE as usize,
            status.as_mut_ptr() as usize,
        )
    };
    let _ = sys::close(fd);
    // SAFETY: zeroed is a valid `statx`, and the kernel wrote a whole one on success.
    let status = unsafe { status.assume_init() };
    expect_eq!((result, status.stx_size), (Ok(0), 3000))
}

fn arity5_mremap_to_fixed_address(context: &Context) -> Outcome {
    let page = page_size(context);
    let protection = nr::PROT_READ | nr::PROT_WRITE;
    let flags = nr::MAP_PRIVATE | nr::MAP_ANONYMOUS;
    // SAFETY: fresh anonymous mappings that nothing else uses.
    let (source, target) = unsafe {
        (
            sys::mmap(0, page, protection, flags, usize::MAX, 0),
            sys::mmap(0, page, protection, flags, usize::MAX, 0),
        )
    };
    let (Ok(source), Ok(target)) = (source, target) else {
        return fail!("two anonymous pages, got {:?} and {:?}", source, target);
    };
    // SAFETY: `source` is a fresh writable page.
    unsafe { (source as *mut u32).write_volatile(0x5eed_f00d) };
    // SAFETY: moves a page this test owns onto another page it owns.
    let moved = unsafe {
        rawsys::syscall5(
            nr::__NR_mremap,
            source,
            page,
            page,
            (nr::MREMAP_MAYMOVE | nr::MREMAP_FIXED) as usize,
            target,
        )
    };
    let value = if moved == Ok(target) {
        // SAFETY: the page now lives at `target`.
        unsafe { (target as *const u32).read_volatile() }
    } else {
        0
    };
    // SAFETY: unmapping this test's page.
    let _ = unsafe { sys::munmap(target, page) };
    expect_eq!((moved, value), (Ok(target), 0x5eed_f00d))
}

fn arity5_waitid_exit_status(_: &Context) -> Outcome {
    match sys::fork() {
        Ok(0) => sys::exit(42),
        Ok(child) => expect_eq!(sys::wait_exit(child), Ok((42, nr::CLD_EXITED as i32))),
        Err(errno) => fail!("fork: {}", errno),
    }
}

fn arity6_mmap_file_offset(context: &Context) -> Outcome {
    let page = page_size(context);
    let Ok(fd) = sys::memfd(b"offset\0") else {
        return fail!("memfd_create failed");
    };
    let mut chunk = [b'A'; 512];
    for filler in [b'A', b'B'] {
        chunk.fill(filler);
        for _ in 0..page / chunk.len() {
            let _ = sys::write(fd, &chunk);
        }
    }
    // The fifth argument (the descriptor) and the sixth (the offset of the second page) are
    // checked by what the mapping shows: the pass-on-the-stack case of MIPS o32.
    // SAFETY: a fresh read-only shared mapping of this test's file.
    let mapped = unsafe { sys::mmap(0, page, nr::PROT_READ, nr::MAP_SHARED, fd, page as u64) };
    let _ = sys::close(fd);
    let Ok(address) = mapped else {
        return fail!("mmap: {:?}", mapped);
    };
    // SAFETY: the mapping is one readable page.
    let (first, last) = unsafe { (*(address as *const u8), *((address + page - 1) as *const u8)) };
    // SAFETY: unmapping this test's page.
    let _ = unsafe { sys::munmap(address, page) };
    expect_eq!((first, last), (b'B', b'B'))
}

fn arity6_copy_file_range(_: &Context) -> Outcome {
    let (Ok(source), Ok(target)) = (sys::memfd(b"from\0"), sys::memfd(b"to\0")) else {
        return fail!("memfd_create failed");
    };
    let _ = sys::write(source, b"0123456789");
    let mut from = 2u64;
    let mut to = 0u64;
    let copy = |flags: usize, from: &mut u64, to: &mut u64| {
        // SAFETY: both offsets are live u64 (loff_t); the descriptors are this test's.
        unsafe {
            rawsys::syscall6(
                nr::__NR_copy_file_range,
                source,
                from as *mut u64 as usize,
                target,
                to as *mut u64 as usize,
                5,
                flags,
            )
        }
    };
    let copied = copy(0, &mut from, &mut to);
    // A non-zero sixth argument must reach the kernel, which rejects any flag.
    let rejected = copy(1, &mut from, &mut to);
    let mut buffer = [0u8; 8];
    let _ = sys::seek(target, 0);
    let count = sys::read(target, &mut buffer);
    let _ = sys::close(source);
    let _ = sys::close(target);
    if copied == Err(Errno::ENOSYS) {
        return Outcome::Skipped("copy_file_range is not implemented by this kernel or emulator");
    }
    expect_eq!(
        (copied, rejected, from, to, count, &buffer[..5]),
        (Ok(5), Err(Errno::EINVAL), 7, 5, Ok(5), &b"23456"[..])
    )
}

fn noreturn_exit(_: &Context) -> Outcome {
    match sys::fork() {
        // SAFETY: `exit` ends the (single-threaded) child.
        Ok(0) => unsafe { raw::syscall1_noreturn(nr::__NR_exit, 7) },
        Ok(child) => expect_eq!(sys::wait_exit(child), Ok((7, nr::CLD_EXITED as i32))),
        Err(errno) => fail!("fork: {}", errno),
    }
}

fn large_result_seek(_: &Context) -> Outcome {
    let Ok(fd) = sys::memfd(b"seek\0") else {
        return fail!("memfd_create failed");
    };
    // The largest page-aligned offset a signed word can return: close to the error range in
    // shape (the high bits set) on 64-bit, at the top of off_t on 32-bit.
    let offset: u64 = if cfg!(target_pointer_width = "64") { 1 << 62 } else { (1 << 31) - 4096 };
    let result = sys::seek(fd, offset);
    let _ = sys::close(fd);
    expect_eq!(result, Ok(offset))
}

fn large_result_high_mapping(context: &Context) -> Outcome {
    let page = page_size(context);
    let protection = nr::PROT_READ | nr::PROT_WRITE;
    let flags = nr::MAP_PRIVATE | nr::MAP_ANONYMOUS | nr::MAP_FIXED_NOREPLACE;
    // Addresses from high to low; the first one the kernel accepts is used. On 32-bit ABIs a
    // mapping above 2 GiB has the sign bit set, as an error would, and must still be a value.
    #[cfg(target_pointer_width = "64")]
    let candidates: [u64; 6] = [
        0x7ff0_0000_0000,
        0x3ff0_0000_0000,
        0x7f_f000_0000,
        0x3f_f000_0000,
        0xf000_0000,
        0x8000_0000,
    ];
    #[cfg(target_pointer_width = "32")]
    let candidates: [u64; 6] =
        [0xf000_0000, 0xe000_0000, 0xd000_0000, 0xb000_0000, 0xa000_0000, 0x9000_0000];
    for address in candidates {
        let address = address as usize & !(page - 1);
        // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping.
        let mapped = unsafe { sys::mmap(address, page, protection, flags, usize::MAX, 0) };
        match mapped {
            Ok(got) if got == address => {
                // SAFETY: a fresh writable page at `got`.
                let value = unsafe {
                    (got as *mut usize).write_volatile(got);
                    (got as *const usize).read_volatile()
                };
                // SAFETY: unmapping this test's page.
                let _ = unsafe { sys::munmap(got, page) };
                return expect_eq!((value, got as isize), (address, address as isize));
            }
            Ok(other) => {
                // An old kernel without MAP_FIXED_NOREPLACE treats the address as a hint.
                // SAFETY: unmapping the page just mapped.
                let _ = unsafe { sys::munmap(other, page) };
            }
            Err(_) => {}
        }
    }
    Outcome::Skipped("no address with the top bit set can be mapped: user space ends below it here")
}

fn uname_is_linux(_: &Context) -> Outcome {
    // struct new_utsname: six fields of 65 bytes, sysname first.
    let mut names = [0u8; 65 * 6];
    // SAFETY: uname writes a new_utsname into `names`.
    let result = unsafe { rawsys::syscall1(nr::__NR_uname, names.as_mut_ptr() as usize) };
    expect_eq!((result, &names[..6]), (Ok(0), &b"Linux\0"[..]))
}

fn registers_survive_syscalls(_: &Context) -> Outcome {
    // More values live across each trap than an architecture has argument registers, so the
    // compiler keeps some in callee-saved and temporary registers the stubs must not lose.
    let mut values = [0usize; 24];
    for (index, value) in values.iter_mut().enumerate() {
        *value = core::hint::black_box(index.wrapping_mul(0x9e37_79b9) ^ 0x5a5a);
    }
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x] = values;
    let mut sum = 0usize;
    for round in 0..64usize {
        // SAFETY: getpid has no arguments.
        let pid = unsafe { rawsys::syscall0(nr::__NR_getpid) }.unwrap_or(0);
        // SAFETY: a six-argument call that fails with EBADF and touches no memory.
        let bad = unsafe { rawsys::syscall6(nr::__NR_pwrite64, usize::MAX, 0, 0, 0, 0, 0) };
        sum = sum
            .wrapping_add(a ^ round)
            .wrapping_add(b.rotate_left(1) ^ c)
            .wrapping_add(d ^ e ^ f ^ g)
            .wrapping_add(h.wrapping_mul(i) ^ j ^ k)
            .wrapping_add(l ^ m ^ n ^ o ^ p)
            .wrapping_add(q ^ r ^ s ^ t ^ u ^ v ^ w ^ x)
            .wrapping_add(pid - sys::getpid())
            .wrapping_add(usize::from(bad != Err(Errno::EBADF)));
        core::hint::black_box(&sum);
    }
    let mut expected = 0usize;
    for round in 0..64usize {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x] =
            core::hint::black_box(values);
        expected = expected
            .wrapping_add(a ^ round)
            .wrapping_add(b.rotate_left(1) ^ c)
            .wrapping_add(d ^ e ^ f ^ g)
            .wrapping_add(h.wrapping_mul(i) ^ j ^ k)
            .wrapping_add(l ^ m ^ n ^ o ^ p)
            .wrapping_add(q ^ r ^ s ^ t ^ u ^ v ^ w ^ x);
    }
    expect_eq!(sum, expected)
}

// ---- errors, decoded into this architecture's numbers ----

fn ebadf_close(_: &Context) -> Outcome {
    expect_eq!(sys::close(1_000_000), Err(Errno::EBADF))
}

fn ebadf_read(_: &Context) -> Outcome {
    let mut buffer = [0u8; 4];
    expect_eq!(sys::read(1_000_000, &mut buffer), Err(Errno::EBADF))
}

fn enoent_open(_: &Context) -> Outcome {
    expect_eq!(sys::open(b"/rawsys/does/not/exist\0", nr::O_RDONLY, 0), Err(Errno::ENOENT))
}

fn enotdir_open(context: &Context) -> Outcome {
    // The program's own path names a file; a path below it names nothing.
    let Some(program) = context.args.arg(0) else {
        return fail!("argv[0] missing");
    };
    let program = program.to_bytes();
    let mut path = [0u8; 512];
    if program.first() != Some(&b'/') || program.len() + 3 > path.len() {
        return Outcome::Skipped("argv[0] is not an absolute path");
    }
    path[..program.len()].copy_from_slice(program);
    path[program.len()..program.len() + 3].copy_from_slice(b"/x\0");
    expect_eq!(sys::open(&path[..program.len() + 3], nr::O_RDONLY, 0), Err(Errno::ENOTDIR))
}

fn eisdir_open_for_writing(_: &Context) -> Outcome {
    expect_eq!(sys::open(b"/\0", nr::O_WRONLY, 0), Err(Errno::EISDIR))
}

fn eexist_mkdir(_: &Context) -> Outcome {
    // SAFETY: the path is NUL-terminated; "/" always exists.
    let result = unsafe {
        rawsys::syscall3(
            nr::__NR_mkdirat,
            nr::AT_FDCWD as isize as usize,
            c"/".as_ptr() as usize,
            0o755,
        )
    };
    expect_eq!(result, Err(Errno::EEXIST))
}

fn efault_write(_: &Context) -> Outcome {
    with_pipe(0, |_, writer| {
        // SAFETY: the kernel checks the address and reports EFAULT; nothing is read here.
        let result = unsafe { rawsys::syscall3(nr::__NR_write, writer, 8, 4) };
        expect_eq!(result, Err(Errno::EFAULT))
    })
}

fn efault_read(_: &Context) -> Outcome {
    with_pipe(0, |reader, writer| {
        let _ = sys::write(writer, b"data");
        // SAFETY: the kernel checks the address and reports EFAULT; nothing is written here.
        let result = unsafe { rawsys::syscall3(nr::__NR_read, reader, 8, 4) };
        expect_eq!(result, Err(Errno::EFAULT))
    })
}

fn einval_pipe2_flags(_: &Context) -> Outcome {
    let mut fds = [0u32; 2];
    // SAFETY: pipe2 with invalid flags fails before writing `fds`.
    let result = unsafe { rawsys::syscall2(nr::__NR_pipe2, fds.as_mut_ptr() as usize, usize::MAX) };
    expect_eq!(result, Err(Errno::EINVAL))
}

fn enosys_past_the_table(_: &Context) -> Outcome {
    // Far past the last system call of every ABI's table (MIPS o32 starts at 4000, n64 at
    // 5000); on x32 the ABI bit is kept.
    let number = (nr::__NR_getpid & !0xffff) | 0xfff0;
    // SAFETY: an unknown number does nothing.
    expect_eq!(unsafe { rawsys::syscall0(number) }, Err(Errno::ENOSYS))
}

fn enametoolong_number(_: &Context) -> Outcome {
    // A path component longer than NAME_MAX. ENAMETOOLONG is 36 on most architectures, 78
    // on MIPS and 63 on SPARC: the number must be this architecture's.
    let mut path = [b'n'; 302];
    path[0] = b'/';
    path[301] = 0;
    let result = sys::open(&path, nr::O_RDONLY, 0);
    match result {
        Err(errno)
            if errno.raw() == numbers::ENAMETOOLONG && errno.name() == Some("ENAMETOOLONG") =>
        {
            passed()
        }
        other => fail!("ENAMETOOLONG ({}), got {:?}", numbers::ENAMETOOLONG, other),
    }
}

fn espipe_seek_on_pipe(_: &Context) -> Outcome {
    with_pipe(0, |reader, _| expect_eq!(sys::seek(reader, 0), Err(Errno::ESPIPE)))
}

fn eagain_empty_pipe(_: &Context) -> Outcome {
    with_pipe(nr::O_NONBLOCK, |reader, _| {
        let mut buffer = [0u8; 4];
        expect_eq!(sys::read(reader, &mut buffer), Err(Errno::EAGAIN))
    })
}

fn esrch_kill(_: &Context) -> Outcome {
    // Above the kernel's largest pid (PID_MAX_LIMIT is 4 Mi).
    // SAFETY: signal 0 to a pid that cannot exist.
    expect_eq!(unsafe { rawsys::syscall2(nr::__NR_kill, 0x3fff_ffff, 0) }, Err(Errno::ESRCH))
}

fn epipe_closed_reader(_: &Context) -> Outcome {
    // With SIGPIPE blocked the write fails with EPIPE instead of ending the process; the
    // signal stays pending, and is taken back before the mask is restored.
    let mut block = SignalSet::default();
    signal_bit(&mut block, nr::SIGPIPE);
    let mut before = SignalSet::default();
    if let Err(errno) = sigprocmask(nr::SIG_BLOCK, Some(&block), &mut before) {
        return fail!("rt_sigprocmask: {}", errno);
    }
    let outcome = with_pipe(0, |reader, writer| {
        let _ = sys::close(reader);
        let result = sys::write(writer, b"x");
        let mut pending = SignalSet::default();
        // SAFETY: rt_sigpending writes `_NSIG / 8` bytes into `pending`.
        let _ = unsafe {
            rawsys::syscall2(
                nr::__NR_rt_sigpending,
                pending.as_mut_ptr() as usize,
                (nr::_NSIG / 8) as usize,
            )
        };
        expect_eq!((result, has_signal(&pending, nr::SIGPIPE)), (Err(Errno::EPIPE), true))
    });
    #[cfg(not(target_arch = "riscv32"))]
    let number = nr::__NR_rt_sigtimedwait;
    #[cfg(target_arch = "riscv32")]
    let number = nr::__NR_rt_sigtimedwait_time64;
    // SAFETY: takes the pending SIGPIPE; no timeout is needed since it is already pending.
    let _ = unsafe {
        rawsys::syscall4(number, block.as_ptr() as usize, 0, 0, (nr::_NSIG / 8) as usize)
    };
    let mut ignored = SignalSet::default();
    let _ = sigprocmask(nr::SIG_SETMASK, Some(&before), &mut ignored);
    outcome
}

fn echild_without_children(_: &Context) -> Outcome {
    let mut info = [0u32; 32];
    // SAFETY: waitid writes a siginfo_t into `info` if a child is found.
    let result = unsafe {
        rawsys::syscall5(
            nr::__NR_waitid,
            nr::P_ALL as usize,
            0,
            info.as_mut_ptr() as usize,
            (nr::WEXITED | nr::WNOHANG) as usize,
            0,
        )
    };
    expect_eq!(result, Err(Errno::ECHILD))
}

// ---- the program entry ----

fn entry_argv(context: &Context) -> Outcome {
    let args = &context.args;
    if args.argc() == 1 {
        return Outcome::Skipped("run without the harness's arguments");
    }
    let mut matched = args.argc() == 4;
    for (index, expected) in [(1, "alpha"), (2, "beta"), (3, "gamma")] {
        matched &= args.arg(index).map(|arg| arg.to_bytes()) == Some(expected.as_bytes());
    }
    if matched {
        passed()
    } else {
        fail!(
            "argc 4 with alpha beta gamma, got argc {} and argv[1] {:?}",
            args.argc(),
            args.arg(1)
        )
    }
}

fn entry_envp(context: &Context) -> Outcome {
    let wanted: &[u8] = b"RAWSYS_MARK=harness-env";
    let count = context.args.env().count();
    if context.args.env().any(|entry| entry.to_bytes() == wanted) {
        passed()
    } else if context.args.argc() == 1 {
        Outcome::Skipped("run without the harness's environment")
    } else {
        fail!("RAWSYS_MARK=harness-env among {} variables, found none", count)
    }
}

fn entry_auxv_page_size(context: &Context) -> Outcome {
    match context.args.aux(auxvec::AT_PAGESZ as usize) {
        Some(size) if size >= 4096 && size.is_power_of_two() => passed(),
        other => fail!("AT_PAGESZ a power of two >= 4096, got {:?}", other),
    }
}

fn entry_auxv_entry_point(context: &Context) -> Outcome {
    unsafe extern "C" {
        fn _start();
    }
    let entry = _start as *const () as usize;
    expect_eq!(context.args.aux(auxvec::AT_ENTRY as usize), Some(entry))
}
