// SPDX-License-Identifier: GPL-2.0
/*
 * bench_mmio - map device memory (VM_PFNMAP) into user space the ways
 * drivers have done it, and count what the core mm asks of the driver, so
 * that fault latency, TLB reach and zap cost can be measured per technique
 * and per kernel.
 *
 * The backing (backing.c) is a PCI BAR or a physical range outside System
 * RAM.  /dev/bench_mmio is mapped with mmap(MAP_SHARED); the file offset is
 * the offset in the backing.  Each open file has its own strategy, alignment
 * policy, cache mode and statistics (bench_mmio_uapi.h), and the statistics
 * can be mapped read-only at a file offset above the backing.
 *
 * The strategies retrace how vfio-pci maps a BAR:
 *  - remap: io_remap_pfn_range() of the whole VMA in ->mmap.  Everything is
 *    present at once, but a VMA being created escapes a concurrent zap.
 *  - vfio-pci then remapped the whole VMA from ->fault, which was wrong:
 *    remap_pfn_range() calls vm_flags_set(), which needs the mmap write lock
 *    that a fault does not hold.  Not reproduced here.
 *  - pte: one vmf_insert_pfn() per fault, which needs no VMA flag changes.
 *  - bulk: the first fault inserts every page of the VMA.
 *  - pmd, pud: 6.12's core mm calls ->huge_fault for VM_PFNMAP VMAs
 *    (CONFIG_ARCH_SUPPORTS_{PMD,PUD}_PFNMAP), and vfio-pci inserts 2M and 1G
 *    entries from it.  6.1's core only calls ->huge_fault for DAX, so there
 *    these strategies get one PTE per ->fault, and GET_INFO's max_level says
 *    so.
 *
 * What depends on the kernel version is in compat.h.  The strategies are
 * the lines of BENCH_MMIO_STRATEGIES() in the uapi header: the table below,
 * their names and their levels expand it.  A strategy (strategy_<name>.c)
 * only decides what to insert at which level, through bench_mmio_insert(),
 * which checks the alignment and the revocation the way vfio-pci's fault
 * handler does.
 *
 * Locking: the device's rw_semaphore is taken for read around every
 * insertion and for write by REVOKE and RESTORE, so that no fault can insert
 * a pfn after REVOKE's zap.  A file's mutex orders the SET ioctls against
 * mmap(); it nests inside the mmap lock and is never held across a user
 * copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/pci.h>
#include <linux/processor.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/memtype.h>
#endif

#include "bench_mmio.h"

/* The strategies, their names and their largest levels, by id. */
#define BENCH_MMIO_X_OPS(id, name, level, populate) \
	[BENCH_MMIO_STRATEGY_##id] = &bench_mmio_strategy_##name,
static const struct bench_mmio_strategy *const
bench_mmio_strategies[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_OPS)
};

static const char *const bench_mmio_strategy_names[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_NAME)
};

static const enum bench_mmio_level
bench_mmio_strategy_levels[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_LEVEL)
};

/* " remap pte ...": the names as one string literal, for messages. */
#define BENCH_MMIO_X_LIST(id, name, level, populate)	" " #name
#define BENCH_MMIO_STRATEGY_LIST	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_LIST)

static struct bench_mmio_dev bench_mmio;

/* Module parameters. */

static unsigned int bench_mmio_default_strategy = BENCH_MMIO_STRATEGY_PUD;

static int bench_mmio_strategy_set(const char *val,
				   const struct kernel_param *kp)
{
	int id = sysfs_match_string(bench_mmio_strategy_names, val);

	if (id < 0) {
		pr_err("strategy=%s: unknown, expected one of:"
		       BENCH_MMIO_STRATEGY_LIST "\n", val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = id;
	return 0;
}

static int bench_mmio_strategy_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n",
			 bench_mmio_strategy_names[*(unsigned int *)kp->arg]);
}

static const struct kernel_param_ops bench_mmio_strategy_ops = {
	.set = bench_mmio_strategy_set,
	.get = bench_mmio_strategy_get,
};

module_param_cb(strategy, &bench_mmio_strategy_ops,
		&bench_mmio_default_strategy, 0444);
MODULE_PARM_DESC(strategy,
		 "default strategy of a new file, one of:" BENCH_MMIO_STRATEGY_LIST " (default pud)");

/* What this kernel, this build and this CPU can do. */

static unsigned int bench_mmio_level_order(enum bench_mmio_level level)
{
	switch (level) {
	case BENCH_MMIO_LEVEL_PMD:
		return PMD_ORDER;
	case BENCH_MMIO_LEVEL_PUD:
		return PUD_ORDER;
	default:
		return 0;
	}
}

static bool bench_mmio_cpu_has(enum bench_mmio_level level)
{
#ifdef CONFIG_X86
	switch (level) {
	case BENCH_MMIO_LEVEL_PMD:
		return boot_cpu_has(X86_FEATURE_PSE);
	case BENCH_MMIO_LEVEL_PUD:
		/* The core mm never checks this before ->huge_fault(PUD). */
		return boot_cpu_has(X86_FEATURE_GBPAGES);
	default:
		return true;
	}
#else
	return true;
#endif
}

/* The core mm calls ->huge_fault at @level for a VM_PFNMAP VMA. */
static bool bench_mmio_core_faults(enum bench_mmio_level level)
{
	switch (level) {
	case BENCH_MMIO_LEVEL_PMD:
		return BENCH_MMIO_HUGE_FAULT &&
		       IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP);
	case BENCH_MMIO_LEVEL_PUD:
		return BENCH_MMIO_HUGE_FAULT &&
		       IS_ENABLED(CONFIG_ARCH_SUPPORTS_PUD_PFNMAP);
	default:
		return true;
	}
}

