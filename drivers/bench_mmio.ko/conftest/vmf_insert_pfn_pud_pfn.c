// SPDX-License-Identifier: GPL-2.0
/* 6.17+: vmf_insert_pfn_pud(vmf, unsigned long pfn, bool write). */
#include <linux/mm.h>
#include <linux/huge_mm.h>

vm_fault_t conftest_insert(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t conftest_insert(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pud(vmf, pfn, true);
}
