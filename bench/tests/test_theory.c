// SPDX-License-Identifier: GPL-2.0
/* test_theory.c - the fault-count model against the expected sanity cases. */
#include <inttypes.h>
#include <string.h>

#include "tap.h"
#include "theory.h"

#define CAPS_612 (BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_CORE_PMD | \
		  BENCH_MMIO_CAP_CORE_PUD | BENCH_MMIO_CAP_INSERT_PMD | BENCH_MMIO_CAP_INSERT_PUD | \
		  BENCH_MMIO_CAP_PAT)
#define CAPS_61 (BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_INSERT_PMD | \
		 BENCH_MMIO_CAP_INSERT_PUD | BENCH_MMIO_CAP_PAT)

#define VA0	0x7f0000000000ULL	/* 1G aligned */
#define PHYS0	0x4000000000ULL		/* 1G aligned BAR */

static void theory_asked_alignment(void);

static const unsigned int max_612[] = { 0, 0, 0, BENCH_MMIO_LEVEL_PMD, BENCH_MMIO_LEVEL_PUD };

static struct theory_in in(unsigned int s, uint64_t va, uint64_t len, uint64_t phys, uint64_t caps)
{
	struct theory_in i = {
		.strategy = s, .va = va, .length = len, .phys = phys,
		.max_level = max_612[s], .caps = caps, .thp = THEORY_THP_ALLOW,
		.features = BENCH_MMIO_FEAT_GET_UNMAPPED_AREA,
	};
	return i;
}

#define EXPECT(i, PTE, PMD, PUD, FB, PAGES) do {				\
	struct theory_out o;							\
	int r_ = theory_expect(&(i), &o);					\
	CHECK(r_ == 0 && o.faults[0] == (PTE) && o.faults[1] == (PMD) &&	\
	      o.faults[2] == (PUD) && o.fallback == (FB) && o.pages == (PAGES),	\
	      "strategy %u len %" PRIu64 ": got pte %" PRIu64 " pmd %" PRIu64	\
	      " pud %" PRIu64 " fallback %" PRIu64 " pages %" PRIu64,		\
	      (i).strategy, (i).length, o.faults[0], o.faults[1], o.faults[2],	\
	      o.fallback, o.pages);						\
} while (0)

void test_theory_612(void)
{
	const uint64_t M256 = 256ULL << 20, G2 = 2ULL << 30;
	struct theory_in i;

	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, G2, PHYS0, CAPS_612);
	EXPECT(i, 0, 0, 2, 0, 524288);
	i = in(BENCH_MMIO_STRATEGY_REMAP, VA0, M256, PHYS0, CAPS_612);
	EXPECT(i, 0, 0, 0, 0, 65536);
	i = in(BENCH_MMIO_STRATEGY_PTE, VA0, M256, PHYS0, CAPS_612);
	EXPECT(i, 65536, 0, 0, 0, 65536);
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0, M256, PHYS0, CAPS_612);
	EXPECT(i, 0, 128, 0, 0, 65536);
	/* the VMA is < 1G: one PUD fallback for its 1G region, then 128 PMDs */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + (512ULL << 20), M256, PHYS0 + (512ULL << 20), CAPS_612);
	EXPECT(i, 0, 128, 0, 1, 65536);
	i = in(BENCH_MMIO_STRATEGY_BULK, VA0, M256, PHYS0, CAPS_612);
	EXPECT(i, 1, 0, 0, 0, 65536);
	/* pmd strategy never counts PUD fallbacks, even for a 2G VMA */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0, G2, PHYS0, CAPS_612);
	EXPECT(i, 0, 1024, 0, 0, 524288);
	/* 256M straddling a 1G boundary: two 1G regions, two PUD fallbacks */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + SZ_1G - (128ULL << 20), M256,
	       PHYS0 + SZ_1G - (128ULL << 20), CAPS_612);
	EXPECT(i, 0, 128, 0, 2, 65536);
	/* 1G + 2M: one PUD, the tail as one PMD after a PUD fallback */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, SZ_1G + SZ_2M, PHYS0, CAPS_612);
	EXPECT(i, 0, 1, 1, 1, 262144 + 512);
	CHECK(theory_expect(&(struct theory_in){ .strategy = 9 }, &(struct theory_out){ 0 }) == -1,
	      "bad strategy");
}