/* This build can insert an entry at @level. */
static bool bench_mmio_can_insert(enum bench_mmio_level level)
{
	switch (level) {
	case BENCH_MMIO_LEVEL_PMD:
		return BENCH_MMIO_INSERT_PMD;
	case BENCH_MMIO_LEVEL_PUD:
		return BENCH_MMIO_INSERT_PUD;
	default:
		return true;
	}
}

/*
 * The largest level that strategy @id can deliver here, given aligned
 * addresses and pfns: its own level, lowered to what the core mm, the
 * insert helpers and the CPU allow.
 */
static enum bench_mmio_level bench_mmio_max_level(unsigned int id)
{
	enum bench_mmio_level level = bench_mmio_strategy_levels[id];

	while (level > BENCH_MMIO_LEVEL_PTE &&
	       !(bench_mmio_core_faults(level) && bench_mmio_can_insert(level) &&
		 bench_mmio_cpu_has(level)))
		level--;
	return level;
}

static u64 bench_mmio_caps(void)
{
	u64 caps = 0;

	if (bench_mmio_cpu_has(BENCH_MMIO_LEVEL_PMD))
		caps |= BENCH_MMIO_CAP_CPU_PMD;
	if (bench_mmio_cpu_has(BENCH_MMIO_LEVEL_PUD))
		caps |= BENCH_MMIO_CAP_CPU_PUD;
	if (bench_mmio_core_faults(BENCH_MMIO_LEVEL_PMD))
		caps |= BENCH_MMIO_CAP_CORE_PMD;
	if (bench_mmio_core_faults(BENCH_MMIO_LEVEL_PUD))
		caps |= BENCH_MMIO_CAP_CORE_PUD;
	if (bench_mmio_can_insert(BENCH_MMIO_LEVEL_PMD))
		caps |= BENCH_MMIO_CAP_INSERT_PMD;
	if (bench_mmio_can_insert(BENCH_MMIO_LEVEL_PUD))
		caps |= BENCH_MMIO_CAP_INSERT_PUD;
#ifdef CONFIG_X86
	if (pat_enabled())
		caps |= BENCH_MMIO_CAP_PAT;
#endif
	if (IS_ENABLED(CONFIG_PER_VMA_LOCK))
		caps |= BENCH_MMIO_CAP_VMA_LOCK;
	return caps;
}

/* What conftest.sh found and this build compiled in. */
static u64 bench_mmio_features(void)
{
	u64 features = BENCH_MMIO_FEAT_MAY_SPLIT | BENCH_MMIO_FEAT_STATS_PAGE |
		       BENCH_MMIO_FEAT_FAULT_DELAY;

	if (BENCH_MMIO_HUGE_FAULT)
		features |= BENCH_MMIO_FEAT_HUGE_FAULT;
	if (BENCH_MMIO_GET_UNMAPPED_AREA)
		features |= BENCH_MMIO_FEAT_GET_UNMAPPED_AREA;
	if (BENCH_MMIO_VMA_START_WRITE)
		features |= BENCH_MMIO_FEAT_VMA_START_WRITE;
	if (BENCH_MMIO_VM_FLAGS_SET)
		features |= BENCH_MMIO_FEAT_VM_FLAGS_SET;
	if (BENCH_MMIO_CENSUS_WALK)
		features |= BENCH_MMIO_FEAT_CENSUS;
	if (BENCH_MMIO_ACCESS)
		features |= BENCH_MMIO_FEAT_ACCESS;
	return features | BENCH_MMIO_FEAT_GUARDS;
}

/*
 * The guards whose kernel bug can happen here (a new file's guards): the
 * PUD ones where a strategy can map PUDs, the PAT one where x86 PAT tracks
 * a remap_pfn_range() VMA as one reservation.
 */
static u64 bench_mmio_guards_default(void)
{
	u64 guards = 0;
	unsigned int i;

	for (i = 0; i < BENCH_MMIO_NR_STRATEGIES; i++)
		if (bench_mmio_max_level(i) == BENCH_MMIO_LEVEL_PUD)
			guards |= BENCH_MMIO_GUARD_SPLIT_PUD |
				  BENCH_MMIO_GUARD_ZAP_WIDEN |
				  BENCH_MMIO_GUARD_MREMAP;
	if ((bench_mmio_caps() & BENCH_MMIO_CAP_PAT) && !BENCH_MMIO_PFNMAP_TRACK)
		guards |= BENCH_MMIO_GUARD_REMAP_SPLIT;
	return guards;
}

/* The largest level of @bf's strategy; stable while @bf has mappings. */
static enum bench_mmio_level bench_mmio_file_level(struct bench_mmio_file *bf)
{
	return bench_mmio_strategy_levels[bf->strategy_id];
}

/* @bf's mappings may hold PUD entries on this kernel. */
static bool bench_mmio_file_may_pud(struct bench_mmio_file *bf)
{
	return bench_mmio_max_level(bf->strategy_id) == BENCH_MMIO_LEVEL_PUD;
}

static const struct vm_operations_struct bench_mmio_pud_vm_ops;

/*
 * @vma may hold PUD entries: mapped by a file that may insert them, at
 * least 1G long when it was mapped.  Its pieces after a split or a move
 * inherit the ops, so that counting by ops in ->open and ->close stays
 * balanced (a piece smaller than 1G is counted too, which is only cautious).
 */
static bool bench_mmio_vma_may_pud(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &bench_mmio_pud_vm_ops;
}

/* Insertion, for the strategies. */

/**
 * bench_mmio_insert() - map the faulting address with one entry of a level
 * @vmf: the fault, in a VMA of /dev/bench_mmio.
 * @level: BENCH_MMIO_LEVEL_PTE from ->fault; PMD or PUD from ->huge_fault.
 *
 * Inserts the entry of @level that covers the faulting address, as
 * vfio-pci's fault handler does: the entry must lie wholly inside the VMA
 * and its pfn must be aligned to its size, else the fault falls back to the
 * next level.  Under the device lock, a revoked device answers SIGBUS.
 *
 * Counts a fault and the pages it made present, a fallback at @level, a
 * SIGBUS or an insert error into the file the VMA was made from.
 *
 * Return: VM_FAULT_NOPAGE when the entry was inserted (or already there),
 * VM_FAULT_FALLBACK when @level does not fit, VM_FAULT_SIGBUS when access is
 * revoked, or the insert helper's error.
 */
