//! The freestanding test program of rawsys: the same binary runs under qemu-user on every
//! architecture of `targets.tsv`, natively on x86, and as `/init` under real kernels.
//!
//! It prints one line per test, `[OK] name`, `[FAIL] name (arch): expected X, got Y` or
//! `[SKIP] name: reason`, then `N passed, M failed, K skipped`, and exits with 1 when a test
//! failed. The harness runs it with the arguments `alpha beta gamma` and the environment
//! variable `RAWSYS_MARK=harness-env`, which the entry tests check.

#![no_std]
#![no_main]

mod guest;
mod report;
mod spawning;
mod storm;
mod sys;
mod tests;
mod vfork;

use report::Report;

/// The architecture this binary was built for, as failure lines name it.
pub const ARCH: &str = {
    #[cfg(target_arch = "x86")]
    let arch = "x86";
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    let arch = "x86_64";
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "32"))]
    let arch = "x32";
    #[cfg(all(target_arch = "arm", target_feature = "thumb-mode"))]
    let arch = "arm (thumb)";
    #[cfg(all(target_arch = "arm", not(target_feature = "thumb-mode")))]
    let arch = "arm";
    #[cfg(target_arch = "aarch64")]
    let arch = "aarch64";
    #[cfg(target_arch = "mips")]
    let arch = "mips";
    #[cfg(target_arch = "mips32r6")]
    let arch = "mips32r6";
    #[cfg(target_arch = "mips64")]
    let arch = "mips64";
    #[cfg(target_arch = "mips64r6")]
    let arch = "mips64r6";
    #[cfg(target_arch = "powerpc")]
    let arch = "powerpc";
    #[cfg(target_arch = "powerpc64")]
    let arch = "powerpc64";
    #[cfg(target_arch = "riscv32")]
    let arch = "riscv32";
    #[cfg(target_arch = "riscv64")]
    let arch = "riscv64";
    #[cfg(target_arch = "s390x")]
    let arch = "s390x";
    #[cfg(target_arch = "loongarch64")]
    let arch = "loongarch64";
    #[cfg(target_arch = "sparc")]
    let arch = "sparc";
    #[cfg(target_arch = "sparc64")]
    let arch = "sparc64";
    #[cfg(target_arch = "hexagon")]
    let arch = "hexagon";
    arch
};

/// What every test may look at.
pub struct Context {
    pub args: rawsys::start::StartArgs,
}

fn main(args: &rawsys::start::StartArgs) -> i32 {
    if let Some(code) = vfork::child_mode(args).or_else(|| spawning::check_mode(args)) {
        return code;
    }
    let guest = guest::setup();
    let context = Context { args: *args };
    let mut report = Report { passed: 0, failed: 0, skipped: 0 };
    say!("rawsys tests on {}", ARCH);
    for (name, test) in
        tests::ALL.iter().chain(vfork::TESTS).chain(spawning::TESTS).chain(storm::TESTS)
    {
        report.run(name, &context, *test);
    }
    say!("{} passed, {} failed, {} skipped", report.passed, report.failed, report.skipped);
    if sys::getpid() == 1 {
        guest::finish(guest);
    }
    if report.failed > 0 { 1 } else { 0 }
}
rawsys::main!(main);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    say!("[FAIL] panic ({}): {}", ARCH, info.message());
    rawsys::exit_group(101)
}
