#!/usr/bin/env bash
# Builds the library, with and without the `start` feature, for every architecture of
# qemu-tests/targets.tsv and for x32 (compile-only: no kernel here runs it). Warnings are
# errors. Targets with a rust-std use stable; the rest, and any whose rust-std is missing,
# build with nightly and -Zbuild-std=core. Release profile: nightly's LLVM crashes compiling
# `core` for mipsisa32r6el in the debug profile, and the optimised code is what users ship.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"

# shellcheck source=qemu-tests/dependency-patch.sh
source "$root/qemu-tests/dependency-patch.sh"
installed=$(rustup target list --installed)
failed=0
while read -r arch target build _ _ extra _; do
    flags="-D warnings"
    [ "$extra" != - ] && flags="$flags $extra"
    prepare_dependency_patch "$target" "$root"
    if [ "$build" = stable ] && grep -qx "$target" <<<"$installed"; then
        command=(cargo build --quiet --release --target "$target")
    else
        command=(cargo +nightly "${dependency_patch[@]}" build --quiet --release --target "$target" -Zbuild-std=core)
    fi
    for features in "" start; do
        if RUSTFLAGS="$flags" CARGO_TARGET_DIR="$root/target/check" \
            "${command[@]}" ${features:+--features "$features"} 2>"$root/target/check-$arch.log"; then
            echo "[OK] check $target ${features:+(start)}"
        else
            echo "[FAIL] check $target ${features:+(start)}: the build failed"
            sed 's/^/    /' "$root/target/check-$arch.log" | head -n 30
            failed=$((failed + 1))
        fi
    done
done < <(awk '!/^#/ && NF' "$root/qemu-tests/targets.tsv"; echo "x32 x86_64-unknown-linux-gnux32 nightly - - - - -")
exit "$failed"
