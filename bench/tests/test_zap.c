// SPDX-License-Identifier: GPL-2.0
/* test_zap.c - the pure parts of zap, fork and threads. */
#include <inttypes.h>
#include <string.h>

#include "fork.h"
#include "measure.h"
#include "tap.h"
#include "threads.h"
#include "zap.h"

#define M (1ULL << 20)
#define G (1ULL << 30)
#define VA0	0x7f0000000000ULL	/* 1G aligned */
#define PHYS0	0x4000000000ULL		/* 1G aligned BAR */
#define CAPS_612 (BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_CORE_PMD | \
		  BENCH_MMIO_CAP_CORE_PUD | BENCH_MMIO_CAP_INSERT_PMD | BENCH_MMIO_CAP_INSERT_PUD)

static const unsigned int max_612[] = { 0, 0, 0, BENCH_MMIO_LEVEL_PMD, BENCH_MMIO_LEVEL_PUD };

static struct theory_in in(unsigned int s, uint64_t va, uint64_t len, uint64_t phys, uint64_t caps)
{
	struct theory_in i = {
		.strategy = s, .va = va, .length = len, .phys = phys,
		.max_level = caps ? max_612[s] : 0, .caps = caps, .thp = THEORY_THP_ALLOW,
		.features = BENCH_MMIO_FEAT_GET_UNMAPPED_AREA,
	};
	return i;
}

#define REFAULT(i, off, len, PTE, PMD, PUD, FB, PAGES) do {			\
	struct theory_out o;							\
	int r_ = theory_refault(&(i), off, len, &o);				\
	CHECK(r_ == 0 && o.faults[0] == (PTE) && o.faults[1] == (PMD) &&	\
	      o.faults[2] == (PUD) && o.fallback == (FB) && o.pages == (PAGES),	\
	      "strategy %u [%" PRIu64 ", +%" PRIu64 "): got pte %" PRIu64	\
	      " pmd %" PRIu64 " pud %" PRIu64 " fallback %" PRIu64 " pages %" PRIu64, \
	      (i).strategy, (uint64_t)(off), (uint64_t)(len), o.faults[0],	\
	      o.faults[1], o.faults[2], o.fallback, o.pages);			\
} while (0)

void test_theory_refault(void)
{
	struct theory_in i;

	/* PUD-mapped 8G: whole, half, a cut through two leaves */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 8 * G, PHYS0, CAPS_612);
	REFAULT(i, 0, 8 * G, 0, 0, 8, 0, 8 * G / 4096);
	REFAULT(i, 2 * G, 4 * G, 0, 0, 4, 0, 4 * G / 4096);
	REFAULT(i, G + 4096, G, 0, 0, 2, 0, 2 * G / 4096);
	/* the same range PTE-mapped (6.1): one fault per zapped page */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 8 * G, PHYS0, 0);
	REFAULT(i, 0, 8 * G, 8 * G / 4096, 0, 0, 0, 8 * G / 4096);
	REFAULT(i, G + 4096, G, G / 4096, 0, 0, 0, G / 4096);
	/* pud 64M: PMDs; the populate's PUD fallback is not offered again */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 64 * M, PHYS0, CAPS_612);
	REFAULT(i, 0, 64 * M, 0, 32, 0, 0, 16384);
	REFAULT(i, 16 * M, 32 * M, 0, 16, 0, 0, 8192);
	REFAULT(i, 16 * M + 4096, 4096, 0, 1, 0, 0, 512);	/* inside one PMD */
	/* pmd 3M at an aligned VA: one PMD and 256 PTEs; a zap of the tail */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0, 3 * M, PHYS0, CAPS_612);
	REFAULT(i, 2 * M, M, 256, 0, 0, 0, 256);
	REFAULT(i, 0, 3 * M, 256, 1, 0, 0, 768);
	/* populate in ->mmap: one PTE fault per zapped page; bulk: one, the VMA */
	i = in(BENCH_MMIO_STRATEGY_REMAP, VA0, 64 * M, PHYS0, CAPS_612);
	REFAULT(i, 16 * M, 32 * M, 8192, 0, 0, 0, 8192);
	i = in(BENCH_MMIO_STRATEGY_BULK, VA0, 64 * M, PHYS0, CAPS_612);
	REFAULT(i, 16 * M, 32 * M, 1, 0, 0, 0, 16384);
	REFAULT(i, 64 * M, 4096, 0, 0, 0, 0, 0);	/* past the end: nothing */
	/* clipped to the mapping */
	i = in(BENCH_MMIO_STRATEGY_PTE, VA0, 64 * M, PHYS0, CAPS_612);
	REFAULT(i, 60 * M, 8 * M, 1024, 0, 0, 0, 1024);
}

