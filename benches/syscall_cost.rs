//! Time per `getppid` through each interface, measured by criterion. The figures are noisy on
//! a shared machine; the instruction counts of `syscall_count.rs` under callgrind are the
//! deterministic comparison. `benches/run.sh` reads criterion's estimates from
//! `target/criterion/getppid/*/new/estimates.json`.
//!
//! BENCH_QUICK=1 shortens warm-up and measurement to a fraction of a second each.

use std::time::Duration;

use criterion::Criterion;

#[path = "common/getppid.rs"]
mod getppid;

use getppid::Consume;

fn getppid_cost(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("getppid");
    for method in getppid::METHODS {
        group.bench_function(method, |bencher| match method {
            "asm-baseline" => bencher.iter(|| getppid::asm_baseline().consume()),
            "rawsys-raw" => bencher.iter(|| getppid::rawsys_raw().consume()),
            "rawsys-decoded" => bencher.iter(|| getppid::rawsys_decoded().consume()),
            "sc" => bencher.iter(|| getppid::sc().consume()),
            "syscalls" => bencher.iter(|| getppid::syscalls().consume()),
            "rustix" => bencher.iter(|| getppid::rustix().consume()),
            "libc-getppid" => bencher.iter(|| getppid::libc_getppid().consume()),
            "libc-syscall" => bencher.iter(|| getppid::libc_syscall().consume()),
            other => unreachable!("no benchmark for {other}"),
        });
    }
    group.finish();
}

fn configured() -> Criterion {
    let quick = std::env::var_os("BENCH_QUICK").is_some_and(|value| value == "1");
    let (warm_up, measurement) = if quick { (100, 300) } else { (500, 2000) };
    Criterion::default()
        .warm_up_time(Duration::from_millis(warm_up))
        .measurement_time(Duration::from_millis(measurement))
        .sample_size(50)
}

fn main() {
    let mut criterion = configured().configure_from_args();
    getppid_cost(&mut criterion);
    criterion.final_summary();
}
