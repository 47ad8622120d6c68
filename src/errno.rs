//! Error numbers and the four ways Linux reports a failed system call.
//!
//! A system call either succeeds with a machine word or fails with an error number. How the
//! kernel tells the two apart depends on the architecture, and rawsys decodes each convention
//! with its own plain function, so every one of them can be tested on any host:
//!
//! | convention | architectures | decoder |
//! |---|---|---|
//! | a result in `[-4095, -1]` is `-errno` | x86, x86_64, arm, aarch64, riscv, s390x, loongarch64, hexagon | [`decode_negated`] |
//! | `$a3` (`$7`) non-zero, `$v0` holds the errno | mips, mips64 | [`decode_mips`] |
//! | CR0.SO set, `r3` holds the errno | powerpc, powerpc64 | [`decode_powerpc`] |
//! | carry flag set, `%o0` holds the errno | sparc, sparc64 | [`decode_sparc`] |
//!
//! The numbers themselves also differ: MIPS, PowerPC and SPARC number some errors their own
//! way (`EDEADLOCK` is 56 on MIPS and 58 on PowerPC, `EDQUOT` is 1133 on MIPS). [`Errno`]
//! always holds the number of the architecture it was compiled for, taken from
//! `linux_raw_sys::errno`.

use core::fmt;

use linux_raw_sys::errno as e;

/// The largest error number the kernel reports: results in `[-MAX_ERRNO, -1]` are errors under
/// the negated convention.
pub const MAX_ERRNO: usize = 4095;

/// An error number as the kernel of this architecture reports it.
///
/// `Errno` is two bytes, `Copy`, and compares by number. `Debug` prints the symbolic name
/// (`EBADF`), `Display` the name and its meaning (`EBADF: bad file descriptor`); a number this
/// crate has no name for prints as `errno 4000` and `errno 4000: unknown error`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Errno(u16);

/// One named error number: value on this architecture, name, and meaning.
struct Entry {
    number: u32,
    name: &'static str,
    meaning: &'static str,
}

