# Sourced by build.sh and .ci/check-all.sh.
#
# linux-raw-sys 0.12.1 (the newest release) chooses `c_char` for no_std targets from a list of
# architectures in which hexagon is missing, so it does not compile for hexagon at all. For
# hexagon builds a copy of the crate, with hexagon added to the architectures whose `char` is
# unsigned (as `core::ffi::c_char` is there), is kept under ~/.cache/rawsys and put in place
# with `--config patch...`. Nothing of it enters the repository. Cargo rewrites the lock files
# for a patched source; they are restored when the build ends.

# Sets the array `dependency_patch` to the cargo arguments that TARGET needs (none for most),
# and arranges for the lock files to be restored on exit.
prepare_dependency_patch() {
    local target=$1 root=$2
    dependency_patch=()
    case $target in hexagon-*) ;; *) return 0 ;; esac

    local cache=${RAWSYS_CACHE:-$HOME/.cache/rawsys}/linux-raw-sys-hexagon
    if [ ! -f "$cache/.patched" ]; then
        # The registry copy exists once any build has fetched the dependency.
        (cd "$root" && cargo fetch --quiet)
        local source
        source=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/linux-raw-sys-0.12.1 | head -n 1)
        rm -rf "$cache"
        mkdir -p "$(dirname "$cache")"
        cp -r "$source" "$cache"
        python3 - "$cache/src/lib.rs" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
anchor = '        target_arch = "arm",\n        target_arch = "msp430",\n'
if text.count(anchor) != 1:
    sys.exit("linux-raw-sys: the c_char list is not where it was expected")
text = text.replace(anchor, '        target_arch = "arm",\n        target_arch = "hexagon",\n        target_arch = "msp430",\n')
open(path, "w").write(text)
PY
        touch "$cache/.patched"
    fi
    dependency_patch=(--config "patch.crates-io.linux-raw-sys.path=\"$cache\"")
    saved_locks=$(mktemp -d)
    locked_files=()
    local lock
    for lock in "$root/Cargo.lock" "$root/qemu-tests/Cargo.lock"; do
        [ -f "$lock" ] || continue
        cp "$lock" "$saved_locks/${#locked_files[@]}"
        locked_files+=("$lock")
    done
    trap 'restore_locks' EXIT
}

restore_locks() {
    local index
    for index in "${!locked_files[@]}"; do
        cp "$saved_locks/$index" "${locked_files[$index]}"
    done
    rm -rf "$saved_locks"
}
