#!/usr/bin/env bash
# Boots a Debian kernel under qemu-system on architectures of systems.tsv, with the freestanding
# test binary as /init: the tests run against a real kernel, where CLONE_VM is honoured.
#
#   qemu-tests/qemu-system.sh [ARCH...]     (no ARCH: every row)
#
# Kernels come from kernels.sh (cached outside the repository). The initramfs holds only `init`
# and `dev/console`. The kernel command line hands init the same arguments and environment as
# qemu-user.sh, and carries the word that lets the binary, as PID 1, power the guest off.
#
# qemu exits 0 after a power-off and after a panic alike (-no-reboot), so the exit status says
# little: the binary's summary line in the console log is parsed, and a boot without one (a
# panic, a hang cut by the timeout) counts as a failed architecture. Console logs are kept in
# target/qemu-system-logs/. Ends with a table and one line "N passed, M failed, K skipped".
#
# RAWSYS_EXPECT=fail inverts the verdict, for negative controls: an architecture passes when
# the binary reports at least one failed test. RAWSYS_EXTRA_RUSTFLAGS reaches build.sh,
# RAWSYS_CACHE kernels.sh; RAWSYS_TIMEOUT bounds each boot (seconds), RAWSYS_LOG_DIR moves the logs.
#
# RAWSYS_INIT=minit boots the example init (examples/minit.rs) as /init instead, with the test
# binary beside it as /rawsys-tests: the kernel starts `/init -v /rawsys-tests alpha beta gamma`
# (the program follows minit's options without its own `--`, since the kernel ends init's
# arguments at a second `--`), minit supervises the tests, and, being PID 1 with the marker on
# the command line, powers the guest off once they end. The binary's summary line is parsed as
# usual; the logs are named ARCH-minit.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
expect=${RAWSYS_EXPECT:-pass}
timeout_seconds=${RAWSYS_TIMEOUT:-180}

if [ $# -eq 0 ]; then
    mapfile -t arches < <(awk '!/^#/ && NF { print $1 }' "$here/systems.tsv")
else
    arches=("$@")
fi

log_dir=${RAWSYS_LOG_DIR:-$(dirname "$here")/target/qemu-system-logs}
mkdir -p "$log_dir"

# The kernel passes words after `--` to init as arguments, and unknown `name=value` words before
# it as environment; a word with a dot in its name it takes for a module's parameter and gives
# to no one. So the power-off marker is such a word: /proc/cmdline shows it to the binary, and
# it changes neither argv nor envp, which the entry tests check.
command_line='console=%s panic=-1 quiet rawsys.poweroff=1'
init=${RAWSYS_INIT:-}
case $init in
    '') command_line="$command_line RAWSYS_MARK=harness-env -- alpha beta gamma" ;;
    minit) command_line="$command_line RAWSYS_MARK=harness-env -- -v /rawsys-tests alpha beta gamma" ;;
    *)
        echo "qemu-system.sh: RAWSYS_INIT must be empty or minit, not '$init'" >&2
        exit 2
        ;;
esac
memory=256M

total_passed=0 total_failed=0 total_skipped=0 bad_arches=()
table=()

fail_arch() { # arch, verdict
    table+=("$(printf '%-18s %7s %7s %8s %8s  %s' "$1" - - - - "$2")")
    bad_arches+=("$1")
    total_failed=$((total_failed + 1))
}

