/* SPDX-License-Identifier: GPL-2.0 */
/* tlb.h - data of the tlb benchmark, split from the measuring code for tests. */
#ifndef BENCH_TLB_H
#define BENCH_TLB_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench_mmio_uapi.h"

/*
 * The census check of a pfnmap after a fresh populate: leaves per level
 * against the module's fault counters (strategies that fault each entry in),
 * or PTE leaves against pages (remap populates in mmap, bulk in its first
 * fault); every page of the range mapped.  census NULL: unavailable (why).
 */
json_t *tlb_census_check_json(unsigned int strategy, uint64_t size,
			      const struct bench_mmio_census *census, const char *why,
			      const struct bench_mmio_stats *st);

/* Working sets of a run: nodes 4, 8, 16, ... below total, then total. */
unsigned int tlb_points(uint64_t total_nodes, uint64_t *nodes, unsigned int max);

#endif
