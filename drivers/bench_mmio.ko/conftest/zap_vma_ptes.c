// SPDX-License-Identifier: GPL-2.0
/* Up to 7.1: zap_vma_ptes(vma, address, size) zaps part of a VM_PFNMAP VMA. */
#include <linux/mm.h>

void conftest_zap(struct vm_area_struct *vma);
void conftest_zap(struct vm_area_struct *vma)
{
	zap_vma_ptes(vma, vma->vm_start, PAGE_SIZE);
}