vm_fault_t bench_mmio_insert(struct vm_fault *vmf, enum bench_mmio_level level)
{
	struct vm_area_struct *vma = vmf->vma;
	struct bench_mmio_file *bf = vma->vm_private_data;
	unsigned int order = bench_mmio_level_order(level);
	unsigned long size = PAGE_SIZE << order;
	unsigned long addr = ALIGN_DOWN(vmf->address, size);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	unsigned long pfn;
	vm_fault_t ret;

	if (!bench_mmio_can_insert(level) || !bench_mmio_cpu_has(level))
		goto fallback;
	if (addr < vma->vm_start || vma->vm_end - addr < size)
		goto fallback;
	pfn = bench_mmio_pfn(vma, addr);
	if (!IS_ALIGNED(pfn, 1UL << order))
		goto fallback;

	if (!bench_mmio_access_begin(bf)) {
		bench_mmio_count(bf, sigbus, 1);
		return VM_FAULT_SIGBUS;
	}
	switch (level) {
	case BENCH_MMIO_LEVEL_PMD:
		ret = bench_mmio_vmf_insert_pmd(vmf, pfn, write);
		break;
	case BENCH_MMIO_LEVEL_PUD:
		ret = bench_mmio_vmf_insert_pud(vmf, pfn, write);
		break;
	default:
		ret = vmf_insert_pfn(vma, addr, pfn);
		break;
	}
	bench_mmio_access_end(bf);

	if (ret == VM_FAULT_NOPAGE) {
		bench_mmio_count(bf, faults[level], 1);
		bench_mmio_count(bf, pages, 1UL << order);
	} else {
		bench_mmio_count(bf, insert_errors, 1);
	}
	return ret;

fallback:
	bench_mmio_count(bf, fallbacks[level], 1);
	return VM_FAULT_FALLBACK;
}

/* vm_operations_struct */

/*
 * ->open from copy_vma(): mremap() moves @vma's range.  ->open comes before
 * the copy is linked into the mm and before move_page_tables(); a split
 * (the source still covers the range) and fork (another mm) never get here.
 */
static bool bench_mmio_vma_is_moving(struct vm_area_struct *vma)
{
	return vma->vm_mm == current->mm &&
	       !find_vma_intersection(vma->vm_mm, vma->vm_start, vma->vm_end);
}

/**
 * bench_mmio_guard_mremap() - BENCH_MMIO_GUARD_MREMAP: zap before a move
 * @new: the copy of the VMA that mremap() is about to move.
 *
 * move_page_tables() takes a PUD leaf of a pfnmap for a bad PUD (6.12 to
 * 7.3-rc: "bad pud", the entry is cleared without a TLB flush, and another
 * CPU keeps reading the old range).  So zap the source first, under the
 * mmap write lock that mremap() holds; it refaults at its new place.  The
 * source is the part of a VMA of the same file that maps @new's offsets
 * (the whole VMA, or part of one that mremap() splits only after the
 * move); a second mapping of those offsets in this mm is zapped too, which
 * only costs refaults.
 */
static void bench_mmio_guard_mremap(struct vm_area_struct *new)
{
	struct bench_mmio_file *bf = new->vm_private_data;
	unsigned long pages = vma_pages(new);
	struct vm_area_struct *old;
	VMA_ITERATOR(vmi, new->vm_mm, 0);

	mmap_assert_write_locked(new->vm_mm);
	for_each_vma(vmi, old) {
		if (old->vm_file != new->vm_file ||
		    new->vm_pgoff < old->vm_pgoff ||
		    new->vm_pgoff + pages > old->vm_pgoff + vma_pages(old))
			continue;
		bench_mmio_vma_start_write(old);
		bench_mmio_zap_vma(old, old->vm_start +
				   ((new->vm_pgoff - old->vm_pgoff) << PAGE_SHIFT),
				   pages << PAGE_SHIFT);
		bench_mmio_count(bf, guard_zaps, 1);
	}
}

/* ->open: a VMA was copied (fork), split off, or moved (mremap). */
static void bench_mmio_vm_open(struct vm_area_struct *vma)
{
	struct bench_mmio_file *bf = vma->vm_private_data;

	atomic_inc(&bf->nr_vmas);
	if (!bench_mmio_vma_may_pud(vma))
		return;
	atomic_inc(&bf->dev->nr_pud_vmas);
	if ((bf->guards & BENCH_MMIO_GUARD_MREMAP) &&
	    bench_mmio_vma_is_moving(vma))
		bench_mmio_guard_mremap(vma);
}

static void bench_mmio_vm_close(struct vm_area_struct *vma)
{
	struct bench_mmio_file *bf = vma->vm_private_data;

	if (bench_mmio_vma_may_pud(vma))
		atomic_dec(&bf->dev->nr_pud_vmas);
	atomic_dec(&bf->nr_vmas);
}

/*
 * BENCH_MMIO_SET_FAULT_DELAY's busy-wait.  From 10 us up, on the clock that
 * user space's CLOCK_MONOTONIC reads rather than ndelay(), whose loop is only
 * as long as the delay calibration says (a TCG guest's can be off): so the
 * delay is a lower bound that a test can check.  Below, the clock's own cost
 * would dominate (two ktime_get_ns() cost ~0.5 us under TCG, more than the
 * +5% a comparison is validated with): ndelay()'s cheaper TSC loop, whose
 * length scripts/validate measures rather than trusts.  Preemption only
 * lengthens either.
 */
#define BENCH_MMIO_FAULT_DELAY_CLOCK_NS	10000

