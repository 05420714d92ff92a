/* SPDX-License-Identifier: GPL-2.0 */
/* fork.h - data of the fork benchmark, split from the process code for tests. */
#ifndef BENCH_FORK_H
#define BENCH_FORK_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "measure.h"
#include "theory.h"

enum fork_variant { FORK_POPULATED, FORK_UNPOPULATED, FORK_DONTFORK, NR_FORK_VARIANTS };
extern const char *const fork_variant_names[NR_FORK_VARIANTS + 1];

/* What the check child saw, sent down a pipe. */
struct fork_child {
	int census_ret;			/* 0, or -errno (EINVAL: no VMA of the device there) */
	struct bench_mmio_census census;
	bool vma;			/* mincore() of the first page did not say ENOMEM */
	bool touched;			/* its touch of every page got no signal */
	uint64_t minflt;		/* its ru_minflt over that touch */
};

struct fork_variant_result {
	enum fork_variant variant;
	struct pass pop;		/* rep 0's map (and populate) */
	int census_ok;
	struct bench_mmio_census census;	/* the parent's, rep 0, before the fork */
	uint64_t *fork_ticks, *wait_ticks;	/* per rep */
	bool have_child;
	struct fork_child child;
	struct target_counters child_counters;	/* the module's, over the child */
};

struct fork_run {
	const struct target *t;
	struct common_params p;		/* the run's, with its size */
	uint64_t size;
	enum run_status status;
	char reason[512];
	unsigned int nreps, done;
	bool write;
	struct fork_variant_result var[NR_FORK_VARIANTS];
	struct theory_in tin;		/* pfnmap: rep 0's populated mapping */
};

/*
 * The child's faults over its touch of every page: none without the VMA
 * (dontfork) or when the parent's entries were all copied (@pfnmap_populated:
 * populated, or populated by mmap), else a fresh populate (theory_expect()).
 */
int fork_child_expect(const struct theory_in *tin, enum fork_variant v, bool pfnmap_populated,
		      struct theory_out *exp);
int fork_child_check(const struct fork_run *r, const struct fork_variant_result *vr,
		     struct theory_out *exp, struct theory_out *got, char *why, size_t len);
json_t *fork_run_to_json(const struct fork_run *r, const struct bench_ctx *ctx);

#endif
