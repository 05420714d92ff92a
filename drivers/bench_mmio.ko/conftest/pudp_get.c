// SPDX-License-Identifier: GPL-2.0
/* pudp_get() reads a PUD entry once: in 6.12, not in 6.1 (READ_ONCE() there). */
#include <linux/mm.h>
#include <linux/pgtable.h>

pud_t conftest_pudp_get(pud_t *pudp);
pud_t conftest_pudp_get(pud_t *pudp)
{
	return pudp_get(pudp);
}
