// SPDX-License-Identifier: GPL-2.0
/* bench.c - common options and the list of benchmarks. */
#include <stddef.h>
#include <string.h>

#include "bench.h"
#include "device.h"

#define C(field) offsetof(struct common_params, field)

const struct opt common_opts[] = {
	{ "strategy", OPT_ENUM, "all", "population strategies to run, or a comma list",
	  strategy_names, C(strategies), OPT_F_LIST, 0, 0 },
	{ "size", OPT_SIZE, "256M", "bytes to map (4K multiple; K/M/G/T suffixes)",
	  NULL, C(size), 0, 0, 0 },
	{ "offset", OPT_SIZE, "0", "offset in the backing (mmap file offset, 4K multiple)",
	  NULL, C(offset), OPT_F_ZERO_OK, 0, 0 },
	{ "align", OPT_ENUM, "auto", "virtual address alignment chosen by the module",
	  align_names, C(align), 0, 0, 0 },
	{ "access", OPT_ENUM, "read", "touch each page with a 64-bit read or write",
	  access_names, C(access), 0, 0, 0 },
	{ "cache", OPT_ENUM, "uc", "memory type requested for the mapping",
	  cache_names, C(cache), 0, 0, 0 },
	{ "reps", OPT_UINT, "5", "repetitions per strategy", NULL, C(reps), 0, 1, 100000 },
	{ "cpu", OPT_UINT, NULL, "hwloc PU logical index to pin to (default: the last PU)",
	  NULL, C(cpu), 0, 0, 0 },
	{ "device", OPT_STRING, BENCH_MMIO_DEVICE, "device node", NULL, C(device), 0, 0, 0 },
	{ "out", OPT_STRING, NULL, "result directory (default: $BENCH_MMIO_OUT or ./results)",
	  NULL, C(out), 0, 0, 0 },
	{ "profile", OPT_STRING, NULL, "key=value file of options; the command line wins",
	  NULL, C(profile), 0, 0, 0 },
	{ "quiet", OPT_BOOL, "false", "no progress on stderr", NULL, C(quiet), 0, 0, 0 },
	{ "check", OPT_BOOL, "false", "check the options and the profile, then exit (no device needed)",
	  NULL, C(check), 0, 0, 0 },
	{ NULL, 0, NULL, NULL, NULL, 0, 0, 0, 0 },
};

const struct benchmark *const benchmarks[] = { &bench_fault, NULL };

const struct benchmark *find_benchmark(const char *name)
{
	for (int i = 0; benchmarks[i]; i++)
		if (!strcmp(benchmarks[i]->name, name))
			return benchmarks[i];
	return NULL;
}
