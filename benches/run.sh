#!/usr/bin/env bash
# The whole benchmark suite, as `make bench` runs it; benches/README.md says what each figure
# means. Raw data goes to target/bench/, the report to bench-results/ (results.md and
# spawn-latency.svg).
#
#   BENCH_QUICK=1          shorter criterion runs and spawn budgets, for trying the suite out
#   BENCH_SIZES=16,1024    parent sizes of the spawn benchmark, in MiB (default 16,1024,4096,8192)
#   BENCH_SIZE_ARCHES="x86_64 mips"   architectures of the size table (default: every row of
#                          qemu-tests/targets.tsv)
#
# Nothing here asserts a timing: the figures are measured and reported, goals included.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
data=target/bench
results=bench-results
mkdir -p "$data" "$results"
started=$SECONDS

step() { echo "== bench: $* ($((SECONDS - started)) s)"; }

if ! command -v valgrind >/dev/null; then
    step "installing valgrind"
    apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi

step "building the benchmarks"
if ! cargo bench --no-run --message-format=json 2>"$data/build.log" >"$data/build.json"; then
    cat "$data/build.log" >&2
    exit 1
fi
executable() {
    python3 - "$data/build.json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == sys.argv[2] \
            and message.get("executable"):
        print(message["executable"])
PY
}
syscall_count=$(executable syscall_count)
spawn_latency=$(executable spawn_latency)

# 1. Instructions per getppid: callgrind totals of N and 2N calls; the difference over N is one
# call with start-up and exit cancelled out.
step "syscall cost: callgrind"
calls=100000
: >"$data/instructions.tsv"
for method in asm-baseline rawsys-raw rawsys-decoded sc syscalls rustix libc-getppid libc-syscall; do
    totals=()
    for count in "$calls" $((2 * calls)); do
        valgrind --tool=callgrind --callgrind-out-file="$data/callgrind.out" \
            "$syscall_count" "$method" "$count" 2>"$data/callgrind.log"
        totals+=("$(awk '/^(summary|totals):/ { print $2; exit }' "$data/callgrind.out")")
    done
    printf '%s\t%s\t%s\t%s\n' "$method" "$calls" "${totals[0]}" "${totals[1]}" \
        >>"$data/instructions.tsv"
    echo "   $method: $(((totals[1] - totals[0]) / calls)) instructions per call and loop"
done

# 2. Time per getppid: criterion, whose estimates report.py reads from target/criterion.
step "syscall cost: criterion"
cargo bench --bench syscall_cost 2>&1 | grep -E '^getppid/|time:' || true

# 3. Spawn latency against the parent's memory, with the freestanding exit0 as the child.
step "spawn latency"
child=$(bash qemu-tests/build.sh x86_64 --example exit0)
spawn_seconds=2 spawn_iterations=2000
if [ "${BENCH_QUICK:-}" = 1 ]; then spawn_seconds=1 spawn_iterations=300; fi
BENCH_CHILD=$child BENCH_OUT=$data/spawn.json \
    BENCH_SPAWN_SECONDS=${BENCH_SPAWN_SECONDS:-$spawn_seconds} \
    BENCH_SPAWN_ITERATIONS=${BENCH_SPAWN_ITERATIONS:-$spawn_iterations} \
    "$spawn_latency"

# 4. Stripped sizes of the freestanding examples, per architecture, as qemu-tests/build.sh
# builds them; hello also without unwind tables and without .eh_frame_hdr, which a panic=abort
# program does not need (see benches/README.md).
step "sizes"
# LLVM's strip reads every architecture of the table, loongarch64 and hexagon included.
if ! command -v llvm-strip >/dev/null; then
    apt-get update -qq && apt-get install -y -qq llvm >/dev/null
fi
stripped_size() {
    llvm-strip -o "$data/stripped" "$1" && stat -c %s "$data/stripped"
}
arches=${BENCH_SIZE_ARCHES:-$(awk '!/^#/ && NF { print $1 }' qemu-tests/targets.tsv)}
size_flags="-C force-unwind-tables=no -C link-arg=--no-eh-frame-hdr"
echo "$size_flags" >"$data/size-flags.txt"
# GNU ld (the linker of the powerpc64 and sparc rows) aligns the end of the RELRO segment to a
# page, which on powerpc64 is 64 KiB of file padding after the .opd function descriptors. A
# static program without libc has nobody to apply RELRO, so the size builds of those rows link
# with -z norelro, and the report names them.
printf 'arch\thello\thello-size-flags\tdemo\tlink-flags\n' >"$data/sizes.tsv"
for arch in $arches; do
    linker=$(awk -v arch="$arch" '$1 == arch { print $4 }' qemu-tests/targets.tsv)
    link_flags=
    [ "$linker" != rust-lld ] && link_flags="-C link-arg=-znorelro"
    sizes=()
    for build in hello "hello $size_flags" demo; do
        example=${build%% *} extra=$link_flags
        [ "$build" != "$example" ] && extra="$link_flags $size_flags"
        if binary=$(RAWSYS_EXTRA_RUSTFLAGS=$extra bash qemu-tests/build.sh "$arch" \
            --example "$example" 2>"$data/build-$arch.log") && size=$(stripped_size "$binary"); then
            sizes+=("$size")
        else
            sizes+=("-")
            echo "   $arch $build: build or strip failed, see $data/build-$arch.log"
        fi
    done
    printf '%s\t%s\t%s\t%s\t%s\n' "$arch" "${sizes[@]}" "${link_flags:--}" >>"$data/sizes.tsv"
    echo "   $arch: hello ${sizes[0]} B, with the size flags ${sizes[1]} B, demo ${sizes[2]} B"
done

step "report"
python3 "$here/report.py" "$data" "$results" "$((SECONDS - started))"
echo "== bench: done in $((SECONDS - started)) s: $results/results.md, $results/spawn-latency.svg"
