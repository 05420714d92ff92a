// SPDX-License-Identifier: GPL-2.0
/* Up to 6.9: the default is the mm's get_unmapped_area method. */
#include <linux/mm.h>
#include <linux/sched.h>

unsigned long conftest_gua(struct file *file, unsigned long addr,
			   unsigned long len, unsigned long pgoff,
			   unsigned long flags);
unsigned long conftest_gua(struct file *file, unsigned long addr,
			   unsigned long len, unsigned long pgoff,
			   unsigned long flags)
{
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
}