void test_theory_misaligned(void)
{
	const uint64_t M256 = 256ULL << 20;
	struct theory_in i;

	/* VA 4K past 2M alignment, phys 2M aligned: no region congruent */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0 + SZ_4K, M256, PHYS0, CAPS_612);
	EXPECT(i, 65536, 0, 0, 129, 65536);
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + SZ_4K, M256, PHYS0, CAPS_612);
	EXPECT(i, 65536, 0, 0, 130, 65536);
	/* VA and phys both 4K past alignment: congruent, the 127 whole 2M
	 * regions map as PMDs, the partial first/last ones fall back */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0 + SZ_4K, M256, PHYS0 + SZ_4K, CAPS_612);
	EXPECT(i, 512, 127, 0, 2, 65536);
	/* 2M aligned but not 1G congruent: PUD falls back, PMDs work */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * SZ_1G, PHYS0 + SZ_2M, CAPS_612);
	EXPECT(i, 0, 1024, 0, 2, 524288);
	/* per-VMA lock (6.12): a 2M region ending in PTEs is offered twice */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0 + SZ_4K, M256, PHYS0, CAPS_612 | BENCH_MMIO_CAP_VMA_LOCK);
	EXPECT(i, 65536, 0, 0, 2 * 129, 65536);
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + SZ_4K, M256, PHYS0, CAPS_612 | BENCH_MMIO_CAP_VMA_LOCK);
	EXPECT(i, 65536, 0, 0, 1 + 2 * 129, 65536);
	/* ... but not one that maps as a PMD after a PUD fallback */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * SZ_1G, PHYS0 + SZ_2M, CAPS_612 | BENCH_MMIO_CAP_VMA_LOCK);
	EXPECT(i, 0, 1024, 0, 2, 524288);
	CHECK(addr_align(VA0 + SZ_4K) == SZ_4K && addr_align(VA0) == SZ_1G &&
	      addr_align(0x200000) == SZ_2M && addr_align(0) == SZ_1G, "addr_align");
	theory_asked_alignment();
}

/*
 * The model is fed the alignment the mapping asked for: a mapping that did
 * not get it (a module built without its get_unmapped_area hook) is a
 * mismatch, and the explanation says why.
 */
static void theory_asked_alignment(void)
{
	const uint64_t M256 = 256ULL << 20;
	struct theory_in i;
	struct theory_out exp, got;
	char buf[1024];

	CHECK(theory_align(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, SZ_1G) == SZ_1G &&
	      theory_align(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, M256) == SZ_2M &&
	      theory_align(BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_ALIGN_AUTO, SZ_1G) == SZ_2M &&
	      theory_align(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_AUTO, SZ_1G) == 0 &&
	      theory_align(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, SZ_4K) == 0 &&
	      theory_align(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_PUD, SZ_4K) == SZ_1G &&
	      theory_align(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_NONE, SZ_1G) == 0 &&
	      theory_align(BENCH_MMIO_NR_STRATEGIES, BENCH_MMIO_ALIGN_AUTO, SZ_1G) == 0,
	      "theory_align follows the module's policy");

	/* asked for 1G, got a VA only 4K aligned: modelled as if aligned */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + SZ_4K, SZ_1G, PHYS0, CAPS_612);
	i.align = SZ_1G;
	EXPECT(i, 0, 0, 1, 0, 262144);
	CHECK(!theory_aligned(&i), "a 4K-aligned VA did not get the 1G it asked for");
	i.va = VA0;
	CHECK(theory_aligned(&i), "a 1G-aligned VA got it");
	i.align = 0;
	i.va = VA0 + SZ_4K;
	CHECK(theory_aligned(&i), "nothing asked, nothing missed");

	/* the run the kernel gives a module without the hook, explained */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + SZ_4K, SZ_1G, PHYS0, CAPS_612);
	i.align = SZ_1G;
	i.features = 0;
	theory_expect(&i, &exp);
	got = (struct theory_out){ .faults = { 262144 }, .fallback = 1025, .pages = 262144 };
	theory_explain(&i, &exp, &got, "always", "auto", buf, sizeof(buf));
	CHECK(strstr(buf, "asked for 1048576K alignment (align=auto)") &&
	      strstr(buf, "without its get_unmapped_area hook"), "explained: %s", buf);
	/* without the hook, a congruent VA is luck: still not "aligned" */
	i.va = VA0;
	CHECK(!theory_aligned(&i), "no hook: an aligned VA is not the module's doing");
	theory_explain(&i, &exp, &exp, "always", "auto", buf, sizeof(buf));
	CHECK(strstr(buf, "by chance only"), "explained: %s", buf);
	i.va = VA0 + SZ_4K;
	i.features = BENCH_MMIO_FEAT_GET_UNMAPPED_AREA;
	theory_explain(&i, &exp, &got, "always", "auto", buf, sizeof(buf));
	CHECK(strstr(buf, "asked for") && !strstr(buf, "without its get_unmapped_area hook"),
	      "a module with the hook is not blamed for it: %s", buf);
}

