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

const unsigned int theory_strategy_level[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_LEVEL)
};
const unsigned int theory_strategy_populate[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_POPULATE)
};

static const uint64_t level_size[BENCH_MMIO_NR_LEVELS] = { SZ_4K, SZ_2M, SZ_1G };

uint64_t theory_align(unsigned int strategy, unsigned int align, uint64_t length)
{
	switch (align) {
	case BENCH_MMIO_ALIGN_PMD:
		return SZ_2M;
	case BENCH_MMIO_ALIGN_PUD:
		return SZ_1G;
	case BENCH_MMIO_ALIGN_AUTO:
		if (strategy >= BENCH_MMIO_NR_STRATEGIES)
			return 0;
		for (unsigned int l = theory_strategy_level[strategy]; l > BENCH_MMIO_LEVEL_PTE; l--)
			if (level_size[l] <= length)
				return level_size[l];
		return 0;
	default:
		return 0;
	}
}

/* The VA the model assumes: the one the mapping asked for (see theory_in.align). */
static uint64_t model_va(const struct theory_in *in)
{
	if (!in->align)
		return in->va;
	return in->va - ((in->va - in->phys) & (in->align - 1));
}

static bool eligible(const struct theory_in *in, uint64_t va, uint64_t region,
		     unsigned int level)
{
	uint64_t size = level_size[level];

	if (in->max_level < level)
		return false;
	if (region < va || region + size > va + in->length)
		return false;
	return ((va ^ in->phys) & (size - 1)) == 0;
}

/* First fault in the region at r reaches ->huge_fault at this level? */
static bool called(const struct theory_in *in, uint64_t va, uint64_t r, unsigned int level)
{
	uint64_t size = level_size[level];

	if (r == align_down(va, size) && in->busy_lo[level])
		return false;
	if (r == align_down(va + in->length - 1, size) && in->busy_hi[level])
		return false;
	return true;
}

/*
 * Regions [lo, hi) at @level and below, in ascending order: the core asks
 * ->huge_fault at @level when it supports huge pfnmaps there and the
 * strategy's vm_ops has ->huge_fault; the module inserts the entry when the
 * region is eligible, else counts a fallback if the strategy wants @level,
 * and the core goes down a level for the region.
 */
/*
 * A zap window [lo, hi) of VAs (struct theory_out's refault mode): the
 * layout is the fresh one; only leaves that meet the window count, and a
 * region that went down a level holds a table, so the refault offers it to
 * no ->huge_fault and counts no fallback.
 */
struct window {
	uint64_t lo, hi;
};

static uint64_t overlap(uint64_t a, uint64_t b, const struct window *w)
{
	uint64_t lo = a > w->lo ? a : w->lo, hi = b < w->hi ? b : w->hi;

	return hi > lo ? hi - lo : 0;
}

static void descend(const struct theory_in *in, uint64_t va, unsigned int level,
		    uint64_t lo, uint64_t hi, const bool core[], const struct window *w,
		    struct theory_out *out)
{
	uint64_t size = level_size[level];
	unsigned int want = theory_strategy_level[in->strategy];
	/* under the per-VMA lock a PTE-bound 2M region is offered twice */
	unsigned int calls = level == BENCH_MMIO_LEVEL_PMD &&
			     (in->caps & BENCH_MMIO_CAP_VMA_LOCK) ? 2 : 1;

	if (level == BENCH_MMIO_LEVEL_PTE) {
		uint64_t n = (w ? overlap(lo, hi, w) : hi - lo) / SZ_4K;

		out->faults[BENCH_MMIO_LEVEL_PTE] += n;
		out->pages += n;
		return;
	}
	for (uint64_t r = align_down(lo, size); r < hi; r += size) {
		uint64_t rlo = r < lo ? lo : r, rhi = r + size > hi ? hi : r + size;

		if (core[level] && want >= BENCH_MMIO_LEVEL_PMD && called(in, va, r, level)) {
			if (want >= level && eligible(in, va, r, level)) {
				if (!w || overlap(r, r + size, w)) {
					out->faults[level]++;
					out->pages += size / SZ_4K;
				}
				continue;
			}
			if (want >= level && !w)
				out->fallbacks[level] += calls;
		}
		descend(in, va, level - 1, rlo, rhi, core, w, out);
	}
}

void theory_neighbour(struct theory_in *in, uint64_t s, uint64_t e)
{
	uint64_t va = in->va, end = in->va + in->length;

	if (s < end && e > va)
		return;		/* the mapping itself */
	for (int l = BENCH_MMIO_LEVEL_PMD; l < BENCH_MMIO_NR_LEVELS; l++) {
		uint64_t lo = align_down(va, level_size[l]);
		uint64_t hi = align_down(end + level_size[l] - 1, level_size[l]);

		if (s < va && e > lo)
			in->busy_lo[l] = true;
		if (s < hi && e > end)
			in->busy_hi[l] = true;
	}
}

