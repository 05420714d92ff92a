// SPDX-License-Identifier: GPL-2.0
/* bench.c - common options and the list of benchmarks. */
#include <stddef.h>
#include <string.h>

#include "bench.h"
#include "device.h"
#include "target.h"

#define C(field) offsetof(struct common_params, field)

static const struct opt_group target_groups[] = {
	{ .name = "all", .mask = TARGETS_PFNMAP, .help = "every pfnmap strategy of the module" },
	{ .name = "baselines", .mask = TARGETS_BASELINE,
	  .help = "ordinary memory: anon4k, thp, hugetlb2m, hugetlb1g (no device needed)" },
	{ .name = "everything", .mask = TARGETS_ALL, .help = "all and baselines" },
	{ .name = NULL },
};

/*
 * --access=auto reads pfnmaps (reads are what is safe on a live BAR, and a
 * pfnmap fault costs the same either way) and writes baselines: a read of
 * untouched anonymous memory maps the shared (huge) zero page and allocates
 * nothing, so it would not be the cost of memory at all.
 */
static const char *const access_opt_names[] = { "read", "write", "auto", NULL };
static const char *const attribution_names[] = { "auto", "getrusage", "stats", NULL };

const struct opt common_opts[] = {
	{ .name = "strategy", .type = OPT_ENUM, .def = "all",
	  .help = "targets to run: pfnmap strategies, baselines, or a comma list",
	  .values = &targets[0].name, .values_stride = sizeof(targets[0]),
	  .groups = target_groups, .off = C(targets), .flags = OPT_F_LIST },
	{ .name = "size", .type = OPT_SIZE, .def = "256M",
	  .help = "bytes to map (4K multiple; K/M/G/T suffixes)", .off = C(size) },
	{ .name = "offset", .type = OPT_SIZE, .def = "0",
	  .help = "offset in the backing (mmap file offset, 4K multiple; pfnmaps)",
	  .off = C(offset), .flags = OPT_F_ZERO_OK },
	{ .name = "align", .type = OPT_ENUM, .def = "auto",
	  .help = "virtual address alignment chosen by the module (pfnmaps)",
	  .values = align_names, .off = C(align) },
	{ .name = "access", .type = OPT_ENUM, .def = "auto",
	  .help = "touch each page with a 64-bit read or write; auto: read pfnmaps, write baselines (a read maps the zero page)",
	  .values = access_opt_names, .off = C(access) },
	{ .name = "cache", .type = OPT_ENUM, .def = "uc",
	  .help = "memory type requested for the mapping (pfnmaps)",
	  .values = cache_names, .off = C(cache) },
	{ .name = "reps", .type = OPT_UINT, .def = "5", .help = "repetitions per target",
	  .off = C(reps), .min = 1, .max = 100000 },
	/*
	 * The first repetition of a fresh machine pays the host's first touch
	 * of the backing (QEMU allocating the emulated BAR's memory: populate
	 * 2503 ms, then 39-50 ms): warm-up repetitions, run in full and thrown
	 * away, take that cost out of the timed ones.  Recorded in every run's
	 * params.warmup.
	 */
	{ .name = "warmup", .type = OPT_UINT, .def = "1",
	  .help = "untimed repetitions per target before the timed ones (the first touch of the backing); 0: none",
	  .off = C(warmup), .max = 1000 },
	{ .name = "cpu", .type = OPT_UINT,
	  .help = "hwloc PU logical index to pin to (default: see --bind)", .off = C(cpu) },
	{ .name = "bind", .type = OPT_STRING, .def = "auto",
	  .help = "placement: pci (a PU near the backing's PCI device), core:N, node:N (hwloc logical indexes); auto: pci when hwloc knows the device, else --cpu or the last PU",
	  .off = C(bind) },
	{ .name = "attribution", .type = OPT_ENUM, .def = "auto",
	  .help = "how a timed touch is attributed to a fault; auto: the module's statistics mapping for pfnmaps, else getrusage",
	  .values = attribution_names, .off = C(attribution) },
	{ .name = "device", .type = OPT_STRING, .def = BENCH_MMIO_DEVICE,
	  .help = "device node", .off = C(device) },
	{ .name = "out", .type = OPT_STRING,
	  .help = "result directory, or the result's file name when it ends in .json (default: $BENCH_MMIO_OUT or ./results)",
	  .off = C(out) },
	{ .name = "profile", .type = OPT_STRING,
	  .help = "key=value file of options; the command line wins", .off = C(profile) },
	{ .name = "quiet", .type = OPT_BOOL, .def = "false", .help = "no progress on stderr",
	  .off = C(quiet) },
	{ .name = "check", .type = OPT_BOOL, .def = "false",
	  .help = "check the options and the profile, print needs-device: yes|no, then exit",
	  .off = C(check) },
	{ .name = NULL },
};

const struct benchmark *const benchmarks[] = { &bench_fault, &bench_tlb, &bench_zap, &bench_fork, &bench_threads, NULL };

const struct benchmark *find_benchmark(const char *name)
{
	for (int i = 0; benchmarks[i]; i++)
		if (!strcmp(benchmarks[i]->name, name))
			return benchmarks[i];
	return NULL;
}
