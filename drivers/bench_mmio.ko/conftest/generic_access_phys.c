// SPDX-License-Identifier: GPL-2.0
/*
 * generic_access_phys(), a ready-made vm_ops->access for pfnmaps (where the
 * arch has ioremap_prot()).  Disabled, it builds the module that
 * tests/corpus/ needs to show /proc/PID/mem failing without ->access.
 */
#include <linux/mm.h>

static const struct vm_operations_struct conftest_vm_ops = {
	.access = generic_access_phys,
};
const struct vm_operations_struct *conftest_access(void);
const struct vm_operations_struct *conftest_access(void)
{
	return &conftest_vm_ops;
}
