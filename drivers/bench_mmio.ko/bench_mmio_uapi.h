/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bench_mmio_uapi.h - private uapi of the bench_mmio test module.
 *
 * Shared, as it is, by the kernel module (drivers/bench_mmio.ko/) and the
 * userspace benchmarks (bench/).  Every field is a __u64 so that the layout is
 * the same for 32- and 64-bit callers; each field says its direction:
 *   in  - written by userspace, read by the module;
 *   out - written by the module.
 * Reserved fields are "in: must be zero" or "out: zero"; a non-zero reserved
 * input is refused with EINVAL so that it can be given a meaning later.
 *
 * Usage: open /dev/bench_mmio (root only), choose a strategy, an alignment and
 * a cache mode with the SET ioctls (before the first mmap of that file), then
 * mmap(MAP_SHARED) a range of the backing: the file offset is the offset in
 * the backing.  Statistics are per open file.
 *
 * Errors (misuse never WARNs):
 *   mmap  EINVAL     MAP_PRIVATE (a fault-based pfnmap cannot COW), or the
 *                    offset/length reaches past the backing
 *   ioctl ENOTTY     unknown command
 *         EINVAL     a value out of range, non-zero flags or reserved input,
 *                    a misaligned or out-of-range ZAP range
 *         EOPNOTSUPP SET_STRATEGY of a strategy this kernel cannot offer
 *         EBUSY      a SET ioctl while the file has mappings
 *         EFAULT     a bad argument pointer
 *   load  ENODEV     no backing (no bar=/phys= and no ivshmem device), no
 *                    such PCI device, or a BAR that is not assigned
 *         EINVAL     a malformed parameter, phys= over System RAM, a BAR
 *                    that is not a prefetchable memory BAR
 *         EBUSY      the region is claimed by another driver
 *         EOPNOTSUPP strategy= names a strategy this kernel cannot offer
 *   A mapping keeps the module loaded (rmmod fails with EBUSY/EWOULDBLOCK).
 *   Faults on a revoked device (BENCH_MMIO_REVOKE) get SIGBUS.
 */
#ifndef _UAPI_BENCH_MMIO_H
#define _UAPI_BENCH_MMIO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BENCH_MMIO_ABI_VERSION		1
#define BENCH_MMIO_DEVICE		"/dev/bench_mmio"

/**
 * enum bench_mmio_strategy_id - how a mapping is populated
 * @BENCH_MMIO_STRATEGY_REMAP: io_remap_pfn_range() of the whole VMA in ->mmap.
 * @BENCH_MMIO_STRATEGY_PTE: vmf_insert_pfn() of one 4K page per ->fault.
 * @BENCH_MMIO_STRATEGY_BULK: the first ->fault inserts every page of the VMA.
 * @BENCH_MMIO_STRATEGY_PMD: ->huge_fault inserts 2M PMDs, falling back to PTE.
 * @BENCH_MMIO_STRATEGY_PUD: ->huge_fault inserts 1G PUDs, then PMDs, then PTEs.
 * @BENCH_MMIO_NR_STRATEGIES: number of strategies.
 */
enum bench_mmio_strategy_id {
	BENCH_MMIO_STRATEGY_REMAP = 0,
	BENCH_MMIO_STRATEGY_PTE = 1,
	BENCH_MMIO_STRATEGY_BULK = 2,
	BENCH_MMIO_STRATEGY_PMD = 3,
	BENCH_MMIO_STRATEGY_PUD = 4,
	BENCH_MMIO_NR_STRATEGIES
};

/**
 * enum bench_mmio_align - virtual address chosen for mmap(NULL, ...)
 * @BENCH_MMIO_ALIGN_AUTO: the largest page size the strategy inserts that
 *	fits in the requested length, whether or not this kernel can deliver
 *	it (so that runs on different kernels map the same addresses).
 * @BENCH_MMIO_ALIGN_NONE: the kernel's default get_unmapped_area(), as for a
 *	driver without a hook (typically only 4K aligned).
 * @BENCH_MMIO_ALIGN_PMD: congruent to the physical address modulo 2M.
 * @BENCH_MMIO_ALIGN_PUD: congruent to the physical address modulo 1G.
 * @BENCH_MMIO_NR_ALIGNS: number of alignment policies.
 *
 * MAP_FIXED addresses are never changed.
 */
enum bench_mmio_align {
	BENCH_MMIO_ALIGN_AUTO = 0,
	BENCH_MMIO_ALIGN_NONE = 1,
	BENCH_MMIO_ALIGN_PMD = 2,
	BENCH_MMIO_ALIGN_PUD = 3,
	BENCH_MMIO_NR_ALIGNS
};

