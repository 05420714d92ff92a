# SPDX-License-Identifier: GPL-2.0
#
# bench_mmio - how Linux maps device memory (VM_PFNMAP) into user space.
# `make help` lists the targets; README.md explains the numbers.

TOP := $(abspath .)
BUILD := $(TOP)/build

# What `make bench` runs.  Unset knobs come from the profile.
BENCH ?= fault
PROFILE ?= default
STRATEGY ?= all
SIZE ?=
ALIGN ?=
REPS ?=
WARMUP ?=
ACCESS ?=
CACHE ?=
OFFSET ?=
OUT ?= $(TOP)/results

# Where it runs: debian-6.12 | debian-6.1 | debian-7.2 | debian-7.3-rc | host |
# a bzImage with KDIR=.
# vm-run picks the default (host when modules load here, else debian-6.12).
KERNEL ?=
KDIR ?=
ADD ?=
CMD ?=
MODPARAMS ?=
BAR_SIZE ?=
# The guest's clock: wall, or icount (QEMU -icount shift=ICOUNT_SHIFT,sleep=off
# under TCG: a guest ns is 2^ICOUNT_SHIFT instructions, exact between boots).
CLOCK ?= wall
ICOUNT_SHIFT ?= 0

export KERNEL KDIR MODPARAMS BAR_SIZE OUT CLOCK ICOUNT_SHIFT
export BENCH_MMIO_CMD = $(value CMD)
export BENCH_MMIO_ADD = $(ADD)

BENCH_BIN := $(BUILD)/bench/bench_mmio
# ARCH=arm64 (debian-7.x): the guest gets a static arm64 bench_mmio, cross-built
# in the sid build root; the host's own binary still checks the options.
ifneq ($(ARCH),)
export ARCH
endif
ARM64_BENCH_BIN := $(BUILD)/bench-arm64/bench_mmio
GUEST_BENCH_BIN := $(if $(filter arm64 aarch64,$(ARCH)),$(ARM64_BENCH_BIN),$(BENCH_BIN))
ARM64_PKGS := gcc-16-aarch64-linux-gnu libc6-dev-arm64-cross libjansson-dev:arm64 \
	libhwloc-dev:arm64 libpfm4-dev:arm64
SELFTEST_BIN := $(BUILD)/tests/mmio_selftest
# config/BENCH-PROFILE.conf when there is one (a benchmark's own keys, e.g.
# zap's sizes), else config/PROFILE.conf.
PROFILE_FILE := $(firstword $(wildcard $(TOP)/config/$(BENCH)-$(PROFILE).conf) $(TOP)/config/$(PROFILE).conf)
profile_key = $(shell sed -n 's/^$(1)=//p' $(PROFILE_FILE) 2>/dev/null | tail -n 1)
# The guest's BAR must hold OFFSET + SIZE (vm-run sums "a+b").
bar_min = $(or $(SIZE),$(call profile_key,size),1G)+$(or $(OFFSET),$(call profile_key,offset),0)

# The profile travels as an ADD file: the guest runs CMD in /, KERNEL=host in
# the directory the ADD files were copied to, so a bare name finds it in both.
bench_args := --profile=$(notdir $(PROFILE_FILE)) --strategy=$(STRATEGY) \
	$(if $(SIZE),--size=$(SIZE)) $(if $(ALIGN),--align=$(ALIGN)) \
	$(if $(REPS),--reps=$(REPS)) $(if $(WARMUP),--warmup=$(WARMUP)) $(if $(ACCESS),--access=$(ACCESS)) \
	$(if $(CACHE),--cache=$(CACHE)) $(if $(OFFSET),--offset=$(OFFSET))

.PHONY: all build deps deps-check bench vm-run test unit module plot help clean distclean \
	compare compare-kernels validate kernel-table corpus lava-job lava-run stress anatomy hw-twin

all: build

build: deps-check
	$(MAKE) -C bench BUILD=$(BUILD)/bench
	$(MAKE) -C tests/guest BUILD=$(BUILD)/tests
	scripts/vm-run --build-only

deps:
	scripts/deps --kernels

# `bench` and `test` install what is missing, and nothing when nothing is.
deps-check:
	@scripts/deps --check 2>/dev/null || scripts/deps