void test_zap_widen(void)
{
	struct theory_zap z = { .phys_base = PHYS0, .backing_size = 64 * G,
				.offset = G + 4096, .length = 2 * M, .guard = true, .pud_vmas = true };
	uint64_t off, len;

	CHECK(theory_zap_widen(&z, &off, &len) == 1 && off == G && len == G,
	      "cut inside extent 1: %" PRIu64 " +%" PRIu64, off, len);
	z.offset = G - 4096;
	z.length = 8192;		/* across two extents */
	CHECK(theory_zap_widen(&z, &off, &len) == 1 && off == 0 && len == 2 * G,
	      "cut across extents 0 and 1: %" PRIu64 " +%" PRIu64, off, len);
	z.offset = 2 * G;
	z.length = 4 * G;		/* whole extents: cuts none */
	CHECK(theory_zap_widen(&z, &off, &len) == 0 && off == 2 * G && len == 4 * G, "whole extents");
	z.offset = G + 4096;
	z.length = 2 * M;
	z.guard = false;
	CHECK(theory_zap_widen(&z, &off, &len) == 0 && off == G + 4096 && len == 2 * M, "guard off");
	z.guard = true;
	z.pud_vmas = false;
	CHECK(theory_zap_widen(&z, &off, &len) == 0 && off == G + 4096, "no PUD-capable VMA");
	/* a backing that is not 1G aligned nor a multiple: clipped to it */
	z = (struct theory_zap){ .phys_base = PHYS0 + 512 * M, .backing_size = G, .offset = 4096,
				 .length = 4096, .guard = true, .pud_vmas = true };
	CHECK(theory_zap_widen(&z, &off, &len) == 1 && off == 0 && len == 512 * M,
	      "clipped to the backing: %" PRIu64 " +%" PRIu64, off, len);
	z.offset = G;
	CHECK(theory_zap_widen(&z, &off, &len) == -1, "past the backing");
	z.offset = 0;
	z.length = 0;
	CHECK(theory_zap_widen(&z, &off, &len) == -1, "empty");
}

void test_zap_resolve(void)
{
	struct bench_mmio_info info = { .phys_base = PHYS0, .size = 64 * G,
		.features = BENCH_MMIO_FEAT_GUARDS, .guards_default = BENCH_MMIO_GUARD_ZAP_WIDEN };
	struct zap_op_result z = { .op = ZAP_PARTIAL, .asked_offset = G + 4096, .asked_length = 2 * M,
				   .zaps_widened = 1 };
	uint64_t off, len;

	info.max_level[BENCH_MMIO_STRATEGY_PUD] = BENCH_MMIO_LEVEL_PUD;
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PUD, 0, 8 * G);
	CHECK(z.predicted && z.widened && z.zapped_offset == G && z.zapped_length == G &&
	      z.map_offset == G && z.map_length == G, "widened by the module, as the rule says");
	/* the module says not widened: the range asked, whatever the rule says */
	z.zaps_widened = 0;
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PUD, 0, 8 * G);
	CHECK(z.predicted && !z.widened && z.zapped_offset == G + 4096 && z.map_length == 2 * M,
	      "not widened: the asked range");
	/* widened although the rule predicted not (pte strategy): the rule's extents */
	z.zaps_widened = 1;
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PTE, 0, 8 * G);
	CHECK(!z.predicted && z.widened && z.zapped_offset == G && z.zapped_length == G, "the counter wins");
	/* a pud VMA under 1G may hold no PUD: the rule predicts no widening */
	z.zaps_widened = 0;
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PUD, 0, 64 * M);
	CHECK(!z.predicted && !z.widened, "a 64M pud mapping: not widened");
	/* no guards in the module: never widened; the mapping at offset 2G */
	info.features = 0;
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PUD, 2 * G, 4 * G);
	CHECK(!z.guard && !z.widened && z.map_length == 0, "no guards; outside the mapping");
	/* REVOKE: the whole device, never widened */
	info.features = BENCH_MMIO_FEAT_GUARDS;
	z = (struct zap_op_result){ .op = ZAP_REVOKE, .asked_offset = 0, .asked_length = 3 * G / 2 };
	zap_resolve(&z, &info, BENCH_MMIO_STRATEGY_PUD, 0, 3 * G / 2);
	CHECK(!z.guard && !z.predicted && !z.widened && z.map_length == 3 * G / 2, "revoke");
	zap_partial_range(64 * M, OPT_UNSET, OPT_UNSET, &off, &len);
	CHECK(off == 16 * M && len == 32 * M, "default partial range: the middle half");
	zap_partial_range(64 * M, 0, 4096, &off, &len);
	CHECK(off == 0 && len == 4096, "partial range from the options");
}

