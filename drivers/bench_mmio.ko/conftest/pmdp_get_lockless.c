// SPDX-License-Identifier: GPL-2.0
/* pmdp_get_lockless() reads a PMD entry once, untorn on PAE: in 6.12, not in 6.1. */
#include <linux/mm.h>
#include <linux/pgtable.h>

pmd_t conftest_pmdp_get_lockless(pmd_t *pmdp);
pmd_t conftest_pmdp_get_lockless(pmd_t *pmdp)
{
	return pmdp_get_lockless(pmdp);
}
