//! The callgrind driver of the syscall-cost benchmark: calls `getppid` N times through one
//! method and exits. `benches/run.sh` runs it under `valgrind --tool=callgrind` with N and 2N
//! calls; the difference of the two instruction totals, divided by N, is the cost of one call
//! with everything the process does once (start-up, argument parsing, exit) cancelled out.
//!
//!     syscall_count METHOD N

use std::process::ExitCode;

#[path = "common/getppid.rs"]
mod getppid;

use getppid::Consume;

/// Calls `method` `count` times and uses each answer. Never inlined, so that every method's
/// loop has the same shape and the same overhead, which the baseline subtracts.
#[inline(never)]
fn repeat<T: Consume>(count: u64, method: impl Fn() -> T) {
    for _ in 0..count {
        method().consume();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(method), Some(count)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok()))
    else {
        eprintln!("usage: syscall_count METHOD N, METHOD one of {:?}", getppid::METHODS);
        return ExitCode::from(2);
    };
    match method.as_str() {
        "asm-baseline" => repeat(count, getppid::asm_baseline),
        "rawsys-raw" => repeat(count, getppid::rawsys_raw),
        "rawsys-decoded" => repeat(count, getppid::rawsys_decoded),
        "sc" => repeat(count, getppid::sc),
        "syscalls" => repeat(count, getppid::syscalls),
        "rustix" => repeat(count, getppid::rustix),
        "libc-getppid" => repeat(count, getppid::libc_getppid),
        "libc-syscall" => repeat(count, getppid::libc_syscall),
        other => {
            eprintln!("syscall_count: no method '{other}', one of {:?}", getppid::METHODS);
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