static void __cold bench_mmio_fault_delay(unsigned int ns)
{
	u64 end;

	if (ns < BENCH_MMIO_FAULT_DELAY_CLOCK_NS) {
		ndelay(ns);
		return;
	}
	end = ktime_get_ns() + ns;
	while (ktime_get_ns() < end)
		cpu_relax();
}

/**
 * bench_mmio_vm_fault() - ->fault: the PTE level
 * @vmf: the fault.
 *
 * Reached for every fault of the remap (after a zap), pte and bulk
 * strategies, and for pmd and pud when ->huge_fault fell back or, as on 6.1,
 * is never called for a VM_PFNMAP VMA.  Busy-waits the file's fault delay
 * first, as ->huge_fault does: the core's dispatch, so every strategy gets it.
 *
 * Return: the strategy's answer for BENCH_MMIO_LEVEL_PTE.
 */
static vm_fault_t bench_mmio_vm_fault(struct vm_fault *vmf)
{
	struct bench_mmio_file *bf = vmf->vma->vm_private_data;

	if (unlikely(bf->fault_delay_ns))
		bench_mmio_fault_delay(bf->fault_delay_ns);
	return bf->strategy->fault(vmf, BENCH_MMIO_LEVEL_PTE);
}

/**
 * bench_mmio_vm_huge_fault() - ->huge_fault: the PMD and PUD levels
 * @vmf: the fault.
 * @arg: the entry size the core mm asks for (compat.h decodes it).
 *
 * Only VMAs of strategies whose level is above BENCH_MMIO_LEVEL_PTE have
 * this method.  The core mm asks for a PUD first, then a PMD, then calls
 * ->fault.
 *
 * Return: the strategy's answer at that level; VM_FAULT_FALLBACK, without
 * counting a fallback, for a level above the strategy's (the pmd strategy
 * never wanted a PUD) or a size the module does not insert.
 */
static vm_fault_t __maybe_unused
bench_mmio_vm_huge_fault(struct vm_fault *vmf, bench_mmio_huge_fault_arg arg)
{
	struct bench_mmio_file *bf = vmf->vma->vm_private_data;
	enum bench_mmio_level level = bench_mmio_huge_fault_level(arg);

	if (unlikely(bf->fault_delay_ns))
		bench_mmio_fault_delay(bf->fault_delay_ns);
	if (level > bench_mmio_file_level(bf))
		return VM_FAULT_FALLBACK;
	return bf->strategy->fault(vmf, level);
}

/**
 * bench_mmio_vm_may_split() - ->may_split: the guards of a VMA split
 * @vma: a VMA of the backing, about to be split.
 * @addr: the address of the split.
 *
 * BENCH_MMIO_GUARD_REMAP_SPLIT: where x86 PAT reserved the memory type of
 * a remap VMA as a whole, refuse the split (munmap(), mprotect(), mremap()
 * of part of it: EINVAL) rather than have the kernel free a reservation
 * that does not exist and leak the real one.
 *
 * BENCH_MMIO_GUARD_SPLIT_PUD: a split at an address that is not 2M aligned
 * makes the core split the huge entry there with split_huge_pmd_address(),
 * whose mm_find_pmd() takes a present PUD entry for a PMD table: on a 1G
 * pfnmap entry it dereferences device memory as page tables and the kernel
 * crashes (Debian 6.12.117, 7.2.13, 7.3-rc7: munmap(), mprotect(),
 * madvise() or mremap() of part of a PUD-mapped region).  So when the 1G
 * region around @addr may hold a PUD entry, zap it first; it refaults with
 * PMDs once it spans two VMAs.
 * The core write-locks the VMA only after this hook: lock it now, so that
 * no fault under the per-VMA lock can insert the PUD again between the zap
 * and the split.
 *
 * Return: 0, the split may go on; -EINVAL, refused.
 */
static int bench_mmio_vm_may_split(struct vm_area_struct *vma,
				   unsigned long addr)
{
	struct bench_mmio_file *bf = vma->vm_private_data;
	unsigned long start = ALIGN_DOWN(addr, PUD_SIZE);

	if ((bf->guards & BENCH_MMIO_GUARD_REMAP_SPLIT) &&
	    bf->strategy_id == BENCH_MMIO_STRATEGY_REMAP) {
		bench_mmio_count(bf, splits_refused, 1);
		return -EINVAL;
	}
	if (!(bf->guards & BENCH_MMIO_GUARD_SPLIT_PUD) ||
	    !bench_mmio_vma_may_pud(vma) ||
	    IS_ALIGNED(addr, PUD_SIZE) || start < vma->vm_start ||
	    start + PUD_SIZE > vma->vm_end)
		return 0;
	bench_mmio_vma_start_write(vma);
	bench_mmio_zap_vma(vma, start, PUD_SIZE);
	bench_mmio_count(bf, guard_zaps, 1);
	return 0;
}

/* For strategies that only insert PTEs: no ->huge_fault at all. */
static const struct vm_operations_struct bench_mmio_vm_ops = {
	.open = bench_mmio_vm_open,
	.close = bench_mmio_vm_close,
	.may_split = bench_mmio_vm_may_split,
	.fault = bench_mmio_vm_fault,
	.access = BENCH_MMIO_ACCESS_OP,
};

#define BENCH_MMIO_HUGE_VM_OPS {					\
	.open = bench_mmio_vm_open,					\
	.close = bench_mmio_vm_close,					\
	.may_split = bench_mmio_vm_may_split,				\
	.fault = bench_mmio_vm_fault,					\
	.huge_fault = BENCH_MMIO_HUGE_FAULT_OP(bench_mmio_vm_huge_fault), \
	.access = BENCH_MMIO_ACCESS_OP,					\
}

static const struct vm_operations_struct bench_mmio_huge_vm_ops =
	BENCH_MMIO_HUGE_VM_OPS;

