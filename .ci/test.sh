#!/usr/bin/env bash
# Everything CI checks, stage by stage, ending with one line "N passed, M failed".
#
# Counts: each host test and doctest, each test of the freestanding binary on each
# architecture, each architecture of the negative control, each target of check-all, and the
# format and lint checks, one each.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
mkdir -p target/ci
passed=0 failed=0

# stage NAME COMMAND...: runs the command with its output in target/ci/NAME.log, then counts.
stage() {
    local name=$1
    shift
    local log="target/ci/$name.log" start=$SECONDS
    echo "== $name: $*"
    "$@" >"$log" 2>&1
    local status=$? stage_passed=0 stage_failed=0
    case $name in
        host-tests*)
            stage_passed=$(awk '/^test result:/ { sum += $4 } END { print sum + 0 }' "$log")
            stage_failed=$(awk '/^test result:/ { sum += $6 } END { print sum + 0 }' "$log")
            grep -E '^test .* FAILED$|panicked' "$log" | head -n 20
            ;;
        check-all | examples)
            stage_passed=$(grep -c '^\[OK\]' "$log")
            stage_failed=$(grep -c '^\[FAIL\]' "$log")
            grep -A 30 '^\[FAIL\]' "$log" | head -n 60
            ;;
        qemu-user | qemu-system* | negative-*)
            read -r stage_passed _ stage_failed _ < <(
                grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | tr -d ,)
            stage_passed=${stage_passed:-0} stage_failed=${stage_failed:-0}
            sed -n '/^arch /,$p' "$log"
            grep -E '^  ' "$log" | head -n 40
            ;;
        *)
            if [ "$status" -eq 0 ]; then stage_passed=1; else stage_failed=1; fi
            ;;
    esac
    # A command that failed without a counted failure still fails its stage.
    if [ "$status" -ne 0 ] && [ "$stage_failed" -eq 0 ]; then
        stage_failed=1
        tail -n 30 "$log"
    fi
    echo "   $name: $stage_passed passed, $stage_failed failed ($((SECONDS - start)) s, log $log)"
    passed=$((passed + stage_passed))
    failed=$((failed + stage_failed))
}

# The negative controls run on a subset that covers each error convention (decoder: one
# architecture each) and each kind of vfork stub (return address on the stack, link register;
# stack-first clone order), which keeps CI well inside its time; `make negative-control` runs
# every architecture.
decoder_control_arches=(x86_64 mips powerpc64le sparc64)
vfork_control_arches=(x86_64 i686 aarch64 mipsel s390x)

stage format bash -c 'cargo fmt --all -- --check && cd qemu-tests && cargo fmt -- --check'
stage clippy cargo clippy --all-targets --features std -- -D warnings
stage clippy-start cargo clippy --lib --features start -- -D warnings
stage clippy-qemu-tests bash -c 'cd qemu-tests && cargo clippy --target x86_64-unknown-linux-gnu -- -D warnings'
stage host-tests cargo test --features std
if rustup target list --installed | grep -qx i686-unknown-linux-gnu; then
    stage host-tests-i686 cargo test --features std --target i686-unknown-linux-gnu
else
    echo "[SKIP] host-tests-i686: no i686 rust-std from this mirror (the matrix still runs i686 natively)"
fi
stage check-all bash .ci/check-all.sh
stage examples bash .ci/examples.sh
stage qemu-user bash qemu-tests/qemu-user.sh
stage qemu-system bash qemu-tests/qemu-system.sh
stage qemu-system-minit env RAWSYS_INIT=minit RAWSYS_LOG_DIR=target/qemu-system-minit \
    bash qemu-tests/qemu-system.sh x86_64 aarch64
stage negative-control-decoder env RAWSYS_EXTRA_RUSTFLAGS="--cfg rawsys_broken_decoder" \
    RAWSYS_EXPECT=fail RAWSYS_LOG_DIR=target/negative-decoder \
    bash qemu-tests/qemu-user.sh "${decoder_control_arches[@]}"
stage negative-control-vfork env RAWSYS_EXTRA_RUSTFLAGS="--cfg rawsys_broken_vfork" \
    RAWSYS_EXPECT=fail RAWSYS_LOG_DIR=target/negative-vfork \
    bash qemu-tests/qemu-system.sh "${vfork_control_arches[@]}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
