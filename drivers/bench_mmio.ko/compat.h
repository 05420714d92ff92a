/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - everything in bench_mmio that depends on the kernel's version.
 *
 * conftest.sh compiles the probes in conftest/ against the target's headers
 * and writes conftest.h; this file turns its HAVE_* into wrappers and 0/1
 * switches, so that the rest of the module reads like a driver for one
 * kernel.  No LINUX_VERSION_CODE: distributions backport (RHEL 9 has huge
 * pfnmaps on 5.14).
 *
 * A probe written for an old prototype fails to compile on a kernel that
 * changed it, and would silently drop the feature.  A feature that a kernel
 * of that age must have is therefore a build error naming the probe to
 * update, unless the probe was disabled on purpose (CONFTEST_DISABLE=,
 * which defines CONFTEST_DISABLED_*) to build the fallback.
 */
#ifndef _BENCH_MMIO_COMPAT_H
#define _BENCH_MMIO_COMPAT_H

#include <linux/fs.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

#include "conftest.h"
#include "bench_mmio_uapi.h"

#if defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T) || \
	defined(HAVE_VMF_INSERT_PFN_PUD_PFN_T)
#include <linux/pfn_t.h>
#endif

/* Absent from 6.1's headers. */
#ifndef PMD_ORDER
#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#endif
#ifndef PUD_ORDER
#define PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)
#endif

/* ->huge_fault exists, with one of its two prototypes. */
#if defined(HAVE_HUGE_FAULT_ORDER) || defined(HAVE_HUGE_FAULT_PE_SIZE)
#define BENCH_MMIO_HUGE_FAULT		1
#else
#define BENCH_MMIO_HUGE_FAULT		0
#endif

/* vmf_insert_pfn_pmd() is declared and built into this kernel. */
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && \
	(defined(HAVE_VMF_INSERT_PFN_PMD_PFN) || \
	 defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T))
#define BENCH_MMIO_INSERT_PMD		1
#else
#define BENCH_MMIO_INSERT_PMD		0
#endif

/* vmf_insert_pfn_pud() is declared and built into this kernel. */
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && \
	IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD) && \
	(defined(HAVE_VMF_INSERT_PFN_PUD_PFN) || \
	 defined(HAVE_VMF_INSERT_PFN_PUD_PFN_T))
#define BENCH_MMIO_INSERT_PUD		1
#else
#define BENCH_MMIO_INSERT_PUD		0
#endif

/* The default get_unmapped_area() can be called from a driver's hook. */
#if defined(HAVE_MM_GET_UNMAPPED_AREA_NO_MM) || \
	defined(HAVE_MM_GET_UNMAPPED_AREA) || \
	defined(HAVE_MM_STRUCT_GET_UNMAPPED_AREA)
#define BENCH_MMIO_GET_UNMAPPED_AREA	1
#else
#define BENCH_MMIO_GET_UNMAPPED_AREA	0
#endif

#ifdef HAVE_VMA_START_WRITE
#define BENCH_MMIO_VMA_START_WRITE	1
#else
#define BENCH_MMIO_VMA_START_WRITE	0
#endif

#ifdef HAVE_VM_FLAGS_SET
#define BENCH_MMIO_VM_FLAGS_SET		1
#else
#define BENCH_MMIO_VM_FLAGS_SET		0
#endif

/* What a kernel with huge pfnmaps (6.12+, or a backport) must have. */
#if IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
#if !BENCH_MMIO_HUGE_FAULT && \
	!defined(CONFTEST_DISABLED_HUGE_FAULT_ORDER) && \
	!defined(CONFTEST_DISABLED_HUGE_FAULT_PE_SIZE)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, but" \
	" no ->huge_fault prototype compiled:" \
	" update conftest/huge_fault_order.c"
#endif
#if !defined(HAVE_VMF_INSERT_PFN_PMD_PFN) && \
	!defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T) && \
	!defined(CONFTEST_DISABLED_VMF_INSERT_PFN_PMD_PFN) && \
	!defined(CONFTEST_DISABLED_VMF_INSERT_PFN_PMD_PFN_T)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, but" \
	" no vmf_insert_pfn_pmd() compiled:" \
	" update conftest/vmf_insert_pfn_pmd_pfn.c"