/**
 * enum bench_mmio_cache - memory type requested for the mapping
 * @BENCH_MMIO_CACHE_UC: uncached (pgprot_noncached), as vfio-pci maps BARs.
 * @BENCH_MMIO_CACHE_WC: write-combining (pgprot_writecombine).
 * @BENCH_MMIO_NR_CACHES: number of cache modes.
 *
 * On x86 with PAT, pfns inserted at fault time take the memory type the
 * range already has (UC- for an unreserved MMIO range), whatever is asked.
 */
enum bench_mmio_cache {
	BENCH_MMIO_CACHE_UC = 0,
	BENCH_MMIO_CACHE_WC = 1,
	BENCH_MMIO_NR_CACHES
};

/**
 * enum bench_mmio_level - page-table level of an entry
 * @BENCH_MMIO_LEVEL_PTE: 4K page table entry (order 0).
 * @BENCH_MMIO_LEVEL_PMD: 2M entry (order PMD_SHIFT - PAGE_SHIFT).
 * @BENCH_MMIO_LEVEL_PUD: 1G entry (order PUD_SHIFT - PAGE_SHIFT).
 * @BENCH_MMIO_NR_LEVELS: number of levels.
 */
enum bench_mmio_level {
	BENCH_MMIO_LEVEL_PTE = 0,
	BENCH_MMIO_LEVEL_PMD = 1,
	BENCH_MMIO_LEVEL_PUD = 2,
	BENCH_MMIO_NR_LEVELS
};

/* struct bench_mmio_info.backing_kind */
#define BENCH_MMIO_BACKING_PCI_BAR	1
#define BENCH_MMIO_BACKING_PHYS		2

/* struct bench_mmio_info.caps */
#define BENCH_MMIO_CAP_CPU_PMD		(1ULL << 0) /* CPU has 2M pages */
#define BENCH_MMIO_CAP_CPU_PUD		(1ULL << 1) /* CPU has 1G pages (GBPAGES) */
#define BENCH_MMIO_CAP_CORE_PMD		(1ULL << 2) /* core mm calls ->huge_fault(PMD) on pfnmaps */
#define BENCH_MMIO_CAP_CORE_PUD		(1ULL << 3) /* core mm calls ->huge_fault(PUD) on pfnmaps */
#define BENCH_MMIO_CAP_INSERT_PMD	(1ULL << 4) /* vmf_insert_pfn_pmd() is available */
#define BENCH_MMIO_CAP_INSERT_PUD	(1ULL << 5) /* vmf_insert_pfn_pud() is available */
#define BENCH_MMIO_CAP_PAT		(1ULL << 6) /* x86 PAT is enabled */
#define BENCH_MMIO_CAP_VMA_LOCK		(1ULL << 7) /* faults may run under the per-VMA lock */

/**
 * struct bench_mmio_info - BENCH_MMIO_GET_INFO
 * @abi_version: out: BENCH_MMIO_ABI_VERSION.
 * @backing_kind: out: BENCH_MMIO_BACKING_*.
 * @phys_base: out: physical address of offset 0 of the backing.
 * @size: out: bytes of the backing (the largest mmap offset + length).
 * @pci_domain: out: PCI domain of the BAR (PCI_BAR backing only).
 * @pci_bus: out: PCI bus number.
 * @pci_devfn: out: PCI device and function (PCI_DEVFN() encoding).
 * @pci_bar: out: BAR index.
 * @pci_vendor: out: PCI vendor id.
 * @pci_device: out: PCI device id.
 * @caps: out: BENCH_MMIO_CAP_* of this kernel, build and CPU.
 * @strategies: out: bit N set when strategy N can be selected.
 * @max_level: out: per strategy, the largest BENCH_MMIO_LEVEL_* this kernel
 *	and CPU can deliver for it (given aligned addresses and pfns).
 * @strategy: out: this file's strategy.
 * @align: out: this file's alignment policy.
 * @cache: out: this file's cache mode.
 * @default_strategy: out: the module's default strategy (module parameter).
 * @revoked: out: 1 while access is revoked (BENCH_MMIO_REVOKE).
 * @page_shift: out: PAGE_SHIFT.
 * @pmd_shift: out: PMD_SHIFT.
 * @pud_shift: out: PUD_SHIFT.
 * @reserved: out: zero.
 */
struct bench_mmio_info {
	__u64 abi_version;
	__u64 backing_kind;
	__u64 phys_base;
	__u64 size;
	__u64 pci_domain;
	__u64 pci_bus;
	__u64 pci_devfn;
	__u64 pci_bar;
	__u64 pci_vendor;
	__u64 pci_device;
	__u64 caps;
	__u64 strategies;
	__u64 max_level[BENCH_MMIO_NR_STRATEGIES];
	__u64 strategy;
	__u64 align;
	__u64 cache;
	__u64 default_strategy;
	__u64 revoked;
	__u64 page_shift;
	__u64 pmd_shift;
	__u64 pud_shift;
	__u64 reserved[8];
};

