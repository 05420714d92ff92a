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
 *   mmap  EINVAL     a copy-on-write mapping (MAP_PRIVATE of a file open for
 *                    writing: a fault-based pfnmap cannot COW), the
 *                    offset/length reaches past the backing, or a
 *                    statistics mapping of the wrong size
 *         EACCES     a writable statistics mapping
 *   munmap, mprotect, mremap of part of a remap-strategy VMA
 *         EINVAL     refused by BENCH_MMIO_GUARD_REMAP_SPLIT (see "guards")
 *   ioctl ENOTTY     unknown command
 *         EINVAL     a value out of range, non-zero flags or reserved input,
 *                    a misaligned or out-of-range ZAP range
 *         EBUSY      a SET ioctl while the file has mappings
 *         EFAULT     a bad argument pointer
 *         EINTR      CENSUS killed while it waited for the mmap lock
 *   load  ENODEV     no backing (no bar=/phys= and no ivshmem device), no
 *                    such PCI device, or a BAR that is not assigned
 *         EINVAL     a malformed parameter, phys= over System RAM, a BAR
 *                    that is not a prefetchable memory BAR, a backing that
 *                    reaches the statistics mapping's offset
 *         EBUSY      the region is claimed by another driver
 *   A mapping keeps the module loaded (rmmod fails with EBUSY/EWOULDBLOCK).
 *   Faults on a revoked device (BENCH_MMIO_REVOKE) get SIGBUS.
 *
 * Every strategy can be selected on every kernel: one the kernel cannot
 * deliver at its largest level falls back (GET_INFO's max_level says to what).
 */
#ifndef _UAPI_BENCH_MMIO_H
#define _UAPI_BENCH_MMIO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BENCH_MMIO_ABI_VERSION		2
#define BENCH_MMIO_DEVICE		"/dev/bench_mmio"

/* Room in the fixed-size arrays of struct bench_mmio_info. */
#define BENCH_MMIO_MAX_STRATEGIES	16

/**
 * BENCH_MMIO_STRATEGIES - every strategy, one line each, in id order
 * @X: a macro taking (ID, name, level, populate):
 *	ID - the suffix of BENCH_MMIO_STRATEGY_<ID>;
 *	name - the strategy's name (strategy= parameter, bench_mmio --strategy);
 *	level - the largest BENCH_MMIO_LEVEL_<level> the strategy inserts;
 *	populate - when it makes pages present, BENCH_MMIO_POPULATE_<populate>.
 *
 * The one list of strategies: the enum below, the module's table and names,
 * bench_mmio's names and the selftest's variants all expand it.  Adding a
 * strategy is one line here and its strategy_<name>.c in the module.
 *
 *	remap: io_remap_pfn_range() of the whole VMA in ->mmap.
 *	pte:   vmf_insert_pfn() of one 4K page per ->fault.
 *	bulk:  the first ->fault inserts every page of the VMA.
 *	pmd:   ->huge_fault inserts 2M PMDs, falling back to PTEs.
 *	pud:   ->huge_fault inserts 1G PUDs, then PMDs, then PTEs.
 */
#define BENCH_MMIO_STRATEGIES(X)		\
	X(REMAP, remap, PTE, MMAP)		\
	X(PTE, pte, PTE, FAULT)			\
	X(BULK, bulk, PTE, VMA)			\
	X(PMD, pmd, PMD, FAULT)			\
	X(PUD, pud, PUD, FAULT)

/* Expanders of BENCH_MMIO_STRATEGIES() for array initialisers. */
#define BENCH_MMIO_X_ID(id, name, level, populate) \
	BENCH_MMIO_STRATEGY_##id,
#define BENCH_MMIO_X_NAME(id, name, level, populate) \
	[BENCH_MMIO_STRATEGY_##id] = #name,
#define BENCH_MMIO_X_LEVEL(id, name, level, populate) \
	[BENCH_MMIO_STRATEGY_##id] = BENCH_MMIO_LEVEL_##level,
#define BENCH_MMIO_X_POPULATE(id, name, level, populate) \
	[BENCH_MMIO_STRATEGY_##id] = BENCH_MMIO_POPULATE_##populate,

/*
 * enum bench_mmio_strategy_id - BENCH_MMIO_STRATEGY_<ID> for each line of
 * BENCH_MMIO_STRATEGIES(), then BENCH_MMIO_NR_STRATEGIES.
 */
enum bench_mmio_strategy_id {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_ID)
	BENCH_MMIO_NR_STRATEGIES
};

/**
 * enum bench_mmio_populate - when a strategy makes pages present
 * @BENCH_MMIO_POPULATE_MMAP: every page in ->mmap; a fault happens only
 *	after a zap and inserts one PTE.
 * @BENCH_MMIO_POPULATE_FAULT: each fault inserts the one entry that covers
 *	the faulting address, at the largest level up to the strategy's that
 *	fits (the core asks ->huge_fault for PUD, then PMD, then ->fault).
 * @BENCH_MMIO_POPULATE_VMA: the first fault inserts every page of the VMA
 *	with PTEs, and counts as one PTE fault.
 */
enum bench_mmio_populate {
	BENCH_MMIO_POPULATE_MMAP = 0,
	BENCH_MMIO_POPULATE_FAULT = 1,
	BENCH_MMIO_POPULATE_VMA = 2,
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

/* struct bench_mmio_info.caps: what this kernel, build and CPU can do */
#define BENCH_MMIO_CAP_CPU_PMD		(1ULL << 0) /* CPU has 2M pages */
#define BENCH_MMIO_CAP_CPU_PUD		(1ULL << 1) /* CPU has 1G pages (GBPAGES) */
#define BENCH_MMIO_CAP_CORE_PMD		(1ULL << 2) /* core mm calls ->huge_fault(PMD) on pfnmaps */
#define BENCH_MMIO_CAP_CORE_PUD		(1ULL << 3) /* core mm calls ->huge_fault(PUD) on pfnmaps */
#define BENCH_MMIO_CAP_INSERT_PMD	(1ULL << 4) /* vmf_insert_pfn_pmd() is available */
#define BENCH_MMIO_CAP_INSERT_PUD	(1ULL << 5) /* vmf_insert_pfn_pud() is available */
#define BENCH_MMIO_CAP_PAT		(1ULL << 6) /* x86 PAT is enabled */
#define BENCH_MMIO_CAP_VMA_LOCK		(1ULL << 7) /* faults may run under the per-VMA lock */

/*
 * struct bench_mmio_info.features: what the build compiled in, as conftest.sh
 * decided from the kernel's headers.  A feature missing here changes what a
 * benchmark measures, so userspace records it and says so.
 */
#define BENCH_MMIO_FEAT_HUGE_FAULT	(1ULL << 0) /* ->huge_fault method (either prototype) */
#define BENCH_MMIO_FEAT_GET_UNMAPPED_AREA (1ULL << 1) /* alignment hook: SET_ALIGN pmd/pud/auto work */
#define BENCH_MMIO_FEAT_MAY_SPLIT	(1ULL << 2) /* ->may_split zaps a PUD before a split inside it */
#define BENCH_MMIO_FEAT_VMA_START_WRITE	(1ULL << 3) /* ... and write-locks the VMA first */
#define BENCH_MMIO_FEAT_VM_FLAGS_SET	(1ULL << 4) /* vm_flags_set() (else vm_flags |=) */
#define BENCH_MMIO_FEAT_STATS_PAGE	(1ULL << 5) /* the read-only statistics mapping */
#define BENCH_MMIO_FEAT_CENSUS		(1ULL << 6) /* BENCH_MMIO_CENSUS walks page tables */
#define BENCH_MMIO_FEAT_FAULT_DELAY	(1ULL << 7) /* BENCH_MMIO_SET_FAULT_DELAY */
#define BENCH_MMIO_FEAT_ACCESS		(1ULL << 8) /* ->access: ptrace, /proc/PID/mem, gdb */
#define BENCH_MMIO_FEAT_GUARDS		(1ULL << 9) /* BENCH_MMIO_SET_GUARDS, info.guards */

/**
 * DOC: guards - kernel bugs the module steps around
 *
 * Huge pfnmaps expose kernel bugs (tests/corpus/ reproduces each and says on
 * which kernels it is present).  Where the module can avoid one cheaply it
 * does, by default; BENCH_MMIO_SET_GUARDS turns a guard off for one file so
 * that the corpus can show the bug itself.  A guard changes no result a
 * fixed kernel would give, except where it says so.
 *
 * @BENCH_MMIO_GUARD_SPLIT_PUD: ->may_split zaps the 1G region around a
 *	split address inside a PUD-mapped VMA first (6.12 to 7.3-rc: munmap(),
 *	mprotect(), madvise() or mremap() of part of it walks the PUD leaf as a
 *	PMD table and crashes).  stats.guard_zaps counts these zaps.
 * @BENCH_MMIO_GUARD_ZAP_WIDEN: a BENCH_MMIO_ZAP made through this file that
 *	cuts a 1G extent of the backing (physical address, 1G aligned) while
 *	a VMA of the device may hold PUD entries (one at least 1G long when
 *	mapped, of a strategy that maps PUDs here) zaps the whole extents
 *	instead (6.12: unmap_mapping_range() over part of a PUD leaf splits it
 *	without the mmap lock, WARNING rwsem.h:80).  A fixed kernel clears
 *	the whole leaf anyway, so only PTE- and PMD-mapped pages of those
 *	extents, which a kernel would have kept, refault too.
 *	stats.zaps_widened counts widened ZAPs.
 * @BENCH_MMIO_GUARD_MREMAP: an mremap() move of a VMA of this file that
 *	may hold PUD entries (as above) zaps the source VMA before the core moves its
 *	page tables (6.12 to 7.3-rc: a PUD leaf is taken for a bad PUD,
 *	cleared, and another CPU keeps a stale translation).  The moved range
 *	refaults.  stats.guard_zaps counts these zaps.
 * @BENCH_MMIO_GUARD_REMAP_SPLIT: the remap strategy refuses to split its
 *	VMA (partial munmap(), mprotect(), mremap(): EINVAL) where x86 PAT
 *	tracks the whole VMA as one reservation (kernels before
 *	pfnmap_track(), PAT on): a split there logs "freeing invalid memtype"
 *	and leaks the reservation, so a later mmap of the range with another
 *	cache mode fails.  Only in info.guards_default where that applies.
 *	stats.splits_refused counts refused splits.
 */
#define BENCH_MMIO_GUARD_SPLIT_PUD	(1ULL << 0)
#define BENCH_MMIO_GUARD_ZAP_WIDEN	(1ULL << 1)
#define BENCH_MMIO_GUARD_MREMAP		(1ULL << 2)
#define BENCH_MMIO_GUARD_REMAP_SPLIT	(1ULL << 3)
#define BENCH_MMIO_GUARDS_ALL		0xfULL

/* The largest BENCH_MMIO_SET_FAULT_DELAY, in ns. */
#define BENCH_MMIO_MAX_FAULT_DELAY_NS	100000

/**
 * struct bench_mmio_info - BENCH_MMIO_GET_INFO
 * @abi_version: out: BENCH_MMIO_ABI_VERSION.
 * @nr_strategies: out: BENCH_MMIO_NR_STRATEGIES of the module's build; a
 *	caller built from another strategy list must refuse to go on.
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
 * @features: out: BENCH_MMIO_FEAT_* compiled into this build.
 * @strategies: out: bit N set when strategy N can be selected.
 * @max_level: out: per strategy, the largest BENCH_MMIO_LEVEL_* this kernel
 *	and CPU can deliver for it (given aligned addresses and pfns); entries
 *	past @nr_strategies are zero.
 * @strategy: out: this file's strategy.
 * @align: out: this file's alignment policy.
 * @cache: out: this file's cache mode.
 * @default_strategy: out: the module's default strategy (module parameter).
 * @revoked: out: 1 while access is revoked (BENCH_MMIO_REVOKE).
 * @page_shift: out: PAGE_SHIFT.
 * @pmd_shift: out: PMD_SHIFT.
 * @pud_shift: out: PUD_SHIFT.
 * @stats_offset: out: mmap offset of this file's statistics mapping
 *	(@stats_slots struct bench_mmio_stats, see "the statistics mapping");
 *	0 without BENCH_MMIO_FEAT_STATS_PAGE.
 * @stats_size: out: bytes to map there (a multiple of the page size).
 * @stats_slots: out: struct bench_mmio_stats slots in that mapping.
 * @guards: out: this file's BENCH_MMIO_GUARD_* (see "guards").
 * @guards_default: out: the guards a new file gets on this kernel: every
 *	guard that applies here (0 without BENCH_MMIO_FEAT_GUARDS).
 * @reserved: out: zero.
 */
struct bench_mmio_info {
	__u64 abi_version;
	__u64 nr_strategies;
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
	__u64 features;
	__u64 strategies;
	__u64 max_level[BENCH_MMIO_MAX_STRATEGIES];
	__u64 strategy;
	__u64 align;
	__u64 cache;
	__u64 default_strategy;
	__u64 revoked;
	__u64 page_shift;
	__u64 pmd_shift;
	__u64 pud_shift;
	__u64 stats_offset;
	__u64 stats_size;
	__u64 stats_slots;
	__u64 guards;
	__u64 guards_default;
	__u64 reserved[6];
};

/**
 * struct bench_mmio_set - BENCH_MMIO_SET_STRATEGY, _SET_ALIGN, _SET_CACHE,
 *	_SET_FAULT_DELAY
 * @value: in: the new value (enum bench_mmio_strategy_id, _align, _cache;
 *	nanoseconds up to BENCH_MMIO_MAX_FAULT_DELAY_NS for the fault delay).
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
 * struct bench_mmio_stats - BENCH_MMIO_GET_STATS, and one slot of the
 *	statistics mapping
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
 * @mmaps: out: successful mmap() calls of this file (the statistics
 *	mapping not included).
 * @insert_errors: out: faults whose insertion failed (VM_FAULT_OOM etc.).
 * @zaps_widened: out: BENCH_MMIO_ZAPs that BENCH_MMIO_GUARD_ZAP_WIDEN
 *	widened to whole 1G extents.
 * @guard_zaps: out: zaps a guard made in a VMA of this file
 *	(BENCH_MMIO_GUARD_SPLIT_PUD, BENCH_MMIO_GUARD_MREMAP).
 * @splits_refused: out: VMA splits refused by BENCH_MMIO_GUARD_REMAP_SPLIT.
 * @reserved: out: zero.
 *
 * Counted per open file: a mapping counts into the file it was made from.
 * 256 bytes, so that the slots of the statistics mapping never share a
 * cache line.
 */
struct bench_mmio_stats {
	__u64 faults[BENCH_MMIO_NR_LEVELS];
	__u64 fallbacks[BENCH_MMIO_NR_LEVELS];
	__u64 pages;
	__u64 sigbus;
	__u64 zaps;
	__u64 mmaps;
	__u64 insert_errors;
	__u64 zaps_widened;
	__u64 guard_zaps;
	__u64 splits_refused;
	__u64 reserved[18];
};

/**
 * DOC: the statistics mapping
 *
 * mmap(NULL, info.stats_size, PROT_READ, MAP_SHARED, fd, info.stats_offset)
 * maps the live counters of the file @fd: info.stats_slots consecutive
 * struct bench_mmio_stats, one per possible CPU.  A fault handler running on
 * CPU N adds to slot N only; the sum of the slots is what GET_STATS returns.
 * Reading them is a plain load, so a benchmark can attribute a timed access
 * to a fault without a system call next to it.  A slot's fields are
 * naturally aligned __u64s (no torn reads on 64-bit CPUs); RESET_STATS
 * zeroes every slot.  The mapping is read-only (PROT_WRITE and mprotect to
 * writable are refused), it does not count as a mapping of the backing
 * (SET ioctls still work), and zaps and revokes never touch it.
 */

/**
 * struct bench_mmio_range - BENCH_MMIO_ZAP
 * @offset: in: byte offset in the backing, page aligned.
 * @length: in: bytes, page aligned; 0 means up to the end of the backing.
 * @flags: in: must be zero.
 *
 * Zaps (unmap_mapping_range(), even_cows) the range in every mapping of the
 * device, as a driver does before it resets or moves its BAR, with faults
 * held off meanwhile (as REVOKE).  Later accesses fault again.  With
 * BENCH_MMIO_GUARD_ZAP_WIDEN (the default) the range may grow to whole 1G
 * extents (see "guards").
 */
struct bench_mmio_range {
	__u64 offset;
	__u64 length;
	__u64 flags;
};

/**
 * struct bench_mmio_census - BENCH_MMIO_CENSUS
 * @addr: in: start of the range, page aligned, in the caller's address
 *	space: it must lie in one VMA of /dev/bench_mmio (any open file).
 * @length: in: bytes, page aligned, non-zero, inside that VMA.
 * @flags: in: must be zero.
 * @leaves: out: present leaf entries that map part of the range, by
 *	BENCH_MMIO_LEVEL_* (a 1G PUD leaf counts once however much of it the
 *	range covers).
 * @pages: out: 4K pages of the range that are mapped by those leaves.
 * @reserved: in: must be zero; out: zero.
 *
 * Walks the caller's page tables, under the mmap lock, independently of
 * what the fault handlers counted: which levels actually map the range.
 */
struct bench_mmio_census {
	__u64 addr;
	__u64 length;
	__u64 flags;
	__u64 leaves[BENCH_MMIO_NR_LEVELS];
	__u64 pages;
	__u64 reserved[7];
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
/* in/out: struct bench_mmio_census (EINVAL: not one VMA of the device) */
#define BENCH_MMIO_CENSUS	_IOWR(BENCH_MMIO_IOC_MAGIC, 0x09, struct bench_mmio_census)
/*
 * in/out: struct bench_mmio_set.  Every ->fault and ->huge_fault call of
 * this file's mappings busy-waits this many ns before it does anything
 * else (0, the default: none): a known regression for validating a
 * comparison.  EINVAL above BENCH_MMIO_MAX_FAULT_DELAY_NS; EBUSY while
 * the file has mappings.
 */
#define BENCH_MMIO_SET_FAULT_DELAY _IOWR(BENCH_MMIO_IOC_MAGIC, 0x0a, struct bench_mmio_set)
/*
 * in/out: struct bench_mmio_set.  This file's BENCH_MMIO_GUARD_* mask
 * (see "guards"); a new file starts with info.guards_default.  EINVAL for
 * a bit outside BENCH_MMIO_GUARDS_ALL; EBUSY while the file has mappings.
 * Turning a guard off is for reproducing the kernel bug it avoids.
 */
#define BENCH_MMIO_SET_GUARDS	_IOWR(BENCH_MMIO_IOC_MAGIC, 0x0b, struct bench_mmio_set)

#endif /* _UAPI_BENCH_MMIO_H */
