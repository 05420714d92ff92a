// SPDX-License-Identifier: GPL-2.0
/*
 * pud: ->huge_fault inserts a 1G PUD, else a 2M PMD, else ->fault inserts a
 * PTE, as vfio-pci does since 6.12.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

static vm_fault_t pud_fault(struct vm_fault *vmf, enum bench_mmio_level level)
{
	return bench_mmio_insert(vmf, level);
}

const struct bench_mmio_strategy bench_mmio_strategy_pud = {
	.name = "pud",
	.max_level = BENCH_MMIO_LEVEL_PUD,
	.fault = pud_fault,
};
