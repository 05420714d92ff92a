// SPDX-License-Identifier: GPL-2.0
/* 7.x: mm_get_unmapped_area(file, addr, len, pgoff, flags), current->mm implied. */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

unsigned long conftest_gua(struct file *file, unsigned long addr,
			   unsigned long len, unsigned long pgoff,
			   unsigned long flags);
unsigned long conftest_gua(struct file *file, unsigned long addr,
			   unsigned long len, unsigned long pgoff,
			   unsigned long flags)
{
	return mm_get_unmapped_area(file, addr, len, pgoff, flags);
}