bool theory_aligned(const struct theory_in *in)
{
	if (!in->align)
		return true;
	/* Without the hook nothing aligns the mapping: a congruent VA is luck. */
	if (!(in->features & BENCH_MMIO_FEAT_GET_UNMAPPED_AREA))
		return false;
	return !((in->va ^ in->phys) & (in->align - 1));
}

static int expect(const struct theory_in *in, const struct window *w, struct theory_out *out)
{
	uint64_t n = in->length / SZ_4K, va = model_va(in);
	bool huge_ok = in->thp != THEORY_THP_DENY;
	bool core[BENCH_MMIO_NR_LEVELS] = {
		true,
		huge_ok && (in->caps & BENCH_MMIO_CAP_CORE_PMD),
		huge_ok && (in->caps & BENCH_MMIO_CAP_CORE_PUD),
	};

	memset(out, 0, sizeof(*out));
	if (in->strategy >= BENCH_MMIO_NR_STRATEGIES)
		return -1;
	switch (theory_strategy_populate[in->strategy]) {
	case BENCH_MMIO_POPULATE_MMAP:
		/* populated in ->mmap; after a zap one PTE per fault */
		if (w) {
			out->faults[BENCH_MMIO_LEVEL_PTE] = overlap(va, va + in->length, w) / SZ_4K;
			out->pages = out->faults[BENCH_MMIO_LEVEL_PTE];
		} else {
			out->pages = n;
		}
		return 0;
	case BENCH_MMIO_POPULATE_VMA:
		/* the first fault (after a zap: the first one in it) inserts the VMA */
		if (n && (!w || overlap(va, va + in->length, w))) {
			out->faults[BENCH_MMIO_LEVEL_PTE] = 1;
			out->pages = n;
		}
		return 0;
	case BENCH_MMIO_POPULATE_FAULT:
		break;
	default:
		return -1;
	}
	if (n)
		descend(in, va, BENCH_MMIO_LEVEL_PUD, va, va + in->length, core, w, out);
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
	char s[512];

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
	if (!theory_aligned(in)) {
		bool congruent = !((in->va ^ in->phys) & (in->align - 1));

		snprintf(s, sizeof(s),
			 "the mapping asked for %lluK alignment (align=%s) and got VA 0x%llx, %scongruent to phys 0x%llx modulo it%s",
			 (unsigned long long)(in->align >> 10), align_name ? align_name : "?",
			 (unsigned long long)in->va, congruent ? "" : "not ",
			 (unsigned long long)in->phys,
			 in->features & BENCH_MMIO_FEAT_GET_UNMAPPED_AREA ? "" :
			 congruent ? " by chance only: the module was built without its get_unmapped_area hook (module.features lacks get_unmapped_area), so nothing aligned it" :
			 ": the module was built without its get_unmapped_area hook (module.features lacks get_unmapped_area; conftest found no usable mm_get_unmapped_area() in this kernel's headers)");
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

int theory_expect(const struct theory_in *in, struct theory_out *out)
{
	return expect(in, NULL, out);
}

int theory_refault(const struct theory_in *in, uint64_t off, uint64_t len, struct theory_out *out)
{
	uint64_t o = off < in->length ? off : in->length;
	uint64_t l = len < in->length - o ? len : in->length - o;
	/* in the model's VA, as theory_expect() lays the mapping out */
	struct window w = { .lo = model_va(in) + o, .hi = model_va(in) + o + l };

	return expect(in, &w, out);
}

int theory_zap_widen(const struct theory_zap *z, uint64_t *off, uint64_t *len)
{
	uint64_t lo, hi, elo, ehi, end = z->phys_base + z->backing_size;

	if (!z->length || z->offset > z->backing_size || z->length > z->backing_size - z->offset)
		return -1;
	*off = z->offset;
	*len = z->length;
	if (!z->guard || !z->pud_vmas)
		return 0;
	lo = z->phys_base + z->offset;
	hi = lo + z->length;
	elo = align_down(lo, SZ_1G);
	ehi = align_down(hi + SZ_1G - 1, SZ_1G);
	if (elo == lo && ehi == hi)
		return 0;			/* cuts no extent */
	if (elo < z->phys_base)
		elo = z->phys_base;
	if (ehi > end)
		ehi = end;
	*off = elo - z->phys_base;
	*len = ehi - elo;
	return *off != z->offset || *len != z->length;
}
