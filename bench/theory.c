// SPDX-License-Identifier: GPL-2.0
/*
 * theory.c - expected fault counters (see theory.h).
 *
 * Model of __handle_mm_fault() for a VM_PFNMAP VMA touched once per 4K page
 * in ascending order, starting with no page tables in the VMA:
 *  - at the first fault in a 1G region whose PUD entry is none, the core calls
 *    ->huge_fault(PUD) when it supports huge pfnmaps (CAP_CORE_PUD) and THP
 *    is not disabled; the same for 2M regions and PMD (CAP_CORE_PMD);
 *  - the module inserts the entry when the whole aligned region lies in the
 *    VMA, the pfn is aligned (VA and phys congruent) and the strategy may use
 *    that level on this kernel/CPU (max_level); otherwise it returns
 *    VM_FAULT_FALLBACK, counted once for the region at levels the strategy
 *    wants, and the next level is tried for the region;
 *  - after a fallback the region's entry points to a lower table, so later
 *    faults in the region go straight to the lower level;
 *  - PTE-level regions fault once per 4K page;
 *  - under the per-VMA lock (CAP_VMA_LOCK, 6.7+) the core cannot call
 *    ->fault of a VMA without ->map_pages (vmf_can_call_fault()): it
 *    returns VM_FAULT_RETRY and the fault is retried under mmap_lock.  The
 *    first pass allocated the PMD table (so no second PUD call) but no PTE
 *    table, so a 2M region that ends in PTEs is offered to ->huge_fault(PMD)
 *    twice and counts two PMD fallbacks.
 */
#include <stdio.h>
#include <string.h>

#include "theory.h"

uint64_t addr_align(uint64_t a)
{
	uint64_t al;

	if (!a)
		return SZ_1G;
	al = a & -a;
	return al > SZ_1G ? SZ_1G : al;
}

static uint64_t align_down(uint64_t a, uint64_t s)
{
	return a & ~(s - 1);
}

static bool eligible(const struct theory_in *in, uint64_t region, uint64_t size,
		     unsigned int level)
{
	uint64_t end = in->va + in->length;

	if (in->max_level < level)
		return false;
	if (region < in->va || region + size > end)
		return false;
	return ((in->va ^ in->phys) & (size - 1)) == 0;
}

/* First fault in [r, r + size) reaches ->huge_fault at this level? */
static bool called(const struct theory_in *in, uint64_t r, uint64_t size,
		   unsigned int level)
{
	uint64_t last = in->va + in->length - 1;

	if (r == align_down(in->va, size) && in->busy_lo[level])
		return false;
	if (r == align_down(last, size) && in->busy_hi[level])
		return false;
	return true;
}

int theory_expect(const struct theory_in *in, struct theory_out *out)
{
	uint64_t n = in->length / SZ_4K, end = in->va + in->length;
	bool huge_ok, call_pud, call_pmd, want_pud;
	unsigned int pmd_calls;

	memset(out, 0, sizeof(*out));
	switch (in->strategy) {
	case BENCH_MMIO_STRATEGY_REMAP:
		out->pages = n;
		return 0;
	case BENCH_MMIO_STRATEGY_PTE:
		out->faults[BENCH_MMIO_LEVEL_PTE] = n;
		out->pages = n;
		return 0;
	case BENCH_MMIO_STRATEGY_BULK:
		out->faults[BENCH_MMIO_LEVEL_PTE] = n ? 1 : 0;
		out->pages = n;
		return 0;
	case BENCH_MMIO_STRATEGY_PMD:
	case BENCH_MMIO_STRATEGY_PUD:
		break;
	default:
		return -1;
	}
	if (!n)
		return 0;

	huge_ok = in->thp != THEORY_THP_DENY;
	call_pud = huge_ok && (in->caps & BENCH_MMIO_CAP_CORE_PUD);
	call_pmd = huge_ok && (in->caps & BENCH_MMIO_CAP_CORE_PMD);
	want_pud = in->strategy == BENCH_MMIO_STRATEGY_PUD;
	pmd_calls = (in->caps & BENCH_MMIO_CAP_VMA_LOCK) ? 2 : 1;

	for (uint64_t g = align_down(in->va, SZ_1G); g < end; g += SZ_1G) {
		uint64_t lo = g < in->va ? in->va : g;
		uint64_t hi = g + SZ_1G > end ? end : g + SZ_1G;

		if (call_pud && called(in, g, SZ_1G, BENCH_MMIO_LEVEL_PUD) && want_pud) {
			if (eligible(in, g, SZ_1G, BENCH_MMIO_LEVEL_PUD)) {
				out->faults[BENCH_MMIO_LEVEL_PUD]++;
				out->pages += SZ_1G / SZ_4K;
				continue;
			}
			out->fallbacks[BENCH_MMIO_LEVEL_PUD]++;
		}
		for (uint64_t m = align_down(lo, SZ_2M); m < hi; m += SZ_2M) {
			uint64_t mlo = m < lo ? lo : m;
			uint64_t mhi = m + SZ_2M > hi ? hi : m + SZ_2M;

			if (call_pmd && called(in, m, SZ_2M, BENCH_MMIO_LEVEL_PMD)) {
				if (eligible(in, m, SZ_2M, BENCH_MMIO_LEVEL_PMD)) {
					out->faults[BENCH_MMIO_LEVEL_PMD]++;
					out->pages += SZ_2M / SZ_4K;
					continue;
				}
				out->fallbacks[BENCH_MMIO_LEVEL_PMD] += pmd_calls;
			}
			out->faults[BENCH_MMIO_LEVEL_PTE] += (mhi - mlo) / SZ_4K;
			out->pages += (mhi - mlo) / SZ_4K;
		}
	}
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		out->fallback += out->fallbacks[l];
	return 0;
}