void test_threads_slices(void)
{
	unsigned int t[THREADS_MAX_POINTS], n;
	uint64_t lo, hi, next = 0;

	n = threads_sweep(6, t, THREADS_MAX_POINTS);
	CHECK(n == 4 && t[0] == 1 && t[1] == 2 && t[2] == 4 && t[3] == 6, "sweep to 6: %u points", n);
	n = threads_sweep(1, t, THREADS_MAX_POINTS);
	CHECK(n == 1 && t[0] == 1, "sweep to 1");
	n = threads_sweep(256, t, THREADS_MAX_POINTS);
	CHECK(n == 9 && t[8] == 256, "sweep to 256: %u points", n);
	/* 8 PUD grains over 3 threads: 3, 3, 2 */
	for (unsigned int i = 0; i < 3; i++) {
		threads_slice(8 * G, G, 3, i, &lo, &hi);
		CHECK(lo == next && hi - lo == (i < 2 ? 3 * G : 2 * G), "slice %u: %" PRIu64 " +%" PRIu64,
		      i, lo, hi - lo);
		next = hi;
	}
	CHECK(next == 8 * G, "the slices cover the mapping");
	/* more threads than grains: the last ones get nothing */
	threads_slice(64 * M, 64 * M, 4, 0, &lo, &hi);
	CHECK(lo == 0 && hi == 64 * M, "bulk: one slice");
	threads_slice(64 * M, 64 * M, 4, 3, &lo, &hi);
	CHECK(lo == 64 * M && hi == 64 * M, "an empty slice");
	/* a mapping that is not a whole number of grains: clipped */
	threads_slice(3 * M, 2 * M, 2, 1, &lo, &hi);
	CHECK(lo == 2 * M && hi == 3 * M, "clipped last slice");
	{
		struct theory_out o = { .faults = { 0, 32, 0 } };

		CHECK(threads_grain(&targets[TARGET_PUD], &o, 64 * M) == 2 * M, "grain: the PMD leaves");
		CHECK(threads_grain(&targets[TARGET_BULK], &o, 64 * M) == 64 * M, "grain: bulk's VMA");
		CHECK(threads_grain(&targets[TARGET_ANON4K], &o, 64 * M) == 4096, "grain: anon4k");
	}
}

void test_fork_child(void)
{
	struct theory_in i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * G, PHYS0, CAPS_612);
	struct theory_out o;

	CHECK(!fork_child_expect(&i, FORK_POPULATED, true, &o) && !o.faults[2] && !o.pages,
	      "populated: the child faults nowhere");
	CHECK(!fork_child_expect(&i, FORK_DONTFORK, false, &o) && !o.faults[2] && !o.pages,
	      "dontfork: no VMA, no fault");
	CHECK(!fork_child_expect(&i, FORK_UNPOPULATED, false, &o) && o.faults[2] == 2 &&
	      o.pages == 2 * G / 4096, "unpopulated: a fresh populate");
}

void test_size_list(void)
{
	uint64_t v[4];
	unsigned int n;
	char err[OPT_ERRLEN];

	CHECK(!parse_size_list("64M,1G,8G", v, 4, &n, err, sizeof(err)) && n == 3 &&
	      v[0] == 64 * M && v[2] == 8 * G, "three sizes");
	CHECK(parse_size_list("64M,12Q", v, 4, &n, err, sizeof(err)) && strstr(err, "12Q"),
	      "a bad size is named: %s", err);
	CHECK(parse_size_list("4K,4K,4K,4K,4K", v, 4, &n, err, sizeof(err)), "too many");
	CHECK(parse_size_list(",", v, 4, &n, err, sizeof(err)), "none");
	CHECK(parse_size_list("0", v, 4, &n, err, sizeof(err)), "zero");
}

void test_reason_prefix(void)
{
	char r[16] = "SIGBUS at 0";

	reason_prefix(r, sizeof(r), "warm-up");
	CHECK(!strcmp(r, "warm-up: SIGBUS"), "truncated tail: '%s'", r);
	snprintf(r, sizeof(r), "x");
	reason_prefix(r, sizeof(r), "w 1");
	CHECK(!strcmp(r, "w 1: x"), "short: '%s'", r);
	memset(r, 'a', sizeof(r));	/* no terminator in the buffer */
	reason_prefix(r, sizeof(r), "w");
	CHECK(strlen(r) == sizeof(r) - 1 && !strncmp(r, "w: aaa", 6), "unterminated: '%s'", r);
	reason_prefix(r, sizeof(r), "a prefix longer than the buffer");
	CHECK(!strcmp(r, "a prefix longer"), "prefix only: '%s'", r);
}
