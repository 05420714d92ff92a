// SPDX-License-Identifier: GPL-2.0
/* Up to 6.5: vm_operations_struct.huge_fault(vmf, enum page_entry_size). */
#include <linux/mm.h>

static vm_fault_t conftest_huge_fault(struct vm_fault *vmf,
				      enum page_entry_size pe_size)
{
	return pe_size == PE_SIZE_PMD ? VM_FAULT_FALLBACK : VM_FAULT_SIGBUS;
}

const struct vm_operations_struct conftest_vm_ops = {
	.huge_fault = conftest_huge_fault,
};