/*
 * The same ops at another address, which marks VMAs that may hold PUD
 * entries (bench_mmio_vma_may_pud()).
 */
static const struct vm_operations_struct bench_mmio_pud_vm_ops =
	BENCH_MMIO_HUGE_VM_OPS;

/* A mapping of the backing made from any open file of the device. */
bool bench_mmio_vma_is_backing(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &bench_mmio_vm_ops ||
	       vma->vm_ops == &bench_mmio_huge_vm_ops ||
	       vma->vm_ops == &bench_mmio_pud_vm_ops;
}

/*
 * The statistics mapping.  Its pages are ordinary (vmalloc) pages, handed to
 * the core by ->fault, so that it refaults after fork and needs no
 * VM_PFNMAP; it has no ->open/->close because it is not a mapping of the
 * backing and must not count as one.
 */
static vm_fault_t bench_mmio_stats_fault(struct vm_fault *vmf)
{
	struct bench_mmio_file *bf = vmf->vma->vm_private_data;
	unsigned long first = BENCH_MMIO_STATS_OFFSET >> PAGE_SHIFT;
	unsigned long index = vmf->pgoff - first;
	struct page *page;

	if (vmf->pgoff < first || index >= bf->stats_size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page((void *)bf->stats + (index << PAGE_SHIFT));
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct bench_mmio_stats_vm_ops = {
	.fault = bench_mmio_stats_fault,
};

/* file_operations */

static int bench_mmio_open(struct inode *inode, struct file *file)
{
	struct bench_mmio_file *bf;

	bf = kzalloc(sizeof(*bf), GFP_KERNEL);
	if (!bf)
		return -ENOMEM;
	/* Slots are indexed by CPU id, and every id is below nr_cpu_ids. */
	bf->stats_size = PAGE_ALIGN(nr_cpu_ids * sizeof(*bf->stats));
	bf->stats = vmalloc_user(bf->stats_size);
	if (!bf->stats) {
		kfree(bf);
		return -ENOMEM;
	}
	bf->dev = &bench_mmio;
	mutex_init(&bf->lock);
	bf->strategy_id = bench_mmio_default_strategy;
	bf->strategy = bench_mmio_strategies[bf->strategy_id];
	bf->align = BENCH_MMIO_ALIGN_AUTO;
	bf->cache = BENCH_MMIO_CACHE_UC;
	bf->guards = bench_mmio_guards_default();
	atomic_set(&bf->nr_vmas, 0);
	file->private_data = bf;
	/* Map through the device's own address_space, whatever the node. */
	file->f_mapping = bench_mmio.inode->i_mapping;

	return nonseekable_open(inode, file);
}

static int bench_mmio_release(struct inode *inode, struct file *file)
{
	struct bench_mmio_file *bf = file->private_data;

	mutex_destroy(&bf->lock);
	vfree(bf->stats);
	kfree(bf);
	return 0;
}

/*
 * ->mmap of the statistics: read-only for good (no VM_MAYWRITE, so that
 * mprotect() cannot add PROT_WRITE), of exactly info.stats_size bytes.
 */
static int bench_mmio_stats_mmap(struct bench_mmio_file *bf,
				 struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start != bf->stats_size)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	bench_mmio_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYWRITE);
	vma->vm_private_data = bf;
	vma->vm_ops = &bench_mmio_stats_vm_ops;
	return 0;
}

/**
 * bench_mmio_mmap() - ->mmap: set up a mapping of the backing or statistics
 * @file: an open file of /dev/bench_mmio.
 * @vma: the new VMA; vm_pgoff is the page offset in the backing, or
 *	BENCH_MMIO_STATS_OFFSET's for the statistics mapping.
 *
 * Makes @vma a VM_PFNMAP mapping with the file's cache mode and strategy.
 * Nothing is populated, except by the remap strategy.  The VMA counts into
 * @file's statistics and live mappings; the statistics mapping does not.
 *
 * Return: 0; -EINVAL for a private (copy-on-write) mapping, which a
 * fault-time pfnmap cannot honour, for a range past the end of the backing,
 * or for a statistics mapping of the wrong size; -EACCES for a writable
 * statistics mapping; or the strategy's error.
 */
static int bench_mmio_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct bench_mmio_file *bf = file->private_data;
	u64 backing_pages = bf->dev->size >> PAGE_SHIFT;
	const struct bench_mmio_strategy *strategy;
	int ret = 0;

	if (bench_mmio_vma_is_cow(vma))
		return -EINVAL;
	if (((u64)vma->vm_pgoff << PAGE_SHIFT) == BENCH_MMIO_STATS_OFFSET)
		return bench_mmio_stats_mmap(bf, vma);
	if (vma->vm_pgoff >= backing_pages ||
	    vma_pages(vma) > backing_pages - vma->vm_pgoff)
		return -EINVAL;

	mutex_lock(&bf->lock);
	strategy = bf->strategy;

	/*
	 * Set the final protection here, not later: Debian's 6.12 inserts
	 * PUDs with vma->vm_page_prot rather than the looked-up memory type.
	 */
	if (bf->cache == BENCH_MMIO_CACHE_WC)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	else
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	bench_mmio_vm_flags_mod(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				VM_DONTDUMP, 0);
	vma->vm_private_data = bf;
	if (bench_mmio_file_may_pud(bf) &&
	    vma->vm_end - vma->vm_start >= PUD_SIZE)
		vma->vm_ops = &bench_mmio_pud_vm_ops;
	else if (bench_mmio_file_level(bf) > BENCH_MMIO_LEVEL_PTE)
		vma->vm_ops = &bench_mmio_huge_vm_ops;
	else
		vma->vm_ops = &bench_mmio_vm_ops;

	if (strategy->mmap)
		ret = strategy->mmap(bf, vma);
	if (!ret) {
		atomic_inc(&bf->nr_vmas);
		/* Before the VMA is linked where a fault or a zap finds it. */
		if (bench_mmio_vma_may_pud(vma))
			atomic_inc(&bf->dev->nr_pud_vmas);
		bench_mmio_count(bf, mmaps, 1);
	}
	mutex_unlock(&bf->lock);
	return ret;
}

