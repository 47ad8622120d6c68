//! `Errno`: numbers against libc's, names, and how it prints.

use rawsys::Errno;

#[test]
fn numbers_match_libc() {
    let pairs = [
        (Errno::EPERM, libc::EPERM),
        (Errno::ENOENT, libc::ENOENT),
        (Errno::EBADF, libc::EBADF),
        (Errno::EAGAIN, libc::EAGAIN),
        (Errno::EWOULDBLOCK, libc::EWOULDBLOCK),
        (Errno::EFAULT, libc::EFAULT),
        (Errno::EINVAL, libc::EINVAL),
        (Errno::ENOSYS, libc::ENOSYS),
        (Errno::ENAMETOOLONG, libc::ENAMETOOLONG),
        (Errno::EDEADLK, libc::EDEADLK),
        (Errno::EDEADLOCK, libc::EDEADLOCK),
        (Errno::EDQUOT, libc::EDQUOT),
        (Errno::EHWPOISON, libc::EHWPOISON),
    ];
    for (ours, theirs) in pairs {
        assert_eq!(ours.raw() as i32, theirs, "{ours:?}");
    }
}

#[test]
fn every_number_below_the_last_named_has_libcs_name() {
    // glibc's strerrorname_np is not in the libc crate; compare the description's presence:
    // every number libc describes as something other than "Unknown error" is named here.
    for number in 1..=133 {
        // SAFETY: strerror returns a pointer to a NUL-terminated static or thread-local string.
        let text = unsafe { std::ffi::CStr::from_ptr(libc::strerror(number)) };
        let known_to_libc = !text.to_bytes().starts_with(b"Unknown error");
        let errno = Errno::from_raw(number as u32);
        assert_eq!(errno.name().is_some(), known_to_libc, "{number}: {text:?}");
    }
}

#[test]
fn debug_is_the_name() {
    assert_eq!(format!("{:?}", Errno::EBADF), "EBADF");
    assert_eq!(format!("{:?}", Errno::from_raw(libc::EAGAIN as u32)), "EAGAIN");
    assert_eq!(format!("{:?}", Errno::from_raw(4000)), "errno 4000");
    assert_eq!(format!("{:?}", Err::<usize, _>(Errno::ENOENT)), "Err(ENOENT)");
}

#[test]
fn display_is_name_and_meaning() {
    assert_eq!(Errno::EBADF.to_string(), "EBADF: bad file descriptor");
    assert_eq!(Errno::ENOENT.to_string(), "ENOENT: no such file or directory");
    assert_eq!(Errno::from_raw(4000).to_string(), "errno 4000: unknown error");
    assert_eq!(Errno::EBADF.meaning(), Some("bad file descriptor"));
    assert_eq!(Errno::from_raw(0).name(), None);
}

#[test]
fn aliases_print_the_common_name() {
    assert_eq!(Errno::EWOULDBLOCK, Errno::EAGAIN);
    assert_eq!(Errno::EWOULDBLOCK.name(), Some("EAGAIN"));
}

#[test]
fn small_copy_hashable() {
    use std::collections::HashSet;
    assert_eq!(std::mem::size_of::<Errno>(), 2);
    assert_eq!(std::mem::size_of::<Result<usize, Errno>>(), 2 * std::mem::size_of::<usize>());
    let set: HashSet<Errno> = [Errno::EBADF, Errno::EBADF, Errno::ENOENT].into_iter().collect();
    assert_eq!(set.len(), 2);
}

#[cfg(feature = "std")]
#[test]
fn converts_to_io_error() {
    let error: std::io::Error = Errno::ENOENT.into();
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    assert_eq!(error.raw_os_error(), Some(libc::ENOENT));
    let boxed: Box<dyn std::error::Error> = Box::new(Errno::EBADF);
    assert_eq!(boxed.to_string(), "EBADF: bad file descriptor");
}
