/* SPDX-License-Identifier: GPL-2.0 */
/* threads.h - data of the threads benchmark, split from the thread code for tests. */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "measure.h"
#include "theory.h"

#define MAX_THREADS		256
#define THREADS_MAX_POINTS	10	/* 1, 2, 4, ... 256 and one more */

struct thread_result {
	uint64_t lo, hi;		/* its slice, bytes into the mapping */
	uint64_t t0, t1;		/* ticks around its touch */
	uint64_t minflt;		/* its ru_minflt over the touch */
	int cpu, pu;			/* OS index, hwloc logical index; -1 unpinned */
	int pin_error;			/* errno of pin_thread(), 0 */
};

struct threads_point {
	unsigned int nthreads;
	struct thread_result **threads;	/* [rep][thread] */
	struct target_counters *c;	/* [rep]: the module's, over all threads */
	struct page_sizes ps;		/* rep 0 */
};

struct threads_run {
	const struct target *t;
	struct common_params p;
	uint64_t size, grain;
	enum run_status status;
	char reason[512];
	unsigned int nreps, npoints, done;	/* done: points completed */
	bool write;
	struct threads_point pt[THREADS_MAX_POINTS];
	struct theory_in tin;		/* pfnmap */
	struct theory_out exp;		/* pfnmap: theory_expect() */
};

/* T values 1, 2, 4, ... <= max, then max itself: into t[] (n room); how many. */
unsigned int threads_sweep(unsigned int max, unsigned int *t, unsigned int n);
/*
 * Thread i's slice [*lo, *hi) of len bytes cut in whole grains, as evenly as
 * the grains allow (the first len/grain % nthreads threads one more); a
 * thread past the grains gets an empty slice.
 */
void threads_slice(uint64_t len, uint64_t grain, unsigned int nthreads, unsigned int i,
		   uint64_t *lo, uint64_t *hi);
/* The grain: the largest page the model puts in the mapping (see threads.c). */
uint64_t threads_grain(const struct target *t, const struct theory_out *exp, uint64_t len);
uint64_t threads_faults(const struct threads_run *r, const struct threads_point *pt, unsigned int rep);
int threads_check(const struct threads_run *r, const struct threads_point *pt,
		  struct theory_out *exp, struct theory_out *got, char *why, size_t len);
json_t *threads_run_to_json(const struct threads_run *r, const struct bench_ctx *ctx);

#endif
