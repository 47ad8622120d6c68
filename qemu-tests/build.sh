#!/usr/bin/env bash
# Builds a freestanding binary of this repository for one architecture of targets.tsv.
#
#   qemu-tests/build.sh ARCH                      the test binary
#   qemu-tests/build.sh ARCH --example NAME       an example of the rawsys crate
#
# Prints the path of the binary.
# RAWSYS_EXTRA_RUSTFLAGS is appended to the flags (the negative controls use it), and
# RAWSYS_FEATURES is passed to cargo as --features.
#
# Every architecture builds with nightly and -Zbuild-std=core, so that core is compiled with
# panic=abort and compiler-builtins provides memcpy and its kin: the prebuilt core of the stable
# targets expects an unwinder, which a freestanding program does not have.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
arch=${1:?usage: build.sh ARCH [--example NAME]}
if [ "${2:-}" = --example ]; then
    package=$root
    selection=(--example "${3:?usage: build.sh ARCH --example NAME}" --features start)
    output=examples/$3
else
    package=$here
    selection=(--bin rawsys-tests)
    output=rawsys-tests
fi

row=$(awk -v arch="$arch" '$1 == arch' "$here/targets.tsv")
if [ -z "$row" ]; then
    echo "build.sh: no architecture '$arch' in qemu-tests/targets.tsv" >&2
    exit 2
fi
read -r _ target _ linker link_flags extra_flags _ _ <<<"$row"

flags="-C relocation-model=static -C panic=abort"
if [ "$linker" = rust-lld ]; then
    flags="$flags -C linker=rust-lld -C linker-flavor=ld.lld"
else
    flags="$flags -C linker=$linker -C linker-flavor=ld"
fi
if [ "$link_flags" != - ]; then
    for flag in ${link_flags//,/ }; do flags="$flags -C link-arg=$flag"; done
fi
[ "$extra_flags" != - ] && flags="$flags $extra_flags"
flags="$flags ${RAWSYS_EXTRA_RUSTFLAGS:-}"

# Each architecture and set of flags builds into its own directory, so that builds for several
# architectures can run at once and switching between a normal and a
# negative-control build does not rebuild core every time.
variant=$(printf '%s' "$flags ${RAWSYS_FEATURES:-}" | cksum | cut -d' ' -f1)
target_dir="$root/target/freestanding/$arch-$variant"

# shellcheck source=qemu-tests/dependency-patch.sh
source "$here/dependency-patch.sh"
prepare_dependency_patch "$target" "$root"

features=()
[ -n "${RAWSYS_FEATURES:-}" ] && features=(--features "$RAWSYS_FEATURES")

CARGO_TARGET_DIR="$target_dir" RUSTFLAGS="$flags" \
    cargo +nightly "${dependency_patch[@]}" build --quiet --release --manifest-path "$package/Cargo.toml" \
    --target "$target" -Zbuild-std=core -Zbuild-std-features=compiler-builtins-mem \
    "${features[@]}" "${selection[@]}" >&2

echo "$target_dir/$target/release/$output"