/* The alignment @bf's policy asks for a mapping of @len bytes, or 0. */
static unsigned long bench_mmio_align_size(struct bench_mmio_file *bf,
					   unsigned long len)
{
	enum bench_mmio_level level;

	switch (bf->align) {
	case BENCH_MMIO_ALIGN_PMD:
		return PMD_SIZE;
	case BENCH_MMIO_ALIGN_PUD:
		return PUD_SIZE;
	case BENCH_MMIO_ALIGN_AUTO:
		/*
		 * The strategy's own largest level, not what this kernel can
		 * deliver: a 6.1 and a 6.12 run then map the same addresses,
		 * and only the kernel differs.
		 */
		for (level = bench_mmio_file_level(bf);
		     level > BENCH_MMIO_LEVEL_PTE; level--) {
			if ((PAGE_SIZE << bench_mmio_level_order(level)) <= len)
				return PAGE_SIZE << bench_mmio_level_order(level);
		}
		return 0;
	default:
		return 0;
	}
}

/**
 * bench_mmio_get_unmapped_area() - ->get_unmapped_area: place a mapping
 * @file: an open file of /dev/bench_mmio.
 * @addr: the hint, or the address for MAP_FIXED.
 * @len: bytes to map.
 * @pgoff: page offset in the backing.
 * @flags: the mmap flags.
 *
 * With an alignment policy, returns an address congruent to the physical
 * address of @pgoff modulo the alignment, so that PMD or PUD entries can map
 * the range, found the way thp_get_unmapped_area() does: ask the default for
 * @len plus the alignment and take the first suitable address in it.
 * MAP_FIXED, BENCH_MMIO_ALIGN_NONE, a mapping too small for AUTO to align,
 * no room for the padding, and the statistics mapping get the default.
 *
 * Installed only when compat.h can reach the default (else SET_ALIGN is
 * accepted but mappings get the default, and GET_INFO's features say so).
 *
 * Return: the address, or a negative errno from the default.
 */
static unsigned long __maybe_unused
bench_mmio_get_unmapped_area(struct file *file, unsigned long addr,
			     unsigned long len, unsigned long pgoff,
			     unsigned long flags)
{
	struct bench_mmio_file *bf = file->private_data;
	unsigned long align, ret;
	u64 phys;

	if ((flags & MAP_FIXED) || (u64)pgoff << PAGE_SHIFT >= bf->dev->size)
		return bench_mmio_default_area(file, addr, len, pgoff, flags);

	mutex_lock(&bf->lock);
	align = bench_mmio_align_size(bf, len);
	mutex_unlock(&bf->lock);
	if (!align || len + align < len)
		return bench_mmio_default_area(file, addr, len, pgoff, flags);

	ret = bench_mmio_default_area(file, addr, len + align, pgoff, flags);
	if (IS_ERR_VALUE(ret))
		return bench_mmio_default_area(file, addr, len, pgoff, flags);

	/* Only the low bits matter: an overflowing shift is harmless. */
	phys = bf->dev->phys_base + ((u64)pgoff << PAGE_SHIFT);
	return ret + ((phys - ret) & (align - 1));
}

/* ioctls */

static long bench_mmio_get_info(struct bench_mmio_file *bf,
				struct bench_mmio_info __user *uinfo)
{
	struct bench_mmio_dev *bm = bf->dev;
	struct bench_mmio_info info;
	unsigned int i;

	memset(&info, 0, sizeof(info));
	info.abi_version = BENCH_MMIO_ABI_VERSION;
	info.nr_strategies = BENCH_MMIO_NR_STRATEGIES;
	info.backing_kind = bm->kind;
	info.phys_base = bm->phys_base;
	info.size = bm->size;
	if (bm->pdev) {
		info.pci_domain = pci_domain_nr(bm->pdev->bus);
		info.pci_bus = bm->pdev->bus->number;
		info.pci_devfn = bm->pdev->devfn;
		info.pci_bar = bm->bar;
		info.pci_vendor = bm->pdev->vendor;
		info.pci_device = bm->pdev->device;
	}
	info.caps = bench_mmio_caps();
	info.features = bench_mmio_features();
	/* Every strategy on every kernel: max_level says what it delivers. */
	info.strategies = GENMASK_ULL(BENCH_MMIO_NR_STRATEGIES - 1, 0);
	for (i = 0; i < BENCH_MMIO_NR_STRATEGIES; i++)
		info.max_level[i] = bench_mmio_max_level(i);

	mutex_lock(&bf->lock);
	info.strategy = bf->strategy_id;
	info.align = bf->align;
	info.cache = bf->cache;
	info.guards = bf->guards;
	mutex_unlock(&bf->lock);
	info.guards_default = bench_mmio_guards_default();

	info.default_strategy = bench_mmio_default_strategy;
	down_read(&bm->lock);
	info.revoked = bm->revoked;
	up_read(&bm->lock);
	info.page_shift = PAGE_SHIFT;
	info.pmd_shift = PMD_SHIFT;
	info.pud_shift = PUD_SHIFT;
	info.stats_offset = BENCH_MMIO_STATS_OFFSET;
	info.stats_size = bf->stats_size;
	info.stats_slots = nr_cpu_ids;

	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/*
 * BENCH_MMIO_SET_STRATEGY, _SET_ALIGN, _SET_CACHE, _SET_FAULT_DELAY,
 * _SET_GUARDS.
 * Refused with EINVAL for non-zero flags or an out-of-range value, and EBUSY
 * while the file has mappings of the backing (the statistics mapping does
 * not count).
 */
static long bench_mmio_set(struct bench_mmio_file *bf, unsigned int cmd,
			   struct bench_mmio_set __user *uset)
{
	struct bench_mmio_set set;
	unsigned int *field, nr;
	long ret = 0;

	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (set.flags)
		return -EINVAL;

