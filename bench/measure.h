/* SPDX-License-Identifier: GPL-2.0 */
/*
 * measure.h - the measurement core every benchmark shares.
 *
 * A benchmark opens a target (target.h), and per repetition runs passes over
 * fresh mappings: measure_pass() maps (timed), touches every 4K page once in
 * ascending order (bare and timed as a whole, or each touch timed alone and
 * attributed to a fault or not), reads the counters and the page sizes the
 * mapping got, and unmaps (timed).  SIGBUS/SIGSEGV during the touches ends
 * the pass with a reason instead of the process.  The JSON helpers build the
 * run pieces every benchmark reports the same way.
 */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bench.h"
#include "stats.h"
#include "target.h"
#include "theory.h"

enum run_status { RUN_OK, RUN_SKIP, RUN_FAIL };
extern const char *const run_status_names[];

/* Percentiles reported per repetition: p50 p90 p99 p99.9 max. */
#define NR_PCT 5
extern const double pct[NR_PCT];

/* One pass over a fresh mapping. */
struct pass {
	uint64_t va;
	uint64_t mmap_ticks, populate_ticks, munmap_ticks;
	uint64_t touch_ticks, touches, touch_faults;	/* instrumented pass */
	struct target_counters c;
	struct page_sizes ps;
	int ps_error;			/* -errno when the page sizes could not be read */
	int advice_error;		/* -errno of the target's madvise() */
};

/* One repetition: a timed pass and an instrumented one. */
struct rep {
	struct pass timed, lat;
	uint64_t fault_count, fault_p[NR_PCT];	/* ticks, valid when count > 0 */
	uint64_t touch_count, touch_p50;
};

/* What to do in a pass. */
struct pass_req {
	uint64_t len;
	bool write;
	int advice;			/* extra madvise() (e.g. MADV_HUGEPAGE), 0: none */
	struct hist *fh, *th;		/* instrumented: fault / non-fault touches; NULL: timed */
	bool no_touch;			/* map only: no touch, nothing made present */
};

/*
 * Map, touch, count, unmap.  Returns 0, or -1 with a reason (status fail).
 * @what names the pass in the reason ("rep 2 (timed pass)").
 */
int measure_pass(struct target_state *ts, const struct pass_req *req, struct pass *out,
		 const char *what, char *reason, size_t len);

/*
 * The first half of a pass: map, touch, count, read the page sizes, and
 * leave the mapping in *map for the caller to use and unmap (t->unmap).
 * Returns 0, or -1 with a reason and nothing mapped.
 */
int measure_map(struct target_state *ts, const struct pass_req *req, struct pass *out,
		volatile char **map, const char *what, char *reason, size_t len);

/*
 * Touch every page of a mapping measure_map() left (a refault after a zap,
 * say) as its timed pass does: counters reset, the bare loop timed as a
 * whole into out->populate_ticks, counters read into out->c.  0, or -1 with
 * a reason (SIGBUS/SIGSEGV, a counter error); the mapping stays mapped.
 */
int measure_touch(struct target_state *ts, volatile char *map, const struct pass_req *req,
		  struct pass *out, const char *what, char *reason, size_t len);

/*
 * fn(arg) with SIGBUS/SIGSEGV turned into -1 and a reason naming @what and
 * the offset in @map.  fn must not keep state a longjmp would leave torn.
 */
int measure_guarded(void (*fn)(void *), void *arg, volatile char *map, const char *what,
		    char *reason, size_t len);

/*
 * Put @prefix and ": " before the reason already in @reason (len bytes),
 * truncating its tail if the two do not fit: "warm-up 0: SIGBUS at ...".
 */
void reason_prefix(char *reason, size_t len, const char *prefix);

/* Set up signal handlers and pre-fault what the loops write; call once. */
void measure_init(void);

/* Percentiles of a repetition's histograms into rep. */
void measure_percentiles(const struct hist *fh, const struct hist *th, struct rep *rep);

/* Cost of one empty timed window, in ticks: {min, median} of 1001 tries. */
void timer_overhead(uint64_t *min, uint64_t *median);

/* ---- JSON pieces ---- */

json_t *hist_json(const struct hist *h, double ns_per_tick);
json_t *page_sizes_json(const struct page_sizes *ps, uint64_t asked, const char *source);
/* latency_method: timer, calibration, the attribution used and why. */
json_t *latency_method_json(const struct tsc_info *tsc, enum attribution attr,
			    unsigned int nslots, const char *attr_note);
/*
 * bench, target, kind, strategy (pfnmaps), params (the ones that apply to
 * the kind), status, reason: the head of every run object.
 */
json_t *run_head_json(const char *bench, const struct target *t, const struct common_params *p,
		      bool write, enum run_status status, const char *reason);
/* --access for a target: auto reads pfnmaps and writes baselines. */
bool access_write(const struct common_params *p, const struct target *t);
const char *attribution_text(enum attribution a);
/*
 * The per-repetition metrics every first-touch benchmark reports: mmap_ns,
 * populate_ns, munmap_ns, fault_p*_ns, touch_p50_ns, touch_total_ns,
 * touch_faults.  Benchmarks add their own to the object.
 */
json_t *pass_metrics_json(const struct rep *reps, unsigned int n, double tick_ns);
json_t *latency_histograms_json(const struct hist *fh, const struct hist *th, double tick_ns);

/* ---- fault counts (pfnmaps: the module's counters, theory.h's shape) ---- */

/* Sum of faults[] over the levels. */
uint64_t module_faults(const struct bench_mmio_stats *st);
/* The module's counters in the model's shape. */
void measured_out(const struct bench_mmio_stats *st, struct theory_out *o);
/* {pte, pmd, pud, fallback, pages} */
json_t *counts_json(const struct theory_out *o);
/* {pte, pmd, pud} of a per-level array */
json_t *levels_json(const uint64_t v[BENCH_MMIO_NR_LEVELS]);
/* A metric of n per-repetition values in ns, and the same per GiB of bytes. */
json_t *ns_metric_json(const double *ns, unsigned int n);
json_t *ns_per_gib_metric_json(const double *ns, unsigned int n, uint64_t bytes);

/* ---- the model's input (theory.h) ---- */

/* theory_thp value for a THP "enabled" word and whether MADV_HUGEPAGE was set. */
enum theory_thp thp_gate(const char *enabled, bool madvised);
/*
 * Fill *tin for a pfnmap of @t at @va of @size bytes (p: offset, align;
 * info: phys, caps, max_level; thp: the gate).  The busy ends
 * (theory_scan_neighbours()) are left as they are.
 */
void theory_input(struct theory_in *tin, const struct target *t, uint64_t va, uint64_t size,
		  const struct common_params *p, const struct bench_mmio_info *info,
		  const struct thp_state *thp, bool madvised);
/* Other VMAs (/proc/self/maps) in the 2M/1G regions at either end of the mapping. */
void theory_scan_neighbours(struct theory_in *tin);

/* The most sizes one --sizes sweep takes. */
#define MEASURE_MAX_SIZES 16

/*
 * A benchmark's sizes: --sizes=LIST (@list) when given, else --size, each
 * within the backing past --offset when @info is known (NULL: before a
 * device is opened, only the list is checked).  0, or -1 with @err set.
 */
int measure_sizes(const struct common_params *p, const char *list,
		  const struct bench_mmio_info *info, uint64_t sizes[MEASURE_MAX_SIZES],
		  unsigned int *n, char *err, size_t len);

#endif
