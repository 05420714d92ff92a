// SPDX-License-Identifier: GPL-2.0
/*
 * 7.x: pfnmap_track() tracks a pfnmap's memory type per range, so that x86
 * PAT survives a split remap_pfn_range() VMA (before: track_pfn_remap(),
 * one reservation per VMA).  Decides BENCH_MMIO_GUARD_REMAP_SPLIT's default.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>

int conftest_pfnmap_track(unsigned long pfn, pgprot_t *prot);
int conftest_pfnmap_track(unsigned long pfn, pgprot_t *prot)
{
	return pfnmap_track(pfn, PAGE_SIZE, prot);
}
