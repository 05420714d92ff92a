// SPDX-License-Identifier: GPL-2.0
/* 6.10+: mm_get_unmapped_area(mm, file, addr, len, pgoff, flags). */
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
	return mm_get_unmapped_area(current->mm, file, addr, len, pgoff, flags);
}
