#!/usr/bin/env bash
# Installs what building and testing every architecture needs. Safe to run again: each step
# checks first. Run as root (CI is root), or with sudo available.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

packages=(
    qemu-user                                                   # the qemu-user matrix
    binutils-powerpc64-linux-gnu binutils-sparc64-linux-gnu     # linkers ld.lld lacks (ELFv1, sparc32)
    qemu-system-x86 qemu-system-arm qemu-system-mips            # the real-kernel harness;
    qemu-system-ppc qemu-system-misc                            # misc holds s390x and riscv64
    gcc-multilib                                                # host tests on i686
    gawk
    tini dumb-init                                              # the peers of tests/minit.rs
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' ||
    rustup component add rust-src --toolchain nightly
for component in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" ||
        rustup component add "$component"
done

# rust-std for the stable rows of the table. The mirror may lack some: those targets are then
# built with nightly and -Zbuild-std=core (see .ci/check-all.sh), so a failure here is reported
# and not fatal.
installed=$(rustup target list --installed)
for target in $(awk '!/^#/ && NF && $3 == "stable" { print $2 }' "$root/qemu-tests/targets.tsv"); do
    grep -qx "$target" <<<"$installed" && continue
    rustup target add "$target" >/dev/null 2>&1 ||
        echo "deps: no rust-std for $target from this mirror; it will build with -Zbuild-std"
done