$(BENCH_BIN): deps-check FORCE
	@$(MAKE) -s -C bench BUILD=$(BUILD)/bench

$(ARM64_BENCH_BIN): deps-check FORCE
	@scripts/build-root ensure sid $(ARM64_PKGS) >/dev/null
	@scripts/build-root run sid -- $(MAKE) -s -C bench BUILD=$(BUILD)/bench-arm64 \
		CC=aarch64-linux-gnu-gcc-16 STATIC=1 PKG_CFLAGS= PKG_LIBS="-ljansson -lhwloc" \
		$(ARM64_BENCH_BIN) >$(BUILD)/bench-arm64.log 2>&1 || { cat $(BUILD)/bench-arm64.log >&2; exit 1; }

$(SELFTEST_BIN): deps-check FORCE
	@$(MAKE) -s -C tests/guest BUILD=$(BUILD)/tests

FORCE:

comma := ,
# OUT= a directory, or the result's own file name when it ends in .json.
out_file := $(filter %.json,$(OUT))
out_dir := $(if $(out_file),$(patsubst %/,%,$(dir $(OUT))),$(OUT))
# Baselines with hugetlb pages get them reserved in the guest.
hugetlb_targets := $(filter baselines everything hugetlb2m hugetlb1g,$(subst $(comma), ,$(STRATEGY)))
hugetlb_size = $(or $(SIZE),$(call profile_key,size),256M)

bench: $(BENCH_BIN) $(GUEST_BENCH_BIN)
	@test -f $(PROFILE_FILE) || { echo "make: no profile $(PROFILE_FILE) (see config/)"; exit 2; }
	@# Bad options fail here, before a guest boots; baselines alone need no module.
	@cd $(dir $(PROFILE_FILE)) && $(BENCH_BIN) $(BENCH) $(bench_args) --check >$(BUILD)/.bench-check
	scripts/vm-run --out $(out_dir) --min-bar $(bar_min) --add $(GUEST_BENCH_BIN) --add $(PROFILE_FILE) \
		$$(grep -q '^needs-device: no' $(BUILD)/.bench-check && echo --no-module) \
		$(if $(hugetlb_targets),--hugetlb $(hugetlb_size)) \
		--cmd "bench_mmio $(BENCH) $(bench_args)$(if $(out_file), --out=\$$BENCH_MMIO_OUT/$(notdir $(out_file)))"

# CMD and ADD reach vm-run through the environment, quotes and all.
vm-run: deps-check
	$(if $(CMD),,$(error vm-run needs CMD="..." (and ADD="file ...")))
	@CMD=$$BENCH_MMIO_CMD ADD=$$BENCH_MMIO_ADD scripts/vm-run

unit: $(BENCH_BIN)
	$(BUILD)/bench/unit_tests

test: deps-check
	tests/run

# The race harness and the fuzzer in a guest (scripts/stress); SEED= replays.
DURATION ?= 60
SEED ?=
FUZZ_COUNT ?= 3000
stress: deps-check
	@scripts/stress --kernel $(or $(KERNEL),debian-6.12) --duration $(DURATION) --fuzz-count $(FUZZ_COUNT) \
		$(if $(SEED),--seed $(SEED)) $(if $(EXCLUDE),--exclude $(EXCLUDE))

