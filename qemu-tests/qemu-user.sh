#!/usr/bin/env bash
# Runs the freestanding test binary on architectures of targets.tsv under qemu-user, and
# natively where the table says so.
#
#   qemu-tests/qemu-user.sh [ARCH...]     (no ARCH: every row)
#
# Each run passes the same arguments and environment, which the binary checks. The binary's
# summary line is parsed; a run without one (a crash, a hang cut by the timeout) counts as a
# failed architecture. Ends with a table and one line "N passed, M failed, K skipped".
#
# RAWSYS_EXPECT=fail inverts the verdict, for negative controls: an architecture passes when
# the binary reports at least one failed test.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
expect=${RAWSYS_EXPECT:-pass}
timeout_seconds=${RAWSYS_TIMEOUT:-120}

if [ $# -eq 0 ]; then
    mapfile -t arches < <(awk '!/^#/ && NF { print $1 }' "$here/targets.tsv")
else
    arches=("$@")
fi

log_dir=${RAWSYS_LOG_DIR:-$(dirname "$here")/target/qemu-user-logs}
mkdir -p "$log_dir"

total_passed=0 total_failed=0 total_skipped=0 bad_arches=()
table=()

run_one() { # label, log, command...
    local label=$1 log=$2
    shift 2
    local start end passed failed skipped summary verdict
    start=$(date +%s.%N)
    timeout "$timeout_seconds" env -i PATH=/usr/bin:/bin RAWSYS_MARK=harness-env \
        "$@" alpha beta gamma >"$log" 2>&1
    local status=$?
    end=$(date +%s.%N)
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
        # A run that ended without its summary line, or with a bad exit, counts as a failure.
        [ "$failed" -eq 0 ] && total_failed=$((total_failed + 1))
    fi
    total_skipped=$((total_skipped + skipped))
}

for arch in "${arches[@]}"; do
    row=$(awk -v arch="$arch" '$1 == arch' "$here/targets.tsv")
    if [ -z "$row" ]; then
        echo "qemu-user.sh: no architecture '$arch' in qemu-tests/targets.tsv" >&2
        table+=("$(printf '%-18s %7s %7s %8s %8s  %s' "$arch" - - - - "unknown architecture")")
        bad_arches+=("$arch")
        total_failed=$((total_failed + 1))
        continue
    fi
    read -r _ _ _ _ _ _ emulator native <<<"$row"
    if ! binary=$("$here/build.sh" "$arch" 2>"$log_dir/$arch.build.log"); then
        sed "s/^/  $arch build| /" "$log_dir/$arch.build.log" | tail -n 20
        table+=("$(printf '%-18s %7s %7s %8s %8s  %s' "$arch" - - - - "BUILD FAILED")")
        bad_arches+=("$arch")
        total_failed=$((total_failed + 1))
        continue
    fi
    run_one "$arch" "$log_dir/$arch.log" "$emulator" "$binary"
    if [ "$native" = yes ]; then
        run_one "$arch (native)" "$log_dir/$arch.native.log" "$binary"
    fi
done

printf '\n%-18s %7s %7s %8s %8s  %s\n' arch passed failed skipped seconds verdict
printf '%s\n' "${table[@]}"
[ "${#bad_arches[@]}" -gt 0 ] && echo "not as expected ($expect): ${bad_arches[*]}"
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[ "${#bad_arches[@]}" -eq 0 ]
