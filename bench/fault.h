/* SPDX-License-Identifier: GPL-2.0 */
/* fault.h - data of the fault benchmark, split from the device code for tests. */
#ifndef BENCH_FAULT_H
#define BENCH_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "measure.h"
#include "theory.h"

/*
 * One run = one target, REPS repetitions; each is two passes over fresh
 * mappings (struct rep): timed (mmap, bare touch loop, munmap, counters) and
 * instrumented (every touch timed alone and attributed to a fault or not).
 * So per-touch instrumentation never inflates populate_ns.
 */
struct fault_run {
	const struct target *t;
	enum run_status status;
	char reason[256];
	unsigned int nreps, done;	/* requested, completed */
	struct rep *reps;
	struct hist fault_hist, touch_hist;	/* merged over reps, ticks */
	bool write;			/* the access actually used */
	enum attribution attr;		/* the attribution actually used */
	unsigned int nslots;
	char attr_note[320];
	struct theory_in tin;		/* pfnmap: model input (from rep 0) */
	bool madvised;
	char madvise_error[96];
};

/* Build the run object (pure: no device access).  info NULL: no device. */
json_t *fault_run_to_json(const struct fault_run *r, const struct common_params *p,
			  const struct tsc_info *tsc, const struct thp_state *thp,
			  const struct bench_mmio_info *info);


/* A baseline's own check: ru_minflt of a write pass == one fault per page it got. */
uint64_t baseline_expected_faults(const struct page_sizes *ps);

#endif