plot: deps-check
	plot/plot $(or $(RESULT),$$(ls -t $(OUT)/*.json 2>/dev/null | head -n 1))

# A and B: result files or directories (several = several boots a side).
THRESHOLD ?= 5
compare: deps-check
	$(if $(and $(A),$(B)),,$(error compare needs A="a.json ..." B="b.json ..." [THRESHOLD=5]))
	@compare/compare -a $(A) -b $(B) --threshold $(THRESHOLD) $(if $(MARKDOWN),--markdown)

# Interleaved boots of each kernel, compared and drawn in one directory.
KERNELS ?= debian-6.1 debian-6.12
ROUNDS ?= 5
compare-kernels: $(BENCH_BIN)
	@KERNELS="$(KERNELS)" ROUNDS=$(ROUNDS) THRESHOLD=$(THRESHOLD) DIR=$(DIR) BENCH=$(BENCH) \
		STRATEGY=$(STRATEGY) PROFILE=$(PROFILE) SIZE=$(SIZE) REPS=$(REPS) WARMUP=$(WARMUP) ALIGN=$(ALIGN) \
		ACCESS=$(ACCESS) CACHE=$(CACHE) OFFSET=$(OFFSET) scripts/compare-kernels

# The README's kernel table from real results: each kernel without them in
# OUT gets one guest boot (1 GiB of every strategy, pud 256M ALIGN=none).
TABLE_KERNELS ?=
kernel_table = scripts/kernel-table $(if $(TABLE_KERNELS),--kernels "$(TABLE_KERNELS)")
kernel-table: $(BENCH_BIN)
	@for k in $$($(kernel_table) --missing $(out_dir)); do \
		scripts/vm-run --kernel $$k --out $(out_dir) --add $(BENCH_BIN) --cmd \
			'bench_mmio fault --strategy=all --size=1G --reps=1 --quiet && bench_mmio fault --strategy=pud --size=256M --align=none --reps=1 --quiet' \
			|| exit 1; \
	done
	@$(kernel_table) --readme README.md $(out_dir)

# The comparison's false-alarm and detection rates (needs --fault-delay).
validate: $(BENCH_BIN)
	scripts/validate $(if $(filter command line,$(origin STRATEGY)),--strategy $(STRATEGY)) \
		$(if $(SIZE),--size $(SIZE)) $(if $(REPS),--reps $(REPS)) $(if $(TRIALS),--trials $(TRIALS)) \
		$(if $(RUNS),--runs $(RUNS)) $(if $(SHIFT),--shift $(SHIFT)) $(if $(JOBS),--jobs $(JOBS)) \
		--threshold $(THRESHOLD) --clock $(CLOCK) \
		$(if $(DIR),--out $(DIR))

# Where one fault's guest instructions go, per strategy and kernel
# (scripts/anatomy: ftrace function_graph under icount, tracer cost taken out).
anatomy: $(BENCH_BIN)
	scripts/anatomy --kernels "$(if $(filter command line environment,$(origin KERNELS)),$(KERNELS),$(or $(KERNEL),debian-6.12))" \
		$(if $(filter command line,$(origin STRATEGY)),--strategies $(STRATEGY)) --out $(or $(DIR),$(out_dir)/anatomy)

# On a machine with working KVM and a PMU: the wall-clock validation, host
# baselines with dTLB counters and a KVM guest's fault bench, one archive.
hw-twin: deps-check
	scripts/hw-twin $(if $(DIR),--out $(DIR)) $(if $(KERNEL),--kernel $(KERNEL)) $(if $(MODPARAMS),--modparams "$(MODPARAMS)")

# The kernel-findings corpus (tests/corpus/): one guest boot per finding,
# kernel and guard mode, each verdict checked against tests/corpus/expected;
# the measured verdicts are printed as the README's table.  KERNELS= (default:
# make test's) and FINDINGS= narrow it.
corpus: deps-check
	@tests/corpus/run $(if $(filter command line environment,$(origin KERNELS)),-k "$(KERNELS)") \
		$(if $(FINDINGS),-f "$(FINDINGS)") -o $(BUILD)/corpus/verdicts; rc=$$?; \
		echo "measured ($(BUILD)/corpus/verdicts):"; tests/corpus/table $(BUILD)/corpus/verdicts; exit $$rc

# LAVA (README: "Running in a LAVA lab / KernelCI"): a job for LAVA's qemu
# device type with its kernel and initramfs in LAVA_DIR/job, and that job run
# here by Debian's lava-run (installed on first use: scripts/deps --lava).
# PROFILE defaults to quick here; BENCH="fault tlb" by default.
LAVA_DIR ?= $(BUILD)/lava
lava_given = $(filter command line environment,$(origin $(1)))
lava-job: deps-check
	scripts/lava-job --out $(LAVA_DIR)/job --kernel $(or $(KERNEL),debian-6.12) \
		--profile $(if $(call lava_given,PROFILE),$(PROFILE),quick) \
		$(if $(call lava_given,BENCH),--benches "$(BENCH)") \
		$(if $(call lava_given,STRATEGY),--strategy $(STRATEGY)) \
		$(if $(MODPARAMS),--modparams "$(MODPARAMS)") \
		$(if $(LAVA_URL),--url $(LAVA_URL)) $(if $(LAVA_TESTDEF_GIT),--testdef-git $(LAVA_TESTDEF_GIT))

lava-run: lava-job
	scripts/lava-local $(LAVA_DIR)/job --out $(LAVA_DIR)/run

help:
	@echo 'bench_mmio: how Linux maps device memory (VM_PFNMAP) into user space'
	@echo
	@echo '  make                 build the benchmarks, the selftest and the module'
	@echo '  make deps            install the Debian packages and guest kernels needed'
	@echo '  make bench           run a benchmark in a guest (or natively with KERNEL=host)'
	@echo '      STRATEGY=all|baselines|everything|NAME,...   targets (bench_mmio list names them)   default: all'
	@echo '      BENCH=fault|tlb|zap|fork|threads   (bench_mmio list describes each and its options)'
	@echo '      SIZE=1G ALIGN=auto|none|pmd|pud REPS=5 ACCESS=auto|read|write CACHE=uc|wc OFFSET=0'
	@echo '      PROFILE=default   (config/BENCH-PROFILE.conf, else config/PROFILE.conf; SIZE etc. override it)'
	@echo '      KERNEL=debian-6.12|debian-6.1|debian-7.2|debian-7.3-rc|host|/path/bzImage (KDIR=its build tree)'
	@echo '      ARCH=arm64        (debian-7.x: the arm64 kernel under qemu-system-aarch64, TCG)'
	@echo '  make anatomy         one fault per strategy, function by function, in guest instructions'
	@echo '      KERNEL=debian-6.12 | KERNELS="debian-6.1 debian-6.12"   STRATEGY=pte,pmd,pud   DIR=out'
	@echo '  make hw-twin         on KVM/bare metal with a PMU: wall-clock validate, dTLB baselines, KVM fault bench (<8 min, one archive)'
	@echo '      CLOCK=wall|icount  icount: guest time counts instructions (ICOUNT_SHIFT=0), exact between boots;'
	@echo '                        a path length, not hardware time (also for vm-run, compare-kernels, validate, lava-job)'
	@echo '      OUT=results       MODPARAMS="bar=0000:01:00.0/2" (KERNEL=host)'
	@echo '  make vm-run CMD="..." [ADD="file ..."] [KERNEL=...]   any command next to the module'
	@echo '  make test            unit tests + the module in 6.12, 6.1, 7.2 and 7.3-rc and 7.2 arm64 guests (TAP; TEST_KERNELS=)'
	@echo '  make corpus [KERNELS="..."] [FINDINGS="..."]            the kernel-findings corpus: a verdict per bug and kernel'
	@echo '  make stress [DURATION=60] [SEED=] [KERNEL=debian-6.12] [FUZZ_COUNT=3000]   race harness + fuzzer in a guest (TAP)'
	@echo '  make kernel-table [TABLE_KERNELS=...]                 README kernel table from results/ (boots what is missing)'
	@echo '  make plot [RESULT=results/x.json]                     figures (SVG + PNG) from results'
	@echo '  make compare A="a.json ..." B="b.json ..." [THRESHOLD=5] [MARKDOWN=1]   is B worse than A? (exit 1: yes)'
	@echo '  make compare-kernels KERNELS="debian-6.1 debian-6.12" [ROUNDS=5] [PROFILE=] [BENCH=] [STRATEGY=]'
	@echo '  make validate [KERNEL=] [TRIALS=3] [RUNS=6] [SHIFT=5[,1]] [CLOCK=icount [JOBS=2]]   false-alarm and detection rates of compare'
	@echo '  make lava-job [KERNEL=debian-6.12] [ARCH=] [PROFILE=quick] [BENCH="fault tlb"] [MODPARAMS=] [LAVA_URL=] [LAVA_TESTDEF_GIT=]'
	@echo '                       a LAVA job + kernel + initramfs in build/lava/job (README: LAVA)'
	@echo '  make lava-run        that job run here by Debian'"'"'s lava-run, checked against its result JSON'
	@echo '  make clean           remove build/ (keeps downloaded kernels: make distclean)'

clean:
	rm -rf $(BUILD)/bench $(BUILD)/tests $(BUILD)/module $(BUILD)/vm $(BUILD)/bench-static $(BUILD)/lava \
		$(BUILD)/corpus $(BUILD)/corpus-arm64

distclean:
	rm -rf $(BUILD)
