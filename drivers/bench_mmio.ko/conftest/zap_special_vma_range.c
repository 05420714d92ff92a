// SPDX-License-Identifier: GPL-2.0
/* 7.2+: zap_special_vma_range(vma, address, size) replaces zap_vma_ptes(). */
#include <linux/mm.h>

void conftest_zap(struct vm_area_struct *vma);
void conftest_zap(struct vm_area_struct *vma)
{
	zap_special_vma_range(vma, vma->vm_start, PAGE_SIZE);
}
