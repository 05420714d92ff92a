/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - the benchmark interface.
 *
 * A benchmark is one file that defines a struct benchmark: its name, a help
 * line, its own options table (beside the common one below) and a run
 * function that appends run objects to ctx->runs, using the targets
 * (target.h) and the measurement core (measure.h).  Registering it is one
 * line in benchmarks[] (bench.c).  The driver (main.c) parses options,
 * disables ASLR, pins, calibrates the clock, opens the device when a pfnmap
 * target is selected, builds the document and writes it.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench_mmio_uapi.h"
#include "opts.h"
#include "sysinfo.h"

struct common_params {
	uint64_t targets;		/* mask of enum target_id (--strategy) */
	uint64_t size, offset;
	unsigned int align, access, cache, attribution;
	uint64_t reps, cpu;
	uint64_t warmup;		/* untimed repetitions before the timed ones */
	const char *device, *out, *profile;
	const char *bind;		/* --bind: auto|pci|core:N|node:N */
	bool quiet;
	bool check;			/* parse the options, then exit */
};

/* --access; auto: read for pfnmaps, write for baselines (see bench.c) */
enum { ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_AUTO = 2 };

extern const struct opt common_opts[];

struct bench_ctx {
	const struct common_params *p;
	const struct bench_mmio_info *info;	/* NULL: no pfnmap target, no device */
	const struct tsc_info *tsc;
	const struct thp_state *thp;
	const struct pin_state *pin;	/* where the thread runs (placement) */
	json_t *runs;			/* append run objects here */
};

struct benchmark {
	const char *name;
	const char *help;
	const struct opt *opts;		/* benchmark-specific options */
	void *params;			/* their storage */
	/*
	 * Optional: the options together (after parsing, before any device or
	 * guest); 0, or -1 with a message naming the option (usage error).
	 */
	int (*check)(const struct common_params *p, char *err, size_t len);
	/* Returns the number of runs with status "fail" (or < 0: no result). */
	int (*run)(struct bench_ctx *ctx);
};

extern const struct benchmark *const benchmarks[];	/* NULL-terminated */

extern const struct benchmark bench_fault;
extern const struct benchmark bench_tlb;
extern const struct benchmark bench_zap;
extern const struct benchmark bench_fork;
extern const struct benchmark bench_threads;

const struct benchmark *find_benchmark(const char *name);

#endif
