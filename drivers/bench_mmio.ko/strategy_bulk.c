// SPDX-License-Identifier: GPL-2.0
/*
 * bulk: a fault inserts the faulting page, then every other page of the VMA,
 * as vfio-pci did from 6.10 ("vfio/pci: Insert full vma on mmapped MMIO
 * fault") until huge_fault replaced it.  It counts as one fault that made
 * the whole VMA present.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "bench_mmio.h"

/* Pages inserted between two looks at the scheduler and at fatal signals. */
#define BULK_BATCH	512

static vm_fault_t bulk_fault(struct vm_fault *vmf, enum bench_mmio_level level)
{
	struct vm_area_struct *vma = vmf->vma;
	struct bench_mmio_file *bf = vma->vm_private_data;
	unsigned long fault_addr = vmf->address & PAGE_MASK;
	unsigned long addr, pages = 0;
	vm_fault_t ret;

	if (!bench_mmio_access_begin(bf)) {
		bench_mmio_count(bf, sigbus, 1);
		return VM_FAULT_SIGBUS;
	}

	/* The faulting page first: the access can go on whatever follows. */
	ret = vmf_insert_pfn(vma, fault_addr, bench_mmio_pfn(vma, fault_addr));
	if (ret != VM_FAULT_NOPAGE)
		goto out;
	pages++;

	/* vmf_insert_pfn() leaves an existing PTE alone and succeeds. */
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		if (addr == fault_addr)
			continue;
		if (vmf_insert_pfn(vma, addr, bench_mmio_pfn(vma, addr)) !=
		    VM_FAULT_NOPAGE)
			break;
		if (!(++pages % BULK_BATCH)) {
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		}
	}
out:
	bench_mmio_access_end(bf);

	if (pages) {
		bench_mmio_count(bf, faults[BENCH_MMIO_LEVEL_PTE], 1);
		bench_mmio_count(bf, pages, pages);
	} else {
		bench_mmio_count(bf, insert_errors, 1);
	}
	return ret;
}

const struct bench_mmio_strategy bench_mmio_strategy_bulk = {
	.fault = bulk_fault,
};
