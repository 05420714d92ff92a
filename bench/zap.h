/* SPDX-License-Identifier: GPL-2.0 */
/* zap.h - data of the zap benchmark, split from the device code for tests. */
#ifndef BENCH_ZAP_H
#define BENCH_ZAP_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "measure.h"
#include "theory.h"

enum zap_op { ZAP_WHOLE, ZAP_PARTIAL, ZAP_REVOKE, NR_ZAP_OPS };
extern const char *const zap_op_names[NR_ZAP_OPS + 1];

/* One operation in one repetition. */
struct zap_op_rep {
	struct pass pop;		/* the populate before it */
	uint64_t zap_ticks;		/* ZAP, or REVOKE */
	uint64_t restore_ticks;		/* RESTORE (revoke) */
	uint64_t zaps_widened, sigbus_count;	/* stats after the op */
	bool sigbus;			/* revoke: the probe touch got SIGBUS */
	int census_ok;
	struct bench_mmio_census census;	/* after the op, before the refault */
	struct pass refault;		/* measure_touch(): ticks and counts */
};

/* One operation over the repetitions, and the range it zapped. */
struct zap_op_result {
	enum zap_op op;
	uint64_t asked_offset, asked_length;	/* backing offsets (ZAP's range) */
	bool guard, predicted, widened;
	uint64_t zaps_widened;			/* rep 0 */
	uint64_t zapped_offset, zapped_length;	/* backing offsets actually zapped */
	uint64_t map_offset, map_length;	/* of that, in the mapping */
	struct zap_op_rep *reps;
};

struct zap_run {
	const struct target *t;
	struct common_params p;		/* the run's, with its size */
	uint64_t size;
	enum run_status status;
	char reason[512];
	unsigned int nreps, done;
	bool write, info_guards;
	struct pass *pop;		/* per rep: populate + munmap */
	struct zap_op_result op[NR_ZAP_OPS];
	struct theory_in tin;		/* rep 0's mapping */
};

/* The partial range in the mapping: the options, else [size/4, +size/2). */
void zap_partial_range(uint64_t size, uint64_t off_opt, uint64_t len_opt, uint64_t *off,
		       uint64_t *len);
/*
 * What z zapped: the uapi rule (theory_zap_widen()) for the prediction, the
 * module's zaps_widened (z->zaps_widened) for whether it did; the range in
 * the mapping at @map_offset of @size bytes.
 */
void zap_resolve(struct zap_op_result *z, const struct bench_mmio_info *info,
		 unsigned int strategy, uint64_t map_offset, uint64_t size);
/* Refault of rep o against theory_refault(): 0 ok, 1 mismatch (why), -1 no model. */
int zap_op_check(const struct zap_run *r, const struct zap_op_result *z,
		 const struct zap_op_rep *o, struct theory_out *exp, struct theory_out *got,
		 char *why, size_t len);
json_t *zap_run_to_json(const struct zap_run *r, const struct bench_ctx *ctx);

#endif