/**
 * struct bench_mmio_set - BENCH_MMIO_SET_STRATEGY, _SET_ALIGN, _SET_CACHE
 * @value: in: the new value (enum bench_mmio_strategy_id, _align, _cache).
 * @flags: in: must be zero.
 * @old: out: the value before the call.
 *
 * Refused with EBUSY while the file has mappings.
 */
struct bench_mmio_set {
	__u64 value;
	__u64 flags;
	__u64 old;
};

/**
 * struct bench_mmio_stats - BENCH_MMIO_GET_STATS
 * @faults: out: faults that inserted an entry, by BENCH_MMIO_LEVEL_*.
 * @fallbacks: out: ->huge_fault calls at a level the strategy wanted that
 *	returned VM_FAULT_FALLBACK (misaligned address or pfn, VMA too small,
 *	no CPU support), by level.  Calls at levels the strategy never uses
 *	(e.g. PUD for the pmd strategy) are not counted.
 * @pages: out: 4K pages covered by successful insertions, by faults and by
 *	mmap (remap, bulk); a page already present counts again (bulk after
 *	a partial zap).
 * @sigbus: out: faults answered with SIGBUS (access revoked).
 * @zaps: out: BENCH_MMIO_ZAP and BENCH_MMIO_REVOKE calls made through
 *	this file.
 * @mmaps: out: successful mmap() calls of this file.
 * @insert_errors: out: faults whose insertion failed (VM_FAULT_OOM etc.).
 * @reserved: out: zero.
 *
 * Counted per open file: a mapping counts into the file it was made from.
 */
struct bench_mmio_stats {
	__u64 faults[BENCH_MMIO_NR_LEVELS];
	__u64 fallbacks[BENCH_MMIO_NR_LEVELS];
	__u64 pages;
	__u64 sigbus;
	__u64 zaps;
	__u64 mmaps;
	__u64 insert_errors;
	__u64 reserved[7];
};

/**
 * struct bench_mmio_range - BENCH_MMIO_ZAP
 * @offset: in: byte offset in the backing, page aligned.
 * @length: in: bytes, page aligned; 0 means up to the end of the backing.
 * @flags: in: must be zero.
 *
 * Zaps (unmap_mapping_range(), even_cows) the range in every mapping of the
 * device, as a driver does before it resets or moves its BAR.  Later
 * accesses fault again.
 */
struct bench_mmio_range {
	__u64 offset;
	__u64 length;
	__u64 flags;
};

#define BENCH_MMIO_IOC_MAGIC		'B'

/* out: struct bench_mmio_info */
#define BENCH_MMIO_GET_INFO	_IOR(BENCH_MMIO_IOC_MAGIC, 0x00, struct bench_mmio_info)
/* in/out: struct bench_mmio_set */
#define BENCH_MMIO_SET_STRATEGY	_IOWR(BENCH_MMIO_IOC_MAGIC, 0x01, struct bench_mmio_set)
#define BENCH_MMIO_SET_ALIGN	_IOWR(BENCH_MMIO_IOC_MAGIC, 0x02, struct bench_mmio_set)
#define BENCH_MMIO_SET_CACHE	_IOWR(BENCH_MMIO_IOC_MAGIC, 0x03, struct bench_mmio_set)
/* out: struct bench_mmio_stats */
#define BENCH_MMIO_GET_STATS	_IOR(BENCH_MMIO_IOC_MAGIC, 0x04, struct bench_mmio_stats)
/* no argument: zero this file's statistics */
#define BENCH_MMIO_RESET_STATS	_IO(BENCH_MMIO_IOC_MAGIC, 0x05)
/* in: struct bench_mmio_range */
#define BENCH_MMIO_ZAP		_IOW(BENCH_MMIO_IOC_MAGIC, 0x06, struct bench_mmio_range)
/*
 * No argument.  REVOKE zaps every mapping of the device and makes later
 * faults SIGBUS until RESTORE, as vfio-pci does around a device reset.
 * Exception, on purpose: the remap strategy populates in ->mmap, before the
 * new VMA is linked where a zap can find it, so an mmap() racing REVOKE can
 * keep a populated mapping (the race that moved vfio-pci to fault time).
 */
#define BENCH_MMIO_REVOKE	_IO(BENCH_MMIO_IOC_MAGIC, 0x07)
#define BENCH_MMIO_RESTORE	_IO(BENCH_MMIO_IOC_MAGIC, 0x08)

#endif /* _UAPI_BENCH_MMIO_H */
