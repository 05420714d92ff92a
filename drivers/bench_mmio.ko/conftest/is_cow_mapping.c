// SPDX-License-Identifier: GPL-2.0
/* Up to 7.2: is_cow_mapping(vm_flags). */
#include <linux/mm.h>

bool conftest_cow(struct vm_area_struct *vma);
bool conftest_cow(struct vm_area_struct *vma)
{
	return is_cow_mapping(vma->vm_flags);
}
