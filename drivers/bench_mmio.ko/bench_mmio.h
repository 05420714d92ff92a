/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_mmio.h - internals shared by the core (core.c) and the population
 * strategies (strategy_*.c) of the bench_mmio module.
 */
#ifndef _BENCH_MMIO_H
#define _BENCH_MMIO_H

#include <linux/kconfig.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pgtable.h>
#include <linux/rwsem.h>

#include "conftest.h"
#include "bench_mmio_uapi.h"

#ifndef PMD_ORDER
#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#endif
#ifndef PUD_ORDER
#define PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)
#endif

/* ->huge_fault exists, with one of its two prototypes. */
#if defined(HAVE_HUGE_FAULT_PE_SIZE) || defined(HAVE_HUGE_FAULT_ORDER)
#define BENCH_MMIO_HUGE_FAULT		1
#else
#define BENCH_MMIO_HUGE_FAULT		0
#endif

/* vmf_insert_pfn_pmd() is declared and built into this kernel. */
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && \
	(defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T) || \
	 defined(HAVE_VMF_INSERT_PFN_PMD_PFN))
#define BENCH_MMIO_INSERT_PMD		1
#else
#define BENCH_MMIO_INSERT_PMD		0
#endif

/* vmf_insert_pfn_pud() is declared and built into this kernel. */
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && \
	IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD) && \
	(defined(HAVE_VMF_INSERT_PFN_PUD_PFN_T) || \
	 defined(HAVE_VMF_INSERT_PFN_PUD_PFN))
#define BENCH_MMIO_INSERT_PUD		1
#else
#define BENCH_MMIO_INSERT_PUD		0
#endif

/**
 * struct bench_mmio_dev - the backing and its access state
 * @lock: held for read while a fault inserts entries, for write by
 *	BENCH_MMIO_REVOKE and _RESTORE (vfio-pci's memory_lock).
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
};

/**
 * struct bench_mmio_pcpu_stats - one CPU's share of struct bench_mmio_stats
 * @faults: faults that inserted an entry, by level.
 * @fallbacks: huge faults declined at a level the strategy wanted.
 * @pages: 4K pages made present.
 * @sigbus: faults answered with SIGBUS.
 * @zaps: BENCH_MMIO_ZAP and _REVOKE calls.
 * @mmaps: successful mmap() calls.
 * @insert_errors: faults whose insertion failed.
 */
struct bench_mmio_pcpu_stats {
	u64 faults[BENCH_MMIO_NR_LEVELS];
	u64 fallbacks[BENCH_MMIO_NR_LEVELS];
	u64 pages;
	u64 sigbus;
	u64 zaps;
	u64 mmaps;
	u64 insert_errors;
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
 * @nr_vmas: live VMAs made from this file.  Goes from zero to one only in
 *	->mmap under @lock; ->open (fork, split) only copies a live VMA.
 * @stats: per-CPU statistics.
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
	atomic_t nr_vmas;
	struct bench_mmio_pcpu_stats __percpu *stats;
};

/**
 * struct bench_mmio_strategy - how a mapping is populated
 * @name: the name used by the strategy= module parameter.
 * @max_level: the largest BENCH_MMIO_LEVEL_* the strategy inserts.  The core
 *	gives VMAs of a strategy whose @max_level is BENCH_MMIO_LEVEL_PTE
 *	vm_ops without ->huge_fault.
 * @mmap: optional; called at the end of ->mmap, once the VMA is set up
 *	(flags, vm_page_prot, vm_private_data, vm_ops).  Runs under the mmap
 *	write lock.
 * @fault: handles a fault at @level: ->fault calls it with
 *	BENCH_MMIO_LEVEL_PTE, ->huge_fault with the PMD or PUD level.  Runs
 *	under the mmap read lock or the per-VMA lock.  Returns a vm_fault_t
 *	(VM_FAULT_FALLBACK to decline a huge level).
 */
struct bench_mmio_strategy {
	const char *name;
	enum bench_mmio_level max_level;
	int (*mmap)(struct bench_mmio_file *bf, struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf, enum bench_mmio_level level);
};

extern const struct bench_mmio_strategy bench_mmio_strategy_remap;
extern const struct bench_mmio_strategy bench_mmio_strategy_pte;
extern const struct bench_mmio_strategy bench_mmio_strategy_bulk;
extern const struct bench_mmio_strategy bench_mmio_strategy_pmd;
extern const struct bench_mmio_strategy bench_mmio_strategy_pud;

vm_fault_t bench_mmio_insert(struct vm_fault *vmf, enum bench_mmio_level level);

/* Count @n into this CPU's @field of @bf's statistics. */
#define bench_mmio_count(bf, field, n)	this_cpu_add((bf)->stats->field, (n))

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
