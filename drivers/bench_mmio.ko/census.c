// SPDX-License-Identifier: GPL-2.0
/*
 * BENCH_MMIO_CENSUS: which page-table levels map a range of the caller's
 * mapping of the device, read from the page tables rather than from what
 * the fault handlers counted.
 *
 * walk_page_range() cannot do it: it skips VM_PFNMAP VMAs, and it is not
 * exported (6.1, 6.12).  This is an explicit pgd -> p4d -> pud -> pmd -> pte
 * walk under the mmap read lock, as follow_pte() does.  The lock keeps the
 * VMA whole (a split needs the write lock) and its page tables in place
 * (munmap frees them; khugepaged and empty-table reclaim never touch a
 * VM_PFNMAP VMA, and free by RCU anyway).  Entries still change meanwhile
 * (faults under the per-VMA lock, zaps, which take no mmap lock), so each is
 * read once, without its lock, which modules cannot take on 6.5+ (compat.h).
 * The result is a snapshot: exact when nothing faults or zaps the range
 * during the call.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bench_mmio.h"

struct census {
	u64 leaves[BENCH_MMIO_NR_LEVELS];
	u64 pages;
};

/* A present leaf at @level maps [@addr, @next) of the range. */
static void census_add(struct census *c, enum bench_mmio_level level,
		       unsigned long addr, unsigned long next)
{
	c->leaves[level]++;
	c->pages += (next - addr) >> PAGE_SHIFT;
}

/* [@addr, @end) under @pmd, a PTE table. */
static void census_ptes(pmd_t pmd, unsigned long addr, unsigned long end,
			struct census *c)
{
	pte_t *pte;

	rcu_read_lock();
	pte = bench_mmio_pte_offset(&pmd, addr);
	for (; addr != end; addr += PAGE_SIZE, pte++)
		if (pte_present(ptep_get(pte)))
			census_add(c, BENCH_MMIO_LEVEL_PTE, addr,
				   addr + PAGE_SIZE);
	rcu_read_unlock();
}

static void census_pmds(pud_t *pudp, unsigned long addr, unsigned long end,
			struct census *c)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;
	pmd_t pmd;

	do {
		next = pmd_addr_end(addr, end);
		pmd = bench_mmio_pmdp_get(pmdp);
		if (pmd_none(pmd))
			continue;
		/* pmd_bad() is true of a leaf: test for one first */
		if (bench_mmio_pmd_leaf(pmd))
			census_add(c, BENCH_MMIO_LEVEL_PMD, addr, next);
		else if (!pmd_leaf(pmd) && !pmd_bad(pmd))
			census_ptes(pmd, addr, next, c);
		cond_resched();
	} while (pmdp++, addr = next, addr != end);
}

static void census_puds(p4d_t *p4dp, unsigned long addr, unsigned long end,
			struct census *c)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next;
	pud_t pud;

	do {
		next = pud_addr_end(addr, end);
		pud = bench_mmio_pudp_get(pudp);
		if (pud_none(pud))
			continue;
		if (bench_mmio_pud_leaf(pud))
			census_add(c, BENCH_MMIO_LEVEL_PUD, addr, next);
		else if (!pud_leaf(pud) && !pud_bad(pud))
			census_pmds(pudp, addr, next, c);
	} while (pudp++, addr = next, addr != end);
}

static void census_walk(struct mm_struct *mm, unsigned long addr,
			unsigned long end, struct census *c)
{
	pgd_t *pgdp = pgd_offset(mm, addr);
	unsigned long next, p4d_next;
	p4d_t *p4dp;

	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgdp) || pgd_bad(*pgdp))
			continue;
		p4dp = p4d_offset(pgdp, addr);
		do {
			p4d_next = p4d_addr_end(addr, next);
			if (!p4d_none(*p4dp) && !p4d_bad(*p4dp))
				census_puds(p4dp, addr, p4d_next, c);
		} while (p4dp++, addr = p4d_next, addr != next);
	} while (pgdp++, addr = next, addr != end);
}

/**
 * bench_mmio_census() - BENCH_MMIO_CENSUS
 * @ucensus: the caller's struct bench_mmio_census.
 *
 * Return: 0; -EINVAL for non-zero flags or reserved input, a range that is
 * empty, not page aligned, wraps, or is not inside one VMA of the device;
 * -EFAULT for a bad pointer; -EINTR when killed waiting for the mmap lock.
 */
long bench_mmio_census(struct bench_mmio_census __user *ucensus)
{
	struct mm_struct *mm = current->mm;
	struct bench_mmio_census census;
	struct vm_area_struct *vma;
	struct census c = {};
	unsigned long addr, end;
	long ret = 0;

	if (!BENCH_MMIO_CENSUS_WALK)
		return -ENOTTY;
	if (copy_from_user(&census, ucensus, sizeof(census)))
		return -EFAULT;
	if (census.flags ||
	    memchr_inv(census.reserved, 0, sizeof(census.reserved)))
		return -EINVAL;
	if (!census.length || !PAGE_ALIGNED(census.addr) ||
	    !PAGE_ALIGNED(census.length) || census.addr > ULONG_MAX ||
	    census.length > ULONG_MAX - census.addr)
		return -EINVAL;
	if (!mm)
		return -EINVAL;
	addr = census.addr;
	end = addr + census.length;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr || end > vma->vm_end ||
	    !bench_mmio_vma_is_backing(vma))
		ret = -EINVAL;
	else
		census_walk(mm, addr, end, &c);
	mmap_read_unlock(mm);
	if (ret)
		return ret;

	memcpy(census.leaves, c.leaves, sizeof(census.leaves));
	census.pages = c.pages;
	if (copy_to_user(ucensus, &census, sizeof(census)))
		return -EFAULT;
	return 0;
}