#endif
#if !BENCH_MMIO_GET_UNMAPPED_AREA && \
	!defined(CONFTEST_DISABLED_MM_GET_UNMAPPED_AREA_NO_MM) && \
	!defined(CONFTEST_DISABLED_MM_GET_UNMAPPED_AREA) && \
	!defined(CONFTEST_DISABLED_MM_STRUCT_GET_UNMAPPED_AREA)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, but" \
	" no default get_unmapped_area() compiled:" \
	" update conftest/mm_get_unmapped_area_no_mm.c"
#endif
#endif /* CONFIG_ARCH_SUPPORTS_PMD_PFNMAP */

#if IS_ENABLED(CONFIG_ARCH_SUPPORTS_PUD_PFNMAP) && \
	!defined(HAVE_VMF_INSERT_PFN_PUD_PFN) && \
	!defined(HAVE_VMF_INSERT_PFN_PUD_PFN_T) && \
	!defined(CONFTEST_DISABLED_VMF_INSERT_PFN_PUD_PFN) && \
	!defined(CONFTEST_DISABLED_VMF_INSERT_PFN_PUD_PFN_T)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PUD_PFNMAP, but" \
	" no vmf_insert_pfn_pud() compiled:" \
	" update conftest/vmf_insert_pfn_pud_pfn.c"
#endif

/* Per-VMA locks (6.4+) came after vm_flags became read-only (6.3). */
#if IS_ENABLED(CONFIG_PER_VMA_LOCK)
#if !BENCH_MMIO_VMA_START_WRITE && !defined(CONFTEST_DISABLED_VMA_START_WRITE)
#error "bench_mmio: CONFIG_PER_VMA_LOCK, but" \
	" no vma_start_write() compiled:" \
	" update conftest/vma_start_write.c"
#endif
#if !BENCH_MMIO_VM_FLAGS_SET
#error "bench_mmio: CONFIG_PER_VMA_LOCK, but" \
	" no vm_flags_set() compiled, and vm_flags is read-only there:" \
	" update conftest/vm_flags_set.c"
#endif
#endif /* CONFIG_PER_VMA_LOCK */

/*
 * Kernels with huge pfnmaps read PUD and PMD entries through pudp_get() and
 * pmdp_get_lockless(); the READ_ONCE() fallback is the same load on 64-bit,
 * so only a kernel that should have them is an error.
 */
#if IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
#if !defined(HAVE_PUDP_GET) && !defined(CONFTEST_DISABLED_PUDP_GET)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, but" \
	" no pudp_get() compiled: update conftest/pudp_get.c"
#endif
#if !defined(HAVE_PMDP_GET_LOCKLESS) && \
	!defined(CONFTEST_DISABLED_PMDP_GET_LOCKLESS)
#error "bench_mmio: CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, but" \
	" no pmdp_get_lockless() compiled:" \
	" update conftest/pmdp_get_lockless.c"
#endif
#endif /* CONFIG_ARCH_SUPPORTS_PMD_PFNMAP */

/* No fallback is possible for these: every kernel has one or the other. */
#if !defined(HAVE_ZAP_VMA_PTES) && !defined(HAVE_ZAP_SPECIAL_VMA_RANGE)
#error "bench_mmio:" \
	" neither zap_vma_ptes() nor zap_special_vma_range() compiled:" \
	" update conftest/zap_special_vma_range.c"
#endif
#if !defined(HAVE_IS_COW_MAPPING) && !defined(HAVE_VMA_IS_COW_MAPPING)
#error "bench_mmio:" \
	" neither is_cow_mapping() nor vma_is_cow_mapping() compiled:" \
	" update conftest/vma_is_cow_mapping.c"
#endif

/*
 * vm_operations_struct.huge_fault: the type of its second argument, the
 * level it asks for (BENCH_MMIO_NR_LEVELS for a size the module never
 * inserts), and the initialiser of the method (NULL without ->huge_fault,
 * so that the core calls ->fault only).
 */
