# rawsys: everyday commands. `make test` is what CI runs.
#
#   make deps              install what the other targets need (idempotent)
#   make test              lint, host tests, every target's build, both harnesses, the controls
#   make check-all         build the crate for every architecture
#   make qemu-test         the qemu-user matrix; ARCH=mips for one architecture
#   make qemu-system-test  Debian kernels under qemu-system, the binary as /init; ARCH= as above
#   make negative-control  deliberately broken builds that both harnesses must catch
#   make demo              a freestanding program for MIPS under qemu-user (DEMO_ARCH to change)
#   make minit-demo        minit, the example container init, for MIPS under qemu-user
#   make bench             syscall cost, spawn latency, program sizes; writes bench-results/

SHELL := /bin/bash
ARCH ?=
DEMO_ARCH ?= mips
TARGETS := qemu-tests/targets.tsv

.PHONY: all deps test host-test lint check-all qemu-test qemu-system-test negative-control demo \
	minit-demo bench clean

all: test

deps:
	bash .ci/deps.sh

host-test:
	cargo test --features std
	cargo test --release --test differential -- --nocapture

lint:
	cargo fmt --all -- --check
	cd qemu-tests && cargo fmt -- --check
	cargo clippy --all-targets --features std -- -D warnings
	cargo clippy --lib --features start -- -D warnings

check-all:
	bash .ci/check-all.sh

qemu-test:
	bash qemu-tests/qemu-user.sh $(ARCH)

qemu-system-test:
	bash qemu-tests/qemu-system.sh $(ARCH)

# Negative controls: the decoders deliberately broken (every answer taken for a value) under
# qemu-user, and vfork without CLONE_VFORK under real kernels. Each architecture's run must
# report failures, or the tests do not see what they are for.
negative-control:
	RAWSYS_EXTRA_RUSTFLAGS="--cfg rawsys_broken_decoder" RAWSYS_EXPECT=fail \
		RAWSYS_LOG_DIR=target/negative-decoder bash qemu-tests/qemu-user.sh $(ARCH)
	RAWSYS_EXTRA_RUSTFLAGS="--cfg rawsys_broken_vfork" RAWSYS_EXPECT=fail \
		RAWSYS_LOG_DIR=target/negative-vfork bash qemu-tests/qemu-system.sh $(ARCH)

demo:
	@binary=$$(bash qemu-tests/build.sh $(DEMO_ARCH) --example demo) && \
	emulator=$$(awk -v arch=$(DEMO_ARCH) '$$1 == arch { print $$7 }' $(TARGETS)) && \
	echo "$$ $$emulator $${binary#$(CURDIR)/} one two" && \
	$$emulator $$binary one two

# minit (examples/minit.rs) for DEMO_ARCH under qemu-user, supervising a host shell script that
# leaves an orphan and exits with 3. qemu-user refuses PR_SET_CHILD_SUBREAPER, so as root the
# emulator runs as PID 1 of a new PID namespace, where orphans come to minit; minit's power-off
# needs rawsys.poweroff=1 on the kernel command line, which is checked absent here first.
MINIT_DEMO_SCRIPT := echo "child $$$$: leaving an orphan, then exiting with 3"; \
	( (sleep 0.2; echo "orphan: exiting") & ); sleep 0.5; exit 3

minit-demo:
	@! grep -qw rawsys.poweroff=1 /proc/cmdline || { echo "minit-demo: rawsys.poweroff=1 on this kernel's command line; not running" >&2; exit 1; }
	@binary=$$(bash qemu-tests/build.sh $(DEMO_ARCH) --example minit) && \
	emulator=$$(awk -v arch=$(DEMO_ARCH) '$$1 == arch { print $$7 }' $(TARGETS)) && \
	namespace=() && \
	if [ "$$(id -u)" = 0 ] && unshare --pid --fork --mount-proc true 2>/dev/null; then \
		namespace=(unshare --pid --fork --mount-proc); fi && \
	echo "$$ $${namespace[*]} $$emulator $${binary#$(CURDIR)/} -v -- /bin/sh -c '...'" && \
	status=0 && "$${namespace[@]}" $$emulator $$binary -v -- /bin/sh -c '$(MINIT_DEMO_SCRIPT)' 2>&1 || \
		status=$$? && \
	echo "minit exited with $$status"

# Measures and reports, asserts nothing; see benches/README.md. Under 7 minutes on 2 cores, about
# 2 once the freestanding builds are cached; writes 8 GiB of memory at its largest step.
bench:
	bash benches/run.sh

test: deps
	bash .ci/test.sh

clean:
	cargo clean
