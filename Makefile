# rawsys: everyday commands. `make test` is what CI runs.
#
#   make deps          install what the other targets need (idempotent)
#   make test          host tests, lint, every target's build, the qemu-user matrix
#   make check-all     build the crate for every architecture
#   make qemu-test     the qemu-user matrix; ARCH=mips for one architecture
#   make demo          a freestanding program for MIPS under qemu-user (DEMO_ARCH to change)

SHELL := /bin/bash
ARCH ?=
DEMO_ARCH ?= mips
TARGETS := qemu-tests/targets.tsv

.PHONY: all deps test host-test lint check-all qemu-test negative-control demo clean

all: test

deps:
	bash .ci/deps.sh

host-test:
	cargo test --all-features
	cargo test --release --test differential -- --nocapture

lint:
	cargo fmt --all -- --check
	cd qemu-tests && cargo fmt -- --check
	cargo clippy --all-targets --all-features -- -D warnings

check-all:
	bash .ci/check-all.sh

qemu-test:
	bash qemu-tests/qemu-user.sh $(ARCH)

# The decoders deliberately broken (every answer taken for a value): each architecture's run
# must report failures, or the tests do not see what they are for.
negative-control:
	RAWSYS_EXTRA_RUSTFLAGS="--cfg rawsys_broken_decoder" RAWSYS_EXPECT=fail \
		bash qemu-tests/qemu-user.sh $(ARCH)

demo:
	@binary=$$(bash qemu-tests/build.sh $(DEMO_ARCH) --example demo) && \
	emulator=$$(awk -v arch=$(DEMO_ARCH) '$$1 == arch { print $$7 }' $(TARGETS)) && \
	echo "$$ $$emulator $${binary#$(CURDIR)/} one two" && \
	$$emulator $$binary one two

test: deps
	bash .ci/test.sh

clean:
	cargo clean
