// SPDX-License-Identifier: GPL-2.0
/*
 * pmd: ->huge_fault inserts a 2M PMD when the address and the pfn allow it,
 * else falls back to one PTE per ->fault.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

static vm_fault_t pmd_fault(struct vm_fault *vmf, enum bench_mmio_level level)
{
	/* 1G was never wanted: decline without counting a fallback. */
	if (level == BENCH_MMIO_LEVEL_PUD)
		return VM_FAULT_FALLBACK;
	return bench_mmio_insert(vmf, level);
}

const struct bench_mmio_strategy bench_mmio_strategy_pmd = {
	.name = "pmd",
	.max_level = BENCH_MMIO_LEVEL_PMD,
	.fault = pmd_fault,
};