# Writes a newc cpio archive holding the directory dev, the console device dev/console (char 5,1)
# and the given binary as init: all a kernel needs to run one program as PID 1. A third argument
# is a binary placed beside it as rawsys-tests.
write_initramfs() { # binary, output, [tests binary]
    local binary=$1 tests=${3:-} inode=0
    cpio_entry() { # name, mode, nlink, rdev major, rdev minor, data file or -
        local name=$1 mode=$2 nlink=$3 major=$4 minor=$5 file=$6 size=0
        [ "$file" != - ] && size=$(stat -c %s "$file")
        inode=$((inode + 1))
        printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
            "$inode" "$mode" 0 0 "$nlink" 0 "$size" 0 0 "$major" "$minor" \
            $((${#name} + 1)) 0 "$name"
        # The header (110 bytes) with its name, and the data, are each padded to 4 bytes.
        head -c $(((4 - (110 + ${#name} + 1) % 4) % 4)) /dev/zero
        if [ "$file" != - ]; then
            cat "$file"
            head -c $(((4 - size % 4) % 4)) /dev/zero
        fi
    }
    {
        cpio_entry dev $((8#040755)) 2 0 0 -
        cpio_entry dev/console $((8#020600)) 1 5 1 -
        cpio_entry init $((8#100755)) 1 0 0 "$binary"
        [ -z "$tests" ] || cpio_entry rawsys-tests $((8#100755)) 1 0 0 "$tests"
        cpio_entry TRAILER!!! 0 1 0 0 -
    } >"$2.$$"
    mv -f "$2.$$" "$2"
}

run_one() { # arch, log, command...
    local label=$1 log=$2
    shift 2
    local start end passed failed skipped summary verdict
    start=$(date +%s.%N)
    timeout "$timeout_seconds" "$@" </dev/null >"$log" 2>&1
    local status=$?
    end=$(date +%s.%N)
    # The serial console ends its lines with CR LF, and firmware draws with escape sequences.
    sed -i 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' "$log"
    summary=$(grep -aE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1)
    if [ -n "$summary" ]; then
        read -r passed _ failed _ skipped _ <<<"${summary//,/}"
    else
        passed=0 failed=0 skipped=0
    fi
    [ "$expect" = fail ] || grep -aE '^\[(FAIL|SKIP)\]' "$log" | sed "s/^/  $label: /"
    if [ "$expect" = fail ]; then
        # Seen: failures reported, or the binary started and died before its summary.
        if { [ -n "$summary" ] && [ "$failed" -gt 0 ]; } ||
            { [ -z "$summary" ] && grep -aq 'rawsys tests on' "$log"; }; then
            verdict=ok
        else
            verdict=UNDETECTED
        fi
    elif [ -z "$summary" ]; then
        verdict="NO SUMMARY (exit $status)"
        tail -n 5 "$log" | sed "s/^/  $label| /"
    elif [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then
        verdict="FAILED (exit $status)"
    else
        verdict=ok
    fi
    table+=("$(printf '%-18s %7s %7s %8s %8.1f  %s' "$label" "$passed" "$failed" "$skipped" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$verdict")")
    if [ "$expect" = fail ]; then
        # A negative control counts one per architecture: the breakage was seen, or it was not.
        if [ "$verdict" = ok ]; then total_passed=$((total_passed + 1)); else total_failed=$((total_failed + 1)); fi
        [ "$verdict" = ok ] || bad_arches+=("$label")
        return
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    if [ "$verdict" != ok ]; then
        bad_arches+=("$label")
        # A boot that ended without its summary line, or with a bad exit, counts as a failure.
        [ "$failed" -eq 0 ] && total_failed=$((total_failed + 1))
    fi
    total_skipped=$((total_skipped + skipped))
}

for arch in "${arches[@]}"; do
    row=$(awk -v arch="$arch" '!/^#/ && $1 == arch' "$here/systems.tsv")
    if [ -z "$row" ]; then
        echo "qemu-system.sh: no architecture '$arch' in qemu-tests/systems.tsv" >&2
        fail_arch "$arch" "unknown architecture"
        continue
    fi
    read -r _ qemu machine cpu console _ <<<"$row"
    if ! kernel=$("$here/kernels.sh" "$arch" 2>"$log_dir/$arch.kernel.log"); then
        sed "s/^/  $arch kernel| /" "$log_dir/$arch.kernel.log" | tail -n 20
        fail_arch "$arch" "NO KERNEL"
        continue
    fi
    if ! binary=$("$here/build.sh" "$arch" 2>"$log_dir/$arch.build.log"); then
        sed "s/^/  $arch build| /" "$log_dir/$arch.build.log" | tail -n 20
        fail_arch "$arch" "BUILD FAILED"
        continue
    fi
    label=$arch
    if [ "$init" = minit ]; then
        label=$arch-minit
        if ! minit=$("$here/build.sh" "$arch" --example minit 2>"$log_dir/$label.build.log"); then
            sed "s/^/  $label build| /" "$log_dir/$label.build.log" | tail -n 20
            fail_arch "$label" "BUILD FAILED"
            continue
        fi
        initramfs=$binary.minit.initramfs
        write_initramfs "$minit" "$initramfs" "$binary"
    else
        initramfs=$binary.initramfs
        write_initramfs "$binary" "$initramfs"
    fi

    machine_flags=(-M "$machine")
    [ "$cpu" != - ] && machine_flags+=(-cpu "$cpu")
    # shellcheck disable=SC2059 # the command line is the format, the console its argument
    run_one "$label" "$log_dir/$label.log" "$qemu" "${machine_flags[@]}" -m "$memory" -smp 1 \
        -nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initramfs" \
        -append "$(printf "$command_line" "$console")"
done

printf '\n%-18s %7s %7s %8s %8s  %s\n' arch passed failed skipped seconds verdict
printf '%s\n' "${table[@]}"
[ "${#bad_arches[@]}" -gt 0 ] && echo "not as expected ($expect): ${bad_arches[*]}"
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[ "${#bad_arches[@]}" -eq 0 ]
