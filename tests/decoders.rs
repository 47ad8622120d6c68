//! The four error conventions, decoded on any host: they are pure functions.
//!
//! The numbers used here are the host's; what is tested is each decoder's rule, not a table.

use rawsys::Errno;
use rawsys::errno::{
    MAX_ERRNO, POWERPC_CR0_SO, decode_mips, decode_negated, decode_powerpc, decode_sparc,
};

fn negative(errno: usize) -> usize {
    errno.wrapping_neg()
}

#[test]
fn negated_boundaries() {
    assert_eq!(decode_negated(0), Ok(0));
    assert_eq!(decode_negated(1), Ok(1));
    assert_eq!(decode_negated(negative(1)), Err(Errno::from_raw(1)));
    assert_eq!(decode_negated(usize::MAX), Err(Errno::from_raw(1)));
    assert_eq!(decode_negated(negative(4095)), Err(Errno::from_raw(4095)));
    // One past the error range is a value.
    assert_eq!(decode_negated(negative(4096)), Ok(negative(4096)));
    // The top of the address space, page-aligned: an mmap result, not an error.
    let top_page = usize::MAX & !4095;
    assert_eq!(decode_negated(top_page), Ok(top_page));
    // Values that look negative as a signed word but lie below the error range.
    for value in [isize::MIN as usize, (isize::MIN as usize) + 1, negative(65536), negative(8192)] {
        assert_eq!(decode_negated(value), Ok(value), "{value:#x}");
    }
    assert_eq!(decode_negated(isize::MAX as usize), Ok(isize::MAX as usize));
}

#[test]
fn negated_every_errno() {
    for errno in 1..=MAX_ERRNO {
        assert_eq!(decode_negated(negative(errno)), Err(Errno::from_raw(errno as u32)));
    }
}

#[test]
fn mips_flag_decides_alone() {
    // With $a3 clear every value is a result, even one in the negated error range.
    for value in
        [0, 1, negative(1), negative(4095), negative(4096), usize::MAX, isize::MIN as usize]
    {
        assert_eq!(decode_mips(value, 0), Ok(value), "{value:#x}");
    }
    // With $a3 set (any non-zero word), $v0 is the positive errno, up to EDQUOT's 1133 and
    // beyond.
    for errno in 1..=MAX_ERRNO {
        assert_eq!(decode_mips(errno, 1), Err(Errno::from_raw(errno as u32)));
        assert_eq!(decode_mips(errno, usize::MAX), Err(Errno::from_raw(errno as u32)));
    }
    assert_eq!(decode_mips(1133, 1).map_err(Errno::raw), Err(1133));
}

#[test]
fn powerpc_summary_overflow_decides_alone() {
    assert_eq!(POWERPC_CR0_SO, 0x1000_0000);
    // Other CR0 bits (LT, GT, EQ) and other fields never mean an error.
    for cr in [0, 0x8000_0000, 0x4000_0000, 0x2000_0000, 0x0fff_ffff, !POWERPC_CR0_SO] {
        for value in [0, negative(1), negative(4095), usize::MAX] {
            assert_eq!(decode_powerpc(value, cr), Ok(value), "{value:#x} with cr {cr:#x}");
        }
    }
    for errno in 1..=MAX_ERRNO {
        assert_eq!(decode_powerpc(errno, POWERPC_CR0_SO), Err(Errno::from_raw(errno as u32)));
        assert_eq!(decode_powerpc(errno, u32::MAX), Err(Errno::from_raw(errno as u32)));
    }
}

#[test]
fn sparc_carry_decides_alone() {
    for value in [0, 1, negative(1), negative(4095), usize::MAX] {
        assert_eq!(decode_sparc(value, false), Ok(value), "{value:#x}");
    }
    for errno in 1..=MAX_ERRNO {
        assert_eq!(decode_sparc(errno, true), Err(Errno::from_raw(errno as u32)));
    }
}

#[test]
fn decoders_agree_on_the_same_failure() {
    // One failure, reported four ways, decodes to one Errno.
    let ebadf = Errno::EBADF.raw() as usize;
    let expected = Err(Errno::EBADF);
    assert_eq!(decode_negated(negative(ebadf)), expected);
    assert_eq!(decode_mips(ebadf, 1), expected);
    assert_eq!(decode_powerpc(ebadf, POWERPC_CR0_SO), expected);
    assert_eq!(decode_sparc(ebadf, true), expected);
}
