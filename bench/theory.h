/* SPDX-License-Identifier: GPL-2.0 */
/*
 * theory.h - what the module's counters should read after one ascending
 * 4K-stride touch of a fresh mapping, under the kernel's fault order.
 */
#ifndef BENCH_THEORY_H
#define BENCH_THEORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_mmio_uapi.h"

#define SZ_4K	(1ULL << 12)
#define SZ_2M	(1ULL << 21)
#define SZ_1G	(1ULL << 30)

enum theory_thp {
	THEORY_THP_UNKNOWN = 0,	/* treated as allowing huge faults */
	THEORY_THP_ALLOW,	/* enabled=always, or madvise + MADV_HUGEPAGE */
	THEORY_THP_DENY,	/* enabled=never, or madvise without it */
};

struct theory_in {
	unsigned int strategy;		/* BENCH_MMIO_STRATEGY_* */
	uint64_t va, length, phys;	/* mapping start, bytes, phys of va */
	/*
	 * The alignment the mapping asked the module for (theory_align()), 0
	 * for none.  The model assumes the mapping got it: a VA that is not
	 * congruent to phys modulo align is modelled as the congruent VA just
	 * below, so a module that failed to align shows as a mismatch.
	 */
	uint64_t align;
	uint64_t features;		/* info.features, for the explanation */
	unsigned int max_level;		/* info.max_level[strategy] */
	uint64_t caps;			/* info.caps */
	enum theory_thp thp;
	/*
	 * Another mapping shares the PMD-/PUD-sized region holding the first
	 * (lo) or last (hi) byte of the mapping, so that region's page-table
	 * entry is not none and the core skips ->huge_fault there.
	 */
	bool busy_lo[BENCH_MMIO_NR_LEVELS], busy_hi[BENCH_MMIO_NR_LEVELS];
};

struct theory_out {
	uint64_t faults[BENCH_MMIO_NR_LEVELS];
	uint64_t fallbacks[BENCH_MMIO_NR_LEVELS];
	uint64_t fallback;		/* sum of fallbacks[] */
	uint64_t pages;
};

/* From BENCH_MMIO_STRATEGIES(): the strategy's own largest level and populate kind. */
extern const unsigned int theory_strategy_level[BENCH_MMIO_NR_STRATEGIES];
extern const unsigned int theory_strategy_populate[BENCH_MMIO_NR_STRATEGIES];

/*
 * The alignment in bytes that the module's get_unmapped_area hook gives a
 * mapping of @length with alignment policy @align (BENCH_MMIO_ALIGN_*) and
 * @strategy: none 0, pmd 2M, pud 1G, auto the largest page of the
 * strategy's own level that fits in @length (0 if none does).
 */
uint64_t theory_align(unsigned int strategy, unsigned int align, uint64_t length);

/* Pure: fills *out; returns 0, or -1 for an invalid input (bad strategy). */
int theory_expect(const struct theory_in *in, struct theory_out *out);

/*
 * After theory_expect()'s populate, a zap of the mapping's bytes [off,
 * off + len) (clipped to it) and one more ascending touch of the whole
 * mapping: the faults of that refault.  Every leaf the zap meets is cleared
 * whole (a partial zap of a huge leaf clears it, as the core does for a
 * pfnmap), so it refaults at its level; a region the populate took down a
 * level keeps its table, so the refault offers it to no ->huge_fault and
 * counts no fallback.  remap: one PTE fault per zapped page; bulk: one
 * fault that inserts the whole VMA again.  0, or -1 (bad strategy).
 */
int theory_refault(const struct theory_in *in, uint64_t off, uint64_t len, struct theory_out *out);

/*
 * The range a BENCH_MMIO_ZAP actually zaps under BENCH_MMIO_GUARD_ZAP_WIDEN
 * (uapi "guards"): with the guard on and a VMA of the device that may hold
 * PUD entries, a range that cuts a 1G extent of the backing (physical
 * address, 1G aligned) grows to whole extents, clipped to the backing.
 */
struct theory_zap {
	uint64_t phys_base, backing_size;	/* info.phys_base, info.size */
	uint64_t offset, length;		/* asked: backing offset, bytes */
	bool guard;				/* GUARD_ZAP_WIDEN on for the file */
	bool pud_vmas;				/* a VMA of the device may hold PUDs (the
						 * module: of a strategy whose max_level
						 * is pud, 1G or longer) */
};

/* 1: widened, 0: not (*off, *len the range asked), -1: not a valid range. */
int theory_zap_widen(const struct theory_zap *z, uint64_t *off, uint64_t *len);

/*
 * Another VMA [start, end) exists (from /proc/self/maps): mark the PMD/PUD
 * regions at either end of the mapping that it shares (busy_lo/busy_hi).
 * The mapping's own VMA is ignored.
 */
void theory_neighbour(struct theory_in *in, uint64_t start, uint64_t end);

/* Did the mapping get the alignment it asked for (in->align)? */
bool theory_aligned(const struct theory_in *in);

/* Largest power of two <= 1G that divides a (1G for 0). */
uint64_t addr_align(uint64_t a);

/*
 * Explain a mismatch between expected and measured counters, or a mapping
 * that did not get the alignment it asked for, in words (for
 * run.check.explanation).  thp_enabled/align_name may be NULL.
 */
void theory_explain(const struct theory_in *in, const struct theory_out *exp,
		    const struct theory_out *got, const char *thp_enabled,
		    const char *align_name, char *buf, size_t len);

#endif
