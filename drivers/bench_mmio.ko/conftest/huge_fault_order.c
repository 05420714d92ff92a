// SPDX-License-Identifier: GPL-2.0
/*
 * 6.6+: vm_operations_struct.huge_fault(vmf, unsigned int order).
 *
 * An enum converts silently to unsigned int, so the old prototype would
 * also accept this handler: redeclaring enum page_entry_size proves that
 * the old type is gone.
 */
#include <linux/mm.h>

enum page_entry_size { CONFTEST_PE_SIZE };

static vm_fault_t conftest_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	return order ? VM_FAULT_FALLBACK : VM_FAULT_SIGBUS;
}

const struct vm_operations_struct conftest_vm_ops = {
	.huge_fault = conftest_huge_fault,
};
