#!/usr/bin/env bash
# Builds the freestanding examples for a few architectures and runs them: the demo under
# qemu-user for MIPS, the spawn example natively. One "[OK]" or "[FAIL]" line each.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/ci
failed=0

verdict() { # name, status
    if [ "$2" -eq 0 ]; then echo "[OK] $1"; else echo "[FAIL] $1"; failed=$((failed + 1)); fi
}

for arch in x86_64 mips powerpc64 sparc64; do
    for example in demo hello spawn exit0; do
        bash qemu-tests/build.sh "$arch" --example "$example" >/dev/null 2>target/ci/example.log
        verdict "build $example for $arch" $?
    done
done

demo=$(make --no-print-directory demo 2>&1)
echo "$demo" | sed 's/^/    /'
grep -q 'decoded: errno 2 = ENOENT: no such file or directory' <<<"$demo"
verdict "make demo shows a decoded errno" $?

spawn=$(bash qemu-tests/build.sh x86_64 --example spawn)
env -i PATH=/usr/bin:/bin "$spawn" sh -c 'test "$(pwd)" = / && exit 7' 2>/dev/null
test $? -eq 7
verdict "spawn example passes on the exit status" $?
report=$("$spawn" /rawsys/no/such/program 2>&1)
status=$?
[ "$status" -eq 127 ] && grep -q 'exec failed: ENOENT' <<<"$report"
verdict "spawn example reports a failed start" $?

exit "$failed"