	switch (cmd) {
	case BENCH_MMIO_SET_STRATEGY:
		field = &bf->strategy_id;
		nr = BENCH_MMIO_NR_STRATEGIES;
		break;
	case BENCH_MMIO_SET_ALIGN:
		field = &bf->align;
		nr = BENCH_MMIO_NR_ALIGNS;
		break;
	case BENCH_MMIO_SET_CACHE:
		field = &bf->cache;
		nr = BENCH_MMIO_NR_CACHES;
		break;
	case BENCH_MMIO_SET_GUARDS:
		field = &bf->guards;
		nr = BENCH_MMIO_GUARDS_ALL + 1;	/* every mask of known bits */
		break;
	default:
		field = &bf->fault_delay_ns;
		nr = BENCH_MMIO_MAX_FAULT_DELAY_NS + 1;
		break;
	}
	if (set.value >= nr)
		return -EINVAL;

	/*
	 * A read-only argument fails before anything changes (not under
	 * @bf->lock: ->mmap takes it under the mmap lock, which a fault on
	 * @uset takes).  Only an argument unmapped by another thread between
	 * here and the final put_user() gets EFAULT with the value set.
	 */
	if (put_user(set.old, &uset->old))
		return -EFAULT;

	mutex_lock(&bf->lock);
	if (atomic_read(&bf->nr_vmas)) {
		ret = -EBUSY;
	} else {
		set.old = *field;
		*field = set.value;
		if (cmd == BENCH_MMIO_SET_STRATEGY)
			bf->strategy = bench_mmio_strategies[set.value];
	}
	mutex_unlock(&bf->lock);
	if (ret)
		return ret;

	if (put_user(set.old, &uset->old))
		return -EFAULT;
	return 0;
}

/* Every member of struct bench_mmio_stats is a __u64 counter. */
#define BENCH_MMIO_STATS_WORDS	(sizeof(struct bench_mmio_stats) / sizeof(u64))

/* BENCH_MMIO_GET_STATS: the sum of the slots. */
static long bench_mmio_get_stats(struct bench_mmio_file *bf,
				 struct bench_mmio_stats __user *ustats)
{
	const u64 *slot = (const u64 *)bf->stats;
	struct bench_mmio_stats stats;
	u64 *sum = (u64 *)&stats;
	unsigned int cpu, i;

	memset(&stats, 0, sizeof(stats));
	for (cpu = 0; cpu < nr_cpu_ids; cpu++, slot += BENCH_MMIO_STATS_WORDS)
		for (i = 0; i < BENCH_MMIO_STATS_WORDS; i++)
			sum[i] += READ_ONCE(slot[i]);

	if (copy_to_user(ustats, &stats, sizeof(stats)))
		return -EFAULT;
	return 0;
}

/*
 * BENCH_MMIO_RESET_STATS.  Word by word, so that a reader of the mapping
 * never sees a torn counter; counts made meanwhile may be lost.
 */
static void bench_mmio_reset_stats(struct bench_mmio_file *bf)
{
	u64 *word = (u64 *)bf->stats;
	size_t i;

	for (i = 0; i < nr_cpu_ids * BENCH_MMIO_STATS_WORDS; i++)
		WRITE_ONCE(word[i], 0);
}

/*
 * BENCH_MMIO_GUARD_ZAP_WIDEN: @range, grown to the 1G extents of the
 * backing's physical addresses that it cuts, when a VMA of the device may
 * hold PUD entries.  unmap_mapping_range() over part of a PUD leaf splits
 * it without the mmap lock (6.12: WARNING in unmap_page_range()); a fixed
 * kernel clears the whole leaf.  Called with the device lock held for
 * write, so that no VMA that may hold a PUD gets one meanwhile.
 */
static bool bench_mmio_zap_widen(struct bench_mmio_dev *bm,
				 struct bench_mmio_range *range)
{
	u64 start = bm->phys_base + range->offset;
	u64 end = start + range->length;

	if (!atomic_read(&bm->nr_pud_vmas))
		return false;
	start = max_t(u64, ALIGN_DOWN(start, PUD_SIZE), bm->phys_base);
	end = min_t(u64, ALIGN(end, PUD_SIZE), bm->phys_base + bm->size);
	if (start == bm->phys_base + range->offset &&
	    end - start == range->length)
		return false;
	range->offset = start - bm->phys_base;
	range->length = end - start;
	return true;
}

/*
 * BENCH_MMIO_ZAP: unmap_mapping_range() of a page-aligned range of the
 * backing in every mapping of the device, with faults held off as REVOKE
 * does.  EINVAL for non-zero flags, an unaligned range or one that is not
 * inside the backing.
 */
static long bench_mmio_zap(struct file *file,
			   struct bench_mmio_range __user *urange)
{
	struct bench_mmio_file *bf = file->private_data;
	struct bench_mmio_dev *bm = bf->dev;
	u64 size = bm->size;
	struct bench_mmio_range range;
	bool widened = false;

	if (copy_from_user(&range, urange, sizeof(range)))
		return -EFAULT;
	if (range.flags)
		return -EINVAL;
	if (!PAGE_ALIGNED(range.offset) || !PAGE_ALIGNED(range.length))
		return -EINVAL;
	if (range.offset >= size)
		return -EINVAL;
	if (!range.length)
		range.length = size - range.offset;
	else if (range.length > size - range.offset)
		return -EINVAL;

	down_write(&bm->lock);
	if (bf->guards & BENCH_MMIO_GUARD_ZAP_WIDEN)
		widened = bench_mmio_zap_widen(bm, &range);
	unmap_mapping_range(file->f_mapping, range.offset, range.length, 1);
	up_write(&bm->lock);

