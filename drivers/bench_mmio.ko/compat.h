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

#endif /* _BENCH_MMIO_COMPAT_H */
