#!/usr/bin/env bash
# Fetches the Debian kernel of architectures of systems.tsv, for the qemu-system matrix.
#
#   qemu-tests/kernels.sh ARCH...
#
# Prints one line per architecture: the path of its kernel image. A kernel already in the cache
# is reused without touching the network; delete its directory to fetch the current one.
#
# The kernel package is found through its metapackage, since versioned packages move and old ones
# leave the mirror. apt runs with a private configuration and state under the cache (its own
# sources list per suite, package lists per architecture, no configuration parts of the host), so
# foreign-architecture packages download without touching /etc/apt, /var/lib/apt or dpkg's list
# of architectures, and without root. Nothing is written into the repository.
#
# RAWSYS_CACHE moves the cache (default ~/.cache/rawsys): kernels/<arch>/ holds the image, named
# `kernel`, and `package`, the Debian package and version it came from.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${RAWSYS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rawsys}
mirror=${RAWSYS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ $# -gt 0 ] || { echo "usage: kernels.sh ARCH..." >&2; exit 2; }

apt_root=$cache/apt
mkdir -p "$apt_root/apt.conf.d" "$apt_root/sources.list.d" "$apt_root/preferences.d"
# Replaces a file whole, so that a harness running at the same time never reads half of it.
write_atomically() { # path; the content on standard input
    cat >"$1.$$" && mv -f "$1.$$" "$1"
}

# Read before the host's configuration: with these, apt reads nothing else from /etc/apt. Package
# lists stay compressed and no binary cache is kept, so the state takes tens of megabytes.
write_atomically "$apt_root/apt.conf" <<EOF
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$apt_root/apt.conf.d";
Dir::Etc::SourceParts "$apt_root/sources.list.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$apt_root/preferences.d";
Dir::State::status "/dev/null";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Sandbox::User "$(id -un)";
EOF

private_apt() { # tool, debian-arch, suite, arguments...
    local tool=$1 debian_arch=$2 suite=$3
    shift 3
    local state=$apt_root/$suite-$debian_arch
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" |
        write_atomically "$apt_root/$suite.list"
    APT_CONFIG=$apt_root/apt.conf "$tool" -q \
        -o Dir::Etc::SourceList="$apt_root/$suite.list" \
        -o Dir::State::Lists="$state/lists" \
        -o Dir::Cache="$state/cache" \
        -o APT::Architecture="$debian_arch" \
        -o APT::Architectures::="$debian_arch" \
        "$@"
}

for arch in "$@"; do
    row=$(awk -v arch="$arch" '!/^#/ && $1 == arch' "$here/systems.tsv")
    if [ -z "$row" ]; then
        echo "kernels.sh: no architecture '$arch' in qemu-tests/systems.tsv" >&2
        exit 2
    fi
    read -r _ _ _ _ _ metapackage suite debian_arch image_pattern <<<"$row"
    destination=$cache/kernels/$arch
    if [ -s "$destination/kernel" ]; then
        echo "$destination/kernel"
        continue
    fi
    # Two harnesses started at once fetch an architecture once: the second waits, then reuses.
    mkdir -p "$cache/kernels"
    exec {lock}>"$cache/kernels/.$arch.lock"
    flock "$lock"
    if [ -s "$destination/kernel" ]; then
        exec {lock}>&-
        echo "$destination/kernel"
        continue
    fi

    echo "kernels.sh: $arch: updating the $suite package list for $debian_arch" >&2
    private_apt apt-get "$debian_arch" "$suite" update >&2
    # The metapackage depends on exactly one versioned image package, linux-image-<version>-*.
    package=$(private_apt apt-cache "$debian_arch" "$suite" show --no-all-versions "$metapackage" |
        awk -F': ' '$1 == "Depends" { print $2 }' | tr ',' '\n' |
        awk '$1 ~ /^linux-image-[0-9]/ { print $1; exit }')
    if [ -z "$package" ]; then
        echo "kernels.sh: $arch: $metapackage in $suite names no linux-image-<version> package" >&2
        exit 1
    fi

    work=$(mktemp -d "$cache/kernels/.$arch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "kernels.sh: $arch: downloading $package ($metapackage, $suite)" >&2
    (cd "$work" && private_apt apt-get "$debian_arch" "$suite" download "$package" >&2)
    deb=$(ls "$work"/*.deb)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards "./$image_pattern"
    images=("$work"/$image_pattern)
    if [ "${#images[@]}" -ne 1 ] || [ ! -f "${images[0]}" ]; then
        echo "kernels.sh: $arch: $package holds no single $image_pattern" >&2
        exit 1
    fi
    mkdir -p "$destination"
    dpkg-deb --show --showformat '${Package} ${Version}\n' "$deb" >"$destination/package"
    mv "${images[0]}" "$destination/kernel"
    rm -rf "$work"
    trap - EXIT
    exec {lock}>&-
    echo "$destination/kernel"
done
