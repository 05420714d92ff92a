// SPDX-License-Identifier: GPL-2.0
/* 7.3+: vma_is_cow_mapping(vma) replaces is_cow_mapping(vm_flags). */
#include <linux/mm.h>

bool conftest_cow(struct vm_area_struct *vma);
bool conftest_cow(struct vm_area_struct *vma)
{
	return vma_is_cow_mapping(vma);
}
