/* SPDX-License-Identifier: GPL-2.0 */
/* fault.h - data of the fault benchmark, split from the device code for tests. */
#ifndef BENCH_FAULT_H
#define BENCH_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "stats.h"
#include "theory.h"

enum run_status { RUN_OK, RUN_SKIP, RUN_FAIL };

/*
 * One repetition is two passes over fresh mappings of the same range:
 *  - timed: mmap, a bare touch loop, munmap, each timed as a whole;
 *    gives mmap/populate/munmap times and the counters @st;
 *  - instrumented: every touch timed alone and attributed to a fault or
 *    not; gives the latency histograms and the counters @st_lat.
 * So per-touch instrumentation never inflates populate_ns.
 */
struct fault_rep {
	uint64_t va, lat_va;		/* start of the timed / instrumented mapping */
	uint64_t mmap_ticks, populate_ticks, munmap_ticks, touch_ticks;
	uint64_t touch_faults;		/* touches across which ru_minflt advanced */
	uint64_t touches;
	struct bench_mmio_stats st, st_lat;
	/* fault/touch latency percentiles in ticks (valid when count > 0) */
	uint64_t fault_count, fault_p[5];	/* p50 p90 p99 p99.9 max */
	uint64_t touch_count, touch_p50;
};

struct fault_run {
	unsigned int strategy;
	enum run_status status;
	char reason[256];
	unsigned int nreps, done;	/* requested, completed */
	struct fault_rep *reps;
	struct hist fault_hist, touch_hist;	/* merged over reps, ticks */
	struct theory_in tin;		/* model input (from rep 0) */
	bool madvised;
	char madvise_error[96];
};

/* Build the run object (pure: no device access). */
json_t *fault_run_to_json(const struct fault_run *r, const struct common_params *p,
			  const struct tsc_info *tsc, const struct thp_state *thp,
			  const struct bench_mmio_info *info);

/* theory_thp value for a THP "enabled" word and whether MADV_HUGEPAGE was set. */
enum theory_thp thp_gate(const char *enabled, bool madvised);

#endif
