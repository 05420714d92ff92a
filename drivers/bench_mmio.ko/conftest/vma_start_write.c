// SPDX-License-Identifier: GPL-2.0
/* 6.4+: vma_start_write() keeps faults off a VMA (a stub without CONFIG_PER_VMA_LOCK). */
#include <linux/mm.h>

void conftest_vma_start_write(struct vm_area_struct *vma);
void conftest_vma_start_write(struct vm_area_struct *vma)
{
	vma_start_write(vma);
}
