//! One module per kernel ABI, chosen here by `cfg`.
//!
//! Each module opens with its architecture's conventions and holds the same set of stubs:
//! `syscall0` to `syscall6`, `syscall1_noreturn`, `syscall0_readonly` to `syscall3_readonly`,
//! and (with the `start` feature) the `_start` program entry. Their contracts are documented
//! once, on the public wrappers in [`crate::raw`]: the stubs here are the instructions that
//! fulfil them.

#[cfg(target_arch = "x86")]
mod x86;
#[cfg(target_arch = "x86")]
pub(crate) use x86::*;

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub(crate) use x86_64::*;

#[cfg(target_arch = "arm")]
mod arm;
#[cfg(target_arch = "arm")]
pub(crate) use arm::*;

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
pub(crate) use aarch64::*;

#[cfg(any(target_arch = "mips", target_arch = "mips32r6"))]
mod mips;
#[cfg(any(target_arch = "mips", target_arch = "mips32r6"))]
pub(crate) use mips::*;

#[cfg(any(target_arch = "mips64", target_arch = "mips64r6"))]
mod mips64;
#[cfg(any(target_arch = "mips64", target_arch = "mips64r6"))]
pub(crate) use mips64::*;

#[cfg(target_arch = "powerpc")]
mod powerpc;
#[cfg(target_arch = "powerpc")]
pub(crate) use powerpc::*;

#[cfg(target_arch = "powerpc64")]
mod powerpc64;
#[cfg(target_arch = "powerpc64")]
pub(crate) use powerpc64::*;

#[cfg(target_arch = "riscv32")]
mod riscv32;
#[cfg(target_arch = "riscv32")]
pub(crate) use riscv32::*;

#[cfg(target_arch = "riscv64")]
mod riscv64;
#[cfg(target_arch = "riscv64")]
pub(crate) use riscv64::*;

#[cfg(target_arch = "s390x")]
mod s390x;
#[cfg(target_arch = "s390x")]
pub(crate) use s390x::*;

#[cfg(target_arch = "loongarch64")]
mod loongarch64;
#[cfg(target_arch = "loongarch64")]
pub(crate) use loongarch64::*;

#[cfg(target_arch = "sparc")]
mod sparc;
#[cfg(target_arch = "sparc")]
pub(crate) use sparc::*;

#[cfg(target_arch = "sparc64")]
mod sparc64;
#[cfg(target_arch = "sparc64")]
pub(crate) use sparc64::*;

#[cfg(target_arch = "hexagon")]
mod hexagon;
#[cfg(target_arch = "hexagon")]
pub(crate) use hexagon::*;

#[cfg(not(any(
    target_arch = "x86",
    target_arch = "x86_64",
    target_arch = "arm",
    target_arch = "aarch64",
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "riscv32",
    target_arch = "riscv64",
    target_arch = "s390x",
    target_arch = "loongarch64",
    target_arch = "sparc",
    target_arch = "sparc64",
    target_arch = "hexagon",
)))]
compile_error!(
    "rawsys has no system call stubs for this architecture: add src/arch/<arch>.rs with its \
     trap, registers, error convention and program entry, and select it in src/arch/mod.rs"
);

#[cfg(not(target_os = "linux"))]
compile_error!("rawsys speaks the Linux system call ABI only; this target's OS is not Linux");