static void add(char *buf, size_t len, const char *s)
{
	size_t used = strlen(buf);

	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", used ? "; " : "", s);
}

void theory_explain(const struct theory_in *in, const struct theory_out *exp,
		    const struct theory_out *got, const char *thp_enabled,
		    const char *align_name, char *buf, size_t len)
{
	static const char *const lv[] = { "pte", "pmd", "pud" };
	uint64_t exp_huge = exp->faults[1] + exp->faults[2];
	uint64_t got_huge = got->faults[1] + got->faults[2];
	uint64_t va_al = addr_align(in->va);
	char s[256];

	buf[0] = '\0';
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		if (exp->faults[l] != got->faults[l]) {
			snprintf(s, sizeof(s), "%s faults: expected %llu, measured %llu", lv[l],
				 (unsigned long long)exp->faults[l],
				 (unsigned long long)got->faults[l]);
			add(buf, len, s);
		}
	if (exp->fallback != got->fallback) {
		snprintf(s, sizeof(s), "fallbacks: expected %llu, measured %llu",
			 (unsigned long long)exp->fallback, (unsigned long long)got->fallback);
		add(buf, len, s);
	}
	if (exp->pages != got->pages) {
		snprintf(s, sizeof(s), "pages: expected %llu, measured %llu",
			 (unsigned long long)exp->pages, (unsigned long long)got->pages);
		add(buf, len, s);
	}
	if (!buf[0]) {
		add(buf, len, "counters match");
		return;
	}

	if (exp_huge && !got_huge) {
		add(buf, len, "huge faults expected but none seen");
		if (!(in->caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD)))
			add(buf, len, "kernel lacks core huge pfnmap support (no core_pmd/core_pud cap)");
		if (thp_enabled && strcmp(thp_enabled, "always"))
			snprintf(s, sizeof(s), "THP sysfs enabled is '%s': the core only calls ->huge_fault when THP is enabled (always, or madvise with MADV_HUGEPAGE)", thp_enabled),
			add(buf, len, s);
		if (va_al < SZ_2M) {
			snprintf(s, sizeof(s), "VA 0x%llx is only %lluK aligned%s%s%s",
				 (unsigned long long)in->va, (unsigned long long)(va_al >> 10),
				 align_name ? " (align=" : "", align_name ? align_name : "",
				 align_name ? ")" : "");
			add(buf, len, s);
		}
		if (((in->va ^ in->phys) & (SZ_2M - 1)))
			add(buf, len, "VA and phys are not congruent modulo 2M");
	} else if (!exp_huge && got_huge) {
		add(buf, len, "huge entries inserted where the model expected none: check caps/max_level reported by the module and the THP mode");
	} else if (exp_huge != got_huge) {
		add(buf, len, "huge entry count differs: the module's eligibility rules (VMA bounds, pfn alignment, max_level) disagree with the model");
	}
	if (exp->fallback != got->fallback && (!exp_huge || got_huge))
		add(buf, len, "fallbacks depend on whether the first/last 2M/1G region is shared with another mapping (page-table entry not none: no ->huge_fault call) and on stale page tables; see check.model.*_shared (neighbours)");
	if (got->faults[0] > exp->faults[0] && !got_huge && exp_huge)
		add(buf, len, "the whole mapping was faulted at PTE level");
	if (exp->pages != got->pages && !strstr(buf, "huge"))
		add(buf, len, "pages made present differ from the pages touched");
}