void test_theory_61(void)
{
	struct theory_in i;

	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, SZ_1G, PHYS0, CAPS_61);
	EXPECT(i, 262144, 0, 0, 0, 262144);
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0, 256ULL << 20, PHYS0, CAPS_61);
	EXPECT(i, 65536, 0, 0, 0, 65536);
	i = in(BENCH_MMIO_STRATEGY_BULK, VA0, SZ_1G, PHYS0, CAPS_61);
	EXPECT(i, 1, 0, 0, 0, 262144);
}

void test_theory_edges(void)
{
	struct theory_in i;

	/* another mapping in the 1G region: its PUD entry is populated */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0 + (512ULL << 20), 256ULL << 20,
	       PHYS0 + (512ULL << 20), CAPS_612);
	i.busy_lo[BENCH_MMIO_LEVEL_PUD] = true;
	EXPECT(i, 0, 128, 0, 0, 65536);
	/* misaligned start shared with a neighbour at 2M: no PMD call there */
	i = in(BENCH_MMIO_STRATEGY_PMD, VA0 + SZ_4K, 256ULL << 20, PHYS0, CAPS_612);
	i.busy_lo[BENCH_MMIO_LEVEL_PMD] = true;
	EXPECT(i, 65536, 0, 0, 128, 65536);
	/* THP enabled=never: the core never calls ->huge_fault */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * SZ_1G, PHYS0, CAPS_612);
	i.thp = THEORY_THP_DENY;
	EXPECT(i, 524288, 0, 0, 0, 524288);
	/* CPU without 1G pages: max_level pmd, the PUD call falls back */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * SZ_1G, PHYS0, CAPS_612 & ~BENCH_MMIO_CAP_CPU_PUD);
	i.max_level = BENCH_MMIO_LEVEL_PMD;
	EXPECT(i, 0, 1024, 0, 2, 524288);
	/* core without PUD support (PMD only) */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 2 * SZ_1G, PHYS0, CAPS_612 & ~BENCH_MMIO_CAP_CORE_PUD);
	EXPECT(i, 0, 1024, 0, 0, 524288);
	/* a single page */
	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, SZ_4K, PHYS0, CAPS_612);
	EXPECT(i, 1, 0, 0, 2, 1);
}

void test_theory_explain(void)
{
	struct theory_in i = in(BENCH_MMIO_STRATEGY_PMD, VA0 + SZ_4K, 256ULL << 20, PHYS0 + SZ_4K, CAPS_612);
	struct theory_out exp, got;
	char buf[1024];

	theory_expect(&i, &exp);
	memset(&got, 0, sizeof(got));
	got.faults[0] = 65536;
	got.pages = 65536;
	theory_explain(&i, &exp, &got, "never", "none", buf, sizeof(buf));
	printf("# %s\n", buf);
	CHECK(strstr(buf, "pmd faults: expected 127, measured 0"), "diff listed");
	CHECK(strstr(buf, "huge faults expected but none seen"), "huge missing");
	CHECK(strstr(buf, "THP sysfs enabled is 'never'"), "thp");
	CHECK(strstr(buf, "align=none"), "align");

	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, SZ_1G, PHYS0, CAPS_61 | BENCH_MMIO_CAP_CORE_PUD);
	i.caps = CAPS_61;
	exp = (struct theory_out){ .faults = { 0, 0, 1 }, .pages = 262144 };
	got = (struct theory_out){ .faults = { 262144, 0, 0 }, .pages = 262144 };
	theory_explain(&i, &exp, &got, "always", "auto", buf, sizeof(buf));
	CHECK(strstr(buf, "lacks core huge pfnmap"), "core caps: %s", buf);

	i = in(BENCH_MMIO_STRATEGY_PUD, VA0, 256ULL << 20, PHYS0, CAPS_612);
	theory_expect(&i, &exp);
	got = exp;
	got.fallback = 128;
	theory_explain(&i, &exp, &got, "always", "auto", buf, sizeof(buf));
	CHECK(strstr(buf, "fallbacks: expected 1, measured 128") && strstr(buf, "neighbours"),
	      "fallbacks: %s", buf);
}
