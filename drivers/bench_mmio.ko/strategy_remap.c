// SPDX-License-Identifier: GPL-2.0
/*
 * remap: io_remap_pfn_range() of the whole VMA in ->mmap, as vfio-pci did
 * until 6.9.  All PTEs exist before mmap() returns; faults happen only after
 * a zap, and insert one PTE each.
 *
 * The populate runs before the core links the VMA into the file's i_mmap
 * tree, so a BENCH_MMIO_REVOKE racing with mmap() can miss it: the race that
 * made vfio-pci move to fault-time insertion.
 */
#include <linux/mm.h>

#include "bench_mmio.h"

static int remap_mmap(struct bench_mmio_file *bf, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	int ret;

	/* Revoked: populate nothing; faults will answer SIGBUS. */
	if (!bench_mmio_access_begin(bf))
		return 0;
	ret = io_remap_pfn_range(vma, vma->vm_start,
				 bench_mmio_pfn(vma, vma->vm_start), size,
				 vma->vm_page_prot);
	bench_mmio_access_end(bf);

	if (!ret)
		bench_mmio_count(bf, pages, size >> PAGE_SHIFT);
	return ret;
}

static vm_fault_t remap_fault(struct vm_fault *vmf, enum bench_mmio_level level)
{
	return bench_mmio_insert(vmf, BENCH_MMIO_LEVEL_PTE);
}

const struct bench_mmio_strategy bench_mmio_strategy_remap = {
	.mmap = remap_mmap,
	.fault = remap_fault,
};