macro_rules! errno_table {
    ($($(#[$attr:meta])* $name:ident: $meaning:literal,)*) => {
        impl Errno {
            $(
                $(#[$attr])*
                #[doc = concat!("`", stringify!($name), "`: ", $meaning, ".")]
                pub const $name: Errno = Errno(e::$name as u16);
            )*
        }

        /// Every error number linux-raw-sys defines for this architecture, aliases after the
        /// names they alias.
        const TABLE: &[Entry] = &[
            $(
                $(#[$attr])*
                Entry { number: e::$name, name: stringify!($name), meaning: $meaning },
            )*
        ];
    };
}

errno_table! {
    EPERM: "operation not permitted",
    ENOENT: "no such file or directory",
    ESRCH: "no such process",
    EINTR: "interrupted system call",
    EIO: "input/output error",
    ENXIO: "no such device or address",
    E2BIG: "argument list too long",
    ENOEXEC: "exec format error",
    EBADF: "bad file descriptor",
    ECHILD: "no child processes",
    EAGAIN: "resource temporarily unavailable",
    ENOMEM: "cannot allocate memory",
    EACCES: "permission denied",
    EFAULT: "bad address",
    ENOTBLK: "block device required",
    EBUSY: "device or resource busy",
    EEXIST: "file exists",
    EXDEV: "invalid cross-device link",
    ENODEV: "no such device",
    ENOTDIR: "not a directory",
    EISDIR: "is a directory",
    EINVAL: "invalid argument",
    ENFILE: "too many open files in system",
    EMFILE: "too many open files",
    ENOTTY: "inappropriate ioctl for device",
    ETXTBSY: "text file busy",
    EFBIG: "file too large",
    ENOSPC: "no space left on device",
    ESPIPE: "illegal seek",
    EROFS: "read-only file system",
    EMLINK: "too many links",
    EPIPE: "broken pipe",
    EDOM: "numerical argument out of domain",
    ERANGE: "numerical result out of range",
    EDEADLK: "resource deadlock avoided",
    ENAMETOOLONG: "file name too long",
    ENOLCK: "no locks available",
    ENOSYS: "function not implemented",
    ENOTEMPTY: "directory not empty",
    ELOOP: "too many levels of symbolic links",
    ENOMSG: "no message of desired type",
    EIDRM: "identifier removed",
    ECHRNG: "channel number out of range",
    EL2NSYNC: "level 2 not synchronized",
    EL3HLT: "level 3 halted",
    EL3RST: "level 3 reset",
    ELNRNG: "link number out of range",
    EUNATCH: "protocol driver not attached",
    ENOCSI: "no CSI structure available",
    EL2HLT: "level 2 halted",
    EBADE: "invalid exchange",
    EBADR: "invalid request descriptor",
    EXFULL: "exchange full",
    ENOANO: "no anode",
    EBADRQC: "invalid request code",
    EBADSLT: "invalid slot",
    EBFONT: "bad font file format",
    ENOSTR: "device not a stream",
    ENODATA: "no data available",
    ETIME: "timer expired",
    ENOSR: "out of streams resources",
    ENONET: "machine is not on the network",
    ENOPKG: "package not installed",
    EREMOTE: "object is remote",
    ENOLINK: "link has been severed",
    EADV: "advertise error",
    ESRMNT: "srmount error",
    ECOMM: "communication error on send",
    EPROTO: "protocol error",
    EMULTIHOP: "multihop attempted",
    EDOTDOT: "RFS specific error",
    EBADMSG: "bad message",
    EOVERFLOW: "value too large for defined data type",
    ENOTUNIQ: "name not unique on network",
    EBADFD: "file descriptor in bad state",
    EREMCHG: "remote address changed",
    ELIBACC: "can not access a needed shared library",
    ELIBBAD: "accessing a corrupted shared library",
    ELIBSCN: ".lib section in a.out corrupted",
    ELIBMAX: "attempting to link in too many shared libraries",
    ELIBEXEC: "cannot exec a shared library directly",
    EILSEQ: "invalid or incomplete multibyte or wide character",
    ERESTART: "interrupted system call should be restarted",
    ESTRPIPE: "streams pipe error",
    EUSERS: "too many users",
    ENOTSOCK: "socket operation on non-socket",
    EDESTADDRREQ: "destination address required",
    EMSGSIZE: "message too long",
    EPROTOTYPE: "protocol wrong type for socket",
    ENOPROTOOPT: "protocol not available",
    EPROTONOSUPPORT: "protocol not supported",
    ESOCKTNOSUPPORT: "socket type not supported",
    EOPNOTSUPP: "operation not supported",
    EPFNOSUPPORT: "protocol family not supported",
    EAFNOSUPPORT: "address family not supported by protocol",
    EADDRINUSE: "address already in use",
    EADDRNOTAVAIL: "cannot assign requested address",
    ENETDOWN: "network is down",
    ENETUNREACH: "network is unreachable",
    ENETRESET: "network dropped connection on reset",
    ECONNABORTED: "software caused connection abort",
    ECONNRESET: "connection reset by peer",
    ENOBUFS: "no buffer space available",
    EISCONN: "transport endpoint is already connected",
    ENOTCONN: "transport endpoint is not connected",
    ESHUTDOWN: "cannot send after transport endpoint shutdown",
    ETOOMANYREFS: "too many references: cannot splice",
    ETIMEDOUT: "connection timed out",
    ECONNREFUSED: "connection refused",
    EHOSTDOWN: "host is down",
    EHOSTUNREACH: "no route to host",
    EALREADY: "operation already in progress",
    EINPROGRESS: "operation now in progress",
    ESTALE: "stale file handle",
    EUCLEAN: "structure needs cleaning",
    ENOTNAM: "not a XENIX named type file",
    ENAVAIL: "no XENIX semaphores available",
    EISNAM: "is a named type file",
    EREMOTEIO: "remote I/O error",
    EDQUOT: "disk quota exceeded",
    ENOMEDIUM: "no medium found",
    EMEDIUMTYPE: "wrong medium type",
    ECANCELED: "operation canceled",
    ENOKEY: "required key not available",
    EKEYEXPIRED: "key has expired",
    EKEYREVOKED: "key has been revoked",
    EKEYREJECTED: "key was rejected by service",
    EOWNERDEAD: "owner died",
    ENOTRECOVERABLE: "state not recoverable",
    ERFKILL: "operation not possible due to RF-kill",
    EHWPOISON: "memory page has hardware error",
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    EINIT: "reserved error",
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    EREMDEV: "reserved error",
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    EPROCLIM: "too many processes",
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    ERREMOTE: "too many levels of remote in path",
    EDEADLOCK: "resource deadlock avoided",
    EWOULDBLOCK: "operation would block",
}

// Every number in the table is a valid errno for the negated convention and fits the `u16`
// inside `Errno`; the largest one (EDQUOT on MIPS) is 1133.
const fn table_in_range() -> bool {
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].number == 0 || TABLE[i].number as usize > MAX_ERRNO {
            return false;
        }
        i += 1;
    }
    true
}
static_assertions::const_assert!(table_in_range());

// linux-raw-sys defines 133 error names on every architecture and two more on MIPS and SPARC;
// the table must name each of them once.
#[cfg(not(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "sparc",
    target_arch = "sparc64"
)))]
static_assertions::const_assert_eq!(TABLE.len(), 133);
#[cfg(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "sparc",
    target_arch = "sparc64"
))]
static_assertions::const_assert_eq!(TABLE.len(), 135);

