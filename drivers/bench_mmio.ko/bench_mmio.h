/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_mmio.h - internals shared by the core (core.c) and the population
 * strategies (strategy_*.c) of the bench_mmio module.
 */
#ifndef _BENCH_MMIO_H
#define _BENCH_MMIO_H

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rwsem.h>
#include <linux/smp.h>

#include "compat.h"
#include "bench_mmio_uapi.h"

/*
 * File offset of the statistics mapping (DOC: the statistics mapping):
 * constant, and far above any backing, which claiming refuses to reach.
 */
#define BENCH_MMIO_STATS_OFFSET		(1ULL << 46)

/**
 * struct bench_mmio_dev - the backing and its access state
 * @lock: held for read while a fault inserts entries, for write by
 *	BENCH_MMIO_ZAP, _REVOKE and _RESTORE (vfio-pci's memory_lock).
 * @revoked: faults answer VM_FAULT_SIGBUS; protected by @lock.
 * @phys_base: physical address of offset 0 of the backing.
 * @size: bytes of the backing, a multiple of PAGE_SIZE.
 * @base_pfn: @phys_base >> PAGE_SHIFT.
 * @kind: BENCH_MMIO_BACKING_PCI_BAR or BENCH_MMIO_BACKING_PHYS.
 * @pdev: the PCI device (PCI_BAR backing), with a reference held.
 * @bar: the BAR index (PCI_BAR backing).
 * @res: the claimed iomem resource (PHYS backing).
 * @inode: a private inode whose address_space every open file maps through,
 *	whatever device node it was opened by, so that a zap reaches every
 *	mapping (vfio-pci's per-device inode, /dev/mem's iomem mapping).
 * @nr_pud_vmas: live VMAs whose entries may be PUDs (a file whose strategy
 *	this kernel can map with PUDs); counted in ->mmap before the VMA can
 *	fault, so that a ZAP, which holds @lock for write, sees every VMA that
 *	may hold a PUD entry (BENCH_MMIO_GUARD_ZAP_WIDEN).
 */
struct bench_mmio_dev {
	struct rw_semaphore lock;
	bool revoked;
	phys_addr_t phys_base;
	u64 size;
	unsigned long base_pfn;
	unsigned int kind;
	struct pci_dev *pdev;
	int bar;
	struct resource *res;
	struct inode *inode;
	atomic_t nr_pud_vmas;
};

struct bench_mmio_strategy;

/**
 * struct bench_mmio_file - state of one open file of /dev/bench_mmio
 * @dev: the device.
 * @lock: serialises the SET ioctls against mmap().
 * @strategy: how mappings of this file are populated; protected by @lock,
 *	and stable while @nr_vmas is not zero.
 * @strategy_id: enum bench_mmio_strategy_id of @strategy.
 * @align: enum bench_mmio_align; protected by @lock.
 * @cache: enum bench_mmio_cache; protected by @lock.
 * @fault_delay_ns: BENCH_MMIO_SET_FAULT_DELAY, busy-waited at the start of
 *	every ->fault and ->huge_fault; protected by @lock, and stable while
 *	@nr_vmas is not zero, so that a fault reads it without the lock.
 * @nr_vmas: live VMAs of the backing made from this file (the statistics
 *	mapping not included).  Goes from zero to one only in ->mmap under
 *	@lock; ->open (fork, split) only copies a live VMA.
 * @guards: BENCH_MMIO_GUARD_*; protected by @lock, and stable while
 *	@nr_vmas is not zero.
 * @stats: the statistics, one slot per possible CPU (vmalloc_user(), so
 *	that they can be mapped into user space); a CPU writes only its slot.
 * @stats_size: bytes of @stats, nr_cpu_ids slots rounded up to PAGE_SIZE.
 *
 * A VMA holds a reference to its file, so this outlives every mapping that
 * points at it through vm_private_data.
 */
