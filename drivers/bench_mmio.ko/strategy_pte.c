// SPDX-License-Identifier: GPL-2.0
/*
 * pte: one vmf_insert_pfn() per fault, as vfio-pci did in 6.10 before it
 * began to populate the whole VMA.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

static vm_fault_t pte_fault(struct vm_fault *vmf, enum bench_mmio_level level)
{
	return bench_mmio_insert(vmf, BENCH_MMIO_LEVEL_PTE);
}

const struct bench_mmio_strategy bench_mmio_strategy_pte = {
	.fault = pte_fault,
};