static_assertions::assert_eq_size!(Errno, u16);
static_assertions::assert_eq_size!(Option<Errno>, u32);
static_assertions::assert_eq_size!(Result<usize, Errno>, [usize; 2]);
static_assertions::assert_impl_all!(Errno: Copy, Send, Sync, Eq, core::hash::Hash);

impl Errno {
    /// An `Errno` from its number. The kernel reports numbers from 1 to [`MAX_ERRNO`]; a larger
    /// number keeps its low 16 bits.
    #[inline]
    pub const fn from_raw(number: u32) -> Errno {
        Errno(number as u16)
    }

    /// The number, as this architecture's kernel reports it.
    #[inline]
    pub const fn raw(self) -> u32 {
        self.0 as u32
    }

    /// The symbolic name (`"EBADF"`), or `None` for a number this architecture does not name.
    /// Where two names share a number (`EAGAIN` and `EWOULDBLOCK`), the first, more common one
    /// is given.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|entry| entry.name)
    }

    /// What the error means, in a few words (`"bad file descriptor"`), or `None` for a number
    /// this architecture does not name.
    pub fn meaning(self) -> Option<&'static str> {
        self.entry().map(|entry| entry.meaning)
    }

    fn entry(self) -> Option<&'static Entry> {
        TABLE.iter().find(|entry| entry.number == self.raw())
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry() {
            Some(entry) => write!(f, "{}: {}", entry.name, entry.meaning),
            None => write!(f, "errno {}: unknown error", self.0),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(errno: Errno) -> std::io::Error {
        std::io::Error::from_raw_os_error(errno.raw() as i32)
    }
}

/// Decodes the negated convention: a result in `[-4095, -1]`, read as a signed word, is the
/// negated errno; every other value, however large, is a successful result.
///
/// An address returned by `mmap` near the top of the address space is below `-4095` and so a
/// value, not an error.
#[inline(always)]
pub const fn decode_negated(result: usize) -> Result<usize, Errno> {
    if result > usize::MAX - MAX_ERRNO {
        Err(Errno(result.wrapping_neg() as u16))
    } else {
        Ok(result)
    }
}

/// Decodes the MIPS convention: `a3` (register `$7`) is non-zero on failure, and then `v0`
/// (register `$2`) holds the positive errno. `v0` is never range-checked: with `a3` clear, any
/// value is a result.
#[inline(always)]
pub const fn decode_mips(v0: usize, a3: usize) -> Result<usize, Errno> {
    if a3 != 0 { Err(Errno(v0 as u16)) } else { Ok(v0) }
}

/// The summary-overflow bit of condition register field 0, as `mfcr` places it.
pub const POWERPC_CR0_SO: u32 = 0x1000_0000;

/// Decodes the PowerPC `sc` convention: the summary-overflow bit of CR0 ([`POWERPC_CR0_SO`] in
/// the word `mfcr` reads) is set on failure, and then `r3` holds the positive errno. The other
/// condition register bits carry no meaning here and are ignored.
#[inline(always)]
pub const fn decode_powerpc(r3: usize, cr: u32) -> Result<usize, Errno> {
    if cr & POWERPC_CR0_SO != 0 { Err(Errno(r3 as u16)) } else { Ok(r3) }
}

/// Decodes the SPARC convention: the carry flag (`%icc` on sparc, `%xcc` on sparc64) is set on
/// failure, and then `%o0` holds the positive errno.
#[inline(always)]
pub const fn decode_sparc(o0: usize, carry: bool) -> Result<usize, Errno> {
    if carry { Err(Errno(o0 as u16)) } else { Ok(o0) }
}
