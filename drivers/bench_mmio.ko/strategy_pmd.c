// SPDX-License-Identifier: GPL-2.0
/*
 * pmd: ->huge_fault inserts a 2M PMD when the address and the pfn allow it,
 * else falls back to one PTE per ->fault.  Its level in
 * BENCH_MMIO_STRATEGIES() keeps the core from asking it for a PUD.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

const struct bench_mmio_strategy bench_mmio_strategy_pmd = {
	.fault = bench_mmio_insert,
};