	bench_mmio_count(bf, zaps, 1);
	if (widened)
		bench_mmio_count(bf, zaps_widened, 1);
	return 0;
}

/*
 * BENCH_MMIO_REVOKE / BENCH_MMIO_RESTORE: vfio-pci's pattern around a reset.
 * Once the lock is held for write no fault is inserting; a revoke then zaps
 * every entry of the backing, and faults answer SIGBUS until the restore.
 * Only [0, size): the statistics mapping, above it, stays.
 */
static long bench_mmio_set_revoked(struct file *file, bool revoke)
{
	struct bench_mmio_file *bf = file->private_data;
	struct bench_mmio_dev *bm = bf->dev;

	down_write(&bm->lock);
	bm->revoked = revoke;
	if (revoke)
		unmap_mapping_range(file->f_mapping, 0, bm->size, 1);
	up_write(&bm->lock);

	if (revoke)
		bench_mmio_count(bf, zaps, 1);
	return 0;
}

/**
 * bench_mmio_ioctl() - ->unlocked_ioctl
 * @file: an open file of /dev/bench_mmio.
 * @cmd: a BENCH_MMIO_* command of bench_mmio_uapi.h.
 * @arg: its argument, a user pointer or nothing.
 *
 * Return: 0 or a negative errno: -ENOTTY for an unknown command, -EFAULT
 * for a bad pointer, -EINVAL for a bad value or non-zero flags, -EBUSY for
 * a SET while the file has mappings of the backing, -EINTR for a CENSUS
 * killed while it waited for the mmap lock.
 */
static long bench_mmio_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct bench_mmio_file *bf = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BENCH_MMIO_GET_INFO:
		return bench_mmio_get_info(bf, uarg);
	case BENCH_MMIO_SET_STRATEGY:
	case BENCH_MMIO_SET_ALIGN:
	case BENCH_MMIO_SET_CACHE:
	case BENCH_MMIO_SET_FAULT_DELAY:
	case BENCH_MMIO_SET_GUARDS:
		return bench_mmio_set(bf, cmd, uarg);
	case BENCH_MMIO_GET_STATS:
		return bench_mmio_get_stats(bf, uarg);
	case BENCH_MMIO_RESET_STATS:
		bench_mmio_reset_stats(bf);
		return 0;
	case BENCH_MMIO_ZAP:
		return bench_mmio_zap(file, uarg);
	case BENCH_MMIO_REVOKE:
		return bench_mmio_set_revoked(file, true);
	case BENCH_MMIO_RESTORE:
		return bench_mmio_set_revoked(file, false);
	case BENCH_MMIO_CENSUS:
		return bench_mmio_census(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bench_mmio_fops = {
	.owner = THIS_MODULE,
	.open = bench_mmio_open,
	.release = bench_mmio_release,
	.mmap = bench_mmio_mmap,
	.get_unmapped_area =
		BENCH_MMIO_GET_UNMAPPED_AREA_OP(bench_mmio_get_unmapped_area),
	.unlocked_ioctl = bench_mmio_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice bench_mmio_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &bench_mmio_fops,
	.mode = 0600,
};

/* A pseudo filesystem for the device's private inode, as vfio has. */
#define BENCH_MMIO_FS_MAGIC	0x626d6d69	/* "bmmi" */

static struct vfsmount *bench_mmio_fs_mnt;
static int bench_mmio_fs_count;

static int bench_mmio_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, BENCH_MMIO_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * No .owner: the only mount is the internal one pinned from module init to
 * module exit, and with an owner it would hold a reference on this module
 * and make it impossible to unload.  The type is never registered, so
 * nothing else can mount it.
 */
static struct file_system_type bench_mmio_fs_type = {
	.name = "bench_mmio",
	.init_fs_context = bench_mmio_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static int bench_mmio_inode_new(void)
{
	struct inode *inode;
	int ret;

	ret = simple_pin_fs(&bench_mmio_fs_type, &bench_mmio_fs_mnt,
			    &bench_mmio_fs_count);
	if (ret)
		return ret;
	inode = alloc_anon_inode(bench_mmio_fs_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		simple_release_fs(&bench_mmio_fs_mnt, &bench_mmio_fs_count);
		return PTR_ERR(inode);
	}
	bench_mmio.inode = inode;
	return 0;
}

static void bench_mmio_inode_put(void)
{
	iput(bench_mmio.inode);
	simple_release_fs(&bench_mmio_fs_mnt, &bench_mmio_fs_count);
}

static int __init bench_mmio_init(void)
{
	int ret;

	BUILD_BUG_ON(BENCH_MMIO_NR_STRATEGIES > BENCH_MMIO_MAX_STRATEGIES);
	/* One slot per cache line pair: no false sharing between CPUs. */
	BUILD_BUG_ON(sizeof(struct bench_mmio_stats) != 256);
	BUILD_BUG_ON(sizeof(struct bench_mmio_stats) % sizeof(u64));

	init_rwsem(&bench_mmio.lock);
	ret = bench_mmio_backing_claim(&bench_mmio);
	if (ret)
		return ret;

	ret = bench_mmio_inode_new();
	if (ret) {
		pr_err("cannot create the device's inode: %d\n", ret);
		goto err_backing;
	}
	ret = misc_register(&bench_mmio_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", bench_mmio_misc.name,
		       ret);
		goto err_inode;
	}
	return 0;

err_inode:
	bench_mmio_inode_put();
err_backing:
	bench_mmio_backing_release(&bench_mmio);
	return ret;
}
module_init(bench_mmio_init);

static void __exit bench_mmio_exit(void)
{
	misc_deregister(&bench_mmio_misc);
	bench_mmio_inode_put();
	bench_mmio_backing_release(&bench_mmio);
}
module_exit(bench_mmio_exit);

MODULE_DESCRIPTION("Benchmark of device memory (VM_PFNMAP) mappings");
MODULE_LICENSE("GPL");
