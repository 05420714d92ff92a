// SPDX-License-Identifier: GPL-2.0
/* Up to 6.16: vmf_insert_pfn_pud(vmf, pfn_t pfn, bool write). */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

vm_fault_t conftest_insert(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t conftest_insert(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), true);
}
