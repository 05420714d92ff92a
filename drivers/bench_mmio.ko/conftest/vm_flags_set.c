// SPDX-License-Identifier: GPL-2.0
/* 6.3+: vma->vm_flags is read-only: vm_flags_set(), under the mmap lock. */
#include <linux/mm.h>

void conftest_vm_flags_set(struct vm_area_struct *vma);
void conftest_vm_flags_set(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO | VM_PFNMAP);
}
