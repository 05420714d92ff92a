// SPDX-License-Identifier: GPL-2.0
/*
 * pud: ->huge_fault inserts a 1G PUD, else a 2M PMD, else ->fault inserts a
 * PTE, as vfio-pci does since 6.12.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

const struct bench_mmio_strategy bench_mmio_strategy_pud = {
	.fault = bench_mmio_insert,
};