#if defined(HAVE_HUGE_FAULT_ORDER)
#define bench_mmio_huge_fault_arg	unsigned int
static inline enum bench_mmio_level
bench_mmio_huge_fault_level(unsigned int order)
{
	if (order == PMD_ORDER)
		return BENCH_MMIO_LEVEL_PMD;
	if (order == PUD_ORDER)
		return BENCH_MMIO_LEVEL_PUD;
	return BENCH_MMIO_NR_LEVELS;
}
#elif defined(HAVE_HUGE_FAULT_PE_SIZE)
#define bench_mmio_huge_fault_arg	enum page_entry_size
static inline enum bench_mmio_level
bench_mmio_huge_fault_level(enum page_entry_size pe_size)
{
	switch (pe_size) {
	case PE_SIZE_PMD:
		return BENCH_MMIO_LEVEL_PMD;
	case PE_SIZE_PUD:
		return BENCH_MMIO_LEVEL_PUD;
	default:
		return BENCH_MMIO_NR_LEVELS;
	}
}
#else
#define bench_mmio_huge_fault_arg	unsigned int
static inline enum bench_mmio_level
bench_mmio_huge_fault_level(unsigned int arg)
{
	return BENCH_MMIO_NR_LEVELS;
}
#endif

/*
 * ->access for ptrace and /proc/PID/mem (a debugger reading the mapping):
 * generic_access_phys() ioremaps the pfn the page tables hold (6.12+ also
 * through PMD/PUD leaves, follow_pfnmap_start()); it exists where the arch
 * has ioremap_prot().  CONFTEST_DISABLE=generic_access_phys builds the
 * module without it (tests/corpus/: the EIO it avoids).
 */
#if defined(CONFIG_HAVE_IOREMAP_PROT) && !defined(HAVE_GENERIC_ACCESS_PHYS) && \
	!defined(CONFTEST_DISABLED_GENERIC_ACCESS_PHYS)
#error "CONFIG_HAVE_IOREMAP_PROT without generic_access_phys(): update conftest/generic_access_phys.c"
#endif
#ifdef HAVE_GENERIC_ACCESS_PHYS
#define BENCH_MMIO_ACCESS_OP		generic_access_phys
#define BENCH_MMIO_ACCESS		1
#else
#define BENCH_MMIO_ACCESS_OP		NULL
#define BENCH_MMIO_ACCESS		0
#endif

/*
 * 7.x tracks a pfnmap's x86 PAT memory type per range (pfnmap_track());
 * before, remap_pfn_range() reserved it per VMA, and a split VMA frees a
 * reservation that does not exist (BENCH_MMIO_GUARD_REMAP_SPLIT).
 */
#ifdef HAVE_PFNMAP_TRACK
#define BENCH_MMIO_PFNMAP_TRACK		1
#else
#define BENCH_MMIO_PFNMAP_TRACK		0
#endif

#if BENCH_MMIO_HUGE_FAULT
#define BENCH_MMIO_HUGE_FAULT_OP(fn)	(fn)
#else
#define BENCH_MMIO_HUGE_FAULT_OP(fn)	NULL
#endif

/* file_operations.get_unmapped_area: NULL when the default is out of reach. */
#if BENCH_MMIO_GET_UNMAPPED_AREA
#define BENCH_MMIO_GET_UNMAPPED_AREA_OP(fn)	(fn)
#else
#define BENCH_MMIO_GET_UNMAPPED_AREA_OP(fn)	NULL
#endif

/* The address a driver without a get_unmapped_area hook would get. */
static inline unsigned long bench_mmio_default_area(struct file *file,
						    unsigned long addr,
						    unsigned long len,
						    unsigned long pgoff,
						    unsigned long flags)
{
#if defined(HAVE_MM_GET_UNMAPPED_AREA_NO_MM)
	return mm_get_unmapped_area(file, addr, len, pgoff, flags);
#elif defined(HAVE_MM_GET_UNMAPPED_AREA)
	return mm_get_unmapped_area(current->mm, file, addr, len, pgoff, flags);
#elif defined(HAVE_MM_STRUCT_GET_UNMAPPED_AREA)
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
#else
	/* Unreachable: BENCH_MMIO_GET_UNMAPPED_AREA_OP() installed no hook. */
	return -ENODEV;
#endif
}

/*
 * Insert a PMD or PUD entry.  Without the helper the caller never gets here
 * (BENCH_MMIO_INSERT_*), but a fallback is the safe answer anyway.
 */