struct bench_mmio_file {
	struct bench_mmio_dev *dev;
	struct mutex lock;
	const struct bench_mmio_strategy *strategy;
	unsigned int strategy_id;
	unsigned int align;
	unsigned int cache;
	unsigned int fault_delay_ns;
	atomic_t nr_vmas;
	unsigned int guards;
	struct bench_mmio_stats *stats;
	size_t stats_size;
};

/**
 * struct bench_mmio_strategy - how a mapping is populated
 * @mmap: optional; called at the end of ->mmap, once the VMA is set up
 *	(flags, vm_page_prot, vm_private_data, vm_ops).  Runs under the mmap
 *	write lock.
 * @fault: handles a fault at @level: ->fault calls it with
 *	BENCH_MMIO_LEVEL_PTE, ->huge_fault with the PMD or PUD level, never
 *	above the strategy's level.  Runs under the mmap read lock or the
 *	per-VMA lock.  Returns a vm_fault_t (VM_FAULT_FALLBACK to decline a
 *	huge level).
 *
 * The strategy's name and largest level are its line of
 * BENCH_MMIO_STRATEGIES(); the ops are bench_mmio_strategy_<name>, defined
 * in strategy_<name>.c.  The core gives VMAs of a strategy whose level is
 * BENCH_MMIO_LEVEL_PTE vm_ops without ->huge_fault.
 */
struct bench_mmio_strategy {
	int (*mmap)(struct bench_mmio_file *bf, struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf, enum bench_mmio_level level);
};

#define BENCH_MMIO_X_EXTERN(id, name, level, populate) \
	extern const struct bench_mmio_strategy bench_mmio_strategy_##name;
BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_EXTERN)

vm_fault_t bench_mmio_insert(struct vm_fault *vmf, enum bench_mmio_level level);

bool bench_mmio_vma_is_backing(const struct vm_area_struct *vma);
long bench_mmio_census(struct bench_mmio_census __user *ucensus);

int bench_mmio_backing_claim(struct bench_mmio_dev *bm);
void bench_mmio_backing_release(struct bench_mmio_dev *bm);

/**
 * bench_mmio_count() - add to a counter of a file's statistics
 * @bf: the file.
 * @field: a member of struct bench_mmio_stats, e.g. faults[level].
 * @n: what to add.
 *
 * Adds to the current CPU's slot, with preemption disabled so that the slot
 * stays this CPU's: the only writer of a slot is its CPU, and nothing counts
 * from interrupt context, so a plain read-modify-write is enough.
 * WRITE_ONCE() because user space reads the slot concurrently through the
 * statistics mapping.
 */
#define bench_mmio_count(bf, field, n)					\
	do {								\
		struct bench_mmio_stats *__slot;			\
									\
		preempt_disable();					\
		__slot = &(bf)->stats[smp_processor_id()];		\
		WRITE_ONCE(__slot->field, __slot->field + (n));		\
		preempt_enable();					\
	} while (0)

/**
 * bench_mmio_pfn() - the pfn mapped at @addr of @vma
 * @vma: a VMA of /dev/bench_mmio; ->mmap checked that it lies in the backing.
 * @addr: a page-aligned address in @vma.
 *
 * Return: the backing's first pfn plus the page offset of @addr in the file.
 */
static inline unsigned long bench_mmio_pfn(struct vm_area_struct *vma,
					   unsigned long addr)
{
	struct bench_mmio_file *bf = vma->vm_private_data;

	return bf->dev->base_pfn + vma->vm_pgoff +
	       ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/**
 * bench_mmio_access_begin() - enter a section that may insert pfns
 * @bf: the file the mapping was made from.
 *
 * Return: true with the device lock held for read, or false (lock not held)
 * when access is revoked.  A true return must be paired with
 * bench_mmio_access_end().
 */
static inline bool bench_mmio_access_begin(struct bench_mmio_file *bf)
{
	down_read(&bf->dev->lock);
	if (!bf->dev->revoked)
		return true;
	up_read(&bf->dev->lock);
	return false;
}

static inline void bench_mmio_access_end(struct bench_mmio_file *bf)
{
	up_read(&bf->dev->lock);
}

#endif /* _BENCH_MMIO_H */
