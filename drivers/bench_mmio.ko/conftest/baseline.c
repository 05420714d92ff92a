// SPDX-License-Identifier: GPL-2.0
/* Always compiles: proves the toolchain and the kernel headers work. */
#include <linux/mm.h>

int conftest_baseline(void);
int conftest_baseline(void)
{
	return 0;
}