static inline vm_fault_t bench_mmio_vmf_insert_pmd(struct vm_fault *vmf,
						   unsigned long pfn,
						   bool write)
{
#if !BENCH_MMIO_INSERT_PMD
	return VM_FAULT_FALLBACK;
#elif defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T)
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#endif
}

static inline vm_fault_t bench_mmio_vmf_insert_pud(struct vm_fault *vmf,
						   unsigned long pfn,
						   bool write)
{
#if !BENCH_MMIO_INSERT_PUD
	return VM_FAULT_FALLBACK;
#elif defined(HAVE_VMF_INSERT_PFN_PUD_PFN_T)
	return vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	return vmf_insert_pfn_pud(vmf, pfn, write);
#endif
}

/* Change a VMA's flags; only in ->mmap or with the VMA write-locked. */
static inline void bench_mmio_vm_flags_mod(struct vm_area_struct *vma,
					   vm_flags_t set, vm_flags_t clear)
{
#if BENCH_MMIO_VM_FLAGS_SET
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/* Keep per-VMA-lock faults off @vma until the mmap lock is dropped. */
static inline void bench_mmio_vma_start_write(struct vm_area_struct *vma)
{
#if BENCH_MMIO_VMA_START_WRITE
	vma_start_write(vma);
#endif
}

/* A private writable mapping, which would copy on write. */
static inline bool bench_mmio_vma_is_cow(struct vm_area_struct *vma)
{
#ifdef HAVE_IS_COW_MAPPING
	return is_cow_mapping(vma->vm_flags);
#else
	return vma_is_cow_mapping(vma);
#endif
}

/* Zap [@addr, @addr + @size) of a VM_PFNMAP VMA. */
static inline void bench_mmio_zap_vma(struct vm_area_struct *vma,
				      unsigned long addr, unsigned long size)
{
#ifdef HAVE_ZAP_VMA_PTES
	zap_vma_ptes(vma, addr, size);
#else
	zap_special_vma_range(vma, addr, size);
#endif
}

/*
 * Page-table reads for BENCH_MMIO_CENSUS (census.c).  Entries change under
 * a walker that holds only the mmap read lock (faults under the per-VMA
 * lock, zaps), so each is read once, into a local.
 */
static inline pud_t bench_mmio_pudp_get(pud_t *pudp)
{
#ifdef HAVE_PUDP_GET
	return pudp_get(pudp);
#else
	return READ_ONCE(*pudp);
#endif
}

static inline pmd_t bench_mmio_pmdp_get(pmd_t *pmdp)
{
#ifdef HAVE_PMDP_GET_LOCKLESS
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/*
 * A present PUD or PMD leaf (a huge entry, not a table).  pXd_leaf() is the
 * name on every kernel since 5.7; on x86 6.1 it is pXd_large(), which 6.9
 * removed.  Alone it is not enough: x86 6.12's pmd_leaf() and pud_leaf()
 * test _PAGE_PSE only, and 6.1's pmd_large() too.
 */
static inline bool bench_mmio_pud_leaf(pud_t pud)
{
	return pud_present(pud) && pud_leaf(pud);
}

static inline bool bench_mmio_pmd_leaf(pmd_t pmd)
{
	return pmd_present(pmd) && pmd_leaf(pmd);
}

/*
 * BENCH_MMIO_CENSUS reads PTE tables without their lock.  Modules cannot
 * lock one on 6.5+: pte_offset_map_lock() and pte_offset_map() became
 * wrappers of __pte_offset_map_lock() and __pte_offset_map(), which are not
 * exported.  pte_offset_kernel() is inline on every kernel, but a highmem
 * PTE table (CONFIG_HIGHPTE, 32-bit only) must be kmapped: no census there.
 */
#define BENCH_MMIO_CENSUS_WALK		(!IS_ENABLED(CONFIG_HIGHPTE))

/*
 * The PTE for @addr in the table that @pmd, a value the caller read and
 * found to be a table (neither none, nor a leaf, nor bad), points to.  The
 * caller holds rcu_read_lock(), as __pte_offset_map() does: 6.5+ frees some
 * PTE tables by RCU (khugepaged, 6.14+ empty-table reclaim).
 */
static inline pte_t *bench_mmio_pte_offset(pmd_t *pmd, unsigned long addr)
{
	return pte_offset_kernel(pmd, addr);
}

#endif /* _BENCH_MMIO_COMPAT_H */
